//! Subscriptions, orders and invoices, and the arithmetic behind them.
//!
//! Money is an `i64` of minor units (cents, pence; whole yen) with a three-letter ISO 4217
//! currency code next to it; nothing here uses floating point. Every sum is checked: an
//! amount that would not fit is an [`ErrorKind::AmountOverflow`], never a wrapped number or a
//! panic. Amounts may be negative (credits).
//!
//! # Tax
//!
//! Each line carries its tax rate in basis points (2000 = 20 %, at most 10 000). Tax is
//! computed once per rate on the sum of the lines at that rate, rounded half to even (banker's
//! rounding: 0.5 cent goes to the even cent), and the per-rate taxes are added. So splitting a
//! line in two never changes the tax, and rounding does not drift upwards over many lines.
//!
//! # Seats added by provisioning
//!
//! A seat the provisioning plan adds ([`BillingLine`]) is free while the module's active
//! subscriptions have a paid seat nobody uses. Otherwise it is charged at the subscription's
//! unit price, prorated by day for the rest of the current term: terms run from the
//! subscription's start date in steps of one month (monthly) or twelve months (annual), a
//! start on the 29th to 31st falling on the last day of shorter months; the seat is charged
//! for the day it is added up to the end of the term, `unit_price * days_left / days_in_term`
//! rounded half to even. Dates are UTC calendar days.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::provisioning::{BillingLine, civil_date};
use crate::{Error, ErrorKind, Result};

/// The highest tax rate, in basis points (100 %).
pub const MAX_TAX_RATE_BP: u32 = 10_000;

/// The longest plan name or line description, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// Latest time billing accepts: 9999-12-31T23:59:59Z.
pub const MAX_BILLING_SECONDS: i64 = 253_402_300_799;

const SECONDS_PER_DAY: i64 = 86_400;

/// How long one term of a subscription runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// One calendar month.
    Monthly,
    /// Twelve calendar months.
    Annual,
}

impl Term {
    /// The term's length in calendar months.
    pub fn months(self) -> i64 {
        match self {
            Term::Monthly => 1,
            Term::Annual => 12,
        }
    }

    /// The word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Term::Monthly => "monthly",
            Term::Annual => "annual",
        }
    }
}

/// Whether a subscription still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Running and billed.
    Active,
    /// Ended; ignored by charges and insights.
    Cancelled,
}

/// A tenant's subscription to one module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// Stable id within the tenant.
    pub id: String,
    /// The module subscribed to.
    pub module_id: String,
    /// The plan's name ("Professional").
    pub plan: String,
    /// Seats paid for.
    pub seats: u32,
    /// Price of one seat for one term, in minor units of `currency`.
    pub unit_price: i64,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    /// Monthly or annual.
    pub term: Term,
    /// Unix seconds of the start; terms are counted from its UTC date.
    pub started_at: i64,
    /// Running or ended.
    pub status: SubscriptionStatus,
}

/// One line of an order or an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// What is charged, shown to people.
    pub description: String,
    /// The module the charge is for, if any.
    #[serde(default)]
    pub module_id: Option<String>,
    /// How many units.
    pub quantity: u32,
    /// Price of one unit in minor units; negative for a credit.
    pub unit_price: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Tax rate in basis points, 0..=10 000.
    pub tax_rate_bp: u32,
}

impl InvoiceLine {
    /// `quantity * unit_price`, checked.
    pub fn amount(&self) -> Result<i64> {
        i64::from(self.quantity).checked_mul(self.unit_price).ok_or_else(overflow)
    }
}

/// An invoice's sums, in minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// The one currency of every line.
    pub currency: String,
    /// Sum of the line amounts before tax.
    pub subtotal: i64,
    /// Sum of the per-rate taxes.
    pub tax: i64,
    /// `subtotal + tax`.
    pub total: i64,
}

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Placed, not yet carried out.
    Pending,
    /// Carried out: subscriptions changed.
    Fulfilled,
    /// Withdrawn.
    Cancelled,
}

