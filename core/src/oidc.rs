//! The hub's OpenID Connect provider rules: which authorization requests it accepts and which
//! code exchanges it honours.
//!
//! Only the authorization code flow with PKCE (`S256`) is offered. A redirect URI must equal one
//! the client registered, byte for byte (no prefix, no wildcard, no normalisation). A code is
//! single-use, short-lived, bound to the client, the redirect URI and the PKCE challenge it was
//! issued for. `prompt=login` and `max_age` make a user sign in again even with a hub session;
//! `prompt=none` never shows a page ([`session_use`]). A hub sign-out tells the clients that
//! registered a back-channel logout URI with a logout token ([`logout_token_claims`]). The edge
//! stores and fetches codes; these functions only decide.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{Error, ErrorKind, Result};

/// How long an authorization code may wait before it is exchanged, in seconds.
pub const CODE_LIFETIME_SECS: u64 = 60;

/// Longest `state` and `nonce` the hub stores and echoes.
pub const MAX_STATE_LEN: usize = 512;

/// A registered client (one per module: the client id is the module id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The client id.
    pub id: String,
    /// Redirect URIs, each compared exactly.
    pub redirect_uris: Vec<String>,
    /// Where the client may send the browser after sign-out, each compared exactly.
    pub post_logout_redirect_uris: Vec<String>,
}

/// The query of an `/oauth/authorize` request, as received (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizeParams {
    /// Must be `code`.
    pub response_type: Option<String>,
    /// The client (module) id.
    pub client_id: Option<String>,
    /// Must equal one of the client's registered redirect URIs.
    pub redirect_uri: Option<String>,
    /// Space-separated; must contain `openid`.
    pub scope: Option<String>,
    /// Opaque value echoed back unchanged; required.
    pub state: Option<String>,
    /// Echoed into the ID token; optional.
    pub nonce: Option<String>,
    /// BASE64URL(SHA-256(code_verifier)), 43 characters; required.
    pub code_challenge: Option<String>,
    /// Must be `S256`; required (the RFC 7636 default `plain` is refused).
    pub code_challenge_method: Option<String>,
    /// Space-separated: `none` asks for a silent answer (no sign-in page), `login` for a fresh
    /// sign-in even when a hub session exists; `consent` and `select_account` are accepted and
    /// change nothing (the modules are the vendor's own, and a browser has one hub session).
    pub prompt: Option<String>,
    /// The most seconds since the user last signed in that the client accepts; older sessions
    /// sign in again. Decimal digits.
    pub max_age: Option<String>,
}

/// What the client asked the hub to do about an existing hub session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// No `prompt`: use the hub session, or ask the user to sign in when there is none.
    IfNeeded,
    /// `prompt=none`: never show a page; answer `login_required` when the user must sign in.
    Silent,
    /// `prompt=login`: ask the user to sign in again even with a hub session.
    Login,
}

/// An authorization request the hub accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRequest {
    /// The client id.
    pub client_id: String,
    /// The exact registered redirect URI.
    pub redirect_uri: String,
    /// The requested scopes (always including `openid`).
    pub scope: String,
    /// The client's state, echoed exactly.
    pub state: String,
    /// The client's nonce, if any.
    pub nonce: Option<String>,
    /// The PKCE challenge (S256).
    pub code_challenge: String,
    /// What to do about an existing hub session.
    pub prompt: Prompt,
    /// The client's `max_age`, in seconds.
    pub max_age: Option<u64>,
}

/// What the authorization endpoint does with the browser's hub session, decided by
/// [`session_use`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionUse {
    /// Issue a code from the hub session.
    Issue,
    /// Send the user to the sign-in page, which then returns to the request without its
    /// `prompt` and `max_age` (the new session satisfies them).
    SignIn,
    /// Answer `login_required` at the client's redirect URI (`prompt=none`).
    LoginRequired,
}

