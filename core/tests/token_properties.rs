//! Property tests: [`verify`], [`verify_logout`] and [`KeySet::from_jwks_json`] are total. Whatever bytes arrive,
//! they return a value (almost always an error with a token code) and never panic. Native only:
//! proptest does not run under wasm-bindgen-test.

#![cfg(not(target_arch = "wasm32"))]

mod token_fixtures;

use std::sync::LazyLock;

use onegate_core::ErrorKind;
use onegate_core::token::{KeySet, verify, verify_logout};
use proptest::prelude::*;
use token_fixtures::*;

/// A segment of base64url text, or of anything at all.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_-]{0,120}",
        any::<String>(),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(|it| b64(&it)),
        prop::collection::btree_map("[a-z]{1,4}", any::<i64>(), 0..6)
            .prop_map(|it| b64(serde_json::to_string(&it).unwrap_or_default().as_bytes())),
    ]
}

/// A header that gets past the early checks often enough to reach the claims.
fn header_segment() -> impl Strategy<Value = String> {
    let kids = prop::sample::select(vec![ED_KID, EC_KID, RS_KID, ENC_KID, "x"]);
    let algs = prop::sample::select(vec!["EdDSA", "ES256", "RS256", "HS256", "none", ""]);
    (kids, algs, any::<bool>()).prop_map(|(kid, alg, crit)| {
        let mut header = header(alg, kid);
        if crit {
            header["crit"] = serde_json::json!(["b64"]);
        }
        b64(header.to_string().as_bytes())
    })
}

/// Parsed once: the properties are about `verify`, not about parsing the fixture again.
static KEYS: LazyLock<KeySet> = LazyLock::new(key_set);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn verify_is_total_on_any_string(token in any::<String>(), now in any::<i64>()) {
        let err = verify(&token, &KEYS, &expectations(), now).expect_err("not a token");
        prop_assert!(err.kind().is_token_error(), "{}", err.code());
        let err = verify_logout(&token, &KEYS, &expectations(), now).expect_err("not a token");
        prop_assert!(err.kind().is_token_error(), "{}", err.code());
    }

    #[test]
    fn verify_is_total_on_three_segments(
        header in prop_oneof![segment(), header_segment()],
        payload in segment(),
        signature in segment(),
        now in any::<i64>(),
    ) {
        let token = format!("{header}.{payload}.{signature}");
        let err = verify(&token, &KEYS, &expectations(), now).expect_err("forged");
        prop_assert!(err.kind().is_token_error(), "{}", err.code());
        let err = verify_logout(&token, &KEYS, &expectations(), now).expect_err("forged");
        prop_assert!(err.kind().is_token_error(), "{}", err.code());
    }

    #[test]
    fn key_set_parsing_is_total(doc in any::<String>(), x in segment(), crv in segment()) {
        let key = serde_json::json!({"kty": "OKP", "crv": crv, "kid": "k", "x": x});
        let shaped = serde_json::json!({ "keys": [key] }).to_string();
        for doc in [doc, shaped] {
            if let Err(e) = KeySet::from_jwks_json(&doc) {
                prop_assert_eq!(e.kind(), ErrorKind::KeySetInvalid);
            }
        }
    }
}

proptest! {
    // Each case signs and verifies for real, slow in a debug build: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_signed_token_verifies_exactly_inside_its_lifetime(
        issued in -1_000_000_000i64..4_000_000_000,
        lifetime in 1i64..86_400,
        offset in -200i64..86_600,
    ) {
        let mut claims = hub_claims();
        claims.issued_at = issued;
        claims.expires_at = issued + lifetime;
        let token = onegate_core::token::sign(&claims, &hub_key()).expect("signs");
        let now = issued + offset;
        let inside = now <= claims.expires_at + 60 && issued <= now + 60;
        let got = verify(&token, &KEYS, &expectations(), now);
        prop_assert_eq!(got.is_ok(), inside, "{:?}", got.err());
    }
}
