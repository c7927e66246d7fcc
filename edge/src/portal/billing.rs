//! Subscriptions, orders, invoices and provisioning charges, and the insights page: read from
//! the tenant's rows, totals and insights computed by core on every read.

use minijinja::{Value, context};
use onegate_core::billing::{Invoice, InvoiceLine, Totals, invoice_totals};
use onegate_core::insights::insights;
use serde_json::json;
use worker::Response;

use super::store::ModuleRow;
use super::{Fail, Handled, Portal, page, plausible_id};
use crate::common::vars;

fn module_name(modules: &[ModuleRow], id: Option<&str>) -> String {
    let Some(id) = id else {
        return String::new();
    };
    modules.iter().find(|it| it.id == id).map_or_else(|| id.to_owned(), |it| it.name.clone())
}

/// The billing portal link: `BILLING_PORTAL_URL` when it is an http(s) URL.
fn portal_url(p: &Portal) -> Option<String> {
    vars::var(&p.env, "BILLING_PORTAL_URL")
        .filter(|it| it.starts_with("https://") || it.starts_with("http://"))
}

fn totals_ctx(totals: &Totals) -> Value {
    context! {
        subtotal => page::money(totals.subtotal, &totals.currency),
        tax => page::money(totals.tax, &totals.currency),
        total => page::money(totals.total, &totals.currency),
    }
}

fn total_text(lines: &[InvoiceLine]) -> String {
    match invoice_totals(lines) {
        Ok(totals) => page::money(totals.total, &totals.currency),
        Err(err) => format!("cannot total: {}", err.message()),
    }
}

fn invoice_ctx(invoice: &Invoice, modules: &[ModuleRow]) -> Value {
    let lines: Vec<Value> = invoice
        .lines
        .iter()
        .map(|l| {
            let amount =
                l.amount().map_or_else(|e| e.message().to_owned(), |a| page::money(a, &l.currency));
            context! {
                description => l.description,
                module_name => module_name(modules, l.module_id.as_deref()),
                quantity => l.quantity, unit_price => page::money(l.unit_price, &l.currency),
                rate => page::rate(l.tax_rate_bp), amount,
            }
        })
        .collect();
    let (totals, totals_error) = match invoice.totals() {
        Ok(totals) => (Some(totals_ctx(&totals)), None),
        Err(err) => (None, Some(err.message().to_owned())),
    };
    context! {
        id => invoice.id, number => invoice.number, status => invoice.status,
        issued => page::date(invoice.issued_at), due => page::date(invoice.due_at),
        total => total_text(&invoice.lines), lines, totals, totals_error,
    }
}

/// `GET /billing`.
pub async fn page(p: &Portal) -> Handled {
    let tenant = &p.user.tenant_id;
    let modules = p.store.modules(tenant).await?;

    let subscriptions: Vec<Value> = p
        .store
        .subscriptions(tenant)
        .await?
        .iter()
        .map(|s| {
            context! {
                module_id => s.module_id, module_name => module_name(&modules, Some(&s.module_id)),
                plan => s.plan, seats => s.seats, price => page::money(s.unit_price, &s.currency),
                term => s.term.label(), started => page::date(s.started_at), status => s.status,
            }
        })
        .collect();
    let orders: Vec<Value> = p
        .store
        .orders(tenant)
        .await?
        .iter()
        .map(|(number, o)| {
            let lines: Vec<Value> = o
                .lines
                .iter()
                .map(|l| context! { quantity => l.quantity, description => l.description })
                .collect();
            context! {
                number, placed => page::date(o.placed_at), status => o.status, lines,
                total => total_text(&o.lines),
            }
        })
        .collect();
    let invoices: Vec<Value> =
        p.store.invoices(tenant).await?.iter().map(|i| invoice_ctx(i, &modules)).collect();
    let charges: Vec<Value> = p
        .store
        .charges(tenant)
        .await?
        .into_iter()
        .map(|c| {
            let kind_label = if c.kind == "seat_added" { "seat added" } else { c.kind.as_str() };
            context! {
                date => c.date, module_name => module_name(&modules, Some(&c.module_id)),
                user_name => c.user_name, hub_user => c.hub_user, kind_label,
            }
        })
        .collect();

    let ctx = context! {
        subscriptions, orders, invoices, charges, portal_url => portal_url(p),
    };
    Ok(page::page(200, "billing.html", &p.user, "billing", ctx)?)
}

async fn load_invoice(p: &Portal, id: &str) -> std::result::Result<Invoice, super::Answer> {
    if !plausible_id(id) {
        return Err(Fail::not_found("invoice").into());
    }
    match p.store.invoice(&p.user.tenant_id, id).await? {
        Some(invoice) => Ok(invoice),
        None => Err(Fail::not_found("invoice").into()),
    }
}

/// `GET /billing/invoices/{id}`.
pub async fn invoice_page(p: &Portal, id: &str) -> Handled {
    let invoice = load_invoice(p, id).await?;
    let modules = p.store.modules(&p.user.tenant_id).await?;
    let ctx = context! { invoice => invoice_ctx(&invoice, &modules) };
    Ok(page::page(200, "invoice.html", &p.user, "billing", ctx)?)
}

fn invoice_json(invoice: &Invoice) -> serde_json::Value {
    let totals = invoice.totals().ok();
    json!({ "invoice": invoice, "totals": totals })
}

/// `GET /api/portal/invoices/{id}`: the invoice and core's totals.
pub async fn invoice_api(p: &Portal, id: &str) -> Handled {
    let invoice = load_invoice(p, id).await?;
    Ok(Response::from_json(&invoice_json(&invoice))?)
}

/// `GET /api/portal/billing`: subscriptions, orders, invoices (with totals), charges and the
/// billing portal link.
pub async fn api(p: &Portal) -> Handled {
    let tenant = &p.user.tenant_id;
    let orders: Vec<serde_json::Value> = p
        .store
        .orders(tenant)
        .await?
        .iter()
        .map(|(number, o)| {
            let totals = invoice_totals(&o.lines).ok();
            json!({ "number": number, "order": o, "totals": totals })
        })
        .collect();
    let invoices: Vec<serde_json::Value> =
        p.store.invoices(tenant).await?.iter().map(invoice_json).collect();
    let body = json!({
        "subscriptions": p.store.subscriptions(tenant).await?,
        "orders": orders,
        "invoices": invoices,
        "charges": p.store.charges(tenant).await?,
        "billing_portal_url": portal_url(p),
    });
    Ok(Response::from_json(&body)?)
}

/// `GET /insights`.
pub async fn insights_page(p: &Portal) -> Handled {
    let facts = p.store.facts(&p.user.tenant_id).await?;
    let list: Vec<Value> = insights(&facts, p.now)
        .into_iter()
        .map(|i| {
            context! {
                id => i.id, severity => i.severity, title => i.title, reason => i.reason,
                action_label => i.action_label, action_href => i.action_href,
            }
        })
        .collect();
    let ctx = context! { insights => list };
    Ok(page::page(200, "insights.html", &p.user, "insights", ctx)?)
}

/// `GET /api/portal/insights`.
pub async fn insights_api(p: &Portal) -> Handled {
    let facts = p.store.facts(&p.user.tenant_id).await?;
    Ok(Response::from_json(&json!({ "insights": insights(&facts, p.now) }))?)
}
