//! The waffle: a menu button (WAI-ARIA pattern) that opens the "My KaseyaOne" menu.
//!
//! Keyboard: Enter, Space and ArrowDown open the menu and focus its first item, ArrowUp opens it
//! at the last; inside, ArrowDown and ArrowUp move (wrapping), Home and End jump, Space follows
//! the focused link, Escape closes and returns focus to the button, Tab closes and moves on. A
//! pointer press outside the widget closes it. The menu is a manual popover, so it shows in the
//! top layer above any page overlay, is never clipped by the page's containers, and is placed
//! inside the viewport wherever the page put the button.

use std::rc::Rc;

use onegate_core::launcher::MenuItem;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Event, HtmlElement, KeyboardEvent, Node, ShadowRoot};

use super::listener::{Listener, Phase};
use super::{icons, safe_href};

/// The id of the menu element inside the shadow root.
pub const MENU_ID: &str = "onegate-menu";

/// What the waffle shows, borrowed from the core's `LauncherView::Waffle`.
pub struct Waffle<'a> {
    /// The button's accessible name.
    pub label: &'a str,
    /// The menu's title, which is also its first item, a link to the hub home.
    pub title: &'a str,
    /// The hub portal's home.
    pub home: &'a str,
    /// The user's modules.
    pub items: &'a [MenuItem],
}

/// Which item gets focus when the menu opens.
#[derive(Debug, Clone, Copy)]
enum Focus {
    First,
    Last,
}

struct Menu {
    doc: Document,
    host: HtmlElement,
    button: HtmlElement,
    panel: HtmlElement,
    items: Vec<HtmlElement>,
}

impl Menu {
    fn is_open(&self) -> bool {
        self.button.get_attribute("aria-expanded").as_deref() == Some("true")
    }

    fn open(&self, focus: Focus) {
        let _ = self.panel.show_popover();
        self.place_panel();
        let _ = self.button.set_attribute("aria-expanded", "true");
        match focus {
            Focus::First => self.focus_item(0),
            Focus::Last => self.focus_item(self.items.len().saturating_sub(1)),
        }
    }

    fn close(&self) {
        let _ = self.panel.hide_popover();
        let _ = self.button.set_attribute("aria-expanded", "false");
    }

    fn focus_item(&self, index: usize) {
        if let Some(item) = self.items.get(index) {
            let _ = item.focus();
        }
    }

    /// Puts the open popover under the button, right-aligned with it, kept inside the viewport.
    fn place_panel(&self) {
        let button = self.button.get_bounding_client_rect();
        let width = self.panel.get_bounding_client_rect().width();
        let viewport = self.doc.document_element().map_or(0, |it| it.client_width());
        let widest = (f64::from(viewport) - width - 8.0).max(8.0);
        // Whole pixels: formatting floats would pull 15 KB of float printing into the wasm.
        // Not `clamp`: its panic message would print floats.
        let left = (button.right() - width).min(widest).max(8.0).round() as i32;
        let top = (button.bottom() + 6.0).round() as i32;
        let style = self.panel.style();
        let _ = style.set_property("left", &format!("{left}px"));
        let _ = style.set_property("top", &format!("{top}px"));
    }

    fn index_of(&self, target: Option<web_sys::EventTarget>) -> Option<usize> {
        let target = target?;
        self.items.iter().position(|it| it.unchecked_ref::<web_sys::EventTarget>() == &target)
    }

    fn on_button_key(&self, event: &KeyboardEvent) {
        match event.key().as_str() {
            "Enter" | " " | "ArrowDown" => self.open(Focus::First),
            "ArrowUp" => self.open(Focus::Last),
            "Escape" if self.is_open() => self.close(),
            _ => return,
        }
        event.prevent_default();
    }

    fn on_menu_key(&self, event: &KeyboardEvent) {
        let last = self.items.len().saturating_sub(1);
        let current = self.index_of(event.target());
        match event.key().as_str() {
            "ArrowDown" => {
                let next = current.map_or(0, |it| if it >= last { 0 } else { it + 1 });
                self.focus_item(next);
            }
            "ArrowUp" => {
                let prev = current.map_or(last, |it| if it == 0 { last } else { it - 1 });
                self.focus_item(prev);
            }
            "Home" => self.focus_item(0),
            "End" => self.focus_item(last),
            "Escape" => {
                self.close();
                let _ = self.button.focus();
            }
            " " => {
                if let Some(item) = current.and_then(|it| self.items.get(it)) {
                    item.click();
                }
            }
            "Tab" => {
                // Focus the button first, so the browser's own Tab moves on from there.
                self.close();
                let _ = self.button.focus();
                return;
            }
            _ => return,
        }
        event.prevent_default();
        event.stop_propagation();
    }

