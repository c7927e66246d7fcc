//! HTML pages rendered with minijinja, auto-escaping every value (templates end in `.html`).

use minijinja::Environment;
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

/// An HTML response with `status` that is never cached and runs no inline script.
pub fn page(status: u16, body: String) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", "text/html; charset=utf-8")?;
    headers.set("Cache-Control", "no-store")?;
    headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    Ok(Response::from_html(body)?.with_status(status).with_headers(headers))
}
