// Interop of the demo modules' SCIM 2.0 endpoints with a SCIM test suite nobody here wrote:
// PyPI `scim2-tester` (pinned in xtask/src/setup.rs, installed by `cargo xtask setup` into
// target/scim-venv), run by tests/interop/scim2_tester_demo.py against the PSA and the RMM.
// Every check must pass; the summary is printed. Without the venv the tests are skipped with a
// message that says how to get it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_URL } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The Python of the pinned SCIM interop venv. */
export const VENV_PYTHON = `${ROOT}target/scim-venv/bin/python`;
const NO_VENV = existsSync(VENV_PYTHON)
  ? false
  : `target/scim-venv is missing: run \`cargo xtask setup\` to install the pinned scim2-tester`;

/** Runs a Python script of the venv; resolves with its exit code and output. */
export function runPython(args, { timeoutMs = 240_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(VENV_PYTHON, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

for (const [module, token] of [['psa', 'dev-scim-psa'], ['rmm', 'dev-scim-rmm']]) {
  test(`scim2-tester passes every check on the demo ${module.toUpperCase()}`, { skip: NO_VENV }, async () => {
    const base = `${DEMO_URL}/${module}/scim/v2`;
    const { code, out } = await runPython(['tests/interop/scim2_tester_demo.py', base, token]);
    const lines = out.trim().split('\n');
    const summary = lines.at(-1);
    console.log(`scim2-tester on ${base}: ${summary}`);
    for (const line of lines.filter((l) => /^(ERROR|SKIPPED)\t/.test(l))) console.log(`  ${line}`);
    const m = /^checks: (\d+), errors: (\d+), skipped: (\d+)$/.exec(summary);
    assert.ok(m, `no summary line from the tester:\n${out}`);
    assert.equal(Number(m[2]), 0, `scim2-tester errors:\n${out}`);
    assert.equal(code, 0);
    // Discovery, the User CRUD suite and PATCH of the security level all ran.
    assert.ok(Number(m[1]) >= 45, `only ${m[1]} checks ran:\n${out}`);
    assert.match(out, /SUCCESS\tcheck_replace_attribute\tSuccessfully replaced attribute '[^']*:securityLevel'/);
    // The only skip: root-level /.search, which the demo answers 501 as RFC 7644 §3.4.3 allows.
    assert.equal(Number(m[3]), 1, out);
    assert.match(out, /SKIPPED\tsearch_with_attributes\tPOST \/\.search/);
  });
}

test('the demo answers POST /.search 501 and POST /Users/.search like GET /Users', async () => {
  const headers = {
    Authorization: 'Bearer dev-scim-psa',
    'Content-Type': 'application/scim+json',
  };
  const root = await fetch(`${DEMO_URL}/psa/scim/v2/.search`, {
    method: 'POST', headers, body: JSON.stringify({ filter: 'userName eq "tech"' }),
  });
  assert.equal(root.status, 501);
  assert.equal((await root.json()).status, '501');

  const search = await fetch(`${DEMO_URL}/psa/scim/v2/Users/.search`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'userName eq "TECH"',
      attributes: ['userName'],
    }),
  });
  assert.equal(search.status, 200);
  const list = await search.json();
  assert.equal(list.totalResults, 1);
  assert.deepEqual(Object.keys(list.Resources[0]).sort(), ['id', 'meta', 'schemas', 'userName']);

  const bad = await fetch(`${DEMO_URL}/psa/scim/v2/Users/.search`, {
    method: 'POST', headers, body: JSON.stringify({ attributes: [3] }),
  });
  assert.equal(bad.status, 400);
});

test('the Schemas endpoint lists the canonical values the demo accepts', async () => {
  const res = await fetch(
    `${DEMO_URL}/psa/scim/v2/Schemas/urn:onegate:params:scim:schemas:extension:module:2.0:User`,
    { headers: { Authorization: 'Bearer dev-scim-psa' } },
  );
  assert.equal(res.status, 200);
  const attrs = Object.fromEntries((await res.json()).attributes.map((a) => [a.name, a]));
  assert.deepEqual(attrs.licenseType.canonicalValues,
    ['Full', 'Dashboard User', 'Co-Managed Help Desk User', 'Contractor']);
  // The PSA's active levels (8, Former Staff, is inactive and cannot be assigned).
  assert.deepEqual([...attrs.securityLevel.canonicalValues].sort(), ['1', '2', '3', '4', '5', '6', '7']);
  assert.equal(attrs.securityLevelName.returned, 'request');
  assert.equal(attrs.securityLevelName.mutability, 'readOnly');
});
