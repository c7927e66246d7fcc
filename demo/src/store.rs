//! D1 access for one module: every query filters by the module, so a module never reads or
//! changes another module's users.

use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, Env, Result};

use crate::model::{Device, SecurityLevel, Settings, Ticket, User, UserFields};
use crate::module::{Kind, Module};

/// The D1 binding holding every module's tables.
pub const DB_BINDING: &str = "DB";

const USER_COLUMNS: &str = "u.id, u.username, u.email, u.password_hash, u.license_type, \
     u.security_level_id, sl.name AS security_level_name, u.department, u.role, \
     u.timesheet_approver, u.expense_report_approver, u.active, u.external_id, \
     u.created_at, u.updated_at \
     FROM users u LEFT JOIN security_levels sl ON sl.id = u.security_level_id";

/// The outcome of a write that may collide with a unique user name or external id.
#[derive(Debug)]
pub enum Write {
    /// The row as stored.
    Done(Box<User>),
    /// Another user of the module already has that user name or external id.
    Duplicate,
    /// The user does not exist (updates only).
    Missing,
}

/// A change an administrator makes to one of the module's security levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelChange {
    /// Mark it inactive: it can no longer be given to users.
    Inactivate,
    /// Mark it active again.
    Activate,
    /// Delete it.
    Delete,
}

impl LevelChange {
    /// The change a path segment names (`inactivate`, `activate`, `delete`).
    pub fn parse(action: &str) -> Option<LevelChange> {
        match action {
            "inactivate" => Some(LevelChange::Inactivate),
            "activate" => Some(LevelChange::Activate),
            "delete" => Some(LevelChange::Delete),
            _ => None,
        }
    }
}

/// One module's view of the database.
pub struct Store {
    db: D1Database,
    module: Module,
}

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

fn int(n: i64) -> JsValue {
    // D1 numbers are JavaScript doubles; ids stay far below 2^53.
    JsValue::from_f64(n as f64)
}

fn is_unique_violation(e: &worker::Error) -> bool {
    e.to_string().contains("UNIQUE constraint failed")
}

impl Store {
    /// Opens the store of `module`.
    pub fn open(env: &Env, module: Module) -> Result<Self> {
        Ok(Store { db: env.d1(DB_BINDING)?, module })
    }

    fn slug(&self) -> JsValue {
        text(self.module.slug())
    }

