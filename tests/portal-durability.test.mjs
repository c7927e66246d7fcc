// Durability of ticket writes: a private `wrangler dev` (own port, own D1 state) takes a burst
// of ticket creates, its whole process group is killed with SIGKILL in the middle, and after a
// restart on the same state every ticket that was acknowledged with a 2xx is there, once.
// Retrying the unacknowledged creates with their idempotency keys never duplicates a ticket.
// Account: portal3@acme.example (in the private database).

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PortalClient, migrateAndSeed, signInPortal, startEdge, tempState, ticketBody } from './portal-helpers.mjs';

const state = tempState();
let server;
after(async () => {
  await server?.kill('SIGKILL');
  rmSync(state, { recursive: true, force: true });
});

test('every acknowledged ticket survives a SIGKILL of the server mid-burst', { timeout: 240_000 }, async () => {
  await migrateAndSeed(state);
  server = await startEdge(state);
  const client = await signInPortal('pax', { port: server.port });
  const cookie = client.jar.header();

  const run = randomUUID().slice(0, 8);
  const sent = Array.from({ length: 120 }, (_, i) => ({
    key: `burst-${run}-${i}`,
    body: ticketBody({ subject: `Burst ${run} #${i}`, description: `Durability run ${run}, ticket ${i}.` }),
  }));
  const acked = new Map();
  let killed = false;

  // Four writers in parallel; the server is killed once 25 creates were acknowledged.
  let next = 0;
  const writer = async () => {
    while (next < sent.length) {
      const item = sent[next];
      next += 1;
      try {
        const res = await client.api('/api/portal/tickets', {
          method: 'POST',
          body: item.body,
          headers: { 'idempotency-key': item.key },
        });
        if (res.status >= 200 && res.status < 300) acked.set(item.key, res.body.ticket.id);
      } catch {
        // connection refused or reset: the server is gone
      }
      if (!killed && acked.size >= 25) {
        killed = true;
        await server.kill('SIGKILL');
      }
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
  assert.ok(killed, 'the server was killed during the burst');
  assert.ok(acked.size >= 25 && acked.size < sent.length, `acknowledged ${acked.size}`);

  server = await startEdge(state);
  const again = new PortalClient(server.port);
  again.jar.cookies = new Map(cookie.split('; ').map((kv) => kv.split('=')));

  for (const [key, id] of acked) {
    const res = await again.api(`/api/portal/tickets/${id}`);
    assert.equal(res.status, 200, `acknowledged ticket ${id} (${key}) is there`);
    assert.equal(res.body.ticket.subject, sent.find((s) => s.key === key).body.subject);
  }

  // Retrying everything with the same keys: acknowledged ones replay, the rest are created once.
  for (const item of sent.slice(0, 60)) {
    const res = await again.api('/api/portal/tickets', {
      method: 'POST',
      body: item.body,
      headers: { 'idempotency-key': item.key },
    });
    assert.equal(res.status, 201);
    if (acked.has(item.key)) assert.equal(res.body.ticket.id, acked.get(item.key));
  }
  // Every ticket of the run, page by page (up to 120 of them, more than one page holds).
  const subjects = [];
  let cursor = '';
  for (let pages = 0; pages < 20; pages += 1) {
    const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const listed = await again.api(`/api/portal/tickets?page_size=50&text=${encodeURIComponent(`burst ${run}`)}${q}`);
    assert.equal(listed.status, 200);
    subjects.push(...listed.body.items.map((t) => t.subject));
    cursor = listed.body.next_cursor;
    if (!cursor) break;
  }
  assert.equal(cursor, null, 'the pages end');
  assert.ok(subjects.length >= Math.max(acked.size, 60), `listed ${subjects.length}`);
  assert.equal(new Set(subjects).size, subjects.length, 'no ticket exists twice');
});