    fn on_pointer_down(&self, event: &Event) {
        if !self.is_open() {
            return;
        }
        let inside = event
            .target()
            .and_then(|it| it.dyn_into::<Node>().ok())
            .is_some_and(|it| self.host.contains(Some(&it)));
        if !inside {
            self.close();
        }
    }
}

/// Renders the waffle into `shadow` and returns the listeners that drive it.
pub fn render(
    doc: &Document,
    host: &HtmlElement,
    shadow: &ShadowRoot,
    waffle: &Waffle<'_>,
) -> Result<Vec<Listener>, JsValue> {
    let button: HtmlElement = doc.create_element("button")?.unchecked_into();
    button.set_class_name("trigger");
    button.set_attribute("type", "button")?;
    button.set_attribute("aria-haspopup", "menu")?;
    button.set_attribute("aria-expanded", "false")?;
    button.set_attribute("aria-controls", MENU_ID)?;
    button.set_attribute("aria-label", waffle.label)?;
    button.set_title(waffle.label);
    let icon = icons::waffle(doc)?;
    button.append_child(&icon)?;

    let panel: HtmlElement = doc.create_element("div")?.unchecked_into();
    panel.set_id(MENU_ID);
    panel.set_class_name("menu");
    panel.set_attribute("role", "menu")?;
    panel.set_attribute("aria-label", waffle.title)?;
    panel.set_attribute("popover", "manual")?;

    let mut items = Vec::with_capacity(waffle.items.len() + 1);
    let home = menu_item(doc, waffle.home)?;
    home.set_class_name("home");
    home.set_text_content(Some(waffle.title));
    panel.append_child(&home)?;
    items.push(home);

    let separator = doc.create_element("div")?;
    separator.set_class_name("separator");
    separator.set_attribute("role", "separator")?;
    panel.append_child(&separator)?;

    for module in waffle.items {
        let item = module_item(doc, module)?;
        panel.append_child(&item)?;
        items.push(item);
    }

    shadow.append_child(&button)?;
    shadow.append_child(&panel)?;

    let menu = Rc::new(Menu { doc: doc.clone(), host: host.clone(), button, panel, items });
    Ok(vec![
        listen(&menu, &menu.button, "click", Phase::Bubble, |menu, _| {
            if menu.is_open() {
                menu.close();
            } else {
                menu.open(Focus::First);
            }
        }),
        listen(&menu, &menu.button, "keydown", Phase::Bubble, |menu, event| {
            if let Some(event) = event.dyn_ref::<KeyboardEvent>() {
                menu.on_button_key(event);
            }
        }),
        listen(&menu, &menu.panel, "keydown", Phase::Bubble, |menu, event| {
            if let Some(event) = event.dyn_ref::<KeyboardEvent>() {
                menu.on_menu_key(event);
            }
        }),
        listen(&menu, doc, "pointerdown", Phase::Capture, |menu, event| {
            menu.on_pointer_down(&event);
        }),
    ])
}

fn listen(
    menu: &Rc<Menu>,
    target: &web_sys::EventTarget,
    kind: &'static str,
    phase: Phase,
    handler: fn(&Menu, Event),
) -> Listener {
    let menu = Rc::clone(menu);
    Listener::new(target, kind, phase, move |event| handler(&menu, event))
}

fn menu_item(doc: &Document, href: &str) -> Result<HtmlElement, JsValue> {
    let item: HtmlElement = doc.create_element("a")?.unchecked_into();
    item.set_attribute("role", "menuitem")?;
    item.set_attribute("tabindex", "-1")?;
    if let Some(href) = safe_href(doc, href) {
        item.set_attribute("href", &href)?;
    }
    Ok(item)
}

fn module_item(doc: &Document, module: &MenuItem) -> Result<HtmlElement, JsValue> {
    let item = menu_item(doc, &module.href)?;
    item.set_attribute("data-module", &module.module_id)?;
    if module.current {
        item.set_attribute("aria-current", "true")?;
    }

    match module.icon.as_deref().and_then(|it| safe_href(doc, it)) {
        Some(src) => {
            let icon = doc.create_element("img")?;
            icon.set_class_name("icon");
            icon.set_attribute("alt", "")?;
            icon.set_attribute("referrerpolicy", "no-referrer")?;
            icon.set_attribute("src", &src)?;
            item.append_child(&icon)?;
        }
        None => {
            let badge = doc.create_element("span")?;
            badge.set_class_name("badge");
            badge.set_attribute("aria-hidden", "true")?;
            // ASCII upper case only: full Unicode case tables would cost kilobytes.
            let initial: String =
                module.name.chars().take(1).map(|it| it.to_ascii_uppercase()).collect();
            badge.set_text_content(Some(&initial));
            item.append_child(&badge)?;
        }
    }

    let name = doc.create_element("span")?;
    name.set_class_name("name");
    name.set_text_content(Some(&module.name));
    item.append_child(&name)?;
    Ok(item)
}
