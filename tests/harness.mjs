// Shared helpers for the end-to-end tests (`node --test tests/`).
//
// `cargo xtask test` starts fresh `wrangler dev` servers on free ports, with a migrated and seeded
// empty D1, and passes the ports in ONEGATE_EDGE_PORT / ONEGATE_DEMO_PORT. Run by hand against
// `cargo xtask dev`, the defaults (8787 and 8788) apply.
//
// Test files are named `*.test.mjs`; this file is not one, so node does not run it as a test.

import http from 'node:http';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Port of the hub and gate Worker. */
export const EDGE_PORT = Number(process.env.ONEGATE_EDGE_PORT ?? 8787);
/** Port of the demo module Worker (its own origin, behind the gate). */
export const DEMO_PORT = Number(process.env.ONEGATE_DEMO_PORT ?? 8788);
/** The hub, as a browser reaches it. */
export const HUB_URL = `http://localhost:${EDGE_PORT}`;
/** The demo module Worker itself, without the gate. */
export const DEMO_URL = `http://localhost:${DEMO_PORT}`;

/** The gate in front of a module, as a browser reaches it: `moduleUrl('psa')`. */
export function moduleUrl(name) {
  return `http://${name}.localhost:${EDGE_PORT}`;
}

/** Where tests save screenshots (git-ignored). */
export const SCREENSHOTS_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

/**
 * Sends one HTTP request to 127.0.0.1 with the given Host header and returns a standard
 * `Response`. Redirects are not followed (check `status` and `headers.get('location')`).
 *
 * `host` is `localhost`, `psa.localhost`, ... and may carry a port (`localhost:8788`); without
 * one, the edge port is used. `init` takes `method`, `headers` (object) and `body` (string,
 * Buffer, URLSearchParams, or a plain object sent as JSON).
 */
export function fetchAs(host, path, init = {}) {
  const [hostname, explicitPort] = host.split(':');
  const port = explicitPort ? Number(explicitPort) : EDGE_PORT;
  const headers = { ...(init.headers ?? {}) };
  let body = init.body;
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    body = body.toString();
  } else if (body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body)) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(body);
  }
  headers.host = `${hostname}:${port}`;

  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const outHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of [value].flat()) outHeaders.append(name, v);
          }
          const noBody = [101, 204, 205, 304].includes(res.statusCode);
          resolve(
            new Response(noBody ? null : Buffer.concat(chunks), {
              status: res.statusCode,
              statusText: res.statusMessage,
              headers: outHeaders,
            }),
          );
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Flags that keep headless Chromium quiet, offline-friendly and fast to start. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts the system Chromium (apt) through playwright-core. Close it in an `after` hook. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

/** Saves a full-page screenshot as tests/screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const path = `${SCREENSHOTS_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The names of the buttons in Chromium's accessibility tree of `page`, closed shadow roots
 * included (the launcher's waffle lives in one, where locators do not reach).
 */
export async function accessibleButtonNames(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.filter((n) => n.role?.value === 'button').map((n) => n.name?.value);
  } finally {
    await cdp.detach();
  }
}
