//! Settings validation: one row per refusal, each asserting the stable code and message.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::{account, hub_groups, level, psa_levels, settings, strings};
use onegate_core::model::{LicenseType, ModuleSettings, SecurityLevel};
use onegate_core::settings::{self, Exception, LevelChange, SettingsContext};

fn usernames() -> Vec<String> {
    strings(&["ann", "Excepted.User", "dan"])
}

fn check(settings: &ModuleSettings, levels: &[SecurityLevel]) -> Result<(), (String, String)> {
    let groups = hub_groups();
    let usernames = usernames();
    settings::validate(settings, SettingsContext { levels, groups: &groups, usernames: &usernames })
        .map_err(|e| (e.code().to_owned(), e.message().to_owned()))
}

struct Row {
    name: &'static str,
    settings: ModuleSettings,
    levels: Vec<SecurityLevel>,
    code: &'static str,
    message: &'static str,
}

fn rows() -> Vec<Row> {
    let base = settings;
    let mut missing_role = ModuleSettings { provisioning: true, ..base() };
    missing_role.defaults.role = None;
    let mut missing_level = ModuleSettings { provisioning: true, ..base() };
    missing_level.defaults.security_level = None;
    let mut unknown_level = base();
    unknown_level.defaults.security_level = Some("nope".into());
    let mut inactive_default = base();
    inactive_default.defaults.security_level = Some("retired".into());
    let mut empty_department = base();
    empty_department.defaults.department = Some("  ".into());
    let mut dup_levels = psa_levels();
    dup_levels.push(level("tech", "Technician again", true, 1));

    vec![
        Row {
            name: "require_hub_login_needs_unified_login",
            settings: ModuleSettings { require_hub_login: true, ..base() },
            levels: psa_levels(),
            code: "require_hub_login_needs_unified_login",
            message: "require hub login can only be turned on while unified login is on",
        },
        Row {
            name: "provisioning_needs_a_default_role",
            settings: missing_role,
            levels: psa_levels(),
            code: "provisioning_default_missing",
            message: "automatic user provisioning needs a default role; \
                      set one before turning provisioning on",
        },
        Row {
            name: "provisioning_needs_a_default_security_level",
            settings: missing_level,
            levels: psa_levels(),
            code: "provisioning_default_missing",
            message: "automatic user provisioning needs a default security level; \
                      set one before turning provisioning on",
        },
        Row {
            name: "default_security_level_must_exist",
            settings: unknown_level,
            levels: psa_levels(),
            code: "security_level_unknown",
            message: "default security level “nope” is not a level of this module",
        },
        Row {
            name: "default_security_level_must_be_active",
            settings: inactive_default,
            levels: psa_levels(),
            code: "default_security_level_inactive",
            message: "security level “Retired” is inactive and cannot be the default; \
                      activate it or choose another",
        },
        Row {
            name: "defaults_must_not_be_blank",
            settings: empty_department,
            levels: psa_levels(),
            code: "value_invalid",
            message: "department must not be empty",
        },
        Row {
            name: "user_exception_must_be_a_module_user",
            settings: ModuleSettings { user_exceptions: strings(&["ghost"]), ..base() },
            levels: psa_levels(),
            code: "user_exception_unknown",
            message: "user exception “ghost” is not a user of this module",
        },
        Row {
            name: "user_exception_listed_twice",
            settings: ModuleSettings { user_exceptions: strings(&["ann", "ANN"]), ..base() },
            levels: psa_levels(),
            code: "user_exception_duplicate",
            message: "user “ANN” is listed as an exception twice",
        },
        Row {
            name: "access_group_must_be_a_hub_group",
            settings: ModuleSettings { access_groups: strings(&["g-nope"]), ..base() },
            levels: psa_levels(),
            code: "access_group_unknown",
            message: "access group “g-nope” is not a hub group of this tenant",
        },
        Row {
            name: "access_group_listed_twice",
            settings: ModuleSettings { access_groups: strings(&["g-tech", "g-tech"]), ..base() },
            levels: psa_levels(),
            code: "access_group_duplicate",
            message: "access group “g-tech” is listed twice",
        },
        Row {
            name: "security_level_ids_are_unique",
            settings: base(),
            levels: dup_levels,
            code: "security_level_duplicate",
            message: "security level id “tech” is used twice",
        },
        Row {
            name: "lists_are_bounded",
            settings: ModuleSettings {
                user_exceptions: vec!["ann".into(); settings::MAX_LIST_LEN + 1],
                ..base()
            },
            levels: psa_levels(),
            code: "value_invalid",
            message: "user exceptions may list at most 1000 entries, not 1001",
        },
    ]
}

