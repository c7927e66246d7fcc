//! The launcher widget: renders the core's launcher model into a closed shadow root.
//!
//! The gate writes the launcher input into the page as JSON (`#onegate-launcher-data`) and loads
//! `launcher.js`, which calls [`mount_from_page`]. The view comes from
//! [`onegate_core::launcher::view`]; this module only draws it. The widget lives in its own
//! `<onegate-launcher>` element with a closed shadow root and an adopted style sheet, so page
//! CSS cannot restyle it, page scripts cannot reach into it, and a strict CSP (no inline scripts
//! or styles) does not stop it. All text is set with `textContent`, and links are kept only when
//! they are `http:` or `https:` URLs.

mod icons;
pub mod input;
mod listener;
mod menu;
mod style;

use std::fmt;

use js_sys::{Array, Reflect};
use onegate_core::launcher::{self, LauncherView};
use wasm_bindgen::prelude::*;
use web_sys::{
    CssStyleSheet, Document, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

use listener::Listener;
pub use menu::MENU_ID;

/// The id of the JSON element the gate writes the launcher input into.
pub const DATA_ID: &str = "onegate-launcher-data";
/// The id of the placeholder for the waffle or hub icon on module pages.
pub const LAUNCHER_SLOT_ID: &str = "onegate-launcher";
/// The id of the placeholder for "Log In with KaseyaOne" on module login pages.
pub const LOGIN_CHOICE_SLOT_ID: &str = "onegate-login-choice";
/// The tag name of the element that hosts the widget's shadow root.
pub const HOST_TAG: &str = "onegate-launcher";

/// Why the launcher could not be mounted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountError {
    /// The launcher input is missing a field or has one of the wrong type.
    Input(onegate_core::Error),
    /// The page has no document, or a DOM call failed.
    Dom(String),
}

impl MountError {
    /// The stable machine code, as for the core's errors.
    pub fn code(&self) -> &'static str {
        match self {
            MountError::Input(err) => err.code(),
            MountError::Dom(_) => "dom_unavailable",
        }
    }
}

impl fmt::Display for MountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MountError::Input(err) => write!(f, "{}", err.message()),
            MountError::Dom(message) => write!(f, "the launcher could not be drawn: {message}"),
        }
    }
}

impl From<JsValue> for MountError {
    fn from(value: JsValue) -> MountError {
        let message = Reflect::get(&value, &JsValue::from_str("message"))
            .ok()
            .and_then(|it| it.as_string())
            .unwrap_or_else(|| "a DOM call failed".to_owned());
        MountError::Dom(message)
    }
}

/// Where the widget goes.
#[derive(Debug, Clone, Copy)]
pub enum Placement<'a> {
    /// Inside this element (the page's placeholder).
    Inside(&'a Element),
    /// In a fixed-position host at the top right of the viewport.
    Floating,
}

/// A mounted launcher. Dropping it removes the widget and its event listeners.
pub struct Launcher {
    host: HtmlElement,
    shadow: ShadowRoot,
    view: &'static str,
    _listeners: Vec<Listener>,
}

impl Launcher {
    /// The element hosting the shadow root (`<onegate-launcher>`).
    pub fn host(&self) -> &HtmlElement {
        &self.host
    }

    /// The closed shadow root: reachable from Rust (and so from tests), not from page scripts.
    pub fn shadow_root(&self) -> &ShadowRoot {
        &self.shadow
    }

    /// Which view is shown: `waffle`, `hub_icon`, `login_choice` or `hidden`.
    pub fn view(&self) -> &'static str {
        self.view
    }
}

impl Drop for Launcher {
    fn drop(&mut self) {
        self.host.remove();
    }
}

/// Draws `view` into a new host element placed as `placement` says.
pub fn mount(
    doc: &Document,
    placement: Placement<'_>,
    view: &LauncherView,
) -> Result<Launcher, MountError> {
    let host: HtmlElement = doc.create_element(HOST_TAG)?.unchecked_into();
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Closed))?;
    adopt_style(doc, &shadow)?;

    let (name, listeners) = match view {
        LauncherView::Waffle { label, title, home, items } => {
            let waffle = menu::Waffle { label, title, home, items };
            ("waffle", menu::render(doc, &host, &shadow, &waffle)?)
        }
        LauncherView::HubIcon { label, href } => {
            let link = link(doc, "hub", href)?;
            link.set_attribute("aria-label", label)?;
            link.set_attribute("title", label)?;
            let icon = icons::hub(doc)?;
            link.append_child(&icon)?;
            shadow.append_child(&link)?;
            ("hub_icon", Vec::new())
        }
        LauncherView::LoginChoice { label, href } => {
            let link = link(doc, "login", href)?;
            let icon = icons::hub(doc)?;
            link.append_child(&icon)?;
            let text = doc.create_element("span")?;
            text.set_text_content(Some(label));
            link.append_child(&text)?;
            shadow.append_child(&link)?;
            ("login_choice", Vec::new())
        }
        LauncherView::Hidden => ("hidden", Vec::new()),
    };

    match placement {
        Placement::Inside(slot) => {
            slot.append_child(&host)?;
        }
        Placement::Floating => {
            host.set_attribute("data-onegate-floating", "")?;
            let parent: Element = match doc.body() {
                Some(body) => body.into(),
                None => doc.document_element().ok_or(MountError::Dom("no root".to_owned()))?,
            };
            parent.append_child(&host)?;
        }
    }

    Ok(Launcher { host, shadow, view: name, _listeners: listeners })
}

