//! Support tickets: the list with filters and paging, the new-ticket form and API (idempotent
//! under a key), a ticket with its comments, replies, and status changes under a version
//! check. Core decides every rule; this file scopes queries to the tenant and renders.

use minijinja::{Value, context};
use onegate_core::tickets::{
    self, Actor, Idempotency, NewTicket, Priority, Status, StatusChange, Ticket, TicketQuery,
};
use onegate_core::{Error as CoreError, ErrorKind};
use serde_json::json;
use worker::{Request, Response, Url};

use super::store::{ModuleRow, NewComment, WriteError};
use super::{Fail, Handled, Portal, body, field, form, page, plausible_id};

fn random(prefix: &str) -> std::result::Result<String, worker::Error> {
    crate::common::sign::random_id(12)
        .map(|it| format!("{prefix}_{it}"))
        .map_err(|err| worker::Error::RustError(format!("no randomness: {err}")))
}

fn module_ids(modules: &[ModuleRow]) -> Vec<String> {
    modules.iter().map(|it| it.id.clone()).collect()
}

fn module_name(modules: &[ModuleRow], id: &str) -> String {
    modules.iter().find(|it| it.id == id).map_or_else(|| id.to_owned(), |it| it.name.clone())
}

/// The ticket as the pages show it.
fn ticket_ctx(t: &Ticket, modules: &[ModuleRow]) -> Value {
    let reopen = StatusChange { to: Status::InProgress, expected_version: t.version };
    let close = StatusChange { to: Status::Closed, expected_version: t.version };
    context! {
        id => t.id, module_id => t.module_id, module_name => module_name(modules, &t.module_id),
        subject => t.subject, description => t.description, priority => t.priority.code(),
        status => t.status.code(), status_label => t.status.label(), version => t.version,
        created => page::date(t.created_at), updated => page::date(t.updated_at),
        may_reopen => t.status == Status::Resolved
            && tickets::change_status(t, reopen, Actor::Customer, 0).is_ok(),
        may_close => tickets::change_status(t, close, Actor::Customer, 0).is_ok(),
    }
}

fn query_of(url: &Url) -> TicketQuery {
    let mut q = TicketQuery::default();
    for (key, value) in url.query_pairs() {
        let slot = match key.as_ref() {
            "status" => &mut q.status,
            "module" => &mut q.module,
            "priority" => &mut q.priority,
            "text" => &mut q.text,
            "page_size" => &mut q.page_size,
            "cursor" => &mut q.cursor,
            _ => continue,
        };
        slot.get_or_insert_with(|| value.into_owned());
    }
    q
}

/// `GET /support`: the list with its filter form.
pub async fn list_page(p: &Portal, url: &Url) -> Handled {
    let modules = p.store.modules(&p.user.tenant_id).await?;
    let query = query_of(url);
    let statuses: Vec<Value> =
        Status::ALL.iter().map(|s| context! { code => s.code(), label => s.label() }).collect();
    let priorities: Vec<&str> = Priority::ALL.iter().map(|it| it.code()).collect();
    let base =
        context! { modules => modules.clone(), statuses, priorities, query => query.clone() };

    let filter = match tickets::filter(&query, &module_ids(&modules)) {
        Ok(filter) => filter,
        Err(err) => {
            let ctx = context! { error => err.message(), ..base };
            return Ok(page::page(400, "support.html", &p.user, "support", ctx)?);
        }
    };
    let rows = p.store.list_tickets(&p.user.tenant_id, &filter).await?;
    let found = tickets::page(rows, filter.page_size);

    let next = found.next_cursor.as_ref().map(|cursor| {
        let mut pairs = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("status", &query.status),
            ("module", &query.module),
            ("priority", &query.priority),
            ("text", &query.text),
            ("page_size", &query.page_size),
        ] {
            if let Some(value) = value.as_deref().filter(|it| !it.is_empty()) {
                pairs.append_pair(key, value);
            }
        }
        pairs.append_pair("cursor", cursor);
        format!("/support?{}", pairs.finish())
    });
    let items: Vec<Value> = found.items.iter().map(|t| ticket_ctx(t, &modules)).collect();
    let ctx = context! { tickets => items, next, ..base };
    Ok(page::page(200, "support.html", &p.user, "support", ctx)?)
}

/// `GET /api/portal/tickets`: one page of the list as JSON.
pub async fn list_api(p: &Portal, url: &Url) -> Handled {
    let modules = p.store.modules(&p.user.tenant_id).await?;
    let filter = tickets::filter(&query_of(url), &module_ids(&modules))?;
    let rows = p.store.list_tickets(&p.user.tenant_id, &filter).await?;
    let found = tickets::page(rows, filter.page_size);
    Ok(Response::from_json(&json!({ "items": found.items, "next_cursor": found.next_cursor }))?)
}

