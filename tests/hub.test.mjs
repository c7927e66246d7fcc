// The hub over HTTP: sign-in with password and TOTP, the OpenID Connect provider (discovery,
// JWKS, authorize, token, userinfo, logout) and every refusal the issue lists, each a clear 4xx
// that starts no session. Accounts: qa1 (main), qa5 (TOTP reuse, sign-out), qa6 (throttling),
// tech (RP-initiated logout), Globex ops (tenant isolation). Needs a freshly seeded D1.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { HUB_URL, fetchAs, moduleUrl } from './harness.mjs';
import {
  ACCOUNTS, Jar, authorizeUrl, clientSecret, currentStep, exchange, hub, pkce, postCode,
  postPassword, signIn, totpAt,
} from './hub-helpers.mjs';

const PSA_CALLBACK = `${moduleUrl('psa')}/.onegate/callback`;
const RMM_CALLBACK = `${moduleUrl('rmm')}/.onegate/callback`;
const SESSION_COOKIE = 'onegate_hub';

/** Decodes a JWT's header and payload (no verification). */
function decode(jwt) {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url')),
    payload: JSON.parse(Buffer.from(p, 'base64url')),
  };
}

/** Verifies an EdDSA JWT against the hub's JWKS with Node's crypto. */
async function verifyJwt(jwt) {
  const jwks = await (await fetchAs('localhost', '/.well-known/jwks.json')).json();
  const { header } = decode(jwt);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, `kid ${header.kid} is published`);
  const [h, p, s] = jwt.split('.');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return verifySignature(null, Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
}

/** Signs qa1 in once; every authorize test reuses this session. */
let qa1;
before(async () => {
  qa1 = await signIn('qa1@acme.example');
});

/** Runs authorize with qa1's session and returns the code (asserting the redirect). */
async function codeFor({ client = 'psa', redirectUri = PSA_CALLBACK, state = 'st-1', nonce = 'n-1' } = {}) {
  const { verifier, challenge } = pkce();
  const res = await hub(qa1, authorizeUrl({ client, redirectUri, state, nonce, challenge }));
  assert.equal(res.status, 303, await res.clone().text());
  const location = new URL(res.headers.get('location'));
  assert.equal(`${location.origin}${location.pathname}`, redirectUri);
  return { code: location.searchParams.get('code'), location, verifier };
}

