//! Hub passwords: Argon2id (RFC 9106) in PHC string format, through RustCrypto's `argon2`.
//!
//! The cost of new hashes is [`COST`]; the parameters travel inside each stored hash, so old
//! hashes keep verifying after a change. An unknown email is checked against a dummy hash of the
//! same cost, so a wrong email takes as long as a wrong password.
//!
//! [`COST`] (m=19456 KiB, t=2, p=1: OWASP's minimum for Argon2id) was chosen by measuring one
//! verification inside workerd with `GET /.hub/bench`: 35 to 56 ms of CPU, under the budget of
//! 100 ms per password check (figures for other costs in `bench.rs`).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Argon2id cost of new hashes: memory in KiB, iterations, lanes.
pub const COST: (u32, u32, u32) = (19_456, 2, 1);

/// A well-formed hash at [`COST`] that no known password matches, verified for unknown emails.
const DUMMY_HASH: &str = concat!(
    "$argon2id$v=19$m=19456,t=2,p=1$b25lZ2F0ZWR1bW15c2FsdA",
    "$mK0yVgeHQV2xnpBnEPcDO6wPDHAm/oLNRnqrwntA9QI"
);

/// The Argon2id hasher with the given cost.
pub fn hasher(cost: (u32, u32, u32)) -> Option<Argon2<'static>> {
    let params = Params::new(cost.0, cost.1, cost.2, None).ok()?;
    Some(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` with 16 salt bytes at `cost` into a PHC string.
pub fn hash_with_salt(password: &str, salt: &[u8; 16], cost: (u32, u32, u32)) -> Option<String> {
    let salt = SaltString::encode_b64(salt).ok()?;
    let hash = hasher(cost)?.hash_password(password.as_bytes(), &salt).ok()?;
    Some(hash.to_string())
}

/// Whether `password` matches the stored PHC string (`None`: unknown user). A missing or
/// unparsable hash never matches but still costs one verification.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let parsed = stored.and_then(|s| PasswordHash::new(s).ok());
    let Some(parsed) = parsed else {
        if let Ok(dummy) = PasswordHash::new(DUMMY_HASH) {
            let _ = Argon2::default().verify_password(password.as_bytes(), &dummy);
        }
        return false;
    };
    // The parameters come from the stored hash.
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_at_the_chosen_cost() {
        let stored = hash_with_salt("correct horse", &[7; 16], COST).unwrap_or_default();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse", Some(&stored)));
        assert!(!verify("correct horsf", Some(&stored)));
        assert!(!verify("correct horse", None));
        assert!(!verify("correct horse", Some("not a phc string")));
    }

    #[test]
    fn the_dummy_hash_parses_at_the_chosen_cost() {
        let parsed = PasswordHash::new(DUMMY_HASH).map(|h| h.to_string()).unwrap_or_default();
        assert!(parsed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{parsed}");
    }
}
