// Helpers for the provisioning end-to-end tests: hub sign-ins through the gate's development
// token path, the demo PSA's own user store read through its SCIM API, and the edge's D1 read
// with `wrangler d1 execute` (billing lines, links, audit rows).
//
// Not a test file itself (no `.test.mjs`).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEMO_PORT, fetchAs } from './harness.mjs';
import { cookiePair, hubToken, signIn } from './gate-helpers.mjs';

export const EXT = 'urn:onegate:params:scim:schemas:extension:module:2.0:User';
const PSA_TOKEN = 'dev-scim-psa';
const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Where `cargo xtask test` keeps the edge's local D1. */
export const EDGE_STATE = process.env.ONEGATE_EDGE_STATE ?? `${ROOT}target/e2e/state/edge`;

/** A name no earlier run used. */
export const unique = (tag) =>
  `${tag}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** A hub user who has never signed in anywhere: `{ sub, email }`. */
export function newHubUser(tag) {
  const local = unique(tag);
  return { sub: `hub-${local}`, email: `${local}@acme.example` };
}

/**
 * Signs `user` in to `module` through the gate (hub groups by name, as the hub puts them in the
 * token). Returns the gate's response.
 */
export function hubSignIn(module, user, { groups = [], verified = true, email, entitlements } = {}) {
  const token = hubToken(module, email ?? user.email, {
    sub: user.sub,
    groups,
    email_verified: verified,
    entitlements: entitlements ?? [module],
  });
  return signIn(module, token);
}

/** The gate session cookie of a successful sign-in (throws with the page otherwise). */
export async function sessionOf(res) {
  const pair = cookiePair(res, 'onegate');
  if (res.status !== 302 || !pair) {
    throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  }
  return pair;
}

/** A SCIM call to the demo PSA itself (not through the gate). */
export function psaScim(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/scim+json', authorization: `Bearer ${PSA_TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/scim+json';
  return fetchAs(`localhost:${DEMO_PORT}`, `/psa/scim/v2${path}`, { method, headers, body });
}

/** The demo PSA's accounts with this username (any case). */
export async function psaUsers(username) {
  const filter = encodeURIComponent(`userName eq ${JSON.stringify(username)}`);
  const res = await psaScim(`/Users?filter=${filter}`);
  if (res.status !== 200) throw new Error(`SCIM search: ${res.status} ${await res.text()}`);
  return (await res.json()).Resources;
}

/** The demo PSA's one account with this username. */
export async function psaUser(username) {
  const found = await psaUsers(username);
  if (found.length !== 1) throw new Error(`${found.length} PSA accounts named ${username}`);
  return found[0];
}

/** The security level id of a SCIM user. */
export const levelOf = (user) => user[EXT].securityLevel;

/** Sets a PSA account's security level inside the module (as a module admin would). */
export async function setPsaLevel(id, level) {
  const body = {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: `${EXT}:securityLevel`, value: level }],
  };
  const res = await psaScim(`/Users/${id}`, { method: 'PATCH', body });
  if (res.status !== 200) throw new Error(`SCIM patch: ${res.status} ${await res.text()}`);
}

/** Creates a PSA account directly in the module (an account that existed before the hub). */
export async function createPsaAccount(username, email, level = '3') {
  const body = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT],
    userName: username,
    emails: [{ value: email, type: 'work', primary: true }],
    [EXT]: { securityLevel: level },
  };
  const res = await psaScim('/Users', { method: 'POST', body });
  if (res.status !== 201) throw new Error(`SCIM create: ${res.status} ${await res.text()}`);
  return res.json();
}

const run = promisify(execFile);

/** True when the edge's local D1 can be read (the `cargo xtask test` layout). */
export const canReadD1 = () => existsSync(EDGE_STATE);

/** Rows of `sql` run against the edge's local D1. */
export async function d1(sql) {
  const wrangler = `${ROOT}node_modules/.bin/wrangler`;
  const args = ['d1', 'execute', 'onegate', '--local', '-c', 'wrangler.toml', '--persist-to',
    EDGE_STATE, '--json', '--command', sql];
  const { stdout } = await run(wrangler, args, {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout)[0].results;
}

/** SQL string literal. */
export const sql = (value) => `'${String(value).replaceAll("'", "''")}'`;
