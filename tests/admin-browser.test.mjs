// The module settings screen in headless Chromium: a tenant admin signs in through the hub's
// forms and lands on the screen, reorders an access group with the plain-form buttons, saves a
// default, sees core's message for a refused change, and a signed-in non-admin is refused with
// a 403 page. No script runs (CSP without inline scripts): every control is a form post.
// Accounts: admin.browser@acme.example and viewer.browser@acme.example (edge/seed.sql, admin
// section). Module: `admb`. Screenshot: tests/screenshots/admin-settings.png.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_URL, launchBrowser, screenshot } from './harness.mjs';
import { currentStep, totpAt } from './hub-helpers.mjs';

const PASSWORD = 'hub-qa-tester-2026';
const ADMIN = { email: 'admin.browser@acme.example', totp: 'DT4Y236Q4A65NJJMG7A4732BHG567N7I' };
const VIEWER = { email: 'viewer.browser@acme.example', totp: 'Y2PFUHGJQCNM3PNYMRV7TN7AQGCTNWYK' };
const SETTINGS = `${HUB_URL}/admin/modules/admb/settings`;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Opens `url` signed out, signs in through the hub's forms and waits to be sent back. */
async function signInTo(page, url, account) {
  await page.goto(url);
  assert.equal(new URL(page.url()).pathname, '/signin');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/signin\/totp$/);
  await page.getByLabel('Code from your authenticator app').fill(totpAt(account.totp, currentStep()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(url);
}

const groupOrder = (page) =>
  page.locator('#groups tbody tr[data-group]').evaluateAll((rows) => rows.map((r) => r.dataset.group));

test('a tenant admin views, reorders, saves and sees a refusal with core\'s message', { timeout: 120_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspErrors.push(msg.text());
  });

  await signInTo(page, SETTINGS, ADMIN);
  await page.getByRole('heading', { name: 'Unified login' }).waitFor();
  assert.ok(await page.getByRole('checkbox', { name: /^Unified login/ }).isChecked());
  assert.equal(await page.getByLabel('Default security level').inputValue(), '3');
  await page.locator('#advice').getByText('use a low security level as the default').waitFor();
  await page.locator('#exceptions').getByText('implicit: license type Contractor cannot use hub login').waitFor();
  await page.locator('#levels').getByText('inactive').waitFor();
  await screenshot(page, 'admin-settings');

  // Move Technician below Manager with the plain form button.
  assert.deepEqual(await groupOrder(page), ['g_tech', 'g_manager', 'g_sales']);
  await page.getByRole('button', { name: 'Move Technician down' }).click();
  await page.waitForURL(/\/admin\/modules\/admb\/settings#access-groups$/);
  assert.deepEqual(await groupOrder(page), ['g_manager', 'g_tech', 'g_sales']);
  assert.match(await page.locator('#groups tr[data-group="g_tech"]').innerText(), /maps to security level “Technician”/);

  // Save the lowest level as the default: the advice goes away.
  await page.getByLabel('Default security level').selectOption({ label: 'Dashboard' });
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForURL(SETTINGS);
  assert.equal(await page.getByLabel('Default security level').inputValue(), '5');
  assert.equal(await page.locator('#advice').count(), 0);

  // Require hub login without unified login: core's message, status 422, nothing saved.
  await page.getByRole('checkbox', { name: /^Unified login/ }).uncheck();
  await page.getByRole('checkbox', { name: /^Require hub login/ }).check();
  const [response] = await Promise.all([
    page.waitForResponse((res) => res.request().method() === 'POST'),
    page.getByRole('button', { name: 'Save settings' }).click(),
  ]);
  assert.equal(response.status(), 422);
  await page.locator('#error').getByText('require hub login can only be turned on while unified login is on').waitFor();
  await screenshot(page, 'admin-settings-refused');
  await page.goto(SETTINGS);
  assert.ok(await page.getByRole('checkbox', { name: /^Unified login/ }).isChecked(), 'the refused change was not stored');
  assert.equal(await page.getByRole('checkbox', { name: /^Require hub login/ }).isChecked(), false);

  // The audit log lists this admin's changes, newest first: the refusal with its code, then the
  // saved default.
  await page.getByRole('link', { name: 'Audit log' }).click();
  const rows = page.locator('#audit tbody tr[data-module="admb"][data-actor="u_adm_browser"]');
  assert.ok((await rows.count()) >= 3);
  assert.equal(await rows.first().getAttribute('data-outcome'), 'refused');
  assert.match(await rows.first().innerText(), /require_hub_login_needs_unified_login/);
  assert.match(await rows.nth(1).innerText(), /changed: defaults\.security_level/);
  assert.deepEqual(cspErrors, []);
  await context.close();
});

test('a signed-in user who is not an admin is refused', { timeout: 60_000 }, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(SETTINGS);
  await page.getByLabel('Email').fill(VIEWER.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/signin\/totp$/);
  await page.getByLabel('Code from your authenticator app').fill(totpAt(VIEWER.totp, currentStep()));
  const [response] = await Promise.all([
    page.waitForResponse((res) => res.url() === SETTINGS),
    page.getByRole('button', { name: 'Verify' }).click(),
  ]);
  assert.equal(response.status(), 403);
  await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  await page.getByText('only an admin of your account may see or change module settings').waitFor();
  assert.equal(await page.locator('form#settings').count(), 0);
  await screenshot(page, 'admin-settings-refused-non-admin');
  await context.close();
});
