//! The hub's OpenID Connect provider rules: authorization requests, PKCE and code exchanges.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::ErrorKind;
use onegate_core::oidc::{
    self, AuthorizeParams, Client, CodeExchange, IssuedCode, Prompt, SessionUse,
};

const REDIRECT: &str = "http://psa.localhost:8787/.onegate/callback";
/// RFC 7636 appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn psa() -> Client {
    Client {
        id: "psa".into(),
        redirect_uris: vec![REDIRECT.into()],
        post_logout_redirect_uris: vec!["http://psa.localhost:8787/".into()],
    }
}

fn good() -> AuthorizeParams {
    AuthorizeParams {
        response_type: Some("code".into()),
        client_id: Some("psa".into()),
        redirect_uri: Some(REDIRECT.into()),
        scope: Some("openid email profile".into()),
        state: Some("s t&a<te>".into()),
        nonce: Some("n-1".into()),
        code_challenge: Some(CHALLENGE.into()),
        code_challenge_method: Some("S256".into()),
        prompt: None,
        max_age: None,
    }
}

#[test]
fn pkce_s256_matches_rfc7636_appendix_b() {
    assert_eq!(oidc::pkce_challenge(VERIFIER), CHALLENGE);
    assert_eq!(oidc::verify_pkce(VERIFIER, CHALLENGE), Ok(()));
}

