//! Insights ("Cooper"): recommendations computed from the tenant's own data, each with a
//! severity, the reason in plain words with the numbers, and a link to act.
//!
//! The hub gathers [`TenantFacts`] from its own tables and asks [`insights`]; nothing here
//! looks at another tenant. The rules, by stable id (the insight id is `<rule>:<module id>`
//! for per-module rules):
//!
//! - `module_unused` (warning): an active subscription older than 30 days, and nobody signed in
//!   to the module in the last 30 days. Link: `/billing?module=<id>`.
//! - `module_credentials_in_use` (info): unified login is on, and Full-license users who are
//!   not listed exceptions last signed in with module credentials within 30 days. Link: the
//!   login section of the module's settings, `/admin/modules/<id>/settings#login`.
//! - `default_level_not_lowest` (warning): [`default_level_advice`] advises a lower default
//!   security level. Link: `/admin/modules/<id>/settings#provisioning`.
//! - `seats_unassigned` (info): active subscriptions pay for more seats than are assigned.
//!   Link: the module's subscription, `/billing?module=<id>#subscriptions`.
//! - `tickets_waiting_on_customer` (warning; critical when one of them is critical): tickets
//!   wait on the customer. Link: `/support?status=waiting_on_customer`.
//!
//! The list is ordered by severity (critical first), then by id, so the page and the tests see
//! the same order for the same facts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::billing::{Subscription, SubscriptionStatus};
use crate::model::{LicenseType, LoginMethod, ModuleSettings, SecurityLevel};
use crate::settings::default_level_advice;
use crate::tickets::{Priority, Status, Ticket};

/// How far back "recently" reaches, in days.
pub const RECENT_DAYS: i64 = 30;

const DAY: i64 = 86_400;

/// A module account's latest sign-in to a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentSignIn {
    /// The module username.
    pub username: String,
    /// The account's license.
    pub license_type: LicenseType,
    /// Hub login or module credentials.
    pub method: LoginMethod,
    /// Unix seconds.
    pub at: i64,
}

/// What the insights read about one of the tenant's modules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleFacts {
    /// The module id.
    pub id: String,
    /// The name shown to people ("Autotask PSA").
    pub name: String,
    /// The module's login and provisioning settings.
    #[serde(default)]
    pub settings: ModuleSettings,
    /// The module's security levels.
    #[serde(default)]
    pub levels: Vec<SecurityLevel>,
    /// The latest sign-in of each module account (more rows per account are fine: the latest
    /// counts).
    #[serde(default)]
    pub sign_ins: Vec<RecentSignIn>,
    /// Seats in use: hub users granted the module.
    #[serde(default)]
    pub assigned_seats: u32,
}

/// Every fact the insights read, all of one tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantFacts {
    /// The tenant's modules.
    #[serde(default)]
    pub modules: Vec<ModuleFacts>,
    /// The tenant's subscriptions (cancelled ones are ignored).
    #[serde(default)]
    pub subscriptions: Vec<Subscription>,
    /// The tenant's tickets.
    #[serde(default)]
    pub tickets: Vec<Ticket>,
}

/// How pressing an insight is. Orders from info to critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Worth acting on.
    Warning,
    /// Act now.
    Critical,
}

/// One recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insight {
    /// Stable: the rule, and for per-module rules `:<module id>` (`seats_unassigned:psa`).
    pub id: String,
    /// How pressing it is.
    pub severity: Severity,
    /// A short headline.
    pub title: String,
    /// Why, in plain words with the numbers.
    pub reason: String,
    /// The link's text.
    pub action_label: String,
    /// A path on the hub where the admin can act.
    pub action_href: String,
}

/// The tenant's insights at `now` (unix seconds), critical first, then by id.
pub fn insights(facts: &TenantFacts, now: i64) -> Vec<Insight> {
    let recent = now.saturating_sub(RECENT_DAYS * DAY);
    let mut out = Vec::new();

    for module in &facts.modules {
        let active: Vec<&Subscription> = facts
            .subscriptions
            .iter()
            .filter(|it| it.status == SubscriptionStatus::Active && it.module_id == module.id)
            .collect();
        out.extend(module_unused(module, &active, now, recent));
        out.extend(module_credentials_in_use(module, recent));
        out.extend(default_level_not_lowest(module));
        out.extend(seats_unassigned(module, &active));
    }
    out.extend(tickets_waiting(&facts.tickets, now));

    out.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.id.cmp(&b.id)));
    out
}

fn module_unused(
    module: &ModuleFacts,
    active: &[&Subscription],
    now: i64,
    recent: i64,
) -> Option<Insight> {
    let settled = active.iter().any(|it| it.started_at <= recent);
    if !settled || module.sign_ins.iter().any(|it| it.at >= recent) {
        return None;
    }

    let seats: u64 = active.iter().map(|it| u64::from(it.seats)).sum();
    let last = match module.sign_ins.iter().map(|it| it.at).max() {
        Some(at) => format!("the last sign-in was {} days ago", now.saturating_sub(at) / DAY),
        None => "nobody has ever signed in".to_owned(),
    };
    Some(Insight {
        id: format!("module_unused:{}", module.id),
        severity: Severity::Warning,
        title: format!("{} is not being used", module.name),
        reason: format!(
            "nobody signed in to {} in the last {RECENT_DAYS} days ({last}), \
             yet your subscription pays for {seats} {}",
            module.name,
            plural(seats, "seat", "seats")
        ),
        action_label: "Review the subscription".to_owned(),
        action_href: format!("/billing?module={}", escape(&module.id)),
    })
}

