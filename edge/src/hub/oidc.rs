//! The hub as an OpenID Connect provider: discovery, JWKS, the authorization endpoint (code +
//! PKCE S256, silent when a hub session exists, a fresh sign-in for `prompt=login` or a session
//! older than `max_age`), the token endpoint, userinfo and RP-initiated logout. The ID token's
//! `amr` is what the session's sign-in used (`pwd otp mfa`, or `pwd mfa` after a recovery code).
//!
//! Tokens are EdDSA-signed with the first key of `HUB_SIGNING_KEYS` and carry its `kid`. The ID
//! token has `typ` `JWT`; the access token is the hub token a gate verifies (`typ` `at+jwt`, see
//! `onegate_core::token`), with the same claims plus `nonce` and `scope`. Both live 5 minutes.
//!
//! A registered redirect URI may be written `{module_origin}/...` in `clients.redirect_uris`:
//! the placeholder becomes the module's gate origin (derived from the hub's scheme, host and
//! port when the module stores none) before the exact comparison, so development and the
//! end-to-end tests (random ports) register the same client.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use onegate_core::oidc::{self, AuthorizeParams, CodeExchange, SessionUse};
use onegate_core::token::{self, Expectations, HUB_TOKEN_TYPE, HubClaims};
use onegate_core::{Error, ErrorKind};
use serde::Serialize;
use serde_json::{Value, json};
use worker::{Headers, Request, Response, Result};

use super::Hub;
use super::pages;
use super::session;
use super::signin::{field, form_fields};
use super::store::{ClientRecord, Session, User};
use crate::common::brand;
use crate::common::sign::{random_id, sha256_b64};

/// Lifetime of ID and access tokens, in seconds.
pub const TOKEN_SECS: u64 = 300;

/// The `typ` of ID tokens.
const ID_TOKEN_TYPE: &str = "JWT";

fn json_response(status: u16, body: &Value) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    headers.set("Cache-Control", "no-store")?;
    headers.set("Pragma", "no-cache")?;
    Ok(Response::from_json(body)?.with_status(status).with_headers(headers))
}

/// An OAuth error body: `error`, `error_description` and the core's stable `code`.
fn oauth_error(status: u16, error: &str, err: &Error) -> Result<Response> {
    let body = json!({ "error": error, "error_description": err.message(), "code": err.code() });
    json_response(status, &body)
}

fn config_error(problem: &str) -> Result<Response> {
    worker::console_error!("hub: signing keys unusable: {problem}");
    let body = json!({
        "error": "server_error",
        "error_description": "the hub's signing keys are not configured",
    });
    json_response(503, &body)
}

/// `GET /.well-known/openid-configuration`.
pub fn discovery(hub: &Hub) -> Result<Response> {
    let iss = &hub.issuer;
    let body = json!({
        "issuer": iss,
        "authorization_endpoint": format!("{iss}/oauth/authorize"),
        "token_endpoint": format!("{iss}/oauth/token"),
        "userinfo_endpoint": format!("{iss}/oauth/userinfo"),
        "jwks_uri": format!("{iss}/.well-known/jwks.json"),
        "end_session_endpoint": format!("{iss}/oauth/logout"),
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "email", "profile"],
        "claims_supported": [
            "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "sid", "tid",
            "email", "email_verified", "name", "groups", "entitlements"
        ],
        "prompt_values_supported": ["none", "login"],
        "authorization_response_iss_parameter_supported": true,
        "frontchannel_logout_supported": false,
        "backchannel_logout_supported": false,
    });
    let headers = Headers::new();
    headers.set("Content-Type", "application/json")?;
    headers.set("Cache-Control", "public, max-age=300")?;
    headers.set("Access-Control-Allow-Origin", "*")?;
    Ok(Response::from_json(&body)?.with_headers(headers))
}

/// `GET /.well-known/jwks.json`: every key of `HUB_SIGNING_KEYS`, newest first.
pub fn jwks(hub: &Hub) -> Result<Response> {
    let keys = match hub.keys() {
        Ok(keys) => keys,
        Err(problem) => return config_error(&problem),
    };
    let headers = Headers::new();
    headers.set("Content-Type", "application/jwk-set+json")?;
    headers.set("Cache-Control", "public, max-age=300")?;
    headers.set("Access-Control-Allow-Origin", "*")?;
    Ok(Response::ok(keys.jwks())?.with_headers(headers))
}

