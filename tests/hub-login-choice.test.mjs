// "Log In with KaseyaOne" end to end in headless Chromium, as a user makes the round trip: a deep
// page of the demo RMM (unified login on, hub login not required) while signed out -> the
// module's login page -> the login choice -> the hub's password + TOTP forms -> back on the
// exact page (path and query) signed in through the hub, with the waffle. Then the silent
// variant (a hub session already exists: no form), and sign-out: the gate's sign-out page
// offers hub sign-out, and hub sign-out ends the module session.
//
// The launcher's shadow root stays closed here (no init script opens it): the login choice is
// reached with the keyboard, and its accessible name is read from Chromium's accessibility tree
// (CDP), which sees into closed roots as assistive technology does.
//
// Accounts (edge/seed.sql): operator.one and operator.two, hub users whose emails match demo RMM
// accounts. Screenshots: tests/screenshots/hub-login-choice-*.png.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  HUB_URL, accessibleButtonNames, launchBrowser, moduleUrl, screenshot,
} from './harness.mjs';
import { ACCOUNTS, currentStep, signIn, totpAt } from './hub-helpers.mjs';

const RMM = moduleUrl('rmm');
/** A page of the RMM with a query string, the place the user starts from. */
const DEEP = `${RMM}/?view=devices&sort=last_seen%20desc&q=srv-dc01`;

let browser;
/** operator.two's hub session (one TOTP sign-in, shared by the silent and sign-out cases). */
let operatorTwo;
before(async () => {
  browser = await launchBrowser();
  operatorTwo = await signIn('operator.two@acme.example');
});

/** Puts operator.two's hub session cookies into `context`, as after a hub sign-in. */
function withHubSession(context) {
  return context.addCookies([...operatorTwo.cookies].map(([name, value]) =>
    ({ name, value, url: `${HUB_URL}/` })));
}
after(async () => {
  await browser?.close();
});

/** A fresh context and page that record CSP complaints and failed page loads. */
async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused/i.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return { context, page, problems };
}

/** Waits until the launcher on the page rendered (its script marks itself interactive). */
function launcherReady(page) {
  return page.waitForFunction(
    () => performance.getEntriesByName('onegate-launcher:interactive').length > 0,
    null,
    { timeout: 15_000 },
  );
}

/** The focused node of Chromium's accessibility tree (closed shadow roots included). */
async function focusedAxNode(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  // The document itself counts as focused too; the innermost focused node is the element.
  const focused = nodes.findLast((node) => node.role?.value !== 'RootWebArea'
    && node.properties?.some((p) => p.name === 'focused' && p.value?.value === true));
  return focused && { role: focused.role?.value, name: focused.name?.value };
}

/** Tabs until focus is inside the launcher's host element, then returns the focused AX node. */
async function tabToLoginChoice(page) {
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('Tab');
    const tag = await page.evaluate(() => document.activeElement?.tagName);
    if (tag === 'ONEGATE-LAUNCHER') return focusedAxNode(page);
  }
  assert.fail('the keyboard never reached the login choice');
}

