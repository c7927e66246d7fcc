//! The stable error codes: each `ErrorKind` arm of `ErrorKind::code` names the variant's serde
//! form (snake_case), and no two kinds share a code, so what JavaScript callers match on and
//! what serialised errors carry are one and the same.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// `(Variant, "code")` for every arm of `ErrorKind::code`, read from the source.
fn arms() -> Vec<(String, String)> {
    let source = include_str!("../src/error.rs");
    source
        .lines()
        .filter_map(|line| {
            let (variant, code) = line.trim().strip_prefix("ErrorKind::")?.split_once(" => ")?;
            let code = code.trim_end_matches(',').strip_prefix('"')?.strip_suffix('"')?;
            Some((variant.to_owned(), code.to_owned()))
        })
        .collect()
}

fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[test]
fn every_code_is_the_snake_case_name_and_unique() {
    let arms = arms();
    assert!(arms.len() > 40, "found the arms of ErrorKind::code ({})", arms.len());
    let mut seen = std::collections::HashSet::new();
    for (variant, code) in &arms {
        assert_eq!(code, &snake_case(variant), "ErrorKind::{variant}");
        assert!(seen.insert(code.clone()), "{code} is used twice");
    }
}

#[test]
fn codes_match_what_errors_serialise_as() {
    use onegate_core::{Error, ErrorKind};
    let rows = [
        (ErrorKind::TokenExpired, "token_expired"),
        (ErrorKind::TokenNonceMismatch, "token_nonce_mismatch"),
        (ErrorKind::RequireHubLoginNeedsUnifiedLogin, "require_hub_login_needs_unified_login"),
    ];
    for (kind, code) in rows {
        assert_eq!(kind.code(), code);
        assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::json!(code)));
        assert_eq!(Error::new(kind, "m").code(), code);
    }
}

/// Every source file of core that builds errors.
const SOURCES: &[(&str, &str)] = &[
    ("billing.rs", include_str!("../src/billing.rs")),
    ("oidc.rs", include_str!("../src/oidc.rs")),
    ("provisioning.rs", include_str!("../src/provisioning.rs")),
    ("redirect.rs", include_str!("../src/redirect.rs")),
    ("settings.rs", include_str!("../src/settings.rs")),
    ("signin.rs", include_str!("../src/signin.rs")),
    ("tickets.rs", include_str!("../src/tickets.rs")),
    ("token.rs", include_str!("../src/token.rs")),
    ("totp.rs", include_str!("../src/totp.rs")),
    ("token/claims.rs", include_str!("../src/token/claims.rs")),
    ("token/keys.rs", include_str!("../src/token/keys.rs")),
    ("token/signing.rs", include_str!("../src/token/signing.rs")),
];

/// The first string literal of each `Error::new(...)` call: the message, or its format string.
fn messages(source: &str) -> Vec<String> {
    source
        .match_indices("Error::new(")
        .filter_map(|(at, _)| {
            let call = &source[at..(at + 400).min(source.len())];
            let call = &call[..call.find(';').unwrap_or(call.len())];
            let open = call.find('"')?;
            let rest = &call[open + 1..];
            let close = rest.find('"')?;
            Some(rest[..close].to_owned())
        })
        .collect()
}

#[test]
fn messages_are_lower_case_without_a_final_period() {
    let mut wrong = Vec::new();
    let mut seen = 0;
    for (file, source) in SOURCES {
        for message in messages(source) {
            seen += 1;
            let first = message.chars().next().unwrap_or('a');
            // A format string may start with a placeholder (`{}` a name or a number).
            if first.is_uppercase() || message.trim_end().ends_with('.') {
                wrong.push(format!("{file}: {message:?}"));
            }
        }
    }
    assert!(seen >= 50, "found the messages ({seen})");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
