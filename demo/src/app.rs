//! The module pages: sign-in with module credentials, the module home, sign-out, plus the
//! app's index page, health check and stylesheet.

use minijinja::context;
use worker::{Date, Env, Headers, Method, Request, Response, Result};

use crate::gate::trusted_identity_from_gate;
use crate::levels;
use crate::model::User;
use crate::module::{ClientKind, Module};
use crate::pages::{self, CSS, html, see_other};
use crate::password;
use crate::scim;
use crate::session::{self, Session};
use crate::store::Store;

/// Largest accepted login form, in bytes.
const MAX_FORM: usize = 8 * 1024;

/// How the current user signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The module's own form and session cookie.
    ModuleCredentials,
    /// The gate's signed assertion (hub login).
    Gate,
}

/// The hub origin the launcher loads from, for the CSP (`ONEGATE_HUB_URL`, which xtask passes,
/// else `LAUNCHER_ORIGIN`).
pub fn hub_origin(env: &Env) -> Option<String> {
    ["ONEGATE_HUB_URL", "LAUNCHER_ORIGIN"]
        .into_iter()
        .find_map(|k| env.var(k).ok().map(|v| v.to_string()).filter(|v| !v.is_empty()))
}

/// The session secret, if configured with at least 16 bytes.
fn session_secret(env: &Env) -> Option<String> {
    env.var("SESSION_SECRET").ok().map(|v| v.to_string()).filter(|s| s.len() >= 16)
}

fn now_secs() -> u64 {
    Date::now().as_millis() / 1000
}

/// A page with a heading and a message.
pub fn message(
    status: u16,
    module: Option<Module>,
    base: &str,
    heading: &str,
    text: &str,
    env: &Env,
) -> Result<Response> {
    let ctx = context! {
        base, heading, message => text,
        module => module.map(|m| m.slug()),
        module_title => module.map_or("onegate demo", |m| m.title()),
    };
    let body = pages::render("message.html", ctx).unwrap_or_else(|e| e);
    html(status, body, hub_origin(env).as_deref())
}

/// The answer to an unexpected failure (D1 down, say): a 500 that says so.
pub fn internal_error(scim: bool, env: &Env) -> Result<Response> {
    let text = "The demo module could not answer: its database or configuration failed. \
                See the Worker log.";
    if scim {
        return scim::error(&scim::resource::ScimError::status(500, text));
    }
    message(500, None, "", "Something went wrong", text, env)
}

fn css() -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/css; charset=utf-8")?;
    headers.set("Cache-Control", "public, max-age=300")?;
    Ok(Response::from_bytes(CSS.as_bytes().to_vec())?.with_headers(headers))
}

/// Requests that name no module: the index page, health check and stylesheet.
pub fn root(req: &Request, env: &Env, path: &str) -> Result<Response> {
    match (req.method(), path) {
        (Method::Get, "/healthz") => Response::ok("ok"),
        (Method::Get, "/assets/demo.css") => css(),
        (Method::Get, "/") => {
            let modules: Vec<_> = Module::ALL
                .iter()
                .map(|m| context! { slug => m.slug(), title => m.title() })
                .collect();
            let ctx =
                context! { base => "", module => "", module_title => "onegate demo", modules };
            let body = pages::render("index.html", ctx).unwrap_or_else(|e| e);
            html(200, body, hub_origin(env).as_deref())
        }
        _ => message(404, None, "", "Not found", "There is no page here. Try /psa/ or /rmm/.", env),
    }
}

/// Requests for one module.
pub async fn module_request(
    req: Request,
    env: &Env,
    module: Module,
    base: &str,
    path: &str,
) -> Result<Response> {
    if let Some(rest) = path.strip_prefix("/scim/v2")
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return scim::handle(req, env, module, base, rest).await;
    }
    if let Some(rest) = path.strip_prefix(levels::PATH)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return levels::handle(req, env, module, base, rest).await;
    }

    // HEAD is GET without the body, which the runtime drops from the answer.
    let method = match req.method() {
        Method::Head => Method::Get,
        other => other,
    };
    match (method, path) {
        (Method::Get, "/healthz") => Response::ok("ok"),
        (Method::Get, "/assets/demo.css") => css(),
        (Method::Get, "/") => home(&req, env, module, base).await,
        (Method::Get, "/login") => login_page(&req, env, module, base).await,
        (Method::Post, "/login") => login(req, env, module, base).await,
        (Method::Post, "/logout") => logout(&req, env, module, base),
        (_, "/" | "/login" | "/logout") => {
            message(405, Some(module), base, "Method not allowed", "Use the links.", env)
        }
        _ => message(404, Some(module), base, "Not found", "There is no page here.", env),
    }
}

fn client_kind(req: &Request) -> ClientKind {
    let headers = req.headers();
    let x_client = headers.get("X-Client").ok().flatten();
    let agent = headers.get("User-Agent").ok().flatten();
    ClientKind::detect(x_client.as_deref(), agent.as_deref())
}

fn is_https(req: &Request) -> bool {
    req.url().is_ok_and(|u| u.scheme() == "https")
}