/// A tenant's order (a new subscription, more seats).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// Stable id within the tenant.
    pub id: String,
    /// Unix seconds.
    pub placed_at: i64,
    /// Where it stands.
    pub status: OrderStatus,
    /// What was ordered.
    pub lines: Vec<InvoiceLine>,
}

/// Where an invoice stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Still collecting lines; not sent.
    Draft,
    /// Sent, not yet paid.
    Open,
    /// Paid.
    Paid,
    /// Cancelled after it was sent.
    Void,
}

/// A tenant's invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Stable id within the tenant.
    pub id: String,
    /// The number printed on it ("INV-2026-0042").
    pub number: String,
    /// Unix seconds.
    pub issued_at: i64,
    /// Unix seconds.
    pub due_at: i64,
    /// Where it stands.
    pub status: InvoiceStatus,
    /// What is charged.
    pub lines: Vec<InvoiceLine>,
}

impl Invoice {
    /// The invoice's totals ([`invoice_totals`] of its lines).
    pub fn totals(&self) -> Result<Totals> {
        invoice_totals(&self.lines)
    }
}

/// Accepts a three-letter upper-case ISO 4217 code (`EUR`, `USD`, `JPY`).
pub fn check_currency(code: &str) -> Result<()> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Ok(());
    }

    Err(Error::new(
        ErrorKind::CurrencyInvalid,
        format!("currency “{}” is not a three-letter iso 4217 code such as EUR", clip(code)),
    ))
}

/// Accepts a tax rate of 0..=10 000 basis points.
pub fn check_tax_rate(bp: u32) -> Result<()> {
    if bp <= MAX_TAX_RATE_BP {
        return Ok(());
    }

    Err(Error::new(
        ErrorKind::TaxRateInvalid,
        format!("tax rate {bp} is above {MAX_TAX_RATE_BP} basis points (100 %)"),
    ))
}

/// Adds up an invoice's lines: one currency, tax per rate rounded half to even (see the module
/// docs), every sum checked.
pub fn invoice_totals(lines: &[InvoiceLine]) -> Result<Totals> {
    let Some(first) = lines.first() else {
        return Err(Error::new(ErrorKind::InvoiceEmpty, "an invoice needs at least one line"));
    };
    check_currency(&first.currency)?;

    let mut subtotal: i64 = 0;
    let mut by_rate: BTreeMap<u32, i64> = BTreeMap::new();
    for line in lines {
        if line.currency != first.currency {
            return Err(Error::new(
                ErrorKind::CurrencyMismatch,
                format!(
                    "line “{}” is in {} but the invoice is in {}; \
                     put lines of another currency on their own invoice",
                    clip(&line.description),
                    clip(&line.currency),
                    first.currency
                ),
            ));
        }
        check_tax_rate(line.tax_rate_bp)?;

        let amount = line.amount()?;
        subtotal = subtotal.checked_add(amount).ok_or_else(overflow)?;
        let net = by_rate.entry(line.tax_rate_bp).or_insert(0);
        *net = net.checked_add(amount).ok_or_else(overflow)?;
    }

    let mut tax: i64 = 0;
    for (bp, net) in by_rate {
        let rate_tax = round_half_even(i128::from(net) * i128::from(bp), 10_000)
            .and_then(|it| i64::try_from(it).ok())
            .ok_or_else(overflow)?;
        tax = tax.checked_add(rate_tax).ok_or_else(overflow)?;
    }

    let total = subtotal.checked_add(tax).ok_or_else(overflow)?;
    Ok(Totals { currency: first.currency.clone(), subtotal, tax, total })
}

