//! Billing: invoice totals (checked, one currency, tax per rate rounded half to even),
//! subscription validation, terms and the prorated charge for a seat added by provisioning.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::billing::{
    self, Invoice, InvoiceLine, InvoiceStatus, Period, Subscription, SubscriptionStatus, Term,
    Totals,
};
use onegate_core::provisioning::BillingLine;

/// 2026-11-15T00:00:00Z
const NOV_15: i64 = 1_794_700_800;

fn line(quantity: u32, unit_price: i64, tax_rate_bp: u32) -> InvoiceLine {
    InvoiceLine {
        description: "Autotask PSA seats".into(),
        module_id: Some("psa".into()),
        quantity,
        unit_price,
        currency: "EUR".into(),
        tax_rate_bp,
    }
}

fn totals(subtotal: i64, tax: i64, total: i64) -> Totals {
    Totals { currency: "EUR".into(), subtotal, tax, total }
}

fn subscription(term: Term, started_at: i64) -> Subscription {
    Subscription {
        id: "sub-1".into(),
        module_id: "psa".into(),
        plan: "Professional".into(),
        seats: 10,
        unit_price: 4500,
        currency: "EUR".into(),
        term,
        started_at,
        status: SubscriptionStatus::Active,
    }
}

fn seat(date: &str) -> BillingLine {
    BillingLine {
        kind: "seat_added".into(),
        module_id: "psa".into(),
        hub_user: "u1".into(),
        date: date.into(),
    }
}

