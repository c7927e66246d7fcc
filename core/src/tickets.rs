//! Support tickets: what a new ticket must hold, how its status may move and who may move it,
//! comments, the version check that catches concurrent edits, idempotency keys, and the list
//! filter with its opaque page cursor.
//!
//! The hub stores tickets; this module only decides. Raw input arrives as plain strings (as a
//! form or query string holds them) and leaves as typed values, so every refusal is a core
//! [`Error`] with a stable code and a message that names the field.
//!
//! # The status machine
//!
//! A ticket starts `new`. Support staff move it; the customer may only reopen or close a
//! resolved ticket, and a customer's comment on a ticket waiting on them hands it back to
//! support. `closed` is final: a closed ticket takes no status change and no comment (the
//! customer opens a new ticket instead).
//!
//! | from | to | who |
//! |---|---|---|
//! | new | in progress, waiting on customer, resolved | support |
//! | in progress | waiting on customer, resolved | support |
//! | waiting on customer | in progress | support, customer (also by commenting) |
//! | waiting on customer | resolved | support |
//! | resolved | in progress (reopen) | support, customer |
//! | resolved | closed | support, customer (accepts the resolution) |
//! | closed | nothing | nobody |
//!
//! # Lists
//!
//! Tickets list newest first by `(created_at, id)`, both descending. The cursor names the last
//! ticket of a page; because `created_at` never changes, paging stays stable while tickets are
//! updated. The cursor is base64url text, not signed: it carries nothing secret and the hub
//! scopes every query to the tenant, but it is parsed strictly and a malformed one is a 400.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Error, ErrorKind, Result};

/// Longest subject, in characters, after trimming.
pub const MAX_SUBJECT_CHARS: usize = 200;

/// Longest description or comment, in characters, after trimming.
pub const MAX_BODY_CHARS: usize = 10_000;

/// Longest idempotency key, in characters.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 64;

/// Largest page of a ticket list.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Page size when the query names none.
pub const DEFAULT_PAGE_SIZE: u32 = 25;

/// Longest free-text search, in characters.
pub const MAX_SEARCH_CHARS: usize = 200;

/// Longest cursor accepted, in bytes; longer input is refused before decoding.
pub const MAX_CURSOR_BYTES: usize = 512;

/// How urgent a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical: the module is unusable for the customer.
    Critical,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] =
        [Priority::Low, Priority::Medium, Priority::High, Priority::Critical];

    /// The stable code (`"critical"`), as stored and as typed in forms and query strings.
    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
            Priority::Critical => "critical",
        }
    }

    /// Parses a stable code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|it| it.code() == code)
    }
}

/// Where a ticket stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Submitted, not yet picked up.
    New,
    /// Support is working on it.
    InProgress,
    /// Support needs something from the customer.
    WaitingOnCustomer,
    /// Support considers it solved; the customer may reopen or close it.
    Resolved,
    /// Final.
    Closed,
}

impl Status {
    /// Every status, in the order a ticket usually passes through them.
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::InProgress,
        Status::WaitingOnCustomer,
        Status::Resolved,
        Status::Closed,
    ];

    /// The stable code (`"waiting_on_customer"`).
    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::WaitingOnCustomer => "waiting_on_customer",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    /// The words shown to people ("waiting on customer").
    pub fn label(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in progress",
            Status::WaitingOnCustomer => "waiting on customer",
            Status::Resolved => "resolved",
            Status::Closed => "closed",
        }
    }

    /// Parses a stable code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|it| it.code() == code)
    }
}

/// Who acts on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// A user of the tenant that owns the ticket.
    Customer,
    /// The vendor's support staff.
    Support,
}

/// Every allowed status change and who may make it; the table in the module docs. Nothing
/// leaves `closed`.
pub const TRANSITIONS: [(Status, Status, &[Actor]); 9] = [
    (Status::New, Status::InProgress, &[Actor::Support]),
    (Status::New, Status::WaitingOnCustomer, &[Actor::Support]),
    (Status::New, Status::Resolved, &[Actor::Support]),
    (Status::InProgress, Status::WaitingOnCustomer, &[Actor::Support]),
    (Status::InProgress, Status::Resolved, &[Actor::Support]),
    (Status::WaitingOnCustomer, Status::InProgress, &[Actor::Support, Actor::Customer]),
    (Status::WaitingOnCustomer, Status::Resolved, &[Actor::Support]),
    (Status::Resolved, Status::InProgress, &[Actor::Support, Actor::Customer]),
    (Status::Resolved, Status::Closed, &[Actor::Support, Actor::Customer]),
];

