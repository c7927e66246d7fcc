// End-to-end tests of the demo module Worker itself (no gate in front): module credentials,
// sessions, and the SCIM 2.0 endpoint. Runs against the demo `cargo xtask test` starts (port in
// ONEGATE_DEMO_PORT), or a `wrangler dev -c demo/wrangler.toml --port 8788` started by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PORT, fetchAs } from './harness.mjs';

const HOST = `localhost:${DEMO_PORT}`;
const PSA_TOKEN = 'dev-scim-psa';
const EXT = 'urn:onegate:params:scim:schemas:extension:module:2.0:User';
const SCIM_TYPE = 'application/scim+json';

/** A user name no earlier run used, so the tests can run again on the same database. */
const unique = (prefix) => `${prefix}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

function login(module, username, password, headers = {}) {
  return fetchAs(HOST, `/${module}/login`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ username, password }),
  });
}

function scim(path, { method = 'GET', body, token = PSA_TOKEN, module = 'psa' } = {}) {
  const headers = { accept: SCIM_TYPE };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = SCIM_TYPE;
  return fetchAs(HOST, `/${module}/scim/v2${path}`, { method, headers, body });
}

async function scimJson(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${await res.clone().text()}`);
  assert.equal(res.headers.get('content-type'), SCIM_TYPE);
  return res.json();
}

test('login page has the form, the login-choice placeholder and a CSP without inline scripts', async () => {
  const res = await fetchAs(HOST, '/psa/login');
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const html = await res.text();
  assert.match(html, /<div id="onegate-login-choice"><\/div>/);
  assert.match(html, /name="password"/);
});

test('module credentials sign in with a signed, HttpOnly, SameSite=Lax cookie', async () => {
  const res = await login('psa', 'Tech', 'demo-tech');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/psa/');
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^demo_psa_session=psa\.\d+\.\d+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);

  const session = cookie.split(';')[0];
  const home = await fetchAs(HOST, '/psa/', { headers: { cookie: session } });
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.match(html, /Signed in as <strong>tech<\/strong> \(level Technician\)/);
  assert.match(html, /<div id="onegate-launcher"><\/div>/);
  assert.match(html, /T20260401\.0001/, 'the PSA home lists tickets from D1');

  // The same cookie is worthless for the other module, and a tampered one for this module.
  const rmm = await fetchAs(HOST, '/rmm/', { headers: { cookie: session.replace('psa', 'rmm') } });
  assert.equal(rmm.status, 303);
  const tampered = session.replace(/\.(\d+)\./, (_, id) => `.${Number(id) + 1}.`);
  const bad = await fetchAs(HOST, '/psa/', { headers: { cookie: tampered } });
  assert.equal(bad.status, 303);
  assert.equal(bad.headers.get('location'), '/psa/login');
});

test('wrong password and unknown user get 401 with the form and a message', async () => {
  for (const [user, pw] of [['tech', 'wrong'], ['nobody', 'demo-tech']]) {
    const res = await login('psa', user, pw);
    assert.equal(res.status, 401, `${user}`);
    assert.equal(res.headers.get('set-cookie'), null);
    const html = await res.text();
    assert.match(html, /Wrong username or password\./);
    assert.match(html, /<form method="post"/);
  }
});

test('an inactive account is refused after a correct password', async () => {
  const res = await login('psa', 'former', 'demo-former');
  assert.equal(res.status, 403);
  assert.match(await res.text(), /inactive/);
});

