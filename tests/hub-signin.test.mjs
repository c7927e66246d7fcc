// Hub sign-in under attack and at its edges: parallel guessing of passwords and TOTP codes (the
// throttle counts atomically in D1), known and unknown emails answered alike through the lockout,
// a fresh authenticator secret per enrolment attempt, recovery codes end to end, forced
// re-authentication (prompt=login, max_age) with the sign-out after it, and the amr claim.
// Accounts qa7..qa12 and qa14 (edge/seed.sql), one per case. Needs a freshly seeded D1.
//
// Each throttling case sends its own CF-Connecting-IP (Cloudflare sets it in production;
// wrangler dev keeps one a client sends), so one case's failures never lock another's address.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { HUB_URL, fetchAs, moduleUrl } from './harness.mjs';
import {
  ACCOUNTS, Jar, authorizeUrl, currentStep, exchange, hub, pkce, postCode, postPassword, signIn,
  totpAt,
} from './hub-helpers.mjs';

const PSA_CALLBACK = `${moduleUrl('psa')}/.onegate/callback`;
const THROTTLED = /too many failed sign-in attempts; try again in 1[45] minute\(s\)/;

let lastAddress = 0;
/** Headers giving a request a client address of its own (TEST-NET-2). */
function ownAddress() {
  lastAddress += 1;
  return { 'cf-connecting-ip': `198.51.100.${lastAddress}` };
}

/** How many answers had each status: `{ 401: 5, 429: 15 }`. */
function tally(answers) {
  const counts = {};
  for (const res of answers) counts[res.status] = (counts[res.status] ?? 0) + 1;
  return counts;
}

function assertNoSession(res) {
  const set = res.headers.getSetCookie().filter((c) => c.startsWith('onegate_hub='));
  assert.deepEqual(set, [], 'no hub session cookie is set');
}

/** `count` six-digit codes that are wrong for `secret` now (none of the three accepted steps). */
function wrongCodes(secret, count) {
  const step = currentStep();
  const right = new Set([-1, 0, 1, 2].map((d) => totpAt(secret, step + d)));
  const codes = [];
  for (let n = 100_000; codes.length < count; n += 7_919) {
    const code = String(n % 1_000_000).padStart(6, '0');
    if (!right.has(code)) codes.push(code);
  }
  return codes;
}

/** The authenticator secret an enrolment page shows. */
async function shownSecret(res) {
  assert.equal(res.status, 200);
  const match = (await res.text()).match(/id="totp-secret">([A-Z2-7]+)</);
  assert.ok(match, 'the enrolment page shows a secret');
  return match[1];
}

/** Runs authorize (PSA) with `jar`'s session and exchanges the code: the decoded ID token. */
async function idTokenFor(jar, extra = '') {
  return (await tokensFor(jar, extra)).claims;
}

/** Like `idTokenFor`, with the access token too. */
async function tokensFor(jar, extra = '') {
  const { verifier, challenge } = pkce();
  const res = await hub(jar, `${authorizeUrl({ redirectUri: PSA_CALLBACK, challenge })}${extra}`);
  assert.equal(res.status, 303, await res.clone().text());
  const code = new URL(res.headers.get('location')).searchParams.get('code');
  assert.ok(code, `a code, not ${res.headers.get('location')}`);
  return exchangeCode(code, verifier);
}

async function codeToClaims(code, verifier) {
  return (await exchangeCode(code, verifier)).claims;
}

