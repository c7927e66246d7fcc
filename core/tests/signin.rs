//! Hub sign-in rules: the new-password policy, attempt throttling and the `amr` values.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::ErrorKind;
use onegate_core::signin::{self, SecondFactor, ThrottlePolicy, ThrottleState};

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

/// Counts `n` attempts at `at(i)` the way the store does and returns which were admitted.
fn admitted(policy: ThrottlePolicy, n: u64, at: impl Fn(u64) -> u64) -> Vec<bool> {
    let mut state = None;
    (0..n)
        .map(|i| {
            let counted = signin::count_attempt(state, at(i), policy);
            state = Some(counted);
            signin::check_attempt(counted, at(i), policy).is_ok()
        })
        .collect()
}

#[test]
fn throttle_admits_the_limit_then_locks_until_the_window_ends() {
    let policy = ThrottlePolicy { max_failures: 3, window_secs: 600 };
    let t0 = 1_000;
    type Clock = fn(u64) -> u64;
    // (rule, attempts, time of attempt i, admitted)
    let table: [(&str, u64, Clock, usize); 4] = [
        ("a_burst_in_one_second_gets_the_limit_checked", 20, |_| 1_000, 3),
        ("attempts_spread_over_the_window_get_the_limit", 10, |i| 1_000 + i * 50, 3),
        ("one_attempt_per_window_is_always_admitted", 5, |i| 1_000 + i * 600, 5),
        ("a_new_window_admits_the_limit_again", 8, |i| if i < 4 { 1_000 } else { 1_600 }, 6),
    ];
    for (name, n, at, expect) in table {
        let got = admitted(policy, n, at);
        assert_eq!(got.iter().filter(|ok| **ok).count(), expect, "{name}: {got:?}");
    }
    let burst = admitted(policy, 20, |_| t0);
    assert!(burst[..3].iter().all(|ok| *ok) && burst[3..].iter().all(|ok| !ok), "{burst:?}");

    let locked =
        signin::check_attempt(ThrottleState { failures: 4, window_start: t0 }, t0 + 10, policy);
    let locked = locked.err().unwrap_or_else(|| panic!("not locked after 4 attempts"));
    assert_eq!(locked.kind(), ErrorKind::SignInThrottled);
    assert_eq!(locked.message(), "too many failed sign-in attempts; try again in 10 minute(s)");
    let last_second = ThrottleState { failures: 4, window_start: t0 };
    assert!(signin::check_attempt(last_second, t0 + 599, policy).is_err());
    assert_eq!(signin::check_attempt(last_second, t0 + 600, policy), Ok(()));
    assert_eq!(
        signin::count_attempt(Some(last_second), t0 + 600, policy),
        ThrottleState { failures: 1, window_start: t0 + 600 },
        "an attempt after the window starts a new one"
    );
}

#[test]
fn account_and_address_policies_differ() {
    const { assert!(ThrottlePolicy::ACCOUNT.max_failures < ThrottlePolicy::ADDRESS.max_failures) };
    let burst = |policy| admitted(policy, 50, |_| 0).iter().filter(|ok| **ok).count();
    assert_eq!(burst(ThrottlePolicy::ACCOUNT), 5);
    assert_eq!(burst(ThrottlePolicy::ADDRESS), 20);
}

#[test]
fn throttle_keys_do_not_depend_on_whether_an_account_exists() {
    let key = signin::email_throttle_key("ann@acme.test");
    let table = [
        ("upper_case_is_the_same_address", " Ann@ACME.test ", true),
        ("surrounding_space_is_ignored", "\tann@acme.test\n", true),
        ("another_address_has_another_key", "bob@acme.test", false),
        ("a_near_miss_has_another_key", "ann@acme.tes", false),
    ];
    for (name, email, same) in table {
        assert_eq!(signin::email_throttle_key(email) == key, same, "{name}");
    }
    assert!(key.starts_with("email:") && !key.contains("ann"), "{key}");
    assert_eq!(key.len(), "email:".len() + 43);
    assert_eq!(signin::address_throttle_key("203.0.113.7"), "ip:203.0.113.7");
    assert_eq!(signin::normalise_email(" Ann@ACME.test "), "ann@acme.test");
}

#[test]
fn amr_says_which_second_factor_was_used() {
    let table = [
        ("totp_is_a_one_time_password", SecondFactor::Totp, &["pwd", "otp", "mfa"][..]),
        ("a_recovery_code_is_not_otp", SecondFactor::RecoveryCode, &["pwd", "mfa"][..]),
    ];
    for (name, factor, amr) in table {
        assert_eq!(factor.amr(), amr, "{name}");
    }
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