function assertNoSession(res) {
  const set = res.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION_COOKIE}=`));
  assert.deepEqual(set, [], 'no hub session cookie is set');
}

describe('discovery and keys', () => {
  test('discovery names the issuer, endpoints, EdDSA and S256 only', async () => {
    const res = await fetchAs('localhost', '/.well-known/openid-configuration');
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.issuer, HUB_URL);
    assert.equal(doc.authorization_endpoint, `${HUB_URL}/oauth/authorize`);
    assert.equal(doc.token_endpoint, `${HUB_URL}/oauth/token`);
    assert.equal(doc.jwks_uri, `${HUB_URL}/.well-known/jwks.json`);
    assert.equal(doc.end_session_endpoint, `${HUB_URL}/oauth/logout`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['EdDSA']);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(doc.response_types_supported, ['code']);
  });

  test('the JWKS publishes the development key as an Ed25519 OKP key', async () => {
    const jwks = await (await fetchAs('localhost', '/.well-known/jwks.json')).json();
    const key = jwks.keys.find((k) => k.kid === 'dev-2026-12');
    assert.deepEqual(
      { kty: key.kty, crv: key.crv, alg: key.alg, use: key.use },
      { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' },
    );
    assert.equal(key.d, undefined, 'no private part');
  });
});

describe('sign-in', () => {
  test('password then TOTP starts a session; the portal shows a tile per entitled module', async () => {
    const res = await hub(qa1, '/');
    assert.equal(res.status, 200);
    // minijinja escapes '/' as &#x2f; inside attributes; the browser reads it back as '/'.
    const html = (await res.text()).replaceAll('&#x2f;', '/');
    const login = '/.onegate/login\\?return_to=%2F';
    assert.match(html, new RegExp(`data-module="psa" href="http://psa\\.localhost:\\d+${login}"`));
    assert.match(html, new RegExp(`data-module="rmm" href="http://rmm\\.localhost:\\d+${login}"`));
    assert.doesNotMatch(html, /data-module="legacy"/, 'no tile without an entitlement');
    assert.doesNotMatch(html, /<script/i);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
  });

  test('the session cookie is HttpOnly, SameSite=Lax, bounded, plain name on http', async () => {
    const jar = new Jar();
    const account = ACCOUNTS['qa1@acme.example'];
    await postPassword(jar, account.email, account.password);
    const res = await postCode(jar, totpAt(account.totp_secret, currentStep() + 1));
    assert.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.match(cookie, /; Max-Age=28800/);
  });

  test('wrong password: 401, a clear message, no session', async () => {
    const jar = new Jar();
    const res = await postPassword(jar, 'qa1@acme.example', 'not-the-password');
    assert.equal(res.status, 401);
    assert.match(await res.text(), /the email or password is not correct/);
    assertNoSession(res);
    assert.equal((await hub(jar, '/')).headers.get('location'), '/signin');
  });

  test('unknown email: the same 401 as a wrong password', async () => {
    const res = await postPassword(new Jar(), 'nobody@acme.example', 'whatever-password');
    assert.equal(res.status, 401);
    assert.match(await res.text(), /the email or password is not correct/);
    assertNoSession(res);
  });

  test('wrong TOTP code: 401, no session', async () => {
    const jar = new Jar();
    const account = ACCOUNTS['qa1@acme.example'];
    assert.equal((await postPassword(jar, account.email, account.password)).status, 303);
    const right = totpAt(account.totp_secret, currentStep());
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const res = await postCode(jar, wrong);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /the two-factor code is not correct/);
    assertNoSession(res);
  });

  test('a TOTP code cannot be used twice', async () => {
    const account = ACCOUNTS['qa5@acme.example'];
    const code = totpAt(account.totp_secret, currentStep());
    const first = new Jar();
    await postPassword(first, account.email, account.password);
    assert.equal((await postCode(first, code)).status, 303);

    const second = new Jar();
    await postPassword(second, account.email, account.password);
    const res = await postCode(second, code);
    assert.equal(res.status, 401);
    assert.match(await res.text(), /this two-factor code was already used/);
    assertNoSession(res);
  });

  test('the TOTP step needs the password step first', async () => {
    const res = await postCode(new Jar(), '123456');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/signin');
    assertNoSession(res);
  });

  test('five wrong passwords lock the account, even for the right password', async () => {
    const account = ACCOUNTS['qa6@acme.example'];
    for (let i = 0; i < 5; i++) {
      assert.equal((await postPassword(new Jar(), account.email, `wrong-${i}`)).status, 401);
    }
    const res = await postPassword(new Jar(), account.email, account.password);
    assert.equal(res.status, 429);
    assert.match(await res.text(), /too many failed sign-in attempts; try again in 1[45] minute/);
    assertNoSession(res);
  });

  test('a sign-in form posted from another site is refused', async () => {
    const res = await fetchAs('localhost', '/signin', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
      body: new URLSearchParams({ email: 'qa1@acme.example', password: 'x' }),
    });
    assert.equal(res.status, 403);
    assertNoSession(res);
  });
});

describe('authorization endpoint', () => {
  test('without a hub session it sends the browser to sign in, then back', async () => {
    const { challenge } = pkce();
    const url = authorizeUrl({ redirectUri: PSA_CALLBACK, challenge });
    const res = await hub(new Jar(), url);
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location'), HUB_URL);
    assert.equal(location.pathname, '/signin');
    assert.equal(location.searchParams.get('return_to'), url);
  });

  test('with a hub session it answers at once with a code and the state echoed exactly', async () => {
    const state = 'a b&c=d/é<>"';
    const { location, code } = await codeFor({ state });
    assert.equal(location.searchParams.get('state'), state);
    assert.equal(location.searchParams.get('iss'), HUB_URL);
    assert.ok(code.length >= 40);
  });

  const refusals = [
    ['missing code_challenge', { omit: ['code_challenge'] }, /PKCE is required/],
    ['code_challenge_method plain', { method: 'plain' }, /only code_challenge_method=S256/],
    ['missing code_challenge_method', { omit: ['code_challenge_method'] }, /only code_challenge_method=S256/],
    ['missing state', { omit: ['state'] }, /has no state/],
    ['unregistered redirect_uri', { redirectUri: `${moduleUrl('psa')}/elsewhere` }, /is not registered for client/],
    ['redirect_uri of another module', { redirectUri: RMM_CALLBACK }, /is not registered for client/],
    ['redirect_uri with a trailing slash', { redirectUri: `${PSA_CALLBACK}/` }, /is not registered for client/],
    ['unknown client', { client: 'nope' }, /no module is registered as client/],
  ];
  for (const [name, options, message] of refusals) {
    test(`refused with 400 and no redirect: ${name}`, async () => {
      const { challenge } = pkce();
      const url = authorizeUrl({ redirectUri: PSA_CALLBACK, challenge, ...options });
      const res = await hub(qa1, url);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(await res.text(), message);
    });
  }

  test('prompt=none without a session answers login_required at the redirect URI', async () => {
    const { challenge } = pkce();
    const url = `${authorizeUrl({ redirectUri: PSA_CALLBACK, challenge, state: 's9' })}&prompt=none`;
    const res = await hub(new Jar(), url);
    assert.equal(res.status, 303);
    const location = new URL(res.headers.get('location'));
    assert.equal(location.searchParams.get('error'), 'login_required');
    assert.equal(location.searchParams.get('state'), 's9');
  });

  test("another tenant's user gets 403 and no code for Acme's module", async () => {
    const globex = await signIn('ops@globex.example');
    const { challenge } = pkce();
    const res = await hub(globex, authorizeUrl({ redirectUri: PSA_CALLBACK, challenge }));
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('location'), null);
  });
});

describe('token endpoint', () => {
  test('code + PKCE give EdDSA ID and access tokens with the hub claims', async () => {
    const { code, verifier } = await codeFor({ nonce: 'nonce-42' });
    const res = await exchange({ code, redirectUri: PSA_CALLBACK, verifier });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = await res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);

    const id = decode(body.id_token);
    assert.deepEqual([id.header.alg, id.header.typ, id.header.kid], ['EdDSA', 'JWT', 'dev-2026-12']);
    assert.ok(await verifyJwt(body.id_token), 'ID token signature verifies');
    const c = id.payload;
    assert.equal(c.iss, HUB_URL);
    assert.equal(c.aud, 'psa');
    assert.equal(c.sub, 'u_qa1');
    assert.equal(c.tid, 't_acme');
    assert.equal(c.nonce, 'nonce-42');
    assert.equal(c.email, 'qa1@acme.example');
    assert.equal(c.email_verified, true);
    assert.deepEqual(c.groups, ['Technician']);
    assert.deepEqual(c.entitlements, ['psa', 'rmm']);
    assert.ok(c.sid && c.auth_time <= c.iat && c.exp - c.iat === 300);

    const at = decode(body.access_token);
    assert.equal(at.header.typ, 'at+jwt');
    assert.ok(await verifyJwt(body.access_token));
    assert.equal(at.payload.sid, c.sid);
  });

  test('client_secret_basic works too', async () => {
    const { code, verifier } = await codeFor();
    const res = await exchange({ code, redirectUri: PSA_CALLBACK, verifier, basic: true });
    assert.equal(res.status, 200);
  });

  test('a replayed code is refused', async () => {
    const { code, verifier } = await codeFor();
    assert.equal((await exchange({ code, redirectUri: PSA_CALLBACK, verifier })).status, 200);
    const res = await exchange({ code, redirectUri: PSA_CALLBACK, verifier });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error, 'invalid_grant');
    assert.match(body.error_description, /already used/);
    assert.equal(body.access_token, undefined);
  });

  test('a PKCE verifier that does not match is refused', async () => {
    const { code } = await codeFor();
    const res = await exchange({ code, redirectUri: PSA_CALLBACK, verifier: pkce().verifier });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error, 'invalid_grant');
    assert.equal(body.code, 'pkce_mismatch');
  });

  test("another client cannot redeem PSA's code, even with its own valid secret", async () => {
    const { code, verifier } = await codeFor();
    const res = await exchange({ client: 'rmm', code, redirectUri: PSA_CALLBACK, verifier });
    assert.equal(res.status, 400);
    const body = await res.json();
    assert.equal(body.error, 'invalid_grant');
    assert.match(body.error_description, /issued to another client/);
  });

  test('a wrong client secret is 401 invalid_client', async () => {
    const { code, verifier } = await codeFor();
    const res = await exchange({ code, redirectUri: PSA_CALLBACK, verifier, secret: 'guess' });
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error, 'invalid_client');
  });

  test('a redirect_uri differing from the authorization request is refused', async () => {
    const { code, verifier } = await codeFor();
    const res = await exchange({ code, redirectUri: `${PSA_CALLBACK}?x`, verifier });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error_description, /redirect_uri differs/);
  });

  test('an unknown code is refused', async () => {
    const res = await exchange({ code: 'made-up', redirectUri: PSA_CALLBACK, verifier: pkce().verifier });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'invalid_grant');
  });
});

describe('userinfo and sign-out', () => {
  test('userinfo answers for a valid access token and refuses anything else', async () => {
    const { code, verifier } = await codeFor();
    const { access_token: token, id_token: idToken } = await (
      await exchange({ code, redirectUri: PSA_CALLBACK, verifier })
    ).json();
    const ok = await fetchAs('localhost', '/oauth/userinfo', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    const info = await ok.json();
    assert.equal(info.sub, 'u_qa1');
    assert.equal(info.email, 'qa1@acme.example');

    const none = await fetchAs('localhost', '/oauth/userinfo');
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate'), /Bearer/);
    const idAsAccess = await fetchAs('localhost', '/oauth/userinfo', { headers: { authorization: `Bearer ${idToken}` } });
    assert.equal(idAsAccess.status, 401, 'an ID token is not an access token');
  });

  test('RP-initiated logout with id_token_hint ends the session and returns to the module', async () => {
    const jar = await signIn('tech@acme.example');
    const { verifier, challenge } = pkce();
    const res = await hub(jar, authorizeUrl({ redirectUri: PSA_CALLBACK, challenge }));
    const code = new URL(res.headers.get('location')).searchParams.get('code');
    const tokens = await (await exchange({ code, redirectUri: PSA_CALLBACK, verifier })).json();

    const bad = await hub(jar, `/oauth/logout?${new URLSearchParams({
      id_token_hint: tokens.id_token, post_logout_redirect_uri: 'https://evil.example/',
    })}`);
    assert.equal(bad.status, 400, 'unregistered post_logout_redirect_uri');

    const back = `${moduleUrl('psa')}/`;
    const out = await hub(jar, `/oauth/logout?${new URLSearchParams({
      id_token_hint: tokens.id_token, post_logout_redirect_uri: back, state: 'bye',
    })}`);
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), `${back}?state=bye`);
    const after = await fetchAs('localhost', '/oauth/userinfo', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(after.status, 401, 'tokens of an ended session no longer open userinfo');
  });

  test('hub sign-out revokes the session: authorize asks to sign in again', async () => {
    const jar = await signIn('qa5@acme.example', 1);
    const out = await hub(jar, '/signout', { method: 'POST', body: new URLSearchParams() });
    assert.equal(out.status, 303);
    const { challenge } = pkce();
    const res = await hub(jar, authorizeUrl({ redirectUri: PSA_CALLBACK, challenge }));
    assert.equal(new URL(res.headers.get('location'), HUB_URL).pathname, '/signin');
  });

  test('logout without a hint asks for confirmation instead of signing out', async () => {
    const res = await hub(qa1, '/oauth/logout');
    assert.equal(res.status, 200);
    const html = (await res.text()).replaceAll('&#x2f;', '/');
    assert.match(html, /<form method="post" action="\/signout">/);
    assert.equal((await hub(qa1, '/')).status, 200, 'still signed in');
  });
});
