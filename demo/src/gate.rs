//! Trusting the gate: the signed assertion it adds to every request it proxies.
//!
//! Contract: the gate sends `Onegate-Assertion: <compact JWT>`, signed by the gate (EdDSA), with
//! `sub` the hub user, `username` the module user name, and `aud` the module (`psa`, `rmm`).
//! The module verifies it against the key set in the `GATE_JWKS` var (a JWKS JSON document)
//! and then treats the named module user as signed in, without its own session cookie. Without
//! a valid assertion the module falls back to its own login; the header alone never signs
//! anyone in.

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

/// The identity the gate asserts for this request, if the assertion verifies.
///
/// FIXME: `onegate_core::token::verify` is not written yet (core/src/token.rs is empty), so
/// every assertion is refused (fail closed) and gate-signed-in users see the module's login.
/// Once core's verifier lands: parse `GATE_JWKS`, call it with issuer `GATE_ISSUER`, audience
/// `module.slug()` and the current time, and map the verified claims to an [`Identity`].
pub fn trusted_identity_from_gate(req: &Request, env: &Env, module: Module) -> Option<Identity> {
    let token = req.headers().get(ASSERTION_HEADER).ok().flatten()?;
    let jwks = env.var("GATE_JWKS").ok().map(|v| v.to_string()).unwrap_or_default();
    if token.is_empty() || jwks.trim().is_empty() {
        return None;
    }
    let _ = module;
    None
}
