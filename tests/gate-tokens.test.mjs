// Hub token negatives through the real gate: every bad token is refused with 401 and a fresh
// start, never a 5xx, and no session is set. Also the key cache: tenant Globex's hub JWKS URL
// is unreachable, so its cached key keeps working and any other key fails closed; key rotation
// (a token of the previous, still published hub key verifies); and the callback's state check
// with a real login cookie and a real code (hub account qa13).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { HUB_URL, fetchAs } from './harness.mjs';
import {
  DEV_KID, PREVIOUS_KID, b64u, cookiePair, hubClaims, hubKey, hubToken, jws, now,
  previousHubKey, setCookies, signIn,
} from './gate-helpers.mjs';
import { hub, signIn as signInToHub } from './hub-helpers.mjs';

const EMAIL = 'tech@acme.example';
const header = (extra = {}) => ({ alg: 'EdDSA', kid: DEV_KID, typ: 'at+jwt', ...extra });
const claims = (extra = {}) => hubClaims('rmm', EMAIL, extra);
const publicPem = crypto.createPublicKey(hubKey).export({ format: 'pem', type: 'spki' });
const hmacWithPublicKey = (input) =>
  crypto.createHmac('sha256', publicPem).update(input).digest();
const other = crypto.generateKeyPairSync('ed25519').privateKey;
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

function tampered() {
  const [h, , s] = hubToken('rmm', EMAIL).split('.');
  return `${h}.${b64u(JSON.stringify(claims({ sub: 'hub-admin' })))}.${s}`;
}

const negatives = [
  ['alg none', 'token_algorithm_mismatch', () => `${b64u(JSON.stringify(header({ alg: 'none' })))}.${b64u(JSON.stringify(claims()))}.`],
  ['HS256 signed with the public key', 'token_algorithm_mismatch', () => jws(header({ alg: 'HS256' }), claims(), { sign: hmacWithPublicKey })],
  ['RS256 header on the EdDSA key', 'token_algorithm_mismatch', () => jws(header({ alg: 'RS256' }), claims(), {
    sign: (i) => crypto.sign('sha256', Buffer.from(i), rsa) })],
  ['ES256 header on the EdDSA key', 'token_algorithm_mismatch', () => jws(header({ alg: 'ES256' }), claims(), {
    sign: (i) => crypto.sign('sha256', Buffer.from(i), { key: ec, dsaEncoding: 'ieee-p1363' }) })],
  ['expired', 'token_expired', () => jws(header(), claims({ iat: now() - 900, exp: now() - 120 }))],
  ['not yet valid', 'token_not_yet_valid', () => jws(header(), claims({ nbf: now() + 600 }))],
  ['wrong audience', 'token_audience_mismatch', () => jws(header(), claims({ aud: 'psa' }))],
  ['wrong issuer', 'token_issuer_mismatch', () => jws(header(), claims({ iss: 'http://evil.example' }))],
  ['issuer with a trailing slash', 'token_issuer_mismatch', () => jws(header(), claims({ iss: `${HUB_URL}/` }))],
  ['crit header', 'token_critical_header', () => jws(header({ crit: ['exp'] }), claims())],
  ['embedded jwk of the attacker', 'token_key_unknown', () => jws(header({ kid: 'attacker', jwk: crypto.createPublicKey(other).export({ format: 'jwk' }) }), claims(), { key: other })],
  ['signed by another key under the hub kid', 'token_signature_invalid', () => jws(header(), claims(), { key: other })],
  ['wrong typ', 'token_type_mismatch', () => jws(header({ typ: 'JWT' }), claims())],
  ['tampered payload', 'token_signature_invalid', tampered],
  ['oversized', 'token_too_large', () => jws(header(), claims({ pad: 'x'.repeat(12 * 1024) }))],
  ['missing sub', 'token_claim_missing', () => jws(header(), claims({ sub: undefined }))],
  ['garbage', 'token_malformed', () => 'not.a.token'],
  ['empty', 'token_malformed', () => ''],
  ['four segments', 'token_malformed', () => `${hubToken('rmm', EMAIL)}.x`],
];

