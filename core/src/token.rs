//! Hub tokens: how a gate verifies them and how the hub signs them.
//!
//! A hub token is a compact JWS (a JWT) that the hub issues for one module after a hub login.
//! The gate in front of the module checks it with [`verify`] against the hub's public keys
//! ([`KeySet`], parsed from the hub's JWKS) and the module's [`Expectations`]; the hub makes it
//! with [`sign`] and a [`SigningKey`] and publishes the public half with [`jwks_json`]. Other
//! JWTs signed with the same key ([`sign_claims`]) carry another `typ`, and so never pass for a
//! hub token.
//!
//! # Header
//!
//! `{"alg": "EdDSA", "kid": "<key id>", "typ": "at+jwt"}`. `typ` is `at+jwt` (an access token
//! for the module, RFC 9068) so that no other kind of JWT from the same issuer passes as one
//! (explicit typing, RFC 8725 section 3.11). `jku`, `x5u`, `x5c` and `jwk` are ignored: keys
//! come from the [`KeySet`] only. `crit` is refused.
//!
//! # Claims ([`HubClaims`] when signing, [`VerifiedClaims`] after verification)
//!
//! | claim | type | required | meaning |
//! |---|---|---|---|
//! | `iss` | string | yes | the hub, compared exactly with [`Expectations::issuer`] |
//! | `aud` | string or strings | yes | must contain the module's client id |
//! | `sub` | string | yes | the hub user's stable id, not empty |
//! | `exp` | NumericDate | yes | expiry |
//! | `iat` | NumericDate | no | issue time, not in the future |
//! | `nbf` | NumericDate | no | not valid before |
//! | `email`, `name` | string | no | the user's email address and display name |
//! | `email_verified` | bool | no | whether the hub verified `email`; false when absent |
//! | `groups` | strings | no | hub group names, for access-group resolution |
//! | `entitlements` | strings | no | client ids of the modules the user may open |
//! | `tid` | string | no | tenant id |
//! | `sid` | string | no | hub session id |
//! | `nonce` | string | no | the login's nonce, checked when [`Expectations::nonce`] is set |
//!
//! Any other claim (`jti`, custom ones) is passed through, unchecked, in
//! [`VerifiedClaims::extra`].
//!
//! # Order of the checks
//!
//! Each is an early return with its own [`ErrorKind`]; nothing cryptographic runs before the
//! token is known to be small, well formed and meant for a key the gate holds:
//!
//! 1. size ([`Expectations::max_token_bytes`]): `token_too_large`;
//! 2. three segments of strict base64url, header and payload JSON objects: `token_malformed`;
//! 3. no `crit` header: `token_critical_header`;
//! 4. a `kid` naming a usable key of the set: `token_key_unknown`;
//! 5. header `alg` equal to the algorithm pinned for that key: `token_algorithm_mismatch`;
//! 6. `typ` as expected, case-insensitively, `application/` prefix optional:
//!    `token_type_mismatch`;
//! 7. the signature, by jsonwebtoken with the pinned algorithm (or, through [`verify_with`], by
//!    the caller's [`SignatureCheck`], such as the edge's WebCrypto): `token_signature_invalid`;
//! 8. `iss`, `aud`, `exp`, `nbf`, `iat`, `sub`, against the caller's `now` and at most
//!    [`MAX_LEEWAY_SECS`] of leeway; then, when the caller expects them, `tid`
//!    (`token_tenant_mismatch`) and `nonce` (`token_nonce_mismatch`).
//!
//! jsonwebtoken is used for the signature step only (`jsonwebtoken::crypto::verify`), never
//! for `decode`: its claim validation reads the system clock, and the core takes `now` as an
//! argument. Its crypto provider is the one compiled in by the `rust_crypto` feature, which
//! jsonwebtoken selects by itself on first use (a once-set process default inside that crate);
//! the core installs nothing. Should the build ever enable no provider or two, every function
//! here returns an error instead of letting jsonwebtoken panic.

