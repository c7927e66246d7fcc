//! Fixed keys, a key set and token builders shared by the token tests.
//!
//! The P-256 and RSA keys were generated once with openssl and pasted here; they protect
//! nothing. The Ed25519 seed is the one of RFC 8032's first test vector, so the public key the
//! hub publishes for it is known in advance.

#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use onegate_core::token::{Expectations, HubClaims, KeySet, SigningKey, jwks_json};
use serde_json::{Value, json};

/// The hub's issuer in every test.
pub const ISSUER: &str = "https://hub.onegate.test";

/// The module the gate protects.
pub const AUDIENCE: &str = "psa";

/// The gate's clock in every test, unix seconds.
pub const NOW: i64 = 1_750_000_000;

/// RFC 8032 section 7.1, test 1: secret key.
pub const ED_SEED: [u8; 32] = [
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
];

/// RFC 8032 section 7.1, test 1: its public key, base64url.
pub const ED_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

/// A second Ed25519 seed, for an attacker's own key.
pub const OTHER_SEED: [u8; 32] = [42; 32];

/// The kids of the fixture key set.
pub const ED_KID: &str = "hub-ed-1";
/// The P-256 key's kid.
pub const EC_KID: &str = "hub-es-1";
/// The RSA key's kid.
pub const RS_KID: &str = "hub-rs-1";
/// A key the set holds for encryption only.
pub const ENC_KID: &str = "hub-enc-1";

/// The P-256 test key, PKCS#8 DER in base64url (made once with openssl).
pub const EC_PKCS8: &str = concat!(
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgsQygky7dBAgdr5Ox28ZlnhLrX-z3R8nCiVpdLDyd",
    "G-KhRANCAASWy1bmsTrgSCfbVpsiqRRhrEIn0t0800N9JSCrVkbYxCsMWQrIVdXK4kVmtdJs_ryjtCmHRxq7vXOU",
    "JMql0r7l",
);

/// Its public x coordinate.
pub const EC_X: &str = "lstW5rE64Egn21abIqkUYaxCJ9LdPNNDfSUgq1ZG2MQ";

/// Its public y coordinate.
pub const EC_Y: &str = "KwxZCshV1criRWa10mz-vKO0KYdHGru9c5QkyqXSvuU";

