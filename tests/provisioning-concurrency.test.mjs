// Provisioning is idempotent under concurrency: 50 concurrent first hub sign-ins of the same
// user yield exactly one module account, one link, one billing line and 50 signed-in answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canReadD1, d1, hubSignIn, newHubUser, psaUsers, sql,
} from './provisioning-helpers.mjs';

const SIGN_INS = 50;

test(`${SIGN_INS} concurrent first sign-ins of one user make exactly one account`, { timeout: 120_000 }, async () => {
  const user = newHubUser('burst');
  const answers = await Promise.all(
    Array.from({ length: SIGN_INS }, () => hubSignIn('prov', user, { groups: ['Technician'] })),
  );
  const statuses = answers.map((it) => it.status);
  const bodies = await Promise.all(answers.filter((it) => it.status !== 302).map((it) => it.text()));
  assert.deepEqual(statuses, Array(SIGN_INS).fill(302), bodies.slice(0, 2).join('\n'));
  for (const res of answers) {
    assert.ok(res.headers.getSetCookie().some((it) => it.startsWith('onegate=')), 'a session');
  }

  const accounts = await psaUsers(user.email);
  assert.equal(accounts.length, 1, 'exactly one module account');

  if (!canReadD1()) return;
  const links = await d1(`SELECT account_id FROM module_account_links WHERE hub_user_id = ${sql(user.sub)}`);
  assert.deepEqual(links, [{ account_id: accounts[0].id }]);
  const lines = await d1(`SELECT kind FROM billing_lines WHERE hub_user = ${sql(user.sub)}`);
  assert.equal(lines.length, 1, 'one billing line');
  const created = await d1(`SELECT COUNT(*) AS n FROM gate_audit WHERE actor = ${sql(user.sub)} AND outcome = 'create'`);
  assert.equal(created[0].n, 1, 'one creation in the audit log');
});