fn new_form(
    p: &Portal,
    status: u16,
    modules: &[ModuleRow],
    input: &NewTicket,
    key: &str,
    error: Option<&str>,
) -> Handled {
    let priorities: Vec<&str> = Priority::ALL.iter().map(|it| it.code()).collect();
    let ctx = context! {
        modules => modules.to_vec(), priorities, form => input.clone(), idempotency_key => key,
        error,
    };
    Ok(page::page(status, "support_new.html", &p.user, "support", ctx)?)
}

/// `GET /support/new`: the form, with a fresh idempotency key so a double submit or a retried
/// post creates one ticket.
pub async fn new_page(p: &Portal) -> Handled {
    let modules = p.store.modules(&p.user.tenant_id).await?;
    let key = random("form")?;
    new_form(p, 200, &modules, &NewTicket::default(), &key, None)
}

/// `POST /support/new`: creates the ticket and shows it, or shows the form with the error.
pub async fn create_form(p: &Portal, req: Request) -> Handled {
    let modules = p.store.modules(&p.user.tenant_id).await?;
    let fields = form(&body(req).await?);
    let get = |name: &str| field(&fields, name).unwrap_or_default().to_owned();
    let input = NewTicket {
        module: get("module"),
        subject: get("subject"),
        description: get("description"),
        priority: get("priority"),
    };
    let key = get("idempotency_key");

    match create(p, &modules, &input, Some(&key)).await {
        Ok((ticket, _)) => Ok(page::see_other(&format!("/support/tickets/{}", ticket.id))?),
        Err(super::Answer::Fail(fail)) if fail.status < 500 => {
            new_form(p, fail.status, &modules, &input, &key, Some(&fail.message))
        }
        Err(other) => Err(other),
    }
}

/// `POST /api/portal/tickets`: JSON `{module, subject, description, priority}`, optional
/// `Idempotency-Key`. 201 with the ticket; a replay answers the stored ticket with
/// `Idempotency-Replayed: true`.
pub async fn create_api(p: &Portal, req: Request) -> Handled {
    let key = req.headers().get("Idempotency-Key").ok().flatten();
    let bytes = body(req).await?;
    let input: NewTicket = serde_json::from_slice(&bytes).map_err(|err| {
        Fail::new(
            400,
            "body_invalid",
            format!(
                "the body is not a JSON object with text fields module, subject, description \
                 and priority: {err}"
            ),
        )
    })?;
    let modules = p.store.modules(&p.user.tenant_id).await?;

    let (ticket, replayed) = create(p, &modules, &input, key.as_deref()).await?;
    let mut res = Response::from_json(&json!({ "ticket": ticket }))?.with_status(201);
    res.headers_mut().set("ETag", &etag(ticket.version))?;
    res.headers_mut().set("Location", &format!("/api/portal/tickets/{}", ticket.id))?;
    if replayed {
        res.headers_mut().set("Idempotency-Replayed", "true")?;
    }
    Ok(res)
}

/// Validates, applies the idempotency rules, and stores. Returns the ticket and whether it
/// was a replay. Nothing is written unless everything passed.
async fn create(
    p: &Portal,
    modules: &[ModuleRow],
    input: &NewTicket,
    key: Option<&str>,
) -> std::result::Result<(Ticket, bool), super::Answer> {
    let tenant = &p.user.tenant_id;
    if let Some(key) = key {
        tickets::check_idempotency_key(key)?;
    }
    let valid = tickets::validate_new(input, &module_ids(modules))?;
    let fingerprint = valid.fingerprint();

    if let Some(key) = key
        && let Some(stored) = p.store.key(tenant, key).await?
    {
        return replay(p, &stored.fingerprint, &fingerprint, &stored.ticket_id).await;
    }

    let ticket = valid.into_ticket(random("tk")?, p.now);
    let stored_key = key.map(|it| (it, fingerprint.as_str()));
    match p.store.create_ticket(tenant, &p.user.user_id, &ticket, stored_key).await {
        Ok(()) => Ok((ticket, false)),
        // A concurrent request with the same key won the race: answer as its replay.
        Err(WriteError::Conflict) => {
            let Some(key) = key else {
                return Err(
                    Fail::new(409, "conflict", "the ticket could not be stored; retry").into()
                );
            };
            let Some(stored) = p.store.key(tenant, key).await? else {
                return Err(
                    Fail::new(409, "conflict", "the ticket could not be stored; retry").into()
                );
            };
            replay(p, &stored.fingerprint, &fingerprint, &stored.ticket_id).await
        }
        Err(WriteError::Db(err)) => Err(err.into()),
    }
}

