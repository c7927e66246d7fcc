// The launcher through the real gate, in headless Chromium: the gate injects its data, the wasm
// preload and the module script into the demo modules' pages and serves the launcher's files
// itself (edge/src/gate/assets.rs), under the demo's own CSP (`script-src 'self'
// 'wasm-unsafe-eval'`). Chromium resolves `*.localhost` to loopback, so the pages load from
// `http://<module>.localhost:<edge port>` as a user would see them.
//
// Modules (edge/seed.sql): psa requires hub login, rmm has unified login without requiring it,
// legacy has unified login off. Hub sessions come from the development token path
// (gate-helpers.mjs); module credentials from the demo's own login form.
//
// The widget's shadow root is closed; like tests/launcher.test.mjs, the pages here open every
// shadow root with an init script so the widget's DOM can be checked.

import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { fetchAs, launchBrowser, moduleUrl, screenshot } from './harness.mjs';
import { cookiePair, hubToken, signIn } from './gate-helpers.mjs';

let browser;
/** The current test's browser context: each test starts without cookies. */
let context;

const OPEN_SHADOW_ROOTS = () => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, { ...init, mode: 'open' });
  };
};

before(async () => {
  browser = await launchBrowser();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  await context.addInitScript(OPEN_SHADOW_ROOTS);
});

afterEach(async () => {
  await context?.close();
});

after(async () => {
  await browser?.close();
});

/** Opens `url` in a fresh page, collecting console problems and launcher requests. */
async function open(url, { waitForLauncher = true } = {}) {
  const page = await context.newPage();
  const problems = [];
  const assets = [];
  page.on('console', (msg) => {
    // The demo modules have no favicon; Chromium's request for it is not the launcher's.
    if (msg.location().url?.endsWith('/favicon.ico')) return;
    if (msg.type() === 'error' || msg.type() === 'warning') {
      problems.push(`${msg.text()} (${msg.location().url})`);
    }
  });
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('response', (res) => {
    if (res.url().includes('/.onegate/v/')) assets.push(res);
    if (res.status() >= 400) problems.push(`${res.status()} ${res.url()}`);
  });
  const response = await page.goto(url);
  if (waitForLauncher) await interactive(page);
  return { page, problems, assets, response };
}

/** Waits until the launcher script marked itself interactive. */
function interactive(page) {
  return page.waitForFunction(
    () => performance.getEntriesByName('onegate-launcher:interactive').length > 0,
    null,
    { timeout: 15_000 },
  );
}

/** A hub session for `email` on `module`, as the browser's `onegate` cookie. */
async function hubSession(module, email) {
  const res = await signIn(module, hubToken(module, email));
  const pair = cookiePair(res, 'onegate');
  assert.ok(pair, `no gate session for ${email} on ${module}: ${res.status}`);
  const [name, ...rest] = pair.split('=');
  await context.addCookies([{ name, value: rest.join('='), url: `${moduleUrl(module)}/` }]);
}

const button = (page) => page.locator('onegate-launcher button[aria-haspopup="menu"]');
const menu = (page) => page.locator('onegate-launcher [role="menu"]');
const items = (page) => page.locator('onegate-launcher [role="menuitem"]');
const focusedText = (page) => page.evaluate(() => {
  const host = document.activeElement;
  return host?.shadowRoot?.activeElement?.textContent ?? `(${host?.tagName})`;
});

async function widgetHasNoAxeViolations(page) {
  const result = await new AxeBuilder({ page }).include('onegate-launcher').analyze();
  const found = result.violations.map((it) => `${it.id}: ${it.nodes.map((n) => n.target)}`);
  assert.deepEqual(found, []);
}

