// Helpers for the hub's end-to-end tests (hub*.test.mjs): the seeded hub accounts, TOTP codes
// computed in Node (RFC 6238, HMAC-SHA1), PKCE, a tiny cookie jar and a scripted sign-in.
// Not a test file itself.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fetchAs } from './harness.mjs';

/** The seeded hub accounts (edge/hub-accounts.json), by email. */
export const ACCOUNTS = Object.fromEntries(
  JSON.parse(readFileSync(new URL('../edge/hub-accounts.json', import.meta.url), 'utf8')).map(
    (a) => [a.email, a],
  ),
);

/** The OIDC client secret of a module in development (seeded in edge/seed.sql). */
export const clientSecret = (id) => `dev-client-secret-${id}`;

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP code of a base32 secret for the 30-second step `step`. */
export function totpAt(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[19] & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 1_000_000).padStart(6, '0');
}

/** The current 30-second step. */
export const currentStep = () => Math.floor(Date.now() / 1000 / 30);

/** A PKCE verifier and its S256 challenge. */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/** Cookies by name, fed from Set-Cookie headers. */
export class Jar {
  constructor() {
    this.cookies = new Map();
  }
  /** Stores (or deletes, for Max-Age=0) every cookie a response sets. */
  take(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  /** A jar holding the same cookies, to replay a request from the same point later. */
  copy() {
    const jar = new Jar();
    jar.cookies = new Map(this.cookies);
    return jar;
  }
  /** The Cookie header. */
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** A request to the hub carrying the jar's cookies; the jar learns what the answer sets. */
export async function hub(jar, path, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  if (jar && jar.cookies.size) headers.cookie = jar.header();
  const res = await fetchAs('localhost', path, { ...init, headers });
  return jar ? jar.take(res) : res;
}

/** Posts the password form; returns the response (303 to the TOTP step when right). */
export function postPassword(jar, email, password, returnTo = '/', headers = {}) {
  const body = new URLSearchParams({ email, password, return_to: returnTo });
  return hub(jar, '/signin', { method: 'POST', body, headers });
}

/** Posts a TOTP (or recovery) code. */
export function postCode(jar, code, headers = {}) {
  const body = new URLSearchParams({ code });
  return hub(jar, '/signin/totp', { method: 'POST', body, headers });
}

/**
 * Signs in `email` (password + TOTP for the current step plus `stepOffset`) into a new jar and
 * returns it. Each test file uses its own accounts: a code is accepted once per user and step.
 */
export async function signIn(email, stepOffset = 0) {
  const account = ACCOUNTS[email];
  const jar = new Jar();
  const first = await postPassword(jar, email, account.password);
  if (first.status !== 303) throw new Error(`password step answered ${first.status}`);
  const res = await postCode(jar, totpAt(account.totp_secret, currentStep() + stepOffset));
  if (res.status !== 303) throw new Error(`TOTP step answered ${res.status}: ${await res.text()}`);
  return jar;
}

/** An authorization request URL for module `client` (defaults: PSA, fresh PKCE). */
export function authorizeUrl({ client = 'psa', redirectUri, state = 'st-1', nonce = 'n-1', challenge, method = 'S256', omit = [] } = {}) {
  const params = {
    response_type: 'code',
    client_id: client,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: method,
  };
  for (const key of omit) delete params[key];
  return `/oauth/authorize?${new URLSearchParams(params)}`;
}

/** Exchanges a code at the token endpoint (client_secret_post unless `basic`). */
export function exchange({ client = 'psa', secret = clientSecret(client), code, redirectUri, verifier, basic = false }) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
  const headers = {};
  if (basic) {
    headers.authorization = `Basic ${Buffer.from(`${client}:${secret}`).toString('base64')}`;
  } else {
    body.set('client_id', client);
    body.set('client_secret', secret);
  }
  return fetchAs('localhost', '/oauth/token', { method: 'POST', body, headers });
}
