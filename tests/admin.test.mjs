// The tenant admin's module settings screen and audit log on the hub, against the real Worker:
// the screen shows core's facts (implicit exceptions, low-level advice, access-group mapping,
// the module's security levels and every account over SCIM, paged); a save is checked by core
// and audited; each refusal shows core's message, changes nothing and is audited as refused
// with its code; a save from a stale form (another admin saved since) is a 409; access groups
// reorder; only the tenant's admins get in (403 for others, 404 for another tenant's module);
// forms carry a per-session CSRF token and the settings' version.
// Accounts: admin@acme.example (admin) and viewer@acme.example (not an admin). Module: `adm`
// (edge/seed.sql, admin section), which no other suite uses.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PORT, fetchAs } from './harness.mjs';
import { ACCOUNTS, Jar, currentStep, hub, postCode, postPassword, totpAt } from './hub-helpers.mjs';
import { EXT } from './provisioning-helpers.mjs';

const SETTINGS = '/admin/modules/adm/settings';
const VIEWER = { email: 'viewer@acme.example', password: 'hub-qa-tester-2026', totp: 'KXWUWOTCH6CKU3MQBTEICAQR37BFDMU3' };

/** Signs in with password and the current TOTP code; returns the cookie jar. */
async function signIn(email, password, secret) {
  const jar = new Jar();
  assert.equal((await postPassword(jar, email, password)).status, 303);
  const res = await postCode(jar, totpAt(secret, currentStep()));
  assert.equal(res.status, 303, `TOTP step for ${email}`);
  return jar;
}

let admin;
let viewer;
before(async () => {
  const ada = ACCOUNTS['admin@acme.example'];
  admin = await signIn(ada.email, ada.password, ada.totp_secret);
  viewer = await signIn(VIEWER.email, VIEWER.password, VIEWER.totp);
});

async function get(jar, path) {
  const res = await hub(jar, path);
  return { status: res.status, html: await res.text(), res };
}

function post(jar, path, fields) {
  return hub(jar, path, { method: 'POST', body: new URLSearchParams(fields) });
}

/** The hidden CSRF token of a page. */
function csrfOf(html) {
  const m = html.match(/name="csrf" value="([^"]+)"/);
  assert.ok(m, 'the page carries a CSRF token');
  return m[1];
}

/** The settings form's state as the page shows it: text values, checkboxes, select, textarea. */
function formState(html) {
  const start = html.indexOf('id="settings"');
  const form = html.slice(start, html.indexOf('</form>', start));
  const state = {};
  for (const m of form.matchAll(/<input type="text" id="(\w+)" name="\w+" value="([^"]*)"/g)) state[m[1]] = m[2];
  for (const m of form.matchAll(/<input type="checkbox" name="(\w+)" value="on"( checked)?/g)) state[m[1]] = Boolean(m[2]);
  state.user_exceptions = form.match(/<textarea[^>]*>([^<]*)<\/textarea>/)[1];
  state.security_level = form.match(/<option value="([^"]*)" selected/)?.[1] ?? '';
  return state;
}

/** The settings version the page's form was read at. */
function versionOf(html) {
  const m = html.match(/name="version" value="(\d+)"/);
  assert.ok(m, 'the form carries the settings version');
  return m[1];
}

/** The form fields of `html` that save `state` unchanged (checkboxes only when on). */
function fieldsOf(state, html) {
  const fields = { csrf: csrfOf(html), version: versionOf(html) };
  for (const [key, value] of Object.entries(state)) {
    if (value === true) fields[key] = 'on';
    else if (value !== false) fields[key] = value;
  }
  return fields;
}

/** The audit rows about module `adm` on the first page, newest first. */
async function admAudit(path = '/admin/audit') {
  const { status, html } = await get(admin, path);
  assert.equal(status, 200);
  return [...html.matchAll(/data-id="(\d+)" data-event="(\w+)" data-outcome="(\w+)" data-actor="([^"]*)" data-module="adm">(.*?)<\/tr>/gs)]
    .map((m) => ({ id: Number(m[1]), event: m[2], outcome: m[3], actor: m[4], text: m[5] }));
}

/** The ids of the audit rows about module `adm`, newest first. */
async function admAuditIds(path = '/admin/audit') {
  return (await admAudit(path)).map((it) => it.id);
}

/** Saves the settings screen as it is now with `changes`; returns the response. */
async function saveWith(changes) {
  const page = await get(admin, SETTINGS);
  return post(admin, SETTINGS, { ...fieldsOf(formState(page.html), page.html), ...changes });
}

/** The access groups in the screen's order. */
const groupOrder = (html) => [...html.matchAll(/<tr data-group="([^"]+)">/g)].map((m) => m[1]);