mod base64url;
mod claims;
mod keys;
mod signing;

use serde_json::{Map, Value};

pub use claims::{
    BACKCHANNEL_LOGOUT_EVENT, HubClaims, LogoutClaims, MAX_LOGOUT_TOKEN_AGE_SECS, VerifiedClaims,
};
pub use keys::{KeySet, MAX_JWKS_BYTES, MAX_KEYS, MAX_KID_BYTES, SignatureAlgorithm};
pub use signing::{PublicJwk, SigningKey, jwks_json, sign, sign_claims};

use crate::{Error, ErrorKind, Result};

/// The `typ` of a hub token.
pub const HUB_TOKEN_TYPE: &str = "at+jwt";

/// The `typ` of a logout token (OpenID Connect Back-Channel Logout 1.0, section 2.4).
pub const LOGOUT_TOKEN_TYPE: &str = "logout+jwt";

/// The most clock-skew leeway a gate grants, in seconds; larger settings are clamped to it.
pub const MAX_LEEWAY_SECS: u32 = 60;

/// The default size limit of a token, in bytes.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 8 * 1024;

/// What a gate expects of a hub token for its module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectations {
    /// The hub's issuer URL; `iss` must equal it exactly. No default.
    pub issuer: String,
    /// The module's client id; `aud` (a string or a list) must contain it. No default.
    pub audience: String,
    /// The expected `typ` header, compared case-insensitively with an optional
    /// `application/` prefix. Defaults to [`HUB_TOKEN_TYPE`] (`at+jwt`).
    pub token_type: String,
    /// Clock-skew leeway for `exp`, `nbf` and `iat`, in seconds. Defaults to 60; values above
    /// [`MAX_LEEWAY_SECS`] are treated as 60.
    pub leeway_secs: u32,
    /// The largest token accepted, in bytes, checked before anything else. Defaults to
    /// [`DEFAULT_MAX_TOKEN_BYTES`] (8 KiB).
    pub max_token_bytes: usize,
    /// The tenant the module belongs to; when set, `tid` must equal it. Defaults to `None`
    /// (not checked).
    pub tenant: Option<String>,
    /// The `nonce` of the login this token answers (OpenID Connect); when set, the token's
    /// `nonce` claim must equal it. Defaults to `None` (not checked).
    pub nonce: Option<String>,
}

impl Expectations {
    /// Expectations for tokens from `issuer` for the module `audience`, with every other field
    /// at its default.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Expectations {
        Expectations {
            issuer: issuer.into(),
            audience: audience.into(),
            token_type: HUB_TOKEN_TYPE.to_owned(),
            leeway_secs: MAX_LEEWAY_SECS,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            tenant: None,
            nonce: None,
        }
    }
}

/// Verifies a hub token against the hub's keys and the module's expectations at `now` (unix
/// seconds), returning its claims or the first rule it breaks (see the module docs for the
/// order). Never panics, whatever `token` holds.
pub fn verify(
    token: &str,
    keys: &KeySet,
    expect: &Expectations,
    now: i64,
) -> Result<VerifiedClaims> {
    let parts = inspect(token, keys, expect)?;
    parts.key.check_signature(parts.signed.as_bytes(), parts.signature_b64)?;
    claims::check(parts.claims, expect, now, parts.kid, parts.key.alg)
}

