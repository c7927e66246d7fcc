//! The hub's HTML pages: minijinja templates (auto-escaped, `.html`) and the response headers
//! every hub page carries: a Content-Security-Policy without any script source, no framing,
//! `nosniff` and no caching.

use std::sync::OnceLock;

use minijinja::{Environment, Value, context};
use worker::{Headers, Response, Result};

use crate::common::{brand, html};

/// The layout every hub page extends; its one `<style>` block is what the policy allows.
const BASE: &str = include_str!("templates/base.html");

const TEMPLATES: [(&str, &str); 7] = [
    ("base.html", BASE),
    ("signin.html", include_str!("templates/signin.html")),
    ("totp.html", include_str!("templates/totp.html")),
    ("enrol.html", include_str!("templates/enrol.html")),
    ("recovery.html", include_str!("templates/recovery.html")),
    ("home.html", include_str!("templates/home.html")),
    ("message.html", include_str!("templates/message.html")),
];

/// The hub pages' policy: no scripts at all, no style but the base template's `<style>` block
/// (by its SHA-256; the sign-in pages have no `style` attributes), never framed, forms post
/// anywhere the flow redirects.
pub fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| html::sign_in_csp(&html::style_hash_source(BASE)))
}

fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| html::environment(&TEMPLATES))
}

/// Renders a template with `ctx` (plus `brand`).
pub fn render(name: &str, brand: &str, ctx: Value) -> String {
    html::render(templates(), name, context! { brand, ..ctx })
}

/// An HTML response with the hub's headers.
pub fn respond(status: u16, body: String) -> Result<Response> {
    html::hub_page(status, body, csp())
}

/// Renders `name` and answers with `status`.
pub fn page(status: u16, name: &str, brand: &str, ctx: Value) -> Result<Response> {
    respond(status, render(name, brand, ctx))
}

/// A page with a heading and a message, for errors and confirmations.
pub fn message(status: u16, heading: &str, message: &str) -> Result<Response> {
    page(status, "message.html", brand::name(), context! { heading, message })
}

/// A refusal that names the core's stable error code.
pub fn refusal(status: u16, heading: &str, err: &onegate_core::Error) -> Result<Response> {
    let ctx = context! { heading, message => err.message(), code => err.code() };
    page(status, "message.html", brand::name(), ctx)
}

/// A 303 See Other to `location`, with extra `Set-Cookie` values.
pub fn see_other(location: &str, cookies: &[String]) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Location", location)?;
    headers.set("Cache-Control", "no-store")?;
    for cookie in cookies {
        headers.append("Set-Cookie", cookie)?;
    }
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A context with every value some template reads, each `evil`.
    fn every_value(evil: &str) -> Value {
        let user = context! { name => evil, email => "a@b.test", is_admin => true };
        let tiles = vec![context! {
            id => "psa", name => evil, href => "http://psa.localhost:8787/",
            initials => "PS", description => evil,
        }];
        context! {
            user, tiles, error => evil, email => evil, return_to => evil, secret => evil,
            uri => evil, codes => vec![evil], heading => evil, message => evil, code => evil,
            recovery_left => 3, again => true,
        }
    }

    #[test]
    fn every_template_renders_and_escapes() {
        let evil = "<script>alert(1)</script>";
        let ctx = every_value(evil);
        for (name, _) in TEMPLATES {
            let html = render(name, "KaseyaOne", ctx.clone());
            assert!(html.starts_with("<!doctype html>"), "{name}: {html}");
            assert!(!html.contains("<script"), "{name} did not escape");
            assert!(!html.contains("could not be shown"), "{name}: {html}");
        }
    }

    #[test]
    fn the_policy_allows_no_script_and_only_the_rendered_style_block() {
        let csp = csp();
        assert!(!csp.contains("script-src"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.starts_with("default-src 'none'"), "{csp}");

        for (name, _) in TEMPLATES.iter().filter(|(name, _)| *name != "base.html") {
            let page = render(name, "KaseyaOne", every_value("x"));
            assert_eq!(page.matches("<style").count(), 1, "{name}");
            assert!(!page.contains(" style="), "{name} has a style attribute the policy refuses");
            let allowed = format!("style-src {};", html::style_hash_source(&page));
            assert!(csp.contains(&allowed), "{name}: the rendered block is not the hashed one");
        }
    }
}
