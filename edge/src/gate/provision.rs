//! Provisioning at hub sign-in: the module account a hub user signs in as.
//!
//! At every hub sign-in to a module the gate gathers the facts ([`gather`]: the module's
//! security levels and the accounts this sign-in concerns, over SCIM; the tenant's hub groups and
//! the gate's links, from D1), asks core for the plan (`onegate_core::provisioning::plan`) and
//! carries it out ([`carry_out`]): create the account (of the user, the username and security
//! level only, with the module records core names for it), link an existing one, or set its
//! security level from the access groups again. A created account's link and its billing line
//! are one D1 batch, so no created account is linked without its charge; a pending seat written
//! before the create charges an account the module made but the gate failed to record, when a
//! later sign-in links it ([`settle_pending`]). Every outcome, also a
//! failure to gather the facts, writes an audit row with ids and codes only. The levels read
//! from the module are stored in D1 for the insights ([`super::levels::sync`]).
//!
//! Concurrent first sign-ins of one user converge on one account: the module refuses a second
//! account with the same username (SCIM 409 `uniqueness`) and D1 refuses a second link for the
//! hub user or the account. A request that loses either race gathers the facts again and
//! plans once more, so it links the account the winner created instead of creating another.

use onegate_core::Error;
use onegate_core::model::{HubGroup, HubUser, LicenseType, ModuleAccount, SecurityLevel};
use onegate_core::provisioning::{self, BillingLine, Plan, ProvisioningInput, SignInClaims};
use onegate_core::token::VerifiedClaims;
use serde::Deserialize;
use serde_json::json;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use super::scim::{Created, ScimClient, ScimFailure, same_email_filter};
use super::{Cx, levels};
use crate::common::sign::random_id;

/// How often the facts are gathered and planned again after losing a race.
pub const MAX_ATTEMPTS: usize = 4;

/// Why provisioning did not end with an account to sign in as.
#[derive(Debug)]
pub enum Failure {
    /// Core refused the plan; its message says what to do.
    Refused(Error),
    /// The module or the gate's store could not be used; trying again may work.
    Unavailable(String),
}

impl From<ScimFailure> for Failure {
    fn from(it: ScimFailure) -> Failure {
        Failure::Unavailable(it.message())
    }
}

/// Everything the plan reads about one sign-in.
#[derive(Debug, Clone)]
pub struct Facts {
    /// The hub user, with the ids of their hub groups.
    pub user: HubUser,
    /// The tenant's hub groups.
    pub groups: Vec<HubGroup>,
    /// The module's security levels.
    pub levels: Vec<SecurityLevel>,
    /// The account linked to the user, and those with the user's email.
    pub accounts: Vec<ModuleAccount>,
}

impl Facts {
    /// The account the login decision is about (core's [`provisioning::login_account`]).
    pub fn login_account(&self) -> Option<&ModuleAccount> {
        provisioning::login_account(&self.user, &self.accounts)
    }
}

/// What provisioning ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The module username the user is signed in as.
    pub username: String,
    /// `create`, `link`, `update_level` or `nothing`.
    pub action: &'static str,
}

/// Gathers the facts of a sign-in by the user of `claims`. A failure writes its provisioning
/// audit row (the hub user id and the reason's code, nothing personal).
pub async fn gather(cx: &Cx<'_>, claims: &VerifiedClaims) -> Result<Facts, Failure> {
    let facts = read_facts(cx, claims).await;
    if let Err(failure) = &facts {
        let (outcome, rule) = match failure {
            Failure::Refused(err) => ("refused", err.code()),
            Failure::Unavailable(_) => ("failed", "module_unavailable"),
        };
        audit(cx, claims.subject(), outcome, rule, json!({ "step": "gather" })).await;
    }
    facts
}

