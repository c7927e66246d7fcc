//! The customer portal on the hub host: support tickets, subscriptions and billing, and
//! insights, as HTML pages and as a JSON API, for the user signed in to the hub.
//!
//! | route | what |
//! |---|---|
//! | `GET /support` | tickets across modules, with filters and paging |
//! | `GET, POST /support/new` | the new-ticket form (idempotent through a hidden key) |
//! | `GET /support/tickets/{id}` | a ticket: status, comments, reply and status forms |
//! | `POST /support/tickets/{id}/comments`, `.../status` | reply; reopen or close |
//! | `GET /billing` | subscriptions, orders, invoices, provisioning charges, portal link |
//! | `GET /billing/invoices/{id}` | one invoice with its lines and totals |
//! | `GET /insights` | the tenant's insights |
//! | `GET /api/portal/tickets` | list; filters `status` `module` `priority` `text`, `cursor` |
//! | `POST /api/portal/tickets` | create; idempotent under an `Idempotency-Key` header |
//! | `GET /api/portal/tickets/{id}` | a ticket and its comments; `ETag` is the version |
//! | `PATCH /api/portal/tickets/{id}` | change status (`If-Match` or `expected_version`) |
//! | `POST /api/portal/tickets/{id}/comments` | add a comment |
//! | `GET /api/portal/billing`, `/api/portal/insights` | the pages' data as JSON |
//! | `GET /api/portal/invoices/{id}` | an invoice with core's totals |
//!
//! Every rule (validation, the status machine, versions, idempotency, cursors, invoice totals,
//! insights) is core's; this module reads requests, scopes every query to the signed-in user's
//! tenant and renders. Another tenant's id answers 404, exactly like an id nobody has.

mod billing;
mod page;
mod store;
mod support;

use onegate_core::{Error as CoreError, ErrorKind};
use serde_json::json;
use worker::{Date, Env, Method, Request, Response, Result};

use crate::hub::SignedIn;
use store::Store;

/// Largest request body the portal reads, in bytes (a description is at most 10 000
/// characters, so 40 000 bytes of UTF-8, plus the other fields and form encoding).
pub const MAX_BODY_BYTES: usize = 128 * 1024;

/// True for the hub paths the portal answers.
pub fn owns(path: &str) -> bool {
    ["/support", "/billing", "/insights", "/api/portal/"].iter().any(|prefix| {
        path == prefix.trim_end_matches('/')
            || path.starts_with(&format!("{}/", prefix.trim_end_matches('/')))
    })
}

/// What every portal handler needs.
pub struct Portal {
    /// The D1 store.
    pub store: Store,
    /// The signed-in user.
    pub user: SignedIn,
    /// Unix seconds at the start of the request.
    pub now: i64,
    /// The Worker environment (the billing portal link).
    pub env: Env,
}

/// A refusal: HTTP status, stable code and a message a person can act on.
#[derive(Debug, Clone)]
pub struct Fail {
    /// HTTP status.
    pub status: u16,
    /// Stable snake_case code.
    pub code: String,
    /// What to do about it.
    pub message: String,
}

impl Fail {
    /// A refusal with this status, code and message.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Fail {
        Fail { status, code: code.to_owned(), message: message.into() }
    }

    /// The 404 for an id that is not the tenant's (whether it exists elsewhere or not).
    pub fn not_found(what: &str) -> Fail {
        Fail::new(404, "not_found", format!("there is no {what} with this id in your account"))
    }

    /// The JSON body `{error: {code, message}}` with the status.
    pub fn json(&self) -> Result<Response> {
        let body = json!({ "error": { "code": self.code, "message": self.message } });
        Ok(Response::from_json(&body)?.with_status(self.status))
    }
}

impl From<CoreError> for Fail {
    fn from(err: CoreError) -> Fail {
        let status = match err.kind() {
            ErrorKind::VersionConflict
            | ErrorKind::TicketTransitionRefused
            | ErrorKind::TicketClosed => 409,
            ErrorKind::IdempotencyKeyReused => 422,
            _ => 400,
        };
        Fail::new(status, err.code(), err.message())
    }
}