for (const [name, code, make] of negatives) {
  test(`token refused (401, no session): ${name}`, async () => {
    const res = await signIn('rmm', make());
    assert.equal(res.status, 401, `${name}: ${res.status}`);
    assert.ok(!setCookies(res).some((it) => it.startsWith('onegate=')), 'no session cookie');
    const html = await res.text();
    assert.match(html, /Sign-in did not work/);
    // The page names the check that refused it, so a token refused for the wrong reason fails.
    assert.match(html, new RegExp(`id="onegate-rule">${code}<`), `${name}: expected ${code}`);
  });
}

test('a valid token is accepted (control for the negatives)', async () => {
  const res = await signIn('rmm', hubToken('rmm', EMAIL));
  assert.equal(res.status, 302);
  assert.ok(setCookies(res).some((it) => it.startsWith('onegate=')));
});

test('hub unreachable: the cached key keeps working', async () => {
  // A Globex user (their Globex PSA account `gwen`): ops is Globex's module.
  const res = await signIn('ops', hubToken('ops', 'ops@globex.example'));
  assert.equal(res.status, 302, 'signed in with the key from the shared cache');
});

test('hub unreachable: a token from an unknown kid fails closed with 401', async () => {
  const token = jws(header({ kid: 'rotated-2027-01' }), hubClaims('ops', EMAIL), { key: other });
  for (let i = 0; i < 3; i += 1) {
    const res = await signIn('ops', token);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /id="onegate-rule">token_key_unknown</);
  }
});

test('callback without code and state is a clear 400', async () => {
  const res = await fetchAs('psa.localhost', '/.onegate/callback');
  assert.equal(res.status, 400);
  const forged = await fetchAs('psa.localhost', '/.onegate/callback?code=x&state=y');
  assert.equal(forged.status, 400, 'state without its login cookie');
  const denied = await fetchAs('psa.localhost', '/.onegate/callback?error=access_denied');
  assert.equal(denied.status, 401);
});

test('key rotation: a token of the previous hub key verifies while the hub publishes it', async () => {
  const jwks = await (await fetchAs('localhost', '/.well-known/jwks.json')).json();
  assert.deepEqual(jwks.keys.map((k) => k.kid), [DEV_KID, PREVIOUS_KID], 'newest first, both');

  const previous = { alg: 'EdDSA', kid: PREVIOUS_KID, typ: 'at+jwt' };
  const res = await signIn('rmm', jws(previous, claims(), { key: previousHubKey }));
  assert.equal(res.status, 302);
  assert.ok(setCookies(res).some((it) => it.startsWith('onegate=')), 'a gate session');

  const swapped = await signIn('rmm', jws(previous, claims(), { key: hubKey }));
  assert.equal(swapped.status, 401, "the previous kid with the current key's signature");
  assert.ok(!setCookies(swapped).some((it) => it.startsWith('onegate=')));
});

test('callback with a valid login cookie but another state: 400, no session, code unspent',
  async () => {
    const start = await fetchAs('psa.localhost', '/.onegate/login?return_to=%2F');
    assert.equal(start.status, 302);
    const loginCookie = cookiePair(start, 'onegate_login');
    assert.ok(loginCookie, 'the gate set its login-state cookie');
    const authorize = new URL(start.headers.get('location'));
    const state = authorize.searchParams.get('state');

    const hubSession = await signInToHub('qa13@acme.example');
    const issued = await hub(hubSession, `${authorize.pathname}${authorize.search}`);
    assert.equal(issued.status, 303);
    const code = new URL(issued.headers.get('location')).searchParams.get('code');
    assert.ok(code, 'the hub issued a real code for this login');

    const callback = (query) => fetchAs('psa.localhost',
      `/.onegate/callback?${new URLSearchParams(query)}`, { headers: { cookie: loginCookie } });
    const forged = await callback({ code, state: `${state}-forged` });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /this sign-in expired or was started elsewhere; start again/);
    assert.ok(!setCookies(forged).some((it) => it.startsWith('onegate=')), 'no gate session');

    const genuine = await callback({ code, state });
    assert.equal(genuine.status, 302, 'the same cookie and code with the right state sign in');
    assert.ok(setCookies(genuine).some((it) => it.startsWith('onegate=')));
  });
