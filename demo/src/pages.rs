//! HTML pages, rendered with minijinja (auto-escaping every `.html` template), and the headers
//! every page carries: a Content-Security-Policy without inline scripts, `nosniff`, no caching.

use std::sync::OnceLock;

use minijinja::Environment;
use worker::{Headers, Response, Result};

/// The stylesheet served at `<base>/assets/demo.css`.
pub const CSS: &str = include_str!("../templates/demo.css");

fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        let sources = [
            ("base.html", include_str!("../templates/base.html")),
            ("login.html", include_str!("../templates/login.html")),
            ("home.html", include_str!("../templates/home.html")),
            ("message.html", include_str!("../templates/message.html")),
            ("index.html", include_str!("../templates/index.html")),
            ("levels.html", include_str!("../templates/levels.html")),
        ];
        for (name, source) in sources {
            // The templates are compiled into the binary; a syntax error in one is caught by
            // the `every_template_renders` test, and here only that page would fail.
            let _ = env.add_template(name, source);
        }
        env
    })
}

/// Renders a template; a rendering failure becomes a plain error page text.
pub fn render(name: &str, ctx: minijinja::Value) -> std::result::Result<String, String> {
    templates()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| format!("page {name} could not be rendered: {e}"))
}

/// Whether `origin` is safe to place in a CSP source list (`scheme://host[:port]`).
fn is_plain_origin(origin: &str) -> bool {
    let rest = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && r.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
    })
}

/// The page CSP. `hub` is the hub origin the launcher loads from, when known.
pub fn content_security_policy(hub: Option<&str>) -> String {
    let hub = hub.map(|h| h.trim_end_matches('/')).filter(|h| is_plain_origin(h));
    let extra = hub.map(|h| format!(" {h}")).unwrap_or_default();
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{extra}; \
         style-src 'self'{extra}; img-src 'self' data:{extra}; connect-src 'self'{extra}; \
         form-action 'self'{extra}; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// An HTML response with the page security headers.
pub fn html(status: u16, body: String, hub: Option<&str>) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Content-Security-Policy", &content_security_policy(hub))?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "same-origin")?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::from_bytes(body.into_bytes())?.with_status(status).with_headers(headers))
}

/// A `303 See Other` to a path of this app.
pub fn see_other(location: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Location", location)?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

#[cfg(test)]
mod tests {
    use minijinja::context;

    use super::*;

    #[test]
    fn every_template_renders_and_escapes() {
        let evil = "<script>alert(1)</script>";
        let user = context! {
            username => evil, level => "Technician", license_type => "Full", department => "D",
            role => "R", timesheet_approver => "a", expense_report_approver => "b",
        };
        let pages = [
            (
                "login.html",
                context! { base => "/psa", module => "psa", module_title => "PSA",
                message => evil, username => evil, live_mobile => true },
            ),
            (
                "home.html",
                context! { base => "", module => "psa", kind => "psa", module_title => "PSA",
                user => user.clone(), via => "module credentials", client => "web browser",
                tickets => vec![context! { number => "T1", title => evil, account => "A",
                    status => "New", priority => "Low" }] },
            ),
            (
                "home.html",
                context! { base => "", module => "rmm", kind => "rmm", module_title => "RMM",
                user => user, via => "hub login", client => "LiveMobile app", devices => () },
            ),
            (
                "message.html",
                context! { base => "", module => "psa", module_title => "PSA",
                heading => "Nope", message => evil },
            ),
            (
                "levels.html",
                context! { base => "", module => "psa", module_title => "PSA", username => evil,
                levels => vec![context! { id => 5, name => evil, rank => 10, active => true,
                    users => 2 }] },
            ),
            (
                "index.html",
                context! { base => "", module => "", module_title => "demo",
                modules => vec![context! { slug => "psa", title => "PSA" }] },
            ),
        ];
        for (name, ctx) in pages {
            let out = render(name, ctx).unwrap_or_else(|e| panic!("{e}"));
            assert!(!out.contains("<script"), "{name} did not escape: {out}");
            assert!(out.contains("href=\""), "{name} is missing its stylesheet link");
        }
    }

    #[test]
    fn placeholders_for_the_launcher() {
        let ctx = context! { base => "", module => "psa", module_title => "PSA" };
        let login = render("login.html", ctx.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert!(login.contains(r#"<div id="onegate-login-choice"></div>"#));
        assert!(!login.contains("onegate-launcher"));
        let ctx = context! { user => context! { username => "u", level => "L" }, ..ctx };
        let home = render("home.html", ctx).unwrap_or_else(|e| panic!("{e}"));
        assert!(home.contains(r#"<div id="onegate-launcher"></div>"#));
    }

    #[test]
    fn csp_takes_only_plain_origins() {
        let with_hub = content_security_policy(Some("http://localhost:8787/"));
        assert!(with_hub.contains("script-src 'self' 'wasm-unsafe-eval' http://localhost:8787;"));
        let injected = content_security_policy(Some("http://x; script-src *"));
        assert!(!injected.contains('*'), "{injected}");
        assert!(!content_security_policy(None).contains("unsafe-inline"));
    }
}
