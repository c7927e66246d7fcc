// Browser test: headless Chromium (Debian's, through playwright-core) reaches the hub and a
// module host by name, as users will, and sees the Worker's answers; the hub's sign-in page is
// labelled, accessible (axe) and runs under its Content Security Policy without a complaint.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { HUB_URL, launchBrowser, moduleUrl, screenshot } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const [url, site] of [
  [HUB_URL, 'hub'],
  [moduleUrl('psa'), 'psa'],
]) {
  test(`Chromium loads ${url}/healthz and sees the ${site} site`, async () => {
    const page = await browser.newPage();
    try {
      const res = await page.goto(`${url}/healthz`);
      assert.equal(res.status(), 200);
      const body = JSON.parse(await page.locator('body').innerText());
      assert.equal(body.ok, true);
      assert.equal(body.site, site);
      await screenshot(page, `healthz-${site}`);
    } finally {
      await page.close();
    }
  });
}

test('the hub sends a signed-out visitor to a labelled, accessible sign-in page', async () => {
  // axe needs a page of an explicit context.
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
  });
  try {
    await page.goto(HUB_URL);
    assert.equal(new URL(page.url()).pathname, '/signin');
    assert.equal(await page.title(), 'Sign in · KaseyaOne');
    await assert.doesNotReject(page.getByRole('heading', { name: 'Sign in to KaseyaOne' }).waitFor());
    assert.equal(await page.getByLabel('Email').getAttribute('autocomplete'), 'username');
    assert.equal(await page.getByLabel('Password').getAttribute('type'), 'password');
    // The email field has the focus, so a user can type at once.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');
    const axe = await new AxeBuilder({ page }).analyze();
    assert.deepEqual(axe.violations.map((it) => `${it.id}: ${it.nodes.map((n) => n.target)}`), []);
    assert.deepEqual(cspErrors, []);
    await screenshot(page, 'hub-signin');
  } finally {
    await context.close();
  }
});
