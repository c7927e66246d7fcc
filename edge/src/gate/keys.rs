//! The hub's public keys: fetched from the hub's JWKS, cached, and used to verify hub tokens.
//!
//! Two sources:
//!
//! - **This Worker's own hub** (the tenant has no `gate_hubs.jwks_url`): the keys come from the
//!   same `HUB_SIGNING_KEYS` the hub signs with, turned into a JWKS by core in-process. This
//!   is the hub's published JWKS without a network round trip (a Worker fetching its own host
//!   is not guaranteed to reach itself in production).
//! - **An external hub** (`gate_hubs.jwks_url` set): fetched over HTTP and cached in the
//!   isolate's memory and in D1 (`gate_jwks_cache`, shared by every isolate). A document is
//!   fresh for [`TTL_SECS`]; an unknown `kid` or a stale document triggers a refetch, at most one
//!   per [`COOLDOWN_SECS`]; when the hub cannot be reached, the cached keys keep working for up
//!   to [`MAX_STALE_SECS`], and tokens signed by keys the cache does not hold fail closed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use onegate_core::token::{self, Expectations, KeySet, SigningKey, VerifiedClaims};
use onegate_core::{Error, ErrorKind};
use serde::Deserialize;
use worker::{Env, Method, Request, RequestInit, wasm_bindgen::JsValue};

use super::webcrypto::WebCrypto;
use crate::common::vars;

/// How long a fetched JWKS is used without asking the hub again.
pub const TTL_SECS: i64 = 300;
/// The least time between two fetches of one JWKS.
pub const COOLDOWN_SECS: i64 = 30;
/// How long cached keys keep working while the hub cannot be reached.
pub const MAX_STALE_SECS: i64 = 24 * 60 * 60;

/// Where the keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// This Worker's own hub (`HUB_SIGNING_KEYS`).
    OwnHub,
    /// An external hub's JWKS URL.
    Remote(String),
}

/// What the cache should do before verifying, given what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStep {
    /// Use the cached keys as they are.
    Use,
    /// Fetch the JWKS now; on failure use the cached keys if they are still usable.
    Refetch,
    /// Nothing usable is cached and the cooldown forbids a fetch: fail closed.
    FailClosed,
}

/// The cache policy, pure: `fetched_at` of the cached document (if any), when the last fetch
/// was tried (if ever), whether the token's `kid` is in the cached keys, and `now`.
pub fn cache_step(
    fetched_at: Option<i64>,
    last_attempt: Option<i64>,
    kid_known: bool,
    now: i64,
) -> CacheStep {
    let may_fetch = last_attempt.is_none_or(|at| now - at >= COOLDOWN_SECS);
    let usable = fetched_at.is_some_and(|at| now - at < MAX_STALE_SECS);
    let fresh = fetched_at.is_some_and(|at| now - at < TTL_SECS);

    if fresh && kid_known {
        return CacheStep::Use;
    }
    if may_fetch {
        return CacheStep::Refetch;
    }
    if usable && kid_known {
        return CacheStep::Use;
    }
    CacheStep::FailClosed
}

struct Cached {
    /// `None` until a fetch succeeded (the entry then only remembers the attempt).
    keys: Option<Rc<KeySet>>,
    fetched_at: i64,
    last_attempt: Option<i64>,
}

thread_local! {
    static REMOTE: RefCell<HashMap<String, Cached>> = RefCell::new(HashMap::new());
    static OWN: RefCell<Option<Rc<KeySet>>> = const { RefCell::new(None) };
}

/// Verifies `token` with the keys of `source`, fetching or refreshing them as the policy says.
pub async fn verify(
    env: &Env,
    source: &KeySource,
    token: &str,
    expect: &Expectations,
    now: i64,
) -> Result<VerifiedClaims, Error> {
    match source {
        KeySource::OwnHub => {
            let keys = own_keys(env)?;
            token::verify_with(token, &keys, expect, now, &WebCrypto).await
        }
        KeySource::Remote(url) => verify_remote(env, url, token, expect, now).await,
    }
}

