//! Support tickets: one row per refusal of a new ticket, the whole status machine as a table,
//! comments, the version check, idempotency keys, list filters and page cursors.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use onegate_core::tickets::{
    self, Actor, Cursor, Idempotency, NewTicket, Priority, Status, StatusChange, Ticket,
    TicketQuery, TicketUpdate,
};

/// 2026-12-03T12:00:00Z
const NOW: i64 = 1_796_299_200;

fn modules() -> Vec<String> {
    vec!["psa".into(), "rmm".into()]
}

fn new_ticket() -> NewTicket {
    NewTicket {
        module: "psa".into(),
        subject: "  Invoices do not export  ".into(),
        description: "Exporting to CSV shows an empty file.\n".into(),
        priority: "high".into(),
    }
}

fn ticket(id: &str, status: Status, created_at: i64) -> Ticket {
    Ticket {
        id: id.into(),
        module_id: "psa".into(),
        subject: format!("Ticket {id}"),
        description: "Something is broken".into(),
        priority: Priority::Medium,
        status,
        version: 3,
        created_at,
        updated_at: created_at,
    }
}

fn fail<T: std::fmt::Debug>(got: onegate_core::Result<T>) -> (String, String) {
    match got {
        Ok(it) => panic!("expected an error, got {it:?}"),
        Err(e) => (e.code().to_owned(), e.message().to_owned()),
    }
}

struct Row {
    name: &'static str,
    input: NewTicket,
    code: &'static str,
    message: &'static str,
}

fn refusal_rows() -> Vec<Row> {
    let base = new_ticket;
    vec![
        Row {
            name: "module_is_required",
            input: NewTicket { module: " ".into(), ..base() },
            code: "ticket_module_unknown",
            message: "module is required; choose the module the ticket is about",
        },
        Row {
            name: "module_must_be_one_of_the_tenants",
            input: NewTicket { module: "crm".into(), ..base() },
            code: "ticket_module_unknown",
            message: "module “crm” is not one of your modules; choose one from the list",
        },
        Row {
            name: "module_ids_compare_exactly",
            input: NewTicket { module: "PSA".into(), ..base() },
            code: "ticket_module_unknown",
            message: "module “PSA” is not one of your modules; choose one from the list",
        },
        Row {
            name: "subject_is_required_after_trimming",
            input: NewTicket { subject: " \t ".into(), ..base() },
            code: "ticket_subject_invalid",
            message: "subject is required; say in a few words what is wrong",
        },
        Row {
            name: "subject_is_at_most_200_characters",
            input: NewTicket { subject: "é".repeat(201), ..base() },
            code: "ticket_subject_invalid",
            message: "subject is 201 characters long; shorten it to at most 200",
        },
        Row {
            name: "subject_is_one_line",
            input: NewTicket { subject: "first\nsecond".into(), ..base() },
            code: "ticket_subject_invalid",
            message: "subject must be a single line without control characters",
        },
        Row {
            name: "description_is_required",
            input: NewTicket { description: "\n\n".into(), ..base() },
            code: "ticket_description_invalid",
            message: "description is required; describe what happened and what you expected",
        },
        Row {
            name: "description_is_at_most_10000_characters",
            input: NewTicket { description: "x".repeat(10_001), ..base() },
            code: "ticket_description_invalid",
            message: "description is 10001 characters long; shorten it to at most 10000",
        },
        Row {
            name: "priority_must_be_known",
            input: NewTicket { priority: "urgent".into(), ..base() },
            code: "ticket_priority_invalid",
            message: "priority “urgent” is not one of low, medium, high or critical",
        },
        Row {
            name: "priority_is_required",
            input: NewTicket { priority: String::new(), ..base() },
            code: "ticket_priority_invalid",
            message: "priority “” is not one of low, medium, high or critical",
        },
        Row {
            name: "refused_values_are_clipped_in_messages",
            input: NewTicket { module: "m".repeat(100), ..base() },
            code: "ticket_module_unknown",
            message: "module “mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm…” is not one of your \
                      modules; choose one from the list",
        },
    ]
}

