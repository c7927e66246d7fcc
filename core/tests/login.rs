//! The login decision, one row per rule of the product's Unified Login section.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::login::{self, LoginAttempt, Outcome, Rule};
use onegate_core::model::{Client, LicenseType, LoginMethod, ModuleSettings};

use Client::{Browser, LiveMobile};
use LicenseType::{CoManagedHelpDeskUser, Contractor, DashboardUser, Full};
use LoginMethod::{HubLogin, ModuleCredentials};

#[derive(Clone, Copy)]
enum Mode {
    Off,
    Unified,
    Required,
}

struct Row {
    name: &'static str,
    mode: Mode,
    client: Client,
    method: LoginMethod,
    user: &'static str,
    license: Option<LicenseType>,
    outcome: Outcome,
    rule: Rule,
}

fn settings(mode: Mode) -> ModuleSettings {
    ModuleSettings {
        unified_login: !matches!(mode, Mode::Off),
        require_hub_login: matches!(mode, Mode::Required),
        user_exceptions: vec!["Excepted.User".into()],
        ..ModuleSettings::default()
    }
}

#[rustfmt::skip]
const ROWS: &[Row] = &[
    Row { name: "module_credentials_work_while_unified_login_is_off", mode: Mode::Off, client: Browser, method: ModuleCredentials, user: "ann", license: Some(Full), outcome: Outcome::Allow, rule: Rule::ModuleCredentialsAccepted },
    Row { name: "hub_login_is_refused_while_unified_login_is_off", mode: Mode::Off, client: Browser, method: HubLogin, user: "ann", license: Some(Full), outcome: Outcome::Refuse, rule: Rule::HubLoginNotEnabled },
    Row { name: "live_mobile_uses_module_credentials_while_unified_login_is_off", mode: Mode::Off, client: LiveMobile, method: ModuleCredentials, user: "ann", license: Some(Full), outcome: Outcome::Allow, rule: Rule::ModuleCredentialsAccepted },
    Row { name: "hub_login_is_accepted_while_unified_login_is_on", mode: Mode::Unified, client: Browser, method: HubLogin, user: "ann", license: Some(Full), outcome: Outcome::Allow, rule: Rule::HubLoginAccepted },
    Row { name: "hub_login_is_accepted_for_a_user_without_an_account_yet", mode: Mode::Unified, client: Browser, method: HubLogin, user: "new", license: None, outcome: Outcome::Allow, rule: Rule::HubLoginAccepted },
    Row { name: "hub_login_is_optional_so_module_credentials_keep_working", mode: Mode::Unified, client: Browser, method: ModuleCredentials, user: "ann", license: Some(Full), outcome: Outcome::Allow, rule: Rule::ModuleCredentialsAccepted },
    Row { name: "live_mobile_is_refused_module_credentials_while_unified_login_is_on", mode: Mode::Unified, client: LiveMobile, method: ModuleCredentials, user: "ann", license: Some(Full), outcome: Outcome::Refuse, rule: Rule::LiveMobileRefused },
    Row { name: "live_mobile_is_refused_hub_login", mode: Mode::Unified, client: LiveMobile, method: HubLogin, user: "ann", license: Some(Full), outcome: Outcome::Refuse, rule: Rule::LiveMobileRefused },
    Row { name: "live_mobile_is_refused_while_hub_login_is_required", mode: Mode::Required, client: LiveMobile, method: ModuleCredentials, user: "Excepted.User", license: Some(Full), outcome: Outcome::Refuse, rule: Rule::LiveMobileRefused },
    Row { name: "live_mobile_is_refused_even_for_a_barred_license", mode: Mode::Unified, client: LiveMobile, method: ModuleCredentials, user: "dan", license: Some(DashboardUser), outcome: Outcome::Refuse, rule: Rule::LiveMobileRefused },
    Row { name: "dashboard_user_is_refused_hub_login", mode: Mode::Unified, client: Browser, method: HubLogin, user: "dan", license: Some(DashboardUser), outcome: Outcome::Refuse, rule: Rule::LicenseBarredFromHubLogin(DashboardUser) },
    Row { name: "co_managed_help_desk_user_is_refused_hub_login", mode: Mode::Unified, client: Browser, method: HubLogin, user: "cora", license: Some(CoManagedHelpDeskUser), outcome: Outcome::Refuse, rule: Rule::LicenseBarredFromHubLogin(CoManagedHelpDeskUser) },
    Row { name: "contractor_is_refused_hub_login", mode: Mode::Required, client: Browser, method: HubLogin, user: "carl", license: Some(Contractor), outcome: Outcome::Refuse, rule: Rule::LicenseBarredFromHubLogin(Contractor) },
    Row { name: "required_hub_login_sends_module_credentials_to_the_hub", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "ann", license: Some(Full), outcome: Outcome::SendToHub, rule: Rule::HubLoginRequired },
    Row { name: "required_hub_login_sends_unknown_users_to_the_hub", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "nobody", license: None, outcome: Outcome::SendToHub, rule: Rule::HubLoginRequired },
    Row { name: "user_exception_keeps_module_credentials", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "Excepted.User", license: Some(Full), outcome: Outcome::Allow, rule: Rule::UserException },
    Row { name: "user_exception_matches_usernames_case_insensitively", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "excepted.user", license: Some(Full), outcome: Outcome::Allow, rule: Rule::UserException },
    Row { name: "dashboard_user_is_an_implicit_exception", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "dan", license: Some(DashboardUser), outcome: Outcome::Allow, rule: Rule::ImplicitException(DashboardUser) },
    Row { name: "co_managed_help_desk_user_is_an_implicit_exception", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "cora", license: Some(CoManagedHelpDeskUser), outcome: Outcome::Allow, rule: Rule::ImplicitException(CoManagedHelpDeskUser) },
    Row { name: "contractor_is_an_implicit_exception", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "carl", license: Some(Contractor), outcome: Outcome::Allow, rule: Rule::ImplicitException(Contractor) },
    Row { name: "user_exception_does_not_open_hub_login_to_a_barred_license", mode: Mode::Required, client: Browser, method: HubLogin, user: "Excepted.User", license: Some(Contractor), outcome: Outcome::Refuse, rule: Rule::LicenseBarredFromHubLogin(Contractor) },
    Row { name: "hub_login_is_accepted_while_required", mode: Mode::Required, client: Browser, method: HubLogin, user: "ann", license: Some(Full), outcome: Outcome::Allow, rule: Rule::HubLoginAccepted },
    Row { name: "live_mobile_hub_login_is_refused_while_unified_login_is_off", mode: Mode::Off, client: LiveMobile, method: HubLogin, user: "ann", license: Some(Full), outcome: Outcome::Refuse, rule: Rule::HubLoginNotEnabled },
];

