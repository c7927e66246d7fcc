// The gate benchmark runner (`cargo xtask bench` starts the servers and runs this).
//
// Sets the gate's per-request checks against a reference Worker written with `jose`, both in
// workerd on this machine, in the same run: an established session, a first-seen EdDSA hub
// token and a first-seen ES256 token. Each side times its check in a loop inside one request
// (local workerd advances Date.now() during CPU work), so the figures are CPU time per check,
// not HTTP round trips. Rounds alternate between the two Workers; the median is reported.
//
// Environment: ONEGATE_EDGE_PORT (the onegate Worker, run with GATE_BENCH=on and
// GATE_BENCH_JWKS_URL pointing at the reference's /jwks.json), BENCH_REFERENCE_PORT.
// BENCH_ROUNDS (default 5) and BENCH_TARGET_MS (default 300) tune the run; BENCH_CASES (a comma
// list, default session,eddsa,es256) picks the cases.

import crypto from 'node:crypto';
import http from 'node:http';

const EDGE_PORT = Number(process.env.ONEGATE_EDGE_PORT ?? 8787);
const REF_PORT = Number(process.env.BENCH_REFERENCE_PORT ?? 8789);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_MS = Number(process.env.BENCH_TARGET_MS ?? 300);

const HUB_URL = `http://localhost:${EDGE_PORT}`;
const MODULE = 'psa';
const TENANT = 't_acme';
const EMAIL = 'tech@acme.example';
// wrangler.toml: HUB_SIGNING_KEYS (the dev hub key) and SESSION_SECRET. Development values.
const DEV_KID = 'dev-2026-12';
const DEV_SEED = '4b17a8f346ef3ecaedf8110ea888c123d887a3c9314c82bc104ee05d3a56add9';

const b64u = (data) => Buffer.from(data).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** One HTTP request to 127.0.0.1:port with a Host header; resolves {status, headers, text}. */
function request(port, host, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method, headers: { ...headers, host: `${host}:${port}` } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

function jws(header, claims, sign) {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
  return `${input}.${b64u(sign(Buffer.from(input)))}`;
}

// Keys: the dev Ed25519 hub key (PKCS#8 prefix + seed) and a fresh P-256 key for ES256.
const edKey = crypto.createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(DEV_SEED, 'hex')]),
  format: 'der',
  type: 'pkcs8',
});
const ecPair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ES_KID = `bench-es256-${crypto.randomUUID().slice(0, 8)}`;
const jwks = {
  keys: [
    { ...crypto.createPublicKey(edKey).export({ format: 'jwk' }), kid: DEV_KID, alg: 'EdDSA', use: 'sig' },
    { ...ecPair.publicKey.export({ format: 'jwk' }), kid: ES_KID, alg: 'ES256', use: 'sig' },
  ],
};

const claims = () => ({
  iss: HUB_URL,
  aud: MODULE,
  sub: 'u_tom',
  tid: TENANT,
  // A live hub session: cargo xtask bench inserts it into the bench's D1.
  sid: 'sid-bench',
  email: EMAIL,
  email_verified: true,
  name: EMAIL,
  entitlements: ['psa', 'rmm'],
  iat: now(),
  exp: now() + 3600,
});
const edToken = jws({ alg: 'EdDSA', kid: DEV_KID, typ: 'at+jwt' }, claims(), (m) => crypto.sign(null, m, edKey));
const esToken = jws({ alg: 'ES256', kid: ES_KID, typ: 'at+jwt' }, claims(), (m) =>
  crypto.sign('sha256', m, { key: ecPair.privateKey, dsaEncoding: 'ieee-p1363' }),
);

// The reference's session: an HS256 JWT carrying what the gate's cookie carries.
const refSecret = crypto.randomBytes(32);
const refSession = jws(
  { alg: 'HS256', typ: 'JWT' },
  {
    module: MODULE,
    tenant: TENANT,
    via: 'hub',
    sub: 'u_tom',
    sid: 'sid-bench',
    username: 'tech',
    modules: ['psa', 'rmm'],
    exp: now() + 8 * 3600,
  },
  (m) => crypto.createHmac('sha256', refSecret).update(m).digest(),
);

