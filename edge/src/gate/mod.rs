//! The gate: the Worker in front of each module (`<module>.<hub host>`).
//!
//! For each request it finds the session (its own signed cookie, see [`session`], or a hub
//! token arriving at the sign-in callback, see [`signin`]), asks core for the login decision,
//! and then proxies to the module with the signed assertion ([`proxy`]), sends the user to the
//! hub with a validated return URL, or answers a refusal page that states core's rule
//! ([`pages`]). Module login forms are intercepted ([`module_login`]): only the username is
//! read, and the password never leaves for the module unless core allows the attempt. A request
//! to the module's own level screens that would inactivate or delete the hub's default security
//! level is refused with core's message before it reaches the module ([`levels`]). HTML
//! answers get the launcher ([`inject`]); a module's redirect to its login page carries the
//! requested page to the login choice, and after the module's own sign-out of a hub user leads
//! to the gate's sign-out ([`login_return`]).
//!
//! Routes on every module origin, besides the module's own paths:
//!
//! | route | what |
//! |---|---|
//! | `GET /.onegate/login?return_to=` | start a hub login (state, nonce, PKCE) |
//! | `GET /.onegate/callback` | finish it: code exchange, token check, decision, session |
//! | `POST /.onegate/dev/token` | development only (`GATE_DEV_TOKENS=on`): a hub token in hand |
//! | `POST /.onegate/dev/signatures` | development only: signature test vectors ([`vectors`]) |
//! | `GET /.onegate/logout` | ask before ending the gate session (signed-out page without one) |
//! | `POST /.onegate/logout` | end the gate session (same origin only), offer hub sign-out |
//! | `GET /.onegate/certs` | the JWKS the module verifies assertions with |
//! | `POST /.onegate/backchannel-logout` | an external hub's logout token ([`backchannel`]) |
//! | `GET /.onegate/v/<version>/launcher.js` | the launcher script, cached a year ([`assets`]) |
//! | `GET /.onegate/v/<version>/wasm/launcher_bg.wasm` | its wasm (also unversioned, no-cache) |
//! | `GET /.onegate/bench` | development only (`GATE_BENCH=on`): timing of the checks ([`bench`]) |

pub mod assets;
pub mod backchannel;
pub mod bench;
pub mod config;
pub mod inject;
pub mod keys;
pub mod levels;
pub mod login_return;
pub mod module_login;
pub mod pages;
pub mod provision;
pub mod proxy;
pub mod scim;
pub mod session;
pub mod signin;
pub mod vectors;
pub mod webcrypto;

use std::cell::RefCell;
use std::collections::HashMap;

use onegate_core::launcher::{self, Entitlement, LauncherInput, SignedInVia};
use onegate_core::login::{self, LoginAttempt, LoginDecision, Outcome};
use onegate_core::model::{Client, LicenseType, LoginMethod};
use onegate_core::redirect::{self, ReturnUrlPolicy};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{Date, Env, Headers, Method, Request, Response, Result, Url};

use crate::common::{brand, vars};
use config::GateModule;
use pages::{Link, Page};
use session::{GateSession, Sessions, Via};

/// How often a hub session is re-checked for sign-out, per isolate.
pub const REVOCATION_CHECK_SECS: i64 = 30;

/// A gate answer and the decision the log line records.
pub struct Answer {
    /// The response.
    pub response: Response,
    /// What the gate decided (`proxy`, `send_to_hub`, `refuse:<rule>`, ...).
    pub decision: String,
}

impl Answer {
    fn new(response: Response, decision: impl Into<String>) -> Answer {
        Answer { response, decision: decision.into() }
    }
}

/// Everything one request's handling reads.
pub struct Cx<'a> {
    /// The Worker's environment.
    pub env: &'a Env,
    /// The module and its settings.
    pub gm: GateModule,
    /// The hub origin (`http://localhost:8787`).
    pub hub: String,
    /// `SESSION_SECRET`.
    pub secret: Vec<u8>,
    /// The request URL.
    pub url: Url,
    /// Whether the module origin is https.
    pub https: bool,
    /// Unix seconds.
    pub now: i64,
    /// The client the request comes from.
    pub client: Client,
    /// The request id for the audit log.
    pub request_id: String,
}

