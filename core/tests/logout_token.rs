//! Logout tokens (OpenID Connect Back-Channel Logout 1.0), rule by rule: what a gate accepts
//! from its hub as "this session, or every session of this user, has ended", and each token it
//! refuses with the code and message it must give; and the logout token the hub itself sends,
//! which that check accepts. Runs natively and in wasm32.

mod token_fixtures;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::ErrorKind;
use onegate_core::oidc::logout_token_claims;
use onegate_core::token::{
    BACKCHANNEL_LOGOUT_EVENT, Expectations, LOGOUT_TOKEN_TYPE, LogoutClaims,
    MAX_LOGOUT_TOKEN_AGE_SECS, sign_claims, verify_logout,
};
use serde_json::{Map, Value, json};
use token_fixtures::*;

fn logout_claims() -> Value {
    json!({
        "iss": ISSUER, "aud": AUDIENCE, "iat": NOW - 5, "jti": "lt-1",
        "sub": "user-123", "sid": "sess-9",
        "events": { BACKCHANNEL_LOGOUT_EVENT: {} },
    })
}

fn logout_header() -> Value {
    json!({"alg": "EdDSA", "kid": ED_KID, "typ": "logout+jwt"})
}

fn token(edit: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut claims = logout_claims();
    edit(claims.as_object_mut().expect("an object"));
    forge(&logout_header(), &claims, Signer::Ed)
}

#[test]
fn a_logout_token_names_the_ended_session_and_user() {
    let got = verify_logout(&token(|_| {}), &key_set(), &expectations(), NOW).expect("accepted");
    assert_eq!(
        got,
        LogoutClaims {
            subject: Some("user-123".into()),
            session_id: Some("sess-9".into()),
            issued_at: NOW - 5,
            jti: "lt-1".into(),
        }
    );
    let only_sid = token(|c| {
        c.remove("sub");
    });
    let got = verify_logout(&only_sid, &key_set(), &expectations(), NOW).expect("sid alone");
    assert_eq!((got.subject, got.session_id.as_deref()), (None, Some("sess-9")));
    let only_sub = token(|c| {
        c.remove("sid");
        c.insert("exp".into(), json!(NOW + 60));
    });
    let got = verify_logout(&only_sub, &key_set(), &expectations(), NOW).expect("sub alone");
    assert_eq!((got.subject.as_deref(), got.session_id), (Some("user-123"), None));
}

#[test]
fn every_refusal_has_its_code_and_message() {
    use ErrorKind::*;
    let hub_token = forge(&header("EdDSA", ED_KID), &logout_claims(), Signer::Ed);
    let id_token_like = forge(
        &logout_header(),
        &json!({ "iss": ISSUER, "aud": AUDIENCE, "iat": NOW, "jti": "x", "sub": "user-123",
                 "nonce": "n-1", "events": { BACKCHANNEL_LOGOUT_EVENT: {} } }),
        Signer::Ed,
    );
    let old = NOW - MAX_LOGOUT_TOKEN_AGE_SECS - 61;
    let rows: Vec<(&str, String, ErrorKind, String)> = vec![
        (
            "a hub access token is no logout token",
            hub_token,
            TokenTypeMismatch,
            "token typ \"at+jwt\" is not \"logout+jwt\"".into(),
        ),
        (
            "a stranger's signature",
            forge(&logout_header(), &logout_claims(), Signer::OtherEd),
            TokenSignatureInvalid,
            "token signature does not verify with key \"hub-ed-1\"".into(),
        ),
        (
            "another issuer",
            token(|c| {
                c.insert("iss".into(), json!("https://evil.test"));
            }),
            TokenIssuerMismatch,
            "token issuer \"https://evil.test\" is not the hub \"https://hub.onegate.test\"".into(),
        ),
        (
            "another module",
            token(|c| {
                c.insert("aud".into(), json!("rmm"));
            }),
            TokenAudienceMismatch,
            "token is not meant for module \"psa\"".into(),
        ),
        (
            "no iat",
            token(|c| {
                c.remove("iat");
            }),
            TokenClaimMissing,
            "token has no iat claim".into(),
        ),
        (
            "issued too long ago",
            token(|c| {
                c.insert("iat".into(), json!(old));
            }),
            TokenExpired,
            format!(
                "logout token was issued {} seconds ago; logout tokens are acted on for 300 seconds",
                NOW - old
            ),
        ),
        (
            "issued in the future",
            token(|c| {
                c.insert("iat".into(), json!(NOW + 120));
            }),
            TokenNotYetValid,
            "token was issued 120 seconds in the future".into(),
        ),
        (
            "expired",
            token(|c| {
                c.insert("exp".into(), json!(NOW - 100));
            }),
            TokenExpired,
            "token expired 100 seconds ago".into(),
        ),
        (
            "no jti",
            token(|c| {
                c.remove("jti");
            }),
            TokenClaimMissing,
            "token has no jti claim".into(),
        ),
        (
            "no events",
            token(|c| {
                c.remove("events");
            }),
            LogoutTokenInvalid,
            "token is not a logout token: its events claim has no back-channel logout event".into(),
        ),
        (
            "another event",
            token(|c| {
                c.insert("events".into(), json!({ "https://example.test/other": {} }));
            }),
            LogoutTokenInvalid,
            "token is not a logout token: its events claim has no back-channel logout event".into(),
        ),
        (
            "the event is not an object",
            token(|c| {
                c.insert("events".into(), json!({ BACKCHANNEL_LOGOUT_EVENT: true }));
            }),
            LogoutTokenInvalid,
            "token is not a logout token: its events claim has no back-channel logout event".into(),
        ),
        (
            "a nonce, as an ID token has",
            id_token_like,
            LogoutTokenInvalid,
            "a logout token carries no nonce; this looks like an ID token".into(),
        ),
        (
            "neither sub nor sid",
            token(|c| {
                c.remove("sub");
                c.insert("sid".into(), json!(""));
            }),
            LogoutTokenInvalid,
            "a logout token names a sub, a sid or both; this one names neither".into(),
        ),
    ];
    for (rule, token, kind, message) in rows {
        let err = verify_logout(&token, &key_set(), &expectations(), NOW).expect_err(rule);
        assert_eq!((err.kind(), err.message()), (kind, message.as_str()), "{rule}");
    }
}

#[test]
fn the_logout_type_is_required_whatever_the_expectations_say() {
    let lenient = Expectations { token_type: "at+jwt".into(), ..expectations() };
    let hub_token = forge(&header("EdDSA", ED_KID), &logout_claims(), Signer::Ed);
    let err = verify_logout(&hub_token, &key_set(), &lenient, NOW).expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::TokenTypeMismatch);
    assert!(verify_logout(&token(|_| {}), &key_set(), &lenient, NOW).is_ok());
}

#[test]
fn the_hubs_own_logout_token_passes_the_gates_check() {
    let claims = logout_token_claims(ISSUER, AUDIENCE, "user-123", "sess-9", NOW, "lt-7");
    let token = sign_claims(&claims, LOGOUT_TOKEN_TYPE, &hub_key()).expect("signs");
    let got = verify_logout(&token, &key_set(), &expectations(), NOW + 30).expect("accepted");
    assert_eq!(
        got,
        LogoutClaims {
            subject: Some("user-123".into()),
            session_id: Some("sess-9".into()),
            issued_at: NOW,
            jti: "lt-7".into(),
        }
    );
    let late = verify_logout(&token, &key_set(), &expectations(), NOW + 200).expect_err("expired");
    assert_eq!(late.kind(), ErrorKind::TokenExpired);
}
