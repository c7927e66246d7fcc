// The gate provisions into a SCIM 2.0 server nobody here wrote: PyPI `scim2-server` (pinned in
// xtask/src/setup.rs, in target/scim-venv), started here on a free loopback port with its stock
// RFC 7643 schemas. It has no /SecurityLevels and no onegate extension, so its gate row uses
// the `roles` SCIM profile (migrations/0600_gate_scim_profile.sql): the level is the one value
// of the core attribute `roles`, and the module's levels come from the gate's D1
// (gate_modules.scim_levels_json). The module `s2srv<run>` is registered in the edge's D1 by this
// test, pointing at the server's URL. Core decides the level, as for the demo modules.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { canReadD1, d1, hubSignIn, newHubUser, sessionOf, sql } from './provisioning-helpers.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SERVER_BIN = `${ROOT}target/scim-venv/bin/scim2-server`;
// A fresh module id per run: the gate caches a module's configuration per isolate, and each run
// points it at a new port.
const MODULE = `s2srv${Date.now().toString(36)}`;
const TOKEN = 'dev-scim-s2srv';
const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** The module's levels, as its admin would configure them in the gate. */
const LEVELS = [
  { id: 'viewer', name: 'Dashboard', active: true, rank: 10 },
  { id: 'helpdesk', name: 'Help Desk', active: true, rank: 20 },
  { id: 'tech', name: 'Technician', active: true, rank: 30 },
];
const SETTINGS = {
  unified_login: true,
  provisioning: true,
  defaults: {
    security_level: 'viewer', department: 'Service Desk', role: 'Technician',
    timesheet_approver: 'manager', expense_report_approver: 'manager',
  },
  access_groups: ['g_tech', 'g_helpdesk'],
};

const SKIP = !existsSync(SERVER_BIN)
  ? 'target/scim-venv/bin/scim2-server is missing: run `cargo xtask setup` to install the pinned scim2-server'
  : !canReadD1()
    ? 'the edge D1 state is not where `cargo xtask test` keeps it (set ONEGATE_EDGE_STATE)'
    : false;

let server;
let base;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A SCIM call to scim2-server itself. */
async function direct(path, { method = 'GET', body } = {}) {
  const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/scim+json' };
  if (body) headers['content-type'] = 'application/scim+json';
  const res = await fetch(`${base}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** The server's users named `userName`. */
async function usersNamed(userName) {
  const filter = encodeURIComponent(`userName eq ${JSON.stringify(userName)}`);
  const { status, body } = await direct(`/Users?filter=${filter}`);
  assert.equal(status, 200);
  return body.Resources ?? [];
}

before(async () => {
  if (SKIP) return;
  const port = await freePort();
  base = `http://localhost:${port}`;
  server = spawn(SERVER_BIN, ['--hostname', '127.0.0.1', '--port', String(port), '--bearer-token', TOKEN],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let log = '';
  server.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`scim2-server exited: ${log}`);
    try {
      if ((await direct('/ServiceProviderConfig')).status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`scim2-server did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  await d1(`INSERT INTO modules (id, tenant_id, name, origin, upstream, icon) VALUES
      (${sql(MODULE)}, 't_acme', 'SCIM server module', NULL, 'var:ONEGATE_DEMO_URL', NULL)
    ON CONFLICT (id) DO NOTHING;
    INSERT INTO module_settings (tenant_id, module_id, settings_json, updated_at) VALUES
      ('t_acme', ${sql(MODULE)}, ${sql(JSON.stringify(SETTINGS))}, 1767225600)
    ON CONFLICT (tenant_id, module_id) DO UPDATE SET settings_json = excluded.settings_json;
    INSERT INTO gate_modules (tenant_id, module_id, upstream_module, login_path, public_paths_json,
        scim_token, scim_base, scim_profile, scim_levels_json) VALUES
      ('t_acme', ${sql(MODULE)}, 'psa', '/login', '["/healthz"]', ${sql(TOKEN)}, ${sql(base)},
       'roles', ${sql(JSON.stringify(LEVELS))})
    ON CONFLICT (tenant_id, module_id) DO UPDATE SET scim_token = excluded.scim_token,
      scim_base = excluded.scim_base, scim_profile = excluded.scim_profile,
      scim_levels_json = excluded.scim_levels_json;`);
});

after(() => {
  server?.kill('SIGTERM');
});

test('the gate provisions into scim2-server: one account, username and level only, linked, level PATCHed', { skip: SKIP }, async () => {
  const user = newHubUser('s2');

  // First sign-in, in no access group: created with the default level.
  await sessionOf(await hubSignIn(MODULE, user));
  let found = await usersNamed(user.email);
  assert.equal(found.length, 1, 'exactly one account');
  const [created] = found;
  assert.deepEqual(created.roles.map((r) => r.value), ['viewer']);
  // Nothing but the username and the level was sent (the rest is the server's own).
  const sent = Object.keys(created).filter((k) => !['schemas', 'id', 'meta'].includes(k)).sort();
  assert.deepEqual(sent, ['roles', 'userName']);
  assert.deepEqual(created.schemas, [CORE_USER]);

  // Second sign-in, now a Technician: the same account is linked and its level PATCHed.
  await sessionOf(await hubSignIn(MODULE, user, { groups: ['Technician'] }));
  found = await usersNamed(user.email);
  assert.equal(found.length, 1, 'still one account');
  assert.equal(found[0].id, created.id);
  assert.deepEqual(found[0].roles.map((r) => r.value), ['tech']);
  const links = await d1(`SELECT account_id FROM module_account_links
    WHERE module_id = ${sql(MODULE)} AND hub_user_id = ${sql(user.sub)}`);
  assert.deepEqual(links.map((l) => l.account_id), [created.id], 'the gate linked that account');

  // A change made inside the module is overridden at the next sign-in.
  const changed = await direct(`/Users/${created.id}`, {
    method: 'PATCH',
    body: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'roles', value: [{ value: 'helpdesk' }] }],
    },
  });
  assert.ok([200, 204].includes(changed.status), `PATCH answered ${changed.status}`);
  await sessionOf(await hubSignIn(MODULE, user, { groups: ['Technician'] }));
  found = await usersNamed(user.email);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].roles.map((r) => r.value), ['tech']);
});
