//! Hub sign-in rules that do not depend on cryptography: the password policy, the throttling
//! of sign-in attempts, and what the `amr` claim says about how the user signed in.
//!
//! Throttling counts attempts in a fixed window per key; the hub keeps one key per email address
//! as typed (normalised, [`email_throttle_key`], whether or not an account has that address, so
//! the answers never tell which addresses exist) and one per client address
//! ([`address_throttle_key`]), each with its own limit. The store counts an attempt atomically
//! *before* the password or code is checked ([`count_attempt`] says how) and hands back the
//! count including it; [`check_attempt`] then admits it only while the count is within the
//! limit, so any number of concurrent guesses gets at most the limit checked. A check that
//! succeeds gives its attempt back; a failed one stays counted. Once a key is over its limit,
//! every attempt for it is refused until the window ends, even with the right password, so
//! guessing stays slow whichever key an attacker spreads over.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::{Error, ErrorKind, Result};

/// Shortest password the hub accepts for new passwords (NIST SP 800-63B allows 8; we ask 12).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Longest password the hub hashes; longer input is refused before any hashing work.
pub const MAX_PASSWORD_BYTES: usize = 256;

/// Checks a new password: length, and not simply the email address.
pub fn check_new_password(password: &str, email: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::new(
            ErrorKind::PasswordTooWeak,
            format!("choose a password of at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }

    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::new(
            ErrorKind::PasswordTooWeak,
            format!("choose a password of at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }

    if password.eq_ignore_ascii_case(email) {
        return Err(Error::new(
            ErrorKind::PasswordTooWeak,
            "your password must not be your email address",
        ));
    }

    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(Error::new(
            ErrorKind::PasswordTooWeak,
            "your password must not repeat a single character",
        ));
    }
    Ok(())
}

/// Checks a password typed at sign-in before it is hashed: present and of bounded length.
pub fn check_password_input(password: &str) -> Result<()> {
    if password.is_empty() {
        return Err(Error::new(ErrorKind::ValueInvalid, "enter your password"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::new(
            ErrorKind::ValueInvalid,
            format!("a password is at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// How many failed attempts a key may collect, and over how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Attempts checked within one window before the key is locked.
    pub max_failures: u32,
    /// Window length in seconds, counted from the first attempt of the window.
    pub window_secs: u64,
}

impl ThrottlePolicy {
    /// Per email address: 5 failures in 15 minutes.
    pub const ACCOUNT: ThrottlePolicy = ThrottlePolicy { max_failures: 5, window_secs: 900 };
    /// Per client address: 20 failures in 15 minutes (an office may share one address).
    pub const ADDRESS: ThrottlePolicy = ThrottlePolicy { max_failures: 20, window_secs: 900 };
}

/// The attempts counted for one key: failed ones, plus those still being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    /// Attempts counted in the current window.
    pub failures: u32,
    /// Unix time of the first attempt of the window.
    pub window_start: u64,
}

/// The email address as the throttle and the account lookup compare it: without surrounding
/// white space, lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The throttle key of an email address typed at sign-in: `email:` and the base64url SHA-256 of
/// the normalised address. The same for every spelling of one address and whether or not an
/// account has it; the store keeps no address in clear and the key stays short.
pub fn email_throttle_key(email: &str) -> String {
    let digest = Sha256::digest(normalise_email(email).as_bytes());
    format!("email:{}", URL_SAFE_NO_PAD.encode(digest))
}

/// The throttle key of a client address: `ip:<address>`.
pub fn address_throttle_key(address: &str) -> String {
    format!("ip:{address}")
}

/// The state after counting one more attempt at `now`: a new window if the old one has ended.
/// The store does the same in one atomic statement and returns the result, so concurrent
/// attempts each see a different count.
pub fn count_attempt(
    state: Option<ThrottleState>,
    now: u64,
    policy: ThrottlePolicy,
) -> ThrottleState {
    match state {
        Some(s) if now < s.window_start.saturating_add(policy.window_secs) => {
            ThrottleState { failures: s.failures.saturating_add(1), window_start: s.window_start }
        }
        _ => ThrottleState { failures: 1, window_start: now },
    }
}

/// Decides an attempt the store has just counted: `counted` includes it. The attempt is
/// admitted (its password or code may be checked) while the count is within the policy's limit;
/// past it, the error's message says when to try again.
pub fn check_attempt(counted: ThrottleState, now: u64, policy: ThrottlePolicy) -> Result<()> {
    let window_end = counted.window_start.saturating_add(policy.window_secs);
    if now >= window_end || counted.failures <= policy.max_failures {
        return Ok(());
    }

    let minutes = (window_end - now).div_ceil(60);
    Err(Error::new(
        ErrorKind::SignInThrottled,
        format!("too many failed sign-in attempts; try again in {minutes} minute(s)"),
    ))
}

/// The second factor that completed a hub sign-in after the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// A code from the user's authenticator app (RFC 6238).
    Totp,
    /// One of the single-use recovery codes issued at enrolment.
    RecoveryCode,
}

impl SecondFactor {
    /// The `amr` values (RFC 8176) of a sign-in with a password and this factor. A recovery code
    /// is not a one-time password in RFC 8176's sense (HOTP or TOTP), so it claims no `otp`; it
    /// is still a second factor the user holds, so the sign-in remains `mfa`.
    pub fn amr(self) -> &'static [&'static str] {
        match self {
            SecondFactor::Totp => &["pwd", "otp", "mfa"],
            SecondFactor::RecoveryCode => &["pwd", "mfa"],
        }
    }
}

/// The path the hub returns to after sign-in: `requested` when it is a path on the hub itself
/// (starts with one `/`, no backslash, no control characters, at most 2048 bytes), otherwise
/// the portal home `/`. Keeps the sign-in form from becoming an open redirector.
pub fn local_return_path(requested: Option<&str>) -> &str {
    let Some(path) = requested else {
        return "/";
    };
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= 2048
        && !path.chars().any(char::is_control);
    if local { path } else { "/" }
}
