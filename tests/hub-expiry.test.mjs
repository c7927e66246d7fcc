// An authorization code lives 60 seconds: one exchanged later is refused. In its own file so
// the wait runs alongside the other suites. Account: qa4.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { moduleUrl } from './harness.mjs';
import { authorizeUrl, exchange, hub, pkce, signIn } from './hub-helpers.mjs';

const REDIRECT_URI = `${moduleUrl('psa')}/.onegate/callback`;

test('an authorization code exchanged after 60 s is refused as expired', { timeout: 90_000 }, async () => {
  const jar = await signIn('qa4@acme.example');
  const { verifier, challenge } = pkce();
  const res = await hub(jar, authorizeUrl({ redirectUri: REDIRECT_URI, challenge }));
  assert.equal(res.status, 303);
  const code = new URL(res.headers.get('location')).searchParams.get('code');

  await sleep(62_000);
  const late = await exchange({ code, redirectUri: REDIRECT_URI, verifier });
  assert.equal(late.status, 400);
  const body = await late.json();
  assert.equal(body.error, 'invalid_grant');
  assert.match(body.error_description, /this authorization code expired \(60 s lifetime\)/);
  assert.equal(body.id_token, undefined);
});