/// Decides whether the hub session (signed in at `auth_time`, `None` without a session) may
/// answer `request` at `now`: not with `prompt=login`, and not when it is older than `max_age`
/// seconds. Otherwise the user signs in, unless the client asked for a silent answer.
pub fn session_use(request: &AuthorizeRequest, auth_time: Option<u64>, now: u64) -> SessionUse {
    let recent_enough = match (auth_time, request.max_age) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(at), Some(max_age)) => now.saturating_sub(at) <= max_age,
    };
    if recent_enough && request.prompt != Prompt::Login {
        return SessionUse::Issue;
    }

    if request.prompt == Prompt::Silent {
        return SessionUse::LoginRequired;
    }
    SessionUse::SignIn
}

/// Why an authorization request was refused, and whether the refusal may be sent back to the
/// client's redirect URI (only once the client and redirect URI are known to be genuine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRefusal {
    /// What is wrong, with a message for the person at the browser.
    pub error: Error,
    /// The OAuth error code (`invalid_request`, `unauthorized_client`, ...).
    pub oauth_error: &'static str,
    /// The verified redirect URI, when the refusal may be redirected there.
    pub redirect_uri: Option<String>,
}

/// Checks an authorization request against the client it names (`None`: unknown client).
///
/// The client id and redirect URI are checked first; a refusal before they pass is shown to the
/// user and never redirected, so an attacker cannot use the hub as an open redirector.
pub fn check_authorize(
    params: &AuthorizeParams,
    client: Option<&Client>,
) -> std::result::Result<AuthorizeRequest, AuthorizeRefusal> {
    let refuse =
        |kind, message: &str, oauth_error, redirect_uri: Option<&String>| AuthorizeRefusal {
            error: Error::new(kind, message),
            oauth_error,
            redirect_uri: redirect_uri.cloned(),
        };

    let Some(client_id) = params.client_id.as_deref().filter(|id| !id.is_empty()) else {
        return Err(refuse(
            ErrorKind::OidcClientUnknown,
            "the sign-in link has no client_id; open the module again and retry",
            "invalid_request",
            None,
        ));
    };
    let Some(client) = client.filter(|c| c.id == client_id) else {
        return Err(refuse(
            ErrorKind::OidcClientUnknown,
            &format!("no module is registered as client {client_id:?}"),
            "unauthorized_client",
            None,
        ));
    };

    let Some(redirect_uri) = params.redirect_uri.as_ref() else {
        return Err(refuse(
            ErrorKind::RedirectUriUnregistered,
            "the sign-in link has no redirect_uri",
            "invalid_request",
            None,
        ));
    };
    if !redirect_uri_registered(redirect_uri, &client.redirect_uris) {
        return Err(refuse(
            ErrorKind::RedirectUriUnregistered,
            &format!("redirect_uri {redirect_uri:?} is not registered for client {client_id:?}"),
            "invalid_request",
            None,
        ));
    }
    let back = Some(redirect_uri);

    if params.response_type.as_deref() != Some("code") {
        return Err(refuse(
            ErrorKind::OidcRequestInvalid,
            "only response_type=code is supported",
            "unsupported_response_type",
            back,
        ));
    }

    let scope = params.scope.clone().unwrap_or_default();
    if !scope.split(' ').any(|s| s == "openid") {
        return Err(refuse(
            ErrorKind::OidcRequestInvalid,
            "scope must include openid",
            "invalid_scope",
            back,
        ));
    }

    let Some(state) = params.state.as_ref().filter(|s| !s.is_empty()) else {
        return Err(refuse(
            ErrorKind::OidcRequestInvalid,
            "the sign-in link has no state; the module must send one",
            "invalid_request",
            back,
        ));
    };
    if state.len() > MAX_STATE_LEN {
        return Err(refuse(
            ErrorKind::OidcRequestInvalid,
            &format!("state is longer than {MAX_STATE_LEN} characters"),
            "invalid_request",
            back,
        ));
    }
    if params.nonce.as_ref().is_some_and(|n| n.len() > MAX_STATE_LEN) {
        return Err(refuse(
            ErrorKind::OidcRequestInvalid,
            &format!("nonce is longer than {MAX_STATE_LEN} characters"),
            "invalid_request",
            back,
        ));
    }

    let Some(challenge) = params.code_challenge.as_ref() else {
        return Err(refuse(
            ErrorKind::PkceRequired,
            "PKCE is required: send code_challenge with code_challenge_method=S256",
            "invalid_request",
            back,
        ));
    };
    if params.code_challenge_method.as_deref() != Some("S256") {
        return Err(refuse(
            ErrorKind::PkceRequired,
            "only code_challenge_method=S256 is supported",
            "invalid_request",
            back,
        ));
    }
    if !is_challenge(challenge) {
        return Err(refuse(
            ErrorKind::PkceRequired,
            "code_challenge must be 43 base64url characters (SHA-256 of the verifier)",
            "invalid_request",
            back,
        ));
    }

    let prompt = match parse_prompt(params.prompt.as_deref().unwrap_or_default()) {
        Ok(prompt) => prompt,
        Err(message) => {
            return Err(refuse(ErrorKind::OidcRequestInvalid, &message, "invalid_request", back));
        }
    };

    let max_age = match params.max_age.as_deref() {
        None => None,
        Some(text) => match text.parse::<u64>() {
            Ok(secs) if text.bytes().all(|b| b.is_ascii_digit()) => Some(secs),
            _ => {
                return Err(refuse(
                    ErrorKind::OidcRequestInvalid,
                    "max_age must be a whole number of seconds",
                    "invalid_request",
                    back,
                ));
            }
        },
    };

    Ok(AuthorizeRequest {
        client_id: client.id.clone(),
        redirect_uri: redirect_uri.clone(),
        scope,
        state: state.clone(),
        nonce: params.nonce.clone().filter(|n| !n.is_empty()),
        code_challenge: challenge.clone(),
        prompt,
        max_age,
    })
}

