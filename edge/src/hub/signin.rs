//! Hub sign-in: email and password, then the two-factor code (or a recovery code), or on the
//! first sign-in the enrolment of an authenticator; and sign-out.
//!
//! Every password or code check is first counted against the client address and the email
//! address (known or not, so the answers do not tell which accounts exist), atomically in D1; the
//! core admits it only while both counts are within their limits, so parallel guesses get no
//! more checks than the policy allows. A check that succeeds gives its count back, a failed one
//! keeps it, and a complete sign-in forgets the email address's failures. A session starts only
//! after both factors pass; its `amr` says which second factor it was. Each enrolment attempt
//! shows a fresh authenticator secret, bound to the sign-in in progress that showed it.

use minijinja::context;
use onegate_core::signin::{self, SecondFactor, ThrottlePolicy};
use onegate_core::totp::{self, TotpConfig};
use onegate_core::{Error, ErrorKind};
use worker::{Request, Response, Result};

use super::pages;
use super::session::{self, PENDING_SECS, Pending, SESSION_SECS};
use super::store::User;
use super::{Hub, password};
use crate::common::brand;
use crate::common::sign::{random_id, sha256_b64};

/// Largest form body the hub reads, in bytes.
const MAX_FORM_BYTES: usize = 16 * 1024;

/// Recovery codes issued at enrolment.
const RECOVERY_CODES: usize = 10;

/// The fields of a urlencoded form body (empty when the body is too large or unreadable).
pub async fn form_fields(req: &mut Request) -> Vec<(String, String)> {
    let body = req.bytes().await.unwrap_or_default();
    if body.len() > MAX_FORM_BYTES {
        return Vec::new();
    }
    form_urlencoded::parse(&body).into_owned().collect()
}

/// The first value of `name` in `fields`.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// False when a browser says the form came from another origin than the hub (login CSRF).
pub fn same_origin(hub: &Hub, req: &Request) -> bool {
    crate::common::same_origin(req, &hub.issuer)
}

fn cross_origin() -> Result<Response> {
    pages::message(
        403,
        "Form refused",
        "This form was sent from another site; open the hub and try again.",
    )
}

fn client_address(req: &Request) -> String {
    req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_else(|| "unknown".into())
}

/// The throttle keys of an attempt for `email`: the client address, then the email address.
fn throttle_keys(req: &Request, email: &str) -> [(String, ThrottlePolicy); 2] {
    [
        (signin::address_throttle_key(&client_address(req)), ThrottlePolicy::ADDRESS),
        (signin::email_throttle_key(email), ThrottlePolicy::ACCOUNT),
    ]
}

/// Counts the attempt against each key before anything is checked; the first key over its
/// limit refuses it with the core's error, and the keys before it get the attempt back (it is
/// never checked).
async fn count_attempt(hub: &Hub, keys: &[(String, ThrottlePolicy)]) -> Result<Option<Error>> {
    for (i, (key, policy)) in keys.iter().enumerate() {
        let counted = hub.store.count_attempt(key, hub.now, policy.window_secs).await?;
        if let Err(err) = signin::check_attempt(counted, hub.now, *policy) {
            for (earlier, _) in &keys[..i] {
                hub.store.release_attempt(earlier).await?;
            }
            return Ok(Some(err));
        }
    }
    Ok(None)
}

/// Gives the attempt back to each key (its check succeeded).
async fn release_attempt(hub: &Hub, keys: &[(String, ThrottlePolicy)]) -> Result<()> {
    for (key, _) in keys {
        hub.store.release_attempt(key).await?;
    }
    Ok(())
}

