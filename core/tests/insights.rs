//! Insights: one row per rule (firing and not firing), a tenant where every rule fires, one
//! where none does, and the order of the list.

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::{psa_levels, settings, strings};
use onegate_core::billing::{Subscription, SubscriptionStatus, Term};
use onegate_core::insights::{self, Insight, ModuleFacts, RecentSignIn, Severity, TenantFacts};
use onegate_core::model::{LicenseType, LoginMethod};
use onegate_core::tickets::{Priority, Status, Ticket};

/// 2026-12-03T12:00:00Z
const NOW: i64 = 1_796_299_200;
const DAY: i64 = 86_400;

fn sign_in(
    username: &str,
    license: LicenseType,
    method: LoginMethod,
    days_ago: i64,
) -> RecentSignIn {
    RecentSignIn {
        username: username.into(),
        license_type: license,
        method,
        at: NOW - days_ago * DAY,
    }
}

fn psa() -> ModuleFacts {
    ModuleFacts {
        id: "psa".into(),
        name: "Autotask PSA".into(),
        settings: settings(),
        levels: psa_levels(),
        sign_ins: vec![sign_in("ann", LicenseType::Full, LoginMethod::HubLogin, 1)],
        assigned_seats: 10,
    }
}

fn subscription(module: &str, seats: u32, days_ago: i64) -> Subscription {
    Subscription {
        id: format!("sub-{module}"),
        module_id: module.into(),
        plan: "Professional".into(),
        seats,
        unit_price: 4500,
        currency: "EUR".into(),
        term: Term::Monthly,
        started_at: NOW - days_ago * DAY,
        status: SubscriptionStatus::Active,
    }
}

fn ticket(id: &str, status: Status, priority: Priority, days_ago: i64) -> Ticket {
    Ticket {
        id: id.into(),
        module_id: "psa".into(),
        subject: "Export fails".into(),
        description: "The CSV is empty".into(),
        priority,
        status,
        version: 2,
        created_at: NOW - 20 * DAY,
        updated_at: NOW - days_ago * DAY,
    }
}

/// A tenant that uses what it pays for: no rule fires.
fn quiet() -> TenantFacts {
    TenantFacts {
        modules: vec![psa()],
        subscriptions: vec![subscription("psa", 10, 90)],
        tickets: vec![ticket("t1", Status::InProgress, Priority::High, 1)],
    }
}

fn ids(got: &[Insight]) -> Vec<&str> {
    got.iter().map(|it| it.id.as_str()).collect()
}

