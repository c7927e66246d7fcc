// A module's security levels have one source of truth, the module. The hub stores what it reads
// from the module (module_security_levels), so the "default security level is not the lowest"
// insight follows the real levels; the RMM's seeded default is one of its real levels, so its
// settings save; and the gate in front of the module's own security-level screen refuses to
// inactivate or delete the hub's default level with core's message, changing nothing in the
// module. Module `lvl` (edge/seed.sql): a gate in front of the demo RMM whose hub default is
// Technician (102) while Read Only (104) is lower. Demo RMM levels: 101 Administrator,
// 102 Technician, 103 Help Desk, 104 Read Only, 105 and 106 Operators. Admin:
// levels.admin@acme.example, which no other suite signs in with.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PORT, fetchAs } from './harness.mjs';
import { Jar, currentStep, hub, postCode, postPassword, totpAt } from './hub-helpers.mjs';
import { canReadD1, d1 } from './provisioning-helpers.mjs';

const ADMIN = { email: 'levels.admin@acme.example', password: 'hub-qa-tester-2026', totp: 'PIU5OBENHOKWCY2RQ4VBYSA6N7WI5OX5' };
const SETTINGS = '/admin/modules/lvl/settings';
const INSIGHT = 'default_level_not_lowest:lvl';

let admin;
before(async () => {
  admin = new Jar();
  assert.equal((await postPassword(admin, ADMIN.email, ADMIN.password)).status, 303);
  assert.equal((await postCode(admin, totpAt(ADMIN.totp, currentStep()))).status, 303);
});

/** The settings page's form, as fields that save it unchanged, plus `changes`. */
async function formOf(path, changes = {}) {
  const res = await hub(admin, path);
  assert.equal(res.status, 200, path);
  const html = await res.text();
  const start = html.indexOf('id="settings"');
  const form = html.slice(start, html.indexOf('</form>', start));
  const fields = {};
  for (const m of form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)) fields[m[1]] = m[2];
  for (const m of form.matchAll(/<input type="text" id="\w+" name="(\w+)" value="([^"]*)"/g)) fields[m[1]] = m[2];
  for (const m of form.matchAll(/<input type="checkbox" name="(\w+)" value="on" checked/g)) fields[m[1]] = 'on';
  fields.user_exceptions = form.match(/<textarea[^>]*>([^<]*)<\/textarea>/)[1];
  fields.security_level = form.match(/<option value="([^"]*)" selected/)?.[1] ?? '';
  return { ...fields, ...changes };
}

async function insights() {
  const res = await hub(admin, '/api/portal/insights');
  assert.equal(res.status, 200);
  return (await res.json()).insights;
}

/** The demo RMM's security level `id`, read from the module itself. */
async function rmmLevel(id) {
  const res = await fetchAs(`localhost:${DEMO_PORT}`, `/rmm/scim/v2/SecurityLevels/${id}`, {
    headers: { authorization: 'Bearer dev-scim-rmm' },
  });
  return { status: res.status, level: res.status === 200 ? await res.json() : null };
}

/** Signs in to the RMM through the `lvl` gate with module credentials (the RMM's `admin`). */
async function moduleAdmin() {
  const res = await fetchAs('lvl.localhost', '/login', {
    method: 'POST',
    body: new URLSearchParams({ username: 'admin', password: 'demo-admin' }),
  });
  assert.equal(res.status, 303, 'the module accepted its own credentials');
  return res.headers.getSetCookie().map((it) => it.split(';')[0]).join('; ');
}

function post(cookie, path) {
  return fetchAs('lvl.localhost', path, { method: 'POST', headers: { cookie }, body: '' });
}

