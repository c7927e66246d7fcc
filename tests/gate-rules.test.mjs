// The login rules of PRODUCT.md, enforced by the gate over HTTP against the seeded demo tenant:
// psa = unified login + require hub login (exception sales.one), rmm = unified login only,
// legacy and field = unified login off. Module accounts and licenses come from the demo's SCIM
// endpoint.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HUB_URL, fetchAs } from './harness.mjs';
import { gateOrigin, hubToken, sessionFor, setCookies, signIn } from './gate-helpers.mjs';

const form = (username, password) => new URLSearchParams({ username, password });
const LIVE_MOBILE = { 'x-client': 'LiveMobile' };

async function refusal(res, rule) {
  assert.equal(res.status, 403);
  const html = await res.text();
  assert.match(html, new RegExp(`id="onegate-rule">${rule}<`));
  return html;
}

test('require hub login: a visitor without a session is sent to the hub login', async () => {
  const res = await fetchAs('psa.localhost', '/');
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(location.origin, gateOrigin('psa'));
  assert.equal(location.pathname, '/.onegate/login');
  assert.equal(location.searchParams.get('return_to'), `${gateOrigin('psa')}/`);
});

test('require hub login: the module login page itself stays reachable for exceptions', async () => {
  const res = await fetchAs('psa.localhost', '/login');
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<form/i);
});

test('starting a hub login redirects to the hub with state, nonce and PKCE S256', async () => {
  const res = await fetchAs('psa.localhost', '/.onegate/login?return_to=%2F');
  assert.equal(res.status, 302);
  const to = new URL(res.headers.get('location'));
  assert.equal(`${to.origin}${to.pathname}`, `${HUB_URL}/oauth/authorize`);
  assert.equal(to.searchParams.get('client_id'), 'psa');
  assert.equal(to.searchParams.get('response_type'), 'code');
  assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(to.searchParams.get('redirect_uri'), `${gateOrigin('psa')}/.onegate/callback`);
  for (const it of ['state', 'nonce', 'code_challenge']) {
    assert.ok((to.searchParams.get(it) ?? '').length >= 32, `${it} is long and random`);
  }
  const cookie = setCookies(res).find((it) => it.startsWith('onegate_login='));
  assert.match(cookie ?? '', /HttpOnly/);
  assert.match(cookie ?? '', /SameSite=Lax/);
});

test('require hub login: module credentials of a non-exempt user are sent to the hub', async () => {
  const res = await fetchAs('psa.localhost', '/login', {
    method: 'POST',
    body: form('tech', 'demo-tech'),
  });
  assert.equal(res.status, 302);
  assert.match(res.headers.get('location'), /\/\.onegate\/login\?return_to=/);
  assert.deepEqual(setCookies(res), [], 'the module never saw the password: no session');
});

for (const [name, user] of [
  ['a listed user exception', 'sales.one'],
  ['a barred license type (implicit exception)', 'helpdesk'],
  ['a contractor (implicit exception)', 'contractor'],
]) {
  test(`require hub login: ${name} keeps using module credentials`, async () => {
    const res = await fetchAs('psa.localhost', '/login', {
      method: 'POST',
      body: form(user, `demo-${user}`),
    });
    assert.equal(res.status, 303, 'the module accepted the login');
    const cookies = setCookies(res);
    assert.ok(cookies.some((it) => it.startsWith('onegate=')), 'gate marks the session');
    assert.ok(cookies.some((it) => !it.startsWith('onegate')), 'module set its own session');
  });
}

test('hub login optional: module credentials keep working on rmm', async () => {
  const res = await fetchAs('rmm.localhost', '/login', {
    method: 'POST',
    body: form('tech', 'demo-tech'),
  });
  assert.equal(res.status, 303);
});

test('hub login optional: a visitor without a session reaches the module itself', async () => {
  const res = await fetchAs('rmm.localhost', '/');
  assert.notEqual(res.status, 302, 'not sent to the hub');
  assert.ok(!(res.headers.get('location') ?? '').includes('/.onegate/login'));
});

