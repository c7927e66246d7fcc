//! Proxying to the module: the upstream request with the identity the module needs, and the
//! gate's signed assertion (`Onegate-Assertion`, like Cloudflare Access's
//! `Cf-Access-Jwt-Assertion`).
//!
//! The assertion is a short-lived EdDSA JWT (`typ` [`ASSERTION_TYPE`], issuer
//! the hub origin, audience the module id, `sub` the hub user, `username` the module
//! user) signed with the gate's key, which is derived from `SESSION_SECRET` and published at
//! `/.onegate/certs`. Any `Onegate-Assertion` or `X-Onegate-Module` header from the client is
//! dropped, and so are the gate's own cookies: the module sees only what the gate vouches for.

use onegate_core::Error;
use onegate_core::token::{self, SigningKey};
use serde::Serialize;
use worker::wasm_bindgen::JsValue;
use worker::{Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response, Result};

use crate::common::sign::hmac;

/// The header carrying the gate's assertion.
pub const ASSERTION_HEADER: &str = "Onegate-Assertion";
/// The header naming the module (the demo Worker serves several modules).
pub const MODULE_HEADER: &str = "X-Onegate-Module";
/// The assertion's `typ`, so no other JWT passes for one.
pub const ASSERTION_TYPE: &str = "onegate-assertion+jwt";
/// How long an assertion is valid.
pub const ASSERTION_SECS: i64 = 60;

/// Request headers never forwarded to the module.
const DROPPED: [&str; 8] = [
    "host",
    "onegate-assertion",
    "x-onegate-module",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "upgrade",
    "content-length",
];

/// The cookies that belong to the gate, never forwarded.
const GATE_COOKIES: [&str; 4] =
    ["onegate", "__Host-onegate", "onegate_login", "__Host-onegate_login"];

/// The claims of the assertion.
#[derive(Debug, Serialize)]
struct AssertionClaims<'a> {
    iss: &'a str,
    aud: &'a str,
    sub: &'a str,
    username: &'a str,
    tid: &'a str,
    iat: i64,
    exp: i64,
}

/// Who the gate vouches for on this request.
#[derive(Debug, Clone, Copy)]
pub struct Vouch<'a> {
    /// The hub user id.
    pub hub_user: &'a str,
    /// The module username.
    pub username: &'a str,
    /// The tenant id.
    pub tenant: &'a str,
}

/// The gate's assertion signing key, derived from `SESSION_SECRET`.
pub fn assertion_key(secret: &[u8]) -> Result<SigningKey, Error> {
    let seed = hmac(secret, b"gate-assertion-key");
    let probe = SigningKey::from_seed(&seed, "gate")?;
    let kid = format!("gate-{}", probe.public_jwk().x().get(..12).unwrap_or("0"));
    SigningKey::from_seed(&seed, &kid)
}

/// The JWKS the module verifies assertions with.
pub fn assertion_jwks(secret: &[u8]) -> Result<String, Error> {
    token::jwks_json(&[assertion_key(secret)?.public_jwk()])
}

/// A signed assertion from `issuer` (the hub origin) for `vouch` to module `module`, valid
/// from `now` for a minute.
pub fn assertion(
    secret: &[u8],
    issuer: &str,
    module: &str,
    vouch: Vouch<'_>,
    now: i64,
) -> Result<String, Error> {
    let claims = AssertionClaims {
        iss: issuer,
        aud: module,
        sub: vouch.hub_user,
        username: vouch.username,
        tid: vouch.tenant,
        iat: now,
        exp: now + ASSERTION_SECS,
    };
    token::sign_claims(&claims, ASSERTION_TYPE, &assertion_key(secret)?)
}

/// What to send upstream.
pub struct Upstream<'a> {
    /// The module's own origin.
    pub origin: &'a str,
    /// The module id, sent as [`MODULE_HEADER`].
    pub module: &'a str,
    /// The module's gate origin (for `X-Forwarded-*` and `Location` rewriting).
    pub gate_origin: &'a str,
    /// The signed assertion, when the gate vouches for a user.
    pub assertion: Option<String>,
}