/// The client with its redirect URIs expanded (`{module_origin}` replaced), or `None`.
async fn client(hub: &Hub, id: &str) -> Result<Option<ClientRecord>> {
    let Some(mut record) = hub.store.client(id).await? else {
        return Ok(None);
    };
    let stored = hub.store.module_origin(id).await?.flatten();
    let origin = hub.module_origin(id, stored.as_deref());
    let expand = |uris: &mut Vec<String>| {
        for uri in uris.iter_mut() {
            *uri = uri.replace("{module_origin}", &origin);
        }
    };
    expand(&mut record.client.redirect_uris);
    expand(&mut record.client.post_logout_redirect_uris);
    Ok(Some(record))
}

/// `uri` with the query pairs appended (after `?` or `&`).
fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        query.append_pair(k, v);
    }
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{}", query.finish())
}

fn redirect(location: &str) -> Result<Response> {
    pages::see_other(location, &[])
}

/// Where the browser signs in before the authorization request goes on: `/signin` returning to
/// the request without `prompt` and `max_age` (the new session satisfies both, and keeping them
/// would ask again forever), with `prompt=login` when a session exists but must not be used.
fn sign_in_first(url: &worker::Url, again: bool) -> String {
    let forced = |key: &str| key == "prompt" || key == "max_age";
    let here = if url.query_pairs().any(|(k, _)| forced(&k)) {
        let mut kept = form_urlencoded::Serializer::new(String::new());
        for (key, value) in url.query_pairs().filter(|(k, _)| !forced(k)) {
            kept.append_pair(&key, &value);
        }
        format!("{}?{}", url.path(), kept.finish())
    } else {
        format!("{}?{}", url.path(), url.query().unwrap_or_default())
    };
    let mut params = vec![("return_to", here.as_str())];
    if again {
        params.push(("prompt", "login"));
    }
    with_query("/signin", &params)
}

/// `GET /oauth/authorize`: a code from the hub session, or sign-in first (no session,
/// `prompt=login`, or a session older than `max_age`), or `login_required` for `prompt=none`.
pub async fn authorize(hub: &Hub, req: &Request) -> Result<Response> {
    let url = req.url()?;
    let mut params = AuthorizeParams::default();
    for (key, value) in url.query_pairs() {
        let slot = match key.as_ref() {
            "response_type" => &mut params.response_type,
            "client_id" => &mut params.client_id,
            "redirect_uri" => &mut params.redirect_uri,
            "scope" => &mut params.scope,
            "state" => &mut params.state,
            "nonce" => &mut params.nonce,
            "code_challenge" => &mut params.code_challenge,
            "code_challenge_method" => &mut params.code_challenge_method,
            "prompt" => &mut params.prompt,
            "max_age" => &mut params.max_age,
            _ => continue,
        };
        if slot.is_some() {
            let err = Error::new(
                ErrorKind::OidcRequestInvalid,
                format!("the sign-in link repeats {key}; each parameter may appear once"),
            );
            return pages::refusal(400, "This sign-in link cannot be used", &err);
        }
        *slot = Some(value.into_owned());
    }

    let record = match params.client_id.as_deref() {
        Some(id) => client(hub, id).await?,
        None => None,
    };
    let request = match oidc::check_authorize(&params, record.as_ref().map(|r| &r.client)) {
        Ok(request) => request,
        // Every refusal is shown here rather than sent back to the client, so a broken or
        // forged request never bounces silently; only `prompt=none` answers by redirect.
        Err(refusal) => {
            return pages::refusal(400, "This sign-in link cannot be used", &refusal.error);
        }
    };
    let Some(record) = record else {
        let err = Error::new(ErrorKind::OidcClientUnknown, "the client is not registered");
        return pages::refusal(400, "This sign-in link cannot be used", &err);
    };

    let current = session::current(hub, req).await?;
    let auth_time = current.as_ref().map(|(session, _)| session.created_at as u64);
    let (session, user) = match (oidc::session_use(&request, auth_time, hub.now), current) {
        (SessionUse::Issue, Some(pair)) => pair,
        (SessionUse::LoginRequired, _) => {
            let location = with_query(
                &request.redirect_uri,
                &[("error", "login_required"), ("state", &request.state), ("iss", &hub.issuer)],
            );
            return redirect(&location);
        }
        (_, current) => return redirect(&sign_in_first(&url, current.is_some())),
    };

    if user.tenant_id != record.tenant_id {
        let err = Error::new(
            ErrorKind::ModuleAccessMissing,
            "this module belongs to another organisation than your account",
        );
        return pages::refusal(403, "This module is not yours", &err);
    }

    let code = random_id(32).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let code_hash = sha256_b64(code.as_bytes());
    hub.store
        .insert_code(&super::store::NewCode {
            code_hash: &code_hash,
            client_id: &request.client_id,
            tenant_id: &user.tenant_id,
            user_id: &user.id,
            session_id: &session.id,
            redirect_uri: &request.redirect_uri,
            code_challenge: &request.code_challenge,
            nonce: request.nonce.as_deref(),
            scope: &request.scope,
            issued_at: hub.now,
        })
        .await?;
    let location = with_query(
        &request.redirect_uri,
        &[("code", &code), ("state", &request.state), ("iss", &hub.issuer)],
    );
    redirect(&location)
}

