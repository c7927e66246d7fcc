//! The page a signed-out visitor asked for, carried through the module's login page to the
//! "Log In with KaseyaOne" choice, so a hub login ends on that page and not on the login form.
//!
//! Modules send a signed-out visitor to their login page with a plain redirect that forgets
//! where the visitor was going (the demo answers `303 /login`). When the gate proxies such a
//! redirect for a `GET`, it adds `onegate_return_to=<the requested URL>` to the login URL
//! ([`carry`]). On the login page the gate reads the parameter back, keeps it only when core's
//! return-URL check accepts it for this module's own origin ([`target`]), and hands it to the
//! launcher model as the page's `current_url`; the login choice then links to
//! `/.onegate/login?return_to=<that page>`. Modules ignore the unknown parameter.
//!
//! The same redirect after a form post from a user signed in through the hub is the module's
//! own sign-out: the gate ends its session with that redirect and sends it on to
//! `/.onegate/logout`, which offers hub sign-out (otherwise the gate's assertion would sign the
//! user straight back in).

use onegate_core::redirect::{self, ReturnUrlPolicy};
use url::Url;

/// The query parameter on the module's login URL that carries the requested page.
pub const PARAM: &str = "onegate_return_to";

/// `location` with [`PARAM`] = `requested` added, when `location` (absolute or relative to
/// `gate_origin`) is the module's login page on the gate's origin and carries no [`PARAM`] yet.
pub fn carry(
    location: &str,
    gate_origin: &str,
    login_path: &str,
    requested: &str,
) -> Option<String> {
    let mut target = login_page(location, gate_origin, login_path)?;
    if target.query_pairs().any(|(key, _)| key == PARAM) {
        return None;
    }
    target.query_pairs_mut().append_pair(PARAM, requested);
    Some(target.into())
}

/// `location` resolved against `gate_origin`, when it is the module's login page there.
pub fn login_page(location: &str, gate_origin: &str, login_path: &str) -> Option<Url> {
    let base = Url::parse(gate_origin).ok()?;
    let target = base.join(location).ok()?;
    (target.origin() == base.origin() && super::config::same_path(target.path(), login_path))
        .then_some(target)
}

/// The page a login choice on `page_url` returns to: its [`PARAM`], when core accepts it as a
/// return URL on `gate_origin` itself.
pub fn target(page_url: &Url, gate_origin: &str) -> Option<String> {
    let (_, candidate) = page_url.query_pairs().find(|(key, _)| key == PARAM)?;
    let origins = [gate_origin.to_owned()];
    let policy = ReturnUrlPolicy { origins: &origins, base: gate_origin, fallback: "" };
    redirect::check(&candidate, policy).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GATE: &str = "http://rmm.localhost:8787";
    const DEEP: &str = "http://rmm.localhost:8787/devices?view=all&q=srv%20dc";
    const DEEP_ENCODED: &str =
        "http%3A%2F%2Frmm.localhost%3A8787%2Fdevices%3Fview%3Dall%26q%3Dsrv%2520dc";

    #[test]
    fn the_module_login_redirect_carries_the_requested_page() {
        let carried = |path: &str| format!("{GATE}{path}onegate_return_to={DEEP_ENCODED}");
        let rows: [(&str, Option<String>); 7] = [
            ("/login", Some(carried("/login?"))),
            ("http://rmm.localhost:8787/login", Some(carried("/login?"))),
            ("/login?next=x", Some(carried("/login?next=x&"))),
            ("/", None),
            ("/login/help", None),
            ("http://evil.example/login", None),
            ("/login?onegate_return_to=%2F", None),
        ];
        for (location, expected) in rows {
            assert_eq!(carry(location, GATE, "/login", DEEP), expected, "{location}");
        }
    }

    #[test]
    fn the_login_page_returns_only_to_its_own_module() {
        let page = |query: &str| Url::parse(&format!("{GATE}/login{query}")).ok();
        let rows: [(&str, Option<&str>); 6] = [
            (&format!("?onegate_return_to={DEEP_ENCODED}"), Some(DEEP)),
            ("?onegate_return_to=%2Fdevices%3Fview%3Dall%26q%3Dsrv%2520dc", Some(DEEP)),
            ("", None),
            ("?onegate_return_to=http%3A%2F%2Fpsa.localhost%3A8787%2F", None),
            ("?onegate_return_to=%2F%2Fevil.example%2F", None),
            ("?onegate_return_to=javascript%3Aalert(1)", None),
        ];
        for (query, expected) in rows {
            let Some(url) = page(query) else { panic!("bad test url {query}") };
            assert_eq!(target(&url, GATE).as_deref(), expected, "{query}");
        }
    }

    #[test]
    fn only_the_login_page_on_the_gate_origin_is_the_login_page() {
        let rows = [
            ("/login", true),
            ("/login?next=%2F", true),
            ("http://rmm.localhost:8787/login", true),
            ("https://rmm.localhost:8787/login", false),
            ("http://psa.localhost:8787/login", false),
            ("//evil.example/login", false),
            ("/logout", false),
            ("", false),
        ];
        for (location, expected) in rows {
            assert_eq!(login_page(location, GATE, "/login").is_some(), expected, "{location}");
        }
    }

    #[test]
    fn a_carried_page_round_trips() {
        let location = carry("/login", GATE, "/login", DEEP).unwrap_or_default();
        let Ok(url) = Url::parse(&location) else { panic!("not a url: {location}") };
        assert_eq!(target(&url, GATE).as_deref(), Some(DEEP));
    }
}