impl Cx<'_> {
    /// The hub's home page.
    pub fn hub_home(&self) -> String {
        format!("{}/", self.hub)
    }

    /// Where a hub login for this module starts, returning to `return_to`.
    pub fn sign_in_url(&self, return_to: &str) -> String {
        let start = format!("{}/.onegate/login", self.gm.module.origin);
        launcher::with_return_to(&start, return_to)
    }

    /// `candidate` when it points at one of the tenant's origins, the hub home otherwise.
    pub fn safe_return_to(&self, candidate: &str) -> String {
        let origins = self.gm.registered_origins(&self.hub);
        let home = self.hub_home();
        let policy =
            ReturnUrlPolicy { origins: &origins, base: &self.gm.module.origin, fallback: &home };
        redirect::or_fallback(candidate, policy)
    }

    /// Core's decision for an attempt on this module from this request's client.
    pub fn decide(
        &self,
        method: LoginMethod,
        username: Option<&str>,
        license: Option<onegate_core::model::LicenseType>,
    ) -> LoginDecision {
        login::decide(LoginAttempt {
            settings: &self.gm.settings,
            client: self.client,
            method,
            username,
            license_type: license,
        })
    }

    /// Core's decision for an attempt before the module account is looked up, when the
    /// account's license type cannot change it (`login::decide_before_lookup`).
    pub fn decide_before_lookup(
        &self,
        method: LoginMethod,
        username: Option<&str>,
    ) -> Option<LoginDecision> {
        login::decide_before_lookup(LoginAttempt {
            settings: &self.gm.settings,
            client: self.client,
            method,
            username,
            license_type: None,
        })
    }

    /// The refusal page for `decision`, with status 403.
    pub fn refusal(&self, decision: LoginDecision) -> Result<Answer> {
        let message = decision.rule.explain(brand::name());
        let open_hub = format!("Open {}", brand::name());
        let mut links = vec![Link { href: self.hub_home(), text: open_hub }];
        if decision.rule.module_credentials_remain() {
            links.push(Link {
                href: format!("{}{}", self.gm.module.origin, self.gm.login_path),
                text: format!("Sign in to {} with its own login", self.gm.module.name),
            });
        }
        let page = Page {
            status: 403,
            module_name: &self.gm.module.name,
            heading: "You cannot sign in this way",
            message: &message,
            rule: Some(decision.rule.code()),
            links,
        };
        Ok(Answer::new(page.respond()?, format!("refuse:{}", decision.rule.code())))
    }

    /// The 401 page for a request that needs a session first (`decision` says why), with the
    /// way to the hub login.
    pub fn sign_in_first(&self, decision: LoginDecision) -> Result<Answer> {
        let message = decision.rule.explain(brand::name());
        let links = vec![Link {
            href: self.sign_in_url(&format!("{}/", self.gm.module.origin)),
            text: format!("Sign in with {}", brand::name()),
        }];
        let page = Page {
            status: 401,
            module_name: &self.gm.module.name,
            heading: "Sign in first",
            message: &message,
            rule: Some(decision.rule.code()),
            links,
        };
        Ok(Answer::new(page.respond()?, format!("sign_in_first:{}", decision.rule.code())))
    }

    /// A 302 to `location` that also sets or clears cookies.
    pub fn redirect(&self, location: &str, cookies: &[String]) -> Result<Response> {
        let headers = Headers::new();
        headers.set("Location", location)?;
        headers.set("Cache-Control", "no-store")?;
        for cookie in cookies {
            headers.append("Set-Cookie", cookie)?;
        }
        Ok(Response::empty()?.with_status(302).with_headers(headers))
    }

    /// Records a sign-in decision in the audit log (no tokens, passwords or emails).
    pub async fn audit(&self, event: &str, outcome: &str, rule: &str) {
        let Ok(db) = self.env.d1("DB") else { return };
        let statement = db
            .prepare(
                "INSERT INTO gate_audit (at, tenant_id, module_id, request_id, event, outcome, \
                 rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .bind(&[
                JsValue::from_f64(self.now as f64),
                JsValue::from_str(&self.gm.tenant_id),
                JsValue::from_str(&self.gm.module.id),
                JsValue::from_str(&self.request_id),
                JsValue::from_str(event),
                JsValue::from_str(outcome),
                JsValue::from_str(rule),
            ]);
        if let Ok(statement) = statement {
            let _ = statement.run().await;
        }
    }
    /// Records a successful sign-in to this module for the insights (`module_sign_ins`): the
    /// module username, its license type, the method and the time, nothing else. The table
    /// keeps each account's latest sign-in, so a later row replaces an earlier one. A failed
    /// write only costs an insight, never the sign-in.
    pub async fn record_sign_in(&self, username: &str, license: LicenseType, method: LoginMethod) {
        let (Some(license), Some(method)) = (code_of(&license), code_of(&method)) else {
            return;
        };
        let Ok(db) = self.env.d1("DB") else { return };
        let statement = db
            .prepare(
                "INSERT INTO module_sign_ins (tenant_id, module_id, username, license_type, \
                 method, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (tenant_id, module_id, username) DO UPDATE SET \
                 license_type = excluded.license_type, method = excluded.method, \
                 at = excluded.at WHERE excluded.at >= module_sign_ins.at",
            )
            .bind(&[
                JsValue::from_str(&self.gm.tenant_id),
                JsValue::from_str(&self.gm.module.id),
                JsValue::from_str(username),
                JsValue::from_str(&license),
                JsValue::from_str(&method),
                JsValue::from_f64(self.now as f64),
            ]);
        if let Ok(statement) = statement {
            let _ = statement.run().await;
        }
    }
}