/// A ticket as the hub stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// Stable id within the tenant.
    pub id: String,
    /// The module the ticket is about.
    pub module_id: String,
    /// One line, 1..=200 characters.
    pub subject: String,
    /// 1..=10 000 characters.
    pub description: String,
    /// How urgent it is.
    pub priority: Priority,
    /// Where it stands.
    pub status: Status,
    /// Incremented by every change; the optimistic concurrency check compares it.
    pub version: u64,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last change (status, or a comment that changed the status).
    pub updated_at: i64,
}

/// A new ticket as submitted: raw strings, validated by [`validate_new`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTicket {
    /// The module id; must be one of the tenant's modules.
    #[serde(default)]
    pub module: String,
    /// The subject line.
    #[serde(default)]
    pub subject: String,
    /// The description.
    #[serde(default)]
    pub description: String,
    /// `low`, `medium`, `high` or `critical`.
    #[serde(default)]
    pub priority: String,
}

/// A new ticket that passed validation: trimmed text and a typed priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidTicket {
    /// One of the tenant's module ids.
    pub module_id: String,
    /// Trimmed, one line.
    pub subject: String,
    /// Trimmed.
    pub description: String,
    /// The priority.
    pub priority: Priority,
}

impl ValidTicket {
    /// The ticket this becomes when stored with `id` at `now`: status new, version 1.
    pub fn into_ticket(self, id: String, now: i64) -> Ticket {
        Ticket {
            id,
            module_id: self.module_id,
            subject: self.subject,
            description: self.description,
            priority: self.priority,
            status: Status::New,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// A SHA-256 hex digest of the validated request, stored next to its idempotency key so
    /// a retry can be told from a different request that reuses the key.
    pub fn fingerprint(&self) -> String {
        let mut hash = Sha256::new();
        for part in [self.module_id.as_str(), &self.subject, &self.description] {
            // Length-prefixed so that no two different tickets hash the same bytes.
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        hash.update(self.priority.code().as_bytes());
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Validates a submitted ticket against the tenant's module ids.
pub fn validate_new(input: &NewTicket, tenant_modules: &[String]) -> Result<ValidTicket> {
    let module = input.module.trim();
    if module.is_empty() {
        return Err(Error::new(
            ErrorKind::TicketModuleUnknown,
            "module is required; choose the module the ticket is about",
        ));
    }
    if !tenant_modules.iter().any(|it| it == module) {
        return Err(Error::new(
            ErrorKind::TicketModuleUnknown,
            format!(
                "module “{}” is not one of your modules; choose one from the list",
                clip(module)
            ),
        ));
    }

    let subject = input.subject.trim();
    let subject_chars = subject.chars().count();
    if subject_chars == 0 {
        return Err(Error::new(
            ErrorKind::TicketSubjectInvalid,
            "subject is required; say in a few words what is wrong",
        ));
    }
    if subject_chars > MAX_SUBJECT_CHARS {
        return Err(Error::new(
            ErrorKind::TicketSubjectInvalid,
            format!(
                "subject is {subject_chars} characters long; \
                 shorten it to at most {MAX_SUBJECT_CHARS}"
            ),
        ));
    }
    if subject.chars().any(char::is_control) {
        return Err(Error::new(
            ErrorKind::TicketSubjectInvalid,
            "subject must be a single line without control characters",
        ));
    }

    let description = check_body(
        "description",
        "describe what happened and what you expected",
        ErrorKind::TicketDescriptionInvalid,
        &input.description,
    )?;

    let Some(priority) = Priority::from_code(input.priority.trim()) else {
        return Err(Error::new(
            ErrorKind::TicketPriorityInvalid,
            format!(
                "priority “{}” is not one of low, medium, high or critical",
                clip(input.priority.trim())
            ),
        ));
    };

    Ok(ValidTicket {
        module_id: module.to_owned(),
        subject: subject.to_owned(),
        description,
        priority,
    })
}

/// True when `actor` may move a ticket from `from` to `to`.
pub fn may_transition(from: Status, to: Status, actor: Actor) -> bool {
    TRANSITIONS.iter().any(|(f, t, who)| *f == from && *t == to && who.contains(&actor))
}

/// Refuses a change unless the caller's `expected` version is the stored `current` one.
pub fn check_version(expected: u64, current: u64) -> Result<()> {
    if expected == current {
        return Ok(());
    }

    Err(Error::new(
        ErrorKind::VersionConflict,
        format!(
            "this ticket changed since you loaded it (you had version {expected}, \
             it is now version {current}); reload it and try again"
        ),
    ))
}

/// A requested status change, with the version the requester saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The status to move to.
    pub to: Status,
    /// The ticket version the requester loaded.
    pub expected_version: u64,
}

/// What to store after an accepted change. The hub writes it only where the stored version
/// is still `version - 1`, so two concurrent writers cannot both win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketUpdate {
    /// The new status.
    pub status: Status,
    /// The new version: the old one plus one.
    pub version: u64,
    /// Unix seconds: `now`.
    pub updated_at: i64,
}

/// Decides a status change by `actor` at `now`. The version check comes first: a requester
/// with a stale view is told to reload rather than told about a transition they never saw.
pub fn change_status(
    ticket: &Ticket,
    change: StatusChange,
    actor: Actor,
    now: i64,
) -> Result<TicketUpdate> {
    check_version(change.expected_version, ticket.version)?;

    if ticket.status == Status::Closed {
        return Err(closed());
    }

    if !may_transition(ticket.status, change.to, actor) {
        let who = match actor {
            Actor::Customer => "you",
            Actor::Support => "support",
        };
        let hint = match (actor, ticket.status) {
            (Actor::Customer, Status::Resolved) => "; you may reopen or close it",
            (Actor::Customer, Status::WaitingOnCustomer) => "; reply with a comment instead",
            (Actor::Customer, _) => "; support moves it until it is resolved",
            (Actor::Support, _) => "",
        };
        return Err(Error::new(
            ErrorKind::TicketTransitionRefused,
            format!(
                "{who} cannot move a ticket from {} to {}{hint}",
                ticket.status.label(),
                change.to.label()
            ),
        ));
    }

    let Some(version) = ticket.version.checked_add(1) else {
        return Err(Error::new(
            ErrorKind::VersionConflict,
            "this ticket cannot take more changes; open a new ticket",
        ));
    };
    Ok(TicketUpdate { status: change.to, version, updated_at: now })
}

/// A comment that passed validation, and what it does to the ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentPlan {
    /// The trimmed comment text.
    pub body: String,
    /// The status change the comment makes, if any: a customer's comment on a ticket
    /// waiting on the customer hands it back to support (in progress). Stored like
    /// [`change_status`]'s result, under the same version check.
    pub update: Option<TicketUpdate>,
}

/// Validates a comment by `actor` on `ticket` at `now`. Comments are append-only and need no
/// version; only the status change they may cause is version-checked, against the ticket the
/// caller read.
pub fn comment(ticket: &Ticket, body: &str, actor: Actor, now: i64) -> Result<CommentPlan> {
    if ticket.status == Status::Closed {
        return Err(closed());
    }

    let body = check_body("comment", "write your reply", ErrorKind::TicketCommentInvalid, body)?;

    let update = match (actor, ticket.status) {
        (Actor::Customer, Status::WaitingOnCustomer) => ticket
            .version
            .checked_add(1)
            .map(|version| TicketUpdate { status: Status::InProgress, version, updated_at: now }),
        _ => None,
    };
    Ok(CommentPlan { body, update })
}

/// Accepts an idempotency key of 1..=64 characters from `[A-Za-z0-9_-]`.
pub fn check_idempotency_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::new(
            ErrorKind::IdempotencyKeyInvalid,
            "idempotency key is empty; send 1 to 64 characters from A-Z, a-z, 0-9, _ and -",
        ));
    }
    if key.chars().count() > MAX_IDEMPOTENCY_KEY_CHARS {
        return Err(Error::new(
            ErrorKind::IdempotencyKeyInvalid,
            format!(
                "idempotency key is longer than {MAX_IDEMPOTENCY_KEY_CHARS} characters; \
                 send a shorter one, such as a uuid"
            ),
        ));
    }
    if let Some(bad) = key.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(Error::new(
            ErrorKind::IdempotencyKeyInvalid,
            format!("idempotency key contains {bad:?}; use only A-Z, a-z, 0-9, _ and -"),
        ));
    }
    Ok(())
}

