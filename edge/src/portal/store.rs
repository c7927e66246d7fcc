//! The portal's D1 access: tickets, comments, idempotency keys, billing documents, charges and
//! the facts the insights read.
//!
//! Every query takes the tenant id first and filters by it, so nothing here can return or change
//! another tenant's row; a row of another tenant is simply "not found". Values are bound as
//! parameters, never spliced into SQL.

use onegate_core::billing::{
    Invoice, InvoiceLine, InvoiceStatus, Order, OrderStatus, Subscription, SubscriptionStatus, Term,
};
use onegate_core::insights::{ModuleFacts, RecentSignIn, TenantFacts};
use onegate_core::model::{LicenseType, LoginMethod, ModuleSettings, SecurityLevel};
use onegate_core::tickets::{Priority, Status, Ticket, TicketFilter, TicketUpdate};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Result};

fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

fn int(n: i64) -> JsValue {
    // D1 numbers are JavaScript doubles; times, versions and sizes stay far below 2^53.
    JsValue::from_f64(n as f64)
}

/// Parses a stored enum code with serde (`"waiting_on_customer"` -> `Status`).
fn code<T: DeserializeOwned>(raw: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned())).ok()
}

#[derive(Deserialize)]
struct TicketRow {
    id: String,
    module_id: String,
    subject: String,
    description: String,
    priority: String,
    status: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TicketRow {
    fn into_ticket(self) -> Option<Ticket> {
        Some(Ticket {
            priority: Priority::from_code(&self.priority)?,
            status: Status::from_code(&self.status)?,
            version: u64::try_from(self.version).ok()?,
            id: self.id,
            module_id: self.module_id,
            subject: self.subject,
            description: self.description,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const TICKET_COLUMNS: &str =
    "id, module_id, subject, description, priority, status, version, created_at, updated_at";

/// A comment on a ticket.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Comment {
    /// Random id.
    pub id: String,
    /// `customer` or `support`.
    pub author_kind: String,
    /// Who wrote it.
    pub author_name: String,
    /// The text.
    pub body: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A module of the tenant, for forms and filters.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ModuleRow {
    /// Module id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A provisioning charge (core's `BillingLine`, as the gate records it).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ChargeRow {
    /// Random id.
    pub id: String,
    /// The module the seat is in.
    pub module_id: String,
    /// The hub user the seat is for.
    pub hub_user: String,
    /// The hub user's name, when the user still exists.
    pub user_name: Option<String>,
    /// `seat_added`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// What a stored idempotency key says.
#[derive(Debug, Clone, Deserialize)]
pub struct KeyRow {
    /// Core's fingerprint of the request that first used the key.
    pub fingerprint: String,
    /// The ticket it created.
    pub ticket_id: String,
}

/// Why a write did not happen.
#[derive(Debug)]
pub enum WriteError {
    /// A uniqueness rule refused the write (an idempotency key used concurrently).
    Conflict,
    /// Anything else from D1.
    Db(worker::Error),
}

impl From<worker::Error> for WriteError {
    fn from(err: worker::Error) -> Self {
        WriteError::Db(err)
    }
}

/// The portal's view of the database.
pub struct Store {
    db: D1Database,
}

impl Store {
    /// Wraps the D1 binding.
    pub fn new(db: D1Database) -> Store {
        Store { db }
    }

    fn stmt(&self, sql: &str, args: &[JsValue]) -> Result<D1PreparedStatement> {
        self.db.prepare(sql).bind(args)
    }

    async fn rows<T: DeserializeOwned>(&self, sql: &str, args: &[JsValue]) -> Result<Vec<T>> {
        self.stmt(sql, args)?.all().await?.results::<T>()
    }

    /// The tenant's modules, by name.
    pub async fn modules(&self, tenant: &str) -> Result<Vec<ModuleRow>> {
        let sql = "SELECT id, name FROM modules WHERE tenant_id = ?1 ORDER BY name, id";
        self.rows(sql, &[text(tenant)]).await
    }

    /// One ticket of the tenant.
    pub async fn ticket(&self, tenant: &str, id: &str) -> Result<Option<Ticket>> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = ?1 AND id = ?2");
        let row: Option<TicketRow> =
            self.stmt(&sql, &[text(tenant), text(id)])?.first(None).await?;
        Ok(row.and_then(TicketRow::into_ticket))
    }

    /// The tenant's tickets matching `filter`, newest first, at most `page_size + 1` rows (the
    /// extra one only tells core's `page` that another page exists).
    pub async fn list_tickets(&self, tenant: &str, filter: &TicketFilter) -> Result<Vec<Ticket>> {
        // FIXME: SQLite's lower() folds ASCII only, so a search for non-ASCII text is case
        // sensitive here while core's in-memory `list` folds Unicode; needs a folded column.
        let sql = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = ?1 \
             AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR module_id = ?3) \
             AND (?4 IS NULL OR priority = ?4) \
             AND (?5 IS NULL OR instr(lower(subject), ?5) > 0 \
                  OR instr(lower(description), ?5) > 0) \
             AND (?6 IS NULL OR created_at < ?6 OR (created_at = ?6 AND id < ?7)) \
             ORDER BY created_at DESC, id DESC LIMIT ?8"
        );
        let after = filter.after.as_ref();
        let args = [
            text(tenant),
            opt_text(filter.status.map(Status::code)),
            opt_text(filter.module_id.as_deref()),
            opt_text(filter.priority.map(Priority::code)),
            opt_text(filter.text.as_deref()),
            after.map_or(JsValue::NULL, |it| int(it.created_at)),
            opt_text(after.map(|it| it.id.as_str())),
            int(i64::from(filter.page_size) + 1),
        ];
        let rows: Vec<TicketRow> = self.rows(&sql, &args).await?;
        Ok(rows.into_iter().filter_map(TicketRow::into_ticket).collect())
    }

    /// Every ticket of the tenant (for the insights).
    pub async fn all_tickets(&self, tenant: &str) -> Result<Vec<Ticket>> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE tenant_id = ?1");
        let rows: Vec<TicketRow> = self.rows(&sql, &[text(tenant)]).await?;
        Ok(rows.into_iter().filter_map(TicketRow::into_ticket).collect())
    }

    /// The comments of one of the tenant's tickets, oldest first.
    pub async fn comments(&self, tenant: &str, ticket: &str) -> Result<Vec<Comment>> {
        let sql = "SELECT id, author_kind, author_name, body, created_at FROM ticket_comments \
                   WHERE tenant_id = ?1 AND ticket_id = ?2 ORDER BY created_at, id";
        self.rows(sql, &[text(tenant), text(ticket)]).await
    }

    /// The idempotency key `key` of the tenant, if it was used.
    pub async fn key(&self, tenant: &str, key: &str) -> Result<Option<KeyRow>> {
        let sql = "SELECT fingerprint, ticket_id FROM ticket_idempotency \
                   WHERE tenant_id = ?1 AND key = ?2";
        self.stmt(sql, &[text(tenant), text(key)])?.first(None).await
    }

    /// Stores a new ticket, and its idempotency key when given, in one transaction: either
    /// both rows exist afterwards or neither does.
    pub async fn create_ticket(
        &self,
        tenant: &str,
        user: &str,
        ticket: &Ticket,
        key: Option<(&str, &str)>,
    ) -> std::result::Result<(), WriteError> {
        let insert = self.stmt(
            "INSERT INTO tickets (id, tenant_id, module_id, subject, description, priority, \
             status, version, created_by, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            &[
                text(&ticket.id),
                text(tenant),
                text(&ticket.module_id),
                text(&ticket.subject),
                text(&ticket.description),
                text(ticket.priority.code()),
                text(ticket.status.code()),
                int(ticket.version as i64),
                text(user),
                int(ticket.created_at),
                int(ticket.updated_at),
            ],
        )?;
        let mut batch = vec![insert];
        if let Some((key, fingerprint)) = key {
            batch.push(self.stmt(
                "INSERT INTO ticket_idempotency (tenant_id, key, fingerprint, ticket_id, \
                 created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                &[
                    text(tenant),
                    text(key),
                    text(fingerprint),
                    text(&ticket.id),
                    int(ticket.created_at),
                ],
            )?);
        }
        match self.db.batch(batch).await {
            Ok(_) => Ok(()),
            Err(err) if err.to_string().contains("UNIQUE constraint failed") => {
                Err(WriteError::Conflict)
            }
            Err(err) => Err(WriteError::Db(err)),
        }
    }