/// The snake_case code core serialises a unit enum value as (`full`, `hub_login`).
fn code_of<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_value(value).ok()?.as_str().map(str::to_owned)
}

/// Handles one request to the gate of module `module_id`.
pub async fn handle(req: Request, env: &Env, module_id: &str, request_id: &str) -> Result<Answer> {
    let now = (Date::now().as_millis() / 1000) as i64;
    let url = req.url()?;
    // The launcher's files are the same on every module origin: no D1 read, no session.
    if matches!(req.method(), Method::Get | Method::Head)
        && let Some((asset, caching)) =
            url.path().strip_prefix("/.onegate/").and_then(assets::lookup)
    {
        return Ok(Answer::new(assets::respond(&req, asset, caching)?, "launcher_asset"));
    }
    let hub = hub_origin(env, &url);

    let Some(gm) = config::load(env, module_id, &hub, now).await? else {
        let page = Page {
            status: 404,
            module_name: module_id,
            heading: "No such module",
            message: &format!("no module named {module_id:?} is set up on this onegate"),
            rule: None,
            links: vec![Link { href: format!("{hub}/"), text: "Open the hub".into() }],
        };
        return Ok(Answer::new(page.respond()?, "unknown_module"));
    };
    let Some(secret) = vars::session_secret(env) else {
        let page = Page {
            status: 503,
            module_name: &gm.module.name,
            heading: "The gate is not configured",
            message: "set SESSION_SECRET (16 bytes or more) for the onegate Worker",
            rule: None,
            links: vec![],
        };
        return Ok(Answer::new(page.respond()?, "not_configured"));
    };

    if gm.settings_unreadable {
        worker::console_error!("gate: module {module_id}: stored login settings do not parse");
        let page = Page {
            status: 503,
            module_name: &gm.module.name,
            heading: "This module's login settings cannot be read",
            message: "the gate will not guess which login rules apply; a tenant admin can open \
                      the module's settings in the hub and save them again",
            rule: None,
            links: vec![Link { href: format!("{hub}/"), text: "Open the hub".into() }],
        };
        return Ok(Answer::new(page.respond()?, "settings_unreadable"));
    }

    let cx = Cx {
        env,
        https: url.scheme() == "https",
        client: detect_client(&req),
        gm,
        hub,
        secret,
        now,
        url,
        request_id: request_id.to_owned(),
    };
    let path = cx.url.path().to_owned();

    if path == "/.onegate/bench" {
        return bench::run(&req, &cx).await;
    }
    if let Some(rest) = path.strip_prefix("/.onegate/") {
        return signin::route(req, &cx, rest).await;
    }

    if cx.client == Client::LiveMobile {
        let decision = cx.decide(LoginMethod::ModuleCredentials, None, None);
        if decision.outcome == Outcome::Refuse {
            return cx.refusal(decision);
        }
    }

    let session = current_session(&req, &cx).await;

    if req.method() == Method::Post && cx.gm.is_login_path(&path) {
        return module_login::intercept(req, &cx).await;
    }
    if let Some(refused) = levels::intercept(&req, &cx).await? {
        return Ok(refused);
    }

    if session.is_none() && !cx.gm.is_public(&path) {
        // A visitor without a session would sign in with module credentials: ask core whether
        // that is allowed here, or whether the module requires hub login.
        // A page is answered with the way to the hub; anything else (a form post, an API call)
        // cannot follow a redirect usefully and is refused with the rule instead, so no
        // module credentials reach the module by another path than its login form.
        let decision = cx.decide(LoginMethod::ModuleCredentials, None, None);
        if decision.outcome == Outcome::SendToHub {
            if matches!(req.method(), Method::Get | Method::Head) {
                let location = cx.sign_in_url(cx.url.as_str());
                return Ok(Answer::new(cx.redirect(&location, &[])?, "send_to_hub"));
            }
            return cx.sign_in_first(decision);
        }
    }

    pass_through(req, &cx, session.as_ref(), None).await
}

