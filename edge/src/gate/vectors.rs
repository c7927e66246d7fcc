//! `POST /.onegate/dev/signatures`: the gate's signature step (WebCrypto, core where WebCrypto
//! declines) run over a batch of test vectors, so the end-to-end suite can hold the runtime's
//! crypto to the same Wycheproof vectors that core's own path passes natively. Development only
//! (`GATE_DEV_TOKENS=on`), like the token route.
//!
//! The body is `{"cases": [{"jwk": {...}, "message": "<b64url>", "signature": "<b64url>"}]}`;
//! the answer lists, per case, `true` (verified), `false` (refused) or the error code of a key
//! that the key set would not accept, and how many cases WebCrypto itself answered (the rest
//! fell back to core), so the suite can tell that the runtime's crypto was what it tested.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::cell::Cell;

use onegate_core::token::{KeySet, SignatureAlgorithm, SignatureCheck};
use serde::Deserialize;
use serde_json::{Value, json};
use worker::{Request, Response, Result};

use super::webcrypto::WebCrypto;
use super::{Answer, Cx};
use crate::common::vars;

/// The largest batch accepted, in bytes.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// The most cases in one batch.
const MAX_CASES: usize = 2_000;

#[derive(Deserialize)]
struct Batch {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    jwk: serde_json::Map<String, Value>,
    message: String,
    signature: String,
}

/// Handles the route.
pub async fn handle(mut req: Request, cx: &Cx<'_>) -> Result<Answer> {
    if vars::var(cx.env, "GATE_DEV_TOKENS").as_deref() != Some("on") {
        return problem(404, "development routes are off on this gate");
    }
    let body = req.bytes().await.unwrap_or_default();
    if body.len() > MAX_BODY_BYTES {
        return problem(413, "a batch may be at most 4 MiB");
    }
    let batch: Batch = match serde_json::from_slice(&body) {
        Ok(batch) => batch,
        Err(err) => return problem(400, &format!("the batch is not {{\"cases\": [...]}}: {err}")),
    };
    if batch.cases.len() > MAX_CASES {
        return problem(413, &format!("a batch may hold at most {MAX_CASES} cases"));
    }

    let counted = Counted { answered: Cell::new(0) };
    let mut results = Vec::with_capacity(batch.cases.len());
    for case in batch.cases {
        results.push(check(case, &counted).await);
    }
    let body = json!({ "results": results, "webcrypto_answered": counted.answered.get() });
    let resp = Response::from_json(&body)?;
    Ok(Answer::new(resp, "dev_signatures"))
}

/// [`WebCrypto`], counting the checks it answered itself.
struct Counted {
    answered: Cell<usize>,
}

impl SignatureCheck for Counted {
    async fn check(
        &self,
        alg: SignatureAlgorithm,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        let answer = WebCrypto.check(alg, public_key, message, signature).await;
        if answer.is_some() {
            self.answered.set(self.answered.get() + 1);
        }
        answer
    }
}

/// One case: its key as the only member of a JWKS (kid `k`), then the signature step.
async fn check(case: Case, signatures: &Counted) -> Value {
    let Some(message) = URL_SAFE_NO_PAD.decode(&case.message).ok() else {
        return json!("message_not_base64url");
    };
    let mut jwk = case.jwk;
    jwk.insert("kid".into(), json!("k"));
    let jwks = json!({ "keys": [jwk] }).to_string();
    let keys = match KeySet::from_jwks_json(&jwks) {
        Ok(keys) if keys.contains("k") => keys,
        Ok(_) => return json!("key_set_aside"),
        Err(err) => return json!(err.code()),
    };
    json!(keys.verify_signature_with("k", &message, &case.signature, signatures).await.is_ok())
}

fn problem(status: u16, message: &str) -> Result<Answer> {
    let body = json!({ "error": { "code": "bad_batch", "message": message } });
    Ok(Answer::new(Response::from_json(&body)?.with_status(status), "dev_signatures_refused"))
}
