// Smoke test: the edge Worker answers for the hub and for a module host, and its D1 database
// is migrated and seeded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchAs } from './harness.mjs';

for (const [host, site] of [
  ['localhost', 'hub'],
  ['psa.localhost', 'psa'],
]) {
  test(`healthz on ${host} reports the ${site} site and a working D1`, async () => {
    const res = await fetchAs(host, '/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = await res.json();
    assert.equal(body.ok, true);
    assert.equal(body.site, site);
    // edge/seed.sql inserts the demo tenant, so an unseeded database shows up here.
    assert.ok(body.db.tenants >= 1, `expected seeded tenants, got ${JSON.stringify(body.db)}`);
  });
}

test('unknown hub routes answer 404', async () => {
  const res = await fetchAs('localhost', '/no-such-page', { method: 'POST', body: 'x' });
  assert.equal(res.status, 404);
});