/// One row of [`decisions_that_need_no_lookup`]: `None` when the license must be looked up.
struct EarlyRow {
    name: &'static str,
    mode: Mode,
    client: Client,
    method: LoginMethod,
    user: &'static str,
    early: Option<Rule>,
}

#[rustfmt::skip]
const EARLY_ROWS: &[EarlyRow] = &[
    EarlyRow { name: "live_mobile_is_refused_before_any_lookup", mode: Mode::Required, client: LiveMobile, method: ModuleCredentials, user: "ann", early: Some(Rule::LiveMobileRefused) },
    EarlyRow { name: "hub_login_without_unified_login_is_refused_before_any_lookup", mode: Mode::Off, client: Browser, method: HubLogin, user: "ann", early: Some(Rule::HubLoginNotEnabled) },
    EarlyRow { name: "optional_hub_login_lets_module_credentials_through_without_a_lookup", mode: Mode::Unified, client: Browser, method: ModuleCredentials, user: "ann", early: Some(Rule::ModuleCredentialsAccepted) },
    EarlyRow { name: "hub_login_needs_the_license_to_refuse_barred_types", mode: Mode::Unified, client: Browser, method: HubLogin, user: "ann", early: None },
    EarlyRow { name: "required_hub_login_needs_the_license_to_find_implicit_exceptions", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "ann", early: None },
    EarlyRow { name: "a_listed_exception_still_needs_the_license_when_required", mode: Mode::Required, client: Browser, method: ModuleCredentials, user: "Excepted.User", early: None },
];