    /// Writes a status change where the stored version is still `update.version - 1`, and
    /// with it the comment, if any, in one transaction. False when another change won (nothing
    /// was written).
    pub async fn update_ticket(
        &self,
        tenant: &str,
        id: &str,
        update: &TicketUpdate,
        comment: Option<&NewComment<'_>>,
    ) -> Result<bool> {
        let change_id = crate::common::sign::random_id(12)
            .map_err(|err| worker::Error::RustError(format!("no randomness: {err}")))?;
        let expected = (update.version as i64).saturating_sub(1);
        let guard = self.stmt(
            "UPDATE tickets SET status = ?1, version = ?2, updated_at = ?3, change_id = ?4 \
             WHERE tenant_id = ?5 AND id = ?6 AND version = ?7",
            &[
                text(update.status.code()),
                int(update.version as i64),
                int(update.updated_at),
                text(&change_id),
                text(tenant),
                text(id),
                int(expected),
            ],
        )?;
        let mut batch = vec![guard];
        if let Some(comment) = comment {
            // Written only if this batch's own update won: the row carries our change id.
            batch.push(self.stmt(
                "INSERT INTO ticket_comments (id, tenant_id, ticket_id, author_kind, \
                 author_name, body, created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 \
                 WHERE EXISTS (SELECT 1 FROM tickets WHERE tenant_id = ?2 AND id = ?3 \
                 AND change_id = ?8)",
                &[
                    text(comment.id),
                    text(tenant),
                    text(id),
                    text(comment.author_kind),
                    text(comment.author_name),
                    text(comment.body),
                    int(comment.created_at),
                    text(&change_id),
                ],
            )?);
        }
        let results = self.db.batch(batch).await?;
        let changed = match results.first() {
            Some(res) => res.meta()?.and_then(|m| m.changes).unwrap_or(0),
            None => 0,
        };
        Ok(changed == 1)
    }

