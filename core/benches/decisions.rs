//! The core's decisions, natively, in ns per operation, each set against one EdDSA signature
//! check measured in the same run (the cost a gate pays anyway on a first-seen token).
//! Run with `cargo bench -p onegate-core --bench decisions`; it takes a few seconds.

use std::hint::black_box;
use std::time::Duration;

use onegate_core::access::{self, Moment};
use onegate_core::launcher::{self, Brand, Entitlement, LauncherInput, Page, SignedInVia};
use onegate_core::login::{self, LoginAttempt};
use onegate_core::model::{Client, LicenseType, LoginMethod, ModuleSettings};
use onegate_core::provisioning::{self, ProvisioningInput};
use onegate_core::redirect::{self, ReturnUrlPolicy};
use onegate_core::token::sign;

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/token_fixtures/mod.rs"]
mod fixtures;

mod timing;

/// Runs `op` for about `budget`; returns ns per call.
fn time(budget: Duration, op: impl FnMut() -> bool) -> f64 {
    timing::time(budget, 64, op)
}

fn main() {
    let budget = Duration::from_millis(700);

    let keys = fixtures::key_set();
    let token = sign(&fixtures::hub_claims(), &fixtures::hub_key()).expect("signs");
    let (message, signature) = token.rsplit_once('.').expect("three segments");
    let reference = time(budget, || {
        keys.verify_signature(fixtures::ED_KID, black_box(message.as_bytes()), signature).is_ok()
    });

    let groups = common::hub_groups();
    let levels = common::psa_levels();
    let settings = ModuleSettings {
        unified_login: true,
        require_hub_login: true,
        user_exceptions: common::strings(&["excepted.user", "ann", "bob", "carl"]),
        provisioning: true,
        access_groups: common::strings(&["g-sales", "g-marketing", "g-helpdesk", "g-tech"]),
        ..common::settings()
    };
    let user = common::hub_user("u1", "ann@example.com", true, &["g-marketing", "g-tech"]);
    let accounts = [
        common::account("a1", "bob", Some("bob@example.com"), Some("u2")),
        common::account("a2", "ann", Some("ANN@example.com"), None),
    ];
    let origins = common::strings(&["https://hub.example.com", "https://psa.example.com"]);
    let launcher_input = LauncherInput {
        signed_in_via: SignedInVia::Hub,
        page: Page::Module,
        entitlements: (0..6)
            .map(|i| Entitlement {
                module_id: format!("m{i}"),
                name: format!("Module {i}"),
                url: format!("https://m{i}.example.com/"),
                icon: None,
            })
            .collect(),
        current_module: "m2".into(),
        unified_login: true,
        current_url: "https://m2.example.com/tickets?id=7".into(),
        sign_in_url: "https://m2.example.com/.onegate/login".into(),
        hub_home: "https://hub.example.com/".into(),
        brand: Brand::default(),
    };

    let rows: [(&str, f64); 5] = [
        (
            "login::decide",
            time(budget, || {
                let d = login::decide(LoginAttempt {
                    settings: black_box(&settings),
                    client: Client::Browser,
                    method: LoginMethod::ModuleCredentials,
                    username: Some("carl"),
                    license_type: Some(LicenseType::Full),
                });
                d.outcome == login::Outcome::Allow
            }),
        ),
        (
            "access::resolve",
            time(budget, || {
                let r = access::resolve(
                    black_box(&settings),
                    &groups,
                    &levels,
                    &user.groups,
                    Moment::SignIn,
                );
                r.level.is_some()
            }),
        ),
        (
            "provisioning::plan (link)",
            time(budget, || {
                provisioning::plan(ProvisioningInput {
                    module_id: "psa",
                    module_name: "Demo PSA",
                    user: black_box(&user),
                    entitled: true,
                    settings: &settings,
                    groups: &groups,
                    levels: &levels,
                    accounts: &accounts,
                    now: 1_796_299_200,
                })
                .is_ok()
            }),
        ),
        (
            "redirect::check",
            time(budget, || {
                let policy = ReturnUrlPolicy {
                    origins: &origins,
                    base: "https://psa.example.com/login",
                    fallback: "https://hub.example.com/",
                };
                redirect::check(black_box("/tickets/7?tab=notes"), policy).is_ok()
            }),
        ),
        (
            "launcher::view (6 modules)",
            time(budget, || {
                !matches!(
                    launcher::view(black_box(&launcher_input)),
                    launcher::LauncherView::Hidden
                )
            }),
        ),
    ];

    println!("reference: one EdDSA signature check = {reference:.0} ns");
    println!("{:<28} {:>10} {:>22}", "decision", "ns/op", "share of the reference");
    for (name, ns) in rows {
        println!("{name:<28} {ns:>10.0} {:>21.4}x", ns / reference);
    }
}
