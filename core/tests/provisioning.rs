//! The provisioning plan, one case per rule of the product's Automatic User Provisioning section.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::{account, hub_groups, hub_user, psa_levels, settings, strings};
use onegate_core::access::ResolutionReason;
use onegate_core::model::{HubUser, LicenseType, ModuleAccount, ModuleSettings};
use onegate_core::provisioning::{
    self, AccountReferences, Plan, ProvisioningInput, SignInClaims, SyncPayload,
};
use onegate_core::{ErrorKind, Result};

/// 2026-12-03T12:00:00Z
const NOW: i64 = 1_796_299_200;

fn provisioning_on() -> ModuleSettings {
    ModuleSettings { provisioning: true, ..settings() }
}

fn plan(user: &HubUser, settings: &ModuleSettings, accounts: &[ModuleAccount]) -> Result<Plan> {
    provisioning::plan(ProvisioningInput {
        module_id: "psa",
        module_name: "Demo PSA",
        user,
        entitled: true,
        settings,
        groups: &hub_groups(),
        levels: &psa_levels(),
        accounts,
        now: NOW,
    })
}

fn err(result: Result<Plan>) -> (ErrorKind, String) {
    match result {
        Ok(plan) => panic!("expected an error, got {plan:?}"),
        Err(e) => (e.kind(), e.message().to_owned()),
    }
}

#[test]
fn first_sign_in_creates_an_account_with_the_five_defaults() {
    let user = hub_user("u1", "Ann.Lee@Example.com", true, &[]);
    let got = plan(&user, &provisioning_on(), &[]).expect("plans");
    let Plan::Create { account, billing, resolution } = &got else {
        panic!("expected create, got {got:?}");
    };
    assert_eq!(account.username, "ann.lee@example.com");
    assert_eq!(account.hub_user, "u1");
    assert_eq!(account.license_type, LicenseType::Full);
    assert_eq!(account.security_level, "dashboard");
    assert_eq!(account.timesheet_approver, "res-approver");
    assert_eq!(account.department, "dept-service");
    assert_eq!(account.expense_report_approver, "res-approver");
    assert_eq!(account.role, "role-tech");
    assert_eq!(resolution.reason, ResolutionReason::AccessGroupsOff);
    assert_eq!(billing.kind, "seat_added");
    assert_eq!(billing.module_id, "psa");
    assert_eq!(billing.date, "2026-12-03");
}

#[test]
fn created_account_takes_the_level_of_its_one_access_group() {
    let user = hub_user("u1", "ann@example.com", true, &["g-tech"]);
    let settings =
        ModuleSettings { access_groups: strings(&["g-helpdesk", "g-tech"]), ..provisioning_on() };
    let got = plan(&user, &settings, &[]).expect("plans");
    assert_eq!(
        got.sync_payload(),
        Some(SyncPayload { username: "ann@example.com".into(), security_level: "tech".into() })
    );
}

#[test]
fn created_account_with_several_access_groups_takes_the_default() {
    let user = hub_user("u1", "ann@example.com", true, &["g-tech", "g-helpdesk"]);
    let settings =
        ModuleSettings { access_groups: strings(&["g-helpdesk", "g-tech"]), ..provisioning_on() };
    let got = plan(&user, &settings, &[]).expect("plans");
    assert_eq!(got.sync_payload().map(|it| it.security_level), Some("dashboard".into()));
}

#[test]
fn no_account_and_provisioning_off_is_refused() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let (kind, message) = err(plan(&user, &settings(), &[]));
    assert_eq!(kind, ErrorKind::ModuleAccountMissing);
    assert!(message.contains("automatic provisioning is off"), "{message}");
}

#[test]
fn provisioning_with_a_missing_default_is_refused() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let mut settings = provisioning_on();
    settings.defaults.role = None;
    assert_eq!(err(plan(&user, &settings, &[])).0, ErrorKind::ProvisioningDefaultMissing);
}

