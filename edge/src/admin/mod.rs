//! The tenant admin's screens on the hub host: each module's settings (unified login, required
//! hub login, user exceptions, automatic provisioning and its defaults, the ordered access
//! groups, the module's security levels) and the audit log.
//!
//! | route | what |
//! |---|---|
//! | `GET /admin/modules` | the tenant's modules, each linking to its settings |
//! | `GET /admin/modules/{id}/settings` | the settings screen |
//! | `POST /admin/modules/{id}/settings` | saves login and provisioning settings |
//! | `POST /admin/modules/{id}/access-groups` | adds, removes or moves one access group |
//! | `GET /admin/audit` | settings changes and provisioning actions, newest first, paged |
//!
//! Only admins of the tenant see these pages (others get a 403); a module of another tenant is a
//! 404, exactly like a module nobody has. Every change is checked by
//! `onegate_core::settings::validate` before it is written, carries a per-session CSRF token,
//! and is written together with its audit row.

mod audit;
mod page;
mod settings;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use onegate_core::Error as CoreError;
use worker::{Date, Env, Method, Request, Response, Result};

use crate::common::cookie::CookieSpec;
use crate::common::sign::hmac;
use crate::common::vars;
use crate::hub::SignedIn;

/// Largest form body the admin screens read, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// True for the hub paths the admin screens answer.
pub fn owns(path: &str) -> bool {
    path == "/admin" || path.starts_with("/admin/")
}

/// What every admin handler needs.
pub struct Admin {
    /// The Worker environment (D1, the module's SCIM endpoint).
    pub env: Env,
    /// The signed-in tenant admin.
    pub user: SignedIn,
    /// The token forms must send back in the `csrf` field.
    pub csrf: String,
    /// The hub origin (`http://localhost:8787`).
    pub hub: String,
    /// Unix seconds at the start of the request.
    pub now: i64,
    /// The request id, stored with audit rows.
    pub request_id: String,
}

impl Admin {
    /// The D1 database.
    pub fn db(&self) -> Result<worker::D1Database> {
        self.env.d1("DB")
    }
}

/// A refusal: HTTP status, stable code and a message a person can act on.
#[derive(Debug, Clone)]
pub struct Fail {
    /// HTTP status.
    pub status: u16,
    /// Stable snake_case code.
    pub code: String,
    /// What to do about it.
    pub message: String,
}

impl Fail {
    /// A refusal with this status, code and message.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Fail {
        Fail { status, code: code.to_owned(), message: message.into() }
    }

    /// The 404 for a module that is not the tenant's (whether it exists elsewhere or not).
    pub fn no_module() -> Fail {
        Fail::new(404, "not_found", "there is no module with this id in your account")
    }
}

impl From<CoreError> for Fail {
    fn from(err: CoreError) -> Fail {
        Fail::new(422, err.code(), err.message())
    }
}

/// Why a handler did not answer normally.
#[derive(Debug)]
pub enum Answer {
    /// A refusal shown to the admin.
    Fail(Fail),
    /// A runtime failure (answered 5xx by the caller).
    Worker(worker::Error),
}

impl From<Fail> for Answer {
    fn from(fail: Fail) -> Answer {
        Answer::Fail(fail)
    }
}

impl From<worker::Error> for Answer {
    fn from(err: worker::Error) -> Answer {
        Answer::Worker(err)
    }
}

/// The result of an admin handler.
pub type Handled = std::result::Result<Response, Answer>;

/// Answers an admin request on the hub host (the caller checked [`owns`]).
pub async fn handle(req: Request, env: Env, request_id: &str) -> Result<Response> {
    let url = req.url()?;
    let path = url.path().trim_end_matches('/').to_owned();

    let Some(user) = crate::hub::signed_in(&req, &env).await? else {
        let target: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
        return page::see_other(&format!("/signin?return_to={target}"));
    };

    if !user.is_admin {
        let message = "only an admin of your account may see or change module settings; \
                       ask one of your admins";
        return page::fail(&Fail::new(403, "admin_only", message), &user);
    }

    let hub = vars::var(&env, "HUB_ISSUER")
        .unwrap_or_else(|| url.origin().ascii_serialization())
        .trim_end_matches('/')
        .to_owned();
    let Some(csrf) = csrf_token(&req, &env, hub.starts_with("https://")) else {
        return page::see_other("/signin?return_to=%2Fadmin%2Fmodules");
    };
    let admin = Admin {
        env,
        user,
        csrf,
        hub,
        now: (Date::now().as_millis() / 1000) as i64,
        request_id: request_id.to_owned(),
    };

    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let method = req.method();
    let answer = match (method, parts.as_slice()) {
        (Method::Get, ["admin"]) => page::see_other("/admin/modules").map_err(Answer::from),
        (Method::Get, ["admin", "modules"]) => settings::list_page(&admin).await,
        (Method::Get, ["admin", "modules", id, "settings"]) => {
            settings::settings_page(&admin, id).await
        }
        (Method::Post, ["admin", "modules", id, "settings"]) => {
            settings::save(&admin, id, req).await
        }
        (Method::Post, ["admin", "modules", id, "access-groups"]) => {
            settings::access_group_action(&admin, id, req).await
        }
        (Method::Get, ["admin", "audit"]) => audit::page(&admin, &url).await,
        (method, _) => {
            Err(Fail::new(404, "not_found", format!("there is no admin page at {method} {path}"))
                .into())
        }
    };

    match answer {
        Ok(res) => Ok(res),
        Err(Answer::Fail(fail)) => page::fail(&fail, &admin.user),
        Err(Answer::Worker(err)) => Err(err),
    }
}

/// The per-session CSRF token: an HMAC of the hub session cookie under a key derived from
/// `SESSION_SECRET` for this purpose. The cookie is HttpOnly, so another site can neither
/// read it nor compute the token. `None` without a session cookie or a secret.
fn csrf_token(req: &Request, env: &Env, https: bool) -> Option<String> {
    let secret = vars::session_secret(env)?;
    let header = req.headers().get("Cookie").ok().flatten().unwrap_or_default();
    // The hub's session cookie (edge/src/hub/session.rs); `max_age` is unused for reading.
    let session = CookieSpec { name: "onegate_hub", max_age: 0, https }.read(&header)?;
    let key = hmac(&secret, b"onegate admin csrf");
    Some(URL_SAFE_NO_PAD.encode(hmac(&key, session.as_bytes())))
}

/// True when `sent` is the session's token (compared in constant time).
pub fn csrf_ok(admin: &Admin, sent: Option<&str>) -> bool {
    let Some(sent) = sent else { return false };
    let (a, b) = (sent.as_bytes(), admin.csrf.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A refused CSRF check.
pub fn csrf_refused() -> Fail {
    Fail::new(
        403,
        "csrf_token_invalid",
        "this form is out of date or did not come from the admin screen; \
         reload the page and try again",
    )
}

/// The fields of an url-encoded form body of at most [`MAX_BODY_BYTES`], in order.
pub async fn form(mut req: Request) -> std::result::Result<Vec<(String, String)>, Answer> {
    let too_large = || {
        Fail::new(
            413,
            "body_too_large",
            format!("the form is larger than {MAX_BODY_BYTES} bytes; shorten the lists"),
        )
    };
    let declared = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|it| it.parse::<usize>().ok())
        .unwrap_or(0);
    if declared > MAX_BODY_BYTES {
        return Err(too_large().into());
    }

    let bytes = req.bytes().await?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(too_large().into());
    }

    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}

/// The first value of field `name`.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}
