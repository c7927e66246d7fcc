//! HMAC-signed values (session cookies, login state) and random identifiers.
//!
//! A signed value is `base64url(payload) "." base64url(HMAC-SHA256(key, payload))`. Each purpose
//! gets its own key derived from the one `SESSION_SECRET` (`HMAC(secret, purpose)`), so a value
//! signed for one purpose (say the hub session) never opens as another (the gate session).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The longest signed value [`Signer::open`] looks at, in bytes.
pub const MAX_SIGNED_LEN: usize = 4096;

/// Signs and opens values for one purpose.
///
/// Holds the HMAC state already keyed (its inner and outer pads hashed), so signing or opening
/// a value costs a copy of that state plus the blocks of the value itself.
#[derive(Clone)]
pub struct Signer {
    keyed: HmacSha256,
}

impl Signer {
    /// The signer for `purpose` (for example `"gate-session"`), keyed from `secret`.
    pub fn derive(secret: &[u8], purpose: &str) -> Signer {
        let key = hmac(secret, purpose.as_bytes());
        // HMAC accepts keys of any length; the fallback is never taken.
        let keyed = HmacSha256::new_from_slice(&key)
            .unwrap_or_else(|_| <HmacSha256 as Mac>::new(&Default::default()));
        Signer { keyed }
    }

    /// `payload` with its signature appended.
    pub fn sign(&self, payload: &[u8]) -> String {
        let mut mac = self.keyed.clone();
        mac.update(payload);
        let mac: [u8; 32] = mac.finalize().into_bytes().into();
        format!("{}.{}", B64.encode(payload), B64.encode(mac))
    }

    /// The payload of a value this signer made; `None` for anything else, including values
    /// that are too long, malformed or signed with another key.
    pub fn open(&self, value: &str) -> Option<Vec<u8>> {
        if value.len() > MAX_SIGNED_LEN {
            return None;
        }

        let (payload, mac) = value.split_once('.')?;
        let payload = B64.decode(payload).ok()?;
        // 43 base64url characters are exactly the 32 bytes of a tag (the spare room keeps the
        // decoder's length estimate happy).
        let mut tag = [0u8; 36];
        if mac.len() != 43 || B64.decode_slice(mac, &mut tag).ok()? != 32 {
            return None;
        }
        let mut check = self.keyed.clone();
        check.update(&payload);
        // `verify_slice` compares in constant time.
        check.verify_slice(&tag[..32]).ok()?;
        Some(payload)
    }
}

/// HMAC-SHA256 of `data` under `key`.
pub fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return [0; 32],
    };
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// SHA-256 of `data`, base64url without padding (the PKCE S256 challenge of a verifier).
pub fn sha256_b64(data: &[u8]) -> String {
    B64.encode(Sha256::digest(data))
}

/// `bytes` random bytes from the platform's CSPRNG, base64url without padding.
pub fn random_id(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)?;
    Ok(B64.encode(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_value_opens_only_with_its_own_purpose() {
        let gate = Signer::derive(b"secret", "gate-session");
        let hub = Signer::derive(b"secret", "hub-session");
        let value = gate.sign(b"{\"sub\":\"u1\"}");

        assert_eq!(gate.open(&value).as_deref(), Some(&b"{\"sub\":\"u1\"}"[..]));
        assert_eq!(hub.open(&value), None);
    }

    #[test]
    fn tampered_or_malformed_values_do_not_open() {
        let signer = Signer::derive(b"secret", "gate-session");
        let value = signer.sign(b"payload");
        let (payload, mac) = value.split_once('.').unwrap_or_default();
        let other = B64.encode(b"payloae");
        let rows = [
            ("empty", String::new()),
            ("no_dot", payload.to_owned()),
            ("payload_swapped", format!("{other}.{mac}")),
            ("mac_cut", format!("{payload}.{}", &mac[..mac.len() - 2])),
            ("not_base64", format!("{payload}.!!!")),
            ("too_long", format!("{}.{mac}", "A".repeat(MAX_SIGNED_LEN))),
        ];
        for (name, value) in rows {
            assert_eq!(signer.open(&value), None, "row {name}");
        }
    }

    #[test]
    fn pkce_challenge_matches_rfc_7636_example() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert_eq!(sha256_b64(verifier.as_bytes()), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