/// What a create request under an idempotency key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Idempotency {
    /// The key is new: create, and store the key with the fingerprint in the same write.
    Create,
    /// The same request was already accepted: answer with the stored ticket, write nothing.
    Replay,
}

/// Decides a create under a key, given the fingerprint stored with the key (if the key was
/// seen) and the fingerprint of this request ([`ValidTicket::fingerprint`]).
pub fn idempotency(stored: Option<&str>, request: &str) -> Result<Idempotency> {
    match stored {
        None => Ok(Idempotency::Create),
        Some(it) if it == request => Ok(Idempotency::Replay),
        Some(_) => Err(Error::new(
            ErrorKind::IdempotencyKeyReused,
            "this idempotency key was already used for a different ticket; \
             send a new key for a new ticket",
        )),
    }
}

/// A list query as typed in the query string; every field optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketQuery {
    /// A status code, e.g. `waiting_on_customer`.
    #[serde(default)]
    pub status: Option<String>,
    /// A module id.
    #[serde(default)]
    pub module: Option<String>,
    /// A priority code.
    #[serde(default)]
    pub priority: Option<String>,
    /// Text searched case-insensitively in subject and description.
    #[serde(default)]
    pub text: Option<String>,
    /// 1..=100; defaults to 25.
    #[serde(default)]
    pub page_size: Option<String>,
    /// The `next_cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// A validated list query. Empty query fields mean "any".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this module.
    pub module_id: Option<String>,
    /// Only this priority.
    pub priority: Option<Priority>,
    /// Lower-cased search text.
    pub text: Option<String>,
    /// 1..=100.
    pub page_size: u32,
    /// Only tickets after this one in list order.
    pub after: Option<Cursor>,
}