/// Proxies to the module (vouching for the session's user) and injects the launcher into HTML.
pub async fn pass_through(
    req: Request,
    cx: &Cx<'_>,
    session: Option<&GateSession>,
    body: Option<Vec<u8>>,
) -> Result<Answer> {
    let Some(origin) = cx.gm.upstream.as_deref() else {
        let page = Page {
            status: 502,
            module_name: &cx.gm.module.name,
            heading: "The module is not reachable",
            message: "the module's upstream origin is not configured for this gate",
            rule: None,
            links: vec![],
        };
        return Ok(Answer::new(page.respond()?, "upstream_missing"));
    };

    let body = match body {
        Some(body) => Some(body),
        None if matches!(req.method(), Method::Get | Method::Head) => None,
        None => Some(req.clone()?.bytes().await.unwrap_or_default()),
    };

    let assertion = session
        .filter(|it| it.via == Via::Hub)
        .and_then(|it| Some((it.sub.as_deref()?, it.username.as_deref()?)))
        .and_then(|(hub_user, username)| {
            let vouch = proxy::Vouch { hub_user, username, tenant: &cx.gm.tenant_id };
            proxy::assertion(&cx.secret, &cx.hub, &cx.gm.upstream_module, vouch, cx.now).ok()
        });
    let vouched = assertion.is_some();
    let upstream = proxy::Upstream {
        origin,
        module: &cx.gm.upstream_module,
        gate_origin: &cx.gm.module.origin,
        assertion,
    };

    let resp = match proxy::forward(&req, body, &upstream).await {
        Ok(resp) => follow_login_redirect(&req, cx, session, resp),
        Err(err) => {
            // The cause goes to the log; the page names no address of the origin.
            worker::console_error!("gate: module {} unreachable: {err}", cx.gm.module.id);
            let page = Page {
                status: 502,
                module_name: &cx.gm.module.name,
                heading: "The module is not reachable",
                message: "the module did not answer; try again in a moment",
                rule: None,
                links: vec![],
            };
            return Ok(Answer::new(page.respond()?, "upstream_unreachable"));
        }
    };

    let decision = if vouched { "proxy:vouched" } else { "proxy" };
    if !inject::is_html(&resp) {
        return Ok(Answer::new(resp, decision));
    }
    let data = launcher_input(cx, session);
    Ok(Answer::new(inject::inject(resp, inject::snippet(&data))?, decision))
}

