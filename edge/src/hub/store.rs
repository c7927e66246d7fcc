//! The hub's D1 access: users, sessions, two-factor state, throttling, clients and codes.
//!
//! Every query is bound by parameters; nothing from a request is ever spliced into SQL. Writes
//! that must happen once (using a code, a recovery code or a TOTP step, confirming enrolment)
//! are conditional `UPDATE`/`DELETE`s whose change count says whether this request won; a
//! throttle key is counted with one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, so
//! concurrent attempts never read the same count.

use onegate_core::oidc::{Client, IssuedCode};
use onegate_core::signin::ThrottleState;
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Result};

fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn opt_text(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

fn int(n: u64) -> JsValue {
    // D1 numbers are JavaScript doubles; times and steps stay far below 2^53.
    JsValue::from_f64(n as f64)
}

/// A hub account, as sign-in and token issuance need it.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    /// Stable id (the `sub` claim).
    pub id: String,
    /// The tenant the user belongs to.
    pub tenant_id: String,
    /// Lower-case email address.
    pub email: String,
    /// 1 when the hub verified the address.
    pub email_verified: i64,
    /// Display name.
    pub name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Base32 TOTP secret once two-factor is enrolled.
    pub totp_secret: Option<String>,
    /// Base32 secret shown during enrolment, until confirmed.
    pub totp_pending: Option<String>,
    /// Step of the last accepted TOTP code.
    pub totp_last_step: Option<f64>,
    /// 1 for tenant admins.
    pub is_admin: i64,
}

/// A live hub session with its user.
#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    /// The session id (the `sid` claim).
    pub id: String,
    /// Unix time the session was created (the `auth_time` claim).
    pub created_at: f64,
    /// How the user signed in: space-separated `amr` values (RFC 8176).
    pub amr: String,
}

/// A module tile on the portal home.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct ModuleTile {
    /// Module id (`psa`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The gate origin, or `None` for `<id>.<hub host>`.
    pub origin: Option<String>,
    /// One-line description.
    pub description: String,
}

#[derive(Deserialize)]
struct ClientRow {
    id: String,
    tenant_id: String,
    secret_hash: String,
    redirect_uris: String,
    post_logout_redirect_uris: String,
}

/// A registered client with what the token endpoint needs besides [`Client`].
/// A client to tell that a hub session ended ([`Store::logout_targets`]).
#[derive(Debug, Clone, Deserialize)]
pub struct LogoutTarget {
    /// The client.
    pub client_id: String,
    /// Its back-channel logout URI.
    pub uri: String,
    /// The session's user.
    pub user_id: String,
    /// The session that ended.
    pub session_id: String,
}

#[derive(Debug, Clone)]
pub struct ClientRecord {
    /// Client id and redirect URIs, for the core's checks.
    pub client: Client,
    /// The tenant that owns the module.
    pub tenant_id: String,
    /// SHA-256 (hex) of the client secret.
    pub secret_hash: String,
}

#[derive(Deserialize)]
struct CodeRow {
    client_id: String,
    tenant_id: String,
    user_id: String,
    session_id: String,
    redirect_uri: String,
    code_challenge: String,
    nonce: Option<String>,
    scope: String,
    issued_at: f64,
    used_at: Option<f64>,
}

/// A stored authorization code.
#[derive(Debug, Clone)]
pub struct CodeRecord {
    /// What the core checks.
    pub issued: IssuedCode,
    /// Tenant of the user.
    pub tenant_id: String,
    /// The signed-in user.
    pub user_id: String,
    /// The hub session the code came from.
    pub session_id: String,
    /// The client's nonce.
    pub nonce: Option<String>,
    /// Granted scopes.
    pub scope: String,
}

/// Everything to store when a code is issued.
pub struct NewCode<'a> {
    /// SHA-256 of the code.
    pub code_hash: &'a str,
    /// The client.
    pub client_id: &'a str,
    /// Tenant of the user.
    pub tenant_id: &'a str,
    /// The user.
    pub user_id: &'a str,
    /// The hub session.
    pub session_id: &'a str,
    /// Exact redirect URI of the request.
    pub redirect_uri: &'a str,
    /// PKCE challenge.
    pub code_challenge: &'a str,
    /// The client's nonce.
    pub nonce: Option<&'a str>,
    /// Granted scopes.
    pub scope: &'a str,
    /// Unix time of issue.
    pub issued_at: u64,
}

#[derive(Deserialize)]
struct NameRow {
    name: String,
}

#[derive(Deserialize)]
struct IdRow {
    id: String,
}

#[derive(Deserialize)]
struct ThrottleRow {
    failures: f64,
    window_start: f64,
}

const USER_COLUMNS: &str = "id, tenant_id, email, email_verified, name, password_hash, \
     totp_secret, totp_pending, totp_last_step, is_admin FROM hub_users";