/// Validates a list query against the tenant's module ids.
pub fn filter(query: &TicketQuery, tenant_modules: &[String]) -> Result<TicketFilter> {
    let given = |it: &Option<String>| {
        it.as_deref().map(str::trim).filter(|it| !it.is_empty()).map(str::to_owned)
    };

    let status = match given(&query.status) {
        None => None,
        Some(code) => Some(Status::from_code(&code).ok_or_else(|| {
            Error::new(
                ErrorKind::TicketFilterInvalid,
                format!(
                    "status “{}” is not one of new, in_progress, waiting_on_customer, \
                     resolved or closed",
                    clip(&code)
                ),
            )
        })?),
    };

    let module_id = given(&query.module);
    if let Some(module) = &module_id
        && !tenant_modules.iter().any(|it| it == module)
    {
        return Err(Error::new(
            ErrorKind::TicketFilterInvalid,
            format!("module “{}” is not one of your modules", clip(module)),
        ));
    }

    let priority = match given(&query.priority) {
        None => None,
        Some(code) => Some(Priority::from_code(&code).ok_or_else(|| {
            Error::new(
                ErrorKind::TicketFilterInvalid,
                format!("priority “{}” is not one of low, medium, high or critical", clip(&code)),
            )
        })?),
    };

    let text = given(&query.text);
    if let Some(text) = &text
        && text.chars().count() > MAX_SEARCH_CHARS
    {
        return Err(Error::new(
            ErrorKind::TicketFilterInvalid,
            format!("search text is longer than {MAX_SEARCH_CHARS} characters; shorten it"),
        ));
    }

    let page_size = match given(&query.page_size) {
        None => DEFAULT_PAGE_SIZE,
        Some(raw) => match raw.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
            _ => {
                return Err(Error::new(
                    ErrorKind::PageSizeInvalid,
                    format!(
                        "page size “{}” is not a whole number from 1 to {MAX_PAGE_SIZE}",
                        clip(&raw)
                    ),
                ));
            }
        },
    };

    let after = match given(&query.cursor) {
        None => None,
        Some(raw) => Some(Cursor::decode(&raw)?),
    };

    Ok(TicketFilter {
        status,
        module_id,
        priority,
        text: text.map(|it| it.to_lowercase()),
        page_size,
        after,
    })
}