/// Unix seconds of a UTC midnight (`YYYY-MM-DD`), counted day by day so the test does not
/// reuse the code under test.
fn midnight(date: &str) -> i64 {
    let part = |r: std::ops::Range<usize>| date[r].parse::<i64>().expect("digits");
    let (year, month, day) = (part(0..4), part(5..7), part(8..10));
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days = (1970..year).map(|y| if leap(y) { 366 } else { 365 }).sum::<i64>();
    let lengths = [31, if leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    days += lengths[..usize::try_from(month - 1).expect("month")].iter().sum::<i64>();
    (days + day - 1) * 86_400
}

#[test]
fn totals_table() {
    let rows: Vec<(&str, Vec<InvoiceLine>, Totals)> = vec![
        ("one_line_with_20_percent", vec![line(2, 4500, 2000)], totals(9000, 1800, 10800)),
        ("no_tax", vec![line(3, 999, 0)], totals(2997, 0, 2997)),
        (
            "two_rates_add_their_taxes",
            vec![line(1, 10_000, 2000), line(1, 10_000, 700)],
            totals(20_000, 2700, 22_700),
        ),
        (
            "tax_is_rounded_once_per_rate_not_per_line",
            vec![line(1, 1, 5000), line(1, 1, 5000), line(1, 1, 5000)],
            totals(3, 2, 5),
        ),
        ("half_rounds_down_to_even", vec![line(1, 5, 1000)], totals(5, 0, 5)),
        ("half_rounds_up_to_even", vec![line(1, 15, 1000)], totals(15, 2, 17)),
        ("above_half_rounds_up", vec![line(1, 16, 1000)], totals(16, 2, 18)),
        ("negative_half_rounds_to_even", vec![line(1, -15, 1000)], totals(-15, -2, -17)),
        (
            "credit_line_reduces_the_total",
            vec![line(1, 10_000, 2000), line(1, -2_500, 2000)],
            totals(7_500, 1_500, 9_000),
        ),
        ("hundred_percent_tax_is_allowed", vec![line(1, 100, 10_000)], totals(100, 100, 200)),
        ("zero_quantity_line", vec![line(0, i64::MAX, 2000)], totals(0, 0, 0)),
    ];
    for (name, lines, want) in rows {
        assert_eq!(billing::invoice_totals(&lines), Ok(want), "{name}");
    }
}

#[test]
fn totals_refusals() {
    let mut usd = line(1, 100, 0);
    usd.currency = "USD".into();
    let mut lower = line(1, 100, 0);
    lower.currency = "eur".into();
    let rows: Vec<(&str, Vec<InvoiceLine>, &str, &str)> = vec![
        ("no_lines", vec![], "invoice_empty", "an invoice needs at least one line"),
        (
            "mixed_currencies",
            vec![line(1, 100, 0), usd],
            "currency_mismatch",
            "line “Autotask PSA seats” is in USD but the invoice is in EUR; \
             put lines of another currency on their own invoice",
        ),
        (
            "currency_must_be_upper_case_iso_4217",
            vec![lower],
            "currency_invalid",
            "currency “eur” is not a three-letter iso 4217 code such as EUR",
        ),
        (
            "tax_rate_above_100_percent",
            vec![line(1, 100, 10_001)],
            "tax_rate_invalid",
            "tax rate 10001 is above 10000 basis points (100 %)",
        ),
        (
            "line_amount_overflows",
            vec![line(u32::MAX, i64::MAX / 2, 0)],
            "amount_overflow",
            "the amount is too large to compute; split the invoice or check the prices",
        ),
        (
            "subtotal_overflows",
            vec![line(1, i64::MAX, 0), line(1, 1, 0)],
            "amount_overflow",
            "the amount is too large to compute; split the invoice or check the prices",
        ),
        (
            "total_overflows_with_tax",
            vec![line(1, i64::MAX, 1)],
            "amount_overflow",
            "the amount is too large to compute; split the invoice or check the prices",
        ),
        (
            "negative_overflow",
            vec![line(1, i64::MIN, 0), line(1, -1, 0)],
            "amount_overflow",
            "the amount is too large to compute; split the invoice or check the prices",
        ),
    ];
    for (name, lines, code, message) in rows {
        let got = billing::invoice_totals(&lines).map_err(|e| (e.code(), e.message().to_owned()));
        assert_eq!(got, Err((code, message.to_owned())), "{name}");
    }
}

#[test]
fn round_half_even_table() {
    let rows = [
        ("exact", 10, 5, Some(2)),
        ("below_half", 14, 10, Some(1)),
        ("half_to_even_down", 25, 10, Some(2)),
        ("half_to_even_up", 35, 10, Some(4)),
        ("negative_half_to_even", -25, 10, Some(-2)),
        ("negative_above_half", -26, 10, Some(-3)),
        ("zero_denominator", 1, 0, None),
        ("negative_denominator", 1, -1, None),
        ("min_by_one", i128::MIN, 1, Some(i128::MIN)),
    ];
    for (name, n, d, want) in rows {
        assert_eq!(billing::round_half_even(n, d), want, "{name}");
    }
}

#[test]
fn invoice_totals_come_from_its_lines() {
    let invoice = Invoice {
        id: "inv-1".into(),
        number: "INV-2026-0042".into(),
        issued_at: NOV_15,
        due_at: NOV_15 + 30 * 86_400,
        status: InvoiceStatus::Open,
        lines: vec![line(10, 4500, 2000)],
    };
    assert_eq!(invoice.totals(), Ok(totals(45_000, 9_000, 54_000)));
}

#[test]
fn subscription_refusals() {
    let base = || subscription(Term::Monthly, NOV_15);
    let modules = vec!["psa".to_owned(), "rmm".into()];
    let rows: Vec<(&str, Subscription, &str, &str)> = vec![
        (
            "module_must_be_the_tenants",
            Subscription { module_id: "crm".into(), ..base() },
            "subscription_invalid",
            "module “crm” is not one of the tenant's modules",
        ),
        (
            "plan_is_required",
            Subscription { plan: " ".into(), ..base() },
            "subscription_invalid",
            "plan must be 1 to 200 characters",
        ),
        (
            "at_least_one_seat",
            Subscription { seats: 0, ..base() },
            "subscription_invalid",
            "seats must be at least 1",
        ),
        (
            "price_not_negative",
            Subscription { unit_price: -1, ..base() },
            "subscription_invalid",
            "unit price must not be negative; record a discount as a credit line",
        ),
        (
            "currency_iso",
            Subscription { currency: "EURO".into(), ..base() },
            "currency_invalid",
            "currency “EURO” is not a three-letter iso 4217 code such as EUR",
        ),
        (
            "start_in_range",
            Subscription { started_at: -1, ..base() },
            "billing_date_invalid",
            "start must lie between 1970-01-01 and 9999-12-31",
        ),
    ];
    for (name, sub, code, message) in rows {
        let got = billing::validate_subscription(&sub, &modules)
            .map_err(|e| (e.code(), e.message().to_owned()));
        assert_eq!(got, Err((code, message.to_owned())), "{name}");
    }
    assert_eq!(billing::validate_subscription(&base(), &modules), Ok(()));
}

#[test]
fn subscription_line_charges_every_seat_for_a_term() {
    let got = billing::subscription_line(&subscription(Term::Annual, NOV_15), 2000).expect("ok");
    assert_eq!(got.description, "Professional annual plan, 10 seats");
    assert_eq!((got.quantity, got.unit_price, got.tax_rate_bp), (10, 4500, 2000));
}

#[test]
fn terms_follow_the_start_date() {
    assert_eq!(midnight("2026-11-15"), NOV_15);
    let rows = [
        (
            "monthly_mid_month",
            Term::Monthly,
            "2026-11-15",
            "2026-12-03",
            ("2026-11-15", "2026-12-15", 30),
        ),
        (
            "monthly_on_the_anniversary",
            Term::Monthly,
            "2026-11-15",
            "2026-12-15",
            ("2026-12-15", "2027-01-15", 31),
        ),
        (
            "start_on_the_31st_clamps_in_february",
            Term::Monthly,
            "2026-01-31",
            "2026-02-28",
            ("2026-02-28", "2026-03-31", 31),
        ),
        (
            "day_before_the_clamped_anniversary",
            Term::Monthly,
            "2026-01-31",
            "2026-02-27",
            ("2026-01-31", "2026-02-28", 28),
        ),
        (
            "clamping_does_not_drift",
            Term::Monthly,
            "2026-01-31",
            "2026-04-10",
            ("2026-03-31", "2026-04-30", 30),
        ),
        (
            "annual_from_a_leap_day",
            Term::Annual,
            "2024-02-29",
            "2025-03-01",
            ("2025-02-28", "2026-02-28", 365),
        ),
        (
            "annual_back_on_the_leap_day",
            Term::Annual,
            "2024-02-29",
            "2028-02-29",
            ("2028-02-29", "2029-02-28", 365),
        ),
        (
            "first_day_of_the_subscription",
            Term::Annual,
            "2026-11-15",
            "2026-11-15",
            ("2026-11-15", "2027-11-15", 365),
        ),
    ];
    for (name, term, start, date, (from, to, days)) in rows {
        let sub = subscription(term, midnight(start) + 3_600);
        let want = Period { start: from.into(), end: to.into(), days };
        assert_eq!(billing::period_containing(&sub, date), Ok(want), "{name}");
    }
}

#[test]
fn added_seat_is_prorated_by_day() {
    let rows = [
        // 12 of 30 days: 4500 * 12 / 30.
        ("twelve_days_left", Term::Monthly, "2026-11-15", 4500, "2026-12-03", 1800),
        (
            "added_on_the_first_day_pays_the_full_term",
            Term::Monthly,
            "2026-11-15",
            4500,
            "2026-12-15",
            4500,
        ),
        // 1 of 28 days: 160.71 rounds to 161.
        ("last_day_of_a_short_term", Term::Monthly, "2026-01-31", 4500, "2026-02-27", 161),
        // 15 of 30 days of 3: 1.5 rounds to the even 2.
        ("half_cent_rounds_to_even_up", Term::Monthly, "2026-04-01", 3, "2026-04-16", 2),
        // 15 of 30 days of 1: 0.5 rounds to the even 0.
        ("half_cent_rounds_to_even_down", Term::Monthly, "2026-04-01", 1, "2026-04-16", 0),
        // 364 of 365 days of 1200.00.
        ("annual_term", Term::Annual, "2024-02-29", 120_000, "2025-03-01", 119_671),
    ];
    for (name, term, start, unit_price, date, want) in rows {
        let sub = Subscription { unit_price, ..subscription(term, midnight(start)) };
        let got = billing::seat_charge(&seat(date), &[sub], 10, 2000).expect(name).expect(name);
        assert_eq!(got.unit_price, want, "{name}");
        assert_eq!((got.quantity, got.tax_rate_bp, got.currency.as_str()), (1, 2000, "EUR"));
    }
}

#[test]
fn added_seat_line_says_how_it_was_prorated() {
    let sub = subscription(Term::Monthly, NOV_15);
    let got = billing::seat_charge(&seat("2026-12-03"), &[sub], 10, 0).expect("ok").expect("line");
    assert_eq!(
        got.description,
        "seat added 2026-12-03: 12 of 30 days of the monthly term ending 2026-12-14"
    );
    assert_eq!(got.module_id.as_deref(), Some("psa"));
}

#[test]
fn added_seat_is_free_while_a_paid_seat_is_unused() {
    let sub = subscription(Term::Monthly, NOV_15);
    assert_eq!(billing::seat_charge(&seat("2026-12-03"), &[sub], 9, 2000), Ok(None));
}

#[test]
fn added_seat_refusals() {
    let monthly = subscription(Term::Monthly, NOV_15);
    let cancelled = Subscription { status: SubscriptionStatus::Cancelled, ..monthly.clone() };
    let rmm = Subscription { module_id: "rmm".into(), ..monthly.clone() };
    let rows: Vec<(&str, BillingLine, Vec<Subscription>, &str, &str)> = vec![
        (
            "no_subscription",
            seat("2026-12-03"),
            vec![rmm],
            "subscription_missing",
            "module “psa” has no active subscription on 2026-12-03, so the added seat cannot be \
             priced; add a subscription for the module first",
        ),
        (
            "cancelled_subscription",
            seat("2026-12-03"),
            vec![cancelled],
            "subscription_missing",
            "module “psa” has no active subscription on 2026-12-03, so the added seat cannot be \
             priced; add a subscription for the module first",
        ),
        (
            "seat_before_the_subscription",
            seat("2026-11-14"),
            vec![monthly.clone()],
            "subscription_missing",
            "module “psa” has no active subscription on 2026-11-14, so the added seat cannot be \
             priced; add a subscription for the module first",
        ),
        (
            "date_not_a_calendar_day",
            seat("2026-02-30"),
            vec![monthly.clone()],
            "billing_date_invalid",
            "date “2026-02-30” is not a calendar date written YYYY-MM-DD",
        ),
        (
            "date_in_another_format",
            seat("03/12/2026"),
            vec![monthly.clone()],
            "billing_date_invalid",
            "date “03/12/2026” is not a calendar date written YYYY-MM-DD",
        ),
        (
            "date_with_a_sign",
            seat("+026-12-03"),
            vec![monthly],
            "billing_date_invalid",
            "date “+026-12-03” is not a calendar date written YYYY-MM-DD",
        ),
    ];
    for (name, added, subs, code, message) in rows {
        let got = billing::seat_charge(&added, &subs, 10, 2000)
            .map_err(|e| (e.code(), e.message().to_owned()));
        assert_eq!(got, Err((code, message.to_owned())), "{name}");
    }
}