/// A signature step supplied by the caller, for [`verify_with`]: the edge checks signatures
/// with the runtime's own crypto (WebCrypto in a Worker) while core still makes every other
/// check, in the same order as [`verify`].
pub trait SignatureCheck {
    /// Checks `signature` over `message` with `public_key` under `alg`: `Some(valid)`, or
    /// `None` to let core check it with its own implementation.
    ///
    /// `public_key` is the raw key: the 32-byte Ed25519 point for EdDSA, the 65-byte
    /// uncompressed SEC1 point (`04 || x || y`) for ES256, empty for RS256. `signature` is
    /// the JWS signature decoded from base64url (`r || s` for ES256).
    fn check(
        &self,
        alg: SignatureAlgorithm,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> impl std::future::Future<Output = Option<bool>>;
}

/// [`verify`] with the signature step done by `signatures`: the same checks, the same order,
/// the same errors. A check that answers `None` falls back to core's own verification.
pub async fn verify_with<C: SignatureCheck>(
    token: &str,
    keys: &KeySet,
    expect: &Expectations,
    now: i64,
    signatures: &C,
) -> Result<VerifiedClaims> {
    let parts = inspect(token, keys, expect)?;
    let message = parts.signed.as_bytes();
    let key = parts.key;
    signature_step(key, message, parts.signature_b64, &parts.signature, signatures).await?;
    claims::check(parts.claims, expect, now, parts.kid, key.alg)
}

/// Verifies a logout token from the hub (OpenID Connect Back-Channel Logout 1.0): the same
/// checks 1 to 7 as [`verify`], with `typ` always [`LOGOUT_TOKEN_TYPE`] whatever
/// `expect.token_type` says, then the logout token's own claims (see [`LogoutClaims`]).
/// `expect.tenant` and `expect.nonce` are not used. Never panics, whatever `token` holds.
pub fn verify_logout(
    token: &str,
    keys: &KeySet,
    expect: &Expectations,
    now: i64,
) -> Result<LogoutClaims> {
    let expect = logout_expectations(expect);
    let parts = inspect(token, keys, &expect)?;
    parts.key.check_signature(parts.signed.as_bytes(), parts.signature_b64)?;
    claims::check_logout(&parts.claims, &expect, now)
}

/// [`verify_logout`] with the signature step done by `signatures`, as [`verify_with`] does.
pub async fn verify_logout_with<C: SignatureCheck>(
    token: &str,
    keys: &KeySet,
    expect: &Expectations,
    now: i64,
    signatures: &C,
) -> Result<LogoutClaims> {
    let expect = logout_expectations(expect);
    let parts = inspect(token, keys, &expect)?;
    let message = parts.signed.as_bytes();
    signature_step(parts.key, message, parts.signature_b64, &parts.signature, signatures).await?;
    claims::check_logout(&parts.claims, &expect, now)
}

fn logout_expectations(expect: &Expectations) -> Expectations {
    Expectations { token_type: LOGOUT_TOKEN_TYPE.to_owned(), ..expect.clone() }
}

impl KeySet {
    /// The signature step of [`verify_with`] alone: `signature` (unpadded base64url) over
    /// `message` with the key `kid`, checked by `signatures` (or by core where it answers
    /// `None`). For checking a [`SignatureCheck`] against test vectors, which sign arbitrary
    /// messages rather than tokens.
    pub async fn verify_signature_with<C: SignatureCheck>(
        &self,
        kid: &str,
        message: &[u8],
        signature: &str,
        signatures: &C,
    ) -> Result<()> {
        let key = self.lookup(kid)?;
        let Some(bytes) = base64url::decode(signature) else {
            return Err(key.signature_invalid());
        };
        signature_step(key, message, signature, &bytes, signatures).await
    }
}

/// Asks `signatures`, falling back to core's own check when it answers `None`.
async fn signature_step<C: SignatureCheck>(
    key: &keys::VerificationKey,
    message: &[u8],
    signature_b64: &str,
    signature: &[u8],
    signatures: &C,
) -> Result<()> {
    match signatures.check(key.alg, &key.raw, message, signature).await {
        Some(true) => Ok(()),
        Some(false) => Err(key.signature_invalid()),
        None => key.check_signature(message, signature_b64),
    }
}

/// A token that passed checks 1 to 6, split for the signature step and the claim checks.
struct Inspected<'a> {
    key: &'a keys::VerificationKey,
    kid: &'a str,
    claims: Map<String, Value>,
    signed: &'a str,
    signature_b64: &'a str,
    signature: Vec<u8>,
}

