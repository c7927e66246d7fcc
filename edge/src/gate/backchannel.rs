//! OpenID Connect Back-Channel Logout 1.0, for a gate whose tenant trusts an external hub
//! (`gate_hubs.jwks_url`). When a user signs out there, the hub posts a logout token to
//! `POST /.onegate/backchannel-logout` on each module it signed the user in to. The gate checks
//! it with core (`token::verify_logout_with`: type, signature with the hub's cached keys,
//! issuer, audience, age, the logout event) and records what ended in `gate_hub_logouts`: one
//! hub session (`sid`), or every session of the hub user started before the token (`sub`
//! alone). The gate's sessions from that hub are checked against those rows ([`session_ended`])
//! as sessions from the Worker's own hub are checked against `hub_sessions`.
//!
//! The Worker's own hub needs none of this (its sign-outs are in the same D1), so on its modules
//! the route answers 404.

use onegate_core::token::{self, Expectations, LogoutClaims, MAX_LOGOUT_TOKEN_AGE_SECS};
use serde_json::json;
use worker::wasm_bindgen::JsValue;
use worker::{Request, Response, Result};

use super::keys::{self, KeySource};
use super::session::{GateSession, SESSION_SECS};
use super::webcrypto::WebCrypto;
use super::{Answer, Cx};

/// The largest request body taken, in bytes (a logout token is well under 2 KiB).
const MAX_BODY_BYTES: usize = 16 * 1024;

/// `POST /.onegate/backchannel-logout` (form `logout_token`): 200 when the sign-out is
/// recorded; a JSON 4xx saying why not (`invalid_request`, as the specification asks), and 503
/// when the gate's database cannot record it (the hub may send it again).
pub async fn receive(mut req: Request, cx: &Cx<'_>) -> Result<Answer> {
    let Some(url) = cx.gm.jwks_url.clone() else {
        return refuse(
            404,
            "not_external_hub",
            "this module's gate trusts the Worker's own hub, whose sign-outs it sees directly; it \
             takes no logout tokens",
        );
    };
    let body = req.bytes().await.unwrap_or_default();
    if body.len() > MAX_BODY_BYTES {
        return refuse(413, "too_large", "the request is larger than a logout token can be");
    }
    let form_type = req.headers().get("Content-Type")?.unwrap_or_default();
    if !form_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return refuse(
            415,
            "not_a_form",
            "send the logout token as application/x-www-form-urlencoded, field logout_token",
        );
    }
    let Some(logout_token) = form_urlencoded::parse(&body)
        .find(|(key, _)| key == "logout_token")
        .map(|(_, value)| value.into_owned())
    else {
        return refuse(400, "logout_token_missing", "the form has no logout_token field");
    };

    let source = KeySource::Remote(url);
    let expect = Expectations::new(cx.hub.clone(), cx.gm.module.id.clone());
    let verified = match keys::key_set_for(cx.env, &source, &logout_token, cx.now).await {
        Ok(keys) => {
            token::verify_logout_with(&logout_token, &keys, &expect, cx.now, &WebCrypto).await
        }
        Err(err) => Err(err),
    };
    let claims = match verified {
        Ok(claims) => claims,
        Err(err) => {
            cx.audit("backchannel_logout", "refused", err.code()).await;
            return refuse(400, err.code(), err.message());
        }
    };
    if record(cx, &claims).await.is_err() {
        return refuse(503, "db_unavailable", "the sign-out could not be recorded; send it again");
    }
    super::forget_session_checks();
    cx.audit(
        "backchannel_logout",
        "accepted",
        if claims.session_id.is_some() { "sid" } else { "sub" },
    )
    .await;
    let mut response = Response::empty()?;
    response.headers_mut().set("Cache-Control", "no-store")?;
    Ok(Answer::new(response, "backchannel_logout"))
}

/// Stores what ended, and drops rows older than any session they could still end.
async fn record(cx: &Cx<'_>, claims: &LogoutClaims) -> Result<()> {
    let db = cx.env.d1("DB")?;
    let text = |it: &str| JsValue::from_str(it);
    let optional = |it: &Option<String>| it.as_deref().map_or(JsValue::NULL, JsValue::from_str);
    let insert = db
        .prepare(
            "INSERT INTO gate_hub_logouts (tenant_id, module_id, jti, sid, sub, at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
        )
        .bind(&[
            text(&cx.gm.tenant_id),
            text(&cx.gm.module.id),
            text(&claims.jti),
            optional(&claims.session_id),
            optional(&claims.subject),
            JsValue::from_f64(claims.issued_at as f64),
        ])?;
    let horizon = cx.now - i64::from(SESSION_SECS) - MAX_LOGOUT_TOKEN_AGE_SECS;
    let prune = db
        .prepare("DELETE FROM gate_hub_logouts WHERE tenant_id = ?1 AND module_id = ?2 AND at < ?3")
        .bind(&[
            text(&cx.gm.tenant_id),
            text(&cx.gm.module.id),
            JsValue::from_f64(horizon as f64),
        ])?;
    db.batch(vec![insert, prune]).await?;
    Ok(())
}

/// True when the external hub said `session` ended: its `sid` was logged out, or its hub
/// user's sessions up to a moment after this one started. Fails closed when D1 cannot answer.
pub async fn session_ended(cx: &Cx<'_>, session: &GateSession) -> bool {
    let started = session.exp - i64::from(SESSION_SECS);
    let key = format!(
        "ext\u{0}{}\u{0}{}\u{0}{}",
        session.sid.as_deref().unwrap_or_default(),
        session.sub.as_deref().unwrap_or_default(),
        started
    );
    super::checked(cx, &key, || async {
        let optional = |it: &Option<String>| it.as_deref().map_or(JsValue::NULL, JsValue::from_str);
        let row = cx
            .env
            .d1("DB")?
            .prepare(
                "SELECT 1 AS ended FROM gate_hub_logouts WHERE tenant_id = ?1 AND module_id = ?2 \
                 AND (sid = ?3 OR (sid IS NULL AND sub = ?4 AND at >= ?5)) LIMIT 1",
            )
            .bind(&[
                JsValue::from_str(&cx.gm.tenant_id),
                JsValue::from_str(&cx.gm.module.id),
                optional(&session.sid),
                optional(&session.sub),
                JsValue::from_f64(started as f64),
            ])?
            .first::<serde_json::Value>(None)
            .await?;
        Ok(row.is_some())
    })
    .await
}

fn refuse(status: u16, code: &str, message: &str) -> Result<Answer> {
    let body = json!({ "error": "invalid_request", "error_description": message, "code": code });
    let mut response = Response::from_json(&body)?.with_status(status);
    response.headers_mut().set("Cache-Control", "no-store")?;
    Ok(Answer::new(response, format!("backchannel_logout_refused:{code}")))
}
