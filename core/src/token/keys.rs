//! The hub's public keys, parsed from its JWKS document, each pinned to one signature algorithm.
//!
//! The algorithm comes from the key, never from a token: an Ed25519 key verifies EdDSA only, a
//! P-256 key ES256 only, and an RSA key RS256 only, and only when the key itself declares
//! `"alg": "RS256"`. Keys the gate may not use for signatures (marked `use: enc`, `key_ops`
//! without `verify`, other curves or algorithms) are set aside with their reason; a document
//! that is malformed, publishes a secret or private key, has a key without `kid`, two keys with
//! one `kid`, or a declared `alg` that contradicts the key's type is refused as a whole.

use jsonwebtoken::crypto::CryptoProvider;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

use super::{base64url, quoted};
use crate::{Error, ErrorKind, Result};

/// The most keys a JWKS document may hold, usable or not.
pub const MAX_KEYS: usize = 16;

/// The largest JWKS document accepted, in bytes.
pub const MAX_JWKS_BYTES: usize = 64 * 1024;

/// The longest `kid` accepted, in bytes.
pub const MAX_KID_BYTES: usize = 128;

/// JWK members that only a private or secret key has: a document carrying one is refused.
const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

/// A signature algorithm the gate accepts, pinned per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// Ed25519 (`EdDSA`), the hub's own algorithm.
    EdDsa,
    /// ECDSA over P-256 with SHA-256 (`ES256`).
    Es256,
    /// RSASSA-PKCS1-v1_5 with SHA-256 (`RS256`), from keys that declare it.
    Rs256,
}

impl SignatureAlgorithm {
    /// The JOSE name, exactly as a token's `alg` header must spell it.
    pub fn name(self) -> &'static str {
        match self {
            SignatureAlgorithm::EdDsa => "EdDSA",
            SignatureAlgorithm::Es256 => "ES256",
            SignatureAlgorithm::Rs256 => "RS256",
        }
    }

    pub(crate) fn jwt(self) -> Algorithm {
        match self {
            SignatureAlgorithm::EdDsa => Algorithm::EdDSA,
            SignatureAlgorithm::Es256 => Algorithm::ES256,
            SignatureAlgorithm::Rs256 => Algorithm::RS256,
        }
    }
}

/// One usable public key: its id, its pinned algorithm and the key material.
#[derive(Debug, Clone)]
pub(crate) struct VerificationKey {
    pub(crate) kid: String,
    pub(crate) alg: SignatureAlgorithm,
    pub(crate) key: DecodingKey,
    /// The raw public key for [`super::SignatureCheck`]: the Ed25519 point, the uncompressed
    /// P-256 point (`04 || x || y`), or empty for RSA.
    pub(crate) raw: Vec<u8>,
}

impl VerificationKey {
    /// Checks `signature` (unpadded base64url) over `message` with the pinned algorithm.
    pub(crate) fn check_signature(&self, message: &[u8], signature: &str) -> Result<()> {
        provider_ready(ErrorKind::TokenSignatureInvalid)?;

        let verified = jsonwebtoken::crypto::verify(signature, message, &self.key, self.alg.jwt());
        if !matches!(verified, Ok(true)) {
            return Err(self.signature_invalid());
        }
        Ok(())
    }

    /// The error of a signature that does not verify with this key.
    pub(crate) fn signature_invalid(&self) -> Error {
        Error::new(
            ErrorKind::TokenSignatureInvalid,
            format!("token signature does not verify with key {}", quoted(&self.kid)),
        )
    }
}

/// A key the document lists but the gate will not verify with, and why.
#[derive(Debug, Clone)]
struct SetAside {
    kid: String,
    reason: &'static str,
}

/// The hub's signature keys, as parsed from its JWKS document.
#[derive(Debug, Clone)]
pub struct KeySet {
    keys: Vec<VerificationKey>,
    set_aside: Vec<SetAside>,
}

