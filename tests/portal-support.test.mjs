// Portal support tickets over HTTP, against the real Worker and D1: create (JSON and HTML form),
// idempotency keys, bad input that writes nothing, filters and cursor paging, version checks
// (409 / 412 / 428), comments, sign-in and same-origin checks. Account: portal@acme.example.

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { HUB_URL, fetchAs } from './harness.mjs';
import { signInPortal, ticketBody } from './portal-helpers.mjs';

let pat;
before(async () => {
  pat = await signInPortal('pat');
});

/** How many of the tenant's tickets contain `marker` in subject or description. */
async function countWith(marker) {
  const res = await pat.api(`/api/portal/tickets?page_size=100&text=${encodeURIComponent(marker)}`);
  assert.equal(res.status, 200);
  return res.body.items.length;
}

const create = (body, headers = {}) =>
  pat.api('/api/portal/tickets', { method: 'POST', body, headers });

describe('create', () => {
  test('a ticket is created with status new, version 1 and a random id, and can be read', async () => {
    const marker = `create-${randomUUID()}`;
    const res = await create(ticketBody({ subject: `Report missing ${marker}`, priority: 'high' }));
    assert.equal(res.status, 201);
    const t = res.body.ticket;
    assert.equal(t.status, 'new');
    assert.equal(t.version, 1);
    assert.equal(t.priority, 'high');
    assert.match(t.id, /^tk_[A-Za-z0-9_-]{16}$/);
    assert.equal(res.headers.get('etag'), '"1"');

    const read = await pat.api(`/api/portal/tickets/${t.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.ticket.subject, `Report missing ${marker}`);
    assert.deepEqual(read.body.comments, []);
    assert.equal(await countWith(marker), 1);
  });

  test('two creates get unrelated ids (not sequential)', async () => {
    const a = await create(ticketBody({ subject: 'id check a' }));
    const b = await create(ticketBody({ subject: 'id check b' }));
    assert.notEqual(a.body.ticket.id, b.body.ticket.id);
    assert.notEqual(a.body.ticket.id.slice(0, 8), b.body.ticket.id.slice(0, 8));
  });

  test('the same idempotency key twice creates one ticket and replays it', async () => {
    const marker = `idem-${randomUUID()}`;
    const key = randomUUID();
    const body = ticketBody({ subject: `Dup ${marker}` });
    const first = await create(body, { 'idempotency-key': key });
    const second = await create(body, { 'idempotency-key': key });
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('idempotency-replayed'), 'true');
    assert.equal(second.body.ticket.id, first.body.ticket.id);
    assert.equal(await countWith(marker), 1);
  });

  test('concurrent creates under one key still make one ticket', async () => {
    const marker = `race-${randomUUID()}`;
    const key = randomUUID();
    const body = ticketBody({ subject: `Race ${marker}` });
    const all = await Promise.all(
      Array.from({ length: 6 }, () => create(body, { 'idempotency-key': key })),
    );
    for (const res of all) assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(new Set(all.map((r) => r.body.ticket.id)).size, 1);
    assert.equal(await countWith(marker), 1);
  });

  test('the same key with a different body is refused with 422 and writes nothing', async () => {
    const marker = `reuse-${randomUUID()}`;
    const key = randomUUID();
    assert.equal((await create(ticketBody(), { 'idempotency-key': key })).status, 201);
    const res = await create(ticketBody({ subject: `Other ${marker}` }), { 'idempotency-key': key });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, 'idempotency_key_reused');
    assert.equal(await countWith(marker), 0);
  });
});

describe('bad input gets a clear 4xx and writes nothing', () => {
  const rows = [
    ['missing_module', { module: '' }, {}, 400, 'ticket_module_unknown'],
    ['unknown_module', { module: 'nope' }, {}, 400, 'ticket_module_unknown'],
    ['other_tenants_module', { module: 'ops' }, {}, 400, 'ticket_module_unknown'],
    ['missing_subject', { subject: '   ' }, {}, 400, 'ticket_subject_invalid'],
    ['oversized_subject', { subject: 'S'.repeat(201) }, {}, 400, 'ticket_subject_invalid'],
    ['multi_line_subject', { subject: 'a\nb' }, {}, 400, 'ticket_subject_invalid'],
    ['missing_description', { description: '' }, {}, 400, 'ticket_description_invalid'],
    ['oversized_description', { description: 'd'.repeat(10_001) }, {}, 400, 'ticket_description_invalid'],
    ['bad_priority', { priority: 'urgent' }, {}, 400, 'ticket_priority_invalid'],
    ['key_with_space', {}, { 'idempotency-key': 'bad key' }, 400, 'idempotency_key_invalid'],
    ['key_too_long', {}, { 'idempotency-key': 'k'.repeat(65) }, 400, 'idempotency_key_invalid'],
    ['key_with_quote', {}, { 'idempotency-key': "k'1" }, 400, 'idempotency_key_invalid'],
  ];
  for (const [name, over, headers, status, code] of rows) {
    test(name, async () => {
      // The marker is in the subject and the description, so it survives a row that replaces
      // either: a ticket written despite the refusal would be counted.
      const marker = `bad-${randomUUID()}`;
      const body = ticketBody({ subject: `Marker ${marker}`, description: `Marker ${marker}`, ...over });
      assert.ok(`${body.subject} ${body.description}`.includes(marker), 'the marker survives the row');
      const res = await create(body, headers);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
      assert.ok(res.body.error.message.length > 10, 'the message says what to do');
      assert.equal(await countWith(marker), 0);
    });
  }

  test('a body that is not JSON is a 400', async () => {
    const res = await pat.api('/api/portal/tickets', {
      method: 'POST',
      body: '{"module":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'body_invalid');
  });

  test('a body over the size limit is a 413 and writes nothing', async () => {
    const marker = `huge-${randomUUID()}`;
    const res = await create(ticketBody({ subject: `Marker ${marker}`, description: 'x'.repeat(200_000) }));
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'body_too_large');
    assert.equal(await countWith(marker), 0);
  });
});

describe('list', () => {
  test('pages by cursor walk every ticket once, newest first', async () => {
    const seen = [];
    let cursor = '';
    for (let i = 0; i < 50; i += 1) {
      const q = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await pat.api(`/api/portal/tickets?page_size=3${q}`);
      assert.equal(res.status, 200);
      assert.ok(res.body.items.length <= 3);
      seen.push(...res.body.items);
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    const all = await pat.api('/api/portal/tickets?page_size=100');
    assert.deepEqual(seen.map((t) => t.id), all.body.items.map((t) => t.id));
    assert.equal(new Set(seen.map((t) => t.id)).size, seen.length);
    for (let i = 1; i < seen.length; i += 1) {
      assert.ok(seen[i - 1].created_at >= seen[i].created_at, 'newest first');
    }
  });

  test('filters by status, module and priority', async () => {
    const res = await pat.api('/api/portal/tickets?status=waiting_on_customer&page_size=100');
    assert.equal(res.status, 200);
    assert.ok(res.body.items.length >= 1);
    assert.ok(res.body.items.every((t) => t.status === 'waiting_on_customer'));
    const rmm = await pat.api('/api/portal/tickets?module=rmm&priority=critical');
    assert.ok(rmm.body.items.length >= 1);
    assert.ok(rmm.body.items.every((t) => t.module_id === 'rmm' && t.priority === 'critical'));
  });

  const bad = [
    ['status=done', 'ticket_filter_invalid'],
    ['module=ops', 'ticket_filter_invalid'],
    ['page_size=0', 'page_size_invalid'],
    ['page_size=101', 'page_size_invalid'],
    ['cursor=not-a-cursor!', 'cursor_invalid'],
  ];
  for (const [query, code] of bad) {
    test(`a bad query (${query}) is a 400 ${code}`, async () => {
      const res = await pat.api(`/api/portal/tickets?${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, code);
    });
  }
});

