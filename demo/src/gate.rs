//! Trusting the gate: the signed assertion it adds to every request it proxies.
//!
//! Contract: the gate sends `Onegate-Assertion: <compact JWT>`, signed by the gate (EdDSA), with
//! `sub` the hub user, `username` the module user name, and `aud` the module (`psa`, `rmm`).
//! The module verifies it against the key set in the `GATE_JWKS` var (a JWKS JSON document)
//! and then treats the named module user as signed in, without its own session cookie. Without
//! a valid assertion the module falls back to its own login; the header alone never signs
//! anyone in.

use onegate_core::token::{Expectations, KeySet, verify};
use worker::{Env, Request};

use crate::module::Module;

/// The request header carrying the gate's signed assertion.
pub const ASSERTION_HEADER: &str = "Onegate-Assertion";

/// A user the gate vouches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The module user name the assertion names.
    pub username: String,
}

/// The `typ` header of the gate's assertion, so no other token of the hub passes for one.
pub const ASSERTION_TYPE: &str = "onegate-assertion+jwt";

/// The identity the gate asserts for this request, if the assertion verifies at `now` (unix
/// seconds) against `GATE_JWKS`, issuer `GATE_ISSUER` and the module as audience. Any failure
/// (no header, no keys, a bad token, no user name claim) is `None`: the header alone never
/// signs anyone in.
pub fn trusted_identity_from_gate(
    req: &Request,
    env: &Env,
    module: Module,
    now: i64,
) -> Option<Identity> {
    let token = req.headers().get(ASSERTION_HEADER).ok().flatten()?;
    let var = |name: &str| env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.is_empty());
    let keys = KeySet::from_jwks_json(&var("GATE_JWKS")?).ok()?;
    let mut expect = Expectations::new(var("GATE_ISSUER")?, module.slug());
    expect.token_type = ASSERTION_TYPE.to_owned();

    let claims = match verify(token.trim(), &keys, &expect, now) {
        Ok(c) => c,
        Err(e) => {
            worker::console_log!("onegate-demo: gate assertion refused: {}", e.kind().code());
            return None;
        }
    };
    let extra = claims.extra();
    let username = extra.get("username").or_else(|| extra.get("preferred_username"));
    let username = username.and_then(|v| v.as_str()).filter(|u| !u.is_empty())?;
    Some(Identity { username: username.to_owned() })
}
