//! Properties over arbitrary inputs: every decision is total, access-group resolution depends
//! only on the admin's order and the user's membership, and return-URL validation never accepts
//! a foreign origin. Native only: proptest needs the host's process and clock.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use proptest::prelude::*;

use common::{hub_groups, psa_levels};
use onegate_core::access::{self, Moment};
use onegate_core::launcher::{self, Brand, Entitlement, LauncherInput, Page, SignedInVia};
use onegate_core::login::{self, LoginAttempt};
use onegate_core::model::{
    self, Client, HubUser, LicenseType, LoginMethod, ModuleAccount, ModuleSettings,
    ProvisioningDefaults, SecurityLevel,
};
use onegate_core::provisioning::{self, ProvisioningInput};
use onegate_core::redirect::{self, ReturnUrlPolicy};
use onegate_core::settings::{self, LevelChange, SettingsContext};

fn license() -> impl Strategy<Value = LicenseType> {
    prop::sample::select(LicenseType::ALL.to_vec())
}

fn short() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z]{0,3}", "g-[a-z]{1,8}", ".{0,12}"]
}

fn defaults() -> impl Strategy<Value = ProvisioningDefaults> {
    (
        prop::option::of(short()),
        prop::option::of(short()),
        prop::option::of(short()),
        prop::option::of(short()),
        prop::option::of(short()),
    )
        .prop_map(|(a, b, c, d, e)| ProvisioningDefaults {
            security_level: a,
            timesheet_approver: b,
            department: c,
            expense_report_approver: d,
            role: e,
        })
}

fn module_settings() -> impl Strategy<Value = ModuleSettings> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(short(), 0..4),
        any::<bool>(),
        defaults(),
        prop::collection::vec(short(), 0..5),
    )
        .prop_map(|(u, r, ex, p, d, ag)| ModuleSettings {
            unified_login: u,
            require_hub_login: r,
            user_exceptions: ex,
            provisioning: p,
            defaults: d,
            access_groups: ag,
        })
}

fn levels() -> impl Strategy<Value = Vec<SecurityLevel>> {
    prop::collection::vec(
        (short(), short(), any::<bool>(), any::<u32>())
            .prop_map(|(id, name, active, rank)| SecurityLevel { id, name, active, rank }),
        0..6,
    )
}

fn accounts() -> impl Strategy<Value = Vec<ModuleAccount>> {
    prop::collection::vec(
        (
            short(),
            short(),
            prop::option::of(short()),
            license(),
            short(),
            prop::option::of(short()),
        )
            .prop_map(|(id, username, email, license_type, security_level, hub_user)| {
                ModuleAccount { id, username, email, license_type, security_level, hub_user }
            }),
        0..5,
    )
}