/// What one JWK turned out to be.
enum Parsed {
    Usable(VerificationKey),
    SetAside(&'static str),
}

impl KeySet {
    /// Parses a JWKS document (`{"keys": [...]}`) as published by the hub.
    ///
    /// Fails with [`ErrorKind::KeySetInvalid`] when the document is larger than
    /// [`MAX_JWKS_BYTES`], holds more than [`MAX_KEYS`] keys or no usable key, or has a key that
    /// is malformed, secret, private, without `kid`, with a duplicate `kid`, or with an `alg`
    /// that contradicts its type.
    pub fn from_jwks_json(json: &str) -> Result<KeySet> {
        if json.len() > MAX_JWKS_BYTES {
            return Err(invalid(format!(
                "key set is {} bytes, over the {MAX_JWKS_BYTES}-byte limit",
                json.len()
            )));
        }

        let doc: Value =
            serde_json::from_str(json).map_err(|_| invalid("key set is not a json document"))?;
        let Some(entries) = doc.get("keys").and_then(Value::as_array) else {
            return Err(invalid("key set has no \"keys\" array"));
        };
        if entries.len() > MAX_KEYS {
            return Err(invalid(format!(
                "key set has {} keys, more than the {MAX_KEYS} accepted",
                entries.len()
            )));
        }

        let mut set = KeySet { keys: Vec::new(), set_aside: Vec::new() };
        for (index, entry) in entries.iter().enumerate() {
            let Some(jwk) = entry.as_object() else {
                return Err(invalid(format!("key #{index} is not a json object")));
            };
            let kid = kid_of(jwk, index)?;
            if set.knows(kid) {
                return Err(invalid(format!("two keys share the kid {}", quoted(kid))));
            }

            match parse_jwk(jwk, kid)? {
                Parsed::Usable(key) => set.keys.push(key),
                Parsed::SetAside(reason) => {
                    set.set_aside.push(SetAside { kid: kid.to_owned(), reason })
                }
            }
        }

        if set.keys.is_empty() {
            return Err(invalid("key set has no key usable for signature verification"));
        }
        Ok(set)
    }

    /// The ids of the usable keys, in document order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|it| it.kid.as_str())
    }

    /// True if a usable key has this id. The edge refetches the JWKS (at most once per
    /// cooldown) when a token names a `kid` for which this is false.
    pub fn contains(&self, kid: &str) -> bool {
        self.keys.iter().any(|it| it.kid == kid)
    }

    /// The algorithm pinned for the usable key with this id.
    pub fn algorithm(&self, kid: &str) -> Option<SignatureAlgorithm> {
        self.keys.iter().find(|it| it.kid == kid).map(|it| it.alg)
    }

    /// The usable key with this id, or [`ErrorKind::TokenKeyUnknown`] saying why there is none.
    pub(crate) fn lookup(&self, kid: &str) -> Result<&VerificationKey> {
        if let Some(key) = self.keys.iter().find(|it| it.kid == kid) {
            return Ok(key);
        }

        let message = match self.set_aside.iter().find(|it| it.kid == kid) {
            Some(it) => format!("key {} cannot verify tokens: {}", quoted(kid), it.reason),
            None => format!("no key with kid {} in the hub's key set", quoted(kid)),
        };
        Err(Error::new(ErrorKind::TokenKeyUnknown, message))
    }

    /// The signature step of [`verify`](super::verify) alone: checks `signature` (unpadded
    /// base64url) over `message` with the key `kid` and its pinned algorithm. It reads no
    /// header and checks no claim, so it says nothing about a token: gates call `verify`.
    pub fn verify_signature(&self, kid: &str, message: &[u8], signature: &str) -> Result<()> {
        self.lookup(kid)?.check_signature(message, signature)
    }

    fn knows(&self, kid: &str) -> bool {
        self.contains(kid) || self.set_aside.iter().any(|it| it.kid == kid)
    }
}

