// Return URLs after a hub login: only the tenant's own origins; anything else goes to the hub
// home. Plus the session cookie's attributes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EDGE_PORT, HUB_URL, fetchAs } from './harness.mjs';
import { gateOrigin, hubToken, setCookies, signIn } from './gate-helpers.mjs';

const HOME = `${HUB_URL}/`;
const attempts = [
  '//evil.example',
  '//evil.example/psa',
  '/\\evil.example',
  '\\\\evil.example',
  'https://evil.example/',
  `http://psa.localhost.evil.example:${EDGE_PORT}/`,
  `http://psa-localhost:${EDGE_PORT}/`,
  'javascript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  `http://psa.localhost:${EDGE_PORT + 1}/`,
  `https://psa.localhost:${EDGE_PORT}/`,
  `http://user:pass@psa.localhost:${EDGE_PORT}/`,
  'http://evil.example\t/',
];

for (const target of attempts) {
  test(`open redirect refused, hub home instead: ${JSON.stringify(target)}`, async () => {
    const res = await signIn('rmm', hubToken('rmm', 'tech@acme.example'), { returnTo: target });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), HOME);
  });
}

for (const [target, expected] of [
  ['/tickets?open=1', `${gateOrigin('rmm')}/tickets?open=1`],
  [`${gateOrigin('psa')}/`, `${gateOrigin('psa')}/`],
  [HOME, HOME],
]) {
  test(`the tenant's own origins are accepted: ${target}`, async () => {
    const res = await signIn('rmm', hubToken('rmm', 'tech@acme.example'), { returnTo: target });
    assert.equal(res.headers.get('location'), expected);
  });
}

test('the login start keeps only a validated return URL', async () => {
  const res = await fetchAs('rmm.localhost', '/.onegate/login?return_to=%2F%2Fevil.example');
  const cookie = setCookies(res).find((it) => it.startsWith('onegate_login='));
  const payload = cookie.split('=')[1].split(';')[0].split('.')[0];
  const state = JSON.parse(Buffer.from(payload, 'base64url').toString());
  assert.equal(state.return_to, HOME);
});

test('the session cookie is HttpOnly, SameSite=Lax, Path=/, host-only, bounded', async () => {
  const res = await signIn('rmm', hubToken('rmm', 'tech@acme.example'));
  const cookie = setCookies(res).find((it) => it.startsWith('onegate='));
  const attrs = cookie.split(';').map((it) => it.trim());
  assert.ok(attrs.includes('HttpOnly'));
  assert.ok(attrs.includes('SameSite=Lax'));
  assert.ok(attrs.includes('Path=/'));
  assert.ok(!attrs.some((it) => /^domain=/i.test(it)), 'host-only');
  const maxAge = Number(attrs.find((it) => it.startsWith('Max-Age=')).split('=')[1]);
  assert.ok(maxAge > 0 && maxAge <= 12 * 3600, `Max-Age ${maxAge}`);
  // Plain-http development: no Secure and no __Host- prefix (the https form is unit-tested in
  // edge/src/common/cookie.rs and edge/src/gate/session.rs).
  assert.ok(!attrs.includes('Secure'));
});
