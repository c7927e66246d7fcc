//! The launcher widget in a real browser (headless Chromium via wasm-bindgen-test).
//!
//! Each test mounts a view the core computed into the test document and checks the DOM inside
//! the closed shadow root (reached through the Rust handle, as page scripts cannot): roles, ARIA
//! attributes, text, links, and the menu button's keyboard and pointer behaviour driven by
//! dispatched events. Run with `--features launcher` for wasm32 and `wasm-bindgen-test-runner`.

#![cfg(all(target_arch = "wasm32", feature = "launcher"))]

use onegate_core::launcher::{self, Entitlement, LauncherInput, Page, SignedInVia};
use onegate_web::launcher::{Launcher, MENU_ID, Placement, input, mount, mount_from_page};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Document, Element, Event, EventInit, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const HOSTILE_NAME: &str = "<img src=x onerror=\"window.__owned=1\">Evil <b>PSA</b>";

fn doc() -> Document {
    web_sys::window().and_then(|it| it.document()).expect("a test document")
}

fn input(signed_in_via: SignedInVia, page: Page) -> LauncherInput {
    LauncherInput {
        signed_in_via,
        page,
        entitlements: vec![
            entitlement("psa", "PSA", "https://psa.example.test/"),
            entitlement("rmm", "RMM", "https://rmm.example.test/"),
            entitlement("docs", "Documentation", "https://docs.example.test/"),
        ],
        current_module: "rmm".to_owned(),
        unified_login: true,
        current_url: "https://rmm.example.test/tickets?id=7".to_owned(),
        sign_in_url: "https://rmm.example.test/.onegate/login".to_owned(),
        hub_home: "https://hub.example.test/".to_owned(),
        brand: Default::default(),
    }
}

fn entitlement(id: &str, name: &str, url: &str) -> Entitlement {
    Entitlement { module_id: id.into(), name: name.into(), url: url.into(), icon: None }
}

/// A placeholder in the document body, removed with the returned guard.
struct Slot(Element);

impl Slot {
    fn new(id: &str) -> Slot {
        let doc = doc();
        let slot = doc.create_element("div").expect("div");
        slot.set_id(id);
        doc.body().expect("body").append_child(&slot).expect("append");
        Slot(slot)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.remove();
    }
}

fn mounted(input: &LauncherInput) -> (Slot, Launcher) {
    let slot = Slot::new("test-slot");
    let launcher =
        mount(&doc(), Placement::Inside(&slot.0), &launcher::view(input)).expect("mounted");
    (slot, launcher)
}

