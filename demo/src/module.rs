//! Which demo module a request is for, where its pages live, and what client sent it.
//!
//! One Worker serves every module. The module is chosen by the `X-Onegate-Module` header when
//! present (the gate sets it and forwards paths unchanged), otherwise by the first path segment
//! (`/psa/...`, `/rmm/...`, `/globex-psa/...`, handy when browsing the demo directly). Each
//! module is one customer's instance with its own user store, levels and SCIM token: `psa` and
//! `rmm` are Acme's, `globex-psa` is a PSA of a second customer (Globex), so two tenants of the
//! hub never share module accounts. Its [`Kind`] says which app it is. The client kind is a
//! request property: `X-Client: LiveMobile`, or a user agent containing `LiveMobile`, marks the
//! LiveMobile app; anything else is a web browser.

use std::fmt;

/// The header the gate sets to name the module it proxies for.
pub const MODULE_HEADER: &str = "X-Onegate-Module";

/// Which app a module is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A PSA (professional services automation), standing in for Autotask: it lists tickets.
    Psa,
    /// An RMM (remote monitoring and management): it lists devices.
    Rmm,
}

impl Kind {
    /// The kind's name in templates (`psa`, `rmm`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Psa => "psa",
            Kind::Rmm => "rmm",
        }
    }
}

/// A demo module: one customer's instance of an app, with its own store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Module {
    /// Acme's PSA module, standing in for Autotask.
    Psa,
    /// Acme's RMM module.
    Rmm,
    /// Globex's PSA: the same app as [`Module::Psa`] with a store of its own.
    GlobexPsa,
}

impl Module {
    /// Every module, in display order.
    pub const ALL: [Module; 3] = [Module::Psa, Module::Rmm, Module::GlobexPsa];

    /// The module's id in URLs, headers and the database (`psa`, `rmm`, `globex-psa`).
    pub fn slug(self) -> &'static str {
        match self {
            Module::Psa => "psa",
            Module::Rmm => "rmm",
            Module::GlobexPsa => "globex-psa",
        }
    }

    /// The module's display name.
    pub fn title(self) -> &'static str {
        match self {
            Module::Psa => "Demo PSA",
            Module::Rmm => "Demo RMM",
            Module::GlobexPsa => "Globex PSA",
        }
    }

    /// Which app the module is.
    pub fn kind(self) -> Kind {
        match self {
            Module::Psa | Module::GlobexPsa => Kind::Psa,
            Module::Rmm => Kind::Rmm,
        }
    }

    /// The variable holding the module's SCIM bearer token (`SCIM_TOKEN_GLOBEX_PSA`).
    pub fn scim_token_var(self) -> String {
        format!("SCIM_TOKEN_{}", self.slug().to_ascii_uppercase().replace('-', "_"))
    }

    /// Finds a module by its slug, ignoring ASCII case.
    pub fn from_slug(slug: &str) -> Option<Module> {
        Module::ALL.into_iter().find(|m| m.slug().eq_ignore_ascii_case(slug))
    }
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// Where a request goes inside the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A module route: `base` is what the module's links start with (`""` behind the gate,
    /// `"/psa"` when chosen by path) and `path` is the rest, always starting with `/`.
    Module {
        /// The module.
        module: Module,
        /// The prefix of the module's own links.
        base: String,
        /// The path inside the module.
        path: String,
    },
    /// No module was named: the app's index page (or a shared asset).
    Root {
        /// The request path.
        path: String,
    },
}

/// Why a request could not be routed; answered with a 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownModule(pub String);

impl fmt::Display for UnknownModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown module '{}' in {MODULE_HEADER}: use psa, rmm or globex-psa", self.0)
    }
}

/// Routes a request by the module header (if any) and its path.
pub fn route(module_header: Option<&str>, path: &str) -> Result<Target, UnknownModule> {
    if let Some(name) = module_header {
        let module = Module::from_slug(name.trim()).ok_or_else(|| UnknownModule(name.into()))?;
        return Ok(Target::Module { module, base: String::new(), path: path.to_owned() });
    }

    let rest = path.trim_start_matches('/');
    let (first, tail) = rest.split_once('/').map_or((rest, ""), |(a, b)| (a, b));
    match Module::ALL.into_iter().find(|m| m.slug() == first) {
        Some(module) => Ok(Target::Module {
            module,
            base: format!("/{}", module.slug()),
            path: format!("/{tail}"),
        }),
        None => Ok(Target::Root { path: path.to_owned() }),
    }
}