#[test]
fn decisions_that_need_no_lookup() {
    let mut failures = Vec::new();
    for row in EARLY_ROWS {
        let settings = settings(row.mode);
        let attempt = LoginAttempt {
            settings: &settings,
            client: row.client,
            method: row.method,
            username: Some(row.user),
            license_type: None,
        };
        let got = login::decide_before_lookup(attempt);
        if got.map(|it| it.rule) != row.early {
            failures.push(format!("{}: expected {:?}, got {got:?}", row.name, row.early));
        }
        // Whatever it settles on is what the full decision says for every license.
        if let Some(early) = got {
            for license in [None, Some(Full), Some(Contractor), Some(DashboardUser)] {
                let full = login::decide(LoginAttempt { license_type: license, ..attempt });
                if full != early {
                    failures.push(format!("{}: {license:?} decides {full:?}", row.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_login_rule() {
    let mut failures = Vec::new();
    for row in ROWS {
        let settings = settings(row.mode);
        let got = login::decide(LoginAttempt {
            settings: &settings,
            client: row.client,
            method: row.method,
            username: Some(row.user),
            license_type: row.license,
        });
        if (got.outcome, got.rule) != (row.outcome, row.rule) {
            failures.push(format!(
                "{}: expected {:?}/{:?}, got {:?}/{:?}",
                row.name, row.outcome, row.rule, got.outcome, got.rule
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn required_hub_login_without_unified_login_is_not_enforced() {
    // Validation refuses such settings; should stored data ever hold them, the decision reads
    // "required" as off rather than locking everyone out.
    let settings =
        ModuleSettings { require_hub_login: true, unified_login: false, ..Default::default() };
    let got = login::decide(LoginAttempt {
        settings: &settings,
        client: Browser,
        method: ModuleCredentials,
        username: Some("ann"),
        license_type: Some(Full),
    });
    assert_eq!(got.rule, Rule::ModuleCredentialsAccepted);
}

#[test]
fn rules_explain_themselves_with_the_brand() {
    let cases = [
        (Rule::LiveMobileRefused, "the LiveMobile app cannot sign in"),
        (Rule::HubLoginNotEnabled, "does not accept login with KaseyaOne"),
        (
            Rule::LicenseBarredFromHubLogin(CoManagedHelpDeskUser),
            "Co-Managed Help Desk User licenses cannot sign in with KaseyaOne",
        ),
        (Rule::HubLoginRequired, "requires login with KaseyaOne"),
        (Rule::ImplicitException(Contractor), "Contractor licenses cannot use KaseyaOne"),
    ];
    for (rule, expected) in cases {
        let text = rule.explain("KaseyaOne");
        assert!(text.contains(expected), "{}: {text}", rule.code());
        assert!(!text.ends_with('.'), "{}: ends with a period", rule.code());
    }
    assert!(Rule::HubLoginRequired.explain("Acme ID").contains("Acme ID"));
}

#[test]
fn module_credentials_remain_unless_the_app_or_required_hub_login_stops_them() {
    let rows = [
        (Rule::LiveMobileRefused, false),
        (Rule::HubLoginRequired, false),
        (Rule::HubLoginNotEnabled, true),
        (Rule::LicenseBarredFromHubLogin(Contractor), true),
        (Rule::HubLoginAccepted, true),
        (Rule::ModuleCredentialsAccepted, true),
        (Rule::UserException, true),
        (Rule::ImplicitException(Contractor), true),
    ];
    for (rule, expected) in rows {
        assert_eq!(rule.module_credentials_remain(), expected, "{}", rule.code());
    }
}

#[test]
fn decision_serialises_with_rule_code() {
    let decision = login::LoginDecision {
        outcome: Outcome::Refuse,
        rule: Rule::LicenseBarredFromHubLogin(Contractor),
    };
    let json = serde_json::to_value(decision).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({
            "outcome": "refuse",
            "rule": "license_barred_from_hub_login",
            "license_type": "contractor"
        })
    );
    let back: login::LoginDecision = serde_json::from_value(json).expect("deserialises");
    assert_eq!(back, decision);
    for row in ROWS {
        let json = serde_json::to_value(row.rule).expect("serialises");
        assert_eq!(json["rule"], row.rule.code(), "{}", row.name);
    }
}
