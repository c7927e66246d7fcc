// The reference Worker of `cargo xtask bench`: the checks the gate makes, written the way
// Cloudflare's documentation suggests, with `jose` (WebCrypto underneath).
//
// - POST /setup   {jwks, sessionSecret, issuer, audience, tenant}: the keys and expectations
//                 (held in the isolate; the bench runner sends them before measuring)
// - GET  /jwks.json: the JWKS it was given (the gate's ES256 case fetches it from here)
// - GET  /bench?case=session|eddsa|es256&n=N: runs the check N times inside the request and
//                 answers {case, n, ms, us_per_op}; the session case reads the `refsession`
//                 cookie (an HS256 JWT with the gate session's claims), the token cases the
//                 `X-Bench-Token` header.
//
// Local workerd advances Date.now() during CPU work, so the loop measures CPU time.

import { createLocalJWKSet, jwtVerify } from 'jose';

let setup = null;

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function readCookie(header, name) {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The gate's session check: the signed cookie, its module and tenant (exp checked by jose). */
async function checkSession(request) {
  const value = readCookie(request.headers.get('cookie') ?? '', 'refsession');
  if (!value) return false;
  const { payload } = await jwtVerify(value, setup.sessionKey, { algorithms: ['HS256'] });
  return payload.module === setup.audience && payload.tenant === setup.tenant;
}

/** The gate's first-seen token check: key by kid, pinned alg, typ, iss, aud, exp, sub. */
async function checkToken(token) {
  const { payload } = await jwtVerify(token, setup.keys, {
    issuer: setup.issuer,
    audience: setup.audience,
    typ: 'at+jwt',
    algorithms: ['EdDSA', 'ES256'],
    clockTolerance: 60,
    requiredClaims: ['exp', 'sub'],
  });
  return typeof payload.sub === 'string' && payload.sub !== '';
}

async function bench(request, url) {
  if (!setup) return json({ error: 'POST /setup first' }, 409);
  const n = Math.min(Math.max(Number(url.searchParams.get('n')) || 1000, 1), 200000);
  const which = url.searchParams.get('case');
  const token = request.headers.get('x-bench-token') ?? '';
  let check;
  if (which === 'session') check = () => checkSession(request);
  else if (which === 'eddsa' || which === 'es256') check = () => checkToken(token);
  else return json({ error: 'case must be session, eddsa or es256' }, 400);

  try {
    if (!(await check())) return json({ error: 'the first check failed' }, 422);
  } catch (err) {
    return json({ error: `the first check failed: ${err.code ?? err.message}` }, 422);
  }
  const start = Date.now();
  let passed = 0;
  for (let i = 0; i < n; i++) if (await check()) passed++;
  const ms = Date.now() - start;
  if (passed !== n) return json({ error: `only ${passed} of ${n} checks passed` }, 422);
  return json({ case: which, n, ms, us_per_op: (ms * 1000) / n });
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/setup') {
      const body = await request.json();
      const secret = Uint8Array.from(atob(body.sessionSecret), (c) => c.charCodeAt(0));
      setup = {
        jwks: body.jwks,
        keys: createLocalJWKSet(body.jwks),
        // Imported once, as the gate derives its key once per request at most.
        sessionKey: await crypto.subtle.importKey(
          'raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']),
        issuer: body.issuer,
        audience: body.audience,
        tenant: body.tenant,
      };
      return json({ ok: true });
    }
    if (url.pathname === '/jwks.json' && setup) {
      return json(setup.jwks);
    }
    if (url.pathname === '/bench') return bench(request, url);
    if (url.pathname === '/healthz') return json({ ok: true });
    return json({ error: 'not found' }, 404);
  },
};