/// The public JWKS of this Worker's hub keys (`HUB_SIGNING_KEYS`), as the hub publishes it.
pub fn own_jwks_json(config: &str) -> Result<String, Error> {
    #[derive(Deserialize)]
    struct Entry {
        kid: String,
        seed: String,
    }
    let entries: Vec<Entry> = serde_json::from_str(config).map_err(|_| {
        Error::new(ErrorKind::KeySetInvalid, "HUB_SIGNING_KEYS is not a json list of {kid, seed}")
    })?;
    let mut public = Vec::new();
    for entry in entries {
        let seed = hex32(&entry.seed).ok_or_else(|| {
            Error::new(ErrorKind::KeySetInvalid, "a HUB_SIGNING_KEYS seed is not 64 hex digits")
        })?;
        public.push(SigningKey::from_seed(&seed, &entry.kid)?.public_jwk());
    }
    token::jwks_json(&public)
}

/// The key set of `HUB_SIGNING_KEYS`, read and parsed once per isolate: a Worker's variables
/// are fixed for the life of its isolate (a new value comes with a new deployment, hence a new
/// isolate), so the variable is not read again on every token.
fn own_keys(env: &Env) -> Result<Rc<KeySet>, Error> {
    if let Some(keys) = OWN.with(|it| it.borrow().as_ref().map(Rc::clone)) {
        return Ok(keys);
    }
    let config = vars::var(env, "HUB_SIGNING_KEYS").unwrap_or_default();
    let keys = Rc::new(KeySet::from_jwks_json(&own_jwks_json(&config)?)?);
    OWN.with(|it| *it.borrow_mut() = Some(Rc::clone(&keys)));
    Ok(keys)
}

async fn verify_remote(
    env: &Env,
    url: &str,
    token: &str,
    expect: &Expectations,
    now: i64,
) -> Result<VerifiedClaims, Error> {
    if !REMOTE.with(|it| it.borrow().contains_key(url)) {
        load_shared(env, url).await;
    }

    // The common case first: the cache may be used as it is if the token's key is in it, which
    // the verification itself finds out (no separate look at the header).
    let (fetched_at, last_attempt, cached) = snapshot(url);
    if let Some(keys) = cached
        && cache_step(fetched_at, last_attempt, true, now) == CacheStep::Use
    {
        let verified = token::verify_with(token, &keys, expect, now, &WebCrypto).await;
        if !matches!(&verified, Err(err) if err.kind() == ErrorKind::TokenKeyUnknown) {
            return verified;
        }
    }

    let keys = remote_keys(env, url, token, now).await?;
    token::verify_with(token, &keys, expect, now, &WebCrypto).await
}

/// The keys of `source` to check a JWT other than a hub token (a logout token) with, fetched or
/// refreshed for the `kid` of `token` as the cache policy says.
pub async fn key_set_for(
    env: &Env,
    source: &KeySource,
    token: &str,
    now: i64,
) -> Result<Rc<KeySet>, Error> {
    match source {
        KeySource::OwnHub => own_keys(env),
        KeySource::Remote(url) => {
            if !REMOTE.with(|it| it.borrow().contains_key(url)) {
                load_shared(env, url).await;
            }
            remote_keys(env, url, token, now).await
        }
    }
}

/// The cached keys of `url` after a refetch, if the policy asks for one for `token`'s `kid`;
/// an error when none are usable.
async fn remote_keys(env: &Env, url: &str, token: &str, now: i64) -> Result<Rc<KeySet>, Error> {
    let (fetched_at, last_attempt, cached) = snapshot(url);
    let kid = header_kid(token);
    let kid_known = cached.is_some_and(|k| k.contains(&kid));
    if cache_step(fetched_at, last_attempt, kid_known, now) == CacheStep::Refetch {
        refetch(env, url, now).await;
    }

    let keys = REMOTE.with(|it| {
        let cache = it.borrow();
        let usable = cache.get(url).filter(|c| now - c.fetched_at < MAX_STALE_SECS);
        usable.and_then(|c| c.keys.as_ref().map(Rc::clone))
    });
    keys.ok_or_else(|| {
        Error::new(
            ErrorKind::TokenKeyUnknown,
            "the hub's keys cannot be fetched right now and none are cached; try again later",
        )
    })
}

