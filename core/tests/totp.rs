//! Two-factor codes: the RFC 4226 and RFC 6238 test vectors, drift, reuse, base32 and recovery
//! codes.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::ErrorKind;
use onegate_core::totp::{self, TotpConfig};

/// The RFC test secret: ASCII "12345678901234567890".
const RFC_SECRET: &[u8] = b"12345678901234567890";

#[test]
fn hotp_matches_rfc4226_appendix_d() {
    let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
    for (counter, want) in expected.into_iter().enumerate() {
        assert_eq!(totp::hotp(RFC_SECRET, counter as u64, 6), want, "counter {counter}");
    }
}

#[test]
fn totp_matches_rfc6238_appendix_b_sha1() {
    let config = TotpConfig { digits: 8, ..TotpConfig::default() };
    let table = [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ];
    for (now, want) in table {
        assert_eq!(totp::code_at(RFC_SECRET, now, config), want, "time {now}");
    }
}

/// One row: what the user types, when, after which step, and what must happen.
struct Row {
    name: &'static str,
    code_time: u64,
    now: u64,
    last_used_step: Option<u64>,
    expect: Result<u64, ErrorKind>,
}

#[test]
fn verify_accepts_drift_of_one_step_and_refuses_reuse() {
    let t = 1_700_000_010; // step 56_666_667
    let step = t / 30;
    let rows = [
        Row {
            name: "current_code_is_accepted",
            code_time: t,
            now: t,
            last_used_step: None,
            expect: Ok(step),
        },
        Row {
            name: "previous_step_is_accepted",
            code_time: t - 30,
            now: t,
            last_used_step: None,
            expect: Ok(step - 1),
        },
        Row {
            name: "next_step_is_accepted",
            code_time: t + 30,
            now: t,
            last_used_step: None,
            expect: Ok(step + 1),
        },
        Row {
            name: "two_steps_old_is_refused",
            code_time: t - 60,
            now: t,
            last_used_step: None,
            expect: Err(ErrorKind::TotpCodeInvalid),
        },
        Row {
            name: "same_step_again_is_reused",
            code_time: t,
            now: t,
            last_used_step: Some(step),
            expect: Err(ErrorKind::TotpCodeReused),
        },
        Row {
            name: "earlier_step_after_later_is_reused",
            code_time: t - 30,
            now: t,
            last_used_step: Some(step),
            expect: Err(ErrorKind::TotpCodeReused),
        },
        Row {
            name: "next_code_after_use_is_accepted",
            code_time: t + 30,
            now: t + 30,
            last_used_step: Some(step),
            expect: Ok(step + 1),
        },
    ];
    let config = TotpConfig::default();
    for row in rows {
        let code = totp::code_at(RFC_SECRET, row.code_time, config);
        let got = totp::verify(RFC_SECRET, &code, row.now, row.last_used_step, config)
            .map_err(|e| e.kind());
        assert_eq!(got, row.expect, "{}", row.name);
    }
}

#[test]
fn verify_refuses_malformed_codes_with_a_message() {
    let config = TotpConfig::default();
    for input in ["", "12345", "1234567", "12a456", "١٢٣٤٥٦"] {
        let err = totp::verify(RFC_SECRET, input, 59, None, config).err();
        let err = err.unwrap_or_else(|| panic!("{input:?} was accepted"));
        assert_eq!(err.kind(), ErrorKind::TotpCodeMalformed, "{input:?}");
        assert_eq!(err.message(), "enter the 6-digit code from your authenticator app");
    }
}

#[test]
fn verify_ignores_spaces_inside_the_code() {
    let config = TotpConfig::default();
    let code = totp::code_at(RFC_SECRET, 59, config);
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    assert_eq!(totp::verify(RFC_SECRET, &spaced, 59, None, config), Ok(1));
}

#[test]
fn base32_round_trips_and_matches_rfc4648() {
    let table: [(&[u8], &str); 6] = [
        (b"", ""),
        (b"f", "MY"),
        (b"fo", "MZXQ"),
        (b"foo", "MZXW6"),
        (b"foobar", "MZXW6YTBOI"),
        (RFC_SECRET, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
    ];
    for (bytes, text) in table {
        assert_eq!(totp::base32_encode(bytes), text);
        assert_eq!(totp::base32_decode(text).as_deref(), Ok(bytes));
        assert_eq!(totp::base32_decode(&text.to_lowercase()).as_deref(), Ok(bytes));
    }
    let err = totp::base32_decode("MZ1W6").err().map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::ValueInvalid));
}

#[test]
fn otpauth_uri_names_issuer_account_and_secret() {
    let uri = totp::otpauth_uri("KaseyaOne", "ann@acme.test", RFC_SECRET, TotpConfig::default());
    assert_eq!(
        uri,
        "otpauth://totp/KaseyaOne:ann%40acme.test?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
         &issuer=KaseyaOne&algorithm=SHA1&digits=6&period=30"
    );
}

#[test]
fn recovery_codes_are_grouped_and_hash_the_same_however_typed() {
    let code = totp::recovery_code([0xff; 10]);
    assert_eq!(code, "7777-7777-7777-7777");
    let code = totp::recovery_code([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(code.len(), 19);
    assert!(totp::looks_like_recovery_code(&code));
    assert!(!totp::looks_like_recovery_code("123456"));

    let stored = totp::recovery_code_hash(&code);
    assert_eq!(stored.len(), 64);
    assert_eq!(totp::recovery_code_hash(&code.to_uppercase().replace('-', " ")), stored);
    assert_ne!(
        totp::recovery_code_hash("7777-7777-7777-7776"),
        totp::recovery_code_hash("7777-7777-7777-7777")
    );
}
