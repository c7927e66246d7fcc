//! What the gate knows about the module it stands in front of, read from D1 and kept in the
//! isolate's memory for a few seconds (settings changes show up within [`CONFIG_TTL_SECS`]).

use std::cell::RefCell;
use std::collections::HashMap;

use onegate_core::model::{ModuleSettings, SecurityLevel};
use serde::Deserialize;
use worker::{Env, Result, wasm_bindgen::JsValue};

use crate::common::vars;

/// How long a module's configuration stays in the isolate's memory.
pub const CONFIG_TTL_SECS: i64 = 10;

/// One module of the tenant, as the launcher's menu and the return-URL check need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleEntry {
    /// The module id (`psa`).
    pub id: String,
    /// The module's name as users know it.
    pub name: String,
    /// The gate origin users open it at.
    pub origin: String,
    /// An icon URL, if any.
    pub icon: Option<String>,
}

/// The module a request is for, with everything the gate needs to enforce its settings.
#[derive(Debug, Clone)]
pub struct GateModule {
    /// This module.
    pub module: ModuleEntry,
    /// The tenant the module belongs to.
    pub tenant_id: String,
    /// The module's own origin (the gate's upstream), `None` when its variable is unset.
    pub upstream: Option<String>,
    /// The name the upstream serves this module under (sent as `X-Onegate-Module`).
    pub upstream_module: String,
    /// The login settings, as validated by core when they were written.
    pub settings: ModuleSettings,
    /// True when the stored settings no longer parse: the gate then answers every request
    /// with a page that says so instead of guessing (and `settings` holds the defaults).
    pub settings_unreadable: bool,
    /// The path of the module's login form (`/login`).
    pub login_path: String,
    /// Path prefixes anyone may load without a session (the login page's stylesheet, say).
    pub public_paths: Vec<String>,
    /// Where the module's own screens change its security levels (`/admin/security-levels`);
    /// `None`: the gate does not guard them. See [`super::levels`].
    pub level_admin_path: Option<String>,
    /// The bearer token of the module's SCIM endpoint, if the gate may use it.
    pub scim_token: Option<String>,
    /// The module's SCIM base URL; `None`: `<upstream>/scim/v2` (the demo's layout).
    pub scim_base: Option<String>,
    /// Where the security level travels in the module's SCIM resources.
    pub scim_profile: ScimProfile,
    /// The module's security levels when its SCIM server cannot list them
    /// ([`ScimProfile::Roles`]), from `gate_modules.scim_levels_json`.
    pub scim_levels: Vec<SecurityLevel>,
    /// Where the tenant's hub publishes its keys; `None` for this Worker's own hub.
    pub jwks_url: Option<String>,
    /// Every module of the tenant, this one included.
    pub tenant_modules: Vec<ModuleEntry>,
}

/// How the gate carries the security level over SCIM (`gate_modules.scim_profile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScimProfile {
    /// `securityLevel` in the onegate module extension; levels from `GET /SecurityLevels`.
    #[default]
    Onegate,
    /// The core attribute `roles` with one value, the level id, for any RFC 7643 server; the
    /// levels come from the gate's D1 configuration.
    Roles,
}

impl ScimProfile {
    /// The profile stored as `name`; anything unknown is the default.
    pub fn parse(name: Option<&str>) -> Self {
        match name {
            Some("roles") => ScimProfile::Roles,
            _ => ScimProfile::Onegate,
        }
    }
}

impl GateModule {
    /// The origins a return URL may point at: the tenant's module origins and the hub.
    pub fn registered_origins(&self, hub_origin: &str) -> Vec<String> {
        let mut origins: Vec<String> =
            self.tenant_modules.iter().map(|it| it.origin.clone()).collect();
        origins.push(hub_origin.to_owned());
        origins
    }

    /// True when `path` is the login form or under one of the public prefixes.
    pub fn is_public(&self, path: &str) -> bool {
        self.is_login_path(path) || self.public_paths.iter().any(|it| path.starts_with(it.as_str()))
    }

    /// True when `path` is the module's login page as a module might route it: percent-escapes
    /// decoded, trailing slashes and ASCII case ignored (`/Login/` and `/%6Cogin` are `/login`),
    /// so a spelling of the path cannot carry module credentials past the login rules.
    pub fn is_login_path(&self, path: &str) -> bool {
        same_path(path, &self.login_path)
    }
}