test('the settings screen shows login settings, exceptions, defaults, advice, access groups and levels', async () => {
  const { status, html, res } = await get(admin, SETTINGS);
  assert.equal(status, 200);
  assert.match(res.headers.get('content-security-policy'), /default-src 'none'/);
  assert.doesNotMatch(html, /<script/i, 'no script under the CSP');

  const state = formState(html);
  assert.equal(state.unified_login, true);
  assert.equal(state.require_hub_login, false);
  assert.equal(state.security_level, '3');
  for (const field of ['timesheet_approver', 'department', 'expense_report_approver', 'role']) {
    assert.ok(field in state, `default ${field} is on the form`);
  }

  // Listed and implicit exceptions (barred license types, from the module's accounts over SCIM).
  assert.match(html, /<td>sales\.one<\/td><td>listed exception<\/td>/);
  assert.match(html, /<td>helpdesk<\/td><td>implicit: license type Co-Managed Help Desk User cannot use hub login<\/td>/);
  assert.match(html, /<td>dashboard<\/td><td>implicit: license type Dashboard User/);
  assert.match(html, /<td>contractor<\/td><td>implicit: license type Contractor/);

  // Core's low-level advice applies (Technician while Dashboard is lower), and the static note.
  assert.match(html, /for security, use a low security level as the default: “Technician” grants more than “Dashboard”/);
  assert.match(html, /id="low-level-note"/);

  // Access groups in the admin's order, each with what it maps to.
  assert.deepEqual(groupOrder(html).slice(0, 3), ['g_tech', 'g_manager', 'g_sales']);
  assert.match(html, /maps to security level “Technician”/);
  assert.match(html, /maps to nothing: 2 security levels are named “Sales”/);

  // The module's security levels with their active flags, the default marked.
  assert.match(html, /<td>Technician <strong>\(default\)<\/strong><\/td><td>3<\/td><td>active<\/td>/);
  assert.match(html, /<td>Former Staff<\/td><td>8<\/td><td>inactive<\/td>/);
});

test('a valid save is stored, shown and audited with who and which fields changed', async () => {
  const page = await get(admin, SETTINGS);
  const state = formState(page.html);
  const department = `Service Desk ${Date.now()}`;
  const res = await post(admin, SETTINGS, { ...fieldsOf(state, page.html), department });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), SETTINGS);

  const after = formState((await get(admin, SETTINGS)).html);
  assert.equal(after.department, department);
  assert.deepEqual({ ...after, department: state.department }, state, 'nothing else changed');

  const audit = await get(admin, '/admin/audit');
  const row = audit.html.match(/data-event="settings" data-outcome="saved" data-actor="u_ada" data-module="adm">.*?<\/tr>/s);
  assert.ok(row, 'a settings row by u_ada about adm');
  assert.match(row[0], /changed: defaults\.department</);
});

const REFUSALS = [
  {
    name: 'require_hub_login_needs_unified_login',
    change: (f) => { delete f.unified_login; f.require_hub_login = 'on'; },
    message: 'require hub login can only be turned on while unified login is on',
  },
  {
    name: 'provisioning_needs_every_default',
    change: (f) => { f.provisioning = 'on'; f.role = ''; },
    message: 'automatic user provisioning needs a default role; set one before turning provisioning on',
  },
  {
    name: 'unknown_user_exception',
    change: (f) => { f.user_exceptions = 'sales.one\nnobody.here'; },
    message: 'user exception “nobody.here” is not a user of this module',
  },
  {
    name: 'inactive_default_security_level',
    change: (f) => { f.security_level = '8'; },
    message: 'security level “Former Staff” is inactive and cannot be the default; activate it or choose another',
  },
];

for (const row of REFUSALS) {
  test(`refused: ${row.name} shows core's message with 422, changes nothing, audits the refusal`, async () => {
    const page = await get(admin, SETTINGS);
    const before = formState(page.html);
    const auditBefore = await admAuditIds();
    const fields = fieldsOf(before, page.html);
    row.change(fields);

    const res = await post(admin, SETTINGS, fields);
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.ok(html.includes(row.message.replaceAll('`', '&#x60;')) || html.includes(row.message), `message: ${row.message}`);
    assert.match(html, /nothing was saved/);

    assert.deepEqual(formState((await get(admin, SETTINGS)).html), before, 'settings unchanged');
    const added = (await admAudit()).filter((it) => !auditBefore.includes(it.id));
    assert.equal(added.length, 1, 'one audit row: the refusal');
    assert.equal(added[0].outcome, 'refused');
    assert.equal(added[0].actor, 'u_ada');
    const code = html.match(/\((\w+); nothing was saved\)/)[1];
    assert.match(added[0].text, new RegExp(`<span class="muted">${code}</span>`), 'with core\'s code');
  });
}