test('the module can be named by the X-Onegate-Module header (as the gate does)', async () => {
  const res = await fetchAs(HOST, '/login', {
    method: 'POST',
    headers: { 'x-onegate-module': 'rmm' },
    body: new URLSearchParams({ username: 'mobile', password: 'demo-mobile' }),
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  const home = await fetchAs(HOST, '/', {
    headers: {
      'x-onegate-module': 'rmm',
      'x-client': 'LiveMobile',
      cookie: res.headers.get('set-cookie').split(';')[0],
    },
  });
  const html = await home.text();
  assert.match(html, /from the LiveMobile app/);
  assert.match(html, /ACME-FS01/, 'the RMM home lists devices from D1');

  const unknown = await fetchAs(HOST, '/', { headers: { 'x-onegate-module': 'crm' } });
  assert.equal(unknown.status, 400);
});

test('SCIM discovery documents', async () => {
  const spc = await scimJson(await scim('/ServiceProviderConfig'), 200);
  assert.equal(spc.patch.supported, true);
  assert.equal(spc.filter.supported, true);
  const types = await scimJson(await scim('/ResourceTypes'), 200);
  assert.deepEqual(types.Resources.map((r) => r.id), ['User', 'SecurityLevel']);
  const schemas = await scimJson(await scim('/Schemas'), 200);
  assert.ok(schemas.Resources.some((s) => s.id === EXT));
});

test('SCIM refuses a missing or wrong bearer token with 401', async () => {
  for (const token of [null, 'wrong', 'dev-scim-rmm']) {
    const body = await scimJson(await scim('/Users', { token }), 401);
    assert.deepEqual(body.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error']);
    assert.equal(body.status, '401');
  }
});

test('SCIM create takes the module defaults; a duplicate userName is 409 uniqueness', async () => {
  const userName = unique('scim.create');
  const created = await scimJson(
    await scim('/Users', {
      method: 'POST',
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        externalId: `hub-${userName}`,
        emails: [{ value: `${userName}@acme.example`, type: 'work', primary: true }],
      },
    }),
    201,
  );
  assert.equal(created.userName, userName);
  assert.match(created.id, /^\d+$/);
  assert.equal(created.meta.resourceType, 'User');
  assert.ok(created.meta.location.endsWith(`/psa/scim/v2/Users/${created.id}`));
  // The PSA's settings row: Dashboard (id 5), Service Desk, Technician, manager, manager.
  assert.equal(created[EXT].securityLevel, '5');
  // securityLevelName is `returned: "request"`: only when asked for with attributes=.
  assert.equal(created[EXT].securityLevelName, undefined);
  const named = await scimJson(
    await scim(`/Users/${created.id}?attributes=${EXT}:securityLevelName`),
    200,
  );
  assert.deepEqual(named[EXT], { securityLevelName: 'Dashboard' });
  assert.equal(named.userName, undefined);
  assert.equal(created[EXT].department, 'Service Desk');
  assert.equal(created[EXT].timesheetApprover, 'manager');

  const dup = await scimJson(
    await scim('/Users', { method: 'POST', body: { userName: userName.toUpperCase() } }),
    409,
  );
  assert.equal(dup.scimType, 'uniqueness');

  // The other module has its own store: the same name is free there.
  const rmm = await scim('/Users', {
    method: 'POST',
    module: 'rmm',
    token: 'dev-scim-rmm',
    body: { userName },
  });
  assert.equal(rmm.status, 201);
});

test('SCIM filters by userName and by work email, case-insensitively, with paging', async () => {
  const byName = await scimJson(
    await scim(`/Users?filter=${encodeURIComponent('userName eq "SALES.ONE"')}`),
    200,
  );
  assert.equal(byName.totalResults, 1);
  assert.equal(byName.Resources[0].userName, 'sales.one');

  const work = 'emails[type eq "work"].value eq "Sales.Two@ACME.example"';
  const byEmail = await scimJson(await scim(`/Users?filter=${encodeURIComponent(work)}`), 200);
  assert.deepEqual(byEmail.Resources.map((r) => r.userName), ['sales.two']);

  const any = await scimJson(
    await scim(`/Users?filter=${encodeURIComponent('emails.value eq "TECH@acme.example"')}`),
    200,
  );
  assert.deepEqual(any.Resources.map((r) => r.userName), ['tech']);

  const none = await scimJson(
    await scim(`/Users?filter=${encodeURIComponent('userName eq "no.such.user"')}`),
    200,
  );
  assert.equal(none.totalResults, 0);
  assert.deepEqual(none.Resources, []);

  const page = await scimJson(await scim('/Users?startIndex=2&count=3'), 200);
  assert.equal(page.startIndex, 2);
  assert.equal(page.itemsPerPage, 3);
  assert.ok(page.totalResults >= 10);

  const bad = await scimJson(await scim(`/Users?filter=${encodeURIComponent('userName eq')}`), 400);
  assert.equal(bad.scimType, 'invalidFilter');
});

test('SCIM PATCH replaces the security level and active; bad input is 400, never 5xx', async () => {
  const created = await scimJson(
    await scim('/Users', { method: 'POST', body: { userName: unique('scim.patch') } }),
    201,
  );
  const patched = await scimJson(
    await scim(`/Users/${created.id}`, {
      method: 'PATCH',
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [
          { op: 'replace', path: `${EXT}:securityLevel`, value: '3' },
          { op: 'replace', path: 'active', value: false },
        ],
      },
    }),
    200,
  );
  assert.equal(patched[EXT].securityLevel, '3');
  assert.equal(patched.active, false);

  const again = await scimJson(await scim(`/Users/${created.id}`), 200);
  assert.equal(again[EXT].securityLevel, '3');

  const cases = [
    ['not JSON', '{"Operations": [', 'invalidSyntax'],
    ['no operations', { schemas: [] }, 'invalidSyntax'],
    ['unknown level', { Operations: [{ op: 'replace', path: `${EXT}:securityLevel`, value: '999' }] }, 'invalidValue'],
    ['inactive level', { Operations: [{ op: 'replace', path: `${EXT}:securityLevel`, value: '8' }] }, 'invalidValue'],
    ['active not boolean', { Operations: [{ op: 'replace', path: 'active', value: 'perhaps' }] }, 'invalidValue'],
  ];
  for (const [name, body, scimType] of cases) {
    const res = await scim(`/Users/${created.id}`, { method: 'PATCH', body });
    const err = await scimJson(res, 400);
    assert.equal(err.scimType, scimType, name);
  }

  const badCreate = await scimJson(await scim('/Users', { method: 'POST', body: '{"userName": ' }), 400);
  assert.equal(badCreate.scimType, 'invalidSyntax');
  const noName = await scimJson(await scim('/Users', { method: 'POST', body: { active: true } }), 400);
  assert.equal(noName.scimType, 'invalidValue');

  const missing = await scim('/Users/999999', { method: 'PATCH', body: { Operations: [] } });
  assert.equal(missing.status, 404);
});

test('a SCIM user created with a password signs in with module credentials', async () => {
  const userName = unique('scim.pw');
  await scimJson(
    await scim('/Users', { method: 'POST', body: { userName, password: 'a long demo password' } }),
    201,
  );
  const res = await login('psa', userName, 'a long demo password');
  assert.equal(res.status, 303);
});
