// End-to-end tests of automatic user provisioning and access groups (PRODUCT.md), through real
// hub sign-ins at the gate (the development token path) and checked in the demo PSA's own user
// store over its SCIM API. Gates: `prov` (provisioning on; access groups Sales, Manager,
// Technician, Help Desk, Former Staff, in that order; defaults other than the demo PSA's own:
// approvers `admin` and `sales.one`, department Onboarding, role Junior Technician), `provoff`
// (provisioning off), `psa` (provisioning on, no access groups). Demo PSA levels:
// 1 Administrator, 2 Manager, 3 Technician, 4 Help Desk, 5 Dashboard (the default), 6 and 7
// Sales, 8 Former Staff (inactive). The demo PSA's own defaults for new users are department
// Service Desk, role Technician, approvers `manager`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchAs } from './harness.mjs';
import {
  EXT, canReadD1, createPsaAccount, d1, hubSignIn, levelOf, newHubUser, psaUser, psaUsers,
  sessionOf, setPsaLevel, sql, unique,
} from './provisioning-helpers.mjs';

/** Signs in and returns the user's PSA account afterwards. */
async function signInAndRead(module, user, options) {
  await sessionOf(await hubSignIn(module, user, options));
  return psaUser(user.email);
}

/** A 403 page that carries core's message. */
async function refused(res, message) {
  assert.equal(res.status, 403);
  const html = await res.text();
  assert.match(html, message);
  assert.ok(!res.headers.getSetCookie().some((it) => it.startsWith('onegate=')), 'no session');
}

test('first hub sign-in creates the account with the default level, and the user is signed in', async () => {
  const user = newHubUser('create');
  const res = await hubSignIn('prov', { ...user, email: user.email.toUpperCase() }, {
    email: user.email.toUpperCase(),
  });
  const cookie = await sessionOf(res);

  const account = await psaUser(user.email);
  assert.equal(account.userName, user.email, 'the username is the hub email, lower-cased');
  assert.equal(levelOf(account), '5', 'no access group: the default security level');
  assert.equal(account[EXT].licenseType, 'Full');
  // The hub's provisioning defaults, not the module's own (Service Desk, Technician, manager).
  assert.deepEqual(
    [account[EXT].timesheetApprover, account[EXT].department,
      account[EXT].expenseReportApprover, account[EXT].role],
    ['admin', 'Onboarding', 'sales.one', 'Junior Technician'],
  );

  const home = await fetchAs('prov.localhost', '/', { headers: { cookie } });
  assert.equal(home.status, 200);
  assert.ok((await home.text()).includes(user.email), 'the module sees the provisioned user');
});

test('of the user, only the username and the security level reach the module', async () => {
  const user = newHubUser('payload');
  const account = await signInAndRead('prov', user, { groups: ['Technician'] });
  assert.deepEqual(account.emails, [], 'no email was sent');
  assert.equal(account.externalId, undefined, 'no hub id was sent');
  assert.equal(account.name, undefined, 'no name was sent');
  assert.equal(account.displayName, undefined);
});

const creation = [
  ['one access group that maps gives its level', ['Technician'], '3'],
  ['several access groups at creation give the default level', ['Technician', 'Manager'], '5'],
  ['a group whose name two levels share maps to nothing', ['Sales'], '5'],
  ['a group whose only level is inactive maps to nothing', ['Former Staff'], '5'],
  ['a hub group the admin did not list is ignored', ['Administrator'], '5'],
];
for (const [name, groups, level] of creation) {
  test(`creation: ${name}`, async () => {
    const account = await signInAndRead('prov', newHubUser('groups'), { groups });
    assert.equal(levelOf(account), level);
  });
}

const signIns = [
  ['the first group in the admin order that maps wins', ['Technician', 'Manager'], '2'],
  ['a first group that maps to nothing is passed over', ['Help Desk', 'Sales'], '4'],
  ['no group that maps gives the default level', ['Former Staff', 'Administrator'], '5'],
];
for (const [name, groups, level] of signIns) {
  test(`sign-in: ${name}`, async () => {
    const user = newHubUser('order');
    await signInAndRead('prov', user, { groups: ['Dashboard-free'] });
    const account = await signInAndRead('prov', user, { groups });
    assert.equal(levelOf(account), level);
  });
}

test('a level changed inside the module is overridden at the next hub sign-in', async () => {
  const user = newHubUser('override');
  const created = await signInAndRead('prov', user, { groups: ['Technician'] });
  assert.equal(levelOf(created), '3');
  await setPsaLevel(created.id, '1');
  assert.equal(levelOf(await psaUser(user.email)), '1', 'changed inside the module');

  const again = await signInAndRead('prov', user, { groups: ['Technician'] });
  assert.equal(levelOf(again), '3');
  assert.equal(again.id, created.id, 'the same account');
});

