//! The hub token's claim set: what the hub signs ([`HubClaims`]) and what a gate gets back once
//! a token has passed every check ([`VerifiedClaims`]).

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::{Expectations, SignatureAlgorithm, quoted};
use crate::{Error, ErrorKind, Result};

/// Claims the core reads itself; everything else lands in [`VerifiedClaims::extra`].
const KNOWN: [&str; 13] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "nbf",
    "iat",
    "email",
    "email_verified",
    "name",
    "groups",
    "entitlements",
    "tid",
    "sid",
];

/// The claims the hub signs into a token for one module. Built by the hub, signed with
/// [`sign`](super::sign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HubClaims {
    /// `iss`: the hub's issuer URL, which every gate compares exactly.
    #[serde(rename = "iss")]
    pub issuer: String,
    /// `sub`: the hub user's stable id.
    #[serde(rename = "sub")]
    pub subject: String,
    /// `aud`: the client ids of the modules the token is for (one string when there is one).
    #[serde(rename = "aud", serialize_with = "one_or_many")]
    pub audience: Vec<String>,
    /// `exp`: expiry, unix seconds.
    #[serde(rename = "exp")]
    pub expires_at: i64,
    /// `iat`: issue time, unix seconds.
    #[serde(rename = "iat")]
    pub issued_at: i64,
    /// `nbf`: not valid before, unix seconds; omitted when `None`.
    #[serde(rename = "nbf", skip_serializing_if = "Option::is_none")]
    pub not_before: Option<i64>,
    /// `email`: the user's email address; omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `email_verified`: whether the hub verified [`HubClaims::email`].
    pub email_verified: bool,
    /// `name`: the user's display name; omitted when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `groups`: the names of the user's hub groups, for access-group resolution.
    pub groups: Vec<String>,
    /// `entitlements`: the client ids of the modules the user may open (the launcher's menu).
    pub entitlements: Vec<String>,
    /// `tid`: the tenant's id; omitted when `None`.
    #[serde(rename = "tid", skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// `sid`: the hub session's id, for sign-out; omitted when `None`.
    #[serde(rename = "sid", skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

fn one_or_many<S: Serializer>(values: &[String], s: S) -> std::result::Result<S::Ok, S::Error> {
    match values {
        [one] => one.serialize(s),
        many => many.serialize(s),
    }
}

/// The claims of a token that passed every check, with the key that verified it.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedClaims {
    subject: String,
    email: Option<String>,
    email_verified: bool,
    name: Option<String>,
    groups: Vec<String>,
    entitlements: Vec<String>,
    tenant_id: Option<String>,
    session_id: Option<String>,
    expires_at: i64,
    issued_at: Option<i64>,
    kid: String,
    algorithm: SignatureAlgorithm,
    extra: Map<String, Value>,
}

impl VerifiedClaims {
    /// `sub`: the hub user's stable id (never empty).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// `email`, if the token has one.
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// `email_verified`; false when absent.
    pub fn email_verified(&self) -> bool {
        self.email_verified
    }

    /// `name`, if the token has one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// `groups`: the user's hub group names; empty when absent.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// `entitlements`: the client ids of the modules the user may open; empty when absent.
    pub fn entitlements(&self) -> &[String] {
        &self.entitlements
    }

    /// `tid`: the tenant's id, if the token has one.
    pub fn tenant_id(&self) -> Option<&str> {
        self.tenant_id.as_deref()
    }

    /// `sid`: the hub session's id, if the token has one.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    /// `exp`, unix seconds.
    pub fn expires_at(&self) -> i64 {
        self.expires_at
    }

    /// `iat`, unix seconds, if the token has one.
    pub fn issued_at(&self) -> Option<i64> {
        self.issued_at
    }

    /// The `kid` of the key that verified the signature.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The algorithm pinned for that key.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        self.algorithm
    }

    /// Every claim the core does not read itself (`jti`, custom claims), unchecked.
    pub fn extra(&self) -> &Map<String, Value> {
        &self.extra
    }
}

