//! Return-URL validation: only the tenant's registered origins pass.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::redirect::{self, ReturnUrlPolicy};

const HOME: &str = "https://hub.example.com/";

fn origins() -> Vec<String> {
    vec![
        "https://hub.example.com".into(),
        "https://psa.example.com".into(),
        "http://psa.localhost:8787".into(),
    ]
}

fn policy(origins: &[String]) -> ReturnUrlPolicy<'_> {
    ReturnUrlPolicy { origins, base: "https://psa.example.com/login", fallback: HOME }
}

#[test]
fn registered_origins_and_relative_paths_pass() {
    let origins = origins();
    let cases = [
        ("https://psa.example.com/tickets?id=7", "https://psa.example.com/tickets?id=7"),
        ("https://PSA.example.com:443/a", "https://psa.example.com/a"),
        ("/tickets/7#notes", "https://psa.example.com/tickets/7#notes"),
        ("tickets", "https://psa.example.com/tickets"),
        ("http://psa.localhost:8787/", "http://psa.localhost:8787/"),
        ("https://hub.example.com/home", "https://hub.example.com/home"),
    ];
    for (candidate, want) in cases {
        assert_eq!(
            redirect::check(candidate, policy(&origins)).as_deref(),
            Ok(want),
            "{candidate}"
        );
    }
}

#[test]
fn foreign_and_tricky_urls_fall_back_to_the_hub_home() {
    let origins = origins();
    let cases = [
        ("//evil.example/", "not one of this tenant's registered origins"),
        ("/\\evil.example", "backslash"),
        ("\\\\evil.example", "backslash"),
        ("javascript:alert(1)", "must use https or http"),
        ("data:text/html,hi", "must use https or http"),
        ("https://psa.example.com.evil.example/", "not one of this tenant's registered origins"),
        ("https://psa-example.com/", "not one of this tenant's registered origins"),
        ("https://psa.example.com:8443/", "not one of this tenant's registered origins"),
        ("http://psa.example.com/", "not one of this tenant's registered origins"),
        ("https://psa.example.com@evil.example/", "must not carry a user name"),
        ("https://user:pw@psa.example.com/", "must not carry a user name or password"),
        ("https://evil.example/\u{0}", "control character"),
        ("https://psa.example.com/\n", "control character"),
        ("http://psa.localhost:8788/", "not one of this tenant's registered origins"),
        ("https://ps\u{430}.example.com/", "not one of this tenant's registered origins"),
        ("", "empty"),
        ("https://[::1", "not a valid URL"),
    ];
    for (candidate, reason) in cases {
        let err = redirect::check(candidate, policy(&origins)).expect_err(candidate);
        assert_eq!(err.code(), "return_url_rejected", "{candidate}");
        assert!(err.message().contains(reason), "{candidate}: {}", err.message());
        assert_eq!(redirect::or_fallback(candidate, policy(&origins)), HOME);
    }
}

#[test]
fn overlong_urls_are_refused_before_parsing() {
    let origins = origins();
    let long = format!("https://psa.example.com/{}", "a".repeat(redirect::MAX_RETURN_URL_LEN));
    let err = redirect::check(&long, policy(&origins)).expect_err("too long");
    assert_eq!(err.message(), "the return URL is too long");
}

#[test]
fn nothing_passes_without_registered_origins() {
    let err = redirect::check("/tickets", policy(&[])).expect_err("no origins");
    assert_eq!(err.code(), "return_url_rejected");
}