/// Answers a portal request on the hub host (the caller checked [`owns`]).
pub async fn handle(req: Request, env: Env) -> Result<Response> {
    let url = req.url()?;
    let path = url.path().to_owned();
    let api = path.starts_with("/api/portal/");

    let Some(user) = crate::hub::signed_in(&req, &env).await? else {
        if api {
            let message = "you are not signed in; sign in to the hub and try again";
            return Fail::new(401, "signed_out", message).json();
        }
        let target = format!("/signin?return_to={}", encode(&path));
        return page::see_other(&target);
    };

    if req.method() != Method::Get
        && !crate::common::same_origin(&req, &url.origin().ascii_serialization())
    {
        let fail = Fail::new(403, "cross_origin", "this change must come from the portal itself");
        return if api { fail.json() } else { page::fail(&fail, &user) };
    }

    let portal = Portal {
        store: Store::new(env.d1("DB")?),
        user,
        now: (Date::now().as_millis() / 1000) as i64,
        env,
    };
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let method = req.method();
    let answer = match (method, parts.as_slice()) {
        (Method::Get, ["support"]) => support::list_page(&portal, &url).await,
        (Method::Get, ["support", "new"]) => support::new_page(&portal).await,
        (Method::Post, ["support", "new"]) => support::create_form(&portal, req).await,
        (Method::Get, ["support", "tickets", id]) => support::ticket_page(&portal, id).await,
        (Method::Post, ["support", "tickets", id, "comments"]) => {
            support::comment_form(&portal, id, req).await
        }
        (Method::Post, ["support", "tickets", id, "status"]) => {
            support::status_form(&portal, id, req).await
        }
        (Method::Get, ["billing"]) => billing::page(&portal).await,
        (Method::Get, ["billing", "invoices", id]) => billing::invoice_page(&portal, id).await,
        (Method::Get, ["insights"]) => billing::insights_page(&portal).await,
        (Method::Get, ["api", "portal", "tickets"]) => support::list_api(&portal, &url).await,
        (Method::Post, ["api", "portal", "tickets"]) => support::create_api(&portal, req).await,
        (Method::Get, ["api", "portal", "tickets", id]) => support::get_api(&portal, id).await,
        (Method::Patch, ["api", "portal", "tickets", id]) => {
            support::patch_api(&portal, id, req).await
        }
        (Method::Post, ["api", "portal", "tickets", id, "comments"]) => {
            support::comment_api(&portal, id, req).await
        }
        (Method::Get, ["api", "portal", "billing"]) => billing::api(&portal).await,
        (Method::Get, ["api", "portal", "invoices", id]) => billing::invoice_api(&portal, id).await,
        (Method::Get, ["api", "portal", "insights"]) => billing::insights_api(&portal).await,
        (method, _) => {
            Err(Fail::new(404, "not_found", format!("there is no portal page at {method} {path}"))
                .into())
        }
    };

    match answer {
        Ok(res) => Ok(res),
        Err(Answer::Fail(fail)) if api => fail.json(),
        Err(Answer::Fail(fail)) => page::fail(&fail, &portal.user),
        Err(Answer::Worker(err)) => Err(err),
    }
}

/// Why a handler did not answer normally.
#[derive(Debug)]
pub enum Answer {
    /// A refusal to show the user.
    Fail(Fail),
    /// A runtime failure (answered 5xx by the caller).
    Worker(worker::Error),
}

impl From<Fail> for Answer {
    fn from(fail: Fail) -> Answer {
        Answer::Fail(fail)
    }
}

impl From<CoreError> for Answer {
    fn from(err: CoreError) -> Answer {
        Answer::Fail(err.into())
    }
}

impl From<worker::Error> for Answer {
    fn from(err: worker::Error) -> Answer {
        Answer::Worker(err)
    }
}

/// The result of a portal handler.
pub type Handled = std::result::Result<Response, Answer>;

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Reads at most [`MAX_BODY_BYTES`] of the body; a larger body is a 413.
pub async fn body(mut req: Request) -> std::result::Result<Vec<u8>, Answer> {
    let declared = req
        .headers()
        .get("Content-Length")
        .ok()
        .flatten()
        .and_then(|it| it.parse::<usize>().ok())
        .unwrap_or(0);
    if declared > MAX_BODY_BYTES {
        return Err(too_large().into());
    }
    let bytes = req.bytes().await?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(too_large().into());
    }
    Ok(bytes)
}

fn too_large() -> Fail {
    Fail::new(
        413,
        "body_too_large",
        format!("the request body is larger than {MAX_BODY_BYTES} bytes; shorten the text"),
    )
}

/// A form body's fields.
pub fn form(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

/// The first value of `name` in `fields`.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// True for an id that could be one of ours: short, `[A-Za-z0-9_-]`. Anything else cannot
/// exist and is answered 404 without a query.
pub fn plausible_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_owns_its_prefixes_only() {
        let rows = [
            ("/support", true),
            ("/support/new", true),
            ("/billing", true),
            ("/billing/invoices/inv_1", true),
            ("/insights", true),
            ("/api/portal/tickets", true),
            ("/supporters", false),
            ("/api/portals", false),
            ("/", false),
            ("/signin", false),
        ];
        for (path, expected) in rows {
            assert_eq!(owns(path), expected, "{path}");
        }
    }

    #[test]
    fn core_errors_map_to_statuses() {
        let rows = [
            (ErrorKind::VersionConflict, 409),
            (ErrorKind::IdempotencyKeyReused, 422),
            (ErrorKind::IdempotencyKeyInvalid, 400),
            (ErrorKind::TicketModuleUnknown, 400),
            (ErrorKind::TicketClosed, 409),
        ];
        for (kind, status) in rows {
            let fail = Fail::from(CoreError::new(kind, "m"));
            assert_eq!(fail.status, status, "{kind:?}");
            assert_eq!(fail.code, kind.code());
        }
    }

    #[test]
    fn only_plausible_ids_reach_the_database() {
        assert!(plausible_id("tk_UCYnMQZv05WbMF"));
        assert!(!plausible_id(""));
        assert!(!plausible_id("tk_1' OR 1=1"));
        assert!(!plausible_id(&"a".repeat(65)));
    }
}