impl TicketFilter {
    /// True when `ticket` passes every criterion, the cursor included.
    pub fn matches(&self, ticket: &Ticket) -> bool {
        self.status.is_none_or(|it| it == ticket.status)
            && self.module_id.as_deref().is_none_or(|it| it == ticket.module_id)
            && self.priority.is_none_or(|it| it == ticket.priority)
            && self.text.as_deref().is_none_or(|it| {
                ticket.subject.to_lowercase().contains(it)
                    || ticket.description.to_lowercase().contains(it)
            })
            && self.after.as_ref().is_none_or(|it| it.precedes(ticket))
    }
}

/// A position in the ticket list: the last ticket of the previous page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// That ticket's creation time, unix seconds.
    pub created_at: i64,
    /// That ticket's id.
    pub id: String,
}

impl Cursor {
    /// The cursor just after `ticket`.
    pub fn after(ticket: &Ticket) -> Cursor {
        Cursor { created_at: ticket.created_at, id: ticket.id.clone() }
    }

    /// The opaque text handed to clients: base64url of `v1.<created_at>.<id>`.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("v1.{}.{}", self.created_at, self.id))
    }

    /// Parses text made by [`Cursor::encode`]; anything else is a [`ErrorKind::CursorInvalid`].
    pub fn decode(text: &str) -> Result<Cursor> {
        let invalid = || {
            Error::new(
                ErrorKind::CursorInvalid,
                "the page cursor is not valid; load the list again from the first page",
            )
        };

        if text.is_empty() || text.len() > MAX_CURSOR_BYTES {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let plain = String::from_utf8(bytes).map_err(|_| invalid())?;

        let mut parts = plain.splitn(3, '.');
        let (Some("v1"), Some(secs), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid());
        };
        let digits = secs.strip_prefix('-').unwrap_or(secs);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let created_at = secs.parse::<i64>().map_err(|_| invalid())?;
        if id.is_empty() || id.chars().any(char::is_control) {
            return Err(invalid());
        }

        Ok(Cursor { created_at, id: id.to_owned() })
    }

    /// True when `ticket` comes after this position in list order (newest first).
    pub fn precedes(&self, ticket: &Ticket) -> bool {
        (ticket.created_at, ticket.id.as_str()) < (self.created_at, self.id.as_str())
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// At most `page_size` items, in list order.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// Cuts a page from `rows` that the store returned in list order, filtered, with a limit of
/// `page_size + 1`: the extra row only tells that another page exists.
pub fn page(mut rows: Vec<Ticket>, page_size: u32) -> Page<Ticket> {
    let size = usize::try_from(page_size).unwrap_or(usize::MAX);
    if rows.len() <= size {
        return Page { items: rows, next_cursor: None };
    }

    rows.truncate(size);
    let next_cursor = rows.last().map(|it| Cursor::after(it).encode());
    Page { items: rows, next_cursor }
}

/// Lists `tickets` held in memory: orders them newest first, applies `filter`, cuts a page.
/// The hub does the same in SQL (`ORDER BY created_at DESC, id DESC`, then [`page`]).
pub fn list(tickets: &[Ticket], filter: &TicketFilter) -> Page<Ticket> {
    let mut rows: Vec<Ticket> = tickets.iter().filter(|it| filter.matches(it)).cloned().collect();
    rows.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
    let keep = usize::try_from(filter.page_size).unwrap_or(usize::MAX).saturating_add(1);
    rows.truncate(keep);
    page(rows, filter.page_size)
}

fn check_body(field: &str, hint: &str, kind: ErrorKind, raw: &str) -> Result<String> {
    let body = raw.trim();
    let chars = body.chars().count();
    if chars == 0 {
        return Err(Error::new(kind, format!("{field} is required; {hint}")));
    }
    if chars > MAX_BODY_CHARS {
        return Err(Error::new(
            kind,
            format!("{field} is {chars} characters long; shorten it to at most {MAX_BODY_CHARS}"),
        ));
    }
    Ok(body.to_owned())
}

fn closed() -> Error {
    Error::new(
        ErrorKind::TicketClosed,
        "this ticket is closed and cannot change; open a new ticket and mention this one",
    )
}

/// Echoes at most 40 characters of a refused value, so messages stay short.
fn clip(value: &str) -> String {
    let mut out: String = value.chars().take(40).collect();
    if value.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}
