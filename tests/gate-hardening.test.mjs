// The gate under inputs that once slipped past it: requests without a body to rewrite, sessions
// whose hub session is unknown, a module whose SCIM endpoint does not answer, and hub logins to
// a module that refuses them whatever the account. Each gets a clear answer, never a 5xx from
// the runtime. Tenant Initech's `down` (origin unreachable, unified login off) and `strict`
// (hub login required, SCIM unreachable) exist for these.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchAs } from './harness.mjs';
import { hubToken, sessionFor, setCookies, signIn } from './gate-helpers.mjs';

const form = (username, password) => new URLSearchParams({ username, password });

test('HEAD of an HTML page answers like GET without a body, signed in or not', async () => {
  const cookie = await sessionFor('psa', 'tech@acme.example');
  for (const [host, path, headers] of [
    ['psa.localhost', '/', { cookie }],
    ['rmm.localhost', '/login', {}],
  ]) {
    const get = await fetchAs(host, path, { headers });
    const head = await fetchAs(host, path, { method: 'HEAD', headers });
    assert.equal(get.status, 200, `GET ${host}${path}`);
    assert.equal(head.status, 200, `HEAD ${host}${path}`);
    assert.match(head.headers.get('content-type'), /^text\/html/);
    assert.equal(await head.text(), '');
  }
});

test('a session whose hub session the hub never issued counts as signed out', async () => {
  const unknown = await signIn('psa', hubToken('psa', 'tech@acme.example', { sid: 'sid-nope' }));
  const known = await signIn('psa', hubToken('psa', 'tech@acme.example'));
  for (const res of [unknown, known]) assert.equal(res.status, 302);
  const cookieOf = (res) => setCookies(res).find((it) => it.startsWith('onegate='))?.split(';')[0];

  // Without a sid there is nothing to check: the session holds (the control).
  const kept = await fetchAs('psa.localhost', '/', { headers: { cookie: cookieOf(known) } });
  assert.equal(kept.status, 200);
  // With a sid the hub does not know, psa (hub login required) sends the visitor to the hub.
  const ended = await fetchAs('psa.localhost', '/', { headers: { cookie: cookieOf(unknown) } });
  assert.equal(ended.status, 302);
  assert.match(ended.headers.get('location'), /\/\.onegate\/login\?return_to=/);
});

test('module credentials on a module that cannot tell the license: 503 that says so', async () => {
  // Hub login is required on `strict`, so whether `helpdesk` (a barred license, an implicit
  // exception) may use the form depends on the license, which the module cannot be asked.
  const res = await fetchAs('strict.localhost', '/login', {
    method: 'POST',
    body: form('helpdesk', 'demo-helpdesk'),
  });
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '5');
  const html = await res.text();
  assert.match(html, /could not tell your account(&#x27;|')s license type/);
  assert.doesNotMatch(html, /127\.0\.0\.1/);
  assert.deepEqual(setCookies(res), [], 'nothing was forwarded to the module');
});

test('hub login to a module without unified login is refused without asking the module', async () => {
  // `down` answers nothing at all: the refusal cannot have come from a module lookup.
  const token = hubToken('down', 'tech@acme.example', { tid: 't_initech', entitlements: ['down'] });
  const res = await signIn('down', token);
  assert.equal(res.status, 403);
  assert.match(await res.text(), /id="onegate-rule">hub_login_not_enabled</);
});

test('LiveMobile hub login is refused without asking the module', async () => {
  const token = hubToken('strict', 'tech@acme.example', { tid: 't_initech', entitlements: ['strict'] });
  const res = await signIn('strict', token, { headers: { 'x-client': 'LiveMobile' } });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /id="onegate-rule">live_mobile_refused</);
});

test('require hub login: other spellings of the login path are the login path', async () => {
  for (const path of ['/login/', '/LOGIN', '/%6Cogin']) {
    const res = await fetchAs('psa.localhost', path, {
      method: 'POST',
      body: form('tech', 'demo-tech'),
    });
    assert.equal(res.status, 302, path);
    assert.match(res.headers.get('location'), /\/\.onegate\/login\?return_to=/, path);
    assert.deepEqual(setCookies(res), [], `${path}: the module never saw the password`);
  }
});

test('require hub login: a post without a session elsewhere is refused with the rule', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const res = await fetchAs('psa.localhost', '/tickets', {
      method,
      body: method === 'DELETE' ? undefined : form('tech', 'demo-tech'),
    });
    assert.equal(res.status, 401, method);
    const html = await res.text();
    assert.match(html, /id="onegate-rule">hub_login_required</, method);
    // minijinja writes '/' in attributes as &#x2f;.
    assert.match(html, /\.onegate(\/|&#x2f;)login\?return_to=/, method);
  }
  // Optional hub login (rmm) keeps such requests the module's business.
  const rmm = await fetchAs('rmm.localhost', '/tickets', { method: 'POST', body: 'a=b' });
  assert.notEqual(rmm.status, 401);
  assert.ok(rmm.status < 500, `rmm: ${rmm.status}`);
});

test('stored login settings that do not parse: 503 that says so, not settings switched off', async () => {
  for (const [method, path] of [['GET', '/'], ['POST', '/login'], ['GET', '/.onegate/login']]) {
    const res = await fetchAs('broken.localhost', path, {
      method,
      body: method === 'POST' ? form('tech', 'demo-tech') : undefined,
    });
    assert.equal(res.status, 503, `${method} ${path}`);
    assert.match(await res.text(), /login settings cannot be read/, `${method} ${path}`);
  }
});

test("the gate's own pages cannot be framed and run no script", async () => {
  const res = await fetchAs('psa.localhost', '/tickets', { method: 'POST', body: 'a=b' });
  assert.equal(res.status, 401);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /script-src/);
});