async function setUp() {
  const setup = await request(REF_PORT, 'localhost', '/setup', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jwks,
      sessionSecret: refSecret.toString('base64'),
      issuer: HUB_URL,
      audience: MODULE,
      tenant: TENANT,
    }),
  });
  if (setup.status !== 200) throw new Error(`reference setup failed: ${setup.status} ${setup.text}`);

  // A real gate session: the dev sign-in path runs the full first-seen-token checks.
  const body = new URLSearchParams({ token: edToken, return_to: '/' }).toString();
  const signIn = await request(EDGE_PORT, `${MODULE}.localhost`, '/.onegate/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const cookie = [signIn.headers['set-cookie'] ?? []]
    .flat()
    .find((it) => it.startsWith('onegate='))
    ?.split(';')[0];
  if (!cookie) throw new Error(`gate sign-in gave no session (${signIn.status}): ${signIn.text.slice(0, 300)}`);
  return cookie;
}

/** One timed loop on one side; returns {ms, us, n}. */
async function once(side, which, n, inputs) {
  const headers = {};
  if (which === 'session') headers.cookie = side === 'gate' ? inputs.gateCookie : `refsession=${refSession}`;
  else headers['x-bench-token'] = which === 'eddsa' ? edToken : esToken;
  const res =
    side === 'gate'
      ? await request(EDGE_PORT, `${MODULE}.localhost`, `/.onegate/bench?case=${which}&n=${n}`, { headers })
      : await request(REF_PORT, 'localhost', `/bench?case=${which}&n=${n}`, { headers });
  if (res.status !== 200) throw new Error(`${side} ${which}: ${res.status} ${res.text.slice(0, 300)}`);
  const out = JSON.parse(res.text);
  return { ms: out.ms, n: out.n, us: out.us_per_op };
}

/** The iteration count that makes one loop take about TARGET_MS. */
async function calibrate(side, which, inputs) {
  let n = 16;
  for (;;) {
    const { ms } = await once(side, which, n, inputs);
    if (ms >= TARGET_MS / 4 || n >= 200000) {
      return Math.min(200000, Math.max(1, Math.round((n * TARGET_MS) / Math.max(ms, 1))));
    }
    n *= 4;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (us) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));

async function main() {
  const inputs = { gateCookie: await setUp() };
  const cases = [
    ['session', 'established-session', 0.5, 'at most half the reference'],
    ['eddsa', 'first-seen EdDSA token', 1.0, 'no slower than the reference'],
    ['es256', 'first-seen ES256 token', null, null],
  ];
  const results = [];
  const only = (process.env.BENCH_CASES ?? 'session,eddsa,es256').split(',');
  for (const [which, label, aim, aimText] of cases.filter(([which]) => only.includes(which))) {
    const n = {
      gate: await calibrate('gate', which, inputs),
      reference: await calibrate('reference', which, inputs),
    };
    const samples = { gate: [], reference: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 ? ['reference', 'gate'] : ['gate', 'reference']) {
        samples[side].push((await once(side, which, n[side], inputs)).us);
      }
    }
    const gate = median(samples.gate);
    const reference = median(samples.reference);
    const ratio = gate / reference;
    const verdict = aim === null ? '' : ratio <= aim ? `  (aim ${aimText}: met)` : `  (aim ${aimText}: NOT met)`;
    console.log(
      `gate ${label}: ${fmt(gate)} µs/req, reference (jose): ${fmt(reference)} µs/req, ratio ${ratio.toFixed(2)}${verdict}`,
    );
    results.push({ case: which, gate, reference, ratio, aim, n, samples });
  }
  if (process.env.BENCH_JSON) console.log(JSON.stringify(results));
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