fn query(req: &Request, name: &str) -> Option<String> {
    let url = req.url().ok()?;
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn signin_page(status: u16, error: Option<&str>, email: &str, return_to: &str) -> Result<Response> {
    let ctx = context! { error, email, return_to };
    pages::page(status, "signin.html", brand::name(), ctx)
}

/// `GET /signin?return_to=[&prompt=login]`: the email and password form, or straight on when
/// signed in, unless `prompt=login` (a module asked for a fresh sign-in).
pub async fn form(hub: &Hub, req: &Request) -> Result<Response> {
    let requested = query(req, "return_to");
    let return_to = signin::local_return_path(requested.as_deref());
    let again = query(req, "prompt").as_deref() == Some("login");
    if !again && session::current(hub, req).await?.is_some() {
        return pages::see_other(return_to, &[]);
    }
    let ctx = context! { error => None::<&str>, email => "", return_to, again };
    pages::page(200, "signin.html", brand::name(), ctx)
}

/// `POST /signin`: checks the password, then sends the user to the two-factor step (or, on the
/// first sign-in, to enrolment with a fresh secret).
pub async fn password(hub: &Hub, mut req: Request) -> Result<Response> {
    if !same_origin(hub, &req) {
        return cross_origin();
    }
    let fields = form_fields(&mut req).await;
    let email = signin::normalise_email(field(&fields, "email").unwrap_or_default());
    let password = field(&fields, "password").unwrap_or_default();
    let return_to = signin::local_return_path(field(&fields, "return_to")).to_string();

    if let Err(err) = signin::check_password_input(password) {
        return signin_page(400, Some(err.message()), &email, &return_to);
    }

    let keys = throttle_keys(&req, &email);
    if let Some(err) = count_attempt(hub, &keys).await? {
        return signin_page(429, Some(err.message()), &email, &return_to);
    }

    let user = hub.store.user_by_email(&email).await?;
    let matched = password::verify(password, user.as_ref().map(|u| u.password_hash.as_str()));
    let Some(user) = user.filter(|_| matched) else {
        let err = Error::new(ErrorKind::CredentialsInvalid, "the email or password is not correct");
        return signin_page(401, Some(err.message()), &email, &return_to);
    };
    release_attempt(hub, &keys).await?;

    let mut pending =
        Pending { uid: user.id.clone(), exp: hub.now + PENDING_SECS, return_to, enrolment: None };
    if user.totp_secret.is_some() {
        return pages::see_other("/signin/totp", &[session::set_pending(hub, &pending)]);
    }

    let mut secret = [0u8; 20];
    getrandom::fill(&mut secret).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let secret = totp::base32_encode(&secret);
    hub.store.set_totp_pending(&user.id, &secret).await?;
    pending.enrolment = Some(enrolment_binding(&secret));
    pages::see_other("/signin/enrol", &[session::set_pending(hub, &pending)])
}

/// What the sign-in in progress remembers of the secret its enrolment page shows: a SHA-256, so
/// the cookie does not carry the secret itself.
fn enrolment_binding(secret: &str) -> String {
    sha256_b64(format!("hub-enrolment:{secret}").as_bytes())
}

/// The pending secret `user` may confirm in the sign-in `pending`: only the one this sign-in
/// was shown. A later sign-in replaces it, and this one can then neither see nor confirm it.
fn enrolment_secret<'a>(pending: &Pending, user: &'a User) -> Option<&'a str> {
    let secret = user.totp_pending.as_deref().filter(|_| user.totp_secret.is_none())?;
    let binding = enrolment_binding(secret);
    (pending.enrolment.as_deref() == Some(binding.as_str())).then_some(secret)
}

/// The answer to an enrolment whose secret a newer sign-in replaced: 409, sign in again.
fn enrolment_superseded(hub: &Hub) -> Result<Response> {
    let err = Error::new(
        ErrorKind::TotpEnrolmentSuperseded,
        "a newer sign-in to this account replaced this set-up; sign in again to see the current \
         secret",
    );
    let mut res = pages::refusal(409, "Sign in again", &err)?;
    res.headers_mut().append("Set-Cookie", &session::clear_pending(hub))?;
    Ok(res)
}