/// `numerator / denominator` rounded half to even; `None` when `denominator` is not positive
/// or the result does not fit.
pub fn round_half_even(numerator: i128, denominator: i128) -> Option<i128> {
    if denominator <= 0 {
        return None;
    }

    let quotient = numerator.checked_div(denominator)?;
    let remainder = numerator.checked_rem(denominator)?;
    let twice = remainder.unsigned_abs().checked_mul(2)?;
    let away = match twice.cmp(&denominator.unsigned_abs()) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => quotient % 2 != 0,
        std::cmp::Ordering::Less => false,
    };
    if !away {
        return Some(quotient);
    }
    quotient.checked_add(if numerator < 0 { -1 } else { 1 })
}

/// Accepts a subscription whose module is one of the tenant's, with a plan name, at least one
/// seat, a price of zero or more, a valid currency and a start within the billing range.
pub fn validate_subscription(sub: &Subscription, tenant_modules: &[String]) -> Result<()> {
    let invalid = |message: String| Err(Error::new(ErrorKind::SubscriptionInvalid, message));

    if !tenant_modules.contains(&sub.module_id) {
        return invalid(format!(
            "module “{}” is not one of the tenant's modules",
            clip(&sub.module_id)
        ));
    }

    let plan_chars = sub.plan.trim().chars().count();
    if plan_chars == 0 || plan_chars > MAX_TEXT_CHARS {
        return invalid(format!("plan must be 1 to {MAX_TEXT_CHARS} characters"));
    }

    if sub.seats == 0 {
        return invalid("seats must be at least 1".to_owned());
    }

    if sub.unit_price < 0 {
        return invalid(
            "unit price must not be negative; record a discount as a credit line".into(),
        );
    }

    check_currency(&sub.currency)?;

    if !(0..=MAX_BILLING_SECONDS).contains(&sub.started_at) {
        return Err(Error::new(
            ErrorKind::BillingDateInvalid,
            "start must lie between 1970-01-01 and 9999-12-31",
        ));
    }

    Ok(())
}

/// The line for one term of `sub`: every seat at the unit price.
pub fn subscription_line(sub: &Subscription, tax_rate_bp: u32) -> Result<InvoiceLine> {
    check_currency(&sub.currency)?;
    check_tax_rate(tax_rate_bp)?;

    let line = InvoiceLine {
        description: format!("{} {} plan, {} seats", sub.plan, sub.term.label(), sub.seats),
        module_id: Some(sub.module_id.clone()),
        quantity: sub.seats,
        unit_price: sub.unit_price,
        currency: sub.currency.clone(),
        tax_rate_bp,
    };
    line.amount()?;
    Ok(line)
}

/// One term of a subscription, as UTC dates: from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// The day after the last day, `YYYY-MM-DD`.
    pub end: String,
    /// Days in the term.
    pub days: i64,
}

/// The term of `sub` that contains `date` (`YYYY-MM-DD`).
pub fn period_containing(sub: &Subscription, date: &str) -> Result<Period> {
    let (start, end) = period_days(sub, parse_day(date)?)?;
    Ok(Period { start: day_date(start), end: day_date(end), days: end - start })
}

/// The charge for a seat added by provisioning (see the module docs): `None` when an active
/// subscription still had a paid, unused seat (`seats_in_use` counts seats in use before this
/// one); otherwise a line prorated by day. When it is `Some`, the hub also raises the
/// subscription's seats by one.
pub fn seat_charge(
    added: &BillingLine,
    subscriptions: &[Subscription],
    seats_in_use: u32,
    tax_rate_bp: u32,
) -> Result<Option<InvoiceLine>> {
    check_tax_rate(tax_rate_bp)?;
    let day = parse_day(&added.date)?;

    let active: Vec<&Subscription> = subscriptions
        .iter()
        .filter(|it| it.status == SubscriptionStatus::Active && it.module_id == added.module_id)
        .collect();
    let paid: u64 = active.iter().map(|it| u64::from(it.seats)).sum();
    if u64::from(seats_in_use) < paid {
        return Ok(None);
    }

    let Some(sub) = active
        .into_iter()
        .filter(|it| it.started_at.div_euclid(SECONDS_PER_DAY) <= day)
        .max_by_key(|it| it.started_at)
    else {
        return Err(Error::new(
            ErrorKind::SubscriptionMissing,
            format!(
                "module “{}” has no active subscription on {}, so the added seat cannot be \
                 priced; add a subscription for the module first",
                clip(&added.module_id),
                clip(&added.date)
            ),
        ));
    };
    check_currency(&sub.currency)?;

    let (start, end) = period_days(sub, day)?;
    let (left, total) = (end - day, end - start);
    let price = round_half_even(i128::from(sub.unit_price) * i128::from(left), i128::from(total))
        .and_then(|it| i64::try_from(it).ok())
        .ok_or_else(overflow)?;

    Ok(Some(InvoiceLine {
        description: format!(
            "seat added {}: {left} of {total} days of the {} term ending {}",
            added.date,
            sub.term.label(),
            day_date(end - 1)
        ),
        module_id: Some(added.module_id.clone()),
        quantity: 1,
        unit_price: price,
        currency: sub.currency.clone(),
        tax_rate_bp,
    }))
}