/// The 2048-bit RSA test key, PKCS#1 DER in base64url (made once with openssl).
pub const RSA_PKCS1: &str = concat!(
    "MIIEowIBAAKCAQEA40lV5bfbuW4nAvrvOjdCd-2bABLM2N37PQBQQEEaAbu7230E62N7kw0JPvbxCuvFuamnOWEu",
    "2fvPr5zi1XAvfBu6Av30iHj-fVIxaklA-wrHzC1e1BrritE2DTBJQtrqtiWM57eN-u9v1IX34NOLQIT8wgkQp5o8",
    "jn61Z2mY7UllXmHG1X0NemMXBc_dBFp0h5qCjGB0RN_fnUFhYBbVA6RNY2VvG0-sNtl9ActUKCiIZ5Igq7ngejih",
    "6_UVUlMnOkHaqNtQzEcjukeHZqRAoqp2WPQHPpXfiR4k4SZSEBq0xaW19C2qf2_Y7HG2IJZnhPLO_sgxhQWY2FVm",
    "Rxab0QIDAQABAoIBAFfdeGsDjlpblpJE3umzBiulu-el3PIzspYNAnkskbi80i1SYe37ugCJqBrizSFrLzeMufxp",
    "MPsNKWda76gSpBDHCTxx37BIkh1xgm_z3L6QFtg8a-30cD1sjog_s_q39cevsY68u5MYMDPJDKAqN6mcH7iFV55r",
    "dmCh5FATlw6XuCoRGrPZcdA7KqbOHNR7Xgl3fNRCd--vDhQbqwEJBGn5XBUThgHFVl9MBj9gw-L31SSdNJJFmD6Y",
    "uPUptoX1O88TSg5SuLUlWoqSqe3-Hc-AMvgWLsFhwnhYwat8jUkcHqkRH8r5t13XPpzwIlZqlkRg91KjJUYwPXMr",
    "yb4z4EcCgYEA8s1YtazfvXAnVpPGZ5FVfW60uglcL5QUKItkPckgJ30f2cMIB1CIDWSH7nWRb69hc7Jb5KizZxEU",
    "pJsgjjtOCIbi-VJXsn-kfp7NcIhfFoDT8AjceUaVNQ3DahicCORX1YjQ7NC_sLzzFc5jMh6rFGim3tsYQTZEGK_0",
    "Z-CgZTsCgYEA76QVpO-an4y6E_-_nAMD44_kTMqAlfgG3RX_xAKYbfgIUYzL78YtxPWRnka3xTi5QcdxFKAGmGi4",
    "uci-DwXN96jBRT56X12N9Zg73c1UZiGDuXanZwK2joWbq6EdmaQHn-qhCEo1zo7KyKSGBxdjBP5nzIPqtO-VFyN4",
    "hdB_AmMCgYBp2K8ldBmNogjkK0PA_pCAP_S1bUMs0qb_DdVDQhysWlW6PtWPKsJE5GCFyeb_Azu-jjCVPB4Jfl67",
    "a40DtELOYM8t1YG5pP9224-_0RNy4fKCn7pNfEGrgTaBV_0duz23Lw-1TUNjrtth1DlWLhxypzSnzmeCdj-1a29m",
    "oXwK5QKBgQDphvQUs-3xV1kqDgsyRHnws5NeBeTCwF4n6r1AzOqwF4o7tkIyWeTWUBxkqjOBfOKDqJCY8c0bjsmd",
    "OnOD_jsWAhy9lsH31xp037JPVj3N_RD5lhhSOQGf57Go0iwfQgqwGxxsEK1YqiwQ1MtLc83p2uVaFp-NTP_z-XwE",
    "owZyUwKBgCLhA7G7g3jk2TDJjA_9MNBigw6txy6vzIYDgv97-_NsP9YMvDRFvbcorY-exszvdTBet_2si7A42FAf",
    "sGDQClTL6D8SuUoiiYcbDQ9dxWHxe9vbJXrj9-I6J2WTnthkdn6dtzIiEUNqdvwjmKPQgZMzo8lmPX_uUPqDMpT5",
    "_TiE",
);

/// Its modulus.
pub const RSA_N: &str = concat!(
    "40lV5bfbuW4nAvrvOjdCd-2bABLM2N37PQBQQEEaAbu7230E62N7kw0JPvbxCuvFuamnOWEu2fvPr5zi1XAvfBu6",
    "Av30iHj-fVIxaklA-wrHzC1e1BrritE2DTBJQtrqtiWM57eN-u9v1IX34NOLQIT8wgkQp5o8jn61Z2mY7UllXmHG",
    "1X0NemMXBc_dBFp0h5qCjGB0RN_fnUFhYBbVA6RNY2VvG0-sNtl9ActUKCiIZ5Igq7ngejih6_UVUlMnOkHaqNtQ",
    "zEcjukeHZqRAoqp2WPQHPpXfiR4k4SZSEBq0xaW19C2qf2_Y7HG2IJZnhPLO_sgxhQWY2FVmRxab0Q",
);

/// Its public exponent.
pub const RSA_E: &str = "AQAB";

/// The hub's Ed25519 signing key.
pub fn hub_key() -> SigningKey {
    SigningKey::from_seed(&ED_SEED, ED_KID).expect("fixture seed and kid are valid")
}

/// The hub's JWKS: EdDSA (from [`hub_key`]), ES256, RS256 and one encryption key.
pub fn jwks() -> String {
    let mut keys: Value =
        serde_json::from_str(&jwks_json(&[hub_key().public_jwk()]).expect("jwks serializes"))
            .expect("jwks is json");
    let list = keys["keys"].as_array_mut().expect("keys is a list");
    list.push(json!({"kty": "EC", "crv": "P-256", "x": EC_X, "y": EC_Y, "kid": EC_KID,
        "alg": "ES256", "use": "sig"}));
    list.push(json!({"kty": "RSA", "n": RSA_N, "e": RSA_E, "kid": RS_KID, "alg": "RS256"}));
    list.push(json!({"kty": "OKP", "crv": "Ed25519", "x": ED_X, "kid": ENC_KID, "use": "enc"}));
    keys.to_string()
}

