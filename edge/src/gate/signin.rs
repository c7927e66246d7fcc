//! Hub login for a module: the gate as OpenID Connect client of the hub (code flow with state,
//! nonce and PKCE S256), the check of the hub token, core's decision, and the gate session.
//!
//! The login state (state, nonce, PKCE verifier, validated return URL) travels in a signed,
//! ten-minute `onegate_login` cookie. A hub token that fails any check is answered with 401 and
//! a fresh start; a token that passes but whose user core refuses (a barred license type, say)
//! gets the 403 refusal page with the rule.

use onegate_core::login::Outcome;
use onegate_core::model::{LicenseType, LoginMethod};
use onegate_core::provisioning;
use onegate_core::token::Expectations;
use serde::{Deserialize, Serialize};
use worker::{Fetch, Headers, Method, Request, RequestInit, Response, Result};

use crate::common::cookie::CookieSpec;
use crate::common::sign::{Signer, random_id, sha256_b64};
use crate::common::{brand, vars};

use super::keys::{self, KeySource};
use super::pages::{Form, Link, Page};
use super::provision;
use super::session::{self, GateSession, Sessions, Via};
use super::{Answer, Cx, proxy};

/// How long a started hub login may take.
pub const LOGIN_STATE_SECS: u32 = 10 * 60;

/// The signed content of the login-state cookie.
#[derive(Debug, Serialize, Deserialize)]
struct LoginState {
    state: String,
    nonce: String,
    verifier: String,
    return_to: String,
    exp: i64,
}

fn state_cookie(https: bool) -> CookieSpec<'static> {
    CookieSpec { name: "onegate_login", max_age: LOGIN_STATE_SECS, https }
}

/// Routes `/.onegate/<rest>`.
pub async fn route(req: Request, cx: &Cx<'_>, rest: &str) -> Result<Answer> {
    match (req.method(), rest) {
        (Method::Get, "login") => start(cx).await,
        (Method::Get, "callback") => callback(&req, cx).await,
        (Method::Post, "dev/token") => dev_token(req, cx).await,
        (Method::Post, "dev/signatures") => super::vectors::handle(req, cx).await,
        (Method::Get, "logout") => logout_page(&req, cx).await,
        (Method::Post, "logout") => logout(&req, cx),
        (Method::Get, "certs") => certs(cx),
        (Method::Post, "backchannel-logout") => super::backchannel::receive(req, cx).await,
        _ => {
            let page = Page {
                status: 404,
                module_name: &cx.gm.module.name,
                heading: "Not found",
                message: &format!("the gate has no route {} /.onegate/{rest}", req.method()),
                rule: None,
                links: vec![Link { href: "/".into(), text: "Open the module".into() }],
            };
            Ok(Answer::new(page.respond()?, "not_found"))
        }
    }
}

/// `GET /.onegate/login?return_to=`: state, nonce and PKCE, then off to the hub.
async fn start(cx: &Cx<'_>) -> Result<Answer> {
    let decision = cx.decide(LoginMethod::HubLogin, None, None);
    if decision.outcome == Outcome::Refuse {
        return cx.refusal(decision);
    }

    let return_to = query_param(cx, "return_to").unwrap_or_default();
    let return_to = cx.safe_return_to(&return_to);
    let (Ok(state), Ok(nonce), Ok(verifier)) = (random_id(24), random_id(24), random_id(32)) else {
        return failed(cx, 503, "no randomness is available to start a sign-in; try again");
    };

    let login = LoginState {
        state: state.clone(),
        nonce: nonce.clone(),
        verifier: verifier.clone(),
        return_to,
        exp: cx.now + i64::from(LOGIN_STATE_SECS),
    };
    let sealed = Signer::derive(&cx.secret, "gate-login")
        .sign(&serde_json::to_vec(&login).unwrap_or_default());
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", &cx.gm.module.id)
        .append_pair("redirect_uri", &redirect_uri(cx))
        .append_pair("scope", "openid email profile")
        .append_pair("state", &state)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &sha256_b64(verifier.as_bytes()))
        .append_pair("code_challenge_method", "S256")
        .finish();
    let location = format!("{}/oauth/authorize?{query}", cx.hub);
    let cookie = state_cookie(cx.https).set(&sealed);
    Ok(Answer::new(cx.redirect(&location, &[cookie])?, "start_hub_login"))
}

