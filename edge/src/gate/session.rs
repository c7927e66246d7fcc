//! The gate's own session: an HMAC-signed cookie set after a hub login (or after module
//! credentials the gate let through), so a verified hub token is never verified again.
//!
//! The cookie (`onegate`, or `__Host-onegate` on https) holds a small fixed-layout binary
//! payload (see [`Sessions::seal`]) signed with the key derived for `"gate-session"`: the module
//! and tenant it is for, how the user signed in, the hub user and hub session ids, the module
//! username and the modules the hub entitles the user to. It is bound to its module (a cookie
//! from `rmm` never opens on `psa`) and expires after [`SESSION_SECS`].

use std::cell::RefCell;
use std::rc::Rc;

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
    signer: Rc<Signer>,
}

thread_local! {
    /// The signer of the last secret seen, so the key is derived once per isolate.
    static SIGNER: RefCell<Option<(Vec<u8>, Rc<Signer>)>> = const { RefCell::new(None) };
}

impl Sessions {
    /// Sessions keyed from `SESSION_SECRET`; the derived key is kept per isolate (derived
    /// again when the secret differs).
    pub fn new(secret: &[u8]) -> Sessions {
        let cached = SIGNER.with(|it| {
            it.borrow().as_ref().filter(|(s, _)| s == secret).map(|(_, signer)| Rc::clone(signer))
        });
        let signer = cached.unwrap_or_else(|| {
            let signer = Rc::new(Signer::derive(secret, "gate-session"));
            SIGNER.with(|it| *it.borrow_mut() = Some((secret.to_vec(), Rc::clone(&signer))));
            signer
        });
        Sessions { signer }
    }

    /// The cookie value for `session`.
    pub fn seal(&self, session: &GateSession) -> String {
        self.signer.sign(&encode(session))
    }

    /// The session in `value` when it is genuine, for `module` and not expired at `now`.
    pub fn open(&self, value: &str, module: &str, now: i64) -> Option<GateSession> {
        let payload = self.signer.open(value)?;
        let view = View::parse(&payload)?;
        if view.module != module || view.exp <= now {
            return None;
        }
        Some(view.to_session())
    }
}

/// The first byte of a sealed payload: the layout below.
const LAYOUT: u8 = 1;
const HAS_SUB: u8 = 1;
const HAS_SID: u8 = 2;
const HAS_USERNAME: u8 = 4;
const VIA_MODULE_CREDENTIALS: u8 = 8;

/// The payload a session is sealed as: a fixed binary layout rather than JSON, so opening a
/// cookie is a handful of slices (and the signed bytes fit in fewer SHA-256 blocks):
///
/// `LAYOUT (1) | flags (1) | exp (i64 big-endian, 8) | module | tenant | [sub] | [sid] |
/// [username] | module count (1) | modules...`, where each string is a u16 big-endian length
/// and its UTF-8 bytes, and the flags say which optional strings are present and `via`.
/// Strings longer than 65535 bytes and more than 255 modules are cut (no real session has
/// either).
fn encode(session: &GateSession) -> Vec<u8> {
    let mut flags = 0;
    for (present, bit) in [
        (session.sub.is_some(), HAS_SUB),
        (session.sid.is_some(), HAS_SID),
        (session.username.is_some(), HAS_USERNAME),
        (session.via == Via::ModuleCredentials, VIA_MODULE_CREDENTIALS),
    ] {
        if present {
            flags |= bit;
        }
    }
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(&[LAYOUT, flags]);
    out.extend_from_slice(&session.exp.to_be_bytes());
    let optional = [&session.sub, &session.sid, &session.username];
    let strings =
        [&session.module, &session.tenant].into_iter().chain(optional.into_iter().flatten());
    for it in strings {
        put(&mut out, it);
    }
    let modules = &session.modules[..session.modules.len().min(255)];
    out.push(modules.len() as u8);
    for it in modules {
        put(&mut out, it);
    }
    out
}

fn put(out: &mut Vec<u8>, text: &str) {
    let mut end = text.len().min(usize::from(u16::MAX));
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&(end as u16).to_be_bytes());
    out.extend_from_slice(&text.as_bytes()[..end]);
}

