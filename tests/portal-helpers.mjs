// Helpers for the portal's end-to-end tests (portal*.test.mjs): the seeded portal accounts,
// sign-in on any edge port, JSON calls to the portal API, and a private `wrangler dev` with
// its own D1 state (migrated and seeded like `cargo xtask test` does) that a test may kill.
// Not a test file itself.

import { spawn, execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EDGE_PORT, fetchAs } from './harness.mjs';
import { Jar, currentStep, totpAt } from './hub-helpers.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/** The portal test accounts (edge/seed.sql, portal section); one per test file. */
export const PORTAL_ACCOUNTS = {
  pat: { email: 'portal@acme.example', totp: 'XHT2GTNPBOBHTCT2VBWMIIJNS3JDIQ4X', tenant: 't_acme' },
  pam: { email: 'portal2@acme.example', totp: 'VUG47CA64LBD4ZDIFOMAXNKVG2OP4UXN', tenant: 't_acme' },
  pax: { email: 'portal3@acme.example', totp: 'AIYZG25DRCZW3CO6GTBJIHDXH7CJMRHV', tenant: 't_acme' },
  gpo: { email: 'portal@globex.example', totp: 'EWLWHVQARTE5JULONEW22VAJHFEOOESQ', tenant: 't_globex' },
  pia: { email: 'portal4@acme.example', totp: 'CD2GIPHHHPZAAEZE6IFTU3NCWGAF5544', tenant: 't_acme' },
};
const PASSWORD = 'hub-qa-tester-2026';

/** A client of the hub on `port` with a cookie jar. */
export class PortalClient {
  constructor(port = EDGE_PORT) {
    this.port = port;
    this.jar = new Jar();
  }

  /** Any request to the hub host; the jar sends and learns cookies. */
  async request(path, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (this.jar.cookies.size) headers.cookie = this.jar.header();
    const res = await fetchAs(`localhost:${this.port}`, path, { ...init, headers });
    return this.jar.take(res);
  }

  /** A JSON API call: returns `{ status, headers, body }` (body parsed when JSON). */
  async api(path, { method = 'GET', body, headers = {} } = {}) {
    const res = await this.request(path, { method, body, headers });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  /** Posts an HTML form. */
  form(path, fields) {
    return this.request(path, { method: 'POST', body: new URLSearchParams(fields) });
  }
}

/** Signs in a portal account (password, then TOTP) and returns its client. */
export async function signInPortal(name, { port = EDGE_PORT, stepOffset = 0 } = {}) {
  const account = PORTAL_ACCOUNTS[name];
  const client = new PortalClient(port);
  const body = new URLSearchParams({ email: account.email, password: PASSWORD, return_to: '/' });
  const first = await client.request('/signin', { method: 'POST', body });
  if (first.status !== 303) throw new Error(`password step answered ${first.status}`);
  const code = totpAt(account.totp, currentStep() + stepOffset);
  const res = await client.request('/signin/totp', {
    method: 'POST',
    body: new URLSearchParams({ code }),
  });
  if (res.status !== 303) throw new Error(`TOTP step answered ${res.status}: ${await res.text()}`);
  return client;
}

/** A valid new ticket; `over` replaces fields. */
export function ticketBody(over = {}) {
  return {
    module: 'psa',
    subject: 'Scheduled report was not delivered',
    description: 'The weekly utilisation report did not arrive on Monday.',
    priority: 'medium',
    ...over,
  };
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const run = promisify(execFile);

/** Applies the migrations and the seed to a D1 state folder, as xtask does. */
export async function migrateAndSeed(persistDir) {
  const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };
  const common = ['--local', '-c', 'wrangler.toml', '--persist-to', persistDir];
  await run('node', [WRANGLER, 'd1', 'migrations', 'apply', 'onegate', ...common], { cwd: ROOT, env });
  await run('node', [WRANGLER, 'd1', 'execute', 'onegate', ...common, '--file', 'edge/seed.sql'], {
    cwd: ROOT,
    env,
  });
}

/** A fresh state folder for a private server. */
export function tempState() {
  return mkdtempSync(join(tmpdir(), 'onegate-portal-'));
}

/**
 * Starts `wrangler dev` for the edge Worker (prebuilt in edge/build/) on a free port, in its
 * own process group, with D1 state in `persistDir`; resolves once /healthz answers. Returns
 * `{ port, child, kill(signal) }`; `kill` signals the whole process group (workerd included).
 */
export async function startEdge(persistDir, { timeoutMs = 90_000 } = {}) {
  const port = await freePort();
  const inspector = await freePort();
  const args = [
    WRANGLER, 'dev', '-c', 'wrangler.toml', '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-port', String(inspector), '--show-interactive-dev-session=false',
    '--persist-to', persistDir, '--log-level', 'warn',
  ];
  const child = spawn('node', args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const kill = async (signal = 'SIGTERM') => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited: ${stderr}`);
    try {
      const res = await fetchAs(`localhost:${port}`, '/healthz');
      if (res.status === 200) return { port, child, kill };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await kill('SIGKILL');
  throw new Error(`wrangler dev did not answer on ${port}: ${stderr}`);
}