/// `GET /.onegate/callback?code=&state=`: checks the state, exchanges the code, finishes.
async fn callback(req: &Request, cx: &Cx<'_>) -> Result<Answer> {
    if let Some(error) = query_param(cx, "error") {
        let message = format!("{} did not sign you in ({error}); try again", brand::name());
        return failed(cx, 401, &message);
    }
    let (Some(code), Some(state)) = (query_param(cx, "code"), query_param(cx, "state")) else {
        return failed(cx, 400, "the sign-in callback needs code and state; start again");
    };

    let cookies = req.headers().get("Cookie").ok().flatten().unwrap_or_default();
    let login = state_cookie(cx.https)
        .read(&cookies)
        .and_then(|it| Signer::derive(&cx.secret, "gate-login").open(it))
        .and_then(|it| serde_json::from_slice::<LoginState>(&it).ok())
        .filter(|it| it.exp > cx.now);
    let Some(login) = login.filter(|it| it.state == state) else {
        return failed(cx, 400, "this sign-in expired or was started elsewhere; start again");
    };

    let Some(token) = exchange(cx, &code, &login.verifier).await else {
        let message = format!("{} did not confirm the sign-in; start again", brand::name());
        return failed(cx, 401, &message);
    };
    finish(cx, &token, Some(&login.nonce), &login.return_to).await
}

/// `POST /.onegate/dev/token` (form `token`, `return_to`): a hub token handed over directly,
/// checked exactly like one from the code exchange. Only when `GATE_DEV_TOKENS` is `on`.
async fn dev_token(mut req: Request, cx: &Cx<'_>) -> Result<Answer> {
    if vars::var(cx.env, "GATE_DEV_TOKENS").as_deref() != Some("on") {
        return failed(cx, 404, "development token sign-in is off on this gate");
    }
    let body = req.bytes().await.unwrap_or_default();
    if body.len() > 64 * 1024 {
        return failed(cx, 413, "the form is too large");
    }
    let mut token = String::new();
    let mut return_to = String::new();
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "token" => token = value.into_owned(),
            "return_to" => return_to = value.into_owned(),
            _ => {}
        }
    }
    let return_to = cx.safe_return_to(&return_to);
    finish(cx, &token, None, &return_to).await
}