/// The client id and secret from `Authorization: Basic` or the form (not both).
fn client_credentials(
    req: &Request,
    fields: &[(String, String)],
) -> std::result::Result<(String, String), Error> {
    let header = req.headers().get("Authorization").ok().flatten();
    let basic = header.as_deref().and_then(|h| h.strip_prefix("Basic "));
    let in_form = (field(fields, "client_id"), field(fields, "client_secret"));
    let unauthorized = |message: &str| Error::new(ErrorKind::OidcClientAuthFailed, message);

    if let Some(encoded) = basic {
        if in_form.1.is_some() {
            return Err(unauthorized("send the client secret once: in the header or the form"));
        }
        let decoded = STANDARD
            .decode(encoded.trim())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| unauthorized("the Basic credentials are not base64"))?;
        let (id, secret) = decoded
            .split_once(':')
            .ok_or_else(|| unauthorized("the Basic credentials lack ':'"))?;
        let decode = |s: &str| {
            form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        return Ok((decode(id), decode(secret)));
    }

    match in_form {
        (Some(id), Some(secret)) => Ok((id.to_string(), secret.to_string())),
        _ => Err(unauthorized(
            "the client must authenticate (client_secret_basic or client_secret_post)",
        )),
    }
}

/// The claims of an ID token: the hub token's, plus the OpenID Connect ones.
#[derive(Serialize)]
struct IdClaims<'a> {
    #[serde(flatten)]
    hub: &'a HubClaims,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    auth_time: i64,
    amr: Vec<&'a str>,
}

/// The claims of an access token (the hub token a gate verifies).
#[derive(Serialize)]
struct AccessClaims<'a> {
    #[serde(flatten)]
    hub: &'a HubClaims,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
    scope: &'a str,
    client_id: &'a str,
}

/// The hub claims for `user` in `session`, for the module `client_id`.
async fn hub_claims(
    hub: &Hub,
    user: &User,
    session: &Session,
    client_id: &str,
) -> Result<HubClaims> {
    Ok(HubClaims {
        issuer: hub.issuer.clone(),
        subject: user.id.clone(),
        audience: vec![client_id.to_string()],
        expires_at: (hub.now + TOKEN_SECS) as i64,
        issued_at: hub.now as i64,
        not_before: None,
        email: Some(user.email.clone()),
        email_verified: user.email_verified == 1,
        name: Some(user.name.clone()),
        groups: hub.store.group_names(&user.id).await?,
        entitlements: hub.store.entitlement_ids(&user.id).await?,
        tenant_id: Some(user.tenant_id.clone()),
        session_id: Some(session.id.clone()),
    })
}

