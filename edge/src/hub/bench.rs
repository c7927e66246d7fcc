//! `GET /.hub/bench?m=&t=&p=&n=`: measures, inside the runtime serving the hub, what one
//! Argon2id password verification and one token signature and verification cost. Answers 404
//! unless the variable `HUB_BENCH` is `1` (development only: it burns CPU on request).
//!
//! Figures measured with this Worker's release build in `wrangler dev` (workerd, one core of a
//! shared 2-core machine; local workerd advances the clock during CPU work):
//!
//! | what | ms per operation |
//! |---|---|
//! | Argon2id m=19456 KiB, t=2, p=1 (chosen, OWASP's minimum) | 35 to 56 |
//! | Argon2id m=12288 KiB, t=3, p=1 | 45 to 51 |
//! | Argon2id m=47104 KiB, t=1, p=1 | 63 to 81 |
//! | Argon2id m=65536 KiB, t=3, p=1 (RFC 9106's second choice) | 200 to 260 |
//! | Argon2id m=4096 KiB, t=2, p=1 (the demo modules' cost) | 5 to 6 |
//! | EdDSA sign one hub token (jsonwebtoken, pure Rust) | 0.08 to 0.28 |
//! | EdDSA verify one hub token | 0.09 to 0.37 |
//!
//! The budget is 100 ms of CPU per password check (a Workers paid plan allows 30 s per request;
//! the free plan's 10 ms fits no safe Argon2id cost at all), so the chosen cost leaves room on a
//! busy machine while meeting OWASP's floor for Argon2id.

use onegate_core::token::{self, Expectations, HubClaims};
use serde_json::json;
use worker::{Date, Response, Result, Url};

use super::Hub;
use super::password;
use crate::common::vars;

fn ms_since(start: u64, n: u32) -> f64 {
    (Date::now().as_millis().saturating_sub(start)) as f64 / f64::from(n.max(1))
}

/// Runs the measurements and answers JSON.
pub fn run(hub: &Hub, url: &Url) -> Result<Response> {
    if vars::var(&hub.env, "HUB_BENCH").as_deref() != Some("1") {
        return Response::error("not found", 404);
    }
    let param = |name: &str, default: u32| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<u32>().ok())
            .unwrap_or(default)
    };
    let cost = (param("m", password::COST.0), param("t", password::COST.1), param("p", 1));
    let n = param("n", 5).clamp(1, 50);

    let start = Date::now().as_millis();
    let mut hash = None;
    for i in 0..n {
        hash = password::hash_with_salt("bench password", &[i as u8; 16], cost);
    }
    let argon_ms = ms_since(start, n);
    let Some(hash) = hash else {
        return Response::error("these Argon2 parameters are invalid", 400);
    };
    let start = Date::now().as_millis();
    let ok = password::verify("bench password", Some(&hash));
    let verify_ms = ms_since(start, 1);

    let keys = match hub.keys() {
        Ok(keys) => keys,
        Err(problem) => return Response::error(problem, 503),
    };
    let claims = HubClaims {
        issuer: hub.issuer.clone(),
        subject: "u_bench".into(),
        audience: vec!["psa".into()],
        expires_at: (hub.now + 300) as i64,
        issued_at: hub.now as i64,
        not_before: None,
        email: Some("bench@acme.test".into()),
        email_verified: true,
        name: Some("Bench".into()),
        groups: vec!["Technicians".into()],
        entitlements: vec!["psa".into(), "rmm".into()],
        tenant_id: Some("t_acme".into()),
        session_id: Some("s_bench".into()),
    };
    let rounds = n * 20;
    let start = Date::now().as_millis();
    let mut signed = String::new();
    for _ in 0..rounds {
        signed = token::sign(&claims, keys.current()).unwrap_or_default();
    }
    let sign_ms = ms_since(start, rounds);
    let Some(set) = keys.key_set() else {
        return Response::error("the JWKS does not parse", 503);
    };
    let expect = Expectations::new(hub.issuer.clone(), "psa");
    let start = Date::now().as_millis();
    let mut verified = false;
    for _ in 0..rounds {
        verified = token::verify(&signed, &set, &expect, hub.now as i64).is_ok();
    }
    let token_verify_ms = ms_since(start, rounds);

    Response::from_json(&json!({
        "argon2id": { "m_kib": cost.0, "t": cost.1, "p": cost.2, "runs": n,
                      "hash_ms": argon_ms, "verify_ms": verify_ms, "verified": ok },
        "eddsa": { "runs": rounds, "sign_ms": sign_ms, "verify_ms": token_verify_ms,
                   "verified": verified },
    }))
}