/// The parsed fixture key set.
pub fn key_set() -> KeySet {
    KeySet::from_jwks_json(&jwks()).expect("fixture key set parses")
}

/// The gate's expectations for module [`AUDIENCE`].
pub fn expectations() -> Expectations {
    Expectations::new(ISSUER, AUDIENCE)
}

/// A claim set the gate accepts at [`NOW`].
pub fn hub_claims() -> HubClaims {
    HubClaims {
        issuer: ISSUER.to_owned(),
        subject: "user-123".to_owned(),
        audience: vec![AUDIENCE.to_owned()],
        expires_at: NOW + 300,
        issued_at: NOW - 10,
        not_before: None,
        email: Some("ada@example.test".to_owned()),
        email_verified: true,
        name: Some("Ada Lovelace".to_owned()),
        groups: vec!["Technicians".to_owned(), "Admins".to_owned()],
        entitlements: vec!["psa".to_owned(), "rmm".to_owned()],
        tenant_id: Some("tenant-1".to_owned()),
        session_id: Some("session-9".to_owned()),
    }
}

/// [`hub_claims`] as JSON, for tests that edit claims freely.
pub fn claims_json() -> Value {
    json!({
        "iss": ISSUER, "sub": "user-123", "aud": AUDIENCE, "exp": NOW + 300, "iat": NOW - 10,
        "email": "ada@example.test", "email_verified": true, "groups": ["Technicians"],
    })
}

/// The header the hub writes for `kid`, with `alg`.
pub fn header(alg: &str, kid: &str) -> Value {
    json!({"alg": alg, "kid": kid, "typ": "at+jwt"})
}

/// Unpadded base64url.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How a test token is signed.
#[derive(Debug, Clone, Copy)]
pub enum Signer {
    /// With the hub's Ed25519 key.
    Ed,
    /// With an Ed25519 key the hub never published.
    OtherEd,
    /// With the P-256 test key.
    Es,
    /// With the RSA test key.
    Rs,
    /// HMAC-SHA256 keyed with the bytes of the hub's public Ed25519 key (key confusion).
    HmacWithPublicKey,
    /// No signature at all (`alg: none`).
    Unsigned,
}

fn der(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).expect("fixture base64")
}

fn ed_der(seed: &[u8; 32]) -> Vec<u8> {
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    der.extend_from_slice(seed);
    der
}

/// The signature `signer` makes over `message`, base64url.
pub fn signature(signer: Signer, message: &[u8]) -> String {
    let (key, alg) = match signer {
        Signer::Ed => (EncodingKey::from_ed_der(&ed_der(&ED_SEED)), Algorithm::EdDSA),
        Signer::OtherEd => (EncodingKey::from_ed_der(&ed_der(&OTHER_SEED)), Algorithm::EdDSA),
        Signer::Es => (EncodingKey::from_ec_der(&der(EC_PKCS8)), Algorithm::ES256),
        Signer::Rs => (EncodingKey::from_rsa_der(&der(RSA_PKCS1)), Algorithm::RS256),
        Signer::HmacWithPublicKey => {
            (EncodingKey::from_secret(&der(ED_X)).expect("hmac key"), Algorithm::HS256)
        }
        Signer::Unsigned => return String::new(),
    };
    jsonwebtoken::crypto::sign(message, &key, alg).expect("fixture signs")
}

/// A compact JWS of `header` and `claims`, signed by `signer`.
pub fn forge(header: &Value, claims: &Value, signer: Signer) -> String {
    let message =
        format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
    let signature = signature(signer, message.as_bytes());
    format!("{message}.{signature}")
}