/// Sends the client's request (with `body`, already read) to the module and returns its answer,
/// redirects not followed.
pub async fn forward(req: &Request, body: Option<Vec<u8>>, up: &Upstream<'_>) -> Result<Response> {
    let url = req.url()?;
    let mut target = format!("{}{}", up.origin, url.path());
    if let Some(query) = url.query() {
        target.push('?');
        target.push_str(query);
    }

    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        if DROPPED.contains(&name.as_str()) || name.starts_with("cf-") {
            continue;
        }
        if name == "cookie" {
            let kept = strip_gate_cookies(&value);
            if !kept.is_empty() {
                headers.set("Cookie", &kept)?;
            }
            continue;
        }
        headers.append(&name, &value)?;
    }
    headers.set(MODULE_HEADER, up.module)?;
    headers.set("X-Forwarded-Host", url.host_str().unwrap_or_default())?;
    headers.set("X-Forwarded-Proto", url.scheme())?;
    if let Some(assertion) = &up.assertion {
        headers.set(ASSERTION_HEADER, assertion)?;
    }

    let method = req.method();
    let mut init = RequestInit::new();
    init.with_method(method.clone()).with_headers(headers).with_redirect(RequestRedirect::Manual);
    if !matches!(method, Method::Get | Method::Head)
        && let Some(body) = body
    {
        init.with_body(Some(JsValue::from(worker::js_sys::Uint8Array::from(body.as_slice()))));
    }

    let upstream_req = Request::new_with_init(&target, &init)?;
    let resp = Fetch::Request(upstream_req).send().await?;

    // A fetched response's headers are immutable: work on a copy.
    let headers = Headers::new();
    for (name, value) in resp.headers().entries() {
        // workerd hands the body over decoded and would encode it again by
        // `Content-Encoding` (even for clients that never asked for it, behind wrangler dev);
        // the gate answers the body as it is and leaves compression to the edge in front.
        if name == "content-encoding" {
            continue;
        }
        let value = match value.strip_prefix(up.origin) {
            Some(rest) if name == "location" => format!("{}{rest}", up.gate_origin),
            _ => value,
        };
        headers.append(&name, &value)?;
    }
    Ok(resp.with_headers(headers))
}

/// The `Cookie` header without the gate's own cookies.
pub fn strip_gate_cookies(header: &str) -> String {
    header
        .split(';')
        .map(str::trim)
        .filter(|it| {
            let name = it.split_once('=').map_or(*it, |(name, _)| name);
            !it.is_empty() && !GATE_COOKIES.contains(&name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use onegate_core::ErrorKind;
    use onegate_core::token::{Expectations, KeySet};

    #[test]
    fn gate_cookies_never_reach_the_module() {
        let header = "onegate=abc; psa_session=x; __Host-onegate=y; onegate_login=z; theme=dark";
        assert_eq!(strip_gate_cookies(header), "psa_session=x; theme=dark");
    }

    #[test]
    fn assertions_verify_with_the_published_key_for_their_module_only() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let vouch = Vouch { hub_user: "u1", username: "tech", tenant: "t_acme" };
        let jwt = assertion(secret, "http://hub", "psa", vouch, 1_000).unwrap_or_default();
        let keys = KeySet::from_jwks_json(&assertion_jwks(secret).unwrap_or_default());
        let Ok(keys) = keys else { panic!("the assertion jwks does not parse") };

        let mut expect = Expectations::new("http://hub", "psa");
        expect.token_type = ASSERTION_TYPE.into();
        let claims = token::verify(&jwt, &keys, &expect, 1_010);
        assert_eq!(claims.as_ref().map(|it| it.subject().to_owned()).ok(), Some("u1".into()));
        assert_eq!(
            claims.ok().and_then(|it| it.extra().get("username").cloned()),
            Some(serde_json::json!("tech"))
        );

        let rmm = Expectations { audience: "rmm".into(), ..expect.clone() };
        let err = token::verify(&jwt, &keys, &rmm, 1_010).err().map(|it| it.kind());
        assert_eq!(err, Some(ErrorKind::TokenAudienceMismatch));
        let late = token::verify(&jwt, &keys, &expect, 1_000 + ASSERTION_SECS + 61);
        assert_eq!(late.err().map(|it| it.kind()), Some(ErrorKind::TokenExpired));
    }
}