/// The term of `sub` containing `day` (days since the epoch), as `[start, end)` in days.
fn period_days(sub: &Subscription, day: i64) -> Result<(i64, i64)> {
    if !(0..=MAX_BILLING_SECONDS).contains(&sub.started_at) {
        return Err(Error::new(
            ErrorKind::BillingDateInvalid,
            "the subscription's start lies outside 1970-01-01 to 9999-12-31",
        ));
    }
    let anchor_day = sub.started_at.div_euclid(SECONDS_PER_DAY);
    if day < anchor_day {
        return Err(Error::new(
            ErrorKind::SubscriptionMissing,
            format!("the subscription starts on {}, after {}", day_date(anchor_day), day_date(day)),
        ));
    }

    let anchor = civil(anchor_day);
    let target = civil(day);
    let step = sub.term.months();
    let months_apart = (target.0 - anchor.0) * 12 + (target.1 - anchor.1);
    let mut k = months_apart.div_euclid(step);
    // The estimate is off by at most one term either way because of day clamping.
    for _ in 0..3 {
        let start = add_months(anchor, k * step);
        let end = add_months(anchor, (k + 1) * step);
        if day < start {
            k -= 1;
        } else if day >= end {
            k += 1;
        } else {
            return Ok((start, end));
        }
    }
    Err(Error::new(ErrorKind::BillingDateInvalid, "the term containing the date was not found"))
}

/// Parses `YYYY-MM-DD` (years 1970..=9999) into days since the epoch.
fn parse_day(date: &str) -> Result<i64> {
    let invalid = || {
        Error::new(
            ErrorKind::BillingDateInvalid,
            format!("date “{}” is not a calendar date written YYYY-MM-DD", clip(date)),
        )
    };
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(invalid());
    }
    let number = |s: &str| -> Result<i64> {
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(invalid());
        }
        s.parse::<i64>().map_err(|_| invalid())
    };
    let (y, m, d) = (number(&date[0..4])?, number(&date[5..7])?, number(&date[8..10])?);
    if y < 1970 || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return Err(invalid());
    }
    Ok(days_from_civil(y, m, d))
}

fn day_date(day: i64) -> String {
    civil_date(day.saturating_mul(SECONDS_PER_DAY))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of days since the epoch.
fn civil(day: i64) -> (i64, i64, i64) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `months` calendar months after `anchor`, its day clamped to the month's last day; in days
/// since the epoch.
fn add_months(anchor: (i64, i64, i64), months: i64) -> i64 {
    let index = anchor.0 * 12 + (anchor.1 - 1) + months;
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    days_from_civil(y, m, anchor.2.min(days_in_month(y, m)))
}

fn overflow() -> Error {
    Error::new(
        ErrorKind::AmountOverflow,
        "the amount is too large to compute; split the invoice or check the prices",
    )
}

fn clip(value: &str) -> String {
    value.chars().take(40).collect()
}
