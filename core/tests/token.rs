//! Hub token verification and signing, rule by rule: one table of tokens the gate refuses (each
//! row named after its rule, with the error code and message it must give), tokens it accepts,
//! key-set parsing, and the hub's signing key. Runs natively and compiled to wasm32 (under Node,
//! wasm-bindgen-test's default), so the edge and the browser decide alike.

mod token_fixtures;

use onegate_core::ErrorKind;
use onegate_core::token::{
    Expectations, KeySet, SignatureAlgorithm, SigningKey, jwks_json, sign, sign_claims, verify,
};
use serde_json::{Value, json};
use token_fixtures::*;

/// One token the gate must refuse.
struct Refusal {
    rule: &'static str,
    token: String,
    expect: Expectations,
    kind: ErrorKind,
    message: &'static str,
}

fn refusal(rule: &'static str, token: String, kind: ErrorKind, message: &'static str) -> Refusal {
    Refusal { rule, token, expect: expectations(), kind, message }
}

fn with_claims(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut claims = claims_json();
    edit(claims.as_object_mut().expect("claims are an object"));
    forge(&header("EdDSA", ED_KID), &claims, Signer::Ed)
}

fn with_header(edit: impl FnOnce(&mut serde_json::Map<String, Value>), signer: Signer) -> String {
    let mut header = header("EdDSA", ED_KID);
    edit(header.as_object_mut().expect("header is an object"));
    forge(&header, &claims_json(), signer)
}