/// Checks the claims of a token whose signature verified, in order: `iss`, `aud`, `exp`,
/// `nbf`, `iat`, `sub`; then reads the rest of the claim set.
pub(crate) fn check(
    mut claims: Map<String, Value>,
    expect: &Expectations,
    now: i64,
    kid: &str,
    algorithm: SignatureAlgorithm,
) -> Result<VerifiedClaims> {
    let leeway = i64::from(expect.leeway_secs.min(super::MAX_LEEWAY_SECS));
    issuer_and_audience(&claims, expect)?;

    let expires_at = numeric_date(&claims, "exp")?.ok_or_else(|| missing("exp"))?;
    if now > expires_at.saturating_add(leeway) {
        return Err(Error::new(
            ErrorKind::TokenExpired,
            format!("token expired {} seconds ago", now.saturating_sub(expires_at)),
        ));
    }

    if let Some(not_before) = numeric_date(&claims, "nbf")?
        && not_before > now.saturating_add(leeway)
    {
        return Err(Error::new(
            ErrorKind::TokenNotYetValid,
            format!("token is not valid for another {} seconds", not_before.saturating_sub(now)),
        ));
    }

    let issued_at = numeric_date(&claims, "iat")?;
    if let Some(issued_at) = issued_at
        && issued_at > now.saturating_add(leeway)
    {
        return Err(Error::new(
            ErrorKind::TokenNotYetValid,
            format!("token was issued {} seconds in the future", issued_at.saturating_sub(now)),
        ));
    }

    let subject =
        string(&claims, "sub")?.filter(|it| !it.is_empty()).ok_or_else(|| missing("sub"))?;

    let tenant_id = string(&claims, "tid")?;
    if let Some(tenant) = &expect.tenant
        && tenant_id != Some(tenant.as_str())
    {
        return Err(Error::new(
            ErrorKind::TokenTenantMismatch,
            "the sign-in is for another tenant; sign in to this tenant's hub",
        ));
    }

    if let Some(nonce) = &expect.nonce
        && string(&claims, "nonce")? != Some(nonce.as_str())
    {
        return Err(Error::new(
            ErrorKind::TokenNonceMismatch,
            "the sign-in does not belong to this browser's login; start again",
        ));
    }

    let mut verified = VerifiedClaims {
        subject: subject.to_owned(),
        email: string(&claims, "email")?.map(str::to_owned),
        email_verified: boolean(&claims, "email_verified")?.unwrap_or(false),
        name: string(&claims, "name")?.map(str::to_owned),
        groups: list(&claims, "groups")?,
        entitlements: list(&claims, "entitlements")?,
        tenant_id: tenant_id.map(str::to_owned),
        session_id: string(&claims, "sid")?.map(str::to_owned),
        expires_at,
        issued_at,
        kid: kid.to_owned(),
        algorithm,
        extra: Map::new(),
    };
    for name in KNOWN {
        claims.remove(name);
    }
    verified.extra = claims;
    Ok(verified)
}

/// `iss` exactly the hub, `aud` (a string or a list) naming the module.
fn issuer_and_audience(claims: &Map<String, Value>, expect: &Expectations) -> Result<()> {
    let issuer = string(claims, "iss")?.ok_or_else(|| missing("iss"))?;
    if issuer != expect.issuer {
        return Err(Error::new(
            ErrorKind::TokenIssuerMismatch,
            format!("token issuer {} is not the hub {}", quoted(issuer), quoted(&expect.issuer)),
        ));
    }
    let audience = strings(claims, "aud")?.ok_or_else(|| missing("aud"))?;
    if !audience.iter().any(|it| *it == expect.audience) {
        return Err(Error::new(
            ErrorKind::TokenAudienceMismatch,
            format!("token is not meant for module {}", quoted(&expect.audience)),
        ));
    }
    Ok(())
}

/// The `events` member that makes a JWT a logout token (OpenID Connect Back-Channel Logout 1.0).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// How old a logout token may be (its `iat`) and still be acted on, in seconds.
pub const MAX_LOGOUT_TOKEN_AGE_SECS: i64 = 300;

/// What a verified logout token says ended: a hub session (`sid`), every session of a hub user
/// (`sub` alone), or that user's one session (both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutClaims {
    /// The hub user, when the token names one.
    pub subject: Option<String>,
    /// The hub session, when the token names one.
    pub session_id: Option<String>,
    /// When the hub issued the token (unix seconds).
    pub issued_at: i64,
    /// The token's id.
    pub jti: String,
}

