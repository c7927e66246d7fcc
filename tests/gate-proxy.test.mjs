// Proxying: the identity the module gets (only the gate's own assertion), the launcher injected
// into HTML and nothing else, clear 4xx answers for bad input, and a page (not a 5xx from the
// runtime) when the module's origin does not answer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PORT, fetchAs } from './harness.mjs';
import { forgedGateAssertion, gateOrigin, sessionFor } from './gate-helpers.mjs';

test('a client-sent Onegate-Assertion never reaches the module', async () => {
  const assertion = forgedGateAssertion('rmm', 'admin');
  // Control: sent straight to the module, the assertion signs "admin" in.
  const direct = await fetchAs(`localhost:${DEMO_PORT}`, '/', {
    headers: { 'onegate-assertion': assertion, 'x-onegate-module': 'rmm' },
  });
  assert.equal(direct.status, 200, 'the module trusts a genuine gate assertion');
  // Through the gate, the client's header is dropped: the module shows its own login.
  const via = await fetchAs('rmm.localhost', '/', { headers: { 'onegate-assertion': assertion } });
  assert.equal(via.status, 303);
  // The gate adds the requested page for the login choice (edge/src/gate/login_return.rs).
  assert.match(via.headers.get('location'), /\/login\?onegate_return_to=/);
});

test('HTML pages get the launcher data and script; the data is escaped JSON', async () => {
  const res = await fetchAs('rmm.localhost', '/login?x=%3C%2Fscript%3E');
  assert.equal(res.status, 200);
  const html = await res.text();
  const m = html.match(
    /<script type="application\/json" id="onegate-launcher-data">(.*?)<\/script>/s,
  );
  assert.ok(m, 'data block present');
  assert.ok(!m[1].includes('<'), 'no raw < inside the data block');
  const data = JSON.parse(m[1]);
  assert.equal(data.page, 'login');
  assert.equal(data.signed_in_via, 'nobody');
  assert.equal(data.unified_login, true);
  assert.equal(data.current_module, 'rmm');
  assert.ok(data.current_url.endsWith('/login?x=%3C%2Fscript%3E'), data.current_url);
  assert.match(html,
    /<script type="module" src="\/\.onegate\/v\/[0-9a-f]{16}\/launcher\.js"><\/script>\s*<\/body>/);
});

test('a hub session shows the waffle data with the entitled modules', async () => {
  const cookie = await sessionFor('rmm', 'tech@acme.example');
  const html = await (await fetchAs('rmm.localhost', '/', { headers: { cookie } })).text();
  const data = JSON.parse(html.match(/id="onegate-launcher-data">(.*?)<\/script>/s)[1]);
  assert.equal(data.signed_in_via, 'hub');
  assert.deepEqual(data.entitlements.map((it) => it.module_id).sort(), ['legacy', 'psa', 'rmm']);
  assert.equal(data.entitlements.find((it) => it.module_id === 'psa').url, `${gateOrigin('psa')}/`);
});

test('non-HTML responses pass through untouched', async () => {
  const viaGate = await fetchAs('rmm.localhost', '/assets/demo.css');
  const direct = await fetchAs(`localhost:${DEMO_PORT}`, '/assets/demo.css');
  assert.equal(viaGate.status, 200);
  assert.equal(await viaGate.text(), await direct.text());
});

test('the gate publishes the JWKS its module verifies assertions with', async () => {
  const res = await fetchAs('psa.localhost', '/.onegate/certs');
  assert.equal(res.status, 200);
  const { keys } = await res.json();
  assert.equal(keys.length, 1);
  assert.equal(keys[0].crv, 'Ed25519');
  assert.ok(!('d' in keys[0]), 'public only');
});

test('bad input gets a clear 4xx, never a 5xx', async () => {
  const cases = [
    ['psa.localhost', '/login', { method: 'POST', body: 'username=' + 'x'.repeat(20000) }, 413],
    ['psa.localhost', '/.onegate/nothing', {}, 404],
    ['nosuchmodule.localhost', '/', {}, 404],
    ['psa.localhost', '/.onegate/login?return_to=%ZZ', {}, 302],
  ];
  for (const [host, path, init, status] of cases) {
    const res = await fetchAs(host, path, init);
    assert.equal(res.status, status, `${host}${path}`);
  }
});

const clearedSession = (res) =>
  res.headers.getSetCookie().some((it) => it.startsWith('onegate=') && /Max-Age=0/.test(it));

/** True when `cookie` still opens a hub session on RMM (the waffle data says so). */
async function stillSignedIn(cookie) {
  const html = await (await fetchAs('rmm.localhost', '/', { headers: { cookie } })).text();
  const data = html.match(/id="onegate-launcher-data">(.*?)<\/script>/s);
  return Boolean(data) && JSON.parse(data[1]).signed_in_via === 'hub';
}

test('without a session, the sign-out page says signed out and clears the cookie', async () => {
  const res = await fetchAs('psa.localhost', '/.onegate/logout');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<h1>Signed out<\/h1>/);
  assert.ok(clearedSession(res));
});

test('a sign-out link asks first; only a same-origin post ends the session', async () => {
  const cookie = await sessionFor('rmm', 'tech@acme.example');
  assert.ok(await stillSignedIn(cookie), 'control: the session works');

  // A link (or an image) from anywhere: a question, not a sign-out.
  const asked = await fetchAs('rmm.localhost', '/.onegate/logout', { headers: { cookie } });
  assert.equal(asked.status, 200);
  const page = await asked.text();
  assert.match(page, /Sign out of Demo RMM\?/);
  // (minijinja escapes "/" in attribute values as &#x2f;.)
  assert.match(page,
    /<form method="post" action="&#x2f;.onegate&#x2f;logout"><button type="submit">Sign out/);
  assert.ok(!clearedSession(asked), 'the question clears nothing');
  assert.ok(await stillSignedIn(cookie));

  // Another site's form: refused, and the session stays.
  const forged = await fetchAs('rmm.localhost', '/.onegate/logout', {
    method: 'POST', headers: { cookie, origin: 'https://evil.example' },
  });
  assert.equal(forged.status, 403);
  assert.match(await forged.text(), /sent from another site/);
  assert.ok(!clearedSession(forged));
  assert.ok(await stillSignedIn(cookie));

  // The page's own button.
  const origin = gateOrigin('rmm');
  const done = await fetchAs('rmm.localhost', '/.onegate/logout', {
    method: 'POST', headers: { cookie, origin },
  });
  assert.equal(done.status, 200);
  assert.match(await done.text(), /<h1>Signed out<\/h1>/);
  assert.ok(clearedSession(done));
});

test('a module whose origin does not answer gets a 502 page that says so, for every method', async () => {
  for (const init of [{}, { method: 'POST', body: 'username=a&password=b' }]) {
    const res = await fetchAs('down.localhost', '/login', {
      ...init,
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    const html = await res.text();
    assert.match(html, /The module is not reachable/);
    assert.match(html, /Initech PSA/);
    // The page names no address of the origin.
    assert.doesNotMatch(html, /127\.0\.0\.1/);
  }
});