fn refusals() -> Vec<Refusal> {
    use ErrorKind::*;

    let valid = forge(&header("EdDSA", ED_KID), &claims_json(), Signer::Ed);
    let segments: Vec<&str> = valid.split('.').collect();
    let mut tampered_claims = claims_json();
    tampered_claims["sub"] = json!("admin");
    let tampered_payload =
        format!("{}.{}.{}", segments[0], b64(tampered_claims.to_string().as_bytes()), segments[2]);
    let flipped = if segments[2].starts_with('A') { "B" } else { "A" };
    let tampered_signature =
        format!("{}.{}.{flipped}{}", segments[0], segments[1], &segments[2][1..]);
    let lenient = Expectations { leeway_secs: 3600, ..expectations() };
    let for_tenant = || Expectations { tenant: Some("t_acme".into()), ..expectations() };
    let for_nonce = || Expectations { nonce: Some("n-0123456789".into()), ..expectations() };

    vec![
        refusal(
            "alg_none_is_refused",
            forge(&header("none", ED_KID), &claims_json(), Signer::Unsigned),
            TokenAlgorithmMismatch,
            "token alg \"none\" is not EdDSA, the algorithm of key \"hub-ed-1\"",
        ),
        refusal(
            "hs256_keyed_with_the_public_key_is_refused",
            forge(&header("HS256", ED_KID), &claims_json(), Signer::HmacWithPublicKey),
            TokenAlgorithmMismatch,
            "token alg \"HS256\" is not EdDSA, the algorithm of key \"hub-ed-1\"",
        ),
        refusal(
            "rs256_header_on_an_ed25519_key_is_refused",
            forge(&header("RS256", ED_KID), &claims_json(), Signer::Rs),
            TokenAlgorithmMismatch,
            "token alg \"RS256\" is not EdDSA, the algorithm of key \"hub-ed-1\"",
        ),
        refusal(
            "es256_header_on_an_eddsa_key_is_refused",
            forge(&header("ES256", ED_KID), &claims_json(), Signer::Es),
            TokenAlgorithmMismatch,
            "token alg \"ES256\" is not EdDSA, the algorithm of key \"hub-ed-1\"",
        ),
        refusal(
            "es256_header_on_an_rs256_key_is_refused",
            forge(&header("ES256", RS_KID), &claims_json(), Signer::Es),
            TokenAlgorithmMismatch,
            "token alg \"ES256\" is not RS256, the algorithm of key \"hub-rs-1\"",
        ),
        refusal(
            "rs256_header_on_an_es256_key_is_refused",
            forge(&header("RS256", EC_KID), &claims_json(), Signer::Rs),
            TokenAlgorithmMismatch,
            "token alg \"RS256\" is not ES256, the algorithm of key \"hub-es-1\"",
        ),
        refusal(
            "missing_alg_is_refused",
            with_header(|h| drop(h.remove("alg")), Signer::Ed),
            TokenAlgorithmMismatch,
            "token alg (none given) is not EdDSA, the algorithm of key \"hub-ed-1\"",
        ),
        refusal(
            "alg_is_case_sensitive",
            forge(&header("eddsa", ED_KID), &claims_json(), Signer::Ed),
            TokenAlgorithmMismatch,
            "token alg \"eddsa\" is not EdDSA, the algorithm of key \"hub-ed-1\"",
        ),
        refusal(
            "wrong_issuer_is_refused",
            with_claims(|c| drop(c.insert("iss".into(), json!("https://hub.onegate.test/")))),
            TokenIssuerMismatch,
            concat!(
                "token issuer \"https://hub.onegate.test/\" ",
                "is not the hub \"https://hub.onegate.test\""
            ),
        ),
        refusal(
            "wrong_audience_is_refused",
            with_claims(|c| drop(c.insert("aud".into(), json!("rmm")))),
            TokenAudienceMismatch,
            "token is not meant for module \"psa\"",
        ),
        refusal(
            "audience_list_without_the_module_is_refused",
            with_claims(|c| drop(c.insert("aud".into(), json!(["rmm", "PSA"])))),
            TokenAudienceMismatch,
            "token is not meant for module \"psa\"",
        ),
        refusal(
            "expired_beyond_leeway_is_refused",
            with_claims(|c| drop(c.insert("exp".into(), json!(NOW - 61)))),
            TokenExpired,
            "token expired 61 seconds ago",
        ),
        Refusal {
            expect: lenient,
            ..refusal(
                "leeway_is_clamped_to_60_seconds",
                with_claims(|c| drop(c.insert("exp".into(), json!(NOW - 61)))),
                TokenExpired,
                "token expired 61 seconds ago",
            )
        },
        refusal(
            "nbf_in_the_future_is_refused",
            with_claims(|c| drop(c.insert("nbf".into(), json!(NOW + 61)))),
            TokenNotYetValid,
            "token is not valid for another 61 seconds",
        ),
        refusal(
            "iat_in_the_future_is_refused",
            with_claims(|c| drop(c.insert("iat".into(), json!(NOW + 61)))),
            TokenNotYetValid,
            "token was issued 61 seconds in the future",
        ),
        refusal(
            "crit_header_is_refused",
            with_header(|h| drop(h.insert("crit".into(), json!(["exp"]))), Signer::Ed),
            TokenCriticalHeader,
            "token header has crit, which this gate does not support",
        ),
        refusal(
            "tampered_payload_is_refused",
            tampered_payload,
            TokenSignatureInvalid,
            "token signature does not verify with key \"hub-ed-1\"",
        ),
        refusal(
            "tampered_signature_is_refused",
            tampered_signature,
            TokenSignatureInvalid,
            "token signature does not verify with key \"hub-ed-1\"",
        ),
        refusal(
            "embedded_jwk_and_jku_are_never_used",
            with_header(
                |h| {
                    let attacker = SigningKey::from_seed(&OTHER_SEED, ED_KID).expect("key");
                    h.insert("jwk".into(), json!(attacker.public_jwk()));
                    h.insert("jku".into(), json!("https://attacker.test/jwks"));
                    h.insert("x5u".into(), json!("https://attacker.test/cert"));
                },
                Signer::OtherEd,
            ),
            TokenSignatureInvalid,
            "token signature does not verify with key \"hub-ed-1\"",
        ),
        refusal(
            "two_segments_are_malformed",
            format!("{}.{}", segments[0], segments[1]),
            TokenMalformed,
            "token is not three dot-separated segments",
        ),
        refusal(
            "four_segments_are_malformed",
            format!("{valid}.{}", segments[2]),
            TokenMalformed,
            "token is not three dot-separated segments",
        ),
        refusal(
            "bad_base64_is_malformed",
            format!("{}!.{}.{}", segments[0], segments[1], segments[2]),
            TokenMalformed,
            "token header is not base64url",
        ),
        refusal(
            "padded_base64_is_malformed",
            format!("{}.{}.{}=", segments[0], segments[1], segments[2]),
            TokenMalformed,
            "token signature is not base64url",
        ),
        refusal(
            "non_json_header_is_malformed",
            format!("{}.{}.{}", b64(b"not json"), segments[1], segments[2]),
            TokenMalformed,
            "token header is not a json object",
        ),
        refusal(
            "non_object_payload_is_malformed",
            format!("{}.{}.{}", segments[0], b64(b"[1,2]"), segments[2]),
            TokenMalformed,
            "token payload is not a json object",
        ),
        refusal(
            "oversized_token_is_refused_before_parsing",
            "a".repeat(8193),
            TokenTooLarge,
            "token is 8193 bytes, over the 8192-byte limit",
        ),
        refusal(
            "unknown_kid_is_refused",
            forge(&header("EdDSA", "hub-ed-9"), &claims_json(), Signer::Ed),
            TokenKeyUnknown,
            "no key with kid \"hub-ed-9\" in the hub's key set",
        ),
        refusal(
            "missing_kid_is_refused",
            with_header(|h| drop(h.remove("kid")), Signer::Ed),
            TokenKeyUnknown,
            "token header has no kid",
        ),
        refusal(
            "key_marked_for_encryption_is_refused",
            forge(&header("EdDSA", ENC_KID), &claims_json(), Signer::Ed),
            TokenKeyUnknown,
            "key \"hub-enc-1\" cannot verify tokens: it is marked for encryption (use enc)",
        ),
        refusal(
            "wrong_typ_is_refused",
            with_header(|h| drop(h.insert("typ".into(), json!("JWT"))), Signer::Ed),
            TokenTypeMismatch,
            "token typ \"JWT\" is not \"at+jwt\"",
        ),
        refusal(
            "missing_typ_is_refused",
            with_header(|h| drop(h.remove("typ")), Signer::Ed),
            TokenTypeMismatch,
            "token typ (none given) is not \"at+jwt\"",
        ),
        refusal(
            "missing_sub_is_refused",
            with_claims(|c| drop(c.remove("sub"))),
            TokenClaimMissing,
            "token has no sub claim",
        ),
        refusal(
            "empty_sub_is_refused",
            with_claims(|c| drop(c.insert("sub".into(), json!("")))),
            TokenClaimMissing,
            "token has no sub claim",
        ),
        refusal(
            "missing_exp_is_refused",
            with_claims(|c| drop(c.remove("exp"))),
            TokenClaimMissing,
            "token has no exp claim",
        ),
        refusal(
            "missing_iss_is_refused",
            with_claims(|c| drop(c.remove("iss"))),
            TokenClaimMissing,
            "token has no iss claim",
        ),
        refusal(
            "exp_that_is_not_a_number_is_malformed",
            with_claims(|c| drop(c.insert("exp".into(), json!("tomorrow")))),
            TokenMalformed,
            "token claim exp is not a number of seconds",
        ),
        Refusal {
            expect: for_tenant(),
            ..refusal(
                "another_tenants_token_is_refused",
                with_claims(|c| drop(c.insert("tid".into(), json!("t_globex")))),
                TokenTenantMismatch,
                "the sign-in is for another tenant; sign in to this tenant's hub",
            )
        },
        Refusal {
            expect: for_tenant(),
            ..refusal(
                "a_token_without_a_tenant_is_refused_when_one_is_expected",
                with_claims(|_| {}),
                TokenTenantMismatch,
                "the sign-in is for another tenant; sign in to this tenant's hub",
            )
        },
        Refusal {
            expect: for_nonce(),
            ..refusal(
                "another_logins_nonce_is_refused",
                with_claims(|c| drop(c.insert("nonce".into(), json!("n-attacker")))),
                TokenNonceMismatch,
                "the sign-in does not belong to this browser's login; start again",
            )
        },
        Refusal {
            expect: for_nonce(),
            ..refusal(
                "a_missing_nonce_is_refused_when_one_is_expected",
                with_claims(|_| {}),
                TokenNonceMismatch,
                "the sign-in does not belong to this browser's login; start again",
            )
        },
        Refusal {
            expect: for_nonce(),
            ..refusal(
                "a_nonce_that_is_not_a_string_is_malformed",
                with_claims(|c| drop(c.insert("nonce".into(), json!(7)))),
                TokenMalformed,
                "token claim nonce is not a string",
            )
        },
        refusal(
            "groups_that_are_not_strings_are_malformed",
            with_claims(|c| drop(c.insert("groups".into(), json!([1, 2])))),
            TokenMalformed,
            "token claim groups is not a list of strings",
        ),
    ]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_refusal_gives_its_code_and_message() {
    let keys = key_set();
    let mut wrong = Vec::new();
    for case in refusals() {
        let got = match verify(&case.token, &keys, &case.expect, NOW) {
            Ok(claims) => format!("accepted for {}", claims.subject()),
            Err(e) => format!("{}: {}", e.code(), e.message()),
        };
        let want = format!("{}: {}", case.kind.code(), case.message);
        if got != want {
            wrong.push(format!("{}\n  want {want}\n  got  {got}", case.rule));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Tokens the gate accepts, and the subject each carries.
fn acceptances() -> Vec<(&'static str, String)> {
    vec![
        ("eddsa_signed_by_the_hub_key", sign(&hub_claims(), &hub_key()).expect("signs")),
        (
            "es256_from_a_key_that_declares_it",
            forge(&header("ES256", EC_KID), &claims_json(), Signer::Es),
        ),
        (
            "rs256_from_a_key_that_declares_it",
            forge(&header("RS256", RS_KID), &claims_json(), Signer::Rs),
        ),
        ("expired_within_leeway", with_claims(|c| drop(c.insert("exp".into(), json!(NOW - 60))))),
        ("nbf_within_leeway", with_claims(|c| drop(c.insert("nbf".into(), json!(NOW + 60))))),
        ("iat_within_leeway", with_claims(|c| drop(c.insert("iat".into(), json!(NOW + 60))))),
        (
            "fractional_exp_is_a_numeric_date",
            with_claims(|c| drop(c.insert("exp".into(), json!(NOW as f64 + 0.5)))),
        ),
        (
            "audience_list_with_the_module",
            with_claims(|c| drop(c.insert("aud".into(), json!(["rmm", AUDIENCE])))),
        ),
        (
            "typ_is_case_insensitive_with_optional_prefix",
            with_header(|h| drop(h.insert("typ".into(), json!("application/AT+JWT"))), Signer::Ed),
        ),
        (
            "unknown_header_members_are_ignored",
            with_header(|h| drop(h.insert("x5c".into(), json!(["MIIB"]))), Signer::Ed),
        ),
    ]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_expected_tenant_and_nonce_pass() {
    let keys = key_set();
    let expect = Expectations {
        tenant: Some("t_acme".into()),
        nonce: Some("n-0123456789".into()),
        ..expectations()
    };
    let token = with_claims(|c| {
        c.insert("tid".into(), json!("t_acme"));
        c.insert("nonce".into(), json!("n-0123456789"));
    });
    let claims = verify(&token, &keys, &expect, NOW);
    assert_eq!(claims.as_ref().map(|it| it.tenant_id()), Ok(Some("t_acme")), "{claims:?}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_acceptance_verifies() {
    let keys = key_set();
    let mut wrong = Vec::new();
    for (rule, token) in acceptances() {
        match verify(&token, &keys, &expectations(), NOW) {
            Ok(claims) if claims.subject() == "user-123" => {}
            Ok(claims) => wrong.push(format!("{rule}: subject {}", claims.subject())),
            Err(e) => wrong.push(format!("{rule}: {}: {}", e.code(), e.message())),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_signed_token_round_trips_every_claim() {
    let token = sign(&hub_claims(), &hub_key()).expect("signs");
    let claims = verify(&token, &key_set(), &expectations(), NOW).expect("verifies");

    let got = (
        claims.subject(),
        claims.email(),
        claims.email_verified(),
        claims.name(),
        claims.groups(),
        claims.entitlements(),
        claims.tenant_id(),
        claims.session_id(),
        claims.expires_at(),
        claims.issued_at(),
        claims.kid(),
        claims.algorithm(),
    );
    let groups = ["Technicians".to_owned(), "Admins".to_owned()];
    let entitlements = ["psa".to_owned(), "rmm".to_owned()];
    let want = (
        "user-123",
        Some("ada@example.test"),
        true,
        Some("Ada Lovelace"),
        &groups[..],
        &entitlements[..],
        Some("tenant-1"),
        Some("session-9"),
        NOW + 300,
        Some(NOW - 10),
        ED_KID,
        SignatureAlgorithm::EdDsa,
    );
    assert_eq!(got, want);
    assert!(claims.extra().is_empty(), "{:?}", claims.extra());

    let header = token.split('.').next().expect("has a header");
    assert_eq!(header, b64(br#"{"typ":"at+jwt","alg":"EdDSA","kid":"hub-ed-1"}"#));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn unknown_claims_are_passed_through_unchecked() {
    let token = with_claims(|c| drop(c.insert("jti".into(), json!("t-1"))));
    let claims = verify(&token, &key_set(), &expectations(), NOW).expect("verifies");
    assert_eq!(Value::Object(claims.extra().clone()), json!({"jti": "t-1"}));
    assert_eq!((claims.name(), claims.entitlements().len()), (None, 0));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn another_typ_never_passes_for_a_hub_token() {
    let mut claims = claims_json();
    claims["username"] = json!("ada.l");
    let assertion = sign_claims(&claims, "gate+jwt", &hub_key()).expect("signs");

    let err = verify(&assertion, &key_set(), &expectations(), NOW).expect_err("wrong typ");
    assert_eq!(err.message(), "token typ \"gate+jwt\" is not \"at+jwt\"");

    let gate = Expectations { token_type: "gate+jwt".to_owned(), ..expectations() };
    let verified = verify(&assertion, &key_set(), &gate, NOW).expect("verifies");
    assert_eq!(verified.extra().get("username"), Some(&json!("ada.l")));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_hub_key_publishes_the_rfc_8032_public_key() {
    let jwk = serde_json::to_value(hub_key().public_jwk()).expect("serializes");
    let want = json!({"kty": "OKP", "crv": "Ed25519", "x": ED_X, "kid": ED_KID, "alg": "EdDSA",
        "use": "sig"});
    assert_eq!(jwk, want);
    assert_eq!(format!("{:?}", hub_key()), "SigningKey { kid: \"hub-ed-1\", .. }");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn signing_is_deterministic_and_refuses_what_no_gate_accepts() {
    assert_eq!(sign(&hub_claims(), &hub_key()), sign(&hub_claims(), &hub_key()));

    let mut huge = hub_claims();
    huge.groups = (0..1000).map(|it| format!("group-{it}")).collect();
    let err = sign(&huge, &hub_key()).expect_err("too large");
    assert_eq!(err.kind(), ErrorKind::SigningFailed);
    assert!(err.message().starts_with("the signed token is "), "{}", err.message());

    for kid in ["", "has space", &"k".repeat(129)] {
        let err = SigningKey::from_seed(&ED_SEED, kid).expect_err("bad kid");
        assert_eq!(
            (err.kind(), err.message()),
            (
                ErrorKind::ValueInvalid,
                "a signing key id must be 1 to 128 letters, digits, '.', '_' or '-'"
            )
        );
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_rotated_jwks_verifies_tokens_of_both_keys() {
    let next = SigningKey::from_seed(&OTHER_SEED, "hub-ed-2").expect("key");
    let doc = jwks_json(&[next.public_jwk(), hub_key().public_jwk()]).expect("jwks");
    let keys = KeySet::from_jwks_json(&doc).expect("parses");

    assert_eq!(keys.kids().collect::<Vec<_>>(), ["hub-ed-2", ED_KID]);
    for key in [&next, &hub_key()] {
        let token = sign(&hub_claims(), key).expect("signs");
        let claims = verify(&token, &keys, &expectations(), NOW).expect("verifies");
        assert_eq!(claims.kid(), key.kid());
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_key_set_pins_each_algorithm_and_sets_aside_encryption_keys() {
    let keys = key_set();
    assert_eq!(keys.kids().collect::<Vec<_>>(), [ED_KID, EC_KID, RS_KID]);
    let pinned: Vec<_> = [ED_KID, EC_KID, RS_KID, ENC_KID, "nope"]
        .iter()
        .map(|kid| (keys.contains(kid), keys.algorithm(kid)))
        .collect();
    assert_eq!(
        pinned,
        [
            (true, Some(SignatureAlgorithm::EdDsa)),
            (true, Some(SignatureAlgorithm::Es256)),
            (true, Some(SignatureAlgorithm::Rs256)),
            (false, None),
            (false, None),
        ]
    );
}

/// A JWKS document with the hub's Ed25519 key plus `extra`.
fn jwks_with(extra: Value) -> String {
    let ed = serde_json::to_value(hub_key().public_jwk()).expect("serializes");
    json!({ "keys": [ed, extra] }).to_string()
}

fn okp(members: Value) -> Value {
    let mut key = json!({"kty": "OKP", "crv": "Ed25519", "x": ED_X, "kid": "k2"});
    for (name, value) in members.as_object().expect("object") {
        key[name] = value.clone();
    }
    key
}

fn ec(members: Value) -> Value {
    let mut key = json!({"kty": "EC", "crv": "P-256", "x": EC_X, "y": EC_Y, "kid": "k2"});
    for (name, value) in members.as_object().expect("object") {
        key[name] = value.clone();
    }
    key
}

fn rsa(members: Value) -> Value {
    let mut key = json!({"kty": "RSA", "n": RSA_N, "e": RSA_E, "kid": "k2", "alg": "RS256"});
    for (name, value) in members.as_object().expect("object") {
        key[name] = value.clone();
    }
    key
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn key_sets_that_are_refused() {
    let too_many: Vec<Value> = (0..17).map(|it| okp(json!({"kid": format!("k{it}")}))).collect();
    let rsa_1024 = b64(&[[0xc1u8].as_slice(), &[0x55; 126], &[0x01]].concat());
    let off_curve = b64(&[7u8; 32]);
    let cases: Vec<(&str, String, &str)> = vec![
        ("not_json", "{".into(), "key set is not a json document"),
        ("no_keys_array", r#"{"keys": {}}"#.into(), "key set has no \"keys\" array"),
        (
            "oversized_document",
            format!(r#"{{"keys": [], "pad": "{}"}}"#, "a".repeat(64 * 1024)),
            "key set is 65559 bytes, over the 65536-byte limit",
        ),
        (
            "too_many_keys",
            json!({ "keys": too_many }).to_string(),
            "key set has 17 keys, more than the 16 accepted",
        ),
        ("key_not_an_object", jwks_with(json!("k")), "key #1 is not a json object"),
        (
            "key_without_kid",
            jwks_with(json!({"kty": "OKP", "crv": "Ed25519", "x": ED_X})),
            "key #1 has no kid",
        ),
        (
            "empty_kid",
            jwks_with(okp(json!({"kid": ""}))),
            "key #1 has a kid that is not a string of 1 to 128 bytes",
        ),
        (
            "duplicate_kid",
            jwks_with(okp(json!({"kid": ED_KID}))),
            "two keys share the kid \"hub-ed-1\"",
        ),
        (
            "shared_secret_key",
            jwks_with(json!({"kty": "oct", "k": "c2VjcmV0", "kid": "k2", "alg": "HS256"})),
            "key \"k2\" is a shared secret (kty oct); only public signature keys are accepted",
        ),
        (
            "private_key_material",
            jwks_with(okp(json!({"d": ED_X}))),
            "key \"k2\" carries the private member d; publish public keys only",
        ),
        (
            "okp_key_declaring_es256",
            jwks_with(okp(json!({"alg": "ES256"}))),
            "key \"k2\" declares alg \"ES256\" that contradicts its type \"OKP\"",
        ),
        (
            "okp_key_declaring_hs256",
            jwks_with(okp(json!({"alg": "HS256"}))),
            "key \"k2\" declares alg \"HS256\" that contradicts its type \"OKP\"",
        ),
        (
            "p256_key_declaring_es384",
            jwks_with(ec(json!({"alg": "ES384"}))),
            "key \"k2\" declares alg \"ES384\" that contradicts its type \"EC\"",
        ),
        (
            "rsa_key_declaring_es256",
            jwks_with(rsa(json!({"alg": "ES256"}))),
            "key \"k2\" declares alg \"ES256\" that contradicts its type \"RSA\"",
        ),
        (
            "ed25519_x_of_the_wrong_length",
            jwks_with(okp(json!({"x": b64(&[1; 31])}))),
            "key \"k2\" has a x that is not 32 bytes of base64url",
        ),
        (
            "p256_point_off_the_curve",
            jwks_with(ec(json!({"y": off_curve}))),
            "key \"k2\" is not a valid ES256 point",
        ),
        (
            "rsa_key_of_1024_bits",
            jwks_with(rsa(json!({"n": rsa_1024}))),
            "key \"k2\" has unusable key material",
        ),
        (
            "rsa_even_exponent",
            jwks_with(rsa(json!({"e": "AQAA"}))),
            "key \"k2\" has unusable key material",
        ),
        (
            "use_that_is_not_a_string",
            jwks_with(okp(json!({"use": 1}))),
            "key \"k2\" has a use that is not a string",
        ),
        (
            "only_encryption_keys",
            json!({"keys": [okp(json!({"use": "enc"}))]}).to_string(),
            "key set has no key usable for signature verification",
        ),
    ];

    let mut wrong = Vec::new();
    for (rule, doc, message) in cases {
        let got = match KeySet::from_jwks_json(&doc) {
            Ok(keys) => format!("accepted {:?}", keys.kids().collect::<Vec<_>>()),
            Err(e) => format!("{}: {}", e.code(), e.message()),
        };
        let want = format!("key_set_invalid: {message}");
        if got != want {
            wrong.push(format!("{rule}\n  want {want}\n  got  {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn keys_that_are_set_aside_say_why() {
    let cases = [
        ("use_enc", okp(json!({"use": "enc"})), "it is marked for encryption (use enc)"),
        (
            "key_ops_without_verify",
            okp(json!({"key_ops": ["encrypt"]})),
            "its key_ops do not include verify",
        ),
        ("rsa_without_alg", rsa(json!({"alg": null})), "rsa keys must declare alg RS256"),
        ("rsa_declaring_ps256", rsa(json!({"alg": "PS256"})), "its alg is not RS256"),
        ("p384_key", ec(json!({"crv": "P-384"})), "its curve is not P-256"),
        ("x25519_key", okp(json!({"crv": "X25519"})), "its curve is not Ed25519"),
        ("unknown_key_type", json!({"kty": "AKP", "kid": "k2"}), "its key type is not supported"),
    ];

    let mut wrong = Vec::new();
    for (rule, key, reason) in cases {
        let mut key = key;
        // `"alg": null` stands for "no alg" in the rows above.
        if key["alg"].is_null() {
            key.as_object_mut().expect("object").remove("alg");
        }
        let keys = KeySet::from_jwks_json(&jwks_with(key)).expect("the hub key stays usable");
        let token = forge(&header("EdDSA", "k2"), &claims_json(), Signer::Ed);
        let got = match verify(&token, &keys, &expectations(), NOW) {
            Ok(_) => "accepted".to_owned(),
            Err(e) => format!("{}: {}", e.code(), e.message()),
        };
        let want = format!("token_key_unknown: key \"k2\" cannot verify tokens: {reason}");
        if got != want || keys.contains("k2") {
            wrong.push(format!("{rule}\n  want {want}\n  got  {got}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