    /// The user with this user name, ignoring case.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} WHERE u.module = ?1 AND u.username = ?2");
        self.db.prepare(sql).bind(&[self.slug(), text(username)])?.first(None).await
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} WHERE u.module = ?1 AND u.id = ?2");
        self.db.prepare(sql).bind(&[self.slug(), int(id)])?.first(None).await
    }

    /// Every user of the module, by id.
    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} WHERE u.module = ?1 ORDER BY u.id");
        self.db.prepare(sql).bind(&[self.slug()])?.all().await?.results()
    }

    /// The module's security levels, most privileged first.
    pub async fn security_levels(&self) -> Result<Vec<SecurityLevel>> {
        let sql = "SELECT id, name, active, rank FROM security_levels WHERE module = ?1 \
                   ORDER BY rank DESC, id";
        self.db.prepare(sql).bind(&[self.slug()])?.all().await?.results()
    }

    /// How many of the module's users hold security level `id`.
    pub async fn users_at_level(&self, id: i64) -> Result<i64> {
        #[derive(Deserialize)]
        struct Count {
            n: i64,
        }
        let sql = "SELECT COUNT(*) AS n FROM users WHERE module = ?1 AND security_level_id = ?2";
        let row: Option<Count> =
            self.db.prepare(sql).bind(&[self.slug(), int(id)])?.first(None).await?;
        Ok(row.map_or(0, |it| it.n))
    }

    /// Applies `change` to the module's security level `id`.
    pub async fn change_level(&self, id: i64, change: LevelChange) -> Result<()> {
        let sql = match change {
            LevelChange::Inactivate => {
                "UPDATE security_levels SET active = 0 WHERE module = ?1 AND id = ?2"
            }
            LevelChange::Activate => {
                "UPDATE security_levels SET active = 1 WHERE module = ?1 AND id = ?2"
            }
            LevelChange::Delete => "DELETE FROM security_levels WHERE module = ?1 AND id = ?2",
        };
        self.db.prepare(sql).bind(&[self.slug(), int(id)])?.run().await?;
        Ok(())
    }

    /// The module's defaults for new accounts.
    pub async fn settings(&self) -> Result<Option<Settings>> {
        let sql = "SELECT default_security_level_id, default_license_type, default_department, \
                   default_role, default_timesheet_approver, default_expense_report_approver \
                   FROM module_settings WHERE module = ?1";
        self.db.prepare(sql).bind(&[self.slug()])?.first(None).await
    }

    /// Creates a user; `password_hash` is the hash of `fields.new_password`, if any.
    pub async fn insert_user(&self, f: &UserFields, password_hash: Option<&str>) -> Result<Write> {
        let sql = "INSERT INTO users (module, username, email, password_hash, license_type, \
                   security_level_id, department, role, timesheet_approver, \
                   expense_report_approver, active, external_id) \
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";
        let args = [
            self.slug(),
            text(&f.username),
            opt_text(f.email.as_deref()),
            opt_text(password_hash),
            text(&f.license_type),
            int(f.security_level_id),
            text(&f.department),
            text(&f.role),
            text(&f.timesheet_approver),
            text(&f.expense_report_approver),
            int(i64::from(f.active)),
            opt_text(f.external_id.as_deref()),
        ];
        let row: Option<IdRow> = match self.db.prepare(sql).bind(&args)?.first(None).await {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => return Ok(Write::Duplicate),
            Err(e) => return Err(e),
        };
        let Some(IdRow { id }) = row else { return Ok(Write::Missing) };
        Ok(self.user_by_id(id).await?.map_or(Write::Missing, |u| Write::Done(Box::new(u))))
    }

    /// Replaces a user's writable fields; the password only when a new hash is given.
    pub async fn update_user(
        &self,
        id: i64,
        f: &UserFields,
        password_hash: Option<&str>,
    ) -> Result<Write> {
        let sql = "UPDATE users SET username = ?3, email = ?4, \
                   password_hash = COALESCE(?5, password_hash), license_type = ?6, \
                   security_level_id = ?7, department = ?8, role = ?9, timesheet_approver = ?10, \
                   expense_report_approver = ?11, active = ?12, external_id = ?13, \
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') \
                   WHERE module = ?1 AND id = ?2";
        let args = [
            self.slug(),
            int(id),
            text(&f.username),
            opt_text(f.email.as_deref()),
            opt_text(password_hash),
            text(&f.license_type),
            int(f.security_level_id),
            text(&f.department),
            text(&f.role),
            text(&f.timesheet_approver),
            text(&f.expense_report_approver),
            int(i64::from(f.active)),
            opt_text(f.external_id.as_deref()),
        ];
        match self.db.prepare(sql).bind(&args)?.run().await {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => return Ok(Write::Duplicate),
            Err(e) => return Err(e),
        }
        Ok(self.user_by_id(id).await?.map_or(Write::Missing, |u| Write::Done(Box::new(u))))
    }

    /// Deletes a user; whether one was deleted.
    pub async fn delete_user(&self, id: i64) -> Result<bool> {
        let sql = "DELETE FROM users WHERE module = ?1 AND id = ?2 RETURNING id";
        let gone: Option<IdRow> =
            self.db.prepare(sql).bind(&[self.slug(), int(id)])?.first(None).await?;
        Ok(gone.is_some())
    }

    /// The module's tickets (empty for modules that are not a PSA).
    pub async fn tickets(&self) -> Result<Vec<Ticket>> {
        if self.module.kind() != Kind::Psa {
            return Ok(Vec::new());
        }
        let sql = "SELECT number, title, account, status, priority FROM psa_tickets \
                   WHERE module = ?1 ORDER BY id";
        self.db.prepare(sql).bind(&[self.slug()])?.all().await?.results()
    }

    /// The module's devices (empty for modules that are not an RMM).
    pub async fn devices(&self) -> Result<Vec<Device>> {
        if self.module.kind() != Kind::Rmm {
            return Ok(Vec::new());
        }
        let sql = "SELECT hostname, os, status, last_seen FROM rmm_devices WHERE module = ?1 \
                   ORDER BY hostname";
        self.db.prepare(sql).bind(&[self.slug()])?.all().await?.results()
    }
}
