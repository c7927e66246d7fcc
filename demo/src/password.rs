//! Password hashing for module credentials: Argon2id in PHC string format.
//!
//! The cost is deliberately modest so a login fits a Worker's CPU budget in workerd; the
//! parameters travel inside each stored hash, so raising [`COST`] later only affects new
//! hashes and old ones keep verifying. Unknown users are checked against a fixed dummy hash so
//! a wrong username costs as much time as a wrong password.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// The Argon2id cost of new hashes: memory in KiB, iterations, lanes.
pub const COST: (u32, u32, u32) = (4096, 2, 1);

/// A hash of the password `"not a password"` at [`COST`], verified when the user is unknown.
const DUMMY_HASH: &str = concat!(
    "$argon2id$v=19$m=4096,t=2,p=1$aACZyUGaARC1/LyGOREcDg",
    "$jbQnhDuiPp3vLmzrFuLg4RNrdRSzLPMwuDtbs9CbGRk"
);

/// Why a password could not be hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashError(pub String);

impl std::fmt::Display for HashError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "password could not be hashed: {}", self.0)
    }
}

fn hasher() -> Result<Argon2<'static>, HashError> {
    let (m, t, p) = COST;
    let params = Params::new(m, t, p, None).map_err(|e| HashError(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` with the given 16 random salt bytes into a PHC string.
pub fn hash_with_salt(password: &str, salt: &[u8; 16]) -> Result<String, HashError> {
    let salt = SaltString::encode_b64(salt).map_err(|e| HashError(e.to_string()))?;
    let hash = hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| HashError(e.to_string()))?;
    Ok(hash.to_string())
}

/// Hashes `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError(e.to_string()))?;
    hash_with_salt(password, &salt)
}

/// Whether `password` matches the stored PHC string. A missing or unparsable hash never
/// matches, but still costs one verification so timing does not tell users apart.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let parsed = stored.and_then(|s| PasswordHash::new(s).ok());
    let Some(parsed) = parsed else {
        if let Ok(dummy) = PasswordHash::new(DUMMY_HASH) {
            let _ = Argon2::default().verify_password(password.as_bytes(), &dummy);
        }
        return false;
    };
    // The parameters come from the stored hash, not from `COST`.
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let stored = hash_with_salt("correct horse", &[7; 16]).unwrap_or_else(|e| panic!("{e}"));
        assert!(stored.starts_with("$argon2id$v=19$m=4096,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse", Some(&stored)));
        assert!(!verify("correct horsE", Some(&stored)));
        assert!(!verify("", Some(&stored)));
    }

    #[test]
    fn fresh_salts_differ() {
        let a = hash("pw").unwrap_or_else(|e| panic!("{e}"));
        let b = hash("pw").unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(a, b);
        assert!(verify("pw", Some(&a)) && verify("pw", Some(&b)));
    }

    #[test]
    fn missing_or_garbage_hash_never_matches() {
        assert!(!verify("not a password", None));
        assert!(!verify("x", Some("plaintext-password")));
        assert!(!verify("x", Some("")));
    }

    #[test]
    fn dummy_hash_is_well_formed() {
        assert!(verify("not a password", Some(DUMMY_HASH)));
    }
}
