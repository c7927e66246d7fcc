// Hub token negatives through the real gate: every bad token is refused with 401 and a fresh
// start, never a 5xx, and no session is set. Also the key cache: tenant Globex's hub JWKS URL
// is unreachable, so its cached key keeps working and any other key fails closed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { HUB_URL } from './harness.mjs';
import {
  DEV_KID, b64u, hubClaims, hubKey, hubToken, jws, now, setCookies, signIn,
} from './gate-helpers.mjs';

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
  ['alg none', () => `${b64u(JSON.stringify(header({ alg: 'none' })))}.${b64u(JSON.stringify(claims()))}.`],
  ['HS256 signed with the public key', () => jws(header({ alg: 'HS256' }), claims(), { sign: hmacWithPublicKey })],
  ['RS256 header on the EdDSA key', () => jws(header({ alg: 'RS256' }), claims(), {
    sign: (i) => crypto.sign('sha256', Buffer.from(i), rsa) })],
  ['ES256 header on the EdDSA key', () => jws(header({ alg: 'ES256' }), claims(), {
    sign: (i) => crypto.sign('sha256', Buffer.from(i), { key: ec, dsaEncoding: 'ieee-p1363' }) })],
  ['expired', () => jws(header(), claims({ iat: now() - 900, exp: now() - 120 }))],
  ['not yet valid', () => jws(header(), claims({ nbf: now() + 600 }))],
  ['wrong audience', () => jws(header(), claims({ aud: 'psa' }))],
  ['wrong issuer', () => jws(header(), claims({ iss: 'http://evil.example' }))],
  ['issuer with a trailing slash', () => jws(header(), claims({ iss: `${HUB_URL}/` }))],
  ['crit header', () => jws(header({ crit: ['exp'] }), claims())],
  ['embedded jwk of the attacker', () => jws(header({ kid: 'attacker', jwk: crypto.createPublicKey(other).export({ format: 'jwk' }) }), claims(), { key: other })],
  ['signed by another key under the hub kid', () => jws(header(), claims(), { key: other })],
  ['wrong typ', () => jws(header({ typ: 'JWT' }), claims())],
  ['tampered payload', tampered],
  ['oversized', () => jws(header(), claims({ pad: 'x'.repeat(12 * 1024) }))],
  ['missing sub', () => jws(header(), claims({ sub: undefined }))],
  ['garbage', () => 'not.a.token'],
  ['empty', () => ''],
  ['four segments', () => `${hubToken('rmm', EMAIL)}.x`],
];

for (const [name, make] of negatives) {
  test(`token refused (401, no session): ${name}`, async () => {
    const res = await signIn('rmm', make());
    assert.equal(res.status, 401, `${name}: ${res.status}`);
    assert.ok(!setCookies(res).some((it) => it.startsWith('onegate=')), 'no session cookie');
    assert.match(await res.text(), /Sign-in did not work/);
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
  }
});

test('callback without code and state is a clear 400', async () => {
  const { fetchAs } = await import('./harness.mjs');
  const res = await fetchAs('psa.localhost', '/.onegate/callback');
  assert.equal(res.status, 400);
  const forged = await fetchAs('psa.localhost', '/.onegate/callback?code=x&state=y');
  assert.equal(forged.status, 400, 'state without its login cookie');
  const denied = await fetchAs('psa.localhost', '/.onegate/callback?error=access_denied');
  assert.equal(denied.status, 401);
});