#[test]
fn pkce_refusals() {
    let other = "x".repeat(43);
    let table = [
        ("wrong_verifier_is_refused", other.as_str()),
        ("short_verifier_is_refused", "abc"),
        ("verifier_with_space_is_refused", "dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
    ];
    for (name, verifier) in table {
        let got = oidc::verify_pkce(verifier, CHALLENGE).map_err(|e| e.kind());
        assert_eq!(got, Err(ErrorKind::PkceMismatch), "{name}");
    }
}

#[test]
fn good_request_is_accepted_and_state_kept_exactly() {
    let client = psa();
    let req = oidc::check_authorize(&good(), Some(&client)).unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(req.state, "s t&a<te>");
    assert_eq!(req.redirect_uri, REDIRECT);
    assert_eq!(req.nonce.as_deref(), Some("n-1"));
    assert_eq!((req.prompt, req.max_age), (Prompt::IfNeeded, None));
}

#[test]
fn authorize_refusals() {
    type Edit = fn(&mut AuthorizeParams);
    // (rule, edit, kind, oauth error, may redirect back)
    let table: [(&str, Edit, ErrorKind, &str, bool); 18] = [
        (
            "missing_client_is_refused",
            |p| p.client_id = None,
            ErrorKind::OidcClientUnknown,
            "invalid_request",
            false,
        ),
        (
            "unknown_client_is_refused",
            |p| p.client_id = Some("rmm".into()),
            ErrorKind::OidcClientUnknown,
            "unauthorized_client",
            false,
        ),
        (
            "missing_redirect_uri_is_refused",
            |p| p.redirect_uri = None,
            ErrorKind::RedirectUriUnregistered,
            "invalid_request",
            false,
        ),
        (
            "other_path_is_unregistered",
            |p| p.redirect_uri = Some("http://psa.localhost:8787/.onegate/callback2".into()),
            ErrorKind::RedirectUriUnregistered,
            "invalid_request",
            false,
        ),
        (
            "trailing_slash_is_unregistered",
            |p| p.redirect_uri = Some(format!("{REDIRECT}/")),
            ErrorKind::RedirectUriUnregistered,
            "invalid_request",
            false,
        ),
        (
            "upper_case_host_is_unregistered",
            |p| p.redirect_uri = Some("http://PSA.localhost:8787/.onegate/callback".into()),
            ErrorKind::RedirectUriUnregistered,
            "invalid_request",
            false,
        ),
        (
            "extra_query_is_unregistered",
            |p| p.redirect_uri = Some(format!("{REDIRECT}?x=1")),
            ErrorKind::RedirectUriUnregistered,
            "invalid_request",
            false,
        ),
        (
            "token_response_type_is_refused",
            |p| p.response_type = Some("token".into()),
            ErrorKind::OidcRequestInvalid,
            "unsupported_response_type",
            true,
        ),
        (
            "scope_without_openid_is_refused",
            |p| p.scope = Some("email".into()),
            ErrorKind::OidcRequestInvalid,
            "invalid_scope",
            true,
        ),
        (
            "missing_state_is_refused",
            |p| p.state = None,
            ErrorKind::OidcRequestInvalid,
            "invalid_request",
            true,
        ),
        (
            "missing_code_challenge_is_refused",
            |p| p.code_challenge = None,
            ErrorKind::PkceRequired,
            "invalid_request",
            true,
        ),
        (
            "plain_method_is_refused",
            |p| p.code_challenge_method = Some("plain".into()),
            ErrorKind::PkceRequired,
            "invalid_request",
            true,
        ),
        (
            "missing_method_is_refused",
            |p| p.code_challenge_method = None,
            ErrorKind::PkceRequired,
            "invalid_request",
            true,
        ),
        (
            "unknown_prompt_is_refused",
            |p| p.prompt = Some("bogus".into()),
            ErrorKind::OidcRequestInvalid,
            "invalid_request",
            true,
        ),
        (
            "prompt_none_with_login_is_refused",
            |p| p.prompt = Some("none login".into()),
            ErrorKind::OidcRequestInvalid,
            "invalid_request",
            true,
        ),
        (
            "negative_max_age_is_refused",
            |p| p.max_age = Some("-1".into()),
            ErrorKind::OidcRequestInvalid,
            "invalid_request",
            true,
        ),
        (
            "signed_max_age_is_refused",
            |p| p.max_age = Some("+60".into()),
            ErrorKind::OidcRequestInvalid,
            "invalid_request",
            true,
        ),
        (
            "empty_max_age_is_refused",
            |p| p.max_age = Some(String::new()),
            ErrorKind::OidcRequestInvalid,
            "invalid_request",
            true,
        ),
    ];
    let client = psa();
    for (name, edit, kind, oauth_error, redirects) in table {
        let mut params = good();
        edit(&mut params);
        let known = (params.client_id.as_deref() == Some("psa")).then_some(&client);
        let refusal = match oidc::check_authorize(&params, known) {
            Ok(req) => panic!("{name}: accepted {req:?}"),
            Err(refusal) => refusal,
        };
        assert_eq!(refusal.error.kind(), kind, "{name}");
        assert_eq!(refusal.oauth_error, oauth_error, "{name}");
        assert_eq!(refusal.redirect_uri.is_some(), redirects, "{name}");
        assert!(!refusal.error.message().is_empty(), "{name}");
    }
}

#[test]
fn prompt_values_are_read() {
    let table = [
        ("no_prompt_uses_the_session_if_any", None, Prompt::IfNeeded),
        ("empty_prompt_is_no_prompt", Some(""), Prompt::IfNeeded),
        ("none_is_silent", Some("none"), Prompt::Silent),
        ("login_forces_a_sign_in", Some("login"), Prompt::Login),
        ("login_among_others_forces_a_sign_in", Some("consent login"), Prompt::Login),
        ("consent_changes_nothing", Some("consent"), Prompt::IfNeeded),
        ("select_account_changes_nothing", Some("select_account"), Prompt::IfNeeded),
    ];
    let client = psa();
    for (name, prompt, expect) in table {
        let mut params = good();
        params.prompt = prompt.map(str::to_owned);
        let req = oidc::check_authorize(&params, Some(&client));
        assert_eq!(req.map(|r| r.prompt).ok(), Some(expect), "{name}");
    }

    let mut params = good();
    params.max_age = Some("600".into());
    let req = oidc::check_authorize(&params, Some(&client));
    assert_eq!(req.map(|r| r.max_age).ok(), Some(Some(600)));
}

#[test]
fn when_the_hub_session_may_answer() {
    let now = 10_000;
    // (rule, prompt, max_age, auth_time, expected)
    let table = [
        ("session_answers", Prompt::IfNeeded, None, Some(1_000), SessionUse::Issue),
        ("no_session_signs_in", Prompt::IfNeeded, None, None, SessionUse::SignIn),
        (
            "silent_without_session_is_login_required",
            Prompt::Silent,
            None,
            None,
            SessionUse::LoginRequired,
        ),
        ("silent_with_session_answers", Prompt::Silent, None, Some(1_000), SessionUse::Issue),
        ("login_ignores_the_session", Prompt::Login, None, Some(now), SessionUse::SignIn),
        ("login_without_session_signs_in", Prompt::Login, None, None, SessionUse::SignIn),
        (
            "session_within_max_age_answers",
            Prompt::IfNeeded,
            Some(600),
            Some(now - 600),
            SessionUse::Issue,
        ),
        (
            "session_older_than_max_age_signs_in",
            Prompt::IfNeeded,
            Some(600),
            Some(now - 601),
            SessionUse::SignIn,
        ),
        (
            "max_age_zero_takes_only_this_second",
            Prompt::IfNeeded,
            Some(0),
            Some(now - 1),
            SessionUse::SignIn,
        ),
        (
            "silent_and_too_old_is_login_required",
            Prompt::Silent,
            Some(60),
            Some(now - 61),
            SessionUse::LoginRequired,
        ),
        (
            "session_from_the_future_is_recent",
            Prompt::IfNeeded,
            Some(0),
            Some(now + 5),
            SessionUse::Issue,
        ),
    ];
    let client = psa();
    let base = oidc::check_authorize(&good(), Some(&client)).unwrap_or_else(|r| panic!("{r:?}"));
    for (name, prompt, max_age, auth_time, expect) in table {
        let req = oidc::AuthorizeRequest { prompt, max_age, ..base.clone() };
        assert_eq!(oidc::session_use(&req, auth_time, now), expect, "{name}");
    }
}

fn issued() -> IssuedCode {
    IssuedCode {
        client_id: "psa".into(),
        redirect_uri: REDIRECT.into(),
        code_challenge: CHALLENGE.into(),
        issued_at: 1_000,
        used_at: None,
    }
}

#[test]
fn code_exchange_rules() {
    let exchange =
        CodeExchange { client_id: "psa", redirect_uri: REDIRECT, code_verifier: VERIFIER };
    assert_eq!(oidc::check_code_exchange(&issued(), &exchange, 1_030), Ok(()));
    assert_eq!(
        oidc::check_code_exchange(&issued(), &exchange, 1_060),
        Ok(()),
        "60 s is still valid"
    );

    let wrong_verifier = "y".repeat(43);
    let table = [
        (
            "reused_code_is_refused",
            IssuedCode { used_at: Some(1_010), ..issued() },
            exchange.clone(),
            1_020,
            "this authorization code was already used; start the sign-in again",
        ),
        (
            "expired_code_is_refused",
            issued(),
            exchange.clone(),
            1_061,
            "this authorization code expired (60 s lifetime); start the sign-in again",
        ),
        (
            "other_client_is_refused",
            issued(),
            CodeExchange { client_id: "rmm", ..exchange.clone() },
            1_010,
            "this authorization code was issued to another client",
        ),
        (
            "other_redirect_is_refused",
            issued(),
            CodeExchange { redirect_uri: "http://psa.localhost:8787/", ..exchange.clone() },
            1_010,
            "redirect_uri differs from the one in the authorization request",
        ),
        (
            "pkce_mismatch_is_refused",
            issued(),
            CodeExchange { code_verifier: &wrong_verifier, ..exchange.clone() },
            1_010,
            "code_verifier does not match the code_challenge of the authorization request",
        ),
    ];
    for (name, code, req, now, message) in table {
        let err = oidc::check_code_exchange(&code, &req, now).err();
        let err = err.unwrap_or_else(|| panic!("{name}: accepted"));
        assert_eq!(err.message(), message, "{name}");
    }
}

#[test]
fn client_secret_is_compared_by_sha256() {
    let real = oidc::client_secret_matches(
        "abc",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    assert!(real, "sha256(abc) from FIPS 180-2");
    assert!(!oidc::client_secret_matches(
        "abd",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    ));
    assert!(oidc::client_secret_matches(
        "abc",
        "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
    ));
}