test('without access groups a hub sign-in leaves the level as the module has it', async () => {
  const user = newHubUser('nogroups');
  const created = await signInAndRead('psa', user, { groups: ['Technician'] });
  assert.equal(levelOf(created), '5', 'created with the default');
  await setPsaLevel(created.id, '3');
  const again = await signInAndRead('psa', user, { groups: ['Technician'] });
  assert.equal(levelOf(again), '3');
});

test('an existing account with the same email (any case) is linked, not duplicated', async () => {
  const name = unique('existing');
  const email = `${name}@acme.example`;
  const existing = await createPsaAccount(name, email, '4');
  const user = { sub: `hub-${name}`, email: email.toUpperCase() };

  await sessionOf(await hubSignIn('prov', user, { groups: ['Manager'] }));
  assert.deepEqual(await psaUsers(email), [], 'no account named after the email');
  const linked = await psaUser(name);
  assert.equal(linked.id, existing.id);
  assert.equal(levelOf(linked), '2', 'linking applies the access-group level');

  await sessionOf(await hubSignIn('prov', user, { groups: [] }));
  assert.equal(levelOf(await psaUser(name)), '5', 'later sign-ins keep applying it');
});

test('an unverified hub email is never linked to an existing account', async () => {
  const name = unique('unverified');
  await createPsaAccount(name, `${name}@acme.example`);
  const res = await hubSignIn('prov', { sub: `hub-${name}`, email: `${name}@acme.example` }, {
    verified: false,
  });
  await refused(res, /verify your hub email address/);
});

test('an account linked to another hub user is never taken over', async () => {
  const name = unique('taken');
  const email = `${name}@acme.example`;
  await createPsaAccount(name, email);
  await sessionOf(await hubSignIn('prov', { sub: `hub-a-${name}`, email }));

  const res = await hubSignIn('prov', { sub: `hub-b-${name}`, email });
  await refused(res, /belongs to another hub user/);
});

test('two module accounts with the same email: neither is linked', async () => {
  const name = unique('twins');
  const email = `${name}@acme.example`;
  await createPsaAccount(`${name}.1`, email);
  await createPsaAccount(`${name}.2`, email);
  const res = await hubSignIn('prov', { sub: `hub-${name}`, email });
  await refused(res, /2 module accounts share your email address/);
});

test('provisioning off: a user without an account is refused and nothing is created', async () => {
  const user = newHubUser('off');
  const res = await hubSignIn('provoff', user);
  await refused(res, /automatic provisioning is off/);
  assert.deepEqual(await psaUsers(user.email), []);
});

test('provisioning off: an existing account is still linked and takes its group level', async () => {
  const name = unique('offlink');
  const existing = await createPsaAccount(name, `${name}@acme.example`, '5');
  await sessionOf(await hubSignIn('provoff', { sub: `hub-${name}`, email: `${name}@acme.example` }, {
    groups: ['Technician'],
  }));
  const linked = await psaUser(name);
  assert.equal(linked.id, existing.id);
  assert.equal(levelOf(linked), '3');
});

test('a user without access to the module gets no account', async () => {
  const user = newHubUser('noaccess');
  const res = await hubSignIn('prov', user, { entitlements: ['rmm'] });
  assert.equal(res.status, 403);
  assert.deepEqual(await psaUsers(user.email), []);
});

test('an account deleted inside the module is provisioned again, as a new seat', async () => {
  const user = newHubUser('deleted');
  const first = await signInAndRead('prov', user);
  const gone = await fetchAs(`localhost:${process.env.ONEGATE_DEMO_PORT ?? 8788}`,
    `/psa/scim/v2/Users/${first.id}`, {
      method: 'DELETE', headers: { authorization: 'Bearer dev-scim-psa' },
    });
  assert.equal(gone.status, 204);
  const second = await signInAndRead('prov', user);
  assert.notEqual(second.id, first.id);
  await signInAndRead('prov', user);

  if (!canReadD1()) return;
  const lines = await d1(`SELECT account_id, kind FROM billing_lines WHERE hub_user = ${sql(user.sub)} ORDER BY created_at, account_id`);
  assert.deepEqual(lines.map((it) => it.account_id).sort(), [first.id, second.id].sort(),
    'one charge per created account: the second seat is charged, a sign-in is not');
  assert.ok(lines.every((it) => it.kind === 'seat_added'));
});