/// Verifies the hub token, asks core, and starts the gate session.
async fn finish(cx: &Cx<'_>, token: &str, nonce: Option<&str>, return_to: &str) -> Result<Answer> {
    let source = match &cx.gm.jwks_url {
        Some(url) => KeySource::Remote(url.clone()),
        None => KeySource::OwnHub,
    };
    let expect = Expectations {
        tenant: Some(cx.gm.tenant_id.clone()),
        nonce: nonce.map(str::to_owned),
        ..Expectations::new(cx.hub.clone(), cx.gm.module.id.clone())
    };
    let claims = match keys::verify(cx.env, &source, token, &expect, cx.now).await {
        Ok(claims) => claims,
        Err(err) => {
            cx.audit("hub_login", "token_rejected", err.code()).await;
            let message = format!("the sign-in could not be accepted: {}", err.message());
            let mut answer = failed_with(cx, 401, &message, Some(err.code()))?;
            answer.decision = format!("token_rejected:{}", err.code());
            return Ok(answer);
        }
    };

    let module = &cx.gm.module;
    if let Err(err) = provisioning::check_access(claims.entitlements(), &module.id, &module.name) {
        cx.audit("hub_login", "refuse", err.code()).await;
        let mut answer = failed(cx, 403, err.message())?;
        answer.decision = "refuse:module_access_missing".into();
        return Ok(answer);
    }

    // Refusals that no license type changes (LiveMobile, unified login off) need no module.
    if let Some(early) = cx.decide_before_lookup(LoginMethod::HubLogin, None)
        && early.outcome != Outcome::Allow
    {
        cx.audit("hub_login", "refuse", early.rule.code()).await;
        return cx.refusal(early);
    }

    let facts = match provision::gather(cx, &claims).await {
        Ok(facts) => facts,
        Err(failure) => return provisioning_failed(cx, failure).await,
    };
    let account = facts.login_account();
    let license = account.map(|it| it.license_type);
    let username = account.map(|it| it.username.as_str());
    let decision = cx.decide(LoginMethod::HubLogin, username, license);
    let outcome = match decision.outcome {
        Outcome::Allow => "allow",
        Outcome::SendToHub => "send_to_hub",
        Outcome::Refuse => "refuse",
    };
    cx.audit("hub_login", outcome, decision.rule.code()).await;
    if decision.outcome != Outcome::Allow {
        return cx.refusal(decision);
    }

    let done = match provision::carry_out(cx, &claims, facts, true).await {
        Ok(done) => done,
        Err(failure) => return provisioning_failed(cx, failure).await,
    };
    // An account provisioning just created is a Full user, as its link records.
    let license = license.unwrap_or(LicenseType::Full);
    cx.record_sign_in(&done.username, license, LoginMethod::HubLogin).await;

    let session = GateSession {
        module: cx.gm.module.id.clone(),
        tenant: cx.gm.tenant_id.clone(),
        via: Via::Hub,
        sub: Some(claims.subject().to_owned()),
        // Sign-out is noticed through the hub's sessions in this Worker's D1, or for an
        // external hub through the logout tokens it sent (`backchannel`).
        sid: claims.session_id().map(str::to_owned),
        username: Some(done.username),
        modules: claims.entitlements().to_vec(),
        exp: cx.now + i64::from(session::SESSION_SECS),
    };
    let value = Sessions::new(&cx.secret).seal(&session);
    let cookies = [session::cookie(cx.https).set(&value), state_cookie(cx.https).clear()];
    let answer = cx.redirect(return_to, &cookies)?;
    Ok(Answer::new(answer, format!("allow:{}:{}", decision.rule.code(), done.action)))
}

/// The page for a sign-in that provisioning could not finish: 403 with core's message when the
/// plan was refused, 503 when the module or the store could not be used.
async fn provisioning_failed(cx: &Cx<'_>, failure: provision::Failure) -> Result<Answer> {
    let (status, message, decision) = match failure {
        provision::Failure::Refused(err) => {
            (403, err.message().to_owned(), format!("refuse:{}", err.code()))
        }
        provision::Failure::Unavailable(why) => (
            503,
            format!("{} could not set up your account: {why}", cx.gm.module.name),
            "provisioning_unavailable".to_owned(),
        ),
    };
    let mut answer = failed(cx, status, &message)?;
    answer.decision = decision;
    Ok(answer)
}

/// Exchanges the authorization code at the hub's token endpoint for the hub token.
async fn exchange(cx: &Cx<'_>, code: &str, verifier: &str) -> Option<String> {
    let secret = client_secret(cx)?;
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", &redirect_uri(cx))
        .append_pair("client_id", &cx.gm.module.id)
        .append_pair("client_secret", &secret)
        .append_pair("code_verifier", verifier)
        .finish();
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded").ok()?;
    headers.set("Accept", "application/json").ok()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.into()));
    let req = Request::new_with_init(&format!("{}/oauth/token", cx.hub), &init).ok()?;
    let mut resp = Fetch::Request(req).send().await.ok()?;
    if resp.status_code() != 200 {
        return None;
    }
    let json: serde_json::Value = resp.json().await.ok()?;
    // The hub token for the module is the `at+jwt` access token, which carries the same claims
    // as the ID token; an ID token (typ `JWT`) would never pass the token check.
    json.get("access_token").and_then(|it| it.as_str()).map(str::to_owned)
}

/// The module's OIDC client secret: `OIDC_CLIENT_SECRETS` (JSON object by module id).
fn client_secret(cx: &Cx<'_>) -> Option<String> {
    let all = vars::var(cx.env, "OIDC_CLIENT_SECRETS")?;
    let map: serde_json::Value = serde_json::from_str(&all).ok()?;
    map.get(&cx.gm.module.id)?.as_str().map(str::to_owned)
}

fn redirect_uri(cx: &Cx<'_>) -> String {
    format!("{}/.onegate/callback", cx.gm.module.origin)
}

