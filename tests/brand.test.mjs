// The brand is configuration (wrangler.toml [vars] BRAND, default KaseyaOne): the hub's pages,
// the gate's refusal pages and the launcher's data on a module page all name it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fetchAs } from './harness.mjs';
import { hubToken, sessionFor, signIn } from './gate-helpers.mjs';

test('the hub sign-in page names the brand', async () => {
  const res = await fetchAs('localhost', '/signin');
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<title>[^<]*KaseyaOne[^<]*<\/title>/);
});

test("the gate's refusal page explains the rule with the brand", async () => {
  const res = await signIn('legacy', hubToken('legacy', 'tech@acme.example'));
  assert.equal(res.status, 403);
  const html = await res.text();
  assert.match(html, /does not accept login with KaseyaOne/);
  assert.match(html, />Open KaseyaOne</);
});

test('the launcher on a module page shows "My KaseyaOne"', async () => {
  const cookie = await sessionFor('rmm', 'tech@acme.example');
  const res = await fetchAs('rmm.localhost', '/', { headers: { cookie } });
  assert.equal(res.status, 200);
  const html = await res.text();
  const data = /<script type="application\/json" id="onegate-launcher-data">(.*?)<\/script>/s
    .exec(html)?.[1];
  assert.ok(data, 'launcher data injected');
  assert.deepEqual(JSON.parse(data).brand, { name: 'KaseyaOne', menu_title: 'My KaseyaOne' });
});
