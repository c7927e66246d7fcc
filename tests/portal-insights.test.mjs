// Insights on live data. They read the gate's real sign-ins: a sign-in with module credentials
// on a module with unified login (rmm) counts in "still signing in with module credentials", and
// the same account's next hub login takes it out again. The gate records only the module username, its
// license type, the method and the time. Accounts: the rmm module account `admin`
// (admin@acme.example), which no other suite signs in to on rmm; portal4@acme.example (u_pia,
// a tenant admin) reads the insights. Every insight's link opens a real page for the admin,
// with the section its anchor names.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchAs } from './harness.mjs';
import { hubToken, setCookies, signIn } from './gate-helpers.mjs';
import { signInPortal } from './portal-helpers.mjs';
import { canReadD1, d1 } from './provisioning-helpers.mjs';

const INSIGHT = 'module_credentials_in_use:rmm';

let pia;
before(async () => {
  pia = await signInPortal('pia');
});

/** How many users the rmm module-credentials insight counts (0 when it is not shown). */
async function moduleCredentialUsers() {
  const { status, body } = await pia.api('/api/portal/insights');
  assert.equal(status, 200);
  const insight = body.insights.find((it) => it.id === INSIGHT);
  if (!insight) return 0;
  const count = Number(/^(\d+) Full-license/.exec(insight.reason)?.[1]);
  assert.ok(Number.isInteger(count), insight.reason);
  return count;
}

/** The text of an HTML attribute value (the templates escape `/` and `&`). */
const unescapeHtml = (text) => text
  .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
  .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
  .replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>')
  .replaceAll('&amp;', '&');

async function rmmRow() {
  if (!canReadD1()) return undefined;
  const rows = await d1(
    "SELECT * FROM module_sign_ins WHERE tenant_id = 't_acme' AND module_id = 'rmm' "
      + "AND username = 'admin'",
  );
  assert.equal(rows.length, 1, 'one row per account: the latest sign-in');
  return rows[0];
}

test('a module-credentials sign-in, then a hub login, show in the insights', async () => {
  const before = await moduleCredentialUsers();

  const login = await fetchAs('rmm.localhost', '/login', {
    method: 'POST',
    body: new URLSearchParams({ username: 'admin', password: 'demo-admin' }),
  });
  assert.equal(login.status, 303, 'the module accepted the login');
  assert.equal(await moduleCredentialUsers(), before + 1, 'the user counts now');
  const page = await (await pia.request('/insights')).text();
  assert.match(page, new RegExp(`data-insight="${INSIGHT}"`));
  const row = await rmmRow();
  if (row) {
    assert.deepEqual(Object.keys(row).sort(),
      ['at', 'license_type', 'method', 'module_id', 'tenant_id', 'username']);
    assert.equal(row.method, 'module_credentials');
    assert.equal(row.license_type, 'full');
  }

  const hub = await signIn('rmm', hubToken('rmm', 'admin@acme.example'));
  assert.equal(hub.status, 302, 'hub login allowed');
  assert.ok(setCookies(hub).some((it) => it.startsWith('onegate=')), 'gate session');
  assert.equal(await moduleCredentialUsers(), before, 'the latest sign-in is a hub login');
  const after = await rmmRow();
  if (after) {
    assert.equal(after.method, 'hub_login');
    assert.ok(after.at >= row.at);
  }
});

test('a refused or failed module login records nothing', async () => {
  const before = await moduleCredentialUsers();
  const res = await fetchAs('rmm.localhost', '/login', {
    method: 'POST',
    body: new URLSearchParams({ username: 'admin', password: 'wrong' }),
  });
  assert.equal(res.status, 401);
  assert.equal(await moduleCredentialUsers(), before);
});

test('every link on the insights page opens a real page for the admin', async () => {
  const html = await (await pia.request('/insights')).text();
  const links = [...html.matchAll(/<section class="insight[^>]*>[\s\S]*?<a href="([^"]+)"/g)]
    .map((m) => unescapeHtml(m[1]));
  assert.ok(links.length >= 5, `one link per insight: ${links}`);
  for (const link of links) {
    const [path, anchor] = link.split('#');
    const res = await pia.request(path);
    assert.equal(res.status, 200, link);
    const page = await res.text();
    if (anchor) assert.match(page, new RegExp(`id="${anchor}"`), `${link}: the anchor exists`);
  }
});