async fn read_facts(cx: &Cx<'_>, claims: &VerifiedClaims) -> Result<Facts, Failure> {
    let scim = ScimClient::of(cx)?;
    let db = store(cx)?;
    let groups = hub_groups(cx, &db).await?;
    let said = SignInClaims {
        subject: claims.subject(),
        email: claims.email(),
        email_verified: claims.email_verified(),
        groups: claims.groups(),
    };
    let user = provisioning::hub_user(said, &groups).map_err(Failure::Refused)?;
    let levels = scim.security_levels().await?;
    levels::sync(cx.env, &cx.gm.tenant_id, &cx.gm.module.id, &levels).await;

    let mut accounts = Vec::new();
    if let Some(account_id) = linked_account(cx, &db, &user.id).await? {
        match scim.user(&account_id).await? {
            Some(mut account) => {
                account.hub_user = Some(user.id.clone());
                accounts.push(account);
            }
            None => unlink(cx, &db, &user.id).await?,
        }
    }
    if let Some(filter) = same_email_filter(&user.email) {
        for mut account in scim.users(&filter).await? {
            if accounts.iter().any(|it| it.id == account.id) {
                continue;
            }
            account.hub_user = owner(cx, &db, &account.id).await?;
            accounts.push(account);
        }
    }

    Ok(Facts { user, groups, levels, accounts })
}

/// Plans and carries out provisioning for the sign-in of `facts`, gathering the facts again
/// (at most [`MAX_ATTEMPTS`] times) when a concurrent sign-in changed them.
pub async fn carry_out(
    cx: &Cx<'_>,
    claims: &VerifiedClaims,
    mut facts: Facts,
    entitled: bool,
) -> Result<Done, Failure> {
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            facts = gather(cx, claims).await?;
        }
        let input = ProvisioningInput {
            module_id: &cx.gm.module.id,
            module_name: &cx.gm.module.name,
            user: &facts.user,
            entitled,
            settings: &cx.gm.settings,
            groups: &facts.groups,
            levels: &facts.levels,
            accounts: &facts.accounts,
            now: cx.now,
        };
        let plan = match provisioning::plan(input) {
            Ok(plan) => plan,
            Err(err) => {
                audit(cx, &facts.user.id, "refused", err.code(), json!({})).await;
                return Err(Failure::Refused(err));
            }
        };
        match execute(cx, &facts, &plan).await {
            Ok(Some(done)) => {
                audit(cx, &facts.user.id, done.action, reason(&plan), detail(&plan)).await;
                return Ok(done);
            }
            Ok(None) => continue,
            Err(err) => {
                audit(cx, &facts.user.id, "failed", "module_unavailable", detail(&plan)).await;
                return Err(err);
            }
        }
    }
    Err(Failure::Unavailable(
        "kept changing while your account was being set up; sign in again".to_owned(),
    ))
}

/// Carries out `plan`; `None` when a concurrent sign-in got in the way and the facts must be
/// gathered again.
async fn execute(cx: &Cx<'_>, facts: &Facts, plan: &Plan) -> Result<Option<Done>, Failure> {
    let scim = ScimClient::of(cx)?;
    let db = store(cx)?;
    let user = &facts.user.id;
    let done = |action| Some(Done { username: plan.username().to_owned(), action });

    match plan {
        Plan::Create { billing, .. } => {
            let (Some(payload), Some(references)) =
                (plan.sync_payload(), plan.account_references())
            else {
                return Err(Failure::Unavailable("had nothing to create".to_owned()));
            };
            let pending = record_pending(cx, &db, billing).await?;
            let body = match scim.create(&payload, &references).await? {
                Created::Account(body) => body,
                Created::Taken => {
                    drop_pending(&db, &pending).await?;
                    return Ok(None);
                }
                Created::Refused(failure) => {
                    drop_pending(&db, &pending).await?;
                    return Err(failure.into());
                }
            };
            let Some(account_id) = body.get("id").and_then(|it| it.as_str()) else {
                return Err(Failure::Unavailable(
                    "the module created an account but did not say its id".to_owned(),
                ));
            };
            let link = Link { account_id, username: &payload.username, license: LicenseType::Full };
            if !claim_created(cx, &db, user, link, billing).await? {
                return Ok(None);
            }
            Ok(done("create"))
        }
        Plan::Link { account_id, username, set_level, .. } => {
            let license = facts
                .accounts
                .iter()
                .find(|it| it.id == *account_id)
                .map_or(LicenseType::Full, |it| it.license_type);
            let link = Link { account_id, username, license };
            if !claim_link(cx, &db, user, link).await? {
                return Ok(None);
            }
            if let Some(level) = set_level
                && !scim.set_level(account_id, level).await?
            {
                unlink(cx, &db, user).await?;
                return Ok(None);
            }
            settle_pending(cx, &db, user, account_id).await?;
            Ok(done("link"))
        }
        Plan::UpdateLevel { account_id, to, .. } => {
            if !scim.set_level(account_id, to).await? {
                unlink(cx, &db, user).await?;
                return Ok(None);
            }
            Ok(done("update_level"))
        }
        Plan::Nothing { .. } => Ok(done("nothing")),
    }
}