#[derive(Deserialize)]
struct ModuleRow {
    id: String,
    tenant_id: String,
    name: String,
    origin: Option<String>,
    upstream: String,
    icon: Option<String>,
    settings_json: Option<String>,
    upstream_module: Option<String>,
    login_path: Option<String>,
    public_paths_json: Option<String>,
    level_admin_path: Option<String>,
    scim_token: Option<String>,
    scim_base: Option<String>,
    scim_profile: Option<String>,
    scim_levels_json: Option<String>,
    jwks_url: Option<String>,
}

/// The most module configurations (or known absences) one isolate remembers.
const CACHE_KEPT: usize = 1024;

thread_local! {
    static CACHE: RefCell<HashMap<String, (i64, Option<GateModule>)>> =
        RefCell::new(HashMap::new());
}

/// The module `id` (cached per isolate), or `None` when no tenant has such a module.
pub async fn load(env: &Env, id: &str, hub_origin: &str, now: i64) -> Result<Option<GateModule>> {
    let cached = CACHE.with(|it| it.borrow().get(id).cloned());
    if let Some((at, module)) = cached
        && now - at < CONFIG_TTL_SECS
    {
        return Ok(module);
    }

    let module = read(env, id, hub_origin).await?;
    CACHE.with(|it| {
        let mut cache = it.borrow_mut();
        // Unknown labels are remembered too (so a flood of them costs one read each per TTL),
        // which makes the map as large as the labels sent: expired entries go first, and all
        // of them if that is not enough.
        if cache.len() >= CACHE_KEPT {
            cache.retain(|_, (at, _)| now - *at < CONFIG_TTL_SECS);
        }
        if cache.len() >= CACHE_KEPT {
            cache.clear();
        }
        cache.insert(id.to_owned(), (now, module.clone()));
    });
    Ok(module)
}

async fn read(env: &Env, id: &str, hub_origin: &str) -> Result<Option<GateModule>> {
    let db = env.d1("DB")?;
    let row = db
        .prepare(
            "SELECT m.id, m.tenant_id, m.name, m.origin, m.upstream, m.icon, s.settings_json, \
             g.upstream_module, g.login_path, g.public_paths_json, g.level_admin_path, \
             g.scim_token, \
             g.scim_base, g.scim_profile, g.scim_levels_json, h.jwks_url \
             FROM modules m \
             LEFT JOIN module_settings s ON s.tenant_id = m.tenant_id AND s.module_id = m.id \
             LEFT JOIN gate_modules g ON g.tenant_id = m.tenant_id AND g.module_id = m.id \
             LEFT JOIN gate_hubs h ON h.tenant_id = m.tenant_id \
             WHERE m.id = ?1",
        )
        .bind(&[JsValue::from_str(id)])?
        .first::<ModuleRow>(None)
        .await?;
    let Some(row) = row else { return Ok(None) };

    #[derive(Deserialize)]
    struct Sibling {
        id: String,
        name: String,
        origin: Option<String>,
        icon: Option<String>,
    }
    let siblings = db
        .prepare("SELECT id, name, origin, icon FROM modules WHERE tenant_id = ?1 ORDER BY name")
        .bind(&[JsValue::from_str(&row.tenant_id)])?
        .all()
        .await?
        .results::<Sibling>()?;
    let tenant_modules = siblings
        .into_iter()
        .map(|it| ModuleEntry {
            origin: module_origin(it.origin.as_deref(), &it.id, hub_origin),
            id: it.id,
            name: it.name,
            icon: it.icon,
        })
        .collect();

    // Settings are validated by core before they are written. A row that no longer parses
    // (written by hand, say) must not quietly switch required hub login off: the gate then
    // refuses to guess (`settings_unreadable`). No row at all is a module never configured.
    let parsed = row.settings_json.as_deref().map(serde_json::from_str::<ModuleSettings>);
    let settings_unreadable = matches!(parsed, Some(Err(_)));
    let settings = parsed.and_then(Result::ok).unwrap_or_default();
    let public_paths = row
        .public_paths_json
        .as_deref()
        .and_then(|it| serde_json::from_str(it).ok())
        .unwrap_or_default();

    let upstream_module = row.upstream_module.clone().unwrap_or_else(|| row.id.clone());
    Ok(Some(GateModule {
        module: ModuleEntry {
            origin: module_origin(row.origin.as_deref(), &row.id, hub_origin),
            id: row.id,
            name: row.name,
            icon: row.icon,
        },
        tenant_id: row.tenant_id,
        upstream: resolve_upstream(env, &row.upstream),
        upstream_module,
        settings,
        settings_unreadable,
        login_path: row.login_path.unwrap_or_else(|| "/login".to_owned()),
        public_paths,
        level_admin_path: row
            .level_admin_path
            .filter(|it| it.starts_with('/') && it.len() > 1)
            .map(|it| it.trim_end_matches('/').to_owned()),
        scim_token: row.scim_token,
        scim_base: row
            .scim_base
            .as_deref()
            .filter(|it| !it.is_empty())
            // A variable that is not set leaves a URL no fetch reaches: unknown keys fail
            // closed rather than the tenant falling back to this Worker's own hub.
            .map(|it| resolve_upstream(env, it).unwrap_or_else(|| it.to_owned())),
        scim_profile: ScimProfile::parse(row.scim_profile.as_deref()),
        // Written by hand or by a test; a list that does not parse gives no levels, and the
        // gate then says the module's levels are not configured.
        scim_levels: row
            .scim_levels_json
            .as_deref()
            .and_then(|it| serde_json::from_str(it).ok())
            .unwrap_or_default(),
        jwks_url: row
            .jwks_url
            .as_deref()
            .filter(|it| !it.is_empty())
            // A variable that is not set leaves a URL no fetch reaches: unknown keys fail
            // closed rather than the tenant falling back to this Worker's own hub.
            .map(|it| resolve_upstream(env, it).unwrap_or_else(|| it.to_owned())),
        tenant_modules,
    }))
}

