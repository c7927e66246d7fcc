// OpenID Connect Back-Channel Logout at a gate whose tenant trusts an external hub: Globex's
// `ops` (its hub's keys are only in the gate's cache, edge/seed.sql). The hub posts a logout
// token to /.onegate/backchannel-logout; a session it names (`sid`), or every earlier session of
// the user it names (`sub` alone), is signed out at the gate, and nothing else is. Every token
// that is not a valid logout token for this module gets a 4xx that says why and ends nothing.
// Sessions start through the gate's development token path, signed with the cached dev key.
// The last case is the hub's side: a hub sign-out tells a client that registered a back-channel
// logout URI (here this test's own server on ONEGATE_PROBE_PORT), and the logout token it sends
// is one the gate accepts. Hub account qa15@globex.example.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { HUB_URL, fetchAs } from './harness.mjs';
import { DEV_KID, cookiePair, hubToken, jws, now, signIn } from './gate-helpers.mjs';
import { hub, signIn as signInToHub } from './hub-helpers.mjs';
import { canReadD1, d1 } from './provisioning-helpers.mjs';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const stranger = crypto.generateKeyPairSync('ed25519').privateKey;

/** A logout token for `ops` from Globex's hub, with `claims` added (or removed as undefined). */
function logoutToken(claims, { header = {}, key } = {}) {
  const body = {
    iss: HUB_URL, aud: 'ops', iat: now(), jti: crypto.randomUUID(), events: { [EVENT]: {} },
    ...claims,
  };
  return jws({ alg: 'EdDSA', kid: DEV_KID, typ: 'logout+jwt', ...header }, body, key && { key });
}

/** The hub's back-channel call to the gate of `module`. */
function deliver(token, { module = 'ops', headers, body } = {}) {
  return fetchAs(`${module}.localhost`, '/.onegate/backchannel-logout', {
    method: 'POST', headers, body: body ?? new URLSearchParams({ logout_token: token }),
  });
}

/** A hub user of Globex and a gate session of theirs on `ops` under hub session `sid`. */
async function session(user, sid) {
  const token = hubToken('ops', user.email, { sub: user.sub, sid, entitlements: ['ops'] });
  const res = await signIn('ops', token);
  const cookie = cookiePair(res, 'onegate');
  assert.ok(cookie, `a gate session: ${res.status} ${await res.text()}`);
  return cookie;
}

function globexUser(tag) {
  const id = `${tag}-${crypto.randomUUID().slice(0, 8)}`;
  return { sub: `hub-bcl-${id}`, email: `bcl.${id}@globex.example` };
}

/** True when `cookie` still opens the user's hub session on `ops`. */
async function signedIn(cookie) {
  const html = await (await fetchAs('ops.localhost', '/', { headers: { cookie } })).text();
  const data = html.match(/id="onegate-launcher-data">(.*?)<\/script>/s);
  return Boolean(data) && JSON.parse(data[1]).signed_in_via === 'hub';
}

test('a logout token naming a sid ends that session and no other', async () => {
  const user = globexUser('sid');
  const first = await session(user, 'bcl-sid-1');
  const second = await session(user, 'bcl-sid-2');
  assert.ok(await signedIn(first), 'control: signed in before');

  const token = logoutToken({ sid: 'bcl-sid-1', sub: user.sub });
  const res = await deliver(token);
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(await signedIn(first), false, 'the named session ended');
  assert.ok(await signedIn(second), 'the same user\'s other session did not');

  assert.equal((await deliver(token)).status, 200, 'a replayed token changes nothing and says so');
});

test('a logout token naming only a sub ends every earlier session of that user', async () => {
  const user = globexUser('sub');
  const other = globexUser('other');
  const mine = [await session(user, 'bcl-sub-1'), await session(user, 'bcl-sub-2')];
  const theirs = await session(other, 'bcl-other-1');

  await sleep(1_100); // a session started in the logout token's second counts as ended
  const res = await deliver(logoutToken({ sub: user.sub }));
  assert.equal(res.status, 200, await res.clone().text());
  for (const cookie of mine) assert.equal(await signedIn(cookie), false);
  assert.ok(await signedIn(theirs), 'another user is untouched');

  await sleep(1_100);
  assert.ok(await signedIn(await session(user, 'bcl-sub-3')), 'a later sign-in works');
});

