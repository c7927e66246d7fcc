// The gate's cache of an external hub's keys, against a JWKS endpoint this test serves and
// counts (tenant Hooli; ONEGATE_PROBE_PORT): the first token fetches the keys, later ones use
// the cache, unknown `kid`s cause no further fetch during the cooldown (30 s; what happens after
// it is the `cache_step` table in edge/src/gate/keys.rs), and a hub that goes down leaves the
// cached keys working. Tenant Pied Piper's hub never answers: its
// fetch gives up after the gate's timeout and unknown keys fail closed. Unified login is off
// on both modules, so a verified token ends at that rule (403) and a refused one at the token
// check (401); no module is contacted.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { hubClaims, jws, signIn } from './gate-helpers.mjs';

const PORT = Number(process.env.ONEGATE_PROBE_PORT);
const served = crypto.generateKeyPairSync('ed25519');
const stranger = crypto.generateKeyPairSync('ed25519');
const jwk = { ...served.publicKey.export({ format: 'jwk' }), kid: 'hooli-a', alg: 'EdDSA', use: 'sig' };

const fetches = { hooli: 0, pied: 0 };
let hooliDown = false;
const hanging = new Set();
let server;

before(async () => {
  assert.ok(PORT > 0, 'ONEGATE_PROBE_PORT is set by cargo xtask test');
  server = http.createServer((req, res) => {
    if (req.url === '/hooli/jwks.json') {
      fetches.hooli += 1;
      if (hooliDown) return res.writeHead(503).end('down for maintenance');
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      return res.end(JSON.stringify({ keys: [jwk] }));
    }
    if (req.url === '/pied/jwks.json') {
      fetches.pied += 1;
      hanging.add(res); // never answered
      return undefined;
    }
    return res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(PORT, '127.0.0.1', resolve));
});

after(() => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections?.();
  server.close();
});

const token = (module, tenant, kid, key) =>
  jws({ alg: 'EdDSA', kid, typ: 'at+jwt' },
    hubClaims(module, 'tech@hooli.example', { tid: tenant, entitlements: [module] }), { key });
const hooli = (kid, key) => signIn('hooli', token('hooli', 't_hooli', kid, key));

async function verified(res) {
  assert.equal(res.status, 403, 'the key verified; unified login off refused the sign-in');
  assert.match(await res.text(), /id="onegate-rule">hub_login_not_enabled</);
}
async function refused(res) {
  assert.equal(res.status, 401, 'the token check refused the key');
  assert.match(await res.text(), /Sign-in did not work/);
}

test('external hub keys: fetched once, cached, no refetch in the cooldown, kept while down', async () => {
  // An unknown kid with nothing cached fetches the JWKS; the key is not in it, so: refused.
  await refused(await hooli('hooli-b', stranger.privateKey));
  assert.equal(fetches.hooli, 1, 'the unknown kid fetched the JWKS');

  await verified(await hooli('hooli-a', served.privateKey));
  assert.equal(fetches.hooli, 1, 'a known kid uses the cached document');

  for (let i = 0; i < 3; i += 1) await refused(await hooli(`hooli-${i}`, stranger.privateKey));
  assert.equal(fetches.hooli, 1, 'unknown kids fail closed without a refetch in the cooldown');

  // A token signed by a stranger under the served kid still fails: the signature decides.
  await refused(await hooli('hooli-a', stranger.privateKey));

  hooliDown = true;
  await verified(await hooli('hooli-a', served.privateKey));
  assert.equal(fetches.hooli, 1, 'cached keys keep working while the hub is down');
});

test('a hub that never answers: the fetch times out and unknown keys fail closed', async () => {
  const started = Date.now();
  await refused(await signIn('pied', token('pied', 't_pied', 'pied-a', served.privateKey)));
  const took = Date.now() - started;
  assert.equal(fetches.pied, 1);
  assert.ok(took >= 2500 && took < 15000, `gave up after the gate's 3 s timeout (${took} ms)`);

  const again = Date.now();
  await refused(await signIn('pied', token('pied', 't_pied', 'pied-a', served.privateKey)));
  assert.equal(fetches.pied, 1, 'the failed attempt counts toward the cooldown');
  assert.ok(Date.now() - again < 2500, 'no second wait during the cooldown');
});