async fn replay(
    p: &Portal,
    stored: &str,
    request: &str,
    ticket_id: &str,
) -> std::result::Result<(Ticket, bool), super::Answer> {
    match tickets::idempotency(Some(stored), request)? {
        Idempotency::Replay => match p.store.ticket(&p.user.tenant_id, ticket_id).await? {
            Some(ticket) => Ok((ticket, true)),
            None => Err(Fail::not_found("ticket").into()),
        },
        Idempotency::Create => Err(Fail::new(409, "conflict", "retry the request").into()),
    }
}

async fn load(p: &Portal, id: &str) -> std::result::Result<Ticket, super::Answer> {
    if !plausible_id(id) {
        return Err(Fail::not_found("ticket").into());
    }
    match p.store.ticket(&p.user.tenant_id, id).await? {
        Some(ticket) => Ok(ticket),
        None => Err(Fail::not_found("ticket").into()),
    }
}

fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// `GET /support/tickets/{id}`.
pub async fn ticket_page(p: &Portal, id: &str) -> Handled {
    show(p, id, 200, None).await
}

async fn show(p: &Portal, id: &str, status: u16, error: Option<&str>) -> Handled {
    let ticket = load(p, id).await?;
    let modules = p.store.modules(&p.user.tenant_id).await?;
    let comments: Vec<Value> = p
        .store
        .comments(&p.user.tenant_id, &ticket.id)
        .await?
        .into_iter()
        .map(|c| {
            context! {
                author_kind => c.author_kind, author_name => c.author_name, body => c.body,
                created => page::date(c.created_at),
            }
        })
        .collect();
    let ctx = context! { ticket => ticket_ctx(&ticket, &modules), comments, error };
    Ok(page::page(status, "ticket.html", &p.user, "support", ctx)?)
}

/// `GET /api/portal/tickets/{id}`: the ticket and its comments; `ETag` is the version.
pub async fn get_api(p: &Portal, id: &str) -> Handled {
    let ticket = load(p, id).await?;
    let comments = p.store.comments(&p.user.tenant_id, &ticket.id).await?;
    let mut res = Response::from_json(&json!({ "ticket": ticket, "comments": comments }))?;
    res.headers_mut().set("ETag", &etag(ticket.version))?;
    Ok(res)
}

/// Which version the requester saw, and how they said it (`If-Match` answers 412 on a
/// mismatch, a body field 409).
#[derive(Clone, Copy)]
struct Expected {
    version: u64,
    precondition: bool,
}

fn if_match(req: &Request) -> std::result::Result<Option<u64>, Fail> {
    let Some(raw) = req.headers().get("If-Match").ok().flatten() else {
        return Ok(None);
    };
    let bare = raw.trim().trim_start_matches("W/").trim_matches('"');
    bare.parse::<u64>().map(Some).map_err(|_| {
        Fail::new(
            400,
            "if_match_invalid",
            "If-Match must be the ticket's ETag, a quoted version number such as \"3\"",
        )
    })
}

fn version_field(value: Option<&serde_json::Value>) -> std::result::Result<Option<u64>, Fail> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            Fail::new(400, "expected_version_invalid", "expected_version must be a whole number")
        }),
    }
}

fn conflict(err: CoreError, expected: Expected) -> Fail {
    let mut fail = Fail::from(err);
    if expected.precondition && fail.code == ErrorKind::VersionConflict.code() {
        fail.status = 412;
    }
    fail
}

/// `PATCH /api/portal/tickets/{id}`: `{status, expected_version}` or `If-Match`.
pub async fn patch_api(p: &Portal, id: &str, req: Request) -> Handled {
    let header = if_match(&req)?;
    let bytes = body(req).await?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|err| Fail::new(400, "body_invalid", format!("the body is not JSON: {err}")))?;
    let ticket = load(p, id).await?;

    let Some(code) = value.get("status").and_then(|it| it.as_str()) else {
        return Err(Fail::new(400, "ticket_status_invalid", "status is required").into());
    };
    let Some(to) = Status::from_code(code) else {
        return Err(CoreError::new(
            ErrorKind::TicketStatusInvalid,
            "status is not one of new, in_progress, waiting_on_customer, resolved or closed",
        )
        .into());
    };
    let expected = match (header, version_field(value.get("expected_version"))?) {
        (Some(version), _) => Expected { version, precondition: true },
        (None, Some(version)) => Expected { version, precondition: false },
        (None, None) => {
            return Err(Fail::new(
                428,
                "version_required",
                "send the version you loaded, as If-Match or expected_version, so a concurrent \
                 change is not overwritten",
            )
            .into());
        }
    };

    let change = StatusChange { to, expected_version: expected.version };
    let update = tickets::change_status(&ticket, change, Actor::Customer, p.now)
        .map_err(|err| conflict(err, expected))?;
    if !p.store.update_ticket(&p.user.tenant_id, &ticket.id, &update, None).await? {
        return Err(lost_race(p, &ticket, expected).await?.into());
    }
    get_api(p, &ticket.id).await
}