test('a seat the module created but the gate failed to record is charged at the next sign-in', {
  skip: !canReadD1() && 'the edge D1 state is not at target/e2e/state/edge',
}, async () => {
  const user = newHubUser('unrecorded');
  // The gate's D1 batch after the SCIM create fails for this user, as when D1 fails or the
  // Worker is stopped between the module's answer and the link.
  const trigger = `refuse_link_${user.sub.replace(/[^A-Za-z0-9]/g, '_')}`;
  await d1(`CREATE TRIGGER ${trigger} BEFORE INSERT ON module_account_links
    WHEN NEW.hub_user_id = ${sql(user.sub)} BEGIN SELECT RAISE(ABORT, 'injected by the test'); END`);
  let failed;
  try {
    failed = await hubSignIn('prov', user);
  } finally {
    await d1(`DROP TRIGGER ${trigger}`);
  }
  assert.equal(failed.status, 503);
  const account = await psaUser(user.email);
  assert.ok(account, 'the module made the account');
  const charges = () => d1(`SELECT account_id, kind, date FROM billing_lines WHERE hub_user = ${sql(user.sub)}`);
  assert.deepEqual(await charges(), [], 'nothing charged yet');
  assert.equal((await d1(`SELECT id FROM pending_seats WHERE hub_user = ${sql(user.sub)}`)).length, 1);

  await sessionOf(await hubSignIn('prov', user));
  const today = new Date().toISOString().slice(0, 10);
  assert.deepEqual(await charges(), [{ account_id: account.id, kind: 'seat_added', date: today }],
    'the next sign-in links the account and charges its seat');
  assert.deepEqual(await d1(`SELECT id FROM pending_seats WHERE hub_user = ${sql(user.sub)}`), []);
  await sessionOf(await hubSignIn('prov', user));
  assert.equal((await charges()).length, 1, 'and only once');
});

test('linking an account the module already had charges nothing', {
  skip: !canReadD1() && 'the edge D1 state is not at target/e2e/state/edge',
}, async () => {
  const user = newHubUser('existing');
  const existing = await createPsaAccount(user.email, user.email, '4');
  const account = await signInAndRead('prov', user);
  assert.equal(account.id, existing.id, 'linked, not created');
  assert.deepEqual(await d1(`SELECT * FROM billing_lines WHERE hub_user = ${sql(user.sub)}`), []);
  assert.deepEqual(await d1(`SELECT * FROM pending_seats WHERE hub_user = ${sql(user.sub)}`), []);
});

test('an account named after the hub email but with another email is refused by core, once', async () => {
  const user = newHubUser('namesake');
  const other = `someone.else.${user.email}`;
  const existing = await createPsaAccount(user.email, other, '4');

  const res = await hubSignIn('prov', user);
  await refused(res, /the module already has an account whose username is your email address but whose email address is another one/);
  const found = await psaUsers(user.email);
  assert.deepEqual(found.map((it) => it.id), [existing.id], 'no second account was made');
  assert.equal(levelOf(found[0]), '4', 'the existing account is untouched');

  if (!canReadD1()) return;
  const audit = await d1(`SELECT outcome, rule FROM gate_audit WHERE actor = ${sql(user.sub)} AND event = 'provisioning' ORDER BY id`);
  assert.deepEqual(audit, [{ outcome: 'refused', rule: 'module_username_taken' }],
    'decided once by core, not retried');
  assert.deepEqual(await d1(`SELECT * FROM module_account_links WHERE hub_user_id = ${sql(user.sub)}`), []);
  assert.deepEqual(await d1(`SELECT * FROM billing_lines WHERE hub_user = ${sql(user.sub)}`), []);
});

test('a sign-in provisioning cannot gather facts for is audited without personal data', {
  skip: !canReadD1() && 'the edge D1 state is not at target/e2e/state/edge',
}, async () => {
  const user = newHubUser('noemail');
  const res = await hubSignIn('prov', user, { email: '' });
  await refused(res, /carries no email address/);
  const audit = await d1(`SELECT outcome, rule, detail FROM gate_audit WHERE actor = ${sql(user.sub)} AND event = 'provisioning'`);
  assert.deepEqual(audit, [{ outcome: 'refused', rule: 'value_invalid', detail: '{"step":"gather"}' }]);
});

test('a created account records one billing line; the audit log has ids, never emails', {
  skip: !canReadD1() && 'the edge D1 state is not at target/e2e/state/edge',
}, async () => {
  const user = newHubUser('billing');
  await signInAndRead('prov', user, { groups: ['Technician'] });
  await signInAndRead('prov', user, { groups: ['Manager'] });

  const account = await psaUser(user.email);
  const lines = await d1(`SELECT module_id, account_id, kind, date FROM billing_lines WHERE hub_user = ${sql(user.sub)}`);
  const today = new Date().toISOString().slice(0, 10);
  assert.deepEqual(lines, [{ module_id: 'prov', account_id: account.id, kind: 'seat_added', date: today }]);

  const audit = await d1(`SELECT outcome, rule, detail FROM gate_audit WHERE actor = ${sql(user.sub)} AND event = 'provisioning' ORDER BY id`);
  assert.deepEqual(audit.map((it) => [it.outcome, it.rule]), [
    ['create', 'group_matched'],
    ['update_level', 'group_matched'],
  ]);
  assert.ok(audit.every((it) => !it.detail.includes('@')), 'no email in the audit log');
  const [link] = await d1(`SELECT username, license_type FROM module_account_links WHERE hub_user_id = ${sql(user.sub)}`);
  assert.deepEqual(link, { username: user.email, license_type: 'full' });
});