#[test]
fn every_new_ticket_refusal() {
    let mut failures = Vec::new();
    for row in refusal_rows() {
        let got = tickets::validate_new(&row.input, &modules())
            .map_err(|e| (e.code().to_owned(), e.message().to_owned()));
        let want = Err((row.code.to_owned(), row.message.to_owned()));
        if got != want {
            failures.push(format!("{}: expected {want:?}, got {got:?}", row.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_ticket_is_trimmed_and_typed() {
    let got = tickets::validate_new(&new_ticket(), &modules()).expect("valid");
    assert_eq!(got.module_id, "psa");
    assert_eq!(got.subject, "Invoices do not export");
    assert_eq!(got.description, "Exporting to CSV shows an empty file.");
    assert_eq!(got.priority, Priority::High);
    let stored = got.into_ticket("t1".into(), NOW);
    assert_eq!((stored.status, stored.version, stored.created_at), (Status::New, 1, NOW));
}

#[test]
fn limits_are_inclusive() {
    let input = NewTicket {
        subject: "s".repeat(200),
        description: "d".repeat(10_000),
        priority: "critical".into(),
        ..new_ticket()
    };
    assert!(tickets::validate_new(&input, &modules()).is_ok());
}

/// Every (from, to, actor) triple, with the outcome the service desk promises.
#[test]
fn status_machine_table() {
    use Actor::{Customer, Support};
    use Status::{Closed, InProgress, New, Resolved, WaitingOnCustomer};
    let allowed: &[(&str, Status, Status, Actor)] = &[
        ("support_picks_up_a_new_ticket", New, InProgress, Support),
        ("support_asks_the_customer_straight_away", New, WaitingOnCustomer, Support),
        ("support_resolves_a_new_ticket", New, Resolved, Support),
        ("support_asks_the_customer", InProgress, WaitingOnCustomer, Support),
        ("support_resolves", InProgress, Resolved, Support),
        ("support_resumes_after_the_customer_answers", WaitingOnCustomer, InProgress, Support),
        ("customer_hands_the_ticket_back", WaitingOnCustomer, InProgress, Customer),
        ("support_resolves_while_waiting", WaitingOnCustomer, Resolved, Support),
        ("customer_reopens_a_resolved_ticket", Resolved, InProgress, Customer),
        ("support_reopens_a_resolved_ticket", Resolved, InProgress, Support),
        ("customer_closes_as_resolved", Resolved, Closed, Customer),
        ("support_closes_a_resolved_ticket", Resolved, Closed, Support),
    ];
    let mut failures = Vec::new();
    for from in Status::ALL {
        for to in Status::ALL {
            for actor in [Customer, Support] {
                let row = allowed.iter().find(|r| (r.1, r.2, r.3) == (from, to, actor));
                let got = tickets::may_transition(from, to, actor);
                if got != row.is_some() {
                    let name = row.map_or("not_allowed", |r| r.0);
                    failures.push(format!("{name}: {from:?} -> {to:?} by {actor:?} gave {got}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn accepted_change_bumps_the_version() {
    let t = ticket("t1", Status::New, NOW - 100);
    let got = tickets::change_status(
        &t,
        StatusChange { to: Status::InProgress, expected_version: 3 },
        Actor::Support,
        NOW,
    );
    assert_eq!(got, Ok(TicketUpdate { status: Status::InProgress, version: 4, updated_at: NOW }));
}

#[test]
fn status_change_refusals() {
    let rows: &[(&str, Status, Status, u64, Actor, &str, &str)] = &[
        (
            "stale_version_is_told_to_reload",
            Status::New,
            Status::InProgress,
            2,
            Actor::Support,
            "version_conflict",
            "this ticket changed since you loaded it (you had version 2, it is now version 3); \
             reload it and try again",
        ),
        (
            "version_is_checked_before_the_transition",
            Status::Closed,
            Status::InProgress,
            9,
            Actor::Customer,
            "version_conflict",
            "this ticket changed since you loaded it (you had version 9, it is now version 3); \
             reload it and try again",
        ),
        (
            "closed_is_final",
            Status::Closed,
            Status::InProgress,
            3,
            Actor::Support,
            "ticket_closed",
            "this ticket is closed and cannot change; open a new ticket and mention this one",
        ),
        (
            "customer_cannot_resolve",
            Status::InProgress,
            Status::Resolved,
            3,
            Actor::Customer,
            "ticket_transition_refused",
            "you cannot move a ticket from in progress to resolved; \
             support moves it until it is resolved",
        ),
        (
            "customer_is_told_to_reply_instead",
            Status::WaitingOnCustomer,
            Status::Resolved,
            3,
            Actor::Customer,
            "ticket_transition_refused",
            "you cannot move a ticket from waiting on customer to resolved; \
             reply with a comment instead",
        ),
        (
            "customer_may_only_reopen_or_close_a_resolved_ticket",
            Status::Resolved,
            Status::WaitingOnCustomer,
            3,
            Actor::Customer,
            "ticket_transition_refused",
            "you cannot move a ticket from resolved to waiting on customer; \
             you may reopen or close it",
        ),
        (
            "support_cannot_skip_resolution",
            Status::InProgress,
            Status::Closed,
            3,
            Actor::Support,
            "ticket_transition_refused",
            "support cannot move a ticket from in progress to closed",
        ),
    ];
    let mut failures = Vec::new();
    for (name, from, to, expected, actor, code, message) in rows {
        let t = ticket("t1", *from, NOW);
        let change = StatusChange { to: *to, expected_version: *expected };
        let got = tickets::change_status(&t, change, *actor, NOW)
            .map_err(|e| (e.code().to_owned(), e.message().to_owned()));
        let want = Err(((*code).to_owned(), (*message).to_owned()));
        if got != want {
            failures.push(format!("{name}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn customer_comment_hands_a_waiting_ticket_back_to_support() {
    let t = ticket("t1", Status::WaitingOnCustomer, NOW - 100);
    let got = tickets::comment(&t, "  Here is the log.  ", Actor::Customer, NOW).expect("valid");
    assert_eq!(got.body, "Here is the log.");
    assert_eq!(
        got.update,
        Some(TicketUpdate { status: Status::InProgress, version: 4, updated_at: NOW })
    );
}

#[test]
fn other_comments_leave_the_status_alone() {
    let rows = [
        ("support_comment_while_waiting", Status::WaitingOnCustomer, Actor::Support),
        ("customer_comment_in_progress", Status::InProgress, Actor::Customer),
        ("customer_comment_on_resolved_does_not_reopen", Status::Resolved, Actor::Customer),
        ("customer_comment_on_new", Status::New, Actor::Customer),
    ];
    for (name, status, actor) in rows {
        let got = tickets::comment(&ticket("t1", status, NOW), "ok", actor, NOW).expect(name);
        assert_eq!(got.update, None, "{name}");
    }
}

#[test]
fn comment_refusals() {
    let open = ticket("t1", Status::InProgress, NOW);
    let rows = [
        (
            "empty_comment",
            open.clone(),
            " \n".to_owned(),
            "ticket_comment_invalid",
            "comment is required; write your reply",
        ),
        (
            "oversized_comment",
            open,
            "y".repeat(10_001),
            "ticket_comment_invalid",
            "comment is 10001 characters long; shorten it to at most 10000",
        ),
        (
            "closed_ticket_takes_no_comment",
            ticket("t1", Status::Closed, NOW),
            "hello".to_owned(),
            "ticket_closed",
            "this ticket is closed and cannot change; open a new ticket and mention this one",
        ),
    ];
    for (name, t, body, code, message) in rows {
        let got = fail(tickets::comment(&t, &body, Actor::Customer, NOW));
        assert_eq!(got, (code.to_owned(), message.to_owned()), "{name}");
    }
}

#[test]
fn idempotency_keys() {
    let rows: &[(&str, String, Option<&str>)] = &[
        ("uuid_is_accepted", "3f1c9a3e-2b7d-4c55-9f0e-8d2a6b1c7e44".into(), None),
        ("underscores_are_accepted", "create_ticket_1".into(), None),
        ("sixty_four_characters_are_accepted", "k".repeat(64), None),
        (
            "empty_key",
            String::new(),
            Some("idempotency key is empty; send 1 to 64 characters from A-Z, a-z, 0-9, _ and -"),
        ),
        (
            "sixty_five_characters",
            "k".repeat(65),
            Some(
                "idempotency key is longer than 64 characters; send a shorter one, such as a uuid",
            ),
        ),
        (
            "space_is_refused",
            "abc def".into(),
            Some("idempotency key contains ' '; use only A-Z, a-z, 0-9, _ and -"),
        ),
        (
            "non_ascii_is_refused",
            "clé".into(),
            Some("idempotency key contains 'é'; use only A-Z, a-z, 0-9, _ and -"),
        ),
    ];
    for (name, key, message) in rows {
        let got =
            tickets::check_idempotency_key(key).map_err(|e| (e.code(), e.message().to_owned()));
        let want = message.map_or(Ok(()), |m| Err(("idempotency_key_invalid", m.to_owned())));
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn same_request_under_a_key_replays_and_a_different_one_is_refused() {
    let first = tickets::validate_new(&new_ticket(), &modules()).expect("valid");
    let retry = tickets::validate_new(&new_ticket(), &modules()).expect("valid");
    let other =
        tickets::validate_new(&NewTicket { priority: "low".into(), ..new_ticket() }, &modules())
            .expect("valid");
    let stored = first.fingerprint();
    assert_eq!(stored.len(), 64);
    assert_eq!(tickets::idempotency(None, &stored), Ok(Idempotency::Create));
    assert_eq!(tickets::idempotency(Some(&stored), &retry.fingerprint()), Ok(Idempotency::Replay));
    let (code, message) = fail(tickets::idempotency(Some(&stored), &other.fingerprint()));
    assert_eq!(code, "idempotency_key_reused");
    assert_eq!(
        message,
        "this idempotency key was already used for a different ticket; \
         send a new key for a new ticket"
    );
}

fn query() -> TicketQuery {
    TicketQuery::default()
}

#[test]
fn list_filter_refusals() {
    let rows = [
        (
            "unknown_status",
            TicketQuery { status: Some("open".into()), ..query() },
            "ticket_filter_invalid",
            "status “open” is not one of new, in_progress, waiting_on_customer, resolved or closed",
        ),
        (
            "foreign_module",
            TicketQuery { module: Some("crm".into()), ..query() },
            "ticket_filter_invalid",
            "module “crm” is not one of your modules",
        ),
        (
            "unknown_priority",
            TicketQuery { priority: Some("p1".into()), ..query() },
            "ticket_filter_invalid",
            "priority “p1” is not one of low, medium, high or critical",
        ),
        (
            "oversized_search",
            TicketQuery { text: Some("q".repeat(201)), ..query() },
            "ticket_filter_invalid",
            "search text is longer than 200 characters; shorten it",
        ),
        (
            "page_size_zero",
            TicketQuery { page_size: Some("0".into()), ..query() },
            "page_size_invalid",
            "page size “0” is not a whole number from 1 to 100",
        ),
        (
            "page_size_above_100",
            TicketQuery { page_size: Some("101".into()), ..query() },
            "page_size_invalid",
            "page size “101” is not a whole number from 1 to 100",
        ),
        (
            "page_size_not_a_number",
            TicketQuery { page_size: Some("ten".into()), ..query() },
            "page_size_invalid",
            "page size “ten” is not a whole number from 1 to 100",
        ),
        (
            "cursor_not_base64",
            TicketQuery { cursor: Some("!!".into()), ..query() },
            "cursor_invalid",
            "the page cursor is not valid; load the list again from the first page",
        ),
    ];
    for (name, q, code, message) in rows {
        let got = fail(tickets::filter(&q, &modules()));
        assert_eq!(got, (code.to_owned(), message.to_owned()), "{name}");
    }
}

#[test]
fn empty_query_lists_everything_25_at_a_time() {
    let f = tickets::filter(&query(), &modules()).expect("valid");
    assert_eq!(f.page_size, 25);
    assert_eq!(
        (f.status, f.module_id, f.priority, f.text, f.after),
        (None, None, None, None, None)
    );
    let blank = TicketQuery { status: Some(" ".into()), text: Some("".into()), ..query() };
    assert_eq!(tickets::filter(&blank, &modules()).expect("valid").status, None);
}

#[test]
fn malformed_cursors_are_refused() {
    let encode = |s: &str| {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    };
    let rows = [
        ("empty", String::new()),
        ("not_base64", "%%%".to_owned()),
        ("padded_base64", "djEuMS50MQ==".to_owned()),
        ("wrong_version", encode("v2.1.t1")),
        ("no_id", encode("v1.1")),
        ("empty_id", encode("v1.1.")),
        ("time_not_a_number", encode("v1.x.t1")),
        ("time_with_plus_sign", encode("v1.+1.t1")),
        ("time_overflows", encode("v1.99999999999999999999.t1")),
        ("control_character_in_id", encode("v1.1.t\u{0}1")),
        (
            "not_utf8",
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, [0xff, 0xfe]),
        ),
        ("too_long", "A".repeat(513)),
    ];
    for (name, text) in rows {
        let got = Cursor::decode(&text).map_err(|e| e.code());
        assert_eq!(got, Err("cursor_invalid"), "{name}");
    }
}

#[test]
fn cursor_round_trips() {
    for cursor in [
        Cursor { created_at: NOW, id: "t-42".into() },
        Cursor { created_at: -5, id: "id.with.dots and spaces".into() },
        Cursor { created_at: i64::MIN, id: "x".into() },
    ] {
        assert_eq!(Cursor::decode(&cursor.encode()).as_ref(), Ok(&cursor));
    }
}

#[test]
fn lists_filter_and_page_newest_first() {
    let mut all: Vec<Ticket> =
        (0..7).map(|i| ticket(&format!("t{i}"), Status::InProgress, NOW - 100 + i / 2)).collect();
    all[2].status = Status::WaitingOnCustomer;
    all[3].module_id = "rmm".into();
    all[4].subject = "Printer ON FIRE".into();
    all[5].priority = Priority::Critical;

    let q = |extra: TicketQuery| tickets::filter(&extra, &modules()).expect("valid");
    let ids = |page: &tickets::Page<Ticket>| -> Vec<String> {
        page.items.iter().map(|it| it.id.clone()).collect()
    };

    // Same creation second: the larger id comes first.
    let first = tickets::list(&all, &q(TicketQuery { page_size: Some("3".into()), ..query() }));
    assert_eq!(ids(&first), ["t6", "t5", "t4"]);
    let cursor = first.next_cursor.clone().expect("more pages");
    let second = tickets::list(
        &all,
        &q(TicketQuery { page_size: Some("3".into()), cursor: Some(cursor), ..query() }),
    );
    assert_eq!(ids(&second), ["t3", "t2", "t1"]);
    let cursor = second.next_cursor.clone().expect("more pages");
    let last = tickets::list(
        &all,
        &q(TicketQuery { page_size: Some("3".into()), cursor: Some(cursor), ..query() }),
    );
    assert_eq!((ids(&last), last.next_cursor), (vec!["t0".to_owned()], None));

    let rows = [
        (
            "by_status",
            TicketQuery { status: Some("waiting_on_customer".into()), ..query() },
            vec!["t2"],
        ),
        ("by_module", TicketQuery { module: Some("rmm".into()), ..query() }, vec!["t3"]),
        ("by_priority", TicketQuery { priority: Some("critical".into()), ..query() }, vec!["t5"]),
        (
            "by_text_case_insensitively",
            TicketQuery { text: Some("on fire".into()), ..query() },
            vec!["t4"],
        ),
    ];
    for (name, extra, want) in rows {
        assert_eq!(ids(&tickets::list(&all, &q(extra))), want, "{name}");
    }
}

#[test]
fn exact_page_has_no_next_cursor() {
    let rows: Vec<Ticket> =
        (0..3).map(|i| ticket(&format!("t{i}"), Status::New, NOW - i)).collect();
    assert_eq!(tickets::page(rows.clone(), 3).next_cursor, None);
    let page = tickets::page(rows, 2);
    assert_eq!(page.items.len(), 2);
    let next = Cursor::decode(&page.next_cursor.expect("more")).expect("decodes");
    assert_eq!(next, Cursor { created_at: NOW - 1, id: "t1".into() });
}