/// What the isolate holds for `url`: when the document was fetched, when a fetch was last
/// tried, and its keys.
fn snapshot(url: &str) -> (Option<i64>, Option<i64>, Option<Rc<KeySet>>) {
    REMOTE.with(|it| match it.borrow().get(url) {
        Some(c) => (Some(c.fetched_at), c.last_attempt, c.keys.as_ref().map(Rc::clone)),
        None => (None, None, None),
    })
}

/// Reads the shared cache row for `url` from D1 into the isolate's memory, unless memory holds
/// a newer document; the later of the two attempt times is kept.
async fn load_shared(env: &Env, url: &str) {
    #[derive(Deserialize)]
    struct Row {
        jwks_json: String,
        fetched_at: i64,
        last_attempt: Option<i64>,
    }
    let Ok(db) = env.d1("DB") else { return };
    let Ok(statement) = db
        .prepare(
            "SELECT jwks_json, fetched_at, last_attempt FROM gate_jwks_cache WHERE jwks_url = ?1",
        )
        .bind(&[JsValue::from_str(url)])
    else {
        return;
    };
    let Ok(Some(row)) = statement.first::<Row>(None).await else { return };
    let keys = KeySet::from_jwks_json(&row.jwks_json).ok().map(Rc::new);
    REMOTE.with(|it| {
        let mut cache = it.borrow_mut();
        let entry = cache.entry(url.to_owned()).or_insert_with(|| Cached {
            keys: None,
            fetched_at: NEVER,
            last_attempt: None,
        });
        entry.last_attempt = entry.last_attempt.max(row.last_attempt);
        if keys.is_some() && row.fetched_at > entry.fetched_at {
            entry.keys = keys;
            entry.fetched_at = row.fetched_at;
        }
    });
}

/// `fetched_at` of a cache entry that never held a document.
const NEVER: i64 = i64::MIN / 2;

/// How long a JWKS fetch may take before the hub counts as unreachable, in milliseconds.
pub const FETCH_TIMEOUT_MS: u64 = 3_000;

/// Fetches the JWKS if no isolate has tried within the cooldown; on success replaces the
/// cached keys in memory and in D1. Every attempt counts toward the cooldown, also one that
/// fails or brings a document that does not parse.
async fn refetch(env: &Env, url: &str, now: i64) {
    REMOTE.with(|it| {
        let mut cache = it.borrow_mut();
        let entry = cache.entry(url.to_owned()).or_insert_with(|| Cached {
            keys: None,
            fetched_at: NEVER,
            last_attempt: None,
        });
        entry.last_attempt = Some(now);
    });
    if !claim_attempt(env, url, now).await {
        // Another isolate tried within the cooldown: use what it stored.
        load_shared(env, url).await;
        return;
    }

    let Some(json) = fetch_jwks(url).await else { return };
    let Ok(keys) = KeySet::from_jwks_json(&json) else {
        worker::console_error!("gate: the hub's JWKS does not parse; keeping the cached keys");
        return;
    };
    REMOTE.with(|it| {
        it.borrow_mut().insert(
            url.to_owned(),
            Cached { keys: Some(Rc::new(keys)), fetched_at: now, last_attempt: Some(now) },
        )
    });

    let Ok(db) = env.d1("DB") else { return };
    let upsert = db
        .prepare(
            "INSERT INTO gate_jwks_cache (jwks_url, jwks_json, fetched_at, last_attempt) \
             VALUES (?1, ?2, ?3, ?3) \
             ON CONFLICT (jwks_url) DO UPDATE SET jwks_json = ?2, fetched_at = ?3",
        )
        .bind(&[JsValue::from_str(url), JsValue::from_str(&json), JsValue::from_f64(now as f64)]);
    if let Ok(upsert) = upsert {
        let _ = upsert.run().await;
    }
}