/// The rule that chose the level, for the audit row.
fn reason(plan: &Plan) -> &'static str {
    let resolution = match plan {
        Plan::Create { resolution, .. }
        | Plan::Link { resolution, .. }
        | Plan::UpdateLevel { resolution, .. }
        | Plan::Nothing { resolution, .. } => resolution,
    };
    resolution.reason.code()
}

/// Ids and level ids of `plan`, for the audit row (never a username or an email).
fn detail(plan: &Plan) -> serde_json::Value {
    match plan {
        Plan::Create { account, .. } => json!({ "level": account.security_level }),
        Plan::Link { account_id, set_level, .. } => {
            json!({ "account": account_id, "level": set_level })
        }
        Plan::UpdateLevel { account_id, from, to, .. } => {
            json!({ "account": account_id, "from": from, "to": to })
        }
        Plan::Nothing { account_id, .. } => json!({ "account": account_id }),
    }
}

fn store(cx: &Cx<'_>) -> Result<D1Database, Failure> {
    cx.env.d1("DB").map_err(|_| Failure::Unavailable("the gate's database is not bound".into()))
}

fn unavailable<E>(_: E) -> Failure {
    Failure::Unavailable("the gate's database did not answer; try again".to_owned())
}

fn bind(statement: D1PreparedStatement, values: &[&str]) -> Result<D1PreparedStatement, Failure> {
    let values: Vec<JsValue> = values.iter().map(|it| JsValue::from_str(it)).collect();
    statement.bind(&values).map_err(unavailable)
}

async fn hub_groups(cx: &Cx<'_>, db: &D1Database) -> Result<Vec<HubGroup>, Failure> {
    #[derive(Deserialize)]
    struct Row {
        id: String,
        name: String,
    }
    let statement = bind(
        db.prepare("SELECT id, name FROM hub_groups WHERE tenant_id = ?1 ORDER BY id"),
        &[&cx.gm.tenant_id],
    )?;
    let rows = statement.all().await.map_err(unavailable)?.results::<Row>().map_err(unavailable)?;
    Ok(rows.into_iter().map(|it| HubGroup { id: it.id, name: it.name }).collect())
}

#[derive(Deserialize)]
struct LinkRow {
    account_id: Option<String>,
    hub_user_id: Option<String>,
}

async fn linked_account(
    cx: &Cx<'_>,
    db: &D1Database,
    hub_user: &str,
) -> Result<Option<String>, Failure> {
    let statement = bind(
        db.prepare(
            "SELECT account_id, hub_user_id FROM module_account_links \
             WHERE tenant_id = ?1 AND module_id = ?2 AND hub_user_id = ?3",
        ),
        &[&cx.gm.tenant_id, &cx.gm.module.id, hub_user],
    )?;
    let row = statement.first::<LinkRow>(None).await.map_err(unavailable)?;
    Ok(row.and_then(|it| it.account_id))
}