    /// Appends a comment that changes no status.
    pub async fn add_comment(&self, tenant: &str, ticket: &str, c: &NewComment<'_>) -> Result<()> {
        self.stmt(
            "INSERT INTO ticket_comments (id, tenant_id, ticket_id, author_kind, author_name, \
             body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            &[
                text(c.id),
                text(tenant),
                text(ticket),
                text(c.author_kind),
                text(c.author_name),
                text(c.body),
                int(c.created_at),
            ],
        )?
        .run()
        .await?;
        Ok(())
    }

    /// The tenant's subscriptions.
    pub async fn subscriptions(&self, tenant: &str) -> Result<Vec<Subscription>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            module_id: String,
            plan: String,
            seats: i64,
            unit_price: i64,
            currency: String,
            term: String,
            started_at: i64,
            status: String,
        }
        let sql = "SELECT id, module_id, plan, seats, unit_price, currency, term, started_at, \
                   status FROM subscriptions WHERE tenant_id = ?1 ORDER BY module_id, id";
        let rows: Vec<Row> = self.rows(sql, &[text(tenant)]).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(Subscription {
                    seats: u32::try_from(r.seats).ok()?,
                    term: code::<Term>(&r.term)?,
                    status: code::<SubscriptionStatus>(&r.status)?,
                    id: r.id,
                    module_id: r.module_id,
                    plan: r.plan,
                    unit_price: r.unit_price,
                    currency: r.currency,
                    started_at: r.started_at,
                })
            })
            .collect())
    }

    async fn lines(&self, tenant: &str, doc: &str) -> Result<Vec<InvoiceLine>> {
        #[derive(Deserialize)]
        struct Row {
            description: String,
            module_id: Option<String>,
            quantity: i64,
            unit_price: i64,
            currency: String,
            tax_rate_bp: i64,
        }
        let sql = "SELECT description, module_id, quantity, unit_price, currency, tax_rate_bp \
                   FROM billing_doc_lines WHERE tenant_id = ?1 AND doc_id = ?2 ORDER BY position";
        let rows: Vec<Row> = self.rows(sql, &[text(tenant), text(doc)]).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(InvoiceLine {
                    quantity: u32::try_from(r.quantity).ok()?,
                    tax_rate_bp: u32::try_from(r.tax_rate_bp).ok()?,
                    description: r.description,
                    module_id: r.module_id,
                    unit_price: r.unit_price,
                    currency: r.currency,
                })
            })
            .collect())
    }

    /// The tenant's orders with their lines, newest first, each with its number.
    pub async fn orders(&self, tenant: &str) -> Result<Vec<(String, Order)>> {
        #[derive(Deserialize)]
        struct Row {
            id: String,
            number: String,
            placed_at: i64,
            status: String,
        }
        let sql = "SELECT id, number, placed_at, status FROM orders WHERE tenant_id = ?1 \
                   ORDER BY placed_at DESC, id DESC";
        let rows: Vec<Row> = self.rows(sql, &[text(tenant)]).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(status) = code::<OrderStatus>(&r.status) else { continue };
            let lines = self.lines(tenant, &r.id).await?;
            out.push((r.number, Order { id: r.id, placed_at: r.placed_at, status, lines }));
        }
        Ok(out)
    }

    /// The tenant's invoices with their lines, newest first.
    pub async fn invoices(&self, tenant: &str) -> Result<Vec<Invoice>> {
        let sql = "SELECT id, number, issued_at, due_at, status FROM invoices \
                   WHERE tenant_id = ?1 ORDER BY issued_at DESC, id DESC";
        let rows: Vec<InvoiceRow> = self.rows(sql, &[text(tenant)]).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            if let Some(invoice) = self.with_lines(tenant, r).await? {
                out.push(invoice);
            }
        }
        Ok(out)
    }

    /// One invoice of the tenant, with its lines.
    pub async fn invoice(&self, tenant: &str, id: &str) -> Result<Option<Invoice>> {
        let sql = "SELECT id, number, issued_at, due_at, status FROM invoices \
                   WHERE tenant_id = ?1 AND id = ?2";
        let row: Option<InvoiceRow> =
            self.stmt(sql, &[text(tenant), text(id)])?.first(None).await?;
        match row {
            Some(r) => self.with_lines(tenant, r).await,
            None => Ok(None),
        }
    }

    async fn with_lines(&self, tenant: &str, r: InvoiceRow) -> Result<Option<Invoice>> {
        let Some(status) = code::<InvoiceStatus>(&r.status) else {
            return Ok(None);
        };
        let lines = self.lines(tenant, &r.id).await?;
        Ok(Some(Invoice {
            id: r.id,
            number: r.number,
            issued_at: r.issued_at,
            due_at: r.due_at,
            status,
            lines,
        }))
    }

    /// The tenant's provisioning charges, newest first.
    pub async fn charges(&self, tenant: &str) -> Result<Vec<ChargeRow>> {
        let sql = "SELECT b.id, b.module_id, b.hub_user, u.name AS user_name, b.kind, b.date \
                   FROM billing_lines b LEFT JOIN hub_users u \
                   ON u.id = b.hub_user AND u.tenant_id = b.tenant_id \
                   WHERE b.tenant_id = ?1 ORDER BY b.date DESC, b.id DESC";
        self.rows(sql, &[text(tenant)]).await
    }

    /// Everything the insights read about the tenant.
    pub async fn facts(&self, tenant: &str) -> Result<TenantFacts> {
        #[derive(Deserialize)]
        struct ModRow {
            id: String,
            name: String,
            settings_json: Option<String>,
            assigned: i64,
        }
        #[derive(Deserialize)]
        struct SignInRow {
            module_id: String,
            username: String,
            license_type: String,
            method: String,
            at: i64,
        }
        #[derive(Deserialize)]
        struct LevelRow {
            module_id: String,
            id: String,
            name: String,
            active: i64,
            rank: i64,
        }

        let sql = "SELECT m.id, m.name, s.settings_json, \
                   (SELECT COUNT(*) FROM entitlements e \
                    WHERE e.tenant_id = m.tenant_id AND e.module_id = m.id) AS assigned \
                   FROM modules m LEFT JOIN module_settings s \
                   ON s.tenant_id = m.tenant_id AND s.module_id = m.id \
                   WHERE m.tenant_id = ?1 ORDER BY m.id";
        let mods: Vec<ModRow> = self.rows(sql, &[text(tenant)]).await?;
        let sql = "SELECT module_id, username, license_type, method, at FROM module_sign_ins \
                   WHERE tenant_id = ?1";
        let sign_ins: Vec<SignInRow> = self.rows(sql, &[text(tenant)]).await?;
        let sql = "SELECT module_id, id, name, active, rank FROM module_security_levels \
                   WHERE tenant_id = ?1";
        let levels: Vec<LevelRow> = self.rows(sql, &[text(tenant)]).await?;

        let modules = mods
            .into_iter()
            .map(|m| ModuleFacts {
                settings: m
                    .settings_json
                    .as_deref()
                    .and_then(|it| serde_json::from_str::<ModuleSettings>(it).ok())
                    .unwrap_or_default(),
                levels: levels
                    .iter()
                    .filter(|l| l.module_id == m.id)
                    .map(|l| SecurityLevel {
                        id: l.id.clone(),
                        name: l.name.clone(),
                        active: l.active == 1,
                        rank: u32::try_from(l.rank).unwrap_or(u32::MAX),
                    })
                    .collect(),
                sign_ins: sign_ins
                    .iter()
                    .filter(|s| s.module_id == m.id)
                    .filter_map(|s| {
                        Some(RecentSignIn {
                            username: s.username.clone(),
                            license_type: code::<LicenseType>(&s.license_type)?,
                            method: code::<LoginMethod>(&s.method)?,
                            at: s.at,
                        })
                    })
                    .collect(),
                assigned_seats: u32::try_from(m.assigned).unwrap_or(0),
                id: m.id,
                name: m.name,
            })
            .collect();

        Ok(TenantFacts {
            modules,
            subscriptions: self.subscriptions(tenant).await?,
            tickets: self.all_tickets(tenant).await?,
        })
    }
}

#[derive(Deserialize)]
struct InvoiceRow {
    id: String,
    number: String,
    issued_at: i64,
    due_at: i64,
    status: String,
}

/// A comment about to be stored.
pub struct NewComment<'a> {
    /// Random id.
    pub id: &'a str,
    /// `customer` or `support`.
    pub author_kind: &'a str,
    /// Who wrote it.
    pub author_name: &'a str,
    /// Validated text.
    pub body: &'a str,
    /// Unix seconds.
    pub created_at: i64,
}