test('what is not a logout token for this module gets a clear 4xx and ends nothing', async () => {
  const user = globexUser('bad');
  const cookie = await session(user, 'bcl-bad-1');
  const named = { sid: 'bcl-bad-1' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const cases = [
    ['a hub access token', deliver(hubToken('ops', user.email, { sid: 'bcl-bad-1' })), 400,
      'token_type_mismatch'],
    ['no logout event', deliver(logoutToken({ ...named, events: undefined })), 400,
      'logout_token_invalid'],
    ['a nonce, as in an ID token', deliver(logoutToken({ ...named, nonce: 'n-1' })), 400,
      'logout_token_invalid'],
    ['neither sub nor sid', deliver(logoutToken({})), 400, 'logout_token_invalid'],
    ['for another module', deliver(logoutToken({ ...named, aud: 'psa' })), 400,
      'token_audience_mismatch'],
    ['from another issuer', deliver(logoutToken({ ...named, iss: 'https://evil.example' })), 400,
      'token_issuer_mismatch'],
    ['signed by a stranger', deliver(logoutToken(named, { key: stranger })), 400,
      'token_signature_invalid'],
    ['too old', deliver(logoutToken({ ...named, iat: now() - 3600 })), 400, 'token_expired'],
    ['not a JWT', deliver('not-a-token'), 400, 'token_malformed'],
    ['no logout_token field',
      deliver('', { body: new URLSearchParams({ token: 'x' }) }), 400, 'logout_token_missing'],
    ['JSON instead of a form',
      deliver('', { body: JSON.stringify({ logout_token: 'x' }),
        headers: { 'content-type': 'application/json' } }), 415, 'not_a_form'],
    ['a body far larger than a token',
      deliver('', { body: `logout_token=${'a'.repeat(20_000)}`, headers: form }), 413, 'too_large'],
    ['on a module of the Worker\'s own hub', deliver(logoutToken(named), { module: 'psa' }), 404,
      'not_external_hub'],
  ];
  for (const [name, pending, status, code] of cases) {
    const res = await pending;
    assert.equal(res.status, status, name);
    const body = await res.json();
    assert.equal(body.error, 'invalid_request', name);
    assert.equal(body.code, code, `${name}: ${body.error_description}`);
    assert.ok(body.error_description.length > 10, name);
  }
  assert.ok(await signedIn(cookie), 'no refused token ended the session');
});

test('a hub sign-out sends a logout token to the back-channel URI of each client it signed in to',
  { skip: !canReadD1() && 'the edge D1 state is not at target/e2e/state/edge' }, async (t) => {
    const port = Number(process.env.ONEGATE_PROBE_PORT);
    assert.ok(port > 0, 'ONEGATE_PROBE_PORT is set by cargo xtask test');
    const received = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        received.push({ path: req.url, type: req.headers['content-type'], body });
        res.writeHead(200).end();
      });
    });
    await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
    await d1(`UPDATE clients SET backchannel_logout_uri = 'http://127.0.0.1:${port}/bcl/ops' WHERE id = 'ops'`);
    t.after(async () => {
      await d1("UPDATE clients SET backchannel_logout_uri = NULL WHERE id = 'ops'");
      server.closeAllConnections?.();
      server.close();
    });

    // A real sign-in: the hub, then ops through the gate's code flow.
    const browser = await signInToHub('qa15@globex.example');
    const start = await fetchAs('ops.localhost', '/.onegate/login?return_to=%2F');
    assert.equal(start.status, 302);
    const loginCookie = cookiePair(start, 'onegate_login');
    const authorize = new URL(start.headers.get('location'));
    const issued = await hub(browser, `${authorize.pathname}${authorize.search}`);
    assert.equal(issued.status, 303);
    const back = new URL(issued.headers.get('location'));
    const callback = await fetchAs('ops.localhost', `${back.pathname}${back.search}`,
      { headers: { cookie: loginCookie } });
    assert.equal(callback.status, 302, await callback.clone().text());
    const cookie = cookiePair(callback, 'onegate');
    assert.ok(cookie, 'a gate session');
    assert.ok(await signedIn(cookie), 'control: signed in to ops');
    assert.deepEqual(received, [], 'nothing sent before the sign-out');

    const out = await hub(browser, '/signout', { method: 'POST', body: new URLSearchParams() });
    assert.equal(out.status, 303);
    assert.equal(received.length, 1, 'one logout token, to the one client signed in to');
    const [call] = received;
    assert.equal(call.path, '/bcl/ops');
    assert.equal(call.type, 'application/x-www-form-urlencoded');
    const logoutToken = new URLSearchParams(call.body).get('logout_token');
    const [header, claims] = logoutToken.split('.').slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url')));
    assert.equal(header.typ, 'logout+jwt');
    assert.equal(header.kid, DEV_KID);
    assert.equal(claims.iss, HUB_URL);
    assert.equal(claims.aud, 'ops');
    assert.equal(claims.sub, 'u_qa15');
    assert.ok(claims.sid && claims.jti, 'names the session and has an id');
    assert.deepEqual(claims.events, { [EVENT]: {} });
    assert.equal(claims.nonce, undefined);

    // The gate apart from its hub would get exactly this; it accepts it and the session ends.
    assert.ok(await signedIn(cookie), 'the ops gate has not heard of it yet');
    const relayed = await deliver(logoutToken);
    assert.equal(relayed.status, 200, await relayed.clone().text());
    assert.equal(await signedIn(cookie), false, 'signed out of ops');
  });
