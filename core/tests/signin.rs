//! Hub sign-in rules: the new-password policy and failed-attempt throttling.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::ErrorKind;
use onegate_core::signin::{self, ThrottlePolicy, ThrottleState};

#[test]
fn new_password_policy() {
    let long = "ab".repeat(129);
    let table: [(&str, &str, Result<(), ErrorKind>); 6] = [
        ("long_enough_password_is_accepted", "correct horse battery", Ok(())),
        ("eleven_characters_are_too_short", "abcdefghijk", Err(ErrorKind::PasswordTooWeak)),
        ("twelve_multibyte_characters_count_as_twelve", "ääääääääääää1", Ok(())),
        ("email_as_password_is_refused", "ANN@acme.test", Err(ErrorKind::PasswordTooWeak)),
        ("one_repeated_character_is_refused", "aaaaaaaaaaaaaaaa", Err(ErrorKind::PasswordTooWeak)),
        ("over_256_bytes_is_refused", &long, Err(ErrorKind::PasswordTooWeak)),
    ];
    for (name, password, expect) in table {
        let got = signin::check_new_password(password, "ann@acme.test").map_err(|e| e.kind());
        assert_eq!(got, expect, "{name}");
    }
}

#[test]
fn password_input_is_bounded_before_hashing() {
    assert_eq!(signin::check_password_input("x"), Ok(()));
    let empty = signin::check_password_input("").err().map(|e| e.message().to_string());
    assert_eq!(empty.as_deref(), Some("enter your password"));
    let long = "x".repeat(257);
    assert_eq!(
        signin::check_password_input(&long).err().map(|e| e.kind()),
        Some(ErrorKind::ValueInvalid)
    );
}

#[test]
fn throttle_locks_after_the_limit_until_the_window_ends() {
    let policy = ThrottlePolicy { max_failures: 3, window_secs: 600 };
    let t0 = 1_000;
    let mut state = None;
    for i in 0..3 {
        assert_eq!(signin::check_throttle(state, t0 + i, policy), Ok(()), "attempt {i}");
        state = Some(signin::record_failure(state, t0 + i, policy));
    }
    assert_eq!(state, Some(ThrottleState { failures: 3, window_start: t0 }));

    let locked = signin::check_throttle(state, t0 + 10, policy).err();
    let locked = locked.unwrap_or_else(|| panic!("not locked after 3 failures"));
    assert_eq!(locked.kind(), ErrorKind::SignInThrottled);
    assert_eq!(locked.message(), "too many failed sign-in attempts; try again in 10 minute(s)");

    assert_eq!(
        signin::check_throttle(state, t0 + 599, policy).map_err(|e| e.kind()),
        Err(ErrorKind::SignInThrottled)
    );
    assert_eq!(signin::check_throttle(state, t0 + 600, policy), Ok(()));
    assert_eq!(
        signin::record_failure(state, t0 + 600, policy),
        ThrottleState { failures: 1, window_start: t0 + 600 },
        "a failure after the window starts a new one"
    );
}

#[test]
fn account_and_address_policies_differ() {
    const { assert!(ThrottlePolicy::ACCOUNT.max_failures < ThrottlePolicy::ADDRESS.max_failures) };
    let at_account_limit = ThrottleState { failures: 5, window_start: 0 };
    assert!(signin::check_throttle(Some(at_account_limit), 1, ThrottlePolicy::ACCOUNT).is_err());
    assert!(signin::check_throttle(Some(at_account_limit), 1, ThrottlePolicy::ADDRESS).is_ok());
}

#[test]
fn return_path_stays_on_the_hub() {
    let table = [
        (
            "authorize_request_is_kept",
            Some("/oauth/authorize?client_id=psa&x=1"),
            "/oauth/authorize?client_id=psa&x=1",
        ),
        ("missing_is_home", None, "/"),
        ("absolute_url_is_home", Some("https://evil.example/"), "/"),
        ("protocol_relative_is_home", Some("//evil.example/"), "/"),
        ("backslash_is_home", Some("/\\evil.example"), "/"),
        ("control_character_is_home", Some("/a\nb"), "/"),
        ("relative_path_is_home", Some("oauth/authorize"), "/"),
    ];
    for (name, requested, expect) in table {
        assert_eq!(signin::local_return_path(requested), expect, "{name}");
    }
}