/// The signed-in user: the gate's assertion first, then the module's session cookie.
pub async fn current_user(
    req: &Request,
    env: &Env,
    module: Module,
    store: &Store,
) -> Result<Option<(User, Via)>> {
    if let Some(identity) = trusted_identity_from_gate(req, env, module, now_secs() as i64)
        && let Some(user) = store.user_by_username(&identity.username).await?
        && user.is_active()
    {
        return Ok(Some((user, Via::Gate)));
    }

    let Some(secret) = session_secret(env) else { return Ok(None) };
    let cookies = req.headers().get("Cookie")?.unwrap_or_default();
    let name = session::cookie_name(module, is_https(req));
    let Some(value) = session::read_cookie(&cookies, &name) else { return Ok(None) };
    let Some(s) = Session::verify(value, secret.as_bytes(), module, now_secs()) else {
        return Ok(None);
    };
    Ok(store
        .user_by_id(s.user_id)
        .await?
        .filter(User::is_active)
        .map(|u| (u, Via::ModuleCredentials)))
}

async fn home(req: &Request, env: &Env, module: Module, base: &str) -> Result<Response> {
    let store = Store::open(env, module)?;
    let Some((user, via)) = current_user(req, env, module, &store).await? else {
        return see_other(&format!("{base}/login"));
    };
    let tickets = store.tickets().await?;
    let devices = store.devices().await?;
    let ctx = context! {
        base, module => module.slug(), kind => module.kind().name(),
        module_title => module.title(),
        user => context! {
            username => user.username,
            level => user.security_level_name.unwrap_or_else(|| user.security_level_id.to_string()),
            license_type => user.license_type,
            department => user.department,
            role => user.role,
            timesheet_approver => user.timesheet_approver,
            expense_report_approver => user.expense_report_approver,
        },
        via => match via {
            Via::ModuleCredentials => "module credentials",
            Via::Gate => "hub login (through the gate)",
        },
        client => client_kind(req).label(),
        tickets => minijinja::Value::from_serialize(&tickets),
        devices => minijinja::Value::from_serialize(&devices),
    };
    let body = pages::render("home.html", ctx).unwrap_or_else(|e| e);
    html(200, body, hub_origin(env).as_deref())
}

fn login_form(
    req: &Request,
    env: &Env,
    module: Module,
    base: &str,
    status: u16,
    text: Option<&str>,
    username: &str,
) -> Result<Response> {
    let ctx = context! {
        base, module => module.slug(), module_title => module.title(),
        message => text, username,
        live_mobile => client_kind(req) == ClientKind::LiveMobile,
    };
    let body = pages::render("login.html", ctx).unwrap_or_else(|e| e);
    html(status, body, hub_origin(env).as_deref())
}

async fn login_page(req: &Request, env: &Env, module: Module, base: &str) -> Result<Response> {
    let store = Store::open(env, module)?;
    if current_user(req, env, module, &store).await?.is_some() {
        return see_other(&format!("{base}/"));
    }
    login_form(req, env, module, base, 200, None, "")
}

async fn login(mut req: Request, env: &Env, module: Module, base: &str) -> Result<Response> {
    let bytes = req.bytes().await.unwrap_or_default();
    if bytes.len() > MAX_FORM {
        return login_form(&req, env, module, base, 413, Some("The form is too large."), "");
    }
    let mut username = String::new();
    let mut pw = String::new();
    for (k, v) in form_urlencoded::parse(&bytes) {
        match k.as_ref() {
            "username" => username = v.trim().to_owned(),
            "password" => pw = v.into_owned(),
            _ => {}
        }
    }
    if username.is_empty() || pw.is_empty() {
        let text = "Enter your username and password.";
        return login_form(&req, env, module, base, 400, Some(text), &username);
    }

    let Some(secret) = session_secret(env) else {
        let text = "Sign-in is not configured: set SESSION_SECRET (16 bytes or more) for the \
                    demo Worker.";
        return message(503, Some(module), base, "Not configured", text, env);
    };

    let store = Store::open(env, module)?;
    let user = store.user_by_username(&username).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
    // Verified even when the user is unknown, so both failures cost the same time.
    let matches = password::verify(&pw, stored);
    let Some(user) = user.filter(|_| matches) else {
        let text = "Wrong username or password.";
        return login_form(&req, env, module, base, 401, Some(text), &username);
    };
    if !user.is_active() {
        let text = "This account is inactive. Ask your administrator to activate it.";
        return login_form(&req, env, module, base, 403, Some(text), &username);
    }

    let https = is_https(&req);
    let value = Session::start(module, user.id, now_secs()).sign(secret.as_bytes());
    let cookie = session::set_cookie(&session::cookie_name(module, https), &value, https);
    let mut resp = see_other(&format!("{base}/"))?;
    resp.headers_mut().set("Set-Cookie", &cookie)?;
    Ok(resp)
}

fn logout(req: &Request, _env: &Env, module: Module, base: &str) -> Result<Response> {
    let https = is_https(req);
    let cookie = session::clear_cookie(&session::cookie_name(module, https), https);
    let mut resp = see_other(&format!("{base}/login"))?;
    resp.headers_mut().set("Set-Cookie", &cookie)?;
    Ok(resp)
}