async fn owner(cx: &Cx<'_>, db: &D1Database, account_id: &str) -> Result<Option<String>, Failure> {
    let statement = bind(
        db.prepare(
            "SELECT account_id, hub_user_id FROM module_account_links \
             WHERE tenant_id = ?1 AND module_id = ?2 AND account_id = ?3",
        ),
        &[&cx.gm.tenant_id, &cx.gm.module.id, account_id],
    )?;
    let row = statement.first::<LinkRow>(None).await.map_err(unavailable)?;
    Ok(row.and_then(|it| it.hub_user_id))
}

/// Forgets the link of `hub_user` (its account is gone from the module).
async fn unlink(cx: &Cx<'_>, db: &D1Database, hub_user: &str) -> Result<(), Failure> {
    let statement = bind(
        db.prepare(
            "DELETE FROM module_account_links \
             WHERE tenant_id = ?1 AND module_id = ?2 AND hub_user_id = ?3",
        ),
        &[&cx.gm.tenant_id, &cx.gm.module.id, hub_user],
    )?;
    statement.run().await.map_err(unavailable)?;
    Ok(())
}

struct Link<'a> {
    account_id: &'a str,
    username: &'a str,
    license: LicenseType,
}

/// The statement that links `hub_user` to the account unless either is linked already.
fn link_statement(
    cx: &Cx<'_>,
    db: &D1Database,
    hub_user: &str,
    link: &Link<'_>,
) -> Result<D1PreparedStatement, Failure> {
    let license = serde_json::to_value(link.license)
        .ok()
        .and_then(|it| it.as_str().map(str::to_owned))
        .unwrap_or_default();
    let now = cx.now.to_string();
    bind(
        db.prepare(
            "INSERT INTO module_account_links \
             (tenant_id, module_id, hub_user_id, username, license_type, updated_at, account_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS INTEGER), ?7) ON CONFLICT DO NOTHING",
        ),
        &[
            &cx.gm.tenant_id,
            &cx.gm.module.id,
            hub_user,
            link.username,
            &license,
            &now,
            link.account_id,
        ],
    )
}

/// Links `hub_user` to an existing account unless either is linked already; true when the
/// link now in D1 is this one (written now or by a concurrent sign-in).
async fn claim_link(
    cx: &Cx<'_>,
    db: &D1Database,
    hub_user: &str,
    link: Link<'_>,
) -> Result<bool, Failure> {
    link_statement(cx, db, hub_user, &link)?.run().await.map_err(unavailable)?;
    Ok(linked_account(cx, db, hub_user).await?.as_deref() == Some(link.account_id))
}

/// Links `hub_user` to the account provisioning just created and records its seat in one D1
/// batch (a transaction), so a created account is never linked without its charge. The line
/// is written only when the link in D1 is this one, and once per created account: an account
/// created again after the module's was deleted is a new seat. True when the link is this one.
async fn claim_created(
    cx: &Cx<'_>,
    db: &D1Database,
    hub_user: &str,
    link: Link<'_>,
    line: &BillingLine,
) -> Result<bool, Failure> {
    let id = random_id(16).map_err(unavailable)?;
    let now = cx.now.to_string();
    let charge = bind(
        db.prepare(
            "INSERT INTO billing_lines \
             (id, tenant_id, module_id, hub_user, account_id, kind, date, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, CAST(?8 AS INTEGER) \
             WHERE EXISTS (SELECT 1 FROM module_account_links WHERE tenant_id = ?2 \
             AND module_id = ?3 AND hub_user_id = ?4 AND account_id = ?5) \
             ON CONFLICT DO NOTHING",
        ),
        &[
            &id,
            &cx.gm.tenant_id,
            &cx.gm.module.id,
            &line.hub_user,
            link.account_id,
            &line.kind,
            &line.date,
            &now,
        ],
    )?;
    let claim = link_statement(cx, db, hub_user, &link)?;
    let settled = bind(
        db.prepare(
            "DELETE FROM pending_seats WHERE tenant_id = ?1 AND module_id = ?2 AND hub_user = ?3 \
             AND EXISTS (SELECT 1 FROM module_account_links WHERE tenant_id = ?1 \
             AND module_id = ?2 AND hub_user_id = ?3 AND account_id = ?4)",
        ),
        &[&cx.gm.tenant_id, &cx.gm.module.id, hub_user, link.account_id],
    )?;
    db.batch(vec![claim, charge, settled]).await.map_err(unavailable)?;
    Ok(linked_account(cx, db, hub_user).await?.as_deref() == Some(link.account_id))
}