test('the gate serves the launcher files with long-lived caching under a versioned URL',
  async () => {
    const html = await (await fetchAs('rmm.localhost', '/login')).text();
    const script = html.match(/<script type="module" src="([^"]+)"><\/script>/)?.[1];
    const preload = html.match(
      /<link rel="preload" href="([^"]+)" as="fetch" type="application\/wasm" crossorigin>/,
    )?.[1];
    assert.match(script ?? '', /^\/\.onegate\/v\/[0-9a-f]{16}\/launcher\.js$/);
    assert.equal(preload, script.replace('launcher.js', 'wasm/launcher_bg.wasm'));
    assert.ok(html.indexOf('id="onegate-launcher-data"') < html.indexOf('rel="preload"'));

    for (const [module, path, type] of [
      ['psa', script, 'text/javascript; charset=utf-8'],
      ['legacy', preload, 'application/wasm'],
    ]) {
      const res = await fetchAs(`${module}.localhost`, path);
      assert.equal(res.status, 200, `${module} ${path}`);
      assert.equal(res.headers.get('content-type'), type);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const etag = res.headers.get('etag');
      const again = await fetchAs(`${module}.localhost`, path, {
        headers: { 'if-none-match': etag },
      });
      assert.equal(again.status, 304);
    }
    const wasm = Buffer.from(await (await fetchAs('psa.localhost', preload)).arrayBuffer());
    assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'a wasm module');

    const plain = await fetchAs('psa.localhost', '/.onegate/launcher.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers.get('cache-control'), 'no-cache', 'unversioned: revalidate');
    const old = await fetchAs('psa.localhost', '/.onegate/v/0000000000000000/launcher.js');
    assert.equal(old.headers.get('cache-control'), 'no-cache', 'another version: no long cache');
  });

test('hub session on the PSA: the waffle at the top right opens My KaseyaOne', async () => {
  await hubSession('psa', 'tech@acme.example');
  const { page, problems, assets, response } = await open(`${moduleUrl('psa')}/`);
  assert.equal(new URL(page.url()).origin, moduleUrl('psa'), 'not sent to the hub');
  const csp = response.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, 'the module\'s strict CSP applies');
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);

  await assert.doesNotReject(button(page).waitFor());
  assert.equal(await button(page).getAttribute('aria-expanded'), 'false');
  assert.equal(await button(page).getAttribute('aria-label'), 'Open My KaseyaOne');
  assert.equal(await menu(page).isVisible(), false);
  const box = await button(page).boundingBox();
  assert.ok(box.x > 850 && box.y < 80, `top right, got ${JSON.stringify(box)}`);
  await screenshot(page, 'launcher-gate-closed');

  await button(page).click();
  assert.equal(await button(page).getAttribute('aria-expanded'), 'true');
  assert.equal(await menu(page).isVisible(), true);
  const names = await items(page).allTextContents();
  const expected = ['My KaseyaOne', 'Demo PSA', 'Demo RMM', 'Legacy RMM (unified login off)'];
  assert.equal(names.length, expected.length, `${names}`);
  expected.forEach((name, i) => assert.ok(names[i].endsWith(name), `${names[i]} is ${name}`));
  const current = page.locator('onegate-launcher [aria-current="true"]');
  assert.equal(await current.count(), 1);
  assert.equal(await current.getAttribute('href'), `${moduleUrl('psa')}/`);
  assert.equal(await focusedText(page).then((it) => it.endsWith('My KaseyaOne')), true);
  await widgetHasNoAxeViolations(page);
  await screenshot(page, 'launcher-gate-open');

  const wasmLoads = assets.filter((it) => it.url().endsWith('/wasm/launcher_bg.wasm'));
  assert.equal(wasmLoads.length, 1, 'the preload is the one wasm download');
  assert.ok(assets.every((it) => it.status() === 200), 'launcher files load');
  assert.deepEqual(problems, [], 'no CSP refusal, no preload warning, no error');
  await page.close();
});