test('wrong module credentials are the module\'s to refuse', async () => {
  const res = await fetchAs('rmm.localhost', '/login', {
    method: 'POST',
    body: form('tech', 'wrong'),
  });
  assert.equal(res.status, 401);
});

test('unified login on: the LiveMobile app is refused with the reason', async () => {
  for (const module of ['psa', 'rmm']) {
    const res = await fetchAs(`${module}.localhost`, '/login', { headers: LIVE_MOBILE });
    const html = await refusal(res, 'live_mobile_refused');
    assert.match(html, /LiveMobile app cannot sign in/);
  }
  const byAgent = await fetchAs('rmm.localhost', '/', {
    headers: { 'user-agent': 'Autotask LiveMobile/3.1 (iOS)' },
  });
  await refusal(byAgent, 'live_mobile_refused');
});

test('unified login off: the LiveMobile app signs in with module credentials', async () => {
  // `field`, not `legacy`: a sign-in would end legacy's seeded `module_unused` insight.
  const res = await fetchAs('field.localhost', '/login', {
    method: 'POST',
    headers: LIVE_MOBILE,
    body: form('mobile', 'demo-mobile'),
  });
  assert.equal(res.status, 303);
});

test('hub login: a full license signs in and the module sees the user', async () => {
  const res = await signIn('psa', hubToken('psa', 'tech@acme.example'), { returnTo: '/' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `${gateOrigin('psa')}/`);
  const cookie = setCookies(res).find((it) => it.startsWith('onegate='));
  const page = await fetchAs('psa.localhost', '/', { headers: { cookie: cookie.split(';')[0] } });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /tech/);
  assert.match(html, /hub login/i);
});

for (const [email, license] of [
  ['helpdesk@acme.example', 'Co-Managed Help Desk User'],
  ['dashboard@acme.example', 'Dashboard User'],
  ['contractor@acme.example', 'Contractor'],
]) {
  test(`hub login: ${license} licenses are refused with the reason`, async () => {
    const res = await signIn('psa', hubToken('psa', email));
    const html = await refusal(res, 'license_barred_from_hub_login');
    assert.ok(html.includes(`${license} licenses cannot sign in with KaseyaOne`), html);
    assert.ok(!setCookies(res).some((it) => it.startsWith('onegate=')), 'no session');
  });
}

test('hub login: refused where unified login is off', async () => {
  const res = await signIn('legacy', hubToken('legacy', 'tech@acme.example'));
  await refusal(res, 'hub_login_not_enabled');
  const start = await fetchAs('legacy.localhost', '/.onegate/login');
  await refusal(start, 'hub_login_not_enabled');
});

test('hub login: refused from the LiveMobile app while unified login is on', async () => {
  const res = await signIn('rmm', hubToken('rmm', 'tech@acme.example'), { headers: LIVE_MOBILE });
  await refusal(res, 'live_mobile_refused');
});

test('hub login: a user without access to the module is refused', async () => {
  const token = hubToken('psa', 'tech@acme.example', { entitlements: ['rmm'] });
  const res = await signIn('psa', token);
  assert.equal(res.status, 403);
  assert.match(await res.text(), /do not have access to Demo PSA/);
});

test('hub login: a token for another tenant is refused', async () => {
  const res = await signIn('psa', hubToken('psa', 'tech@acme.example', { tid: 't_globex' }));
  assert.equal(res.status, 401);
});

test('a gate session carries over to later requests, and a tampered one does not', async () => {
  const cookie = await sessionFor('psa', 'manager@acme.example');
  const ok = await fetchAs('psa.localhost', '/', { headers: { cookie } });
  assert.equal(ok.status, 200);
  const tampered = cookie.slice(0, -3) + (cookie.endsWith('AAA') ? 'BBB' : 'AAA');
  const bad = await fetchAs('psa.localhost', '/', { headers: { cookie: tampered } });
  assert.equal(bad.status, 302, 'back to the hub');
  const rmmCookie = await sessionFor('rmm', 'tech@acme.example');
  const elsewhere = await fetchAs('psa.localhost', '/', { headers: { cookie: rmmCookie } });
  assert.equal(elsewhere.status, 302, 'a session of rmm does not open psa');
});