/// The `prompt` values (space-separated), or why they cannot be honoured.
fn parse_prompt(text: &str) -> std::result::Result<Prompt, String> {
    let mut prompt = Prompt::IfNeeded;
    let mut silent = false;
    let mut interactive = false;
    for value in text.split(' ').filter(|v| !v.is_empty()) {
        match value {
            "none" => silent = true,
            "login" => {
                interactive = true;
                prompt = Prompt::Login;
            }
            "consent" | "select_account" => interactive = true,
            other => return Err(format!("prompt={other:?} is not supported")),
        }
    }
    if silent && interactive {
        return Err("prompt=none cannot be combined with other prompt values".into());
    }
    if silent {
        return Ok(Prompt::Silent);
    }
    Ok(prompt)
}

/// Whether `uri` is one of `registered`, compared byte for byte.
pub fn redirect_uri_registered(uri: &str, registered: &[String]) -> bool {
    registered.iter().any(|r| r == uri)
}

/// Whether `challenge` has the shape of an S256 challenge: 43 base64url characters.
fn is_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The S256 challenge of a PKCE verifier: BASE64URL(SHA-256(verifier)).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// Checks a PKCE verifier (RFC 7636: 43 to 128 unreserved characters) against the challenge.
pub fn verify_pkce(verifier: &str, challenge: &str) -> Result<()> {
    let shaped = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !shaped {
        return Err(Error::new(
            ErrorKind::PkceMismatch,
            "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~",
        ));
    }

    let computed = pkce_challenge(verifier);
    if !bool::from(computed.as_bytes().ct_eq(challenge.as_bytes())) {
        return Err(Error::new(
            ErrorKind::PkceMismatch,
            "code_verifier does not match the code_challenge of the authorization request",
        ));
    }
    Ok(())
}

/// What the hub stored about an authorization code when it issued it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The client the code was issued to.
    pub client_id: String,
    /// The redirect URI of the authorization request.
    pub redirect_uri: String,
    /// The PKCE challenge of the authorization request.
    pub code_challenge: String,
    /// Unix time of issue.
    pub issued_at: u64,
    /// Unix time of the first exchange, if it was already exchanged.
    pub used_at: Option<u64>,
}