test('hub session: the keyboard opens, moves, closes and follows a module link', async () => {
  await hubSession('psa', 'tech@acme.example');
  const { page } = await open(`${moduleUrl('psa')}/`);
  await button(page).focus();
  const steps = [
    ['Enter', 'true', 'My KaseyaOne'],
    ['ArrowDown', 'true', 'Demo PSA'],
    ['End', 'true', 'Legacy RMM (unified login off)'],
    ['ArrowDown', 'true', 'My KaseyaOne'],
    ['Escape', 'false', ''],
    ['Space', 'true', 'My KaseyaOne'],
    ['Escape', 'false', ''],
    ['ArrowUp', 'true', 'Legacy RMM (unified login off)'],
    ['Escape', 'false', ''],
    ['ArrowDown', 'true', 'My KaseyaOne'],
  ];
  for (const [key, expanded, focus] of steps) {
    await page.keyboard.press(key);
    assert.equal(await button(page).getAttribute('aria-expanded'), expanded, `after ${key}`);
    const text = await focusedText(page);
    if (focus) assert.ok(text.endsWith(focus), `focus after ${key}: ${text}`);
    else assert.equal(text, '', `focus back on the button after ${key}`);
  }
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.ok((await focusedText(page)).endsWith('Demo RMM'));
  // Without a session on rmm the demo answers with its login page: the origin is what counts.
  const rmm = new URL(moduleUrl('rmm')).origin;
  await Promise.all([
    page.waitForURL((url) => url.origin === rmm),
    page.keyboard.press('Enter'),
  ]);
  await page.close();
});

test('module credentials on rmm: the hub icon starts a hub login returning here', async () => {
  const { page, problems } = await open(`${moduleUrl('rmm')}/login`);
  await page.fill('#username', 'tech');
  await page.fill('#password', 'demo-tech');
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  await interactive(page);
  const here = page.url();
  assert.equal(new URL(here).origin, moduleUrl('rmm'));
  assert.notEqual(new URL(here).pathname, '/login', 'signed in with the module\'s own login');

  const link = page.locator('onegate-launcher a.hub');
  await assert.doesNotReject(link.waitFor());
  assert.equal(await link.getAttribute('aria-label'), 'Log in to KaseyaOne');
  assert.equal(await button(page).count(), 0, 'no waffle without a hub session');
  const expected = `${moduleUrl('rmm')}/.onegate/login?return_to=${encodeURIComponent(here)}`;
  assert.equal(await link.getAttribute('href'), expected);
  await widgetHasNoAxeViolations(page);
  await screenshot(page, 'launcher-gate-hub-icon');

  const started = page.waitForRequest((req) => req.url() === expected);
  await link.click();
  await started;
  await page.waitForURL((url) => url.origin === new URL(moduleUrl('rmm')).origin.replace('rmm.', ''),
    { timeout: 10_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

for (const module of ['psa', 'rmm']) {
  test(`${module} login page (unified login on): "Log In with KaseyaOne" next to the form`,
    async () => {
      const { page, problems } = await open(`${moduleUrl(module)}/login`);
      const link = page.locator('#onegate-login-choice onegate-launcher a.login');
      await assert.doesNotReject(link.waitFor());
      assert.equal(await link.textContent(), 'Log In with KaseyaOne');
      assert.equal(await link.isVisible(), true);
      const back = encodeURIComponent(`${moduleUrl(module)}/login`);
      assert.equal(await link.getAttribute('href'),
        `${moduleUrl(module)}/.onegate/login?return_to=${back}`);
      assert.equal(await page.locator('form input[type="password"]').isVisible(), true,
        'the module form stays');
      await widgetHasNoAxeViolations(page);
      if (module === 'psa') await screenshot(page, 'launcher-gate-login-choice');
      assert.deepEqual(problems, []);
      await page.close();
    });
}

test('legacy (unified login off): no login choice on its login page', async () => {
  const { page, problems } = await open(`${moduleUrl('legacy')}/login`);
  assert.equal(await page.locator('onegate-launcher a.login').count(), 0);
  assert.equal(await page.locator('onegate-launcher a.hub').count(), 0);
  assert.equal(await button(page).count(), 0);
  assert.equal(await page.locator('form input[type="password"]').isVisible(), true);
  await screenshot(page, 'launcher-gate-no-choice');
  assert.deepEqual(problems, []);
  await page.close();
});