test('the low-default insight follows the module\'s real levels', async () => {
  // Reading the settings screen reads the levels from the module and stores them.
  await formOf(SETTINGS);
  if (canReadD1()) {
    const stored = await d1("SELECT id, name, active, rank FROM module_security_levels WHERE tenant_id = 't_acme' AND module_id = 'lvl' ORDER BY id");
    const res = await fetchAs(`localhost:${DEMO_PORT}`, '/rmm/scim/v2/SecurityLevels', {
      headers: { authorization: 'Bearer dev-scim-rmm' },
    });
    const real = (await res.json()).Resources
      .map((it) => ({ id: it.id, name: it.name, active: it.active ? 1 : 0, rank: it.rank }))
      .sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(stored, real, 'D1 holds what the module says');
  }

  const fired = (await insights()).find((it) => it.id === INSIGHT);
  assert.ok(fired, 'Technician is not the lowest level: the insight is shown');
  assert.match(fired.reason, /“Technician” grants more than “Read Only”/);

  const lowest = await formOf(SETTINGS, { security_level: '104' });
  assert.equal((await hub(admin, SETTINGS, { method: 'POST', body: new URLSearchParams(lowest) })).status, 303);
  assert.equal((await insights()).find((it) => it.id === INSIGHT), undefined, 'gone with the lowest default');

  const back = await formOf(SETTINGS, { security_level: '102' });
  assert.equal((await hub(admin, SETTINGS, { method: 'POST', body: new URLSearchParams(back) })).status, 303);
  assert.ok((await insights()).some((it) => it.id === INSIGHT), 'and back with a higher one');
});

test("the RMM's seeded settings save: its default is one of the RMM's levels", async () => {
  const fields = await formOf('/admin/modules/rmm/settings');
  assert.equal(fields.security_level, '102');
  const role = `Technician ${Date.now()}`;
  const res = await hub(admin, '/admin/modules/rmm/settings', {
    method: 'POST', body: new URLSearchParams({ ...fields, role }),
  });
  assert.equal(res.status, 303, res.status === 303 ? '' : await res.text());
  assert.equal((await formOf('/admin/modules/rmm/settings')).role, role);
});

for (const [action, message] of [
  ['inactivate', 'the default security level cannot be inactivated; assign a new default security level first'],
  ['delete', 'the default security level cannot be deleted; assign a new default security level first'],
]) {
  test(`the gate refuses to ${action} the hub's default level in the module, which keeps it`, async () => {
    const cookie = await moduleAdmin();
    const page = await fetchAs('lvl.localhost', '/admin/security-levels', { headers: { cookie } });
    assert.equal(page.status, 200, 'the module admin sees the security-level screen');
    assert.match(await page.text(), /data-level="102"/);

    const res = await post(cookie, `/admin/security-levels/102/${action}`);
    assert.equal(res.status, 409);
    const html = await res.text();
    assert.ok(html.includes(message), html);
    assert.match(html, /default_security_level_cannot_be_/);

    const { status, level } = await rmmLevel(102);
    assert.equal(status, 200, 'the level still exists in the module');
    assert.equal(level.active, true, 'and is still active');
  });
}

test('a level that is not the default can be inactivated and activated again', async () => {
  const cookie = await moduleAdmin();
  const off = await post(cookie, '/admin/security-levels/103/inactivate');
  assert.equal(off.status, 303, 'passed to the module');
  assert.equal((await rmmLevel(103)).level.active, false, 'inactive in the module');

  const on = await post(cookie, '/admin/security-levels/103/activate');
  assert.equal(on.status, 303);
  assert.equal((await rmmLevel(103)).level.active, true);
});

test('the module itself refuses to delete a level its users hold', async () => {
  const cookie = await moduleAdmin();
  const res = await post(cookie, '/admin/security-levels/103/delete');
  assert.equal(res.status, 409);
  assert.match(await res.text(), /Help Desk still has \d+ user\(s\)/);
  assert.equal((await rmmLevel(103)).status, 200);
});

test('only module administrators reach the security-level screen', async () => {
  const res = await fetchAs('lvl.localhost', '/login', {
    method: 'POST',
    body: new URLSearchParams({ username: 'tech', password: 'demo-tech' }),
  });
  assert.equal(res.status, 303);
  const cookie = res.headers.getSetCookie().map((it) => it.split(';')[0]).join('; ');
  const page = await fetchAs('lvl.localhost', '/admin/security-levels', { headers: { cookie } });
  assert.equal(page.status, 403);
});