struct Row {
    name: &'static str,
    facts: TenantFacts,
    /// `(id, severity, title, reason)` of every insight expected, in order.
    want: Vec<(&'static str, Severity, &'static str, &'static str)>,
}

fn rows() -> Vec<Row> {
    let with_psa = |edit: &dyn Fn(&mut ModuleFacts)| {
        let mut facts = quiet();
        edit(&mut facts.modules[0]);
        facts
    };
    let credentials = vec![
        sign_in("ann", LicenseType::Full, LoginMethod::ModuleCredentials, 2),
        sign_in("bob", LicenseType::Full, LoginMethod::ModuleCredentials, 3),
        sign_in("carl", LicenseType::Contractor, LoginMethod::ModuleCredentials, 1),
        sign_in("dan", LicenseType::Full, LoginMethod::HubLogin, 1),
        sign_in("Excepted.User", LicenseType::Full, LoginMethod::ModuleCredentials, 1),
        sign_in("erin", LicenseType::Full, LoginMethod::ModuleCredentials, 40),
        sign_in("frank", LicenseType::Full, LoginMethod::ModuleCredentials, 5),
        sign_in("Frank", LicenseType::Full, LoginMethod::HubLogin, 1),
    ];

    vec![
        Row {
            name: "module_unused_for_30_days",
            facts: with_psa(&|m| m.sign_ins[0].at = NOW - 45 * DAY),
            want: vec![(
                "module_unused:psa",
                Severity::Warning,
                "Autotask PSA is not being used",
                "nobody signed in to Autotask PSA in the last 30 days (the last sign-in was 45 \
                 days ago), yet your subscription pays for 10 seats",
            )],
        },
        Row {
            name: "module_never_used",
            facts: with_psa(&|m| m.sign_ins.clear()),
            want: vec![(
                "module_unused:psa",
                Severity::Warning,
                "Autotask PSA is not being used",
                "nobody signed in to Autotask PSA in the last 30 days (nobody has ever signed \
                 in), yet your subscription pays for 10 seats",
            )],
        },
        Row {
            name: "new_subscription_is_not_unused_yet",
            facts: TenantFacts {
                subscriptions: vec![subscription("psa", 10, 10)],
                ..with_psa(&|m| m.sign_ins.clear())
            },
            want: vec![],
        },
        Row {
            name: "cancelled_subscription_is_not_unused",
            facts: TenantFacts {
                subscriptions: vec![Subscription {
                    status: SubscriptionStatus::Cancelled,
                    ..subscription("psa", 10, 90)
                }],
                ..with_psa(&|m| m.sign_ins.clear())
            },
            want: vec![],
        },
        Row {
            name: "full_users_still_use_module_credentials",
            facts: with_psa(&|m| {
                m.settings.unified_login = true;
                m.settings.user_exceptions = strings(&["excepted.user"]);
                m.sign_ins = credentials.clone();
            }),
            want: vec![(
                "module_credentials_in_use:psa",
                Severity::Info,
                "2 users still sign in to Autotask PSA with module credentials",
                "2 Full-license users signed in to Autotask PSA with module credentials in the \
                 last 30 days although hub login is available; hub login gives them one \
                 password and two-factor sign-in, and you can require it",
            )],
        },
        Row {
            name: "module_credentials_are_fine_while_unified_login_is_off",
            facts: with_psa(&|m| m.sign_ins = credentials.clone()),
            want: vec![],
        },
        Row {
            name: "default_security_level_is_not_the_lowest",
            facts: with_psa(&|m| m.settings.defaults.security_level = Some("admin".into())),
            want: vec![(
                "default_level_not_lowest:psa",
                Severity::Warning,
                "New Autotask PSA accounts get more access than they need",
                "Autotask PSA: for security, use a low security level as the default: \
                 “Administrator” grants more than “Dashboard”",
            )],
        },
        Row {
            name: "paid_seats_unassigned",
            facts: with_psa(&|m| m.assigned_seats = 7),
            want: vec![(
                "seats_unassigned:psa",
                Severity::Info,
                "3 paid seats of Autotask PSA unassigned",
                "you pay for 10 seats of Autotask PSA but only 7 are assigned; give the 3 free \
                 seats to colleagues or lower the seat count",
            )],
        },
        Row {
            name: "one_paid_seat_unassigned",
            facts: with_psa(&|m| m.assigned_seats = 9),
            want: vec![(
                "seats_unassigned:psa",
                Severity::Info,
                "1 paid seat of Autotask PSA unassigned",
                "you pay for 10 seats of Autotask PSA but only 9 are assigned; give the 1 free \
                 seat to colleagues or lower the seat count",
            )],
        },
        Row {
            name: "more_seats_assigned_than_paid_is_no_insight",
            facts: with_psa(&|m| m.assigned_seats = 12),
            want: vec![],
        },
        Row {
            name: "tickets_wait_on_the_customer",
            facts: TenantFacts {
                tickets: vec![
                    ticket("t1", Status::WaitingOnCustomer, Priority::Medium, 6),
                    ticket("t2", Status::WaitingOnCustomer, Priority::Low, 2),
                    ticket("t3", Status::Resolved, Priority::Critical, 9),
                ],
                ..quiet()
            },
            want: vec![(
                "tickets_waiting_on_customer",
                Severity::Warning,
                "2 tickets wait on you",
                "2 support tickets wait on your reply, the oldest for 6 days",
            )],
        },
        Row {
            name: "critical_ticket_waiting_is_critical",
            facts: TenantFacts {
                tickets: vec![ticket("t1", Status::WaitingOnCustomer, Priority::Critical, 1)],
                ..quiet()
            },
            want: vec![(
                "tickets_waiting_on_customer",
                Severity::Critical,
                "1 ticket waits on you",
                "1 support ticket waits on your reply, the oldest for 1 day (1 of them critical)",
            )],
        },
    ]
}

#[test]
fn every_insight_rule() {
    let mut failures = Vec::new();
    for row in rows() {
        let got: Vec<(String, Severity, String, String)> = insights::insights(&row.facts, NOW)
            .into_iter()
            .map(|it| (it.id, it.severity, it.title, it.reason))
            .collect();
        let want: Vec<(String, Severity, String, String)> = row
            .want
            .iter()
            .map(|(id, s, title, reason)| ((*id).into(), *s, (*title).into(), (*reason).into()))
            .collect();
        if got != want {
            failures.push(format!("{}:\n  expected {want:?}\n  got      {got:?}", row.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn quiet_tenant_has_no_insights() {
    assert_eq!(insights::insights(&quiet(), NOW), vec![]);
    assert_eq!(insights::insights(&TenantFacts::default(), NOW), vec![]);
}

#[test]
fn every_rule_fires_in_severity_then_id_order() {
    let mut psa = psa();
    psa.settings.unified_login = true;
    psa.settings.defaults.security_level = Some("tech".into());
    psa.sign_ins = vec![sign_in("ann", LicenseType::Full, LoginMethod::ModuleCredentials, 1)];
    psa.assigned_seats = 4;
    let rmm = ModuleFacts {
        id: "rmm".into(),
        name: "Datto RMM".into(),
        sign_ins: vec![],
        assigned_seats: 5,
        ..psa.clone()
    };
    let facts = TenantFacts {
        modules: vec![rmm, psa],
        subscriptions: vec![subscription("psa", 10, 90), subscription("rmm", 5, 60)],
        tickets: vec![
            ticket("t1", Status::WaitingOnCustomer, Priority::Critical, 3),
            ticket("t2", Status::New, Priority::Low, 0),
        ],
    };

    let got = insights::insights(&facts, NOW);
    assert_eq!(
        ids(&got),
        [
            "tickets_waiting_on_customer",
            "default_level_not_lowest:psa",
            "default_level_not_lowest:rmm",
            "module_unused:rmm",
            "module_credentials_in_use:psa",
            "seats_unassigned:psa",
        ]
    );
    let links: Vec<(&str, &str)> =
        got.iter().map(|it| (it.action_label.as_str(), it.action_href.as_str())).collect();
    assert_eq!(
        links,
        [
            ("Reply to tickets", "/support?status=waiting_on_customer"),
            ("Choose a lower default", "/admin/modules/psa/settings#provisioning"),
            ("Choose a lower default", "/admin/modules/rmm/settings#provisioning"),
            ("Review the subscription", "/billing?module=rmm"),
            ("Review login settings", "/admin/modules/psa/settings#login"),
            ("Review the seats", "/billing?module=psa#subscriptions"),
        ]
    );
    let json = serde_json::to_value(&got[0]).expect("serialises");
    assert_eq!(json["severity"], "critical");
}

#[test]
fn module_ids_are_escaped_in_links() {
    let mut odd = psa();
    odd.id = "a&b c".into();
    odd.assigned_seats = 0;
    let facts = TenantFacts {
        modules: vec![odd],
        subscriptions: vec![subscription("a&b c", 1, 1)],
        tickets: vec![],
    };
    let got = insights::insights(&facts, NOW);
    assert_eq!(got[0].action_href, "/billing?module=a%26b+c#subscriptions");

    let mut odd = psa();
    odd.id = "a&b c".into();
    odd.settings.unified_login = true;
    odd.sign_ins = vec![sign_in("bob", LicenseType::Full, LoginMethod::ModuleCredentials, 1)];
    let facts = TenantFacts { modules: vec![odd], ..TenantFacts::default() };
    let got = insights::insights(&facts, NOW);
    let login = got.iter().find(|it| it.id.starts_with("module_credentials_in_use:"));
    assert_eq!(
        login.map(|it| it.action_href.as_str()),
        Some("/admin/modules/a%26b%20c/settings#login")
    );
}
