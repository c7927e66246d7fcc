// The hub in headless Chromium: sign-in with password and TOTP, the portal's tiles, a tile
// opening its module already signed in (silently, through the gate and the hub's authorize
// endpoint), first sign-in with authenticator enrolment and recovery codes, and hub sign-out
// ending the module session; and the sign-in page styled under a policy without 'unsafe-inline'.
// Accounts: qa3 and new.hire. Screenshots: tests/screenshots/hub-*.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  HUB_URL, accessibleButtonNames, launchBrowser, moduleUrl, screenshot,
} from './harness.mjs';
import { ACCOUNTS, currentStep, totpAt } from './hub-helpers.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Signs in through the forms, with the TOTP code of the current step. */
async function signInWithForms(page, email) {
  const account = ACCOUNTS[email];
  await page.goto(HUB_URL);
  assert.equal(new URL(page.url()).pathname, '/signin');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/signin\/(totp|enrol)$/);
}

test('sign in with TOTP, see the tiles, open PSA signed in, sign out everywhere', { timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
  });

  await signInWithForms(page, 'qa3@acme.example');
  await screenshot(page, 'hub-totp');
  const secret = ACCOUNTS['qa3@acme.example'].totp_secret;
  await page.getByLabel('Code from your authenticator app').fill(totpAt(secret, currentStep()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(`${HUB_URL}/`);

  const tiles = page.locator('ul.tiles a.tile');
  assert.deepEqual(await tiles.evaluateAll((as) => as.map((a) => a.dataset.module)), ['psa', 'rmm']);
  assert.equal(
    (await tiles.first().getAttribute('href')).replaceAll('&#x2f;', '/'),
    `${moduleUrl('psa')}/.onegate/login?return_to=%2F`,
  );
  // Every part of the portal is a link away from the home page.
  const nav = page.getByRole('navigation', { name: 'Portal' });
  for (const name of ['Modules', 'Support', 'Subscriptions & billing', 'Insights']) {
    await nav.getByRole('link', { name }).waitFor();
  }
  assert.match(await page.locator('#security-summary').innerText(), /recovery codes? left|no recovery codes left/);
  await screenshot(page, 'hub-portal');

  // The tile opens the module through its gate; the hub session answers without a form.
  await tiles.first().click();
  await page.waitForURL((url) => url.origin === moduleUrl('psa') && !url.pathname.startsWith('/.onegate/'), { timeout: 30_000 });
  assert.equal(new URL(page.url()).origin, moduleUrl('psa'));
  await page.getByText('with hub login (through the gate)').waitFor({ timeout: 15_000 });
  // The waffle lives in the launcher's closed shadow root: its host element is what shows.
  await page.locator('onegate-launcher').first().waitFor({ state: 'attached', timeout: 15_000 });
  await page.waitForFunction(() =>
    performance.getEntriesByName('onegate-launcher:interactive').length > 0, null, { timeout: 15_000 });
  const buttons = await accessibleButtonNames(page);
  assert.ok(buttons.includes('Open My KaseyaOne'), `the waffle shows: ${buttons}`);
  await screenshot(page, 'hub-tile-psa');
  assert.deepEqual(cspErrors, []);

  // Hub sign-out; the gate re-checks the hub session (at most every 30 s) and lets go.
  await page.goto(HUB_URL);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${HUB_URL}/signin`);
  await sleep(31_000);
  await page.goto(`${moduleUrl('psa')}/`);
  await page.waitForLoadState('load');
  const url = new URL(page.url());
  const signedOutAtGate = url.origin === HUB_URL || url.pathname.includes('login');
  assert.ok(signedOutAtGate, `after hub sign-out the module page is not open: ${url}`);
  await screenshot(page, 'hub-after-signout');
  await context.close();
});

test('first sign-in enrols an authenticator and shows single-use recovery codes', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInWithForms(page, 'new.hire@acme.example');
  assert.equal(new URL(page.url()).pathname, '/signin/enrol');

  const secret = (await page.locator('#totp-secret').textContent()).trim();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const uri = await page.locator('#otpauth-uri').getAttribute('href');
  assert.ok(uri.startsWith('otpauth://totp/KaseyaOne:new.hire%40acme.example?secret='), uri);
  await screenshot(page, 'hub-enrol');

  await page.getByLabel('Six-digit code').fill(totpAt(secret, currentStep()));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  const codes = page.locator('#recovery-codes li');
  await codes.first().waitFor();
  assert.equal(await codes.count(), 10);
  assert.match(await codes.first().textContent(), /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  await screenshot(page, 'hub-recovery');

  await page.locator('#continue').click();
  await page.waitForURL(`${HUB_URL}/`);
  const tiles = page.locator('ul.tiles a.tile');
  assert.deepEqual(await tiles.evaluateAll((as) => as.map((a) => a.dataset.module)), ['psa']);
  assert.match(await page.locator('main').innerText(), /10 recovery codes left/);
  await context.close();
});

test("the sign-in page is styled under a policy without 'unsafe-inline'", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
  });
  const res = await page.goto(`${HUB_URL}/signin`);
  const csp = res.headers()['content-security-policy'];
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/]{43}=';/);
  const button = page.getByRole('button', { name: 'Continue' });
  const background = await button.evaluate((it) => getComputedStyle(it).backgroundColor);
  assert.equal(background, 'rgb(11, 87, 208)', "the page's style block applies (var(--accent))");
  assert.deepEqual(cspErrors, []);
  await context.close();
});
