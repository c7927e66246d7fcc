// The gate verifies EdDSA and ES256 hub tokens with the runtime's WebCrypto, not with the Rust
// code that core's Wycheproof test covers natively. This suite sends the same vectors (Ed25519,
// and P-256 with SHA-256 in the JWS r || s form) through the gate's signature step in workerd
// (POST /.onegate/dev/signatures): every valid vector verifies, every invalid one is refused.
// The vectors come from the `wycheproof` crate; `cargo xtask test` says where
// (ONEGATE_WYCHEPROOF_DIR).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fetchAs } from './harness.mjs';

const DIR = process.env.ONEGATE_WYCHEPROOF_DIR;
const hexToB64u = (hex) => Buffer.from(hex, 'hex').toString('base64url');

/** The group's public key as a JWK, built from the raw key as core's native test does. */
function jwkOf(group, alg) {
  if (alg === 'EdDSA') return { kty: 'OKP', crv: 'Ed25519', x: hexToB64u(group.publicKey.pk), alg };
  const point = Buffer.from(group.publicKey.uncompressed, 'hex');
  assert.equal(point.length, 65, 'an uncompressed P-256 point');
  const b64u = (bytes) => bytes.toString('base64url');
  return { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)), alg };
}

/** Every vector of `file` as a case for the route, with what Wycheproof expects of it. */
function cases(file, alg) {
  const doc = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
  return doc.testGroups.flatMap((group) => group.tests.map((it) => ({
    id: `${file}#${it.tcId} ${it.comment}`,
    expected: it.result,
    jwk: jwkOf(group, alg),
    message: hexToB64u(it.msg),
    signature: hexToB64u(it.sig),
  })));
}

for (const [file, alg] of [
  ['ed25519_test.json', 'EdDSA'],
  ['ecdsa_secp256r1_sha256_p1363_test.json', 'ES256'],
]) {
  test(`WebCrypto in the gate passes Wycheproof ${file}`, async () => {
    assert.ok(DIR && fs.existsSync(DIR), 'ONEGATE_WYCHEPROOF_DIR names the vectors (cargo xtask test sets it)');
    const all = cases(file, alg);
    assert.ok(all.length > 100, `${file}: ${all.length} vectors`);
    const body = JSON.stringify({ cases: all.map(({ jwk, message, signature }) => ({ jwk, message, signature })) });
    const res = await fetchAs('rmm.localhost', '/.onegate/dev/signatures', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 200);
    const { results, webcrypto_answered: answered } = await res.json();
    assert.equal(results.length, all.length);
    const keyed = results.filter((it) => typeof it === 'boolean').length;
    assert.equal(answered, keyed, 'WebCrypto, not the fallback, checked every signature');
    const wrong = all
      .map((it, i) => ({ ...it, got: results[i] }))
      .filter((it) => (it.expected === 'valid') !== (it.got === true))
      .map((it) => `${it.id}: expected ${it.expected}, got ${it.got}`);
    assert.deepEqual(wrong, []);
  });
}

test('the vector route refuses what is not a batch with a clear 4xx', async () => {
  for (const [body, status] of [['not json', 400], ['{"cases": 3}', 400], [JSON.stringify({ cases: Array(2001).fill({ jwk: {}, message: '', signature: '' }) }), 413]]) {
    const res = await fetchAs('rmm.localhost', '/.onegate/dev/signatures', { method: 'POST', body });
    assert.equal(res.status, status, body.slice(0, 20));
    assert.equal((await res.json()).error.code, 'bad_batch');
  }
});