/// Reads the gate's launcher input from the page, asks the core for the view and mounts it in
/// its placeholder (or floating at the top right when the page has none). `Ok(None)` when the
/// page carries no launcher input.
pub fn mount_from_page(doc: &Document) -> Result<Option<Launcher>, MountError> {
    let Some(data) = doc.get_element_by_id(DATA_ID) else {
        return Ok(None);
    };
    let text = data.text_content().unwrap_or_default();
    let input = input::from_json(&text).map_err(MountError::Input)?;
    let view = launcher::view(&input);
    let slot_id = match view {
        LauncherView::LoginChoice { .. } => LOGIN_CHOICE_SLOT_ID,
        _ => LAUNCHER_SLOT_ID,
    };
    let slot = doc.get_element_by_id(slot_id);
    let placement = slot.as_ref().map_or(Placement::Floating, Placement::Inside);
    mount(doc, placement, &view).map(Some)
}

/// The URL `raw` resolves to against the page, when it is `http:` or `https:`.
fn safe_href(doc: &Document, raw: &str) -> Option<String> {
    let base = doc.base_uri().ok().flatten()?;
    let url = web_sys::Url::new_with_base(raw, &base).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:").then(|| url.href())
}

fn link(doc: &Document, class: &str, href: &str) -> Result<Element, JsValue> {
    let link = doc.create_element("a")?;
    link.set_class_name(class);
    if let Some(href) = safe_href(doc, href) {
        link.set_attribute("href", &href)?;
    }
    Ok(link)
}

fn adopt_style(doc: &Document, shadow: &ShadowRoot) -> Result<(), JsValue> {
    // Constructed style sheets are not subject to the page's `style-src`; a `<style>` element
    // is the fallback for browsers without them.
    if let Ok(sheet) = CssStyleSheet::new() {
        sheet.replace_sync(style::CSS)?;
        shadow.set_adopted_style_sheets(&Array::of1(&sheet));
        return Ok(());
    }
    let style = doc.create_element("style")?;
    style.set_text_content(Some(style::CSS));
    shadow.append_child(&style)?;
    Ok(())
}

/// A mounted launcher, handed to JavaScript. Keep it referenced: `unmount()` (or garbage
/// collection of the handle) removes the widget and its listeners.
#[wasm_bindgen(js_name = LauncherHandle)]
pub struct LauncherHandle {
    inner: Option<Launcher>,
    view: &'static str,
}

#[wasm_bindgen(js_class = LauncherHandle)]
impl LauncherHandle {
    /// Which view is shown: `waffle`, `hub_icon`, `login_choice` or `hidden`.
    #[wasm_bindgen(getter)]
    pub fn view(&self) -> String {
        self.view.to_owned()
    }

    /// Removes the widget and its event listeners.
    pub fn unmount(&mut self) {
        self.inner = None;
    }
}

impl From<Launcher> for LauncherHandle {
    fn from(launcher: Launcher) -> LauncherHandle {
        LauncherHandle { view: launcher.view, inner: Some(launcher) }
    }
}

/// `mountFromPage()`: mounts the launcher from the gate's data element; `undefined` when the
/// page has none. Throws an `Error` with a `code` when the data is unusable.
#[wasm_bindgen(js_name = mountFromPage)]
pub fn mount_from_page_js() -> Result<Option<LauncherHandle>, JsValue> {
    let doc = document()?;
    let launcher = mount_from_page(&doc).map_err(|it| js_error(&it))?;
    Ok(launcher.map(LauncherHandle::from))
}

/// `mountLauncher(input, target?)`: mounts the launcher for `input` (a `LauncherInput` object)
/// inside `target`, or floating at the top right when `target` is null.
#[wasm_bindgen(js_name = mountLauncher)]
pub fn mount_launcher_js(
    input: JsValue,
    target: Option<Element>,
) -> Result<LauncherHandle, JsValue> {
    let doc = document()?;
    let input = input::from_value(&input).map_err(|it| js_error(&MountError::Input(it)))?;
    let view = launcher::view(&input);
    let placement = target.as_ref().map_or(Placement::Floating, Placement::Inside);
    let launcher = mount(&doc, placement, &view).map_err(|it| js_error(&it))?;
    Ok(launcher.into())
}

fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|it| it.document())
        .ok_or_else(|| js_error(&MountError::Dom("there is no document".to_owned())))
}

fn js_error(err: &MountError) -> JsValue {
    let error = js_sys::Error::new(&err.to_string());
    error.set_name("OnegateError");
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(err.code()));
    error.into()
}