fn kid_of(jwk: &Map<String, Value>, index: usize) -> Result<&str> {
    let Some(kid) = jwk.get("kid") else {
        return Err(invalid(format!("key #{index} has no kid")));
    };
    let Some(kid) = kid.as_str().filter(|it| !it.is_empty() && it.len() <= MAX_KID_BYTES) else {
        return Err(invalid(format!(
            "key #{index} has a kid that is not a string of 1 to {MAX_KID_BYTES} bytes"
        )));
    };
    Ok(kid)
}

fn parse_jwk(jwk: &Map<String, Value>, kid: &str) -> Result<Parsed> {
    let kty = member(jwk, kid, "kty")?.unwrap_or_default();
    if kty == "oct" {
        return Err(invalid(format!(
            "key {} is a shared secret (kty oct); only public signature keys are accepted",
            quoted(kid)
        )));
    }

    if let Some(name) = PRIVATE_MEMBERS.iter().find(|it| jwk.contains_key(**it)) {
        return Err(invalid(format!(
            "key {} carries the private member {name}; publish public keys only",
            quoted(kid)
        )));
    }

    if let Some(usage) = member(jwk, kid, "use")?
        && usage != "sig"
    {
        let reason = if usage == "enc" {
            "it is marked for encryption (use enc)"
        } else {
            "its use is not sig"
        };
        return Ok(Parsed::SetAside(reason));
    }

    if let Some(ops) = jwk.get("key_ops") {
        let Some(ops) = ops.as_array() else {
            return Err(invalid(format!("key {} has key_ops that is not a list", quoted(kid))));
        };
        if !ops.iter().any(|it| it.as_str() == Some("verify")) {
            return Ok(Parsed::SetAside("its key_ops do not include verify"));
        }
    }

    let declared = member(jwk, kid, "alg")?;
    let crv = member(jwk, kid, "crv")?;
    let alg = match pin(kty, crv, declared) {
        Pin::Pinned(alg) => alg,
        Pin::SetAside(reason) => return Ok(Parsed::SetAside(reason)),
        Pin::Contradiction => {
            return Err(invalid(format!(
                "key {} declares alg {} that contradicts its type {}",
                quoted(kid),
                quoted(declared.unwrap_or_default()),
                quoted(kty)
            )));
        }
    };

    let raw_of = |text: &str| base64url::decode(text).unwrap_or_default();
    let (key, raw) = match alg {
        SignatureAlgorithm::EdDsa => {
            let x = coordinate(jwk, kid, "x", 32)?;
            (DecodingKey::from_ed_components(x), raw_of(x))
        }
        SignatureAlgorithm::Es256 => {
            let x = coordinate(jwk, kid, "x", 32)?;
            let y = coordinate(jwk, kid, "y", 32)?;
            let raw = [&[4u8][..], &raw_of(x), &raw_of(y)].concat();
            (DecodingKey::from_ec_components(x, y), raw)
        }
        SignatureAlgorithm::Rs256 => (rsa_key(jwk, kid), Vec::new()),
    };
    let key = key.map_err(|_| invalid(format!("key {} has unusable key material", quoted(kid))))?;

    check_point(&key, alg, kid)?;
    Ok(Parsed::Usable(VerificationKey { kid: kid.to_owned(), alg, key, raw }))
}