fn totp_page(status: u16, error: Option<&str>) -> Result<Response> {
    pages::page(status, "totp.html", brand::name(), context! { error })
}

/// The user of the sign-in in progress, or the answer that restarts sign-in.
async fn pending_user(
    hub: &Hub,
    req: &Request,
) -> Result<std::result::Result<(Pending, User), Response>> {
    let Some(pending) = session::pending(hub, req) else {
        return Ok(Err(pages::see_other("/signin", &[])?));
    };
    match hub.store.user_by_id(&pending.uid).await? {
        Some(user) => Ok(Ok((pending, user))),
        None => Ok(Err(pages::see_other("/signin", &[session::clear_pending(hub)])?)),
    }
}

/// `GET /signin/totp`: the two-factor form.
pub async fn totp_form(hub: &Hub, req: &Request) -> Result<Response> {
    match pending_user(hub, req).await? {
        Ok(_) => totp_page(200, None),
        Err(res) => Ok(res),
    }
}

/// `POST /signin/totp`: checks the code (or a recovery code) and starts the session.
pub async fn totp(hub: &Hub, mut req: Request) -> Result<Response> {
    if !same_origin(hub, &req) {
        return cross_origin();
    }
    let (pending, user) = match pending_user(hub, &req).await? {
        Ok(pair) => pair,
        Err(res) => return Ok(res),
    };
    let keys = throttle_keys(&req, &user.email);
    if let Some(err) = count_attempt(hub, &keys).await? {
        return totp_page(429, Some(err.message()));
    }

    let fields = form_fields(&mut req).await;
    let code = field(&fields, "code").unwrap_or_default();
    let factor = match second_factor(hub, &user, code).await? {
        Ok(factor) => factor,
        Err(err) => return totp_page(401, Some(err.message())),
    };

    release_attempt(hub, &keys[..1]).await?;
    hub.store.clear_throttle(&keys[1].0).await?;
    let cookie = start_session(hub, &req, &user, factor).await?;
    pages::see_other(&pending.return_to, &[cookie, session::clear_pending(hub)])
}

/// Checks a TOTP code, or uses up a recovery code; the core decides, D1 makes it single-use.
async fn second_factor(
    hub: &Hub,
    user: &User,
    code: &str,
) -> Result<std::result::Result<SecondFactor, Error>> {
    if totp::looks_like_recovery_code(code) {
        let used = hub.store.use_recovery_code(&user.id, &totp::recovery_code_hash(code)).await?;
        if used {
            return Ok(Ok(SecondFactor::RecoveryCode));
        }
        return Ok(Err(Error::new(
            ErrorKind::RecoveryCodeInvalid,
            "this recovery code is not valid or was already used",
        )));
    }

    let Some(secret) = user.totp_secret.as_deref().and_then(|s| totp::base32_decode(s).ok()) else {
        return Ok(Err(Error::new(ErrorKind::TotpCodeInvalid, "two-factor sign-in is not set up")));
    };
    let last = user.totp_last_step.map(|s| s as u64);
    let step = match totp::verify(&secret, code, hub.now, last, TotpConfig::default()) {
        Ok(step) => step,
        Err(err) => return Ok(Err(err)),
    };
    if !hub.store.use_totp_step(&user.id, step).await? {
        return Ok(Err(Error::new(
            ErrorKind::TotpCodeReused,
            "this two-factor code was already used; wait for the next code",
        )));
    }
    Ok(Ok(SecondFactor::Totp))
}

/// Creates the hub session (its `amr` from `factor`) and returns its `Set-Cookie` value. A
/// session the browser already holds is named as the one replaced, so that signing out ends
/// the module sessions opened under either.
async fn start_session(
    hub: &Hub,
    req: &Request,
    user: &User,
    factor: SecondFactor,
) -> Result<String> {
    let id = random_id(24).map_err(|e| worker::Error::RustError(e.to_string()))?;
    let amr = factor.amr().join(" ");
    let replaces = session::session_id(hub, req);
    let expires_at = hub.now + SESSION_SECS;
    hub.store.create_session(&id, user, hub.now, expires_at, &amr, replaces.as_deref()).await?;
    Ok(session::set_session(hub, &id))
}