/// Checks 1 to 6 of the module docs: size, form, `crit`, `kid`, `alg`, `typ`.
fn inspect<'a>(token: &'a str, keys: &'a KeySet, expect: &Expectations) -> Result<Inspected<'a>> {
    if token.len() > expect.max_token_bytes {
        return Err(Error::new(
            ErrorKind::TokenTooLarge,
            format!(
                "token is {} bytes, over the {}-byte limit",
                token.len(),
                expect.max_token_bytes
            ),
        ));
    }

    let mut segments = token.split('.');
    let (Some(header), Some(payload), Some(signature_b64), None) =
        (segments.next(), segments.next(), segments.next(), segments.next())
    else {
        return Err(malformed("token is not three dot-separated segments"));
    };
    let header =
        base64url::decode(header).ok_or_else(|| malformed("token header is not base64url"))?;
    let payload =
        base64url::decode(payload).ok_or_else(|| malformed("token payload is not base64url"))?;
    let signature = base64url::decode(signature_b64)
        .ok_or_else(|| malformed("token signature is not base64url"))?;

    let header: Map<String, Value> = serde_json::from_slice(&header)
        .map_err(|_| malformed("token header is not a json object"))?;
    let claims: Map<String, Value> = serde_json::from_slice(&payload)
        .map_err(|_| malformed("token payload is not a json object"))?;

    if header.contains_key("crit") {
        return Err(Error::new(
            ErrorKind::TokenCriticalHeader,
            "token header has crit, which this gate does not support",
        ));
    }

    let kid = match header.get("kid") {
        None => return Err(Error::new(ErrorKind::TokenKeyUnknown, "token header has no kid")),
        Some(Value::String(kid)) => kid,
        Some(_) => return Err(malformed("token kid is not a string")),
    };
    let key = keys.lookup(kid)?;

    let alg = header.get("alg").and_then(Value::as_str);
    if alg != Some(key.alg.name()) {
        return Err(Error::new(
            ErrorKind::TokenAlgorithmMismatch,
            format!(
                "token alg {} is not {}, the algorithm of key {}",
                alg.map_or_else(|| "(none given)".to_owned(), quoted),
                key.alg.name(),
                quoted(kid)
            ),
        ));
    }

    let typ = header.get("typ").and_then(Value::as_str);
    if !typ.is_some_and(|it| same_type(it, &expect.token_type)) {
        return Err(Error::new(
            ErrorKind::TokenTypeMismatch,
            format!(
                "token typ {} is not {}",
                typ.map_or_else(|| "(none given)".to_owned(), quoted),
                quoted(&expect.token_type)
            ),
        ));
    }

    let signed = token.rsplit_once('.').map_or("", |(message, _)| message);
    Ok(Inspected { key, kid: &key.kid, claims, signed, signature_b64, signature })
}

/// Compares `typ` values as RFC 7515 section 4.1.9 asks: case-insensitively, with the
/// `application/` prefix optional.
fn same_type(found: &str, expected: &str) -> bool {
    fn bare(it: &str) -> &str {
        let prefixed = it.get(..12).is_some_and(|p| p.eq_ignore_ascii_case("application/"));
        if prefixed { it.get(12..).unwrap_or(it) } else { it }
    }
    bare(found).eq_ignore_ascii_case(bare(expected))
}

fn malformed(message: &str) -> Error {
    Error::new(ErrorKind::TokenMalformed, message)
}

/// A value from a token or key set, quoted and cut to 64 characters, safe to put in a message.
pub(crate) fn quoted(value: &str) -> String {
    let cut: String = value.chars().take(64).collect();
    if cut.len() < value.len() { format!("{cut:?}…") } else { format!("{cut:?}") }
}
