// A relying party written by others: npm `openid-client` (v6) completes discovery, the code flow
// with PKCE, ID token validation (EdDSA) and userinfo against the hub. The browser part (the
// redirect to the hub and back) is played by hand with the hub session of qa2.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import { HUB_URL, fetchAs, moduleUrl } from './harness.mjs';
import { clientSecret, hub, signIn } from './hub-helpers.mjs';

const REDIRECT_URI = `${moduleUrl('psa')}/.onegate/callback`;

/** Sends openid-client's requests through the harness (127.0.0.1 with the right Host). */
function loopbackFetch(url, options = {}) {
  const target = new URL(url);
  const headers = Object.fromEntries(new Headers(options.headers));
  const body = options.body instanceof URLSearchParams ? options.body.toString() : options.body;
  return fetchAs(target.host, `${target.pathname}${target.search}`, {
    method: options.method,
    headers,
    body,
  });
}

test('openid-client: discovery, code + PKCE, ID token validation and userinfo', async () => {
  const config = await client.discovery(
    new URL(HUB_URL),
    'psa',
    { id_token_signed_response_alg: 'EdDSA' },
    client.ClientSecretPost(clientSecret('psa')),
    { execute: [client.allowInsecureRequests], [client.customFetch]: loopbackFetch },
  );
  config[client.customFetch] = loopbackFetch;
  assert.equal(config.serverMetadata().issuer, HUB_URL);

  const verifier = client.randomPKCECodeVerifier();
  const challenge = await client.calculatePKCECodeChallenge(verifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  assert.equal(authUrl.origin, HUB_URL);

  const jar = await signIn('qa2@acme.example');
  const res = await hub(jar, `${authUrl.pathname}${authUrl.search}`);
  assert.equal(res.status, 303);
  const callback = new URL(res.headers.get('location'));

  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, HUB_URL);
  assert.equal(claims.aud, 'psa');
  assert.equal(claims.sub, 'u_qa2');
  assert.equal(claims.email, 'qa2@acme.example');

  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.sub, 'u_qa2');
  assert.equal(info.name, 'QA Tester 2');

  // openid-client itself refuses a callback whose state was tampered with.
  const forged = new URL(callback);
  forged.searchParams.set('state', 'forged');
  await assert.rejects(
    client.authorizationCodeGrant(config, forged, { pkceCodeVerifier: verifier, expectedState: state }),
    (err) => {
      assert.match(`${err.message} ${err.cause?.message ?? ''}`, /state/);
      return true;
    },
  );
});