#[test]
fn user_without_access_to_the_module_is_refused() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let got = provisioning::plan(ProvisioningInput {
        module_id: "psa",
        module_name: "Demo PSA",
        user: &user,
        entitled: false,
        settings: &provisioning_on(),
        groups: &[],
        levels: &psa_levels(),
        accounts: &[],
        now: NOW,
    });
    assert_eq!(err(got).0, ErrorKind::ModuleAccessMissing);
}

#[test]
fn same_email_links_instead_of_creating_compared_case_insensitively() {
    let user = hub_user("u1", "ANN@example.com", true, &[]);
    let existing = [account("a7", "ann", Some(" ann@EXAMPLE.com "), None)];
    let got = plan(&user, &provisioning_on(), &existing).expect("plans");
    assert_eq!(
        got,
        Plan::Link {
            account_id: "a7".into(),
            username: "ann".into(),
            set_level: None,
            resolution: onegate_core::access::Resolution {
                level: None,
                reason: ResolutionReason::AccessGroupsOff
            },
        }
    );
    assert_eq!(got.sync_payload(), None);
}

#[test]
fn linking_applies_the_access_group_level() {
    let user = hub_user("u1", "ann@example.com", true, &["g-helpdesk"]);
    let settings = ModuleSettings { access_groups: strings(&["g-helpdesk"]), ..provisioning_on() };
    let existing = [account("a7", "ann", Some("ann@example.com"), None)];
    let got = plan(&user, &settings, &existing).expect("plans");
    assert_eq!(
        got.sync_payload(),
        Some(SyncPayload { username: "ann".into(), security_level: "helpdesk".into() })
    );
}

#[test]
fn unverified_hub_email_never_links() {
    let user = hub_user("u1", "ann@example.com", false, &[]);
    let existing = [account("a7", "ann", Some("ann@example.com"), None)];
    let (kind, message) = err(plan(&user, &provisioning_on(), &existing));
    assert_eq!(kind, ErrorKind::HubEmailUnverified);
    assert!(message.starts_with("verify your hub email"), "{message}");
}

#[test]
fn account_linked_to_another_hub_user_is_never_taken_over() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let existing = [account("a7", "ann", Some("ann@example.com"), Some("u2"))];
    assert_eq!(
        err(plan(&user, &provisioning_on(), &existing)).0,
        ErrorKind::ModuleAccountLinkedElsewhere
    );
}

#[test]
fn two_accounts_with_the_same_email_are_not_guessed_between() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let existing = [
        account("a7", "ann", Some("ann@example.com"), None),
        account("a8", "ann2", Some("Ann@example.com"), None),
    ];
    assert_eq!(
        err(plan(&user, &provisioning_on(), &existing)).0,
        ErrorKind::ModuleAccountAmbiguous
    );
}

#[test]
fn access_group_overrides_a_level_changed_inside_the_module() {
    let user = hub_user("u1", "ann@example.com", true, &["g-helpdesk"]);
    let settings = ModuleSettings { access_groups: strings(&["g-helpdesk"]), ..provisioning_on() };
    let mut linked = account("a7", "ann", Some("ann@example.com"), Some("u1"));
    linked.security_level = "admin".into();
    let got = plan(&user, &settings, &[linked]).expect("plans");
    let Plan::UpdateLevel { from, to, .. } = &got else { panic!("expected update, got {got:?}") };
    assert_eq!((from.as_str(), to.as_str()), ("admin", "helpdesk"));
}

#[test]
fn linked_account_at_the_right_level_needs_nothing() {
    let user = hub_user("u1", "ann@example.com", true, &["g-tech"]);
    let settings = ModuleSettings { access_groups: strings(&["g-tech"]), ..provisioning_on() };
    let linked = account("a7", "ann", None, Some("u1"));
    let got = plan(&user, &settings, &[linked]).expect("plans");
    assert!(matches!(got, Plan::Nothing { .. }), "{got:?}");
    assert_eq!(got.username(), "ann");
}

#[test]
fn linked_account_wins_over_an_email_match() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let existing = [
        account("a8", "someone", Some("ann@example.com"), Some("u9")),
        account("a7", "ann", None, Some("u1")),
    ];
    let got = plan(&user, &provisioning_on(), &existing).expect("plans");
    assert_eq!(got.username(), "ann");
}

