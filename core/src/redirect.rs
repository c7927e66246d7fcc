//! Return-URL validation: where a user may be sent back to after signing in.
//!
//! A return URL is accepted only when it resolves, by the same WHATWG URL rules browsers use, to
//! one of the tenant's registered origins (exact scheme, host and port). Everything else falls
//! back to the hub home, which closes open redirects such as `//evil.example`, `/\evil.example`,
//! `javascript:` URLs, look-alike hosts and other ports.

use url::Url;

use crate::{Error, ErrorKind, Result};

/// The longest return URL accepted.
pub const MAX_RETURN_URL_LEN: usize = 2048;

/// Where return URLs may go.
#[derive(Debug, Clone, Copy)]
pub struct ReturnUrlPolicy<'a> {
    /// The tenant's registered origins (`https://psa.example.com`), scheme, host and port.
    pub origins: &'a [String],
    /// What relative return URLs resolve against: the origin the request arrived at.
    pub base: &'a str,
    /// Where to go when the return URL is refused: the hub home.
    pub fallback: &'a str,
}

/// Accepts `candidate` when it resolves to a registered origin, returning the resolved URL.
pub fn check(candidate: &str, policy: ReturnUrlPolicy<'_>) -> Result<String> {
    if candidate.is_empty() {
        return Err(rejected("the return URL is empty"));
    }

    if candidate.len() > MAX_RETURN_URL_LEN {
        return Err(rejected("the return URL is too long"));
    }

    if candidate.chars().any(|it| it.is_control() || it == '\\') {
        return Err(rejected("the return URL contains a backslash or a control character"));
    }

    let Ok(base) = Url::parse(policy.base) else {
        return Err(rejected("the base URL is not a valid URL"));
    };
    let Ok(url) = base.join(candidate) else {
        return Err(rejected("the return URL is not a valid URL"));
    };

    if !matches!(url.scheme(), "https" | "http") {
        return Err(rejected("the return URL must use https or http"));
    }

    if !url.username().is_empty() || url.password().is_some() {
        return Err(rejected("the return URL must not carry a user name or password"));
    }

    let origin = url.origin();
    let registered =
        policy.origins.iter().filter_map(|it| Url::parse(it).ok()).any(|it| it.origin() == origin);
    if !registered {
        return Err(rejected("the return URL is not one of this tenant's registered origins"));
    }

    Ok(url.into())
}

/// The resolved return URL when [`check`] accepts it, the fallback otherwise.
pub fn or_fallback(candidate: &str, policy: ReturnUrlPolicy<'_>) -> String {
    check(candidate, policy).unwrap_or_else(|_| policy.fallback.to_owned())
}

fn rejected(message: &str) -> Error {
    Error::new(ErrorKind::ReturnUrlRejected, message)
}
