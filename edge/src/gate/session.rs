//! The gate's own session: an HMAC-signed cookie set after a hub login (or after module
//! credentials the gate let through), so a verified hub token is never verified again.
//!
//! The cookie (`onegate`, or `__Host-onegate` on https) holds a small JSON payload signed with
//! the key derived for `"gate-session"`: the module and tenant it is for, how the user signed
//! in, the hub user and hub session ids, the module username and the modules the hub entitles
//! the user to. It is bound to its module (a cookie from `rmm` never opens on `psa`) and
//! expires after [`SESSION_SECS`].

use serde::{Deserialize, Serialize};

use crate::common::cookie::CookieSpec;
use crate::common::sign::Signer;

/// How long a gate session lasts: 8 hours.
pub const SESSION_SECS: u32 = 8 * 60 * 60;

/// How the session's user signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// Through the hub (a verified hub token).
    Hub,
    /// With module credentials the gate let through.
    ModuleCredentials,
}

/// The signed content of the session cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateSession {
    /// The module the session is for.
    pub module: String,
    /// The tenant.
    pub tenant: String,
    /// How the user signed in.
    pub via: Via,
    /// The hub user id (hub login only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// The hub session id, checked for sign-out (hub login only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// The module account's username, when the gate knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The modules the hub entitles the user to (hub login only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<String>,
    /// Unix seconds when the session expires.
    pub exp: i64,
}

/// The session cookie's spec on an http or https origin.
pub fn cookie(https: bool) -> CookieSpec<'static> {
    CookieSpec { name: "onegate", max_age: SESSION_SECS, https }
}

/// Signs sessions and opens session cookies.
pub struct Sessions {
    signer: Signer,
}

impl Sessions {
    /// Sessions keyed from `SESSION_SECRET`.
    pub fn new(secret: &[u8]) -> Sessions {
        Sessions { signer: Signer::derive(secret, "gate-session") }
    }

    /// The cookie value for `session`.
    pub fn seal(&self, session: &GateSession) -> String {
        let json = serde_json::to_vec(session).unwrap_or_default();
        self.signer.sign(&json)
    }

    /// The session in `value` when it is genuine, for `module` and not expired at `now`.
    pub fn open(&self, value: &str, module: &str, now: i64) -> Option<GateSession> {
        let json = self.signer.open(value)?;
        let session: GateSession = serde_json::from_slice(&json).ok()?;
        if session.module != module || session.exp <= now {
            return None;
        }
        Some(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(module: &str, exp: i64) -> GateSession {
        GateSession {
            module: module.into(),
            tenant: "t_acme".into(),
            via: Via::Hub,
            sub: Some("u1".into()),
            sid: Some("s1".into()),
            username: Some("tech".into()),
            modules: vec!["psa".into()],
            exp,
        }
    }

    #[test]
    fn a_session_opens_only_on_its_module_and_before_it_expires() {
        let sessions = Sessions::new(b"0123456789abcdef");
        let value = sessions.seal(&session("psa", 1000));
        let rows = [
            ("same_module_in_time", "psa", 999, true),
            ("other_module", "rmm", 999, false),
            ("expired", "psa", 1000, false),
        ];
        for (name, module, now, opens) in rows {
            assert_eq!(sessions.open(&value, module, now).is_some(), opens, "row {name}");
        }
    }

    #[test]
    fn a_session_signed_with_another_secret_does_not_open() {
        let value = Sessions::new(b"0123456789abcdef").seal(&session("psa", 1000));
        assert_eq!(Sessions::new(b"fedcba9876543210").open(&value, "psa", 1), None);
    }

    #[test]
    fn the_session_cookie_is_bounded_and_host_prefixed_on_https() {
        let set = cookie(true).set("v");
        assert!(set.starts_with("__Host-onegate=v; Path=/; Max-Age=28800; HttpOnly; SameSite=Lax"));
        assert!(set.ends_with("; Secure"));
        assert!(!cookie(false).set("v").contains("Secure"));
    }
}