fn find(launcher: &Launcher, selector: &str) -> HtmlElement {
    launcher
        .shadow_root()
        .query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

fn all(launcher: &Launcher, selector: &str) -> Vec<HtmlElement> {
    let list = launcher.shadow_root().query_selector_all(selector).expect("valid selector");
    (0..list.length()).filter_map(|i| list.item(i)).map(|it| it.unchecked_into()).collect()
}

fn focused(launcher: &Launcher) -> Option<Element> {
    launcher.shadow_root().active_element()
}

fn press(target: &Element, key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_composed(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    target.dispatch_event(&event).expect("dispatched");
}

/// Presses `key` on whatever has focus inside the widget (the button when nothing does).
fn press_focused(launcher: &Launcher, key: &str) {
    let target = focused(launcher).unwrap_or_else(|| find(launcher, "button").into());
    press(&target, key);
}

fn focused_text(launcher: &Launcher) -> String {
    focused(launcher).and_then(|it| it.text_content()).unwrap_or_default()
}

fn expanded(launcher: &Launcher) -> String {
    find(launcher, "button").get_attribute("aria-expanded").unwrap_or_default()
}

fn menu_open(launcher: &Launcher) -> bool {
    find(launcher, "[role=menu]").matches(":popover-open").expect("valid selector")
}

#[wasm_bindgen_test]
fn waffle_is_a_menu_button_with_the_users_modules() {
    let (_slot, launcher) = mounted(&input(SignedInVia::Hub, Page::Module));
    assert_eq!(launcher.view(), "waffle");

    let button = find(&launcher, "button");
    assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    assert_eq!(button.get_attribute("aria-haspopup").as_deref(), Some("menu"));
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(button.get_attribute("aria-controls").as_deref(), Some(MENU_ID));
    assert_eq!(button.get_attribute("aria-label").as_deref(), Some("Open My KaseyaOne"));
    assert_eq!(find(&launcher, "button svg").get_attribute("aria-hidden").as_deref(), Some("true"));

    let menu = find(&launcher, "[role=menu]");
    assert_eq!(menu.id(), MENU_ID);
    assert_eq!(menu.get_attribute("aria-label").as_deref(), Some("My KaseyaOne"));
    assert!(!menu_open(&launcher), "the menu starts closed");

    let items = all(&launcher, "[role=menuitem]");
    let names: Vec<String> = items.iter().filter_map(|it| it.text_content()).collect();
    assert_eq!(names, ["My KaseyaOne", "PPSA", "RRMM", "DDocumentation"]);
    let hrefs: Vec<String> = items.iter().filter_map(|it| it.get_attribute("href")).collect();
    assert_eq!(
        hrefs,
        [
            "https://hub.example.test/",
            "https://psa.example.test/",
            "https://rmm.example.test/",
            "https://docs.example.test/"
        ]
    );
    assert!(items.iter().all(|it| it.get_attribute("tabindex").as_deref() == Some("-1")));

    let current = all(&launcher, "[aria-current]");
    assert_eq!(current.len(), 1, "exactly the current module is marked");
    assert_eq!(current[0].get_attribute("data-module").as_deref(), Some("rmm"));
    assert_eq!(all(&launcher, "[role=separator]").len(), 1);
}

#[wasm_bindgen_test]
fn names_with_markup_show_as_text() {
    let mut data = input(SignedInVia::Hub, Page::Module);
    data.entitlements[0].name = HOSTILE_NAME.to_owned();
    data.brand.menu_title = "<i>My</i> Hub".to_owned();
    let (_slot, launcher) = mounted(&data);

    assert_eq!(
        find(&launcher, "[data-module=psa] .name").text_content().as_deref(),
        Some(HOSTILE_NAME)
    );
    assert_eq!(find(&launcher, ".home").text_content().as_deref(), Some("<i>My</i> Hub"));
    assert!(all(&launcher, "img, b, i").is_empty(), "no markup became elements");
    let owned = js_sys::Reflect::get(&js_sys::global(), &"__owned".into()).expect("global");
    assert!(owned.is_undefined(), "no handler ran");
}

#[wasm_bindgen_test]
fn only_http_links_are_kept() {
    let mut data = input(SignedInVia::Hub, Page::Module);
    data.entitlements[0].url = "javascript:alert(1)".to_owned();
    data.entitlements[1].url = "/relative/path".to_owned();
    data.entitlements[1].icon = Some("data:image/svg+xml,<svg/>".to_owned());
    data.entitlements[2].icon = Some("/icons/docs.png".to_owned());
    let (_slot, launcher) = mounted(&data);

    assert_eq!(find(&launcher, "[data-module=psa]").get_attribute("href"), None);
    let relative = find(&launcher, "[data-module=rmm]").get_attribute("href").unwrap_or_default();
    assert!(relative.starts_with("http") && relative.ends_with("/relative/path"), "{relative}");
    assert!(all(&launcher, "[data-module=rmm] img").is_empty(), "data: icons are dropped");
    let icon = find(&launcher, "[data-module=docs] img");
    assert_eq!(icon.get_attribute("alt").as_deref(), Some(""));
}

#[wasm_bindgen_test]
fn enter_opens_arrows_move_and_escape_returns_focus() {
    let (_slot, launcher) = mounted(&input(SignedInVia::Hub, Page::Module));
    let button = find(&launcher, "button");
    button.focus().expect("focus");

    press(&button, "Enter");
    assert!(menu_open(&launcher));
    assert_eq!(expanded(&launcher), "true");
    assert_eq!(focused_text(&launcher), "My KaseyaOne", "Enter focuses the first item");

    press_focused(&launcher, "ArrowDown");
    assert_eq!(focused_text(&launcher), "PPSA");
    press_focused(&launcher, "End");
    assert_eq!(focused_text(&launcher), "DDocumentation");
    press_focused(&launcher, "ArrowDown");
    assert_eq!(focused_text(&launcher), "My KaseyaOne", "ArrowDown wraps to the first");
    press_focused(&launcher, "ArrowUp");
    assert_eq!(focused_text(&launcher), "DDocumentation", "ArrowUp wraps to the last");
    press_focused(&launcher, "Home");
    assert_eq!(focused_text(&launcher), "My KaseyaOne");

    press_focused(&launcher, "Escape");
    assert!(!menu_open(&launcher));
    assert_eq!(expanded(&launcher), "false");
    let back: Element = button.into();
    assert_eq!(focused(&launcher), Some(back), "Escape returns focus to the button");
}

#[wasm_bindgen_test]
fn space_and_arrow_down_open_at_the_first_item_arrow_up_at_the_last() {
    let cases =
        [(" ", "My KaseyaOne"), ("ArrowDown", "My KaseyaOne"), ("ArrowUp", "DDocumentation")];
    for (key, first) in cases {
        let (_slot, launcher) = mounted(&input(SignedInVia::Hub, Page::Module));
        let button = find(&launcher, "button");
        button.focus().expect("focus");
        press(&button, key);
        assert!(menu_open(&launcher), "{key:?} opens");
        assert_eq!(focused_text(&launcher), first, "{key:?} focus");
    }
}

#[wasm_bindgen_test]
fn tab_closes_and_leaves_focus_on_the_button_for_the_browser_to_move() {
    let (_slot, launcher) = mounted(&input(SignedInVia::Hub, Page::Module));
    press(&find(&launcher, "button"), "Enter");
    press_focused(&launcher, "Tab");
    assert!(!menu_open(&launcher));
    assert_eq!(expanded(&launcher), "false");
    let button: Element = find(&launcher, "button").into();
    assert_eq!(focused(&launcher), Some(button));
}

#[wasm_bindgen_test]
fn click_toggles_and_a_press_outside_closes() {
    let (_slot, launcher) = mounted(&input(SignedInVia::Hub, Page::Module));
    let button = find(&launcher, "button");

    button.click();
    assert!(menu_open(&launcher), "click opens");
    button.click();
    assert!(!menu_open(&launcher), "second click closes");

    button.click();
    let init = EventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    let inside = Event::new_with_event_init_dict("pointerdown", &init).expect("event");
    find(&launcher, "[role=menuitem]").dispatch_event(&inside).expect("dispatched");
    assert!(menu_open(&launcher), "a press inside the menu keeps it open");

    let outside = Event::new_with_event_init_dict("pointerdown", &init).expect("event");
    doc().body().expect("body").dispatch_event(&outside).expect("dispatched");
    assert!(!menu_open(&launcher), "a press outside closes");
    assert_eq!(expanded(&launcher), "false");
}

#[wasm_bindgen_test]
fn module_credentials_get_the_hub_icon_that_returns_here() {
    let (_slot, launcher) = mounted(&input(SignedInVia::ModuleCredentials, Page::Module));
    assert_eq!(launcher.view(), "hub_icon");

    let link = find(&launcher, "a.hub");
    assert_eq!(link.get_attribute("aria-label").as_deref(), Some("Log in to KaseyaOne"));
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some(
            "https://rmm.example.test/.onegate/login?return_to=\
             https%3A%2F%2Frmm.example.test%2Ftickets%3Fid%3D7"
        )
    );
    assert_eq!(find(&launcher, "a.hub svg").get_attribute("aria-hidden").as_deref(), Some("true"));
    assert!(all(&launcher, "button, [role=menu]").is_empty());
}

#[wasm_bindgen_test]
fn login_page_with_unified_login_offers_the_login_choice() {
    let (_slot, launcher) = mounted(&input(SignedInVia::Nobody, Page::Login));
    assert_eq!(launcher.view(), "login_choice");

    let link = find(&launcher, "a.login");
    assert_eq!(link.text_content().as_deref(), Some("Log In with KaseyaOne"));
    let href = link.get_attribute("href").unwrap_or_default();
    assert!(href.starts_with("https://rmm.example.test/.onegate/login?return_to="), "{href}");
}

#[wasm_bindgen_test]
fn hidden_view_draws_nothing() {
    let mut data = input(SignedInVia::Nobody, Page::Login);
    data.unified_login = false;
    let (_slot, launcher) = mounted(&data);
    assert_eq!(launcher.view(), "hidden");
    assert_eq!(launcher.shadow_root().child_element_count(), 0);
}

#[wasm_bindgen_test]
fn shadow_root_is_closed_and_dropping_unmounts() {
    let (slot, launcher) = mounted(&input(SignedInVia::Hub, Page::Module));
    let host = launcher.host().clone();
    assert_eq!(host.tag_name().to_lowercase(), "onegate-launcher");
    assert!(host.shadow_root().is_none(), "page scripts cannot reach the shadow root");
    assert_eq!(slot.0.child_element_count(), 1);

    let button = find(&launcher, "button");
    drop(launcher);
    assert!(!host.is_connected(), "the host is removed");
    assert_eq!(slot.0.child_element_count(), 0);
    button.click();
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"), "no listener left");
}

fn data_element(json: &str) -> Slot {
    let doc = doc();
    let data = doc.create_element("script").expect("script");
    data.set_id("onegate-launcher-data");
    data.set_attribute("type", "application/json").expect("type");
    data.set_text_content(Some(json));
    doc.body().expect("body").append_child(&data).expect("append");
    Slot(data)
}

const PAGE_JSON: &str = r#"{"signed_in_via":"hub","page":"module","current_module":"psa",
  "entitlements":[{"module_id":"psa","name":"PSA","url":"https://psa.example.test/"}],
  "unified_login":true,"current_url":"https://psa.example.test/",
  "hub_home":"https://hub.example.test/","sign_in_url":"https://psa.example.test/.onegate/login"}"#;

