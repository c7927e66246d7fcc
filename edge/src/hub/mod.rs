//! The hub: sign-in (password and two-factor), the OpenID Connect provider every gate signs in
//! through, and the portal home with a tile per module, served at the hub origin.
//!
//! | route | what |
//! |---|---|
//! | `GET /` | portal home: a tile per entitled module (sign-in first when needed) |
//! | `GET, POST /signin` | email and password |
//! | `GET, POST /signin/totp` | the two-factor code or a recovery code |
//! | `GET, POST /signin/enrol` | first sign-in: enrol an authenticator, then recovery codes |
//! | `POST /signout` | ends the hub session and tells its clients (`oidc::end_session`) |
//! | `GET /.well-known/openid-configuration` | discovery |
//! | `GET /.well-known/jwks.json` | every public signing key |
//! | `GET /oauth/authorize` | code flow with PKCE S256; silent when a hub session exists |
//! | `POST /oauth/token` | `authorization_code` grant |
//! | `GET, POST /oauth/userinfo` | claims for a bearer access token |
//! | `GET /oauth/logout` | RP-initiated logout |
//! | `GET /.hub/bench` | Argon2id and signing cost in this runtime (only with `HUB_BENCH=1`) |
//!
//! Every rule (TOTP, PKCE, redirect URIs, code exchange, throttling) is decided by
//! `onegate_core`; this module reads requests, talks to D1 and renders pages.

mod bench;
mod keys;
mod oidc;
mod pages;
mod password;
mod portal;
mod session;
mod signin;
mod store;

use worker::{Context, Date, Env, Method, Request, Response, Result, console_error};

use crate::common::vars;
use keys::HubKeys;
use store::Store;

/// What every hub handler needs: the database, the issuer, the clock and the secrets.
pub struct Hub {
    /// The D1 store.
    pub store: Store,
    /// The Worker environment (variables).
    pub env: Env,
    /// The issuer and hub origin (`http://localhost:8787`), without a trailing slash.
    pub issuer: String,
    /// Whether the hub is served over https (cookie prefix and `Secure`).
    pub https: bool,
    /// Unix seconds at the start of the request.
    pub now: u64,
    /// `SESSION_SECRET`, from which the hub's cookie keys are derived.
    pub secret: Vec<u8>,
}

impl Hub {
    /// The signing keys; `Err` is a configuration problem, answered with a 503.
    pub fn keys(&self) -> std::result::Result<HubKeys, String> {
        let json = vars::var(&self.env, "HUB_SIGNING_KEYS")
            .ok_or_else(|| "HUB_SIGNING_KEYS is not set".to_string())?;
        HubKeys::parse(&json)
    }

    /// The gate origin of a module: its stored origin, or `<id>.<hub host>` on the hub's scheme
    /// and port.
    pub fn module_origin(&self, id: &str, stored: Option<&str>) -> String {
        if let Some(origin) = stored.filter(|o| !o.is_empty()) {
            return origin.trim_end_matches('/').to_string();
        }
        match self.issuer.split_once("://") {
            Some((scheme, host)) => format!("{scheme}://{id}.{host}"),
            None => format!("http://{id}.localhost"),
        }
    }
}

/// Who is signed in to the hub, as the portal (`crate::portal`) needs it.
#[derive(Debug, Clone)]
pub(crate) struct SignedIn {
    /// The hub user id.
    pub(crate) user_id: String,
    /// The user's tenant: every portal query filters by it.
    pub(crate) tenant_id: String,
    /// Display name.
    pub(crate) name: String,
    /// Email address.
    pub(crate) email: String,
    /// Whether the user is a tenant admin.
    pub(crate) is_admin: bool,
}

/// The user of the live hub session `req` carries (the hub's own session cookie and
/// `hub_sessions` check); `None` without one or when the hub is not configured.
pub(crate) async fn signed_in(req: &Request, env: &Env) -> Result<Option<SignedIn>> {
    let url = req.url()?;
    let issuer = vars::var(env, "HUB_ISSUER")
        .unwrap_or_else(|| url.origin().ascii_serialization())
        .trim_end_matches('/')
        .to_string();
    let Some(secret) = vars::session_secret(env) else {
        return Ok(None);
    };
    let hub = Hub {
        store: Store::new(env.d1("DB")?),
        https: issuer.starts_with("https://"),
        issuer,
        env: env.clone(),
        now: Date::now().as_millis() / 1000,
        secret,
    };

    let current = session::current(&hub, req).await?;
    Ok(current.map(|(_, user)| SignedIn {
        user_id: user.id,
        tenant_id: user.tenant_id,
        name: user.name,
        email: user.email,
        is_admin: user.is_admin == 1,
    }))
}

/// Answers every request whose host is the hub (the caller logs the request line).
pub async fn handle(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let url = req.url()?;
    match route_request(req, env, &url).await {
        Ok(res) => Ok(res),
        Err(err) => {
            console_error!("hub: {} failed: {err}", url.path());
            pages::message(503, "The hub is unavailable", "Please try again in a moment.")
        }
    }
}

/// Builds the request context and dispatches by method and path.
async fn route_request(req: Request, env: Env, url: &worker::Url) -> Result<Response> {
    let issuer = vars::var(&env, "HUB_ISSUER")
        .unwrap_or_else(|| url.origin().ascii_serialization())
        .trim_end_matches('/')
        .to_string();
    let Some(secret) = vars::session_secret(&env) else {
        return pages::message(503, "The hub is not configured", "SESSION_SECRET is not set.");
    };
    let hub = Hub {
        store: Store::new(env.d1("DB")?),
        https: issuer.starts_with("https://"),
        issuer,
        env,
        now: Date::now().as_millis() / 1000,
        secret,
    };

    let path = url.path().to_string();
    match (req.method(), path.as_str()) {
        (Method::Get, "/") => portal::home(&hub, &req).await,
        (Method::Get, "/signin") => signin::form(&hub, &req).await,
        (Method::Post, "/signin") => signin::password(&hub, req).await,
        (Method::Get, "/signin/totp") => signin::totp_form(&hub, &req).await,
        (Method::Post, "/signin/totp") => signin::totp(&hub, req).await,
        (Method::Get, "/signin/enrol") => signin::enrol_form(&hub, &req).await,
        (Method::Post, "/signin/enrol") => signin::enrol(&hub, req).await,
        (Method::Post, "/signout") => signin::signout(&hub, req).await,
        (Method::Get, "/.well-known/openid-configuration") => oidc::discovery(&hub),
        (Method::Get, "/.well-known/jwks.json") => oidc::jwks(&hub),
        (Method::Get, "/oauth/authorize") => oidc::authorize(&hub, &req).await,
        (Method::Post, "/oauth/token") => oidc::token(&hub, req).await,
        (Method::Get | Method::Post, "/oauth/userinfo") => oidc::userinfo(&hub, &req).await,
        (Method::Get, "/oauth/logout") => oidc::logout(&hub, &req).await,
        (Method::Get, "/.hub/bench") => bench::run(&hub, url),
        (method, path) => {
            let body = format!("There is no page at {method} {path}.");
            pages::message(404, "Page not found", &body)
        }
    }
}