async function exchangeCode(code, verifier) {
  const res = await exchange({ code, redirectUri: PSA_CALLBACK, verifier });
  assert.equal(res.status, 200);
  const { id_token: idToken, access_token: accessToken } = await res.json();
  return { claims: JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url')), accessToken };
}

/** The status userinfo answers `accessToken` with: 200 while its hub session lives. */
async function userinfoStatus(accessToken) {
  const res = await fetchAs('localhost', '/oauth/userinfo', {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return res.status;
}

describe('throttling', () => {
  test('20 parallel wrong passwords: 5 are checked, 15 get 429 saying when to retry', async () => {
    const account = ACCOUNTS['qa7@acme.example'];
    const ip = ownAddress();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      postPassword(new Jar(), account.email, `wrong-password-${i}`, '/', ip)));
    assert.deepEqual(tally(answers), { 401: 5, 429: 15 });
    for (const res of answers.filter((r) => r.status === 429)) {
      assert.match(await res.text(), THROTTLED);
      assertNoSession(res);
    }

    const right = await postPassword(new Jar(), account.email, account.password, '/', ownAddress());
    assert.equal(right.status, 429, 'the right password from another address is refused too');
    assert.match(await right.text(), THROTTLED);
    assertNoSession(right);
  });

  test('one address: after 15 failures, 15 parallel attempts on other emails get 5 checked',
    async () => {
      // The first 15 go one by one so that each is a counted failure before the burst starts;
      // only the burst races. Local workerd runs every password hash on one thread, which is
      // why the dev profile optimises argon2 (see the root Cargo.toml): unoptimised, the burst's
      // queued hashes took long enough for the dev proxy to answer some of them 503.
      const ip = ownAddress();
      for (let i = 0; i < 15; i += 1) {
        const res = await postPassword(new Jar(), `nobody.${i}@one.example`, 'wrong-password', '/', ip);
        assert.equal(res.status, 401);
      }
      const answers = await Promise.all(Array.from({ length: 15 }, (_, i) =>
        postPassword(new Jar(), `nobody.${i}@burst.example`, 'wrong-password', '/', ip)));
      assert.deepEqual(tally(answers), { 401: 5, 429: 10 });
      const other = await postPassword(new Jar(), 'nobody@quiet.example', 'wrong', '/', ip);
      assert.equal(other.status, 429, 'the address is locked for every email');
    });

  test('20 parallel wrong TOTP codes after the right password: 5 are checked, then 429', async () => {
    const account = ACCOUNTS['qa9@acme.example'];
    const ip = ownAddress();
    const jar = new Jar();
    const first = await postPassword(jar, account.email, account.password, '/', ip);
    assert.equal(first.headers.get('location'), '/signin/totp');

    const answers = await Promise.all(wrongCodes(account.totp_secret, 20)
      .map((code) => postCode(jar, code, ip)));
    assert.deepEqual(tally(answers), { 401: 5, 429: 15 });
    for (const res of answers.filter((r) => r.status === 429)) {
      assert.match(await res.text(), THROTTLED);
      assertNoSession(res);
    }

    const right = await postCode(jar, totpAt(account.totp_secret, currentStep()), ip);
    assert.equal(right.status, 429, 'the right code is refused while the account is locked');
    assertNoSession(right);
  });

  test('a known and an unknown email get the same statuses and pages through the lockout', async () => {
    const run = async (email) => {
      const ip = ownAddress();
      const seen = [];
      for (let i = 0; i < 7; i += 1) {
        const res = await postPassword(new Jar(), email, `wrong-password-${i}`, '/', ip);
        seen.push([res.status, (await res.text()).replaceAll(email, '<email>')]);
      }
      return seen;
    };
    const known = await run('qa8@acme.example');
    const unknown = await run('nobody.qa8@acme.example');
    assert.deepEqual(known.map(([status]) => status), [401, 401, 401, 401, 401, 429, 429]);
    assert.match(known[6][1], THROTTLED);
    assert.deepEqual(unknown, known);

    const respelled = await postPassword(new Jar(), ' QA8@Acme.Example ',
      ACCOUNTS['qa8@acme.example'].password, '/', ownAddress());
    assert.equal(respelled.status, 429, 'another spelling of the address is the same key');
  });
});

describe('enrolment and recovery codes', () => {
  test('each enrolment attempt shows a fresh secret; the earlier one no longer confirms', async () => {
    const account = ACCOUNTS['qa11@acme.example'];
    const first = new Jar();
    const started = await postPassword(first, account.email, account.password, '/', ownAddress());
    assert.equal(started.headers.get('location'), '/signin/enrol');
    const firstSecret = await shownSecret(await hub(first, '/signin/enrol'));

    const second = new Jar();
    await postPassword(second, account.email, account.password, '/', ownAddress());
    const secondSecret = await shownSecret(await hub(second, '/signin/enrol'));
    assert.notEqual(secondSecret, firstSecret);

    const peek = await hub(first.copy(), '/signin/enrol');
    assert.equal(peek.status, 409, 'the earlier sign-in cannot see the new secret');
    const peeked = await peek.text();
    assert.doesNotMatch(peeked, new RegExp(secondSecret));
    assert.match(peeked, /a newer sign-in to this account replaced this set-up; sign in again/);
    assert.match(peeked, /totp_enrolment_superseded/);

    const code = (secret) => new URLSearchParams({ code: totpAt(secret, currentStep()) });
    const stale = await hub(first, '/signin/enrol', { method: 'POST', body: code(firstSecret) });
    assert.equal(stale.status, 409, 'the earlier secret does not confirm');
    assertNoSession(stale);

    const confirmed = await hub(second, '/signin/enrol', { method: 'POST', body: code(secondSecret) });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /Save your recovery codes/);

    const later = new Jar();
    await postPassword(later, account.email, account.password, '/', ownAddress());
    const wrongApp = await postCode(later, totpAt(firstSecret, currentStep() + 1));
    assert.equal(wrongApp.status, 401, 'an authenticator holding the earlier secret is useless');
    assertNoSession(wrongApp);
  });

  test('a recovery code signs in once (amr pwd mfa); reusing it is a clear 401', async () => {
    const account = ACCOUNTS['qa12@acme.example'];
    const enrolling = new Jar();
    await postPassword(enrolling, account.email, account.password, '/', ownAddress());
    const secret = await shownSecret(await hub(enrolling, '/signin/enrol'));
    const body = new URLSearchParams({ code: totpAt(secret, currentStep()) });
    const page = await hub(enrolling, '/signin/enrol', { method: 'POST', body });
    assert.equal(page.status, 200);
    const codes = [...(await page.text()).matchAll(/<li>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})<\/li>/g)]
      .map((m) => m[1]);
    assert.equal(codes.length, 10);
    assert.deepEqual((await idTokenFor(enrolling)).amr, ['pwd', 'otp', 'mfa'],
      'enrolment confirmed with a TOTP code');

    const ip = ownAddress();
    const recovering = new Jar();
    await postPassword(recovering, account.email, account.password, '/', ip);
    const used = await postCode(recovering, codes[0], ip);
    assert.equal(used.status, 303);
    assert.equal(used.headers.get('location'), '/');
    const home = await hub(recovering, '/');
    assert.equal(home.status, 200);
    assert.match(await home.text(), /9 recovery codes left/);
    assert.deepEqual((await idTokenFor(recovering)).amr, ['pwd', 'mfa'],
      'a recovery code is not claimed as otp');

    const again = new Jar();
    await postPassword(again, account.email, account.password, '/', ip);
    const reused = await postCode(again, codes[0], ip);
    assert.equal(reused.status, 401);
    assert.match(await reused.text(), /this recovery code is not valid or was already used/);
    assertNoSession(reused);

    const typed = codes[1].toUpperCase().replaceAll('-', ' ');
    assert.equal((await postCode(again, typed, ip)).status, 303, 'case and separators do not matter');
  });
});

