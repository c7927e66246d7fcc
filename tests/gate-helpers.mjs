// Helpers for the gate's end-to-end tests: hub tokens minted with the development keys that the
// hub publishes (wrangler.toml HUB_SIGNING_KEYS), handed to the gate's development sign-in path
// (POST /.onegate/dev/token, on while GATE_DEV_TOKENS=on), and cookie helpers.
//
// Not a test file itself (no `.test.mjs`).

import crypto from 'node:crypto';
import { EDGE_PORT, HUB_URL, fetchAs } from './harness.mjs';

/** The development hub key (wrangler.toml HUB_SIGNING_KEYS). */
export const DEV_KID = 'dev-2026-12';
const DEV_SEED = '4b17a8f346ef3ecaedf8110ea888c123d887a3c9314c82bc104ee05d3a56add9';
/** wrangler.toml SESSION_SECRET, from which the gate derives its assertion key. */
const SESSION_SECRET = '415998899dbd65ad3c026907b029cc3e7e5e9df409549ea5326fb74b941f80bc';

/** An Ed25519 private key from a 32-byte seed (fixed PKCS#8 prefix + seed). */
export function ed25519FromSeed(seed) {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

export const hubKey = ed25519FromSeed(Buffer.from(DEV_SEED, 'hex'));

/** The previous development hub key, second in HUB_SIGNING_KEYS: still published, no longer
 * signing (as after a key rotation). */
export const PREVIOUS_KID = 'dev-2026-06';
const PREVIOUS_SEED = '47d748f7f3bc3365dbf1f519623b151b149036c36e79b0d5e6fd5a3d5509c9cf';
export const previousHubKey = ed25519FromSeed(Buffer.from(PREVIOUS_SEED, 'hex'));

export const b64u = (data) => Buffer.from(data).toString('base64url');

/** Signs a compact JWS with `key` (Ed25519 unless `sign` is given). */
export function jws(header, claims, { key = hubKey, sign } = {}) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  const signature = sign ? sign(input) : crypto.sign(null, Buffer.from(input), key);
  return `${input}.${b64u(signature)}`;
}

export const now = () => Math.floor(Date.now() / 1000);

/**
 * Hub token claims for `email` on `module`, as the hub issues them, but without a `sid`: the
 * gate treats a hub session it cannot find as signed out, and these tokens have none behind
 * them. Pass `{ sid }` to test that.
 */
export function hubClaims(module, email, extra = {}) {
  const tenant = module === 'ops' ? 't_globex' : 't_acme';
  return {
    iss: HUB_URL,
    aud: module,
    sub: `hub-${email.split('@')[0]}`,
    tid: tenant,
    email,
    email_verified: true,
    name: email,
    entitlements: ['psa', 'rmm', 'legacy', 'ops'],
    iat: now(),
    exp: now() + 300,
    ...extra,
  };
}

/** A valid hub token for `email` on `module`. */
export function hubToken(module, email, extra = {}) {
  return jws({ alg: 'EdDSA', kid: DEV_KID, typ: 'at+jwt' }, hubClaims(module, email, extra));
}

/** Hands `token` to the gate of `module` as if it came back from the hub. */
export function signIn(module, token, { returnTo = '/', headers = {} } = {}) {
  const body = new URLSearchParams({ token, return_to: returnTo });
  return fetchAs(`${module}.localhost`, '/.onegate/dev/token', { method: 'POST', body, headers });
}

/** The `Set-Cookie` headers of a response. */
export function setCookies(res) {
  return res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie')].filter(Boolean);
}

/** `name=value` for a `Cookie` header, from the response's `Set-Cookie` named `name`. */
export function cookiePair(res, name) {
  const found = setCookies(res).find((it) => it.startsWith(`${name}=`));
  return found?.split(';')[0];
}

/** A gate session cookie for `email` on `module` (signs in through the dev path). */
export async function sessionFor(module, email) {
  const res = await signIn(module, hubToken(module, email));
  const pair = cookiePair(res, 'onegate');
  if (!pair) throw new Error(`no session for ${email} on ${module}: ${res.status}`);
  return pair;
}

/** The gate origin of `module` as the Worker sees it. */
export const gateOrigin = (module) => `http://${module}.localhost:${EDGE_PORT}`;

/** A correctly signed gate assertion, minted with the key the gate derives (dev secret). */
export function forgedGateAssertion(module, username) {
  const seed = crypto.createHmac('sha256', SESSION_SECRET).update('gate-assertion-key').digest();
  const key = ed25519FromSeed(seed);
  const x = crypto.createPublicKey(key).export({ format: 'jwk' }).x;
  const header = { alg: 'EdDSA', kid: `gate-${x.slice(0, 12)}`, typ: 'onegate-assertion+jwt' };
  const claims = { iss: HUB_URL, aud: module, sub: 'hub-x', username, tid: 't_acme',
    iat: now(), exp: now() + 60 };
  return jws(header, claims, { key });
}