/** Fills the hub's password form and then the TOTP form for `email`. */
async function hubForms(page, email) {
  const account = ACCOUNTS[email];
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${HUB_URL}/signin/totp`);
  await screenshot(page, 'hub-login-choice-totp');
  await page.getByLabel('Code from your authenticator app')
    .fill(totpAt(account.totp_secret, currentStep()));
  await page.getByRole('button', { name: 'Verify' }).click();
}

/** Signed in through the hub on the RMM page now shown: the demo says so, the waffle shows. */
async function assertSignedInThroughHub(page, username) {
  const text = await page.locator('main').innerText();
  assert.match(text, new RegExp(`Signed in as ${username.replace('.', '\\.')} `));
  assert.match(text, /with hub login \(through the gate\)/);
  await launcherReady(page);
  // The waffle lives in the closed root: its button is in the accessibility tree.
  const names = await accessibleButtonNames(page);
  assert.ok(names.includes('Open My KaseyaOne'), `no waffle among buttons ${names}`);
}

test('signed out on a deep RMM page -> login choice -> hub password + TOTP -> that page',
  { timeout: 90_000 }, async () => {
    const { context, page, problems } = await freshPage();
    await page.goto(DEEP);
    const login = new URL(page.url());
    assert.equal(login.origin, RMM);
    assert.equal(login.pathname, '/login', 'the module sends a signed-out visitor to its login');
    assert.equal(await page.locator('form input[type="password"]').isVisible(), true);
    await launcherReady(page);
    await screenshot(page, 'hub-login-choice-login-page');

    const focused = await tabToLoginChoice(page);
    assert.deepEqual(focused, { role: 'link', name: 'Log In with KaseyaOne' });
    const leaving = page.waitForRequest((req) => req.url().startsWith(`${RMM}/.onegate/login?`));
    await page.keyboard.press('Enter');
    const start = new URL((await leaving).url());
    assert.equal(start.searchParams.get('return_to'), DEEP,
      'the login choice carries the page the user started from, not the login page');

    await page.waitForURL((url) => url.origin === HUB_URL && url.pathname === '/signin');
    await screenshot(page, 'hub-login-choice-hub-signin');
    await hubForms(page, 'operator.one@acme.example');

    await page.waitForURL((url) => url.origin === RMM && !url.pathname.startsWith('/.onegate/'),
      { timeout: 30_000 });
    assert.equal(page.url(), DEEP, 'back on the exact page: path and query');
    await assertSignedInThroughHub(page, 'operator.one');
    await screenshot(page, 'hub-login-choice-back');
    assert.deepEqual(problems, []);
    await context.close();
  });

test('with a hub session the login choice signs in silently: no form, same page',
  { timeout: 60_000 }, async () => {
    const { context, page, problems } = await freshPage();
    await withHubSession(context);

    const hubPages = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && new URL(frame.url()).origin === HUB_URL) {
        hubPages.push(new URL(frame.url()).pathname);
      }
    });
    await page.goto(DEEP);
    assert.equal(new URL(page.url()).pathname, '/login', 'no module session yet');
    await launcherReady(page);
    const focused = await tabToLoginChoice(page);
    assert.equal(focused?.name, 'Log In with KaseyaOne');
    await page.keyboard.press('Enter');
    await page.waitForURL(DEEP, { timeout: 30_000 });
    assert.equal(page.url(), DEEP);
    assert.ok(hubPages.every((path) => !path.startsWith('/signin')),
      `no sign-in form on the way: ${hubPages}`);
    await assertSignedInThroughHub(page, 'operator.two');
    await screenshot(page, 'hub-login-choice-silent');
    assert.deepEqual(problems, []);
    await context.close();
  });

test('after a hub sign-in, the module sign-out offers hub sign-out, which ends the session',
  { timeout: 90_000 }, async () => {
    const { context, page } = await freshPage();
    await withHubSession(context);
    await page.goto(`${RMM}/.onegate/login?return_to=${encodeURIComponent(DEEP)}`);
    await page.waitForURL(DEEP, { timeout: 30_000 });
    await assertSignedInThroughHub(page, 'operator.two');
    const gateCookies = (await context.cookies(RMM)).filter((it) => it.name.includes('onegate'));
    assert.ok(gateCookies.length > 0, 'a gate session cookie');

    // The module's own Sign out button: the gate answers with its sign-out page.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${RMM}/.onegate/logout`);
    await page.getByRole('heading', { name: 'Signed out' }).waitFor();
    const sessionLeft = (await context.cookies(RMM)).filter((it) => it.name === 'onegate');
    assert.deepEqual(sessionLeft, [], 'the module sign-out ended the gate session');
    const hubSignOut = page.getByRole('link', { name: 'Sign out of KaseyaOne too' });
    assert.equal(await hubSignOut.getAttribute('href'), `${HUB_URL}/oauth/logout`);
    await screenshot(page, 'hub-login-choice-module-signout');

    // The hub asks before it signs out (a link from elsewhere must not sign anyone out).
    await hubSignOut.click();
    await page.getByRole('heading', { name: 'Sign out of KaseyaOne?' }).waitFor();
    await screenshot(page, 'hub-login-choice-hub-signout');
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
    await screenshot(page, 'hub-login-choice-hub-signed-out');
    // Hub sign-out: the hub session is gone, and so is the module's (checked within 30 s).
    await page.goto(HUB_URL);
    assert.equal(new URL(page.url()).pathname, '/signin', 'the hub asks for a sign-in again');
    await page.goto(DEEP);
    assert.equal(new URL(page.url()).pathname, '/login', 'signed out of the module');
    // A copy of the gate session kept elsewhere (another tab, a stolen cookie) stops working
    // too: the gate re-checks the hub session at most every 30 s.
    await context.addCookies(gateCookies);
    await sleep(31_000);
    await page.goto(DEEP);
    assert.equal(new URL(page.url()).pathname, '/login', 'the hub sign-out ended the session');
    await screenshot(page, 'hub-login-choice-after-signout');
    await context.close();
  });