#[test]
fn sync_payload_carries_only_username_and_level() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let got = plan(&user, &provisioning_on(), &[]).expect("plans");
    let json = serde_json::to_value(got.sync_payload()).expect("serialises");
    let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["security_level", "username"]);
}

#[test]
fn civil_dates_cover_leap_years_and_the_epoch() {
    let cases = [
        (0, "1970-01-01"),
        (951_782_400, "2000-02-29"),
        (NOW, "2026-12-03"),
        (-86_400, "1969-12-31"),
        (4_107_542_399, "2100-02-28"),
    ];
    for (secs, date) in cases {
        assert_eq!(provisioning::civil_date(secs), date, "{secs}");
    }
}

#[test]
fn access_needs_the_module_among_the_entitlements() {
    let entitlements = strings(&["rmm", "psa"]);
    assert_eq!(provisioning::check_access(&entitlements, "psa", "Demo PSA"), Ok(()));
    let err = provisioning::check_access(&entitlements, "psa2", "Demo PSA 2").expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::ModuleAccessMissing);
    assert_eq!(
        err.message(),
        "you do not have access to Demo PSA 2; ask your administrator to grant it in the hub"
    );
    assert!(provisioning::check_access(&[], "psa", "Demo PSA").is_err());
}

#[test]
fn the_hub_user_of_a_sign_in_takes_groups_by_name_or_id_in_the_tenant_order() {
    let claimed = strings(&["Sales", "g-tech", "Unknown", "TECHNICIAN"]);
    let said = SignInClaims {
        subject: "u1",
        email: Some("  Ann.Lee@Example.com "),
        email_verified: true,
        groups: &claimed,
    };
    let user = provisioning::hub_user(said, &hub_groups()).expect("a user");
    assert_eq!(user.id, "u1");
    assert_eq!(user.email, "Ann.Lee@Example.com", "trimmed; case is kept for display");
    assert!(user.email_verified);
    // "g-tech" by id, "Sales" by name; names match exactly, so "TECHNICIAN" is no group and
    // the group named "technician" (g-tech-lower) is not joined either.
    assert_eq!(user.groups, strings(&["g-tech", "g-sales"]));

    for email in [None, Some(""), Some("   ")] {
        let said = SignInClaims { email, ..said };
        let err = provisioning::hub_user(said, &hub_groups()).expect_err("refused");
        assert_eq!(err.kind(), ErrorKind::ValueInvalid, "{email:?}");
        assert!(err.message().contains("carries no email address"), "{}", err.message());
    }
}

#[test]
fn the_login_account_is_the_linked_one_else_the_only_one_with_the_email() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let linked = account("a1", "ann", Some("other@example.com"), Some("u1"));
    let same = account("a2", "ann.lee", Some("ANN@example.com"), None);
    let twin = account("a3", "a.lee", Some("ann@example.com "), None);
    let someone = account("a4", "bob", Some("bob@example.com"), Some("u2"));

    let rows: [(&str, Vec<ModuleAccount>, Option<&str>); 5] = [
        ("the linked account wins over one with the email", vec![same.clone(), linked], Some("a1")),
        (
            "no link: the one account with the email",
            vec![someone.clone(), same.clone()],
            Some("a2"),
        ),
        ("no link and two with the email: none", vec![same, twin], None),
        ("nothing of the user's", vec![someone], None),
        ("no accounts", vec![], None),
    ];
    for (name, accounts, want) in rows {
        let got = provisioning::login_account(&user, &accounts).map(|it| it.id.as_str());
        assert_eq!(got, want, "{name}");
    }
}

/// One refusal of the plan: who signs in, with which settings, against which accounts.
struct Refusal {
    name: &'static str,
    verified: bool,
    provisioning: bool,
    accounts: Vec<ModuleAccount>,
    kind: ErrorKind,
    message: &'static str,
}