fn enrol_page(status: u16, user: &User, secret: &str, error: Option<&str>) -> Result<Response> {
    let raw = totp::base32_decode(secret).unwrap_or_default();
    let uri = totp::otpauth_uri(brand::name(), &user.email, &raw, TotpConfig::default());
    let ctx = context! { error, secret, uri };
    pages::page(status, "enrol.html", brand::name(), ctx)
}

/// `GET /signin/enrol`: the secret and `otpauth://` URI to add to an authenticator app.
pub async fn enrol_form(hub: &Hub, req: &Request) -> Result<Response> {
    let (pending, user) = match pending_user(hub, req).await? {
        Ok(pair) => pair,
        Err(res) => return Ok(res),
    };
    if user.totp_secret.is_some() {
        return pages::see_other("/signin/totp", &[]);
    }
    match enrolment_secret(&pending, &user) {
        Some(secret) => enrol_page(200, &user, secret, None),
        None => enrolment_superseded(hub),
    }
}

/// `POST /signin/enrol`: the first code confirms the secret; recovery codes are shown once.
pub async fn enrol(hub: &Hub, mut req: Request) -> Result<Response> {
    if !same_origin(hub, &req) {
        return cross_origin();
    }
    let (pending, user) = match pending_user(hub, &req).await? {
        Ok(pair) => pair,
        Err(res) => return Ok(res),
    };
    if user.totp_secret.is_some() {
        return pages::see_other("/signin", &[session::clear_pending(hub)]);
    }
    let Some(secret_text) = enrolment_secret(&pending, &user) else {
        return enrolment_superseded(hub);
    };
    let fields = form_fields(&mut req).await;
    let code = field(&fields, "code").unwrap_or_default();
    let secret = totp::base32_decode(secret_text).unwrap_or_default();

    let step = match totp::verify(&secret, code, hub.now, None, TotpConfig::default()) {
        Ok(step) => step,
        Err(err) => return enrol_page(401, &user, secret_text, Some(err.message())),
    };

    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut random = [0u8; 10];
        getrandom::fill(&mut random).map_err(|e| worker::Error::RustError(e.to_string()))?;
        codes.push(totp::recovery_code(random));
    }
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    if !hub.store.confirm_totp(&user.id, secret_text, step, &hashes).await? {
        return enrolment_superseded(hub);
    }

    let cookie = start_session(hub, &req, &user, SecondFactor::Totp).await?;
    let body = pages::render(
        "recovery.html",
        brand::name(),
        context! { codes, return_to => pending.return_to },
    );
    let mut res = pages::respond(200, body)?;
    res.headers_mut().append("Set-Cookie", &cookie)?;
    res.headers_mut().append("Set-Cookie", &session::clear_pending(hub))?;
    Ok(res)
}

/// `POST /signout`: revokes the hub session (every gate notices) and forgets the cookie. A
/// validated `post_logout_redirect_uri` (from RP-initiated logout) is where the browser goes next.
pub async fn signout(hub: &Hub, mut req: Request) -> Result<Response> {
    if !same_origin(hub, &req) {
        return cross_origin();
    }
    if let Some(id) = session::session_id(hub, &req) {
        super::oidc::end_session(hub, &id).await?;
    }
    let fields = form_fields(&mut req).await;
    let next = super::oidc::post_logout_target(
        hub,
        field(&fields, "client_id"),
        field(&fields, "post_logout_redirect_uri"),
        field(&fields, "state"),
    )
    .await?
    .unwrap_or_else(|| "/signin".to_string());
    pages::see_other(&next, &[session::clear_session(hub)])
}