#[test]
fn every_settings_refusal() {
    let mut failures = Vec::new();
    for row in rows() {
        let got = check(&row.settings, &row.levels);
        let want = Err((row.code.to_owned(), row.message.to_owned()));
        if got != want {
            failures.push(format!("{}: expected {want:?}, got {got:?}", row.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn complete_settings_are_accepted() {
    let settings = ModuleSettings {
        unified_login: true,
        require_hub_login: true,
        user_exceptions: strings(&["excepted.user"]),
        provisioning: true,
        access_groups: strings(&["g-tech", "g-helpdesk"]),
        ..settings()
    };
    assert_eq!(check(&settings, &psa_levels()), Ok(()));
    assert_eq!(check(&ModuleSettings::default(), &psa_levels()), Ok(()));
}

#[test]
fn default_security_level_can_be_neither_inactivated_nor_deleted() {
    let s = settings();
    let inactivate = settings::check_level_change(&s, "dashboard", LevelChange::Inactivate)
        .expect_err("refused");
    assert_eq!(inactivate.code(), "default_security_level_cannot_be_inactivated");
    assert_eq!(
        inactivate.message(),
        "the default security level cannot be inactivated; \
         assign a new default security level first"
    );
    let delete =
        settings::check_level_change(&s, "dashboard", LevelChange::Delete).expect_err("refused");
    assert_eq!(delete.code(), "default_security_level_cannot_be_deleted");
    assert!(delete.message().contains("assign a new default security level first"));
    assert_eq!(settings::check_level_change(&s, "tech", LevelChange::Delete), Ok(()));
}

#[test]
fn advice_to_use_a_low_default_security_level() {
    let mut s = settings();
    assert_eq!(settings::default_level_advice(&s, &psa_levels()), None);
    s.defaults.security_level = Some("admin".into());
    let advice = settings::default_level_advice(&s, &psa_levels()).expect("advises");
    assert_eq!(
        advice,
        "for security, use a low security level as the default: \
         “Administrator” grants more than “Dashboard”"
    );
}

#[test]
fn barred_license_types_show_as_implicit_exceptions() {
    let s = ModuleSettings { user_exceptions: strings(&["ann"]), ..settings() };
    let mut dan = account("a2", "dan", None, None);
    dan.license_type = LicenseType::DashboardUser;
    let mut carl = account("a3", "carl", None, None);
    carl.license_type = LicenseType::Contractor;
    let accounts = [account("a1", "ann", None, None), dan, carl, account("a4", "zoe", None, None)];
    let got = settings::exceptions(&s, &accounts);
    assert_eq!(
        got,
        vec![
            Exception { username: "ann", implicit_license: None },
            Exception { username: "dan", implicit_license: Some(LicenseType::DashboardUser) },
            Exception { username: "carl", implicit_license: Some(LicenseType::Contractor) },
        ]
    );
}

#[test]
fn a_save_from_a_stale_form_is_a_version_conflict() {
    assert_eq!(settings::check_version(4, 4), Ok(()));
    let err = settings::check_version(3, 4).expect_err("stale");
    assert_eq!(err.code(), "version_conflict");
    assert_eq!(
        err.message(),
        "someone saved these settings after you opened them (you had version 3, they are now \
         at version 4); reload the page, check their changes and make yours again"
    );
    assert!(settings::check_version(5, 4).is_err(), "a version from the future is refused too");
}
