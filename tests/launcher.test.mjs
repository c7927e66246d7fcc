// The launcher widget end to end in headless Chromium (playwright-core), on fixture module pages
// served by tests/fixtures/launcher/server.mjs with the built package (web/pkg) under /.onegate/
// and a strict CSP. Needs `node web/build.mjs` (or `cargo xtask build`) first; needs no gate.
//
// The widget's shadow root is closed, which Playwright and axe cannot look into. The "inspect"
// context therefore opens every shadow root (an init script patches attachShadow) to check
// the DOM and run axe; the "shipped" context leaves the widget exactly as it ships and checks it
// from outside: what page scripts see, and what the keyboard and mouse do.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, screenshot } from './harness.mjs';
import { startLauncherServer, HOSTILE_NAME } from './fixtures/launcher/server.mjs';

let server;
let browser;
let inspect;
let shipped;

const OPEN_SHADOW_ROOTS = () => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, { ...init, mode: 'open' });
  };
};

before(async () => {
  assert.ok(
    existsSync(new URL('../web/pkg/launcher.js', import.meta.url)),
    'web/pkg is missing: build it with `node web/build.mjs` (or `cargo xtask build`)',
  );
  server = await startLauncherServer();
  browser = await launchBrowser();
  const viewport = { width: 1000, height: 640 };
  inspect = await browser.newContext({ viewport });
  await inspect.addInitScript(OPEN_SHADOW_ROOTS);
  shipped = await browser.newContext({ viewport });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path` in `context`, collecting console errors, and waits for the launcher. */
async function open(context, path) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  await page.goto(`${server.origin}${path}`);
  await page.waitForFunction(() => performance.getEntriesByName('onegate-launcher:interactive')
    .length > 0);
  return { page, problems };
}

/** Problems other than the CSP refusing the fixture's deliberate inline script. */
function unexpected(problems) {
  return problems.filter((it) => !/inline script/i.test(it));
}

const button = (page) => page.locator('onegate-launcher button[aria-haspopup="menu"]');
const menu = (page) => page.locator('onegate-launcher [role="menu"]');
const items = (page) => page.locator('onegate-launcher [role="menuitem"]');
const focusedText = (page) => page.evaluate(() => {
  const host = document.activeElement;
  return host?.shadowRoot?.activeElement?.textContent ?? `(${host?.tagName})`;
});

async function noAxeViolations(page) {
  const result = await new AxeBuilder({ page }).analyze();
  const found = result.violations.map((it) => `${it.id}: ${it.nodes.map((n) => n.target)}`);
  assert.deepEqual(found, []);
  return result;
}

describe('waffle (signed in through the hub)', () => {
  test('closed: a menu button at the top right, axe clean', async () => {
    const { page, problems } = await open(inspect, '/psa/');
    await assert.doesNotReject(button(page).waitFor());
    assert.equal(await button(page).getAttribute('aria-expanded'), 'false');
    assert.equal(await button(page).getAttribute('aria-controls'), 'onegate-menu');
    assert.equal(await button(page).getAttribute('aria-label'), 'Open My KaseyaOne');
    assert.equal(await menu(page).isVisible(), false);
    const box = await button(page).boundingBox();
    assert.ok(box.x > 900 && box.y < 52, `top right, got ${JSON.stringify(box)}`);
    await noAxeViolations(page);
    await screenshot(page, 'launcher-waffle-closed');
    assert.deepEqual(unexpected(problems), []);
    await page.close();
  });

  test('open: the My KaseyaOne menu with the current module marked, axe clean', async () => {
    const { page } = await open(inspect, '/psa/');
    await button(page).click();
    assert.equal(await button(page).getAttribute('aria-expanded'), 'true');
    assert.equal(await menu(page).isVisible(), true);
    const names = await items(page).allTextContents();
    assert.deepEqual(names, ['My KaseyaOne', 'PPSA', 'RMM', `<${HOSTILE_NAME}`]);
    assert.equal(await page.locator('onegate-launcher [aria-current]').getAttribute('href'),
      `${server.origin}/psa/`);
    assert.equal(await page.locator('onegate-launcher [data-module="rmm"] img').isVisible(), true);
    assert.equal(await focusedText(page), 'My KaseyaOne', 'opening focuses the first item');
    await noAxeViolations(page);
    await screenshot(page, 'launcher-waffle-open');
    await page.close();
  });

  test('keyboard: the WAI-ARIA menu button pattern', async () => {
    const { page } = await open(inspect, '/psa/');
    await button(page).focus();
    const steps = [
      ['Enter', 'true', 'My KaseyaOne'],
      ['ArrowDown', 'true', 'PPSA'],
      ['ArrowDown', 'true', 'RMM'],
      ['End', 'true', `<${HOSTILE_NAME}`],
      ['ArrowDown', 'true', 'My KaseyaOne'],
      ['ArrowUp', 'true', `<${HOSTILE_NAME}`],
      ['Home', 'true', 'My KaseyaOne'],
      ['Escape', 'false', ''],
      [' ', 'true', 'My KaseyaOne'],
      ['Escape', 'false', ''],
      ['ArrowUp', 'true', `<${HOSTILE_NAME}`],
      ['Escape', 'false', ''],
      ['ArrowDown', 'true', 'My KaseyaOne'],
    ];
    for (const [key, expanded, focus] of steps) {
      await page.keyboard.press(key === ' ' ? 'Space' : key);
      assert.equal(await button(page).getAttribute('aria-expanded'), expanded, `after ${key}`);
      const expected = focus || '';
      assert.equal(await focusedText(page), expected, `focus after ${key}`);
    }
    await page.keyboard.press('Tab');
    assert.equal(await button(page).getAttribute('aria-expanded'), 'false', 'Tab closes');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'after',
      'Tab moves on to the next thing on the page');
    await page.close();
  });

  test('a click outside closes; Enter on an item opens that module', async () => {
    const { page } = await open(inspect, '/psa/');
    await button(page).click();
    await page.mouse.click(300, 400);
    assert.equal(await button(page).getAttribute('aria-expanded'), 'false');
    assert.equal(await menu(page).isVisible(), false);

    await button(page).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(`${server.origin}/rmm/`), page.keyboard.press('Enter')]);
    await page.close();
  });

  test('names with markup show as text and nothing runs, also without a CSP', async () => {
    // /psa/no-csp has no policy, so only the widget's use of text (never HTML) stops the
    // name's onerror handler.
    for (const path of ['/psa/', '/psa/no-csp']) {
      const { page } = await open(inspect, path);
      await button(page).click();
      const docs = page.locator('onegate-launcher [data-module="docs"] .name');
      assert.equal(await docs.textContent(), HOSTILE_NAME, path);
      assert.equal(await page.locator('onegate-launcher [data-module="docs"] b').count(), 0, path);
      assert.equal(await page.locator('onegate-launcher [data-module="docs"] img').count(), 0, path);
      assert.equal(await page.evaluate(() => window.__owned), undefined, path);
      if (path === '/psa/no-csp') {
        // The control: the same markup parsed as HTML on this page does run.
        await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), HOSTILE_NAME);
        await page.waitForFunction(() => window.__owned === 1);
      }
      await page.close();
    }
  });
});

describe('hub icon and login choice', () => {
  test('module credentials: the hub icon starts a hub login returning here', async () => {
    const { page, problems } = await open(inspect, '/psa/classic');
    const link = page.locator('onegate-launcher a.hub');
    assert.equal(await link.getAttribute('aria-label'), 'Log in to KaseyaOne');
    await noAxeViolations(page);
    await screenshot(page, 'launcher-hub-icon');
    const back = encodeURIComponent(`${server.origin}/psa/classic`);
    await Promise.all([
      page.waitForURL(`${server.origin}/.onegate/login?return_to=${back}`),
      link.click(),
    ]);
    assert.deepEqual(unexpected(problems), []);
    await page.close();
  });

  test('login page: "Log In with KaseyaOne" next to the form', async () => {
    const { page } = await open(inspect, '/psa/login');
    const link = page.locator('#onegate-login-choice onegate-launcher a.login');
    assert.equal(await link.textContent(), 'Log In with KaseyaOne');
    assert.equal(await link.isVisible(), true);
    await noAxeViolations(page);
    await screenshot(page, 'launcher-login-choice');
    await page.close();
  });

  test('a page without a placeholder gets the launcher floating at the top right', async () => {
    const { page } = await open(inspect, '/bare/');
    const box = await button(page).boundingBox();
    assert.ok(box.x > 900 && box.y < 20, `top right, got ${JSON.stringify(box)}`);
    assert.equal(await page.locator('onegate-launcher').evaluate(
      (it) => getComputedStyle(it).position), 'fixed');
    await page.close();
  });
});

describe('as shipped, on a hostile page', () => {
  test('page scripts cannot read the closed shadow root', async () => {
    const { page, problems } = await open(shipped, '/hostile/');
    await page.waitForFunction(() => window.__hostileReport);
    assert.deepEqual(await page.evaluate(() => window.__hostileReport),
      { hostFound: true, shadowRoot: null, reattach: 'NotSupportedError', buttons: 0 });
    assert.equal(await page.evaluate(() => window.__inlineRan), undefined,
      'the CSP is in force: the inline script did not run');
    assert.deepEqual(unexpected(problems), [], 'the launcher needs nothing the CSP refuses');
    await page.close();
  });

  test('reset CSS and an overlay: the keyboard still opens the menu and follows a link',
    async () => {
      const { page } = await open(shipped, '/hostile/');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.tagName), 'ONEGATE-LAUNCHER');
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowDown');
      await Promise.all([page.waitForURL(`${server.origin}/psa/`), page.keyboard.press('Enter')]);
      await page.close();
    });

  test('the open menu sits above the overlay, keeps its own styles and takes clicks',
    async () => {
      const { page } = await open(inspect, '/hostile/');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      const styles = await button(page).evaluate((it) => {
        const css = getComputedStyle(it);
        return { width: css.width, height: css.height, cursor: css.cursor };
      });
      assert.deepEqual(styles, { width: '36px', height: '36px', cursor: 'pointer' });
      const name = page.locator('onegate-launcher [data-module="docs"] .name');
      assert.equal(await name.evaluate((it) => getComputedStyle(it).fontFamily.includes('Comic')),
        false, 'page fonts do not reach inside');
      const item = page.locator('onegate-launcher [data-module="rmm"]');
      const box = await item.boundingBox();
      const topmost = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.tagName,
        [box.x + box.width / 2, box.y + box.height / 2]);
      assert.ok(box.x >= 0 && box.y >= 0, `inside the viewport: ${JSON.stringify(box)}`);
      assert.equal(topmost, 'ONEGATE-LAUNCHER', 'the menu is above the overlay');
      await screenshot(page, 'launcher-hostile-open');
      await Promise.all([page.waitForURL(`${server.origin}/rmm/`), item.click()]);
      await page.close();
    });
});