/// Whether two request paths name the same page, as [`GateModule::is_login_path`] compares.
pub fn same_path(a: &str, b: &str) -> bool {
    let norm = |path: &str| {
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let trimmed = decoded.trim_end_matches('/');
        (if trimmed.is_empty() { "/" } else { trimmed }).to_ascii_lowercase()
    };
    norm(a) == norm(b)
}

/// A module's registered origin, or `<scheme>://<id>.<hub host>` when none is stored.
pub fn module_origin(stored: Option<&str>, id: &str, hub_origin: &str) -> String {
    if let Some(origin) = stored.filter(|it| !it.is_empty()) {
        return origin.trim_end_matches('/').to_owned();
    }
    match hub_origin.split_once("://") {
        Some((scheme, host)) => format!("{scheme}://{id}.{host}"),
        None => format!("http://{id}.{hub_origin}"),
    }
}

/// `var:NAME` reads the URL from the Worker variable `NAME` (`var:NAME/path` adds a path to
/// it); anything else is the URL. No trailing slash.
fn resolve_upstream(env: &Env, stored: &str) -> Option<String> {
    let url = match stored.strip_prefix("var:") {
        Some(rest) => {
            let (name, path) = rest.split_once('/').map_or((rest, ""), |(n, p)| (n, p));
            let base = vars::var(env, name)?;
            if path.is_empty() { base } else { format!("{}/{path}", base.trim_end_matches('/')) }
        }
        None => stored.to_owned(),
    };
    Some(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::{module_origin, same_path};

    #[test]
    fn login_path_spellings_are_one_page() {
        let rows = [
            ("/login", "/login", true),
            ("/login/", "/login", true),
            ("/LOGIN", "/login", true),
            ("/%6Cogin", "/login", true),
            ("/login//", "/login", true),
            ("/", "/", true),
            ("/login2", "/login", false),
            ("/logi", "/login", false),
            ("/api/login", "/login", false),
            ("/login/x", "/login", false),
        ];
        for (path, login, expected) in rows {
            assert_eq!(same_path(path, login), expected, "{path} vs {login}");
        }
    }

    #[test]
    fn module_origins_default_to_a_label_in_front_of_the_hub_host() {
        let rows = [
            (None, "psa", "http://localhost:8787", "http://psa.localhost:8787"),
            (Some(""), "rmm", "https://hub.example", "https://rmm.hub.example"),
            (Some("https://psa.acme.example/"), "psa", "x", "https://psa.acme.example"),
        ];
        for (stored, id, hub, expected) in rows {
            assert_eq!(module_origin(stored, id, hub), expected, "{id} {stored:?}");
        }
    }
}
