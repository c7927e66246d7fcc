//! The launcher model: waffle, hub icon, login choice or nothing.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::launcher::SignedInVia;
use onegate_core::launcher::{self, Brand, Entitlement, LauncherInput, LauncherView, Page};

fn input(via: SignedInVia, page: Page, unified_login: bool) -> LauncherInput {
    LauncherInput {
        signed_in_via: via,
        page,
        entitlements: vec![
            Entitlement {
                module_id: "psa".into(),
                name: "PSA".into(),
                url: "http://psa.localhost:8787/".into(),
                icon: None,
            },
            Entitlement {
                module_id: "rmm".into(),
                name: "RMM <b>".into(),
                url: "http://rmm.localhost:8787/".into(),
                icon: Some("http://localhost:8787/icons/rmm.svg".into()),
            },
        ],
        current_module: "psa".into(),
        unified_login,
        current_url: "http://psa.localhost:8787/tickets?id=7&tab=notes".into(),
        sign_in_url: "http://psa.localhost:8787/.onegate/login".into(),
        hub_home: "http://localhost:8787/".into(),
        brand: Brand::default(),
    }
}

const RETURN: &str = "return_to=http%3A%2F%2Fpsa.localhost%3A8787%2Ftickets%3Fid%3D7%26tab%3Dnotes";

#[test]
fn hub_sign_in_shows_the_waffle_with_the_users_modules() {
    let got = launcher::view(&input(SignedInVia::Hub, Page::Module, true));
    let LauncherView::Waffle { label, title, home, items } = got else {
        panic!("expected the waffle, got {got:?}");
    };
    assert_eq!(label, "Open My KaseyaOne");
    assert_eq!(title, "My KaseyaOne");
    assert_eq!(home, "http://localhost:8787/");
    let names: Vec<(&str, bool)> = items.iter().map(|it| (it.name.as_str(), it.current)).collect();
    assert_eq!(names, [("PSA", true), ("RMM <b>", false)]);
}

#[test]
fn module_credentials_show_the_hub_icon_that_returns_here() {
    let got = launcher::view(&input(SignedInVia::ModuleCredentials, Page::Module, true));
    assert_eq!(
        got,
        LauncherView::HubIcon {
            label: "Log in to KaseyaOne".into(),
            href: format!("http://psa.localhost:8787/.onegate/login?{RETURN}"),
        }
    );
}

#[test]
fn hub_icon_opens_the_hub_when_the_module_does_not_accept_hub_login() {
    let got = launcher::view(&input(SignedInVia::ModuleCredentials, Page::Module, false));
    assert_eq!(
        got,
        LauncherView::HubIcon {
            label: "Open KaseyaOne".into(),
            href: "http://localhost:8787/".into()
        }
    );
}

#[test]
fn login_page_offers_the_login_choice_only_with_unified_login() {
    let got = launcher::view(&input(SignedInVia::Nobody, Page::Login, true));
    assert_eq!(
        got,
        LauncherView::LoginChoice {
            label: "Log In with KaseyaOne".into(),
            href: format!("http://psa.localhost:8787/.onegate/login?{RETURN}"),
        }
    );
    let got = launcher::view(&input(SignedInVia::Nobody, Page::Login, false));
    assert_eq!(got, LauncherView::Hidden);
}

#[test]
fn nobody_signed_in_sees_nothing_on_module_pages() {
    assert_eq!(
        launcher::view(&input(SignedInVia::Nobody, Page::Module, true)),
        LauncherView::Hidden
    );
}

#[test]
fn brand_is_configuration() {
    let mut it = input(SignedInVia::Hub, Page::Module, true);
    it.brand = Brand { name: "Acme One".into(), menu_title: "My Acme".into() };
    let LauncherView::Waffle { label, title, .. } = launcher::view(&it) else {
        panic!("expected the waffle");
    };
    assert_eq!((label.as_str(), title.as_str()), ("Open My Acme", "My Acme"));
}

#[test]
fn a_brand_is_named_and_titled_my_name() {
    let rows = [
        ("Acme One", "Acme One", "My Acme One"),
        ("  Acme One ", "Acme One", "My Acme One"),
        ("", "KaseyaOne", "My KaseyaOne"),
        ("   ", "KaseyaOne", "My KaseyaOne"),
    ];
    for (name, expected_name, expected_title) in rows {
        let brand = Brand::named(name);
        assert_eq!(
            (brand.name.as_str(), brand.menu_title.as_str()),
            (expected_name, expected_title)
        );
    }
    assert_eq!(Brand::default(), Brand::named(launcher::DEFAULT_BRAND_NAME));
}

#[test]
fn return_to_joins_an_existing_query() {
    assert_eq!(
        launcher::with_return_to("https://hub.example/login?prompt=none", "https://a.example/"),
        "https://hub.example/login?prompt=none&return_to=https%3A%2F%2Fa.example%2F"
    );
}

#[test]
fn view_serialises_with_a_view_tag() {
    let json = serde_json::to_value(launcher::view(&input(SignedInVia::Nobody, Page::Login, true)))
        .expect("serialises");
    assert_eq!(json["view"], "login_choice");
    assert_eq!(json["label"], "Log In with KaseyaOne");
}