/// `GET /.onegate/logout`: with a live gate session, asks before it ends it (a link or an image
/// on another site must not sign anyone out); without one, the signed-out page. The module's
/// own sign-out arrives here with its session already ended (see `follow_login_redirect`).
async fn logout_page(req: &Request, cx: &Cx<'_>) -> Result<Answer> {
    if super::current_session(req, cx).await.is_none() {
        return signed_out(cx);
    }
    let page = Page {
        status: 200,
        module_name: &cx.gm.module.name,
        heading: &format!("Sign out of {}?", cx.gm.module.name),
        message: &format!("this ends your session in {} on this browser", cx.gm.module.name),
        rule: None,
        links: vec![Link {
            href: format!("{}/", cx.gm.module.origin),
            text: "Stay signed in".into(),
        }],
    };
    let form = Form { action: "/.onegate/logout".into(), button: "Sign out".into() };
    Ok(Answer::new(page.respond_with(Some(&form))?, "sign_out_confirm"))
}

/// `POST /.onegate/logout`: ends the gate session, unless a browser says another site sent
/// the form.
fn logout(req: &Request, cx: &Cx<'_>) -> Result<Answer> {
    if !crate::common::same_origin(req, &cx.gm.module.origin) {
        let page = Page {
            status: 403,
            module_name: &cx.gm.module.name,
            heading: "Sign-out refused",
            message: &format!(
                "this sign-out was sent from another site; to sign out, open {} and use its \
                 sign-out",
                cx.gm.module.name
            ),
            rule: None,
            links: vec![Link {
                href: format!("{}/", cx.gm.module.origin),
                text: "Open the module".into(),
            }],
        };
        return Ok(Answer::new(page.respond()?, "sign_out_cross_origin"));
    }
    signed_out(cx)
}

/// The signed-out page, with the session cookie cleared and hub sign-out offered.
fn signed_out(cx: &Cx<'_>) -> Result<Answer> {
    let page = Page {
        status: 200,
        module_name: &cx.gm.module.name,
        heading: "Signed out",
        message: &format!("you are signed out of {} on this browser", cx.gm.module.name),
        rule: None,
        links: vec![
            Link {
                href: format!("{}/oauth/logout", cx.hub),
                text: format!("Sign out of {} too", brand::name()),
            },
            Link {
                href: cx.sign_in_url(&format!("{}/", cx.gm.module.origin)),
                text: "Sign in again".into(),
            },
        ],
    };
    let mut resp = page.respond()?;
    resp.headers_mut().append("Set-Cookie", &session::cookie(cx.https).clear())?;
    Ok(Answer::new(resp, "sign_out"))
}

/// `GET /.onegate/certs`: the JWKS the module verifies the gate's assertions with.
fn certs(cx: &Cx<'_>) -> Result<Answer> {
    let Ok(jwks) = proxy::assertion_jwks(&cx.secret) else {
        return failed(cx, 503, "the gate's assertion key cannot be derived");
    };
    let headers = Headers::new();
    headers.set("Content-Type", "application/jwk-set+json")?;
    headers.set("Cache-Control", "public, max-age=300")?;
    Ok(Answer::new(Response::ok(jwks)?.with_headers(headers), "certs"))
}

fn query_param(cx: &Cx<'_>, name: &str) -> Option<String> {
    cx.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// A sign-in failure page with `status` and a link to start again.
fn failed(cx: &Cx<'_>, status: u16, message: &str) -> Result<Answer> {
    failed_with(cx, status, message, None)
}

/// [`failed`] naming the stable code of the check that refused the sign-in.
fn failed_with(cx: &Cx<'_>, status: u16, message: &str, code: Option<&str>) -> Result<Answer> {
    let page = Page {
        status,
        module_name: &cx.gm.module.name,
        heading: "Sign-in did not work",
        message,
        rule: code,
        links: vec![
            Link {
                href: cx.sign_in_url(&format!("{}/", cx.gm.module.origin)),
                text: "Start again".into(),
            },
            Link { href: cx.hub_home(), text: format!("Open {}", brand::name()) },
        ],
    };
    Ok(Answer::new(page.respond()?, format!("sign_in_failed:{status}")))
}