fn refusals() -> Vec<Refusal> {
    let ann = |id: &str, username: &str, email: Option<&str>, hub: Option<&str>| {
        account(id, username, email, hub)
    };
    vec![
        Refusal {
            name: "username_taken_by_an_account_with_another_email",
            verified: true,
            provisioning: true,
            accounts: vec![ann("a7", "ann@example.com", Some("someone.else@example.com"), None)],
            kind: ErrorKind::ModuleUsernameTaken,
            message: "the module already has an account whose username is your email address",
        },
        Refusal {
            name: "username_taken_compares_case_insensitively",
            verified: true,
            provisioning: true,
            accounts: vec![ann("a7", " ANN@Example.com", Some("old@example.com"), None)],
            kind: ErrorKind::ModuleUsernameTaken,
            message: "ask your administrator to give that account your email address",
        },
        Refusal {
            name: "username_taken_also_while_provisioning_is_off",
            verified: true,
            provisioning: false,
            accounts: vec![ann("a7", "ann@example.com", Some("old@example.com"), None)],
            kind: ErrorKind::ModuleUsernameTaken,
            message: "no second account is created",
        },
        Refusal {
            name: "username_taken_by_an_account_of_another_hub_user",
            verified: true,
            provisioning: true,
            accounts: vec![ann("a7", "ann@example.com", Some("old@example.com"), Some("u2"))],
            kind: ErrorKind::ModuleUsernameTaken,
            message: "so it is not linked",
        },
        Refusal {
            name: "no_account_and_provisioning_off",
            verified: true,
            provisioning: false,
            accounts: vec![ann("a7", "bob", Some("bob@example.com"), None)],
            kind: ErrorKind::ModuleAccountMissing,
            message: "automatic provisioning is off",
        },
        Refusal {
            name: "unverified_hub_email_never_links",
            verified: false,
            provisioning: true,
            accounts: vec![ann("a7", "ann", Some("ann@example.com"), None)],
            kind: ErrorKind::HubEmailUnverified,
            message: "verify your hub email address",
        },
        Refusal {
            name: "account_of_another_hub_user_is_never_taken_over",
            verified: true,
            provisioning: true,
            accounts: vec![ann("a7", "ann", Some("ann@example.com"), Some("u2"))],
            kind: ErrorKind::ModuleAccountLinkedElsewhere,
            message: "belongs to another hub user",
        },
        Refusal {
            name: "two_accounts_with_the_email_are_not_guessed_between",
            verified: true,
            provisioning: true,
            accounts: vec![
                ann("a7", "ann", Some("ann@example.com"), None),
                ann("a8", "ann@example.com", Some("ann@example.com"), None),
            ],
            kind: ErrorKind::ModuleAccountAmbiguous,
            message: "2 module accounts share your email address",
        },
    ]
}

#[test]
fn every_refusal_rule() {
    let mut failures = Vec::new();
    for row in refusals() {
        let user = hub_user("u1", "ann@example.com", row.verified, &[]);
        let settings = ModuleSettings { provisioning: row.provisioning, ..settings() };
        match plan(&user, &settings, &row.accounts) {
            Err(e) if e.kind() == row.kind && e.message().contains(row.message) => {}
            other => failures.push(format!("{}: expected {:?}, got {other:?}", row.name, row.kind)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_account_named_after_the_email_with_that_email_is_linked() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let existing = [account("a7", "ann@example.com", Some("ANN@example.com"), None)];
    let got = plan(&user, &provisioning_on(), &existing).expect("plans");
    assert!(matches!(got, Plan::Link { .. }), "{got:?}");
}

#[test]
fn creation_names_the_module_records_it_starts_with_and_nothing_else_does() {
    let user = hub_user("u1", "ann@example.com", true, &[]);
    let created = plan(&user, &provisioning_on(), &[]).expect("plans");
    assert_eq!(
        created.account_references(),
        Some(AccountReferences {
            timesheet_approver: "res-approver".into(),
            department: "dept-service".into(),
            expense_report_approver: "res-approver".into(),
            role: "role-tech".into(),
        })
    );
    let existing = [account("a7", "ann", Some("ann@example.com"), None)];
    let linked = plan(&user, &provisioning_on(), &existing).expect("plans");
    assert_eq!(linked.account_references(), None);
}