/// A sealed payload read in place: borrowed strings, checked before anything is allocated.
struct View<'a> {
    flags: u8,
    exp: i64,
    module: &'a str,
    tenant: &'a str,
    sub: Option<&'a str>,
    sid: Option<&'a str>,
    username: Option<&'a str>,
    modules: Vec<&'a str>,
}

impl<'a> View<'a> {
    /// `None` for anything not in the layout (a MAC only vouches for what the gate sealed, so
    /// this is a guard against the gate's own older layouts, not against forgeries).
    fn parse(bytes: &'a [u8]) -> Option<View<'a>> {
        let mut rest = bytes;
        let [layout, flags] = take(&mut rest, 2)? else { return None };
        if *layout != LAYOUT {
            return None;
        }
        let flags = *flags;
        let exp = i64::from_be_bytes(take(&mut rest, 8)?.try_into().ok()?);
        let module = text(&mut rest)?;
        let tenant = text(&mut rest)?;
        let mut optional =
            |bit: u8| if flags & bit != 0 { text(&mut rest).map(Some) } else { Some(None) };
        let sub = optional(HAS_SUB)?;
        let sid = optional(HAS_SID)?;
        let username = optional(HAS_USERNAME)?;
        let count = *take(&mut rest, 1)?.first()?;
        let modules = (0..count).map(|_| text(&mut rest)).collect::<Option<Vec<_>>>()?;
        rest.is_empty().then_some(View { flags, exp, module, tenant, sub, sid, username, modules })
    }

    fn to_session(&self) -> GateSession {
        let via = if self.flags & VIA_MODULE_CREDENTIALS != 0 {
            Via::ModuleCredentials
        } else {
            Via::Hub
        };
        GateSession {
            module: self.module.to_owned(),
            tenant: self.tenant.to_owned(),
            via,
            sub: self.sub.map(str::to_owned),
            sid: self.sid.map(str::to_owned),
            username: self.username.map(str::to_owned),
            modules: self.modules.iter().map(|it| (*it).to_owned()).collect(),
            exp: self.exp,
        }
    }
}

fn take<'a>(rest: &mut &'a [u8], len: usize) -> Option<&'a [u8]> {
    let (head, tail) = rest.split_at_checked(len)?;
    *rest = tail;
    Some(head)
}

fn text<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
    let len = u16::from_be_bytes(take(rest, 2)?.try_into().ok()?);
    std::str::from_utf8(take(rest, usize::from(len))?).ok()
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
    fn every_field_survives_sealing_and_opening() {
        let sessions = Sessions::new(b"0123456789abcdef");
        let bare = GateSession {
            via: Via::ModuleCredentials,
            sub: None,
            sid: None,
            username: None,
            modules: vec![],
            ..session("psa", 1000)
        };
        let odd = GateSession { username: Some("ünï \"q\"".into()), ..session("psa", -5) };
        for (name, it, now) in
            [("full", session("psa", 1000), 1), ("bare", bare, 1), ("odd", odd, -6)]
        {
            assert_eq!(sessions.open(&sessions.seal(&it), "psa", now), Some(it), "row {name}");
        }
    }

    #[test]
    fn payloads_outside_the_layout_do_not_open_even_when_signed() {
        let signer = Signer::derive(b"0123456789abcdef", "gate-session");
        let sessions = Sessions::new(b"0123456789abcdef");
        let good = encode(&session("psa", 1000));
        let rows: [(&str, Vec<u8>); 5] = [
            ("empty", vec![]),
            (
                "json_of_the_old_layout",
                br#"{"module":"psa","tenant":"t","via":"hub","exp":9}"#.to_vec(),
            ),
            ("cut", good[..good.len() - 1].to_vec()),
            ("trailing", [good.as_slice(), &[0]].concat()),
            ("other_layout", [&[2u8][..], &good[1..]].concat()),
        ];
        for (name, payload) in rows {
            assert_eq!(sessions.open(&signer.sign(&payload), "psa", 1), None, "row {name}");
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