test('a save from a form older than the stored settings is refused with 409 and writes nothing', async () => {
  const first = await get(admin, SETTINGS);
  const second = await get(admin, SETTINGS);
  const state = formState(first.html);
  const auditBefore = await admAuditIds();

  const mine = await post(admin, SETTINGS, { ...fieldsOf(state, first.html), role: `First ${Date.now()}` });
  assert.equal(mine.status, 303, 'the first save wins');
  const afterFirst = formState((await get(admin, SETTINGS)).html);

  const stale = await post(admin, SETTINGS, { ...fieldsOf(state, second.html), department: 'Stale edit' });
  assert.equal(stale.status, 409);
  const html = await stale.text();
  assert.match(html, /someone saved these settings after you opened them/);
  assert.match(html, /version_conflict; nothing was saved/);
  assert.equal(formState(html).role, afterFirst.role, 'the 409 screen shows the stored settings');
  assert.notEqual(versionOf(html), versionOf(second.html), 'and their current version');

  assert.deepEqual(formState((await get(admin, SETTINGS)).html), afterFirst, 'the stale save wrote nothing');
  const added = (await admAudit()).filter((it) => !auditBefore.includes(it.id));
  assert.deepEqual(added.map((it) => it.outcome), ['refused', 'saved']);
  assert.match(added[0].text, /version_conflict/);

  const missing = await post(admin, SETTINGS, { ...fieldsOf(state, first.html), version: '' });
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /reload the page and save again/);
});

test('implicit exceptions cover module accounts beyond the first SCIM page', async () => {
  const scim = (path, init = {}) => fetchAs(`localhost:${DEMO_PORT}`, `/psa/scim/v2${path}`, {
    ...init, headers: { authorization: 'Bearer dev-scim-psa', 'content-type': 'application/scim+json' },
  });
  const total = (await (await scim('/Users?count=0')).json()).totalResults;
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const create = (name, license) => scim('/Users', {
    method: 'POST',
    body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', EXT], userName: name,
      [EXT]: { licenseType: license } },
  });
  // Enough accounts that the newest lies beyond the first 50 and the first 100.
  for (let i = total; i < 120; i += 1) {
    assert.equal((await create(`filler.${stamp}.${i}`, 'Full')).status, 201);
  }
  const late = `late.contractor.${stamp}`;
  assert.equal((await create(late, 'Contractor')).status, 201);

  const { html } = await get(admin, SETTINGS);
  assert.ok(html.includes(`<td>${late}</td><td>implicit: license type Contractor`), 'the newest account is listed');
  assert.doesNotMatch(html, /id="accounts-bounded"/);
});

test('access groups move down and up, each move audited', async () => {
  const page = await get(admin, SETTINGS);
  const csrf = csrfOf(page.html);
  const start = groupOrder(page.html);
  assert.deepEqual(start.slice(0, 2), ['g_tech', 'g_manager']);

  const down = await post(admin, '/admin/modules/adm/access-groups', { csrf, action: 'down', group: 'g_tech' });
  assert.equal(down.status, 303);
  const moved = groupOrder((await get(admin, SETTINGS)).html);
  assert.deepEqual(moved, [start[1], start[0], ...start.slice(2)]);

  const audit = await get(admin, '/admin/audit');
  assert.match(audit.html, /data-module="adm">(?:(?!<\/tr>).)*changed: access_groups/s);

  const up = await post(admin, '/admin/modules/adm/access-groups', { csrf, action: 'up', group: 'g_tech' });
  assert.equal(up.status, 303);
  assert.deepEqual(groupOrder((await get(admin, SETTINGS)).html), start);

  const unknown = await post(admin, '/admin/modules/adm/access-groups', { csrf, action: 'add', group: 'g_nope' });
  assert.equal(unknown.status, 422);
  assert.match(await unknown.text(), /access group “g_nope” is not a hub group of this tenant/);
});

test('a signed-in user who is not an admin is refused with 403', async () => {
  for (const path of ['/admin/modules', SETTINGS, '/admin/audit']) {
    const { status, html } = await get(viewer, path);
    assert.equal(status, 403, path);
    assert.match(html, /only an admin of your account/);
  }
  const res = await post(viewer, SETTINGS, { csrf: 'x', unified_login: 'on' });
  assert.equal(res.status, 403);
});

test('signed out, the admin pages send to the hub sign-in', async () => {
  const res = await hub(null, SETTINGS);
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/signin\?return_to=%2Fadmin%2Fmodules%2Fadm%2Fsettings$/);
});

