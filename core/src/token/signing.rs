//! Signing hub tokens with the hub's Ed25519 key, and publishing its public half as a JWK.
//!
//! The caller supplies the 32-byte seed (from its secret store) and a key id; the core draws no
//! randomness of its own. Ed25519 signatures are deterministic, so one seed and one claim set
//! always give the same token.

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

use super::keys::{MAX_KID_BYTES, provider_ready};
use super::{DEFAULT_MAX_TOKEN_BYTES, HUB_TOKEN_TYPE, HubClaims};
use crate::{Error, ErrorKind, Result};

/// The fixed PKCS#8 v1 prefix of an Ed25519 private key (RFC 8410): the DER that jsonwebtoken
/// takes is these 16 bytes followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The hub's Ed25519 signing key with its `kid`. Its `Debug` output never shows the seed.
#[derive(Clone)]
pub struct SigningKey {
    kid: String,
    key: EncodingKey,
    public: PublicJwk,
}

impl SigningKey {
    /// Builds the key from a 32-byte Ed25519 seed and the `kid` it is published under.
    ///
    /// The `kid` must be 1 to 128 bytes of ASCII letters, digits, `.`, `_` or `-`
    /// ([`ErrorKind::ValueInvalid`] otherwise).
    pub fn from_seed(seed: &[u8; 32], kid: &str) -> Result<SigningKey> {
        let kid_ok = !kid.is_empty()
            && kid.len() <= MAX_KID_BYTES
            && kid.bytes().all(|it| it.is_ascii_alphanumeric() || b"._-".contains(&it));
        if !kid_ok {
            return Err(Error::new(
                ErrorKind::ValueInvalid,
                "a signing key id must be 1 to 128 letters, digits, '.', '_' or '-'",
            ));
        }
        provider_ready(ErrorKind::SigningFailed)?;

        let mut der = Vec::with_capacity(48);
        der.extend_from_slice(&PKCS8_ED25519_PREFIX);
        der.extend_from_slice(seed);
        let key = EncodingKey::from_ed_der(&der);
        der.fill(0);

        let jwk = Jwk::from_encoding_key(&key, Algorithm::EdDSA).map_err(|_| failed())?;
        let AlgorithmParameters::OctetKeyPair(okp) = jwk.algorithm else {
            return Err(failed());
        };
        let public = PublicJwk {
            kty: "OKP",
            crv: "Ed25519",
            x: okp.x,
            kid: kid.to_owned(),
            alg: "EdDSA",
            usage: "sig",
        };
        Ok(SigningKey { kid: kid.to_owned(), key, public })
    }

    /// The `kid` every token signed with this key carries.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public half, as the JWK the hub publishes in its JWKS.
    pub fn public_jwk(&self) -> PublicJwk {
        self.public.clone()
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).finish_non_exhaustive()
    }
}

/// A public Ed25519 key as a JWK: `kty` OKP, `crv` Ed25519, `x`, `kid`, `alg` EdDSA, `use` sig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicJwk {
    kty: &'static str,
    crv: &'static str,
    x: String,
    kid: String,
    alg: &'static str,
    #[serde(rename = "use")]
    usage: &'static str,
}

impl PublicJwk {
    /// The key id.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key, 32 bytes in unpadded base64url.
    pub fn x(&self) -> &str {
        &self.x
    }
}

/// The JWKS document (`{"keys": [...]}`) for the hub to publish, listing `keys` in order
/// (during a rotation: the current key first, then the one it replaces).
pub fn jwks_json(keys: &[PublicJwk]) -> Result<String> {
    #[derive(Serialize)]
    struct Jwks<'a> {
        keys: &'a [PublicJwk],
    }
    serde_json::to_string(&Jwks { keys })
        .map_err(|_| Error::new(ErrorKind::SigningFailed, "the key set could not be written"))
}

/// Signs `claims` as a hub token: header `{"typ":"at+jwt","alg":"EdDSA","kid":…}`.
///
/// Fails with [`ErrorKind::SigningFailed`] if the token would be longer than the
/// [`DEFAULT_MAX_TOKEN_BYTES`] a gate accepts by default (too many groups or entitlements).
pub fn sign(claims: &HubClaims, key: &SigningKey) -> Result<String> {
    sign_claims(claims, HUB_TOKEN_TYPE, key)
}

/// Signs any claim set under another `typ`, for the other JWTs of the product (an OpenID
/// Connect ID token, the gate's assertion to its module), so that none passes for another:
/// the verifier sets [`Expectations::token_type`](super::Expectations::token_type) to match.
/// Fails like [`sign`].
pub fn sign_claims(claims: &impl Serialize, token_type: &str, key: &SigningKey) -> Result<String> {
    provider_ready(ErrorKind::SigningFailed)?;

    let mut header = Header::new(Algorithm::EdDSA);
    header.typ = Some(token_type.to_owned());
    header.kid = Some(key.kid.clone());
    let token = jsonwebtoken::encode(&header, claims, &key.key).map_err(|_| failed())?;

    if token.len() > DEFAULT_MAX_TOKEN_BYTES {
        return Err(Error::new(
            ErrorKind::SigningFailed,
            format!(
                "the signed token is {} bytes, over the {DEFAULT_MAX_TOKEN_BYTES}-byte limit of \
                 the gates; trim its groups or entitlements",
                token.len()
            ),
        ));
    }
    Ok(token)
}

fn failed() -> Error {
    Error::new(ErrorKind::SigningFailed, "the ed25519 signing key could not be used")
}
