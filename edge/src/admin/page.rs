//! The admin screens' HTML: minijinja templates extending the hub's `base.html` (auto-escaped),
//! served with the hub's headers (no script at all, forms to the hub only, never framed).

use std::sync::OnceLock;

use minijinja::{Environment, Value, context};
use worker::{Headers, Response, Result};

use super::Fail;
use crate::common::{brand, html};
use crate::hub::SignedIn;

const TEMPLATES: [(&str, &str); 5] = [
    ("base.html", include_str!("../hub/templates/base.html")),
    ("admin_modules.html", include_str!("templates/admin_modules.html")),
    ("admin_settings.html", include_str!("templates/admin_settings.html")),
    ("admin_audit.html", include_str!("templates/admin_audit.html")),
    ("admin_message.html", include_str!("templates/admin_message.html")),
];

fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| html::environment(&TEMPLATES))
}

/// Renders `name` with `ctx` plus `brand` and `user`.
pub fn render(name: &str, user: &SignedIn, ctx: Value) -> String {
    let who = context! { name => user.name, email => user.email, is_admin => user.is_admin };
    let base = context! { brand => brand::name(), user => who };
    html::render(templates(), name, context! { ..base, ..ctx })
}

/// Renders `name` and answers with `status` and the hub's headers.
pub fn page(status: u16, name: &str, user: &SignedIn, ctx: Value) -> Result<Response> {
    html::hub_page(status, render(name, user, ctx), html::PORTAL_CSP)
}

/// A refusal as a page: heading, message and the stable code.
pub fn fail(fail: &Fail, user: &SignedIn) -> Result<Response> {
    let heading = match fail.status {
        403 => "Not allowed",
        404 => "Not found",
        _ => "That did not work",
    };
    let ctx = context! { heading, message => fail.message, code => fail.code };
    page(fail.status, "admin_message.html", user, ctx)
}

/// A 303 See Other to a hub path.
pub fn see_other(location: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Location", location)?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}
