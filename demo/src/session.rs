//! The module's own session cookie: `<module>.<user id>.<expiry>.<mac>`, where the MAC is
//! HMAC-SHA256 under the `SESSION_SECRET` binding over the module, user id and expiry, so a
//! cookie of one module is worthless in the other and any edit is detected.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::module::Module;

type HmacSha256 = Hmac<Sha256>;

/// How long a module session lasts, in seconds (8 hours).
pub const MAX_AGE_SECS: u64 = 8 * 60 * 60;

/// A verified module session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Session {
    /// The module the session belongs to.
    pub module: Module,
    /// The module user's id.
    pub user_id: i64,
    /// Expiry, seconds since the Unix epoch.
    pub expires_at: u64,
}

fn mac(secret: &[u8], module: Module, user_id: i64, expires_at: u64) -> HmacSha256 {
    // HMAC's own key rule (RFC 2104): hash keys longer than the block, pad the rest with zeros.
    // Doing it here makes the constructor infallible.
    let mut key = [0u8; 64];
    if secret.len() > key.len() {
        key[..32].copy_from_slice(&Sha256::digest(secret));
    } else {
        key[..secret.len()].copy_from_slice(secret);
    }
    let mut mac = <HmacSha256 as Mac>::new(&key.into());
    let message = format!("onegate-demo-session/v1|{}|{user_id}|{expires_at}", module.slug());
    mac.update(message.as_bytes());
    mac
}

impl Session {
    /// A session for `user_id` starting at `now` (seconds since the epoch).
    pub fn start(module: Module, user_id: i64, now: u64) -> Self {
        Session { module, user_id, expires_at: now + MAX_AGE_SECS }
    }

    /// The signed cookie value.
    pub fn sign(&self, secret: &[u8]) -> String {
        let tag = mac(secret, self.module, self.user_id, self.expires_at).finalize().into_bytes();
        format!(
            "{}.{}.{}.{}",
            self.module.slug(),
            self.user_id,
            self.expires_at,
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// Verifies a cookie value for `module` at `now`; `None` if it is malformed, tampered
    /// with, for another module, or expired.
    pub fn verify(value: &str, secret: &[u8], module: Module, now: u64) -> Option<Session> {
        let mut parts = value.split('.');
        let (slug, user_id, expires_at, tag) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || slug != module.slug() {
            return None;
        }

        let user_id: i64 = user_id.parse().ok()?;
        let expires_at: u64 = expires_at.parse().ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        mac(secret, module, user_id, expires_at).verify_slice(&tag).ok()?;

        if expires_at <= now {
            return None;
        }
        Some(Session { module, user_id, expires_at })
    }
}

/// The cookie name for a module; `__Host-` prefixed when served over https.
pub fn cookie_name(module: Module, https: bool) -> String {
    let prefix = if https { "__Host-" } else { "" };
    format!("{prefix}demo_{}_session", module.slug())
}

/// A `Set-Cookie` value that stores `value` (HttpOnly, SameSite=Lax, path /).
pub fn set_cookie(name: &str, value: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_SECS}{secure}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear_cookie(name: &str, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Reads one cookie from a `Cookie` header.
pub fn read_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test secret";
    const NOW: u64 = 1_800_000_000;

    #[test]
    fn signed_session_verifies() {
        let s = Session::start(Module::Psa, 42, NOW);
        let v = s.sign(SECRET);
        assert_eq!(Session::verify(&v, SECRET, Module::Psa, NOW + 1), Some(s));
    }

    #[test]
    fn tampering_is_detected() {
        let v = Session::start(Module::Psa, 42, NOW).sign(SECRET);
        let rows: &[(&str, String)] = &[
            ("other_user", v.replacen(".42.", ".43.", 1)),
            ("longer_expiry", v.replacen(&format!(".{}.", NOW + MAX_AGE_SECS), ".9999999999.", 1)),
            ("other_module_prefix", v.replacen("psa.", "rmm.", 1)),
            ("truncated_mac", v[..v.len() - 2].to_owned()),
            ("extra_part", format!("{v}.x")),
            ("garbage", "psa.1.2.%%%".to_owned()),
            ("empty", String::new()),
        ];
        for (name, tampered) in rows {
            for module in [Module::Psa, Module::Rmm] {
                assert_eq!(Session::verify(tampered, SECRET, module, NOW), None, "row {name}");
            }
        }
        assert_eq!(Session::verify(&v, b"other secret", Module::Psa, NOW), None);
    }

    #[test]
    fn cookie_of_one_module_is_refused_by_the_other() {
        let v = Session::start(Module::Psa, 1, NOW).sign(SECRET);
        assert_eq!(Session::verify(&v, SECRET, Module::Rmm, NOW), None);
    }

    #[test]
    fn expired_session_is_refused() {
        let v = Session::start(Module::Rmm, 1, NOW).sign(SECRET);
        assert_eq!(Session::verify(&v, SECRET, Module::Rmm, NOW + MAX_AGE_SECS), None);
    }

    #[test]
    fn key_normalisation_matches_the_hmac_crate() {
        for secret in [&b"short"[..], &[9u8; 64][..], &[3u8; 100][..]] {
            let mut reference =
                HmacSha256::new_from_slice(secret).expect("hmac takes keys of any length");
            reference.update(b"onegate-demo-session/v1|psa|1|2");
            let ours = mac(secret, Module::Psa, 1, 2).finalize().into_bytes();
            assert_eq!(ours, reference.finalize().into_bytes(), "key of {} bytes", secret.len());
        }
    }

    #[test]
    fn cookie_attributes() {
        let c = set_cookie(&cookie_name(Module::Psa, true), "v", true);
        assert_eq!(
            c,
            "__Host-demo_psa_session=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=28800; Secure"
        );
        assert_eq!(read_cookie("a=1; demo_psa_session=xyz; b=2", "demo_psa_session"), Some("xyz"));
        assert_eq!(read_cookie("a=1", "demo_psa_session"), None);
    }
}
