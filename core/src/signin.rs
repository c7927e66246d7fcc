//! Hub sign-in rules that do not depend on cryptography: the password policy and the throttling
//! of failed attempts.
//!
//! Throttling counts failures in a fixed window per key; the hub keeps one key per account
//! (`account:<user id>`) and one per client address (`ip:<address>`), each with its own limit.
//! Once a key reaches its limit, every attempt for it is refused until the window ends, even
//! with the right password, so guessing stays slow whichever key an attacker spreads over.

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

/// How many failures a key may collect, and over how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures allowed within one window before the key is locked.
    pub max_failures: u32,
    /// Window length in seconds, counted from the first failure.
    pub window_secs: u64,
}

impl ThrottlePolicy {
    /// Per account: 5 failures in 15 minutes.
    pub const ACCOUNT: ThrottlePolicy = ThrottlePolicy { max_failures: 5, window_secs: 900 };
    /// Per client address: 20 failures in 15 minutes (an office may share one address).
    pub const ADDRESS: ThrottlePolicy = ThrottlePolicy { max_failures: 20, window_secs: 900 };
}

/// The failures recorded for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    /// Failures in the current window.
    pub failures: u32,
    /// Unix time of the first failure of the window.
    pub window_start: u64,
}

/// Refuses an attempt while `state` has reached the policy's limit within its window. The
/// error's message says when to try again.
pub fn check_throttle(
    state: Option<ThrottleState>,
    now: u64,
    policy: ThrottlePolicy,
) -> Result<()> {
    let Some(state) = state else {
        return Ok(());
    };
    let window_end = state.window_start.saturating_add(policy.window_secs);
    if now >= window_end || state.failures < policy.max_failures {
        return Ok(());
    }

    let minutes = (window_end - now).div_ceil(60);
    Err(Error::new(
        ErrorKind::SignInThrottled,
        format!("too many failed sign-in attempts; try again in {minutes} minute(s)"),
    ))
}

/// The state after one more failure at `now`: a new window if the old one has ended.
pub fn record_failure(
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