/// A module's redirect to its login page: after a `GET`, with the requested page added
/// ([`login_return::carry`]); after a form post by a user signed in through the hub (the
/// module's own sign-out), the gate session ends with that redirect, which goes on to
/// `/.onegate/logout` to offer hub sign-out. Any other response unchanged.
fn follow_login_redirect(
    req: &Request,
    cx: &Cx<'_>,
    session: Option<&GateSession>,
    mut resp: Response,
) -> Response {
    if !(300..400).contains(&resp.status_code()) || cx.gm.is_login_path(cx.url.path()) {
        return resp;
    }
    let location = resp.headers().get("Location").ok().flatten().unwrap_or_default();
    let origin = &cx.gm.module.origin;
    let login_path = &cx.gm.login_path;
    match req.method() {
        Method::Get => {
            if let Some(next) = login_return::carry(&location, origin, login_path, cx.url.as_str())
            {
                let _ = resp.headers_mut().set("Location", &next);
            }
        }
        Method::Post
            if session.is_some_and(|it| it.via == Via::Hub)
                && login_return::login_page(&location, origin, login_path).is_some() =>
        {
            let headers = resp.headers_mut();
            let _ = headers.set("Location", &format!("{origin}/.onegate/logout"));
            let _ = headers.append("Set-Cookie", &session::cookie(cx.https).clear());
        }
        _ => {}
    }
    resp
}

/// What the launcher on this page shows, as core's input.
pub fn launcher_input(cx: &Cx<'_>, session: Option<&GateSession>) -> LauncherInput {
    let signed_in_via = match session.map(|it| it.via) {
        Some(Via::Hub) => SignedInVia::Hub,
        Some(Via::ModuleCredentials) => SignedInVia::ModuleCredentials,
        None => SignedInVia::Nobody,
    };
    let page = if cx.gm.is_login_path(cx.url.path()) {
        launcher::Page::Login
    } else {
        launcher::Page::Module
    };
    let entitled = session.map(|it| it.modules.as_slice()).unwrap_or_default();
    let entitlements = cx
        .gm
        .tenant_modules
        .iter()
        .filter(|it| entitled.contains(&it.id))
        .map(|it| Entitlement {
            module_id: it.id.clone(),
            name: it.name.clone(),
            url: format!("{}/", it.origin),
            icon: it.icon.clone(),
        })
        .collect();
    LauncherInput {
        signed_in_via,
        page,
        entitlements,
        current_module: cx.gm.module.id.clone(),
        unified_login: cx.gm.settings.unified_login,
        // On the login page, the page the visitor asked for before the module sent them here.
        current_url: login_return::target(&cx.url, &cx.gm.module.origin)
            .filter(|_| page == launcher::Page::Login)
            .unwrap_or_else(|| cx.url.to_string()),
        sign_in_url: format!("{}/.onegate/login", cx.gm.module.origin),
        hub_home: cx.hub_home(),
        brand: brand::current().clone(),
    }
}

/// The session from the gate's cookie, if genuine, for this module, unexpired and (for hub
/// logins) not signed out at the hub.
pub async fn current_session(req: &Request, cx: &Cx<'_>) -> Option<GateSession> {
    let header = crate::common::cookie::cookie_header(req.headers())?;
    let value = session::cookie(cx.https).read(&header)?;
    let session = Sessions::new(&cx.secret).open(value, &cx.gm.module.id, cx.now)?;
    if session.tenant != cx.gm.tenant_id {
        return None;
    }
    let ended = match (&cx.gm.jwks_url, session.sid.as_deref()) {
        // An external hub's sign-outs arrive by back-channel logout.
        (Some(_), _) => session.via == Via::Hub && backchannel::session_ended(cx, &session).await,
        (None, Some(sid)) => hub_session_ended(cx, sid).await,
        (None, None) => false,
    };
    if ended {
        return None;
    }
    Some(session)
}