/// The refusal when another change was stored between our read and our write.
async fn lost_race(
    p: &Portal,
    ticket: &Ticket,
    expected: Expected,
) -> std::result::Result<Fail, super::Answer> {
    let now = p.store.ticket(&p.user.tenant_id, &ticket.id).await?;
    let current = now.map_or(ticket.version.saturating_add(1), |it| it.version);
    let err = tickets::check_version(expected.version, current).err().unwrap_or_else(|| {
        CoreError::new(ErrorKind::VersionConflict, "this ticket changed meanwhile; reload it")
    });
    Ok(conflict(err, expected))
}

/// Adds a comment (with its status change, under the version check). Shared by the form and
/// the API.
async fn add_comment(
    p: &Portal,
    ticket: &Ticket,
    text: &str,
    expected: Option<Expected>,
) -> std::result::Result<(), super::Answer> {
    if let Some(expected) = expected {
        tickets::check_version(expected.version, ticket.version)
            .map_err(|err| conflict(err, expected))?;
    }
    let plan = tickets::comment(ticket, text, Actor::Customer, p.now)?;
    let id = random("cm")?;
    let comment = NewComment {
        id: &id,
        author_kind: "customer",
        author_name: &p.user.name,
        body: &plan.body,
        created_at: p.now,
    };
    match plan.update {
        None => p.store.add_comment(&p.user.tenant_id, &ticket.id, &comment).await?,
        Some(update) => {
            let stored =
                p.store.update_ticket(&p.user.tenant_id, &ticket.id, &update, Some(&comment));
            if !stored.await? {
                let expected =
                    expected.unwrap_or(Expected { version: ticket.version, precondition: false });
                return Err(lost_race(p, ticket, expected).await?.into());
            }
        }
    }
    Ok(())
}

/// `POST /api/portal/tickets/{id}/comments`: `{body, expected_version?}` (or `If-Match`).
pub async fn comment_api(p: &Portal, id: &str, req: Request) -> Handled {
    let header = if_match(&req)?;
    let bytes = body(req).await?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|err| Fail::new(400, "body_invalid", format!("the body is not JSON: {err}")))?;
    let ticket = load(p, id).await?;
    let text = value.get("body").and_then(|it| it.as_str()).unwrap_or_default();
    let expected = match (header, version_field(value.get("expected_version"))?) {
        (Some(version), _) => Some(Expected { version, precondition: true }),
        (None, Some(version)) => Some(Expected { version, precondition: false }),
        (None, None) => None,
    };

    add_comment(p, &ticket, text, expected).await?;
    let mut res = get_api(p, &ticket.id).await?;
    res = res.with_status(201);
    Ok(res)
}

fn form_version(fields: &[(String, String)]) -> Option<Expected> {
    field(fields, "version")
        .and_then(|it| it.parse::<u64>().ok())
        .map(|version| Expected { version, precondition: false })
}

/// `POST /support/tickets/{id}/comments`: the reply form.
pub async fn comment_form(p: &Portal, id: &str, req: Request) -> Handled {
    let fields = form(&body(req).await?);
    let ticket = load(p, id).await?;
    let text = field(&fields, "body").unwrap_or_default();

    match add_comment(p, &ticket, text, form_version(&fields)).await {
        Ok(()) => Ok(page::see_other(&format!("/support/tickets/{}", ticket.id))?),
        Err(super::Answer::Fail(fail)) => {
            show(p, &ticket.id, fail.status, Some(&fail.message)).await
        }
        Err(other) => Err(other),
    }
}

/// `POST /support/tickets/{id}/status`: reopen or close.
pub async fn status_form(p: &Portal, id: &str, req: Request) -> Handled {
    let fields = form(&body(req).await?);
    let ticket = load(p, id).await?;
    let to = field(&fields, "to").and_then(Status::from_code);
    let (Some(to), Some(expected)) = (to, form_version(&fields)) else {
        let message = "the form is incomplete; reload the ticket and try again";
        return show(p, &ticket.id, 400, Some(message)).await;
    };

    let change = StatusChange { to, expected_version: expected.version };
    let stored = match tickets::change_status(&ticket, change, Actor::Customer, p.now) {
        Ok(update) => p.store.update_ticket(&p.user.tenant_id, &ticket.id, &update, None).await?,
        Err(err) => {
            let fail = Fail::from(err);
            return show(p, &ticket.id, fail.status, Some(&fail.message)).await;
        }
    };
    if !stored {
        let fail = lost_race(p, &ticket, expected).await?;
        return show(p, &ticket.id, fail.status, Some(&fail.message)).await;
    }
    Ok(page::see_other(&format!("/support/tickets/{}", ticket.id))?)
}
