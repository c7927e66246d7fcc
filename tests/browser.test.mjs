// Browser test: headless Chromium (Debian's, through playwright-core) reaches the hub and a
// module host by name, as users will, and sees the Worker's answers.
//
// FIXME: assert the hub's sign-in page here (title, form, axe with `AxeBuilder` from
// @axe-core/playwright) once the hub serves one; today the hub routes are a stub.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
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
