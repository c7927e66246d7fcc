//! Properties of the portal's rules over arbitrary inputs: invoice totals never panic and add
//! up when nothing overflows, cursor decoding never panics and round-trips, and ticket
//! transitions, comments and seat charges are total. Native only: proptest needs the host's
//! process and clock.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;

use onegate_core::billing::{self, InvoiceLine, Subscription, SubscriptionStatus, Term};
use onegate_core::provisioning::BillingLine;
use onegate_core::tickets::{
    self, Actor, Cursor, NewTicket, Priority, Status, StatusChange, Ticket, TicketQuery,
};

fn line() -> impl Strategy<Value = InvoiceLine> {
    (
        prop_oneof![Just(0u32), 1u32..1000, any::<u32>()],
        prop_oneof![-1_000_000i64..1_000_000, any::<i64>()],
        prop_oneof![Just("EUR".to_owned()), Just("USD".to_owned()), "[A-Za-z]{0,4}"],
        prop_oneof![0u32..=10_000, any::<u32>()],
    )
        .prop_map(|(quantity, unit_price, currency, tax_rate_bp)| InvoiceLine {
            description: "line".into(),
            module_id: None,
            quantity,
            unit_price,
            currency,
            tax_rate_bp,
        })
}

fn status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}

fn actor() -> impl Strategy<Value = Actor> {
    prop::sample::select(vec![Actor::Customer, Actor::Support])
}

fn ticket() -> impl Strategy<Value = Ticket> {
    (status(), any::<u64>(), any::<i64>(), ".{0,8}").prop_map(|(status, version, at, id)| Ticket {
        id,
        module_id: "psa".into(),
        subject: "s".into(),
        description: "d".into(),
        priority: Priority::Low,
        status,
        version,
        created_at: at,
        updated_at: at,
    })
}

proptest! {
    #[test]
    fn totals_never_panic(lines in prop::collection::vec(line(), 0..6)) {
        let _ = billing::invoice_totals(&lines);
    }

    #[test]
    fn totals_add_up_when_nothing_overflows(
        lines in prop::collection::vec(
            (0u32..1000, -10_000_000i64..10_000_000, 0u32..=10_000).prop_map(|(q, p, bp)| {
                InvoiceLine {
                    description: "line".into(),
                    module_id: None,
                    quantity: q,
                    unit_price: p,
                    currency: "EUR".into(),
                    tax_rate_bp: bp,
                }
            }),
            1..8,
        ),
    ) {
        let got = billing::invoice_totals(&lines).expect("small amounts never overflow");
        let amount = |it: &InvoiceLine| i128::from(it.quantity) * i128::from(it.unit_price);
        let sum: i128 = lines.iter().map(amount).sum();
        prop_assert_eq!(i128::from(got.subtotal), sum);
        prop_assert_eq!(got.total, got.subtotal + got.tax);
        // Rounded once per rate: within half a minor unit per rate of the exact tax
        // (compared in ten-thousandths of a minor unit).
        let exact: i128 = lines.iter().map(|it| amount(it) * i128::from(it.tax_rate_bp)).sum();
        let rates = lines.iter().map(|it| it.tax_rate_bp).collect::<BTreeSet<_>>().len();
        let rates = i128::try_from(rates).expect("small");
        prop_assert!((i128::from(got.tax) * 10_000 - exact).abs() <= 5_000 * rates);
    }

    #[test]
    fn cursor_decode_never_panics(
        text in prop_oneof![
            ".{0,80}",
            "[A-Za-z0-9_-]{0,80}",
            "(v1|v2)?[.]?-?[0-9]{0,22}[.]?.{0,10}".prop_map(|it| URL_SAFE_NO_PAD.encode(it)),
        ],
    ) {
        if let Ok(cursor) = Cursor::decode(&text) {
            prop_assert!(!cursor.id.is_empty());
        }
        let _ = tickets::filter(&TicketQuery { cursor: Some(text), ..TicketQuery::default() }, &[]);
    }

    #[test]
    fn cursor_round_trips(created_at in any::<i64>(), id in "[^\\p{Cc}]{1,40}") {
        let cursor = Cursor { created_at, id };
        prop_assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn ticket_transitions_never_panic(
        t in ticket(),
        to in status(),
        expected in any::<u64>(),
        who in actor(),
        now in any::<i64>(),
        body in ".{0,20}",
    ) {
        let change = StatusChange { to, expected_version: expected };
        let got = tickets::change_status(&t, change, who, now);
        if let Ok(update) = got {
            prop_assert_eq!(expected, t.version);
            prop_assert_eq!(update.version, t.version + 1);
            prop_assert!(tickets::may_transition(t.status, to, who));
            prop_assert_ne!(t.status, Status::Closed);
        }
        if let Ok(plan) = tickets::comment(&t, &body, who, now) {
            prop_assert_ne!(t.status, Status::Closed);
            prop_assert!(!plan.body.is_empty());
        }
    }

    #[test]
    fn new_ticket_validation_never_panics(
        module in ".{0,6}",
        subject in ".{0,210}",
        description in ".{0,30}",
        priority in ".{0,9}",
        key in ".{0,70}",
    ) {
        let input = NewTicket { module, subject, description, priority };
        if let Ok(valid) = tickets::validate_new(&input, &["psa".to_owned()]) {
            prop_assert_eq!(valid.module_id.as_str(), "psa");
            prop_assert!((1..=200).contains(&valid.subject.chars().count()));
        }
        let _ = tickets::check_idempotency_key(&key);
    }

    #[test]
    fn seat_charge_never_panics(
        date in prop_oneof!["[0-9]{4}-[0-9]{2}-[0-9]{2}", ".{0,12}"],
        started_at in prop_oneof![0i64..4_000_000_000, any::<i64>()],
        unit_price in any::<i64>(),
        annual in any::<bool>(),
        in_use in any::<u32>(),
    ) {
        let sub = Subscription {
            id: "s".into(),
            module_id: "psa".into(),
            plan: "p".into(),
            seats: 3,
            unit_price,
            currency: "EUR".into(),
            term: if annual { Term::Annual } else { Term::Monthly },
            started_at,
            status: SubscriptionStatus::Active,
        };
        let added = BillingLine {
            kind: "seat_added".into(),
            module_id: "psa".into(),
            hub_user: "u".into(),
            date,
        };
        if let Ok(Some(line)) = billing::seat_charge(&added, &[sub], in_use, 2000) {
            // A prorated seat never costs more than a whole term.
            prop_assert!(line.unit_price.unsigned_abs() <= unit_price.unsigned_abs());
        }
    }
}