enum Pin {
    Pinned(SignatureAlgorithm),
    SetAside(&'static str),
    Contradiction,
}

/// Pins the algorithm from the key's type and curve; a declared `alg` may only agree.
fn pin(kty: &str, crv: Option<&str>, declared: Option<&str>) -> Pin {
    let family = match declared {
        None => None,
        Some("EdDSA" | "Ed25519" | "Ed448") => Some("OKP"),
        Some("ES256" | "ES384" | "ES512" | "ES256K") => Some("EC"),
        Some("RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512") => Some("RSA"),
        // HS*, `none` and unknown names fit no public key type.
        Some(_) => return Pin::Contradiction,
    };
    if family.is_some_and(|it| it != kty) {
        return Pin::Contradiction;
    }

    match (kty, crv, declared) {
        ("OKP", Some("Ed25519"), None | Some("EdDSA")) => Pin::Pinned(SignatureAlgorithm::EdDsa),
        ("OKP", Some("Ed25519"), Some(_)) => Pin::SetAside("its alg is not EdDSA"),
        ("OKP", _, _) => Pin::SetAside("its curve is not Ed25519"),
        ("EC", Some("P-256"), None | Some("ES256")) => Pin::Pinned(SignatureAlgorithm::Es256),
        ("EC", Some("P-256"), Some(_)) => Pin::Contradiction,
        ("EC", _, _) => Pin::SetAside("its curve is not P-256"),
        ("RSA", _, Some("RS256")) => Pin::Pinned(SignatureAlgorithm::Rs256),
        ("RSA", _, None) => Pin::SetAside("rsa keys must declare alg RS256"),
        ("RSA", _, Some(_)) => Pin::SetAside("its alg is not RS256"),
        _ => Pin::SetAside("its key type is not supported"),
    }
}

/// A string member, `None` when absent; present with another type is an error.
fn member<'a>(jwk: &'a Map<String, Value>, kid: &str, name: &str) -> Result<Option<&'a str>> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(it)) => Ok(Some(it)),
        Some(_) => Err(invalid(format!("key {} has a {name} that is not a string", quoted(kid)))),
    }
}

/// A base64url member that must decode to exactly `len` bytes.
fn coordinate<'a>(
    jwk: &'a Map<String, Value>,
    kid: &str,
    name: &str,
    len: usize,
) -> Result<&'a str> {
    let text = member(jwk, kid, name)?.unwrap_or_default();
    if base64url::decode(text).is_none_or(|it| it.len() != len) {
        return Err(invalid(format!(
            "key {} has a {name} that is not {len} bytes of base64url",
            quoted(kid)
        )));
    }
    Ok(text)
}

/// An RS256 key of 2048 to 4096 bits with a small odd public exponent.
fn rsa_key(jwk: &Map<String, Value>, kid: &str) -> jsonwebtoken::errors::Result<DecodingKey> {
    let n = member(jwk, kid, "n").ok().flatten().and_then(base64url::decode).unwrap_or_default();
    let e = member(jwk, kid, "e").ok().flatten().and_then(base64url::decode).unwrap_or_default();
    let bits = n
        .iter()
        .position(|it| *it != 0)
        .map_or(0, |first| (n.len() - first) * 8 - n[first].leading_zeros() as usize);
    let exponent =
        if e.len() <= 4 { e.iter().fold(0u64, |acc, it| acc << 8 | u64::from(*it)) } else { 0 };

    let modulus_ok = (2048..=4096).contains(&bits) && n.last().is_some_and(|it| it % 2 == 1);
    let exponent_ok = exponent >= 3 && exponent % 2 == 1;
    if !modulus_ok || !exponent_ok {
        return Err(jsonwebtoken::errors::ErrorKind::InvalidRsaKey(String::new()).into());
    }
    Ok(DecodingKey::from_rsa_raw_components(&n, &e))
}

/// Lets the crypto provider decode the key once, so a point off the curve is refused here and
/// not reported later as a bad signature.
fn check_point(key: &DecodingKey, alg: SignatureAlgorithm, kid: &str) -> Result<()> {
    if alg == SignatureAlgorithm::Rs256 {
        return Ok(());
    }
    provider_ready(ErrorKind::KeySetInvalid)?;

    let blank = base64url::encode(&[0; 64]);
    if jsonwebtoken::crypto::verify(&blank, b"", key, alg.jwt()).is_err() {
        return Err(invalid(format!("key {} is not a valid {} point", quoted(kid), alg.name())));
    }
    Ok(())
}

/// jsonwebtoken panics when it has no crypto provider (none or two crate features chosen);
/// asking first keeps every call into it total.
pub(crate) fn provider_ready(kind: ErrorKind) -> Result<()> {
    if CryptoProvider::try_get_default().is_none() {
        return Err(Error::new(
            kind,
            "jsonwebtoken has no crypto provider: enable exactly one of its crypto features",
        ));
    }
    Ok(())
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::KeySetInvalid, message)
}