describe('forced re-authentication', () => {
  const account = ACCOUNTS['qa10@acme.example'];
  /** qa10's session, signed in at the current step. */
  let jar;
  before(async () => {
    jar = await signIn(account.email);
  });

  test('max_age: an older session signs in again, a younger one answers at once', async () => {
    await sleep(1_100);
    const { challenge } = pkce();
    const base = authorizeUrl({ redirectUri: PSA_CALLBACK, challenge, state: 'aged' });

    const old = await hub(jar, `${base}&max_age=0`);
    assert.equal(old.status, 303);
    const to = new URL(old.headers.get('location'), HUB_URL);
    assert.equal(to.pathname, '/signin');
    assert.equal(to.searchParams.get('prompt'), 'login');
    assert.equal(to.searchParams.get('return_to'), base, 'back to the request without max_age');

    assert.ok((await idTokenFor(jar, '&max_age=3600')).auth_time, 'a young enough session answers');

    const silent = await hub(jar, `${base}&max_age=0&prompt=none`);
    assert.equal(silent.status, 303);
    const answer = new URL(silent.headers.get('location'));
    assert.equal(`${answer.origin}${answer.pathname}`, PSA_CALLBACK);
    assert.equal(answer.searchParams.get('error'), 'login_required');
    assert.equal(answer.searchParams.get('state'), 'aged');
    assert.equal(answer.searchParams.get('code'), null);

    for (const [extra, message] of [
      ['&max_age=soon', /max_age must be a whole number of seconds/],
      ['&prompt=none%20login', /prompt=none cannot be combined/],
    ]) {
      const refused = await hub(jar, `${base}${extra}`);
      assert.equal(refused.status, 400, extra);
      assert.match(await refused.text(), message);
    }
  });

  test('prompt=login with a live session asks for the password and TOTP again', async () => {
    const earlier = await idTokenFor(jar);
    await sleep(1_100);
    const { verifier, challenge } = pkce();
    const url = `${authorizeUrl({ redirectUri: PSA_CALLBACK, challenge, state: 'again' })}&prompt=login`;
    const res = await hub(jar, url);
    assert.equal(res.status, 303);
    const to = new URL(res.headers.get('location'), HUB_URL);
    assert.equal(to.pathname, '/signin', 'no code from the existing session');
    const back = to.searchParams.get('return_to');
    assert.doesNotMatch(back, /prompt=/);

    const form = await hub(jar, `${to.pathname}${to.search}`);
    assert.equal(form.status, 200, 'the form shows although the session is live');
    assert.match(await form.text(), /asks you to sign in again/);
    assert.equal((await postPassword(jar, account.email, account.password, back)).status, 303);
    const done = await postCode(jar, totpAt(account.totp_secret, currentStep() + 1));
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), back);

    const issued = await hub(jar, back);
    assert.equal(issued.status, 303);
    const callback = new URL(issued.headers.get('location'));
    assert.equal(callback.searchParams.get('state'), 'again');
    const after = await codeToClaims(callback.searchParams.get('code'), verifier);
    assert.ok(after.auth_time > earlier.auth_time, `${after.auth_time} > ${earlier.auth_time}`);
    assert.notEqual(after.sid, earlier.sid, 'a new hub session');
  });

  test('signing out after a forced sign-in also ends the session it replaced', async () => {
    // The module sessions opened before the fresh sign-in live in the same browser, under the
    // old hub session; the sign-out must end them too.
    const other = ACCOUNTS['qa14@acme.example'];
    const browser = await signIn(other.email);
    const first = await tokensFor(browser);
    assert.equal((await postPassword(browser, other.email, other.password, '/')).status, 303);
    const again = await postCode(browser, totpAt(other.totp_secret, currentStep() + 1));
    assert.equal(again.status, 303);
    const second = await tokensFor(browser);
    assert.notEqual(second.claims.sid, first.claims.sid, 'a new hub session');
    assert.equal(await userinfoStatus(first.accessToken), 200,
      'until sign-out, the replaced session still serves what was opened under it');
    assert.equal(await userinfoStatus(second.accessToken), 200);

    const out = await hub(browser, '/signout', { method: 'POST', body: new URLSearchParams() });
    assert.equal(out.status, 303);
    assert.equal(await userinfoStatus(second.accessToken), 401, 'the current session ended');
    assert.equal(await userinfoStatus(first.accessToken), 401, 'and so did the one it replaced');
  });
});