fn module_credentials_in_use(module: &ModuleFacts, recent: i64) -> Option<Insight> {
    if !module.settings.unified_login {
        return None;
    }

    let mut latest: HashMap<String, &RecentSignIn> = HashMap::new();
    for it in &module.sign_ins {
        let key = it.username.to_lowercase();
        if latest.get(&key).is_none_or(|seen| seen.at < it.at) {
            latest.insert(key, it);
        }
    }
    let users = latest
        .values()
        .filter(|it| it.at >= recent)
        .filter(|it| it.method == LoginMethod::ModuleCredentials)
        .filter(|it| it.license_type == LicenseType::Full)
        .filter(|it| !module.settings.is_user_exception(&it.username))
        .count() as u64;
    if users == 0 {
        return None;
    }

    Some(Insight {
        id: format!("module_credentials_in_use:{}", module.id),
        severity: Severity::Info,
        title: format!(
            "{users} {} still {} in to {} with module credentials",
            plural(users, "user", "users"),
            plural(users, "signs", "sign"),
            module.name
        ),
        reason: format!(
            "{users} Full-license {} signed in to {} with module credentials in the last \
             {RECENT_DAYS} days although hub login is available; hub login gives them one \
             password and two-factor sign-in, and you can require it",
            plural(users, "user", "users"),
            module.name
        ),
        action_label: "Review login settings".to_owned(),
        action_href: settings_href(&module.id, "login"),
    })
}

fn default_level_not_lowest(module: &ModuleFacts) -> Option<Insight> {
    let advice = default_level_advice(&module.settings, &module.levels)?;

    Some(Insight {
        id: format!("default_level_not_lowest:{}", module.id),
        severity: Severity::Warning,
        title: format!("New {} accounts get more access than they need", module.name),
        reason: format!("{}: {advice}", module.name),
        action_label: "Choose a lower default".to_owned(),
        action_href: settings_href(&module.id, "provisioning"),
    })
}

fn seats_unassigned(module: &ModuleFacts, active: &[&Subscription]) -> Option<Insight> {
    let paid: u64 = active.iter().map(|it| u64::from(it.seats)).sum();
    let free = paid.checked_sub(u64::from(module.assigned_seats)).filter(|it| *it > 0)?;

    Some(Insight {
        id: format!("seats_unassigned:{}", module.id),
        severity: Severity::Info,
        title: format!(
            "{free} paid {} of {} unassigned",
            plural(free, "seat", "seats"),
            module.name
        ),
        reason: format!(
            "you pay for {paid} {} of {} but only {} {} assigned; give the {free} free {} to \
             colleagues or lower the seat count",
            plural(paid, "seat", "seats"),
            module.name,
            module.assigned_seats,
            plural(u64::from(module.assigned_seats), "is", "are"),
            plural(free, "seat", "seats")
        ),
        action_label: "Review the seats".to_owned(),
        action_href: format!("/billing?module={}#subscriptions", escape(&module.id)),
    })
}

fn tickets_waiting(tickets: &[Ticket], now: i64) -> Option<Insight> {
    let waiting: Vec<&Ticket> =
        tickets.iter().filter(|it| it.status == Status::WaitingOnCustomer).collect();
    let oldest = waiting.iter().map(|it| it.updated_at).min()?;
    let count = waiting.len() as u64;
    let critical = waiting.iter().filter(|it| it.priority == Priority::Critical).count() as u64;
    let days = now.saturating_sub(oldest).max(0) / DAY;

    let mut reason = format!(
        "{count} support {} {} on your reply, the oldest for {days} {}",
        plural(count, "ticket", "tickets"),
        plural(count, "waits", "wait"),
        plural(days.unsigned_abs(), "day", "days")
    );
    if critical > 0 {
        reason.push_str(&format!(" ({critical} of them critical)"));
    }
    Some(Insight {
        id: "tickets_waiting_on_customer".to_owned(),
        severity: if critical > 0 { Severity::Critical } else { Severity::Warning },
        title: format!(
            "{count} {} {} on you",
            plural(count, "ticket", "tickets"),
            plural(count, "waits", "wait")
        ),
        reason,
        action_label: "Reply to tickets".to_owned(),
        action_href: "/support?status=waiting_on_customer".to_owned(),
    })
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `value` escaped for a query value.
fn escape(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The section `anchor` (`login`, `provisioning`) of the admin's settings page of `module`.
fn settings_href(module: &str, anchor: &str) -> String {
    // A path segment: a space is `%20` there, not `+`.
    let segment = escape(module).replace('+', "%20");
    format!("/admin/modules/{segment}/settings#{anchor}")
}
