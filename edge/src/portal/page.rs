//! The portal's HTML: minijinja templates that extend the hub's `base.html` (auto-escaped,
//! `.html`), the hub's page headers (no script at all), and the formatting of money and dates.

use std::sync::OnceLock;

use minijinja::{Environment, Value, context};
use worker::{Headers, Response, Result};

use super::Fail;
use crate::common::{brand, html};
use crate::hub::SignedIn;

const TEMPLATES: [(&str, &str); 9] = [
    ("base.html", include_str!("../hub/templates/base.html")),
    ("portal_nav.html", include_str!("templates/portal_nav.html")),
    ("support.html", include_str!("templates/support.html")),
    ("support_new.html", include_str!("templates/support_new.html")),
    ("ticket.html", include_str!("templates/ticket.html")),
    ("billing.html", include_str!("templates/billing.html")),
    ("invoice.html", include_str!("templates/invoice.html")),
    ("insights.html", include_str!("templates/insights.html")),
    ("portal_message.html", include_str!("templates/portal_message.html")),
];

fn templates() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| html::environment(&TEMPLATES))
}

/// The signed-in user as the base template shows it.
pub fn user_ctx(user: &SignedIn) -> Value {
    context! { name => user.name, email => user.email, is_admin => user.is_admin }
}

/// Renders `name` with `ctx` plus `brand`, `user` and `section` (the current nav entry).
pub fn render(name: &str, user: &SignedIn, section: &str, ctx: Value) -> String {
    let base = context! { brand => brand::name(), user => user_ctx(user), section };
    html::render(templates(), name, context! { ..base, ..ctx })
}

/// An HTML response with the hub's headers.
pub fn respond(status: u16, body: String) -> Result<Response> {
    html::hub_page(status, body, html::PORTAL_CSP)
}

/// Renders and answers.
pub fn page(
    status: u16,
    name: &str,
    user: &SignedIn,
    section: &str,
    ctx: Value,
) -> Result<Response> {
    respond(status, render(name, user, section, ctx))
}

/// A refusal as a page: heading, message and the stable code.
pub fn fail(fail: &Fail, user: &SignedIn) -> Result<Response> {
    let heading = match fail.status {
        404 => "Not found",
        409 | 412 | 422 => "That did not work",
        _ => "Please check your input",
    };
    let ctx = context! { heading, message => fail.message, code => fail.code };
    page(fail.status, "portal_message.html", user, "", ctx)
}

/// A 303 See Other to a hub path.
pub fn see_other(location: &str) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Location", location)?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}

/// Minor units as text with the currency: `1234567, EUR` -> `12,345.67 EUR`; currencies
/// without minor units (JPY, KRW, ...) print whole numbers.
pub fn money(amount: i64, currency: &str) -> String {
    let decimals = match currency {
        "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" => 0,
        _ => 2,
    };
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    let (whole, frac) = if decimals == 0 { (abs, None) } else { (abs / 100, Some(abs % 100)) };
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(frac) => format!("{sign}{grouped}.{frac:02} {currency}"),
        None => format!("{sign}{grouped} {currency}"),
    }
}

/// Unix seconds as a UTC date, `YYYY-MM-DD`.
pub fn date(unix_seconds: i64) -> String {
    onegate_core::provisioning::civil_date(unix_seconds)
}

/// A basis-point tax rate as a percentage: `1900` -> `19 %`, `750` -> `7.5 %`.
pub fn rate(bp: u32) -> String {
    let whole = bp / 100;
    match bp % 100 {
        0 => format!("{whole} %"),
        frac if frac % 10 == 0 => format!("{whole}.{} %", frac / 10),
        frac => format!("{whole}.{frac:02} %"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> SignedIn {
        SignedIn {
            user_id: "u".into(),
            tenant_id: "t".into(),
            name: "<script>alert(1)</script>".into(),
            email: "a@b.test".into(),
            is_admin: false,
        }
    }

    #[test]
    fn money_is_grouped_with_its_currency() {
        let rows = [
            (0, "EUR", "0.00 EUR"),
            (5, "EUR", "0.05 EUR"),
            (-2500, "EUR", "-25.00 EUR"),
            (123_456_789, "USD", "1,234,567.89 USD"),
            (1_000, "JPY", "1,000 JPY"),
            (i64::MIN, "EUR", "-92,233,720,368,547,758.08 EUR"),
        ];
        for (amount, currency, expected) in rows {
            assert_eq!(money(amount, currency), expected);
        }
    }

    #[test]
    fn rates_print_as_percent() {
        assert_eq!(rate(1900), "19 %");
        assert_eq!(rate(750), "7.5 %");
        assert_eq!(rate(1), "0.01 %");
    }

    #[test]
    fn every_template_renders_and_escapes() {
        let evil = "<script>alert(1)</script>";
        let ticket = context! {
            id => evil, module_id => evil, module_name => evil, subject => evil,
            description => evil, priority => evil, status => evil, status_label => evil,
            version => 1, created => evil, updated => evil, may_reopen => true, may_close => true,
        };
        let ctx = context! {
            tickets => vec![ticket.clone()], ticket,
            modules => vec![context! { id => evil, name => evil }],
            comments => vec![context! { author_name => evil, body => evil, created => evil }],
            error => evil, heading => evil, message => evil, code => evil, next => evil,
            query => context! { text => evil }, form => context! { subject => evil },
            idempotency_key => evil, portal_url => evil, insights => vec![context! {
                title => evil, reason => evil, action_href => evil, action_label => evil,
                severity => evil }],
            subscriptions => vec![context! { plan => evil, module_id => evil }],
            invoices => vec![context! { number => evil, id => evil, total => evil }],
            orders => vec![context! {
                number => evil, lines => vec![context! { description => evil }] }],
            charges => vec![context! { user_name => evil }],
            invoice => context! { number => evil, lines => vec![context! { description => evil }] },
        };
        for (name, _) in TEMPLATES {
            if name == "base.html" || name == "portal_nav.html" {
                continue;
            }
            let html = render(name, &user(), "support", ctx.clone());
            assert!(html.starts_with("<!doctype html>"), "{name}: {html}");
            assert!(!html.contains("<script"), "{name} did not escape");
            assert!(!html.contains("could not be shown"), "{name}: {html}");
        }
    }
}
