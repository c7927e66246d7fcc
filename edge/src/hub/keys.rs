//! The hub's signing keys from `HUB_SIGNING_KEYS`: a JSON list of `{kid, seed}` (hex Ed25519
//! seeds), newest first. The first key signs; every key is published in the JWKS, so tokens
//! signed before a rotation keep verifying until they expire.

use onegate_core::token::{KeySet, PublicJwk, SigningKey, jwks_json};
use serde::Deserialize;

#[derive(Deserialize)]
struct KeyEntry {
    kid: String,
    seed: String,
}

/// The parsed signing keys, newest first (never empty).
pub struct HubKeys {
    keys: Vec<SigningKey>,
}

impl HubKeys {
    /// Parses the variable's JSON; `Err` says what is wrong (for the operator, never a user).
    pub fn parse(json: &str) -> Result<HubKeys, String> {
        let entries: Vec<KeyEntry> = serde_json::from_str(json)
            .map_err(|e| format!("HUB_SIGNING_KEYS is not a JSON list of {{kid, seed}}: {e}"))?;
        let mut keys = Vec::with_capacity(entries.len());
        for entry in entries {
            let seed = hex32(&entry.seed)
                .ok_or_else(|| format!("key {:?}: seed is not 64 hex digits", entry.kid))?;
            let key = SigningKey::from_seed(&seed, &entry.kid)
                .map_err(|e| format!("key {:?}: {e}", entry.kid))?;
            keys.push(key);
        }
        if keys.is_empty() {
            return Err("HUB_SIGNING_KEYS lists no key".into());
        }
        Ok(HubKeys { keys })
    }

    /// The key that signs new tokens.
    pub fn current(&self) -> &SigningKey {
        &self.keys[0]
    }

    /// The public keys, newest first.
    pub fn public(&self) -> Vec<PublicJwk> {
        self.keys.iter().map(SigningKey::public_jwk).collect()
    }

    /// The JWKS document.
    pub fn jwks(&self) -> String {
        jwks_json(&self.public()).unwrap_or_else(|_| "{\"keys\":[]}".into())
    }

    /// The key set for verifying the hub's own tokens (userinfo, `id_token_hint`).
    pub fn key_set(&self) -> Option<KeySet> {
        KeySet::from_jwks_json(&self.jwks()).ok()
    }
}

fn hex32(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = concat!(
        r#"[{"kid":"new","seed":"#,
        r#""4b17a8f346ef3ecaedf8110ea888c123d887a3c9314c82bc104ee05d3a56add9"},"#,
        r#"{"kid":"old","seed":"#,
        r#""0000000000000000000000000000000000000000000000000000000000000001"}]"#
    );

    #[test]
    fn first_key_signs_and_all_are_published() {
        let keys = HubKeys::parse(TWO).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(keys.current().kid(), "new");
        let kids: Vec<String> = keys.public().iter().map(|k| k.kid().to_owned()).collect();
        assert_eq!(kids, ["new", "old"]);
        assert!(keys.key_set().is_some_and(|set| set.contains("old")));
    }

    #[test]
    fn bad_configuration_says_what_is_wrong() {
        let table = [
            ("[]", "HUB_SIGNING_KEYS lists no key"),
            (r#"[{"kid":"a","seed":"zz"}]"#, "key \"a\": seed is not 64 hex digits"),
        ];
        for (json, message) in table {
            assert_eq!(HubKeys::parse(json).err().as_deref(), Some(message), "{json}");
        }
        assert!(HubKeys::parse("{").is_err());
    }
}