/// `POST /oauth/token`: the `authorization_code` grant.
pub async fn token(hub: &Hub, mut req: Request) -> Result<Response> {
    let fields = form_fields(&mut req).await;
    let (client_id, secret) = match client_credentials(&req, &fields) {
        Ok(pair) => pair,
        Err(err) => return oauth_error(401, "invalid_client", &err),
    };
    let record = client(hub, &client_id).await?;
    let Some(record) = record.filter(|r| oidc::client_secret_matches(&secret, &r.secret_hash))
    else {
        let err = Error::new(
            ErrorKind::OidcClientAuthFailed,
            format!("client {client_id:?} is unknown or its secret is wrong"),
        );
        return oauth_error(401, "invalid_client", &err);
    };

    if field(&fields, "grant_type") != Some("authorization_code") {
        let err = Error::new(
            ErrorKind::OidcRequestInvalid,
            "only grant_type=authorization_code is supported",
        );
        return oauth_error(400, "unsupported_grant_type", &err);
    }
    let (Some(code), Some(redirect_uri), Some(verifier)) =
        (field(&fields, "code"), field(&fields, "redirect_uri"), field(&fields, "code_verifier"))
    else {
        let err = Error::new(
            ErrorKind::OidcRequestInvalid,
            "the token request needs code, redirect_uri and code_verifier",
        );
        return oauth_error(400, "invalid_request", &err);
    };

    let code_hash = sha256_b64(code.as_bytes());
    let Some(stored) = hub.store.code(&code_hash).await? else {
        let err =
            Error::new(ErrorKind::AuthorizationCodeInvalid, "this authorization code is unknown");
        return oauth_error(400, "invalid_grant", &err);
    };
    let exchange =
        CodeExchange { client_id: &record.client.id, redirect_uri, code_verifier: verifier };
    if let Err(err) = oidc::check_code_exchange(&stored.issued, &exchange, hub.now) {
        return oauth_error(400, "invalid_grant", &err);
    }
    if !hub.store.use_code(&code_hash, hub.now).await? {
        let err = Error::new(
            ErrorKind::AuthorizationCodeInvalid,
            "this authorization code was already used; start the sign-in again",
        );
        return oauth_error(400, "invalid_grant", &err);
    }

    if stored.tenant_id != record.tenant_id {
        let err =
            Error::new(ErrorKind::AuthorizationCodeInvalid, "this code belongs to another tenant");
        return oauth_error(400, "invalid_grant", &err);
    }

    let live = hub.store.live_session(&stored.session_id, hub.now).await?;
    let Some((session, user)) = live.filter(|(_, u)| u.id == stored.user_id) else {
        let err = Error::new(
            ErrorKind::AuthorizationCodeInvalid,
            "the hub session of this code has ended",
        );
        return oauth_error(400, "invalid_grant", &err);
    };

    let keys = match hub.keys() {
        Ok(keys) => keys,
        Err(problem) => return config_error(&problem),
    };
    let claims = hub_claims(hub, &user, &session, &record.client.id).await?;
    let nonce = stored.nonce.as_deref();
    let id_claims = IdClaims {
        hub: &claims,
        nonce,
        auth_time: session.created_at as i64,
        amr: session.amr.split_whitespace().collect(),
    };
    let access_claims =
        AccessClaims { hub: &claims, nonce, scope: &stored.scope, client_id: &record.client.id };
    let signed = token::sign_claims(&id_claims, ID_TOKEN_TYPE, keys.current()).and_then(|id| {
        token::sign_claims(&access_claims, HUB_TOKEN_TYPE, keys.current()).map(|at| (id, at))
    });
    let (id_token, access_token) = match signed {
        Ok(pair) => pair,
        Err(err) => return oauth_error(500, "server_error", &err),
    };

    json_response(
        200,
        &json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECS,
            "id_token": id_token,
            "scope": stored.scope,
        }),
    )
}