/// Checks the claims of a logout token whose signature verified (Back-Channel Logout 1.0,
/// section 2.6): `iss`, `aud`; `iat` present, not in the future and at most
/// [`MAX_LOGOUT_TOKEN_AGE_SECS`] old; `exp`, when present, not passed; `jti` present; the
/// back-channel logout event; `sub`, `sid` or both; and no `nonce`, so no ID token passes.
pub(crate) fn check_logout(
    claims: &Map<String, Value>,
    expect: &Expectations,
    now: i64,
) -> Result<LogoutClaims> {
    let leeway = i64::from(expect.leeway_secs.min(super::MAX_LEEWAY_SECS));
    issuer_and_audience(claims, expect)?;

    let issued_at = numeric_date(claims, "iat")?.ok_or_else(|| missing("iat"))?;
    if issued_at > now.saturating_add(leeway) {
        return Err(Error::new(
            ErrorKind::TokenNotYetValid,
            format!("token was issued {} seconds in the future", issued_at.saturating_sub(now)),
        ));
    }
    let age = now.saturating_sub(issued_at);
    if age > MAX_LOGOUT_TOKEN_AGE_SECS.saturating_add(leeway) {
        return Err(Error::new(
            ErrorKind::TokenExpired,
            format!(
                "logout token was issued {age} seconds ago; logout tokens are acted on for \
                 {MAX_LOGOUT_TOKEN_AGE_SECS} seconds"
            ),
        ));
    }
    if let Some(expires_at) = numeric_date(claims, "exp")?
        && now > expires_at.saturating_add(leeway)
    {
        return Err(Error::new(
            ErrorKind::TokenExpired,
            format!("token expired {} seconds ago", now.saturating_sub(expires_at)),
        ));
    }
    let jti = string(claims, "jti")?.filter(|it| !it.is_empty()).ok_or_else(|| missing("jti"))?;

    let event = claims
        .get("events")
        .and_then(Value::as_object)
        .and_then(|events| events.get(BACKCHANNEL_LOGOUT_EVENT));
    if !event.is_some_and(Value::is_object) {
        return Err(Error::new(
            ErrorKind::LogoutTokenInvalid,
            "token is not a logout token: its events claim has no back-channel logout event",
        ));
    }
    if claims.contains_key("nonce") {
        return Err(Error::new(
            ErrorKind::LogoutTokenInvalid,
            "a logout token carries no nonce; this looks like an ID token",
        ));
    }
    let subject = string(claims, "sub")?.filter(|it| !it.is_empty()).map(str::to_owned);
    let session_id = string(claims, "sid")?.filter(|it| !it.is_empty()).map(str::to_owned);
    if subject.is_none() && session_id.is_none() {
        return Err(Error::new(
            ErrorKind::LogoutTokenInvalid,
            "a logout token names a sub, a sid or both; this one names neither",
        ));
    }
    Ok(LogoutClaims { subject, session_id, issued_at, jti: jti.to_owned() })
}

fn missing(name: &str) -> Error {
    Error::new(ErrorKind::TokenClaimMissing, format!("token has no {name} claim"))
}

fn wrong_type(name: &str, expected: &str) -> Error {
    Error::new(ErrorKind::TokenMalformed, format!("token claim {name} is not {expected}"))
}

fn string<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(it)) => Ok(Some(it)),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

fn boolean(claims: &Map<String, Value>, name: &str) -> Result<Option<bool>> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(it)) => Ok(Some(*it)),
        Some(_) => Err(wrong_type(name, "true or false")),
    }
}

/// A string or a list of strings (the two shapes of `aud`).
fn strings<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<Option<Vec<&'a str>>> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(it)) => Ok(Some(vec![it.as_str()])),
        Some(Value::Array(items)) => items
            .iter()
            .map(|it| it.as_str().ok_or_else(|| wrong_type(name, "a string or a list of strings")))
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(wrong_type(name, "a string or a list of strings")),
    }
}

fn list(claims: &Map<String, Value>, name: &str) -> Result<Vec<String>> {
    match claims.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|it| {
                it.as_str().map(str::to_owned).ok_or_else(|| wrong_type(name, "a list of strings"))
            })
            .collect(),
        Some(_) => Err(wrong_type(name, "a list of strings")),
    }
}

/// A NumericDate (RFC 7519): seconds since the epoch, possibly fractional, floored.
fn numeric_date(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>> {
    let Some(value) = claims.get(name).filter(|it| !it.is_null()) else {
        return Ok(None);
    };
    if let Some(seconds) = value.as_i64() {
        return Ok(Some(seconds));
    }

    // Beyond +-2^53 a float no longer holds whole seconds; no real date lies there.
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    match value.as_f64() {
        Some(seconds) if seconds.is_finite() && seconds.abs() < LIMIT => {
            Ok(Some(seconds.floor() as i64))
        }
        _ => Err(wrong_type(name, "a number of seconds")),
    }
}
