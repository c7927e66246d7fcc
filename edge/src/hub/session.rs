//! The hub's cookies: the session (`onegate_hub`, `__Host-onegate_hub` on https) and the
//! short-lived sign-in in progress between the password and the two-factor step
//! (`onegate_hub_signin`). Both are HMAC-signed with keys derived from `SESSION_SECRET` for
//! their own purpose, HttpOnly and SameSite=Lax.

use serde::{Deserialize, Serialize};
use worker::Request;

use super::Hub;
use super::store::{Session, User};
use crate::common::cookie::CookieSpec;
use crate::common::sign::Signer;

/// How long a hub session lasts, in seconds (8 hours).
pub const SESSION_SECS: u64 = 8 * 60 * 60;

/// How long the two-factor step may take after the password, in seconds.
pub const PENDING_SECS: u64 = 5 * 60;

/// The sign-in between password and two-factor code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    /// The user whose password was right.
    pub uid: String,
    /// Unix time after which the step must start again.
    pub exp: u64,
    /// Where to go once signed in (a hub path).
    pub return_to: String,
    /// On a first sign-in, which authenticator secret this sign-in was shown (see
    /// `signin::enrolment_binding`); a newer sign-in's secret does not match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolment: Option<String>,
}

fn session_cookie(hub: &Hub) -> CookieSpec<'static> {
    CookieSpec { name: "onegate_hub", max_age: SESSION_SECS as u32, https: hub.https }
}

fn pending_cookie(hub: &Hub) -> CookieSpec<'static> {
    CookieSpec { name: "onegate_hub_signin", max_age: PENDING_SECS as u32, https: hub.https }
}

fn cookies(req: &Request) -> String {
    req.headers().get("Cookie").ok().flatten().unwrap_or_default()
}

/// The `Set-Cookie` value for a new session.
pub fn set_session(hub: &Hub, session_id: &str) -> String {
    let value = Signer::derive(&hub.secret, "hub-session").sign(session_id.as_bytes());
    session_cookie(hub).set(&value)
}

/// The `Set-Cookie` value that forgets the session.
pub fn clear_session(hub: &Hub) -> String {
    session_cookie(hub).clear()
}

/// The session id in the request's cookie, if it carries a valid signature.
pub fn session_id(hub: &Hub, req: &Request) -> Option<String> {
    let header = cookies(req);
    let value = session_cookie(hub).read(&header)?;
    let id = Signer::derive(&hub.secret, "hub-session").open(value)?;
    String::from_utf8(id).ok()
}

/// The live session and its user, if the request has one.
pub async fn current(hub: &Hub, req: &Request) -> worker::Result<Option<(Session, User)>> {
    let Some(id) = session_id(hub, req) else {
        return Ok(None);
    };
    hub.store.live_session(&id, hub.now).await
}

/// The `Set-Cookie` value for a sign-in in progress.
pub fn set_pending(hub: &Hub, pending: &Pending) -> String {
    let json = serde_json::to_vec(pending).unwrap_or_default();
    let value = Signer::derive(&hub.secret, "hub-signin").sign(&json);
    pending_cookie(hub).set(&value)
}

/// The `Set-Cookie` value that forgets the sign-in in progress.
pub fn clear_pending(hub: &Hub) -> String {
    pending_cookie(hub).clear()
}

/// The sign-in in progress, if the request carries a valid, unexpired one.
pub fn pending(hub: &Hub, req: &Request) -> Option<Pending> {
    let header = cookies(req);
    let value = pending_cookie(hub).read(&header)?;
    let json = Signer::derive(&hub.secret, "hub-signin").open(value)?;
    serde_json::from_slice::<Pending>(&json).ok().filter(|p| p.exp > hub.now)
}