/// The payload of a JWT, read without verification, only to choose what to verify it against.
fn peek_payload(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// The first audience of a JWT payload.
fn peek_audience(payload: &Value) -> Option<String> {
    match payload.get("aud")? {
        Value::String(aud) => Some(aud.clone()),
        Value::Array(list) => list.first()?.as_str().map(str::to_owned),
        _ => None,
    }
}

fn bearer_error(error: &str, err: &Error) -> Result<Response> {
    let mut res = oauth_error(401, error, err)?;
    let challenge = format!("Bearer error=\"{error}\"");
    res.headers_mut().set("WWW-Authenticate", &challenge)?;
    Ok(res)
}

/// `GET` or `POST /oauth/userinfo` with `Authorization: Bearer <access token>`.
pub async fn userinfo(hub: &Hub, req: &Request) -> Result<Response> {
    let header = req.headers().get("Authorization").ok().flatten().unwrap_or_default();
    let Some(token) = header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty())
    else {
        let err = Error::new(
            ErrorKind::TokenClaimMissing,
            "send the access token as Authorization: Bearer",
        );
        return bearer_error("invalid_request", &err);
    };

    let keys = match hub.keys() {
        Ok(keys) => keys,
        Err(problem) => return config_error(&problem),
    };
    let Some(key_set) = keys.key_set() else {
        return config_error("the JWKS does not parse");
    };
    let audience = peek_payload(token).and_then(|p| peek_audience(&p)).unwrap_or_default();
    let expect = Expectations::new(hub.issuer.clone(), audience);
    let claims = match token::verify(token, &key_set, &expect, hub.now as i64) {
        Ok(claims) => claims,
        Err(err) => return bearer_error("invalid_token", &err),
    };

    let sid = claims.session_id().unwrap_or_default();
    let Some((_, user)) = hub.store.live_session(sid, hub.now).await? else {
        let err = Error::new(ErrorKind::TokenExpired, "the hub session of this token has ended");
        return bearer_error("invalid_token", &err);
    };
    if user.id != claims.subject() {
        let err = Error::new(ErrorKind::TokenClaimMissing, "the token's subject has no session");
        return bearer_error("invalid_token", &err);
    }

    json_response(
        200,
        &json!({
            "sub": user.id,
            "email": user.email,
            "email_verified": user.email_verified == 1,
            "name": user.name,
            "groups": claims.groups(),
            "entitlements": claims.entitlements(),
            "tid": user.tenant_id,
        }),
    )
}

/// Where to send the browser after sign-out: the client's registered
/// `post_logout_redirect_uri` (exact match) with `state`, or `None`.
pub async fn post_logout_target(
    hub: &Hub,
    client_id: Option<&str>,
    uri: Option<&str>,
    state: Option<&str>,
) -> Result<Option<String>> {
    let (Some(client_id), Some(uri)) = (client_id, uri) else {
        return Ok(None);
    };
    let Some(record) = client(hub, client_id).await? else {
        return Ok(None);
    };
    if !oidc::redirect_uri_registered(uri, &record.client.post_logout_redirect_uris) {
        return Ok(None);
    }
    Ok(Some(match state {
        Some(state) => with_query(uri, &[("state", state)]),
        None => uri.to_string(),
    }))
}

/// `GET /oauth/logout` (RP-initiated logout). With a valid `id_token_hint` for the browser's
/// session the session ends at once; otherwise the user confirms with a button (so a link on
/// another site cannot sign anyone out).
pub async fn logout(hub: &Hub, req: &Request) -> Result<Response> {
    let url = req.url()?;
    let param =
        |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let hint = param("id_token_hint");
    let mut client_id = param("client_id");
    let uri = param("post_logout_redirect_uri");
    let state = param("state");

    let mut hinted_sid = None;
    if let Some(hint) = hint.as_deref() {
        match verify_hint(hub, hint) {
            Ok((aud, sid)) => {
                if client_id.as_deref().is_some_and(|c| c != aud) {
                    let err = Error::new(
                        ErrorKind::TokenAudienceMismatch,
                        "client_id differs from the audience of id_token_hint",
                    );
                    return pages::refusal(400, "Sign-out link refused", &err);
                }
                client_id = Some(aud);
                hinted_sid = sid;
            }
            Err(err) => return pages::refusal(400, "Sign-out link refused", &err),
        }
    }
    if uri.is_some()
        && post_logout_target(hub, client_id.as_deref(), uri.as_deref(), None).await?.is_none()
    {
        let err = Error::new(
            ErrorKind::RedirectUriUnregistered,
            "post_logout_redirect_uri is not registered for this client",
        );
        return pages::refusal(400, "Sign-out link refused", &err);
    }

    let cookie_sid = session::session_id(hub, req);
    let hint_matches = hinted_sid.is_some() && (cookie_sid.is_none() || cookie_sid == hinted_sid);
    if hint_matches {
        for sid in [hinted_sid.as_deref(), cookie_sid.as_deref()].into_iter().flatten() {
            end_session(hub, sid).await?;
        }
        let next = post_logout_target(hub, client_id.as_deref(), uri.as_deref(), state.as_deref())
            .await?
            .unwrap_or_else(|| "/signin".to_string());
        return pages::see_other(&next, &[session::clear_session(hub)]);
    }

    let mut fields: Vec<(&str, String)> = Vec::new();
    for (name, value) in
        [("client_id", &client_id), ("post_logout_redirect_uri", &uri), ("state", &state)]
    {
        if let Some(value) = value {
            fields.push((name, value.clone()));
        }
    }
    let ctx = minijinja::context! {
        heading => format!("Sign out of {}?", brand::name()),
        message => "This signs you out of the hub and of every module you opened from it.",
        form_action => "/signout",
        form_fields => fields,
        form_button => "Sign out",
    };
    pages::page(200, "message.html", brand::name(), ctx)
}

