// Tenant isolation in the portal: a Globex user can neither read nor change Acme's tickets,
// invoices or insights, also by guessing ids, and sees a 404 that is identical to the one for
// an id nobody has. Accounts: portal2@acme.example (Acme), portal@globex.example (Globex).

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signInPortal, ticketBody } from './portal-helpers.mjs';

const ACME_TICKET = 'tk_UCYnMQZv05WbMF';
const ACME_INVOICE = 'inv_3hIyq7SaV9Qa0c';
const GLOBEX_TICKET = 'tk_xGN0xhYh0iBUTe';
const GLOBEX_INVOICE = 'inv_BSLAs55QeIg3n8';

let acme;
let globex;
before(async () => {
  acme = await signInPortal('pam');
  globex = await signInPortal('gpo');
});

describe('tickets', () => {
  test('lists show only the own tenant', async () => {
    const a = (await acme.api('/api/portal/tickets?page_size=100')).body.items.map((t) => t.id);
    const g = (await globex.api('/api/portal/tickets?page_size=100')).body.items.map((t) => t.id);
    assert.ok(a.includes(ACME_TICKET));
    assert.ok(!a.includes(GLOBEX_TICKET));
    assert.ok(g.includes(GLOBEX_TICKET));
    assert.ok(!g.includes(ACME_TICKET));
    assert.ok(g.every((id) => !a.includes(id)));
  });

  test("another tenant's ticket id answers exactly like a missing one", async () => {
    const foreign = await globex.api(`/api/portal/tickets/${ACME_TICKET}`);
    const missing = await globex.api('/api/portal/tickets/tk_AAAAAAAAAAAAAAAA');
    assert.equal(foreign.status, 404);
    assert.deepEqual(foreign.body, missing.body);
    const page = await globex.request(`/support/tickets/${ACME_TICKET}`);
    assert.equal(page.status, 404);
    assert.doesNotMatch(await page.text(), /Time entries/);
  });

  test("another tenant's ticket cannot be changed or commented, and stays as it was", async () => {
    const before = (await acme.api(`/api/portal/tickets/${ACME_TICKET}`)).body;
    const v = before.ticket.version;
    const patch = await globex.api(`/api/portal/tickets/${ACME_TICKET}`, {
      method: 'PATCH',
      body: { status: 'in_progress', expected_version: v },
    });
    assert.equal(patch.status, 404);
    const comment = await globex.api(`/api/portal/tickets/${ACME_TICKET}/comments`, {
      method: 'POST',
      body: { body: 'globex was here' },
    });
    assert.equal(comment.status, 404);
    const form = await globex.form(`/support/tickets/${ACME_TICKET}/status`, { to: 'closed', version: String(v) });
    assert.equal(form.status, 404);
    const after = (await acme.api(`/api/portal/tickets/${ACME_TICKET}`)).body;
    assert.deepEqual(after, before);
  });

  test("guessed ids (the own ids with characters changed, injection text) all answer 404", async () => {
    const guesses = [
      ACME_TICKET.slice(0, -1) + 'G',
      GLOBEX_TICKET.slice(0, -1) + 'f',
      "tk_x' OR '1'='1",
      '../../api/portal/billing',
      'x'.repeat(300),
    ];
    for (const id of guesses) {
      const res = await globex.api(`/api/portal/tickets/${encodeURIComponent(id)}`);
      assert.equal(res.status, 404, id);
    }
  });

  test("a Globex user cannot file a ticket against Acme's module or filter by it", async () => {
    const marker = `iso-${randomUUID()}`;
    const res = await globex.api('/api/portal/tickets', {
      method: 'POST',
      body: ticketBody({ module: 'psa', subject: marker }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'ticket_module_unknown');
    const filter = await globex.api('/api/portal/tickets?module=psa');
    assert.equal(filter.status, 400);
    const acmeSees = await acme.api(`/api/portal/tickets?text=${marker}`);
    assert.equal(acmeSees.body.items.length, 0);
  });

  test('idempotency keys belong to one tenant: the same key makes one ticket in each', async () => {
    const key = randomUUID();
    const a = await acme.api('/api/portal/tickets', {
      method: 'POST',
      body: ticketBody({ subject: 'acme keyed' }),
      headers: { 'idempotency-key': key },
    });
    const g = await globex.api('/api/portal/tickets', {
      method: 'POST',
      body: ticketBody({ module: 'ops', subject: 'globex keyed' }),
      headers: { 'idempotency-key': key },
    });
    assert.equal(a.status, 201);
    assert.equal(g.status, 201, JSON.stringify(g.body));
    assert.notEqual(a.body.ticket.id, g.body.ticket.id);
    assert.equal((await globex.api(`/api/portal/tickets/${a.body.ticket.id}`)).status, 404);
  });
});

describe('billing and insights', () => {
  test("another tenant's invoice answers 404 on the API and the page", async () => {
    const api = await globex.api(`/api/portal/invoices/${ACME_INVOICE}`);
    assert.equal(api.status, 404);
    assert.equal(api.body.error.code, 'not_found');
    const page = await globex.request(`/billing/invoices/${ACME_INVOICE}`);
    assert.equal(page.status, 404);
    assert.doesNotMatch(await page.text(), /INV-2026-0058/);
    const own = await globex.api(`/api/portal/invoices/${GLOBEX_INVOICE}`);
    assert.equal(own.status, 200);
  });

  test('billing lists only the own subscriptions, orders, invoices and charges', async () => {
    const g = (await globex.api('/api/portal/billing')).body;
    const a = (await acme.api('/api/portal/billing')).body;
    assert.deepEqual(g.invoices.map((i) => i.invoice.id), [GLOBEX_INVOICE]);
    assert.ok(g.subscriptions.every((s) => s.module_id === 'ops'));
    assert.ok(g.charges.every((c) => c.module_id === 'ops'));
    assert.ok(g.orders.every((o) => o.order.lines.every((l) => l.module_id === 'ops')));
    assert.ok(!a.invoices.some((i) => i.invoice.id === GLOBEX_INVOICE));
    assert.ok(a.subscriptions.every((s) => s.module_id !== 'ops'));
    const page = await (await globex.request('/billing')).text();
    assert.doesNotMatch(page, /INV-2026-0058|Professional/);
  });

  test("insights read only the own tenant's data", async () => {
    const g = (await globex.api('/api/portal/insights')).body.insights.map((i) => i.id);
    const a = (await acme.api('/api/portal/insights')).body.insights.map((i) => i.id);
    for (const id of g) assert.doesNotMatch(id, /:(psa|rmm|legacy)$/);
    for (const id of a) assert.doesNotMatch(id, /:ops$/);
    assert.ok(a.includes('module_unused:legacy'));
    assert.ok(!g.includes('module_unused:legacy'));
  });
});