test("another tenant's module, or none, is a 404 for an admin", async () => {
  const csrf = csrfOf((await get(admin, SETTINGS)).html);
  for (const id of ['ops', 'no-such-module']) {
    assert.equal((await get(admin, `/admin/modules/${id}/settings`)).status, 404, id);
    const res = await post(admin, `/admin/modules/${id}/settings`, { csrf, unified_login: 'on' });
    assert.equal(res.status, 404, `POST ${id}`);
  }
  const list = await get(admin, '/admin/modules');
  assert.equal(list.status, 200);
  assert.match(list.html, /href="\/admin\/modules\/adm\/settings"/);
  assert.doesNotMatch(list.html, /\/admin\/modules\/ops\//, 'no Globex module listed');
});

test('a missing or wrong CSRF token is refused with 403 and writes nothing', async () => {
  const page = await get(admin, SETTINGS);
  const before = formState(page.html);
  const fields = fieldsOf(before, page.html);
  fields.department = 'Changed by a forged form';

  const real = csrfOf(page.html);
  const altered = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
  for (const csrf of [undefined, '', 'forged', altered]) {
    const body = { ...fields };
    if (csrf === undefined) delete body.csrf;
    else body.csrf = csrf;
    const res = await post(admin, SETTINGS, body);
    assert.equal(res.status, 403, `csrf ${csrf}`);
    assert.match(await res.text(), /csrf_token_invalid/);
  }
  const move = await post(admin, '/admin/modules/adm/access-groups', { action: 'down', group: 'g_tech' });
  assert.equal(move.status, 403);
  assert.deepEqual(formState((await get(admin, SETTINGS)).html), before);
});

test("the CSRF token belongs to the session: another admin session's token is refused", async () => {
  const mine = csrfOf((await get(admin, SETTINGS)).html);
  const ada = ACCOUNTS['admin@acme.example'];
  const second = new Jar();
  assert.equal((await postPassword(second, ada.email, ada.password)).status, 303);
  const code = await postCode(second, totpAt(ada.totp_secret, currentStep() + 1));
  assert.equal(code.status, 303);
  const theirs = csrfOf((await get(second, SETTINGS)).html);
  assert.notEqual(theirs, mine);
  const res = await post(second, SETTINGS, { csrf: mine, unified_login: 'on' });
  assert.equal(res.status, 403);
});

test('the audit log pages newest first with a row-id cursor', async () => {
  for (const role of ['Technician A', 'Technician B']) {
    assert.equal((await saveWith({ role })).status, 303);
  }
  const ids = await admAuditIds();
  assert.ok(ids.length >= 2);
  assert.deepEqual([...ids].sort((a, b) => b - a), ids, 'newest first');

  const older = await admAuditIds(`/admin/audit?before=${ids[0]}`);
  assert.ok(!older.includes(ids[0]));
  assert.equal(older[0], ids[1]);

  assert.equal((await get(admin, '/admin/audit?before=abc')).status, 400);
});

test("the audit log shows the tenant's provisioning and settings rows only, across pages", async () => {
  // More settings changes than one page holds (25), so the seeded row is on a later page.
  for (let i = 0; i < 26; i += 1) {
    assert.equal((await saveWith({ role: `Technician ${i}` })).status, 303);
  }

  const rows = [];
  let pagesSeen = 0;
  let path = '/admin/audit';
  for (; path && pagesSeen < 200; pagesSeen += 1) {
    const { status, html } = await get(admin, path);
    assert.equal(status, 200);
    for (const m of html.matchAll(/<tr [^>]*data-id="(\d+)" data-event="(\w+)"[^>]*data-module="(\w+)">(.*?)<\/tr>/gs)) {
      rows.push({ id: Number(m[1]), event: m[2], module: m[3], text: m[4] });
    }
    path = html.match(/<a rel="next" href="([^"]+)">/)?.[1].replaceAll('&amp;', '&') ?? null;
  }
  assert.equal(path, null, 'the pages end');
  assert.ok(pagesSeen >= 2, 'the log spans more than one page');
  const ids = rows.map((it) => it.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first across pages, no repeats');
  assert.equal(new Set(ids).size, ids.length);

  const seeded = rows.find((it) => it.event === 'provisioning' && /seeded: account created/.test(it.text));
  assert.ok(seeded, 'the provisioning row is listed');
  assert.match(seeded.text, /u_tom/);
  assert.ok(rows.every((it) => ['settings', 'provisioning'].includes(it.event)), 'only settings and provisioning');
  assert.ok(!rows.some((it) => it.module === 'ops' || /Globex/.test(it.text)), "no other tenant's rows");
});