proptest! {
    #[test]
    fn login_decision_is_total(
        settings in module_settings(),
        live in any::<bool>(),
        hub in any::<bool>(),
        username in prop::option::of(short()),
        license in prop::option::of(license()),
    ) {
        let decision = login::decide(LoginAttempt {
            settings: &settings,
            client: if live { Client::LiveMobile } else { Client::Browser },
            method: if hub { LoginMethod::HubLogin } else { LoginMethod::ModuleCredentials },
            username: username.as_deref(),
            license_type: license,
        });
        prop_assert!(!decision.rule.explain("KaseyaOne").is_empty());
        if hub && license.is_some_and(|it| it.barred_from_hub_login()) {
            prop_assert_ne!(decision.outcome, login::Outcome::Allow);
        }
    }

    #[test]
    fn settings_checks_are_total(
        settings in module_settings(),
        levels in levels(),
        usernames in prop::collection::vec(short(), 0..4),
        level in short(),
    ) {
        let groups = hub_groups();
        let cx = SettingsContext { levels: &levels, groups: &groups, usernames: &usernames };
        if let Err(e) = settings::validate(&settings, cx) {
            prop_assert!(!e.message().is_empty());
            prop_assert_eq!(e.message().to_lowercase().chars().next(), e.message().chars().next());
        }
        let _ = settings::check_level_change(&settings, &level, LevelChange::Delete);
        let _ = settings::default_level_advice(&settings, &levels);
    }

    #[test]
    fn provisioning_plan_is_total(
        settings in module_settings(),
        levels in levels(),
        accounts in accounts(),
        email in short(),
        verified in any::<bool>(),
        entitled in any::<bool>(),
        groups in prop::collection::vec(short(), 0..4),
        now in any::<i64>(),
    ) {
        let user = HubUser { id: "u1".into(), email, email_verified: verified, groups };
        let got = provisioning::plan(ProvisioningInput {
            module_id: "psa",
            module_name: "Demo PSA",
            user: &user,
            entitled,
            settings: &settings,
            groups: &hub_groups(),
            levels: &levels,
            accounts: &accounts,
            now,
        });
        if let Ok(plan) = got {
            // Only a verified email ever links an account the user was not linked to.
            if matches!(plan, provisioning::Plan::Link { .. }) {
                prop_assert!(verified);
            }
        }
    }

    #[test]
    fn the_sign_in_user_and_login_account_are_total(
        accounts in accounts(),
        email in prop::option::of(short()),
        verified in any::<bool>(),
        claimed in prop::collection::vec(short(), 0..6),
    ) {
        let said = provisioning::SignInClaims {
            subject: "u1",
            email: email.as_deref(),
            email_verified: verified,
            groups: &claimed,
        };
        let groups = hub_groups();
        match provisioning::hub_user(said, &groups) {
            Ok(user) => {
                // Only the tenant's groups, each once, in the tenant's order.
                let order: Vec<&String> = groups.iter().map(|g| &g.id).collect();
                let mut at = 0;
                for id in &user.groups {
                    let found = order[at..].iter().position(|it| *it == id);
                    prop_assert!(found.is_some(), "{id} out of order or unknown");
                    at += found.unwrap_or(0) + 1;
                }
                // The login account is one of the accounts, linked to the user or with the email.
                if let Some(chosen) = provisioning::login_account(&user, &accounts) {
                    prop_assert!(accounts.iter().any(|it| std::ptr::eq(it, chosen)));
                    prop_assert!(chosen.hub_user.as_deref() == Some("u1")
                        || chosen.email.as_deref().is_some_and(|e| model::same_email(e, &user.email)));
                }
            }
            Err(err) => prop_assert!(email.is_none_or(|it| it.trim().is_empty()), "{err:?}"),
        }
    }

    #[test]
    fn resolution_depends_only_on_order_and_membership(
        order in prop::sample::subsequence(
            vec!["g-tech", "g-helpdesk", "g-sales", "g-retired", "g-marketing"], 0..=5
        ).prop_shuffle(),
        member_of in prop::sample::subsequence(
            vec!["g-tech", "g-helpdesk", "g-sales", "g-retired", "g-marketing", "g-other"], 0..=6
        ),
        rotate in 0usize..6,
        creation in any::<bool>(),
    ) {
        let settings = ModuleSettings {
            access_groups: order.iter().map(|it| it.to_string()).collect(),
            ..common::settings()
        };
        let moment = if creation { Moment::Creation } else { Moment::SignIn };
        let groups = hub_groups();
        let levels = psa_levels();
        let mut member: Vec<String> = member_of.iter().map(|it| it.to_string()).collect();
        let first = access::resolve(&settings, &groups, &levels, &member, moment);
        // The user's own ordering of their groups, and groups outside the admin's list,
        // change nothing.
        if !member.is_empty() {
            let k = rotate % member.len();
            member.rotate_left(k);
        }
        member.push("g-unlisted".into());
        let second = access::resolve(&settings, &groups, &levels, &member, moment);
        prop_assert_eq!(first, second);
    }

    #[test]
    fn return_url_never_accepts_a_foreign_origin(
        candidate in prop_oneof![
            ".{0,40}",
            "(https?:)?(//|/\\\\|\\\\\\\\)?[a-z.]{0,20}(:[0-9]{1,5})?(/[a-z@:.]{0,10})?",
            "https?://psa\\.example\\.com[a-z.@:%0-9]{0,12}/?",
        ],
    ) {
        let origins = vec!["https://psa.example.com".to_owned(), "https://hub.example.com".into()];
        let policy = ReturnUrlPolicy {
            origins: &origins,
            base: "https://psa.example.com/login",
            fallback: "https://hub.example.com/",
        };
        if let Ok(url) = redirect::check(&candidate, policy) {
            let parsed = url::Url::parse(&url).expect("accepted URLs parse");
            let origin = parsed.origin().ascii_serialization();
            prop_assert!(origins.contains(&origin), "{} -> {}", candidate, origin);
        }
    }

    #[test]
    fn launcher_view_is_total(
        via in prop::sample::select(vec![
            SignedInVia::Hub, SignedInVia::ModuleCredentials, SignedInVia::Nobody,
        ]),
        login_page in any::<bool>(),
        unified in any::<bool>(),
        current_url in ".{0,30}",
        names in prop::collection::vec(".{0,10}", 0..4),
    ) {
        let input = LauncherInput {
            signed_in_via: via,
            page: if login_page { Page::Login } else { Page::Module },
            entitlements: names
                .into_iter()
                .map(|name| Entitlement {
                    module_id: name.clone(), name, url: "https://x/".into(), icon: None,
                })
                .collect(),
            current_module: "psa".into(),
            unified_login: unified,
            current_url,
            sign_in_url: "https://psa.example.com/.onegate/login".into(),
            hub_home: "https://hub.example.com/".into(),
            brand: Brand::default(),
        };
        let _ = launcher::view(&input);
    }
}
