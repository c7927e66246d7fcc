//! `GET /.onegate/bench?case=&n=` on a module origin: runs one of the gate's real per-request
//! checks `n` times inside the Worker and answers the time per operation, so `cargo xtask bench`
//! can set it against a reference Worker written with `jose` in the same workerd.
//!
//! Answers 404 unless the variable `GATE_BENCH` is `on` (development only: it burns CPU on
//! request). Local workerd advances the clock during CPU work, so timing a loop inside one
//! request measures CPU time, not network time. Each case calls the production function itself:
//!
//! | case | function | input |
//! |---|---|---|
//! | `session` | [`super::current_session`] | the request's `onegate` cookie |
//! | `eddsa` | [`keys::verify`], own hub keys (`HUB_SIGNING_KEYS`) | header `X-Bench-Token` |
//! | `es256` | [`keys::verify`], the JWKS at `GATE_BENCH_JWKS_URL` | header `X-Bench-Token` |
//!
//! The first call (which may reach D1 or fetch the JWKS) is not timed.

use onegate_core::token::Expectations;
use serde_json::json;
use worker::{Date, Request, Response, Result};

use super::keys::{self, KeySource};
use super::{Answer, Cx, current_session};
use crate::common::vars;

/// The most iterations one request may ask for.
pub const MAX_ITERATIONS: u32 = 200_000;

/// Runs the case named by the query and answers `{case, n, ms, us_per_op}` as JSON.
pub async fn run(req: &Request, cx: &Cx<'_>) -> Result<Answer> {
    if vars::var(cx.env, "GATE_BENCH").as_deref() != Some("on") {
        return Ok(Answer::new(Response::error("not found", 404)?, "not_found"));
    }
    let param = |name: &str| {
        cx.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
    };
    let n = param("n").and_then(|it| it.parse::<u32>().ok()).unwrap_or(1000);
    let n = n.clamp(1, MAX_ITERATIONS);
    let case = param("case").unwrap_or_default();

    let timed = match case.as_str() {
        "session" => time_session(req, cx, n).await,
        "eddsa" | "es256" => {
            let token = req.headers().get("X-Bench-Token")?.unwrap_or_default();
            let source = if case == "eddsa" {
                KeySource::OwnHub
            } else {
                match vars::var(cx.env, "GATE_BENCH_JWKS_URL") {
                    Some(url) => KeySource::Remote(url),
                    None => return refuse("set GATE_BENCH_JWKS_URL for the es256 case", 400),
                }
            };
            time_token(cx, &source, &token, n).await
        }
        _ => return refuse("case must be session, eddsa or es256", 400),
    };
    match timed {
        Ok(ms) => {
            let body = json!({
                "case": case,
                "n": n,
                "ms": ms,
                "us_per_op": ms as f64 * 1000.0 / f64::from(n),
            });
            Ok(Answer::new(Response::from_json(&body)?, "bench"))
        }
        Err(message) => refuse(&message, 422),
    }
}

/// Times [`current_session`] `n` times; an error when the request carries no valid session.
async fn time_session(req: &Request, cx: &Cx<'_>, n: u32) -> std::result::Result<u64, String> {
    if current_session(req, cx).await.is_none() {
        return Err("the request carries no valid gate session cookie".into());
    }
    let start = Date::now().as_millis();
    let mut opened = 0u32;
    for _ in 0..n {
        opened += u32::from(current_session(req, cx).await.is_some());
    }
    let ms = Date::now().as_millis().saturating_sub(start);
    if opened != n {
        return Err(format!("only {opened} of {n} session checks passed"));
    }
    Ok(ms)
}

/// Times [`keys::verify`] of `token` `n` times; an error when the token does not verify.
async fn time_token(
    cx: &Cx<'_>,
    source: &KeySource,
    token: &str,
    n: u32,
) -> std::result::Result<u64, String> {
    let expect = Expectations::new(cx.hub.clone(), cx.gm.module.id.clone());
    if let Err(err) = keys::verify(cx.env, source, token, &expect, cx.now).await {
        return Err(format!("the token does not verify: {} ({})", err.message(), err.code()));
    }
    let start = Date::now().as_millis();
    let mut verified = 0u32;
    for _ in 0..n {
        verified += u32::from(keys::verify(cx.env, source, token, &expect, cx.now).await.is_ok());
    }
    let ms = Date::now().as_millis().saturating_sub(start);
    if verified != n {
        return Err(format!("only {verified} of {n} verifications passed"));
    }
    Ok(ms)
}

fn refuse(message: &str, status: u16) -> Result<Answer> {
    let body = json!({ "error": { "code": "bench", "message": message } });
    Ok(Answer::new(Response::from_json(&body)?.with_status(status), "bench_refused"))
}
