// Tenants never share module accounts: Globex's `ops` gate stands in front of Globex's own demo
// PSA (`globex-psa`: its own users, levels and SCIM token), so a Globex hub user's provisioning
// neither finds, links, changes nor creates anything in Acme's demo PSA, and Globex's admin
// screen lists Globex's module users only. Hub sign-ins go through the gate's development token
// path; both PSAs are read over their own SCIM APIs. Globex admin: ops@globex.example (u_gil),
// which no other suite signs in with.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PORT, fetchAs } from './harness.mjs';
import { ACCOUNTS, Jar, currentStep, hub, postCode, postPassword, totpAt } from './hub-helpers.mjs';
import {
  EXT, canReadD1, createPsaAccount, d1, hubSignIn, levelOf, psaUsers, sessionOf, sql, unique,
} from './provisioning-helpers.mjs';

/** A SCIM call to Globex's own demo PSA. */
function globexScim(path, token = 'dev-scim-globex-psa', { method = 'GET', body } = {}) {
  const headers = { accept: 'application/scim+json', authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/scim+json';
  return fetchAs(`localhost:${DEMO_PORT}`, `/globex-psa/scim/v2${path}`, { method, headers, body });
}

/** Globex's PSA accounts with this username. */
async function globexUsers(username) {
  const filter = encodeURIComponent(`userName eq ${JSON.stringify(username)}`);
  const res = await globexScim(`/Users?filter=${filter}`);
  assert.equal(res.status, 200);
  return (await res.json()).Resources;
}

/** A Globex hub user (tenant t_globex) signing in to `ops`. */
const globexUser = (email) => ({ sub: `hub-globex-${unique('g')}`, email });

test("a Globex user whose email an Acme PSA account has gets a Globex account, Acme's untouched", async () => {
  const name = unique('shared');
  const email = `${name}@example.com`;
  const acme = await createPsaAccount(name, email, '4');

  const user = globexUser(email);
  await sessionOf(await hubSignIn('ops', user, { entitlements: ['ops'] }));

  const [mine] = await globexUsers(email);
  assert.ok(mine, "created in Globex's own PSA");
  assert.equal(levelOf(mine), '204', "Globex's default level (Viewer)");
  assert.equal(mine[EXT].department, 'Dispatch', "Globex's provisioning defaults");

  const [after] = await psaUsers(name);
  assert.equal(after.id, acme.id);
  assert.equal(levelOf(after), '4', "Acme's account keeps its level");
  assert.deepEqual(await psaUsers(email), [], 'nothing was created in Acme\'s PSA');

  if (canReadD1()) {
    const [link] = await d1(`SELECT tenant_id, module_id, account_id FROM module_account_links WHERE hub_user_id = ${sql(user.sub)}`);
    assert.deepEqual(link, { tenant_id: 't_globex', module_id: 'ops', account_id: mine.id });
  }
});

test("a Globex user is linked to Globex's own account with their email, never to Acme's", async () => {
  const name = unique('twin');
  const email = `${name}@example.com`;
  const acme = await createPsaAccount(name, email, '4');
  const created = await globexScim('/Users', 'dev-scim-globex-psa', {
    method: 'POST',
    body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT], userName: name,
      emails: [{ value: email, type: 'work' }], [EXT]: { securityLevel: '203' } },
  });
  assert.equal(created.status, 201);
  const globex = await created.json();

  const user = globexUser(email);
  await sessionOf(await hubSignIn('ops', user, { entitlements: ['ops'] }));
  assert.deepEqual((await globexUsers(email)), [], 'linked, not created');
  if (canReadD1()) {
    const [link] = await d1(`SELECT account_id FROM module_account_links WHERE hub_user_id = ${sql(user.sub)}`);
    assert.equal(link.account_id, globex.id, "Globex's account");
    assert.notEqual(link.account_id, acme.id);
  }
  const [untouched] = await psaUsers(name);
  assert.equal(levelOf(untouched), '4');
});

test("each PSA's SCIM token opens only its own store", async () => {
  assert.equal((await globexScim('/Users', 'dev-scim-psa')).status, 401, "Acme's token");
  const acme = await fetchAs(`localhost:${DEMO_PORT}`, '/psa/scim/v2/Users', {
    headers: { authorization: 'Bearer dev-scim-globex-psa' },
  });
  assert.equal(acme.status, 401, "Globex's token on Acme's PSA");
});

test("Globex's admin screen lists Globex's module users and levels only", async () => {
  const gil = ACCOUNTS['ops@globex.example'];
  const jar = new Jar();
  assert.equal((await postPassword(jar, gil.email, gil.password)).status, 303);
  assert.equal((await postCode(jar, totpAt(gil.totp_secret, currentStep()))).status, 303);

  const res = await hub(jar, '/admin/modules/ops/settings');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.doesNotMatch(html, /module&#x27;s settings could not be read|cannot be shown or checked/);
  assert.match(html, /<td>contractor<\/td><td>implicit: license type Contractor/, "Globex's own contractor");
  for (const acmeOnly of ['helpdesk', 'dashboard']) {
    assert.doesNotMatch(html, new RegExp(`<td>${acmeOnly}</td>`), `Acme's ${acmeOnly} is not listed`);
  }
  assert.match(html, /<td>Dispatcher<\/td>/, "Globex's levels");
  assert.doesNotMatch(html, /Former Staff/, "no Acme level");
});