/// The hub's view of the database.
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

    async fn changes(&self, sql: &str, args: &[JsValue]) -> Result<usize> {
        let res = self.stmt(sql, args)?.run().await?;
        Ok(res.meta()?.and_then(|m| m.changes).unwrap_or(0))
    }

    /// The user with this email (compared lower-case).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} WHERE email = ?1");
        self.stmt(&sql, &[text(&email.to_lowercase())])?.first(None).await
    }

    /// The user with this id.
    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} WHERE id = ?1");
        self.stmt(&sql, &[text(id)])?.first(None).await
    }

    /// Records `step` as the user's last TOTP step unless an equal or later one is recorded
    /// (a concurrent request with the same code loses). True when this request won.
    pub async fn use_totp_step(&self, user_id: &str, step: u64) -> Result<bool> {
        let sql = "UPDATE hub_users SET totp_last_step = ?2 WHERE id = ?1 \
                   AND (totp_last_step IS NULL OR totp_last_step < ?2)";
        Ok(self.changes(sql, &[text(user_id), int(step)]).await? == 1)
    }

    /// Stores the secret shown during enrolment.
    pub async fn set_totp_pending(&self, user_id: &str, secret: &str) -> Result<()> {
        let sql = "UPDATE hub_users SET totp_pending = ?2 WHERE id = ?1 AND totp_secret IS NULL";
        self.changes(sql, &[text(user_id), text(secret)]).await.map(|_| ())
    }

    /// Confirms enrolment of `secret` (the user's pending secret, as the sign-in in progress
    /// showed it): it becomes the secret, `step` the last used step, and `recovery_hashes`
    /// replace any earlier recovery codes, all in one D1 batch (a transaction). Every statement
    /// is conditional on the same pending secret, so nothing changes when the user is already
    /// enrolled or a newer sign-in replaced the secret; false then.
    pub async fn confirm_totp(
        &self,
        user_id: &str,
        secret: &str,
        step: u64,
        recovery_hashes: &[String],
    ) -> Result<bool> {
        const PENDING: &str = "EXISTS (SELECT 1 FROM hub_users WHERE id = ?1 \
                               AND totp_secret IS NULL AND totp_pending = ?2)";
        let hashes = serde_json::to_string(recovery_hashes)
            .map_err(|e| worker::Error::RustError(e.to_string()))?;
        let batch = vec![
            self.stmt(
                &format!("DELETE FROM hub_recovery_codes WHERE user_id = ?1 AND {PENDING}"),
                &[text(user_id), text(secret)],
            )?,
            self.stmt(
                &format!(
                    "INSERT INTO hub_recovery_codes (user_id, code_hash) \
                     SELECT ?1, value FROM json_each(?3) WHERE {PENDING}"
                ),
                &[text(user_id), text(secret), text(&hashes)],
            )?,
            self.stmt(
                "UPDATE hub_users SET totp_secret = totp_pending, totp_pending = NULL, \
                 totp_last_step = ?3 WHERE id = ?1 AND totp_secret IS NULL \
                 AND totp_pending = ?2",
                &[text(user_id), text(secret), int(step)],
            )?,
        ];
        let results = self.db.batch(batch).await?;
        let confirmed =
            results.last().and_then(|r| r.meta().ok().flatten()).and_then(|m| m.changes);
        Ok(confirmed == Some(1))
    }

    /// Deletes a recovery code; true when it existed (so it is now used up).
    pub async fn use_recovery_code(&self, user_id: &str, code_hash: &str) -> Result<bool> {
        let sql = "DELETE FROM hub_recovery_codes WHERE user_id = ?1 AND code_hash = ?2";
        Ok(self.changes(sql, &[text(user_id), text(code_hash)]).await? == 1)
    }

    /// Recovery codes the user has left.
    pub async fn recovery_codes_left(&self, user_id: &str) -> Result<u64> {
        let sql = "SELECT COUNT(*) AS n FROM hub_recovery_codes WHERE user_id = ?1";
        let n: Option<f64> = self.stmt(sql, &[text(user_id)])?.first(Some("n")).await?;
        Ok(n.unwrap_or(0.0) as u64)
    }

    /// Counts one attempt against a throttle key in one atomic statement and returns the key's
    /// state including it (`onegate_core::signin::count_attempt` in SQL): a key whose window of
    /// `window_secs` has ended starts a new one at `now`. Concurrent attempts each get their own
    /// count, so they cannot all see the key below its limit.
    pub async fn count_attempt(
        &self,
        key: &str,
        now: u64,
        window_secs: u64,
    ) -> Result<ThrottleState> {
        let sql = "INSERT INTO hub_signin_throttle (key, failures, window_start) \
                   VALUES (?1, 1, ?2) ON CONFLICT (key) DO UPDATE SET \
                   failures = CASE WHEN ?2 >= window_start + ?3 THEN 1 ELSE failures + 1 END, \
                   window_start = CASE WHEN ?2 >= window_start + ?3 THEN ?2 \
                   ELSE window_start END \
                   RETURNING failures, window_start";
        let args = [text(key), int(now), int(window_secs)];
        let row: Option<ThrottleRow> = self.stmt(sql, &args)?.first(None).await?;
        let Some(row) = row else {
            return Err(worker::Error::RustError("the throttle upsert returned no row".into()));
        };
        Ok(ThrottleState { failures: row.failures as u32, window_start: row.window_start as u64 })
    }

    /// Gives back one attempt counted against a throttle key (its check succeeded, or it was
    /// never checked because another key refused it).
    pub async fn release_attempt(&self, key: &str) -> Result<()> {
        let sql = "UPDATE hub_signin_throttle SET failures = failures - 1 \
                   WHERE key = ?1 AND failures > 0";
        self.changes(sql, &[text(key)]).await.map(|_| ())
    }

    /// Forgets a throttle key (after a complete sign-in).
    pub async fn clear_throttle(&self, key: &str) -> Result<()> {
        let sql = "DELETE FROM hub_signin_throttle WHERE key = ?1";
        self.changes(sql, &[text(key)]).await.map(|_| ())
    }

    /// Creates a session; `replaces` is the session the browser held before, if any.
    pub async fn create_session(
        &self,
        id: &str,
        user: &User,
        now: u64,
        expires_at: u64,
        amr: &str,
        replaces: Option<&str>,
    ) -> Result<()> {
        let sql = "INSERT INTO hub_sessions \
                   (id, tenant_id, user_id, created_at, expires_at, amr, replaces) \
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
        let replaces = replaces.map_or(JsValue::NULL, JsValue::from);
        let args = [
            text(id),
            text(&user.tenant_id),
            text(&user.id),
            int(now),
            int(expires_at),
            text(amr),
            replaces,
        ];
        self.changes(sql, &args).await.map(|_| ())
    }

    /// The session with this id and its user, if neither revoked nor expired at `now`.
    pub async fn live_session(&self, id: &str, now: u64) -> Result<Option<(Session, User)>> {
        let sql = "SELECT id, user_id, created_at, amr FROM hub_sessions \
                   WHERE id = ?1 AND revoked_at IS NULL AND expires_at > ?2";
        #[derive(Deserialize)]
        struct Row {
            id: String,
            user_id: String,
            created_at: f64,
            amr: String,
        }
        let row: Option<Row> = self.stmt(sql, &[text(id), int(now)])?.first(None).await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let Some(user) = self.user_by_id(&row.user_id).await? else {
            return Ok(None);
        };
        let session = Session { id: row.id, created_at: row.created_at, amr: row.amr };
        Ok(Some((session, user)))
    }

    /// Revokes a session and the sessions it replaced in the same browser; gates notice through
    /// `hub_sessions.revoked_at`. `UNION` (not `UNION ALL`) ends the walk on a repeated id.
    /// Returns the ids revoked now (not those revoked before).
    pub async fn revoke_session(&self, id: &str, now: u64) -> Result<Vec<String>> {
        let sql = "WITH RECURSIVE chain(id) AS (SELECT ?1 UNION \
                   SELECT s.replaces FROM hub_sessions s JOIN chain c ON s.id = c.id \
                   WHERE s.replaces IS NOT NULL) \
                   UPDATE hub_sessions SET revoked_at = ?2 \
                   WHERE id IN (SELECT id FROM chain) AND revoked_at IS NULL RETURNING id";
        let rows: Vec<IdRow> = self.stmt(sql, &[text(id), int(now)])?.all().await?.results()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// The clients to tell that `sessions` ended: those with a back-channel logout URI that
    /// exchanged a code of one of them, with the session and its user.
    pub async fn logout_targets(&self, sessions: &[String]) -> Result<Vec<LogoutTarget>> {
        if sessions.is_empty() {
            return Ok(Vec::new());
        }
        let sql = "SELECT DISTINCT c.id AS client_id, c.backchannel_logout_uri AS uri, \
                   a.user_id AS user_id, a.session_id AS session_id \
                   FROM auth_codes a JOIN clients c ON c.id = a.client_id \
                   WHERE a.session_id IN (SELECT value FROM json_each(?1)) \
                   AND a.used_at IS NOT NULL AND c.backchannel_logout_uri IS NOT NULL";
        let ids = serde_json::to_string(sessions).unwrap_or_else(|_| "[]".into());
        self.stmt(sql, &[text(&ids)])?.all().await?.results()
    }

    /// The names of the user's hub groups, sorted.
    pub async fn group_names(&self, user_id: &str) -> Result<Vec<String>> {
        let sql = "SELECT g.name AS name FROM hub_groups g \
                   JOIN hub_group_members m ON m.group_id = g.id \
                   WHERE m.user_id = ?1 ORDER BY g.name";
        let rows: Vec<NameRow> = self.stmt(sql, &[text(user_id)])?.all().await?.results()?;
        Ok(rows.into_iter().map(|r| r.name).collect())
    }

    /// The ids of the modules the user is entitled to, sorted.
    pub async fn entitlement_ids(&self, user_id: &str) -> Result<Vec<String>> {
        let sql = "SELECT e.module_id AS id FROM entitlements e \
                   JOIN hub_users u ON u.id = e.user_id AND u.tenant_id = e.tenant_id \
                   WHERE e.user_id = ?1 ORDER BY e.module_id";
        let rows: Vec<IdRow> = self.stmt(sql, &[text(user_id)])?.all().await?.results()?;
        Ok(rows.into_iter().map(|r| r.id).collect())
    }

    /// The modules the user is entitled to, for the portal tiles.
    pub async fn tiles(&self, user: &User) -> Result<Vec<ModuleTile>> {
        let sql = "SELECT m.id AS id, m.name AS name, m.origin AS origin, \
                   m.description AS description FROM entitlements e \
                   JOIN modules m ON m.id = e.module_id AND m.tenant_id = e.tenant_id \
                   WHERE e.user_id = ?1 AND e.tenant_id = ?2 ORDER BY m.name";
        let args = [text(&user.id), text(&user.tenant_id)];
        self.stmt(sql, &args)?.all().await?.results()
    }

    /// The registered client with this id.
    pub async fn client(&self, id: &str) -> Result<Option<ClientRecord>> {
        let sql = "SELECT id, tenant_id, secret_hash, redirect_uris, post_logout_redirect_uris \
                   FROM clients WHERE id = ?1";
        let row: Option<ClientRow> = self.stmt(sql, &[text(id)])?.first(None).await?;
        Ok(row.map(|r| ClientRecord {
            client: Client {
                id: r.id,
                redirect_uris: serde_json::from_str(&r.redirect_uris).unwrap_or_default(),
                post_logout_redirect_uris: serde_json::from_str(&r.post_logout_redirect_uris)
                    .unwrap_or_default(),
            },
            tenant_id: r.tenant_id,
            secret_hash: r.secret_hash,
        }))
    }

    /// The stored gate origin of a module: `None` when the module does not exist,
    /// `Some(None)` when its origin is derived from the hub's (`<id>.<hub host>`).
    pub async fn module_origin(&self, id: &str) -> Result<Option<Option<String>>> {
        #[derive(Deserialize)]
        struct Row {
            origin: Option<String>,
        }
        let sql = "SELECT origin FROM modules WHERE id = ?1";
        let row: Option<Row> = self.stmt(sql, &[text(id)])?.first(None).await?;
        Ok(row.map(|r| r.origin))
    }

    /// Stores a new authorization code.
    pub async fn insert_code(&self, code: &NewCode<'_>) -> Result<()> {
        let sql = "INSERT INTO auth_codes (code_hash, client_id, tenant_id, user_id, session_id, \
                   redirect_uri, code_challenge, nonce, scope, issued_at) \
                   VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
        let args = [
            text(code.code_hash),
            text(code.client_id),
            text(code.tenant_id),
            text(code.user_id),
            text(code.session_id),
            text(code.redirect_uri),
            text(code.code_challenge),
            opt_text(code.nonce),
            text(code.scope),
            int(code.issued_at),
        ];
        self.changes(sql, &args).await.map(|_| ())
    }

    /// The code stored under this hash.
    pub async fn code(&self, code_hash: &str) -> Result<Option<CodeRecord>> {
        let sql = "SELECT client_id, tenant_id, user_id, session_id, redirect_uri, \
                   code_challenge, nonce, scope, issued_at, used_at FROM auth_codes \
                   WHERE code_hash = ?1";
        let row: Option<CodeRow> = self.stmt(sql, &[text(code_hash)])?.first(None).await?;
        Ok(row.map(|r| CodeRecord {
            issued: IssuedCode {
                client_id: r.client_id,
                redirect_uri: r.redirect_uri,
                code_challenge: r.code_challenge,
                issued_at: r.issued_at as u64,
                used_at: r.used_at.map(|t| t as u64),
            },
            tenant_id: r.tenant_id,
            user_id: r.user_id,
            session_id: r.session_id,
            nonce: r.nonce,
            scope: r.scope,
        }))
    }

    /// Marks a code used; true when this request was the first to use it.
    pub async fn use_code(&self, code_hash: &str, now: u64) -> Result<bool> {
        let sql = "UPDATE auth_codes SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL";
        Ok(self.changes(sql, &[text(code_hash), int(now)]).await? == 1)
    }
}