/// Claims the right to fetch `url` now in the shared cache: true unless another isolate tried
/// within [`COOLDOWN_SECS`]. When D1 cannot be asked the isolate's own cooldown still holds,
/// so it fetches.
async fn claim_attempt(env: &Env, url: &str, now: i64) -> bool {
    let Ok(db) = env.d1("DB") else { return true };
    let claim = db
        .prepare(
            "INSERT INTO gate_jwks_cache (jwks_url, jwks_json, fetched_at, last_attempt) \
             VALUES (?1, '', 0, ?2) \
             ON CONFLICT (jwks_url) DO UPDATE SET last_attempt = excluded.last_attempt \
             WHERE gate_jwks_cache.last_attempt IS NULL OR gate_jwks_cache.last_attempt <= ?3 \
             RETURNING jwks_url",
        )
        .bind(&[
            JsValue::from_str(url),
            JsValue::from_f64(now as f64),
            JsValue::from_f64((now - COOLDOWN_SECS) as f64),
        ]);
    let Ok(claim) = claim else { return true };
    match claim.first::<serde_json::Value>(None).await {
        Ok(row) => row.is_some(),
        Err(_) => true,
    }
}

/// The JWKS document at `url`, or `None` when the hub does not answer 200 within
/// [`FETCH_TIMEOUT_MS`] or answers more than core accepts.
async fn fetch_jwks(url: &str) -> Option<String> {
    let mut init = RequestInit::new();
    init.with_method(Method::Get);
    let req = Request::new_with_init(url, &init).ok()?;
    let mut resp = crate::common::fetch::with_timeout(req, FETCH_TIMEOUT_MS).await?;
    if resp.status_code() != 200 {
        return None;
    }
    let text = resp.text().await.ok()?;
    (text.len() <= token::MAX_JWKS_BYTES).then_some(text)
}

/// The `kid` of a token's header, or an empty string; only used to pick the cache step.
fn header_kid(token: &str) -> String {
    use base64::Engine;
    let Some(header) = token.split('.').next().filter(|it| it.len() <= 2048) else {
        return String::new();
    };
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header) else {
        return String::new();
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    value.get("kid").and_then(|it| it.as_str()).unwrap_or_default().to_owned()
}

fn hex32(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_policy_table() {
        let now = 10_000;
        let rows = [
            ("nothing_cached_fetches", None, None, false, CacheStep::Refetch),
            ("nothing_cached_in_cooldown_fails", None, Some(now - 5), false, CacheStep::FailClosed),
            ("fresh_known_kid_uses_cache", Some(now - 10), Some(now - 10), true, CacheStep::Use),
            (
                "fresh_unknown_kid_refetches",
                Some(now - 100),
                Some(now - 100),
                false,
                CacheStep::Refetch,
            ),
            (
                "unknown_kid_in_cooldown_fails_closed",
                Some(now - 10),
                Some(now - 10),
                false,
                CacheStep::FailClosed,
            ),
            (
                "stale_refetches",
                Some(now - TTL_SECS),
                Some(now - TTL_SECS),
                true,
                CacheStep::Refetch,
            ),
            (
                "stale_known_kid_in_cooldown_keeps_working",
                Some(now - TTL_SECS - 5),
                Some(now - 5),
                true,
                CacheStep::Use,
            ),
            (
                "too_stale_in_cooldown_fails_closed",
                Some(now - MAX_STALE_SECS),
                Some(now - 5),
                true,
                CacheStep::FailClosed,
            ),
        ];
        for (name, fetched_at, last_attempt, kid_known, expected) in rows {
            assert_eq!(
                cache_step(fetched_at, last_attempt, kid_known, now),
                expected,
                "row {name}"
            );
        }
    }

    #[test]
    fn own_jwks_lists_every_configured_key() {
        let config = concat!(
            r#"[{"kid":"a","seed":"#,
            r#""4b17a8f346ef3ecaedf8110ea888c123d887a3c9314c82bc104ee05d3a56add9"},"#,
            r#"{"kid":"b","seed":"#,
            r#""0000000000000000000000000000000000000000000000000000000000000001"}]"#
        );
        let json = own_jwks_json(config).unwrap_or_default();
        let keys = KeySet::from_jwks_json(&json).ok();
        assert!(keys.as_ref().is_some_and(|k| k.contains("a") && k.contains("b")), "{json}");
    }

    #[test]
    fn bad_key_configuration_is_an_error_not_a_panic() {
        for config in ["", "{}", r#"[{"kid":"a","seed":"zz"}]"#, r#"[{"kid":"a"}]"#] {
            let err = own_jwks_json(config).err().map(|it| it.kind());
            assert_eq!(err, Some(ErrorKind::KeySetInvalid), "config {config:?}");
        }
    }
}
