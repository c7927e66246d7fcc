//! The launcher model: what the widget in a module page shows.
//!
//! Users signed in through the hub get the waffle and the "My KaseyaOne" menu of the modules
//! they may open; users signed in with module credentials get the hub icon; a module login page
//! with unified login on offers "Log In with KaseyaOne". The widget only renders this model, so
//! no rule is decided again in JavaScript.

use serde::{Deserialize, Serialize};

/// The brand shown to users. Defaults to KaseyaOne.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brand {
    /// The hub's name. Defaults to "KaseyaOne".
    pub name: String,
    /// The menu's title. Defaults to "My KaseyaOne".
    pub menu_title: String,
}

/// The brand's name when none is configured.
pub const DEFAULT_BRAND_NAME: &str = "KaseyaOne";

impl Brand {
    /// The brand called `name` (trimmed), with the menu title "My <name>"; the default brand
    /// when `name` is blank.
    pub fn named(name: &str) -> Brand {
        let name = name.trim();
        if name.is_empty() {
            return Brand::default();
        }
        Brand { name: name.to_owned(), menu_title: format!("My {name}") }
    }
}

impl Default for Brand {
    fn default() -> Brand {
        Brand {
            name: DEFAULT_BRAND_NAME.to_owned(),
            menu_title: format!("My {DEFAULT_BRAND_NAME}"),
        }
    }
}

/// How the user of the page is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignedInVia {
    /// Through the hub.
    Hub,
    /// With the module's own credentials.
    ModuleCredentials,
    /// Not signed in.
    Nobody,
}

/// Which kind of module page the launcher is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Page {
    /// The module's login page.
    Login,
    /// Any other page.
    Module,
}

/// A module the user may open, from the hub's entitlements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entitlement {
    /// The module's id.
    pub module_id: String,
    /// The module's name as users know it.
    pub name: String,
    /// Where the module opens (its gate origin).
    pub url: String,
    /// An icon URL, if the module has one.
    #[serde(default)]
    pub icon: Option<String>,
}

/// Everything the launcher model reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LauncherInput {
    /// How the page's user is signed in.
    pub signed_in_via: SignedInVia,
    /// Which page the launcher is on.
    pub page: Page,
    /// The modules the user may open, in the hub's order.
    #[serde(default)]
    pub entitlements: Vec<Entitlement>,
    /// The module this page belongs to.
    pub current_module: String,
    /// Whether this module accepts hub login.
    pub unified_login: bool,
    /// The page's own URL, to return to after a hub login.
    pub current_url: String,
    /// Where a hub login for this module starts (the gate's endpoint on this origin).
    pub sign_in_url: String,
    /// The hub portal's home page.
    pub hub_home: String,
    /// The brand. Defaults to KaseyaOne.
    #[serde(default)]
    pub brand: Brand,
}

/// One entry of the "My KaseyaOne" menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuItem {
    /// The module's id.
    pub module_id: String,
    /// The module's name.
    pub name: String,
    /// Where it opens.
    pub href: String,
    /// Its icon, if any.
    pub icon: Option<String>,
    /// True for the module this page belongs to.
    pub current: bool,
}

/// What the launcher shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "view")]
pub enum LauncherView {
    /// The waffle button and its menu.
    Waffle {
        /// The button's accessible name ("Open My KaseyaOne").
        label: String,
        /// The menu's title ("My KaseyaOne").
        title: String,
        /// The hub portal's home, shown at the top of the menu.
        home: String,
        /// The modules the user may open.
        items: Vec<MenuItem>,
    },
    /// The hub icon for users signed in with module credentials.
    HubIcon {
        /// The icon's accessible name.
        label: String,
        /// Where clicking it goes.
        href: String,
    },
    /// The "Log In with KaseyaOne" button on a module login page.
    LoginChoice {
        /// The button's text.
        label: String,
        /// Where clicking it goes.
        href: String,
    },
    /// Nothing is shown.
    Hidden,
}

/// Computes what the launcher shows.
pub fn view(input: &LauncherInput) -> LauncherView {
    let brand = &input.brand;

    if input.page == Page::Login {
        if !input.unified_login {
            return LauncherView::Hidden;
        }
        return LauncherView::LoginChoice {
            label: format!("Log In with {}", brand.name),
            href: with_return_to(&input.sign_in_url, &input.current_url),
        };
    }

    match input.signed_in_via {
        SignedInVia::Hub => LauncherView::Waffle {
            label: format!("Open {}", brand.menu_title),
            title: brand.menu_title.clone(),
            home: input.hub_home.clone(),
            items: input
                .entitlements
                .iter()
                .map(|it| MenuItem {
                    module_id: it.module_id.clone(),
                    name: it.name.clone(),
                    href: it.url.clone(),
                    icon: it.icon.clone(),
                    current: it.module_id == input.current_module,
                })
                .collect(),
        },
        // With unified login on, the icon upgrades this page to hub login and comes back here;
        // with it off the module cannot accept hub login, so the icon opens the hub instead.
        SignedInVia::ModuleCredentials if input.unified_login => LauncherView::HubIcon {
            label: format!("Log in to {}", brand.name),
            href: with_return_to(&input.sign_in_url, &input.current_url),
        },
        SignedInVia::ModuleCredentials => LauncherView::HubIcon {
            label: format!("Open {}", brand.name),
            href: input.hub_home.clone(),
        },
        SignedInVia::Nobody => LauncherView::Hidden,
    }
}

/// Appends `return_to=<url>` to `base`, percent-encoded.
pub fn with_return_to(base: &str, return_to: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    let encoded: String = url::form_urlencoded::byte_serialize(return_to.as_bytes()).collect();
    format!("{base}{sep}return_to={encoded}")
}
