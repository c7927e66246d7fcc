//! HTML pages rendered with minijinja, auto-escaping every value (templates end in `.html`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use minijinja::Environment;
use sha2::{Digest, Sha256};
use worker::{Headers, Response, Result};

/// A template environment holding `templates` (name, source); names end in `.html`, which
/// turns on HTML auto-escaping for them.
pub fn environment(templates: &[(&'static str, &'static str)]) -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in templates {
        // The sources are compiled into the Worker and covered by tests; a broken one shows up
        // as a render error below, never as a panic.
        let _ = env.add_template(name, source);
    }
    env
}

/// Renders `name` with `ctx`; a render failure becomes a plain escaped message, never a panic.
pub fn render(env: &Environment<'_>, name: &str, ctx: minijinja::Value) -> String {
    env.get_template(name).and_then(|it| it.render(ctx)).unwrap_or_else(|err| {
        let text = err.to_string().replace('&', "&amp;").replace('<', "&lt;");
        format!("<!doctype html><title>onegate</title><p>page could not be shown: {text}</p>")
    })
}

/// The sign-in pages' policy: no script at all, only the style block `style_source` allows
/// (see [`style_hash_source`]), never framed. Forms carry no `form-action`: a sign-in post ends
/// in a redirect to a module's callback, which Chromium would hold to it.
pub fn sign_in_csp(style_source: &str) -> String {
    format!("default-src 'none'; style-src {style_source}; base-uri 'none'; frame-ancestors 'none'")
}

/// The portal's and admin screens' policy: like the sign-in pages', with forms posted to the
/// hub only. Their templates put `style` attributes on elements, which only `'unsafe-inline'`
/// allows (a hash cannot cover an attribute without `'unsafe-hashes'`).
pub const PORTAL_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The CSP source that allows exactly the first `<style>` block of `template`:
/// `'sha256-<base64 of its text>'`, or `'none'` when there is none. The block must hold no
/// template syntax, so the page carries the same bytes the hash was taken of.
pub fn style_hash_source(template: &str) -> String {
    let block = template
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(css, _)| css);
    match block {
        Some(css) => format!("'sha256-{}'", STANDARD.encode(Sha256::digest(css.as_bytes()))),
        None => "'none'".to_string(),
    }
}

/// An HTML response with the hub's headers: never cached, the policy `csp`, and a referrer sent
/// to the hub itself only (`no-referrer` would make Chromium send `Origin: null` on the hub's
/// own form posts, which the same-origin checks refuse).
pub fn hub_page(status: u16, body: String, csp: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Cache-Control", "no-store")?;
    headers.set("Content-Security-Policy", csp)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "same-origin")?;
    Ok(Response::from_html(body)?.with_status(status).with_headers(headers))
}

/// The gate's own pages' policy (refusals, sign-in failures): no script, never framed, so a
/// refusal cannot be dressed up inside another site.
pub const GATE_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

/// An HTML response with `status` that is never cached, runs no script and is never framed.
pub fn page(status: u16, body: String) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Cache-Control", "no-store")?;
    headers.set("Content-Security-Policy", GATE_CSP)?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    Ok(Response::from_html(body)?.with_status(status).with_headers(headers))
}