/// How long the hub waits for a client's back-channel logout URI, in milliseconds.
pub const BACKCHANNEL_TIMEOUT_MS: u64 = 2_000;

/// Ends hub session `id` and the sessions it replaced ([`super::store::Store::revoke_session`]),
/// then tells the clients that registered a back-channel logout URI and were given tokens for
/// one of them, with a logout token each, all at once. A client that cannot be told is logged
/// and does not hold up the sign-out: the session has ended at the hub either way.
pub async fn end_session(hub: &Hub, id: &str) -> Result<()> {
    let ended = hub.store.revoke_session(id, hub.now).await?;
    let targets = hub.store.logout_targets(&ended).await?;
    if targets.is_empty() {
        return Ok(());
    }
    let keys = match hub.keys() {
        Ok(keys) => keys,
        Err(err) => {
            worker::console_error!("hub: no key to sign logout tokens with: {err}");
            return Ok(());
        }
    };
    let sends = targets.iter().map(|target| {
        let signed = random_id(16).map_err(|e| e.to_string()).and_then(|jti| {
            let claims = oidc::logout_token_claims(
                &hub.issuer,
                &target.client_id,
                &target.user_id,
                &target.session_id,
                hub.now as i64,
                &jti,
            );
            token::sign_claims(&claims, token::LOGOUT_TOKEN_TYPE, keys.current())
                .map_err(|e| e.to_string())
        });
        async move {
            let delivered = match signed {
                Ok(logout_token) => deliver_logout(&target.uri, &logout_token).await,
                Err(err) => Err(err),
            };
            if let Err(err) = delivered {
                worker::console_error!(
                    "hub: back-channel logout of client {} not delivered: {err}",
                    target.client_id
                );
            }
        }
    });
    futures_util::future::join_all(sends).await;
    Ok(())
}

/// Posts `logout_token` to a client's back-channel logout URI; `Err` says what went wrong.
async fn deliver_logout(uri: &str, logout_token: &str) -> std::result::Result<(), String> {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("logout_token", logout_token)
        .finish();
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded").map_err(|e| e.to_string())?;
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post).with_headers(headers).with_body(Some(body.into()));
    let req = Request::new_with_init(uri, &init).map_err(|e| e.to_string())?;
    match crate::common::fetch::with_timeout(req, BACKCHANNEL_TIMEOUT_MS).await {
        Some(resp) if resp.status_code() == 200 || resp.status_code() == 204 => Ok(()),
        Some(resp) => Err(format!("answered {}", resp.status_code())),
        None => Err(format!("no answer within {BACKCHANNEL_TIMEOUT_MS} ms")),
    }
}

/// Verifies an `id_token_hint` (signature, issuer, type; an expired hint is still accepted)
/// and returns its audience and `sid`.
fn verify_hint(hub: &Hub, hint: &str) -> std::result::Result<(String, Option<String>), Error> {
    let keys = hub.keys().map_err(|e| Error::new(ErrorKind::KeySetInvalid, e))?;
    let key_set = keys
        .key_set()
        .ok_or_else(|| Error::new(ErrorKind::KeySetInvalid, "the hub's keys do not parse"))?;
    let payload = peek_payload(hint)
        .ok_or_else(|| Error::new(ErrorKind::TokenMalformed, "id_token_hint is not a JWT"))?;
    let audience = peek_audience(&payload).unwrap_or_default();
    // Verify as of a moment inside the token's lifetime: a hint may have expired long ago.
    let exp = payload.get("exp").and_then(Value::as_i64).unwrap_or(0);
    let at = (hub.now as i64).min(exp);
    let expect = Expectations {
        token_type: ID_TOKEN_TYPE.to_string(),
        ..Expectations::new(hub.issuer.clone(), audience.clone())
    };
    let claims = token::verify(hint, &key_set, &expect, at)?;
    Ok((audience, claims.session_id().map(str::to_owned)))
}