/// Writes the seat about to be created as pending; its id.
async fn record_pending(
    cx: &Cx<'_>,
    db: &D1Database,
    line: &BillingLine,
) -> Result<String, Failure> {
    let id = random_id(16).map_err(unavailable)?;
    let now = cx.now.to_string();
    bind(
        db.prepare(
            "INSERT INTO pending_seats \
             (id, tenant_id, module_id, hub_user, kind, date, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS INTEGER))",
        ),
        &[&id, &cx.gm.tenant_id, &cx.gm.module.id, &line.hub_user, &line.kind, &line.date, &now],
    )?
    .run()
    .await
    .map_err(unavailable)?;
    Ok(id)
}

/// Removes a pending seat the module did not create.
async fn drop_pending(db: &D1Database, id: &str) -> Result<(), Failure> {
    bind(db.prepare("DELETE FROM pending_seats WHERE id = ?1"), &[id])?
        .run()
        .await
        .map_err(unavailable)?;
    Ok(())
}

/// After `hub_user` was linked to `account_id`: a seat still pending for this user and module
/// is an account the module created but the gate did not record, and this is it (the create
/// was planned because the module had no account of the user's, and a refused create removes
/// its row). The earliest pending seat becomes the account's billing line (at most one per
/// account) and the user's pending seats here are settled. Nothing pending: nothing written.
async fn settle_pending(
    cx: &Cx<'_>,
    db: &D1Database,
    hub_user: &str,
    account_id: &str,
) -> Result<(), Failure> {
    let id = random_id(16).map_err(unavailable)?;
    let user = [&cx.gm.tenant_id, &cx.gm.module.id, hub_user];
    let charge = bind(
        db.prepare(
            "INSERT INTO billing_lines \
             (id, tenant_id, module_id, hub_user, account_id, kind, date, created_at) \
             SELECT ?4, tenant_id, module_id, hub_user, ?5, kind, date, created_at \
             FROM pending_seats WHERE tenant_id = ?1 AND module_id = ?2 AND hub_user = ?3 \
             ORDER BY created_at LIMIT 1 \
             ON CONFLICT DO NOTHING",
        ),
        &[user[0], user[1], user[2], &id, account_id],
    )?;
    let settled = bind(
        db.prepare(
            "DELETE FROM pending_seats WHERE tenant_id = ?1 AND module_id = ?2 AND hub_user = ?3",
        ),
        &user,
    )?;
    db.batch(vec![charge, settled]).await.map_err(unavailable)?;
    Ok(())
}

/// One audit row for a provisioning outcome: who (hub user id), what, when, result.
async fn audit(cx: &Cx<'_>, actor: &str, outcome: &str, rule: &str, detail: serde_json::Value) {
    let Ok(db) = cx.env.d1("DB") else { return };
    let now = cx.now.to_string();
    let detail = detail.to_string();
    let values = [
        &now,
        &cx.gm.tenant_id,
        &cx.gm.module.id,
        &cx.request_id,
        "provisioning",
        outcome,
        rule,
        actor,
        &detail,
    ];
    let statement = db.prepare(
        "INSERT INTO gate_audit \
         (at, tenant_id, module_id, request_id, event, outcome, rule, actor, detail) \
         VALUES (CAST(?1 AS INTEGER), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    );
    if let Ok(statement) = bind(statement, &values) {
        let _ = statement.run().await;
    }
}