/// What the user signs in from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    /// A web browser.
    Browser,
    /// The LiveMobile app.
    LiveMobile,
}

impl ClientKind {
    /// Reads the client kind from the `X-Client` and `User-Agent` headers.
    pub fn detect(x_client: Option<&str>, user_agent: Option<&str>) -> ClientKind {
        let marked = x_client.is_some_and(|c| c.trim().eq_ignore_ascii_case("LiveMobile"));
        let agent = user_agent.is_some_and(|ua| ua.to_ascii_lowercase().contains("livemobile"));
        if marked || agent { ClientKind::LiveMobile } else { ClientKind::Browser }
    }

    /// The name shown on pages.
    pub fn label(self) -> &'static str {
        match self {
            ClientKind::Browser => "web browser",
            ClientKind::LiveMobile => "LiveMobile app",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(module: Module, base: &str, path: &str) -> Result<Target, UnknownModule> {
        Ok(Target::Module { module, base: base.into(), path: path.into() })
    }

    #[test]
    fn routing_table() {
        type Row<'a> = (&'a str, Option<&'a str>, &'a str, Result<Target, UnknownModule>);
        let rows: &[Row] = &[
            ("header_wins", Some("psa"), "/rmm/login", module(Module::Psa, "", "/rmm/login")),
            ("header_case", Some(" RMM "), "/", module(Module::Rmm, "", "/")),
            ("header_unknown", Some("crm"), "/", Err(UnknownModule("crm".into()))),
            ("path_prefix", None, "/psa/login", module(Module::Psa, "/psa", "/login")),
            ("path_prefix_bare", None, "/rmm", module(Module::Rmm, "/rmm", "/")),
            ("path_prefix_slash", None, "/rmm/", module(Module::Rmm, "/rmm", "/")),
            (
                "path_scim",
                None,
                "/psa/scim/v2/Users",
                module(Module::Psa, "/psa", "/scim/v2/Users"),
            ),
            (
                "header_globex",
                Some("globex-psa"),
                "/login",
                module(Module::GlobexPsa, "", "/login"),
            ),
            (
                "path_globex",
                None,
                "/globex-psa/scim/v2/Users",
                module(Module::GlobexPsa, "/globex-psa", "/scim/v2/Users"),
            ),
            ("root", None, "/", Ok(Target::Root { path: "/".into() })),
            ("not_a_prefix", None, "/psax/login", Ok(Target::Root { path: "/psax/login".into() })),
        ];
        for (name, header, path, expect) in rows {
            assert_eq!(&route(*header, path), expect, "row {name}");
        }
    }

    #[test]
    fn each_module_has_its_own_token_variable_and_a_kind() {
        let rows = [
            (Module::Psa, "SCIM_TOKEN_PSA", Kind::Psa),
            (Module::Rmm, "SCIM_TOKEN_RMM", Kind::Rmm),
            (Module::GlobexPsa, "SCIM_TOKEN_GLOBEX_PSA", Kind::Psa),
        ];
        for (module, var, kind) in rows {
            assert_eq!(module.scim_token_var(), var, "{module}");
            assert_eq!(module.kind(), kind, "{module}");
        }
    }

    #[test]
    fn client_kind_table() {
        let rows: &[(&str, Option<&str>, Option<&str>, ClientKind)] = &[
            ("plain_browser", None, Some("Mozilla/5.0"), ClientKind::Browser),
            ("x_client_header", Some("LiveMobile"), None, ClientKind::LiveMobile),
            ("x_client_case", Some("livemobile"), Some("Mozilla/5.0"), ClientKind::LiveMobile),
            ("user_agent", None, Some("Autotask LiveMobile/3.1 (iOS)"), ClientKind::LiveMobile),
            ("other_client", Some("Desktop"), None, ClientKind::Browser),
            ("nothing", None, None, ClientKind::Browser),
        ];
        for (name, x_client, ua, expect) in rows {
            assert_eq!(ClientKind::detect(*x_client, *ua), *expect, "row {name}");
        }
    }
}