#[wasm_bindgen_test]
fn mounts_from_the_page_into_its_placeholder_or_floating() {
    assert!(mount_from_page(&doc()).expect("no data is fine").is_none());

    let _data = data_element(PAGE_JSON);
    let slot = Slot::new("onegate-launcher");
    let launcher = mount_from_page(&doc()).expect("mounted").expect("some");
    assert_eq!(launcher.view(), "waffle");
    assert!(slot.0.contains(Some(launcher.host())));
    assert!(!launcher.host().has_attribute("data-onegate-floating"));
    drop(launcher);
    drop(slot);

    let launcher = mount_from_page(&doc()).expect("mounted").expect("some");
    assert!(launcher.host().has_attribute("data-onegate-floating"));
    let position = web_sys::window()
        .and_then(|it| it.get_computed_style(launcher.host()).ok().flatten())
        .and_then(|it| it.get_property_value("position").ok());
    assert_eq!(position.as_deref(), Some("fixed"));
}

#[wasm_bindgen_test]
fn unusable_page_data_is_a_value_invalid_error() {
    let cases = [
        ("not json", "launcher data: the launcher data is not valid JSON"),
        ("[]", "launcher data: `signed_in_via` must be a string"),
        (
            r#"{"signed_in_via":"admin"}"#,
            "launcher data: `signed_in_via` must be \"hub\", \"module_credentials\" or \"nobody\"",
        ),
        (
            r#"{"signed_in_via":"hub","page":"home"}"#,
            "launcher data: `page` must be \"login\" or \"module\"",
        ),
        (
            r#"{"signed_in_via":"hub","page":"module","entitlements":{}}"#,
            "launcher data: `entitlements` must be an array",
        ),
        (
            r#"{"signed_in_via":"hub","page":"module","entitlements":[{"module_id":1}]}"#,
            "launcher data: `module_id` must be a string",
        ),
        (
            r#"{"signed_in_via":"hub","page":"module","current_module":"p","unified_login":"y"}"#,
            "launcher data: `unified_login` must be true or false",
        ),
    ];
    for (json, message) in cases {
        let err = input::from_json(json).expect_err(json);
        assert_eq!(err.code(), "value_invalid", "{json}");
        assert_eq!(err.message(), message, "{json}");
    }

    let parsed = input::from_json(PAGE_JSON).expect("valid");
    assert_eq!(parsed.brand.menu_title, "My KaseyaOne", "brand defaults");
    assert_eq!(parsed.entitlements[0].icon, None);
}