describe('versions', () => {
  test('a stale expected_version is a 409, a stale If-Match a 412, none a 428', async () => {
    const id = 'tk_j2R3gah2IvJ9kE'; // seeded: resolved, version 4
    const before = await pat.api(`/api/portal/tickets/${id}`);
    assert.equal(before.body.ticket.status, 'resolved');
    const v = before.body.ticket.version;

    const ok = await pat.api(`/api/portal/tickets/${id}`, {
      method: 'PATCH',
      body: { status: 'in_progress', expected_version: v },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.ticket.version, v + 1);
    assert.equal(ok.headers.get('etag'), `"${v + 1}"`);

    const stale = await pat.api(`/api/portal/tickets/${id}`, {
      method: 'PATCH',
      body: { status: 'in_progress', expected_version: v },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.error.code, 'version_conflict');

    const staleHeader = await pat.api(`/api/portal/tickets/${id}`, {
      method: 'PATCH',
      body: { status: 'closed' },
      headers: { 'if-match': `"${v}"` },
    });
    assert.equal(staleHeader.status, 412);

    const none = await pat.api(`/api/portal/tickets/${id}`, { method: 'PATCH', body: { status: 'closed' } });
    assert.equal(none.status, 428);

    const after = await pat.api(`/api/portal/tickets/${id}`);
    assert.equal(after.body.ticket.version, v + 1, 'the refused changes wrote nothing');
    assert.equal(after.body.ticket.status, 'in_progress');
  });

  test('two concurrent changes from the same version: exactly one wins', async () => {
    const id = 'tk_c774U3FsNx4HKp'; // seeded: resolved
    const { version } = (await pat.api(`/api/portal/tickets/${id}`)).body.ticket;
    const [a, b] = await Promise.all([
      pat.api(`/api/portal/tickets/${id}`, {
        method: 'PATCH',
        body: { status: 'closed', expected_version: version },
      }),
      pat.api(`/api/portal/tickets/${id}`, {
        method: 'PATCH',
        body: { status: 'in_progress', expected_version: version },
      }),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409]);
    const after = (await pat.api(`/api/portal/tickets/${id}`)).body.ticket;
    assert.equal(after.version, version + 1);
    const winner = a.status === 200 ? 'closed' : 'in_progress';
    assert.equal(after.status, winner);
  });

  test('a customer may not move a new ticket (core status machine), 409 and nothing written', async () => {
    const t = (await create(ticketBody({ subject: 'transition check' }))).body.ticket;
    const res = await pat.api(`/api/portal/tickets/${t.id}`, {
      method: 'PATCH',
      body: { status: 'resolved', expected_version: 1 },
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'ticket_transition_refused');
    assert.equal((await pat.api(`/api/portal/tickets/${t.id}`)).body.ticket.status, 'new');
  });
});

describe('comments', () => {
  test('a reply to a ticket waiting on the customer hands it back to support', async () => {
    const id = 'tk_2Vp55xxPvvoIxI'; // seeded: waiting on customer
    const before = (await pat.api(`/api/portal/tickets/${id}`)).body;
    assert.equal(before.ticket.status, 'waiting_on_customer');
    const res = await pat.api(`/api/portal/tickets/${id}/comments`, {
      method: 'POST',
      body: { body: 'The new logo is uploaded as PNG, 400x120.', expected_version: before.ticket.version },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.ticket.status, 'in_progress');
    assert.equal(res.body.ticket.version, before.ticket.version + 1);
    assert.equal(res.body.comments.length, before.comments.length + 1);
    assert.equal(res.body.comments.at(-1).author_kind, 'customer');
  });

  test('an empty or stale reply is refused and adds nothing', async () => {
    const id = 'tk_UCYnMQZv05WbMF';
    const before = (await pat.api(`/api/portal/tickets/${id}`)).body;
    const empty = await pat.api(`/api/portal/tickets/${id}/comments`, { method: 'POST', body: { body: '  ' } });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.error.code, 'ticket_comment_invalid');
    const stale = await pat.api(`/api/portal/tickets/${id}/comments`, {
      method: 'POST',
      body: { body: 'late', expected_version: before.ticket.version - 1 },
    });
    assert.equal(stale.status, 409);
    const after = (await pat.api(`/api/portal/tickets/${id}`)).body;
    assert.equal(after.comments.length, before.comments.length);
    assert.equal(after.ticket.version, before.ticket.version);
  });
});

describe('HTML forms', () => {
  test('the form creates once even when submitted twice, and shows errors without writing', async () => {
    const form = await (await pat.request('/support/new')).text();
    const key = form.match(/name="idempotency_key" value="([^"]+)"/)[1];
    const marker = `form-${randomUUID()}`;
    const fields = {
      idempotency_key: key,
      module: 'rmm',
      subject: `Form ticket ${marker}`,
      description: 'Created through the HTML form.',
      priority: 'low',
    };
    const first = await pat.form('/support/new', fields);
    const second = await pat.form('/support/new', fields);
    assert.equal(first.status, 303);
    assert.equal(second.headers.get('location'), first.headers.get('location'));
    assert.match(first.headers.get('location'), /^\/support\/tickets\/tk_/);
    assert.equal(await countWith(marker), 1);

    const bad = await pat.form('/support/new', { ...fields, idempotency_key: `${key}x`, subject: '' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /subject is required/);
  });

  test('a reply through the form lands on the ticket page', async () => {
    const id = 'tk_PG9JUipOpxoYZP';
    const page = await (await pat.request(`/support/tickets/${id}`)).text();
    const version = page.match(/name="version" value="(\d+)"/)[1];
    const res = await pat.form(`/support/tickets/${id}/comments`, { body: 'Rebooted both.', version });
    assert.equal(res.status, 303);
    const after = await (await pat.request(`/support/tickets/${id}`)).text();
    assert.match(after, /Rebooted both\./);
  });
});

describe('access', () => {
  test('without a hub session the API answers 401 and the pages send to sign-in', async () => {
    const api = await fetchAs('localhost', '/api/portal/tickets');
    assert.equal(api.status, 401);
    assert.equal((await api.json()).error.code, 'signed_out');
    const page = await fetchAs('localhost', '/support');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/signin?return_to=%2Fsupport');
  });

  test('a change from another origin is refused and writes nothing', async () => {
    const marker = `xorigin-${randomUUID()}`;
    const res = await create(ticketBody({ subject: marker }), { origin: 'http://evil.example' });
    assert.equal(res.status, 403);
    assert.equal(await countWith(marker), 0);
    const same = await create(ticketBody({ subject: `same ${marker}` }), { origin: HUB_URL });
    assert.equal(same.status, 201);
  });
});