/// The parameters of an `authorization_code` token request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeExchange<'a> {
    /// The client that authenticated (with its secret) at the token endpoint.
    pub client_id: &'a str,
    /// The `redirect_uri` parameter of the token request.
    pub redirect_uri: &'a str,
    /// The `code_verifier` parameter.
    pub code_verifier: &'a str,
}

/// Decides whether a code exchange is honoured. Check order: reuse, expiry, client, redirect URI,
/// PKCE; each refusal is an `invalid_grant` for the client.
pub fn check_code_exchange(code: &IssuedCode, req: &CodeExchange<'_>, now: u64) -> Result<()> {
    if code.used_at.is_some() {
        return Err(Error::new(
            ErrorKind::AuthorizationCodeInvalid,
            "this authorization code was already used; start the sign-in again",
        ));
    }

    if now > code.issued_at.saturating_add(CODE_LIFETIME_SECS) {
        return Err(Error::new(
            ErrorKind::AuthorizationCodeInvalid,
            format!(
                "this authorization code expired ({CODE_LIFETIME_SECS} s lifetime); start the \
                 sign-in again"
            ),
        ));
    }

    if code.client_id != req.client_id {
        return Err(Error::new(
            ErrorKind::AuthorizationCodeInvalid,
            "this authorization code was issued to another client",
        ));
    }

    if code.redirect_uri != req.redirect_uri {
        return Err(Error::new(
            ErrorKind::AuthorizationCodeInvalid,
            "redirect_uri differs from the one in the authorization request",
        ));
    }

    verify_pkce(req.code_verifier, &code.code_challenge)
}

/// Checks a client secret against the stored SHA-256 (hex) in constant time.
pub fn client_secret_matches(secret: &str, stored_sha256_hex: &str) -> bool {
    let computed: String =
        Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    bool::from(computed.as_bytes().ct_eq(stored_sha256_hex.to_ascii_lowercase().as_bytes()))
}

/// How long a logout token the hub sends is valid, in seconds.
pub const LOGOUT_TOKEN_LIFETIME_SECS: i64 = 120;

/// The claims of the logout token the hub sends a client when a hub session it signed the user
/// in to ends (OpenID Connect Back-Channel Logout 1.0, section 2.4): what
/// [`crate::token::verify_logout`] accepts, signed with [`crate::token::sign_claims`] and the
/// type [`crate::token::LOGOUT_TOKEN_TYPE`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogoutTokenClaims {
    /// The hub.
    pub iss: String,
    /// The client told.
    pub aud: String,
    /// When the token was made.
    pub iat: i64,
    /// [`LOGOUT_TOKEN_LIFETIME_SECS`] after `iat`.
    pub exp: i64,
    /// The token's id, unique per token.
    pub jti: String,
    /// The hub user.
    pub sub: String,
    /// The hub session that ended.
    pub sid: String,
    /// `{"http://schemas.openid.net/event/backchannel-logout": {}}`.
    pub events: serde_json::Value,
}

/// The logout token for `client_id` saying `user_id`'s hub session `session_id` ended at `now`.
pub fn logout_token_claims(
    issuer: &str,
    client_id: &str,
    user_id: &str,
    session_id: &str,
    now: i64,
    jti: &str,
) -> LogoutTokenClaims {
    let mut events = serde_json::Map::new();
    events.insert(crate::token::BACKCHANNEL_LOGOUT_EVENT.to_owned(), serde_json::json!({}));
    LogoutTokenClaims {
        iss: issuer.to_owned(),
        aud: client_id.to_owned(),
        iat: now,
        exp: now.saturating_add(LOGOUT_TOKEN_LIFETIME_SECS),
        jti: jti.to_owned(),
        sub: user_id.to_owned(),
        sid: session_id.to_owned(),
        events: serde_json::Value::Object(events),
    }
}
