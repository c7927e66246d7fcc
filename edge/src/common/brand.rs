//! The brand shown to users ("KaseyaOne", "My KaseyaOne"): configuration, read once per
//! isolate from the `BRAND` variable (core's default when it is unset or blank) and then used
//! by the hub's pages, the portal, the admin screens, the gate's pages and the launcher.
//! FIXME: per-tenant branding is not stored yet; every tenant of a Worker shows its one brand.

use std::sync::OnceLock;

use onegate_core::launcher::Brand;
use worker::Env;

use super::vars;

static BRAND: OnceLock<Brand> = OnceLock::new();

/// The brand for a `BRAND` value: core's [`Brand::named`], or the default without one.
pub fn from_var(value: Option<&str>) -> Brand {
    value.map_or_else(Brand::default, Brand::named)
}

/// Reads `BRAND` from `env` the first time it is called in this isolate; the Worker calls it
/// at the start of every request, before anything renders.
pub fn load(env: &Env) {
    BRAND.get_or_init(|| from_var(vars::var(env, "BRAND").as_deref()));
}

/// The configured brand (core's default until [`load`] has run).
pub fn current() -> &'static Brand {
    BRAND.get_or_init(Brand::default)
}

/// The brand's name ("KaseyaOne").
pub fn name() -> &'static str {
    &current().name
}

#[cfg(test)]
mod tests {
    use super::from_var;

    #[test]
    fn brand_comes_from_the_variable_with_the_default_without_one() {
        let rows = [
            (None, "KaseyaOne", "My KaseyaOne"),
            (Some(""), "KaseyaOne", "My KaseyaOne"),
            (Some("Acme ID"), "Acme ID", "My Acme ID"),
        ];
        for (value, name, title) in rows {
            let brand = from_var(value);
            assert_eq!(
                (brand.name.as_str(), brand.menu_title.as_str()),
                (name, title),
                "{value:?}"
            );
        }
    }
}