/// The most hub sessions whose state one isolate remembers.
const SIDS_KEPT: usize = 4096;

thread_local! {
    static SIDS: RefCell<HashMap<String, (i64, bool)>> = RefCell::new(HashMap::new());
}

/// True when the hub session `sid` was signed out or expired, re-checked in D1 at most every
/// [`REVOCATION_CHECK_SECS`] per isolate ([`checked`]). A session the hub does not know has
/// ended.
async fn hub_session_ended(cx: &Cx<'_>, sid: &str) -> bool {
    #[derive(Deserialize)]
    struct Row {
        revoked_at: Option<i64>,
        expires_at: i64,
    }
    checked(cx, sid, || async {
        let row = cx
            .env
            .d1("DB")?
            .prepare(
                "SELECT revoked_at, expires_at FROM hub_sessions WHERE id = ?1 AND tenant_id = ?2",
            )
            .bind(&[JsValue::from_str(sid), JsValue::from_str(&cx.gm.tenant_id)])?
            .first::<Row>(None)
            .await?;
        Ok(row.is_none_or(|row| row.revoked_at.is_some() || row.expires_at <= cx.now))
    })
    .await
}

/// Whether the session checked under `key` has ended: the isolate's answer if it is younger
/// than [`REVOCATION_CHECK_SECS`], else `query`'s, remembered. It fails closed: a check that
/// cannot be made (D1 not answering) counts as ended, without remembering that answer, so the
/// next request asks again.
async fn checked<F, Fut>(cx: &Cx<'_>, key: &str, query: F) -> bool
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    if let Some((at, ended)) = SIDS.with(|it| it.borrow().get(key).copied())
        && cx.now - at < REVOCATION_CHECK_SECS
    {
        return ended;
    }
    let ended = match query().await {
        Ok(ended) => ended,
        Err(err) => {
            worker::console_error!("gate: session check failed: {err}");
            return true;
        }
    };
    SIDS.with(|it| {
        let mut seen = it.borrow_mut();
        if seen.len() >= SIDS_KEPT {
            seen.retain(|_, (at, _)| cx.now - *at < REVOCATION_CHECK_SECS);
        }
        if seen.len() >= SIDS_KEPT {
            seen.clear();
        }
        seen.insert(key.to_owned(), (cx.now, ended));
    });
    ended
}

/// Forgets every remembered session check of this isolate (a sign-out just arrived).
pub fn forget_session_checks() {
    SIDS.with(|it| it.borrow_mut().clear());
}

/// The LiveMobile app or a browser, by the modules' convention: `X-Client: LiveMobile`, or a
/// user agent that contains `LiveMobile`.
pub fn detect_client(req: &Request) -> Client {
    let headers = req.headers();
    let marked = headers
        .get("X-Client")
        .ok()
        .flatten()
        .is_some_and(|it| it.trim().eq_ignore_ascii_case("livemobile"));
    let agent = headers
        .get("User-Agent")
        .ok()
        .flatten()
        .is_some_and(|it| it.to_ascii_lowercase().contains("livemobile"));
    if marked || agent { Client::LiveMobile } else { Client::Browser }
}

/// The hub origin: `ONEGATE_HUB_URL` when set, else the request's origin without its first
/// host label (`psa.localhost:8787` -> `localhost:8787`).
pub fn hub_origin(env: &Env, url: &Url) -> String {
    if let Some(hub) = vars::var(env, "ONEGATE_HUB_URL") {
        return hub.trim_end_matches('/').to_owned();
    }
    let host = url.host_str().unwrap_or_default();
    let hub_host = host.split_once('.').map_or(host, |(_, rest)| rest);
    match url.port() {
        Some(port) => format!("{}://{hub_host}:{port}", url.scheme()),
        None => format!("{}://{hub_host}", url.scheme()),
    }
}
