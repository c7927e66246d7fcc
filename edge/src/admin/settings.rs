//! A module's settings screen: reading what the screen shows (stored settings, the tenant's
//! hub groups, the module's security levels and every account over SCIM, paged), saving a
//! changed form after core's validation, and moving access groups. Each change is written with
//! its audit row; each refused change writes an audit row with the refusal's code and nothing
//! else. The form carries the settings' version: a save from a form older than the stored
//! settings is refused with 409 (core's `settings::check_version`), also when two admins save
//! at the same moment (the write itself checks the version).

use minijinja::context;
use onegate_core::access;
use onegate_core::model::{Client, HubGroup, ModuleAccount, ModuleSettings, SecurityLevel};
use onegate_core::settings::{self, SettingsContext};
use onegate_core::{Error as CoreError, ErrorKind};
use serde::{Deserialize, Serialize};
use worker::wasm_bindgen::JsValue;
use worker::{Request, Url};

use super::{Admin, Answer, Fail, Handled, csrf_ok, csrf_refused, field, form, page};
use crate::gate::scim::{MAX_ACCOUNTS, ScimClient};
use crate::gate::{Cx, config, levels};

/// A module of the admin's tenant.
#[derive(Debug, Clone, Deserialize)]
pub struct ModuleRow {
    /// The module id (also its host label).
    pub id: String,
    /// The module's name.
    pub name: String,
    /// Its stored settings (core's `ModuleSettings` as JSON), if any.
    #[serde(default)]
    pub settings_json: Option<String>,
    /// The stored settings' version; `None` (read as 0) while none are stored.
    #[serde(default)]
    pub version: Option<i64>,
}

impl ModuleRow {
    /// The stored settings; none stored (or unreadable) is the defaults: everything off.
    pub fn settings(&self) -> ModuleSettings {
        self.settings_json
            .as_deref()
            .and_then(|it| serde_json::from_str(it).ok())
            .unwrap_or_default()
    }

    /// The stored settings' version (0 while none are stored).
    pub fn version(&self) -> u64 {
        self.version.and_then(|it| u64::try_from(it).ok()).unwrap_or(0)
    }
}

/// What the module itself says: its security levels and its accounts.
#[derive(Debug, Default)]
struct ModuleFacts {
    levels: Vec<SecurityLevel>,
    accounts: Vec<ModuleAccount>,
    /// False when the module has more accounts than the screen reads.
    complete: bool,
}

const MODULE_QUERY: &str = "SELECT m.id, m.name, s.settings_json, s.version FROM modules m \
     LEFT JOIN module_settings s ON s.tenant_id = m.tenant_id AND s.module_id = m.id \
     WHERE m.tenant_id = ?1";

/// `GET /admin/modules`: the tenant's modules with a summary of their settings.
pub async fn list_page(admin: &Admin) -> Handled {
    let rows = admin
        .db()?
        .prepare(format!("{MODULE_QUERY} ORDER BY m.name"))
        .bind(&[JsValue::from_str(&admin.user.tenant_id)])?
        .all()
        .await?
        .results::<ModuleRow>()?;
    let modules: Vec<_> = rows
        .iter()
        .map(|it| {
            let s = it.settings();
            context! {
                id => it.id, name => it.name, unified_login => s.unified_login,
                require_hub_login => s.require_hub_login, provisioning => s.provisioning,
                access_groups => s.access_groups.len(),
            }
        })
        .collect();
    Ok(page::page(200, "admin_modules.html", &admin.user, context! { modules })?)
}

/// The tenant's module `id`; another tenant's module is a 404 like one nobody has.
async fn module(admin: &Admin, id: &str) -> Result<ModuleRow, Answer> {
    let row = admin
        .db()?
        .prepare(format!("{MODULE_QUERY} AND m.id = ?2"))
        .bind(&[JsValue::from_str(&admin.user.tenant_id), JsValue::from_str(id)])?
        .first::<ModuleRow>(None)
        .await?;
    row.ok_or_else(|| Fail::no_module().into())
}

async fn hub_groups(admin: &Admin) -> Result<Vec<HubGroup>, Answer> {
    let groups = admin
        .db()?
        .prepare("SELECT id, name FROM hub_groups WHERE tenant_id = ?1 ORDER BY name")
        .bind(&[JsValue::from_str(&admin.user.tenant_id)])?
        .all()
        .await?
        .results::<HubGroup>()?;
    Ok(groups)
}

/// Asks the module over SCIM for its security levels and accounts; `Err` says why it could not.
async fn module_facts(admin: &Admin, id: &str) -> Result<ModuleFacts, String> {
    let unreachable =
        |err: worker::Error| format!("the module's settings could not be read: {err}");
    let gm = config::load(&admin.env, id, &admin.hub, admin.now).await.map_err(unreachable)?;
    let Some(gm) = gm.filter(|it| it.tenant_id == admin.user.tenant_id) else {
        return Err("the module has no gate configuration".to_owned());
    };
    let url = Url::parse(&admin.hub).map_err(|err| format!("the hub origin is invalid: {err}"))?;
    let cx = Cx {
        env: &admin.env,
        gm,
        hub: admin.hub.clone(),
        secret: Vec::new(),
        https: admin.hub.starts_with("https://"),
        url,
        now: admin.now,
        client: Client::Browser,
        request_id: admin.request_id.clone(),
    };
    let why = |it: crate::gate::scim::ScimFailure| format!("the module {}", it.message());
    let scim = ScimClient::of(&cx).map_err(why)?;
    let levels = scim.security_levels().await.map_err(why)?;
    levels::sync(&admin.env, &admin.user.tenant_id, id, &levels).await;
    let all = scim.all_users("userName pr").await.map_err(why)?;
    Ok(ModuleFacts { levels, accounts: all.accounts, complete: all.complete })
}

/// `GET /admin/modules/{id}/settings`.
pub async fn settings_page(admin: &Admin, id: &str) -> Handled {
    let module = module(admin, id).await?;
    let settings = module.settings();
    screen(admin, &module, &settings, Shown::Stored).await
}

/// What the screen says above the form.
enum Shown {
    /// The stored settings, nothing to report.
    Stored,
    /// A refused change: the submitted values with core's message.
    Refused(Fail),
}

/// Renders the settings screen for `settings` (stored or just submitted).
async fn screen(
    admin: &Admin,
    module: &ModuleRow,
    settings: &ModuleSettings,
    shown: Shown,
) -> Handled {
    let facts = module_facts(admin, &module.id).await;
    let module_error = facts.as_ref().err().cloned();
    let facts = facts.unwrap_or(ModuleFacts { complete: true, ..ModuleFacts::default() });
    let accounts_bounded = (!facts.complete).then_some(MAX_ACCOUNTS);
    let groups = hub_groups(admin).await?;

    let exceptions: Vec<_> = settings::exceptions(settings, &facts.accounts)
        .into_iter()
        .map(|it| {
            let license = it.implicit_license.map(|l| l.label());
            context! { username => it.username, license }
        })
        .collect();
    let advice = settings::default_level_advice(settings, &facts.levels);

    let table = access::mapping_table(settings, &groups, &facts.levels);
    let count = table.len();
    let access_groups: Vec<_> = table
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let name = row.name.clone().unwrap_or_else(|| row.group.clone());
            let maps = row.mapping.maps();
            let explanation = row.mapping.explain();
            context! {
                group => row.group, name, maps, explanation,
                position => i + 1, first => i == 0, last => i + 1 == count,
            }
        })
        .collect();
    let addable: Vec<_> =
        groups.iter().filter(|it| !settings.access_groups.contains(&it.id)).cloned().collect();

    let d = &settings.defaults;
    let levels: Vec<_> = facts
        .levels
        .iter()
        .map(|it| {
            let default = d.security_level.as_deref() == Some(it.id.as_str());
            context! { id => it.id, name => it.name, active => it.active, rank => it.rank, default }
        })
        .collect();
    let default_known =
        d.security_level.as_deref().is_none_or(|id| facts.levels.iter().any(|it| it.id == id));

    let (status, error) = match shown {
        Shown::Stored => (200, None),
        Shown::Refused(fail) => {
            (fail.status, Some(context! { message => fail.message, code => fail.code }))
        }
    };
    let ctx = context! {
        module => context! { id => module.id, name => module.name },
        csrf => admin.csrf,
        version => module.version(),
        error, module_error, accounts_bounded, advice, exceptions, access_groups, addable, levels,
        default_known,
        s => context! {
            unified_login => settings.unified_login,
            require_hub_login => settings.require_hub_login,
            provisioning => settings.provisioning,
            user_exceptions => settings.user_exceptions.join("\n"),
            security_level => d.security_level,
            timesheet_approver => d.timesheet_approver,
            department => d.department,
            expense_report_approver => d.expense_report_approver,
            role => d.role,
        },
    };
    Ok(page::page(status, "admin_settings.html", &admin.user, ctx)?)
}

/// `POST /admin/modules/{id}/settings`: login and provisioning settings (the access groups
/// keep their stored order; they change through [`access_group_action`]).
pub async fn save(admin: &Admin, id: &str, req: Request) -> Handled {
    let module = module(admin, id).await?;
    let fields = form(req).await?;
    if !csrf_ok(admin, field(&fields, "csrf")) {
        return Err(csrf_refused().into());
    }

    let Some(version) = field(&fields, "version").and_then(|it| it.trim().parse::<u64>().ok())
    else {
        let message = "the form does not say which version of the settings it was read at; \
                       reload the page and save again";
        return Err(Fail::new(400, "version_missing", message).into());
    };

    let old = module.settings();
    let text = |name: &str| {
        field(&fields, name).map(str::trim).filter(|it| !it.is_empty()).map(str::to_owned)
    };
    let on = |name: &str| field(&fields, name).is_some_and(|it| it == "on");
    let mut new = old.clone();
    new.unified_login = on("unified_login");
    new.require_hub_login = on("require_hub_login");
    new.provisioning = on("provisioning");
    new.user_exceptions = field(&fields, "user_exceptions")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|it| !it.is_empty())
        .map(str::to_owned)
        .collect();
    new.defaults.security_level = text("security_level");
    new.defaults.timesheet_approver = text("timesheet_approver");
    new.defaults.department = text("department");
    new.defaults.expense_report_approver = text("expense_report_approver");
    new.defaults.role = text("role");

    commit(admin, &module, Change { old: &old, new: &new, version, anchor: "" }).await
}

/// `POST /admin/modules/{id}/access-groups`: `action` is `add`, `remove`, `up` or `down`
/// for hub group `group`.
pub async fn access_group_action(admin: &Admin, id: &str, req: Request) -> Handled {
    let module = module(admin, id).await?;
    let fields = form(req).await?;
    if !csrf_ok(admin, field(&fields, "csrf")) {
        return Err(csrf_refused().into());
    }

    let old = module.settings();
    let group = field(&fields, "group").unwrap_or_default().to_owned();
    let mut new = old.clone();
    let list = &mut new.access_groups;
    let at = list.iter().position(|it| *it == group);
    match (field(&fields, "action"), at) {
        (Some("add"), _) => list.push(group),
        (Some("remove"), Some(i)) => {
            list.remove(i);
        }
        (Some("up"), Some(i)) if i > 0 => list.swap(i, i - 1),
        (Some("down"), Some(i)) if i + 1 < list.len() => list.swap(i, i + 1),
        (Some("up" | "down"), Some(_)) => {}
        (Some("remove" | "up" | "down"), None) => {
            let message = format!("access group “{group}” is not in the list; reload the page");
            let fail = Fail::new(400, "access_group_not_listed", message);
            audit(admin, &module.id, "refused", &fail.code, &["access_groups"]).await;
            return Err(fail.into());
        }
        _ => {
            let message = "choose add, remove, up or down for an access group";
            let fail = Fail::new(400, "action_invalid", message);
            audit(admin, &module.id, "refused", &fail.code, &["access_groups"]).await;
            return Err(fail.into());
        }
    }

    // One move applies to the list as stored now; the version guards the moment until the write.
    let change =
        Change { old: &old, new: &new, version: module.version(), anchor: "#access-groups" };
    commit(admin, &module, change).await
}

/// A change to a module's settings: from `old` (stored at `version` when the form was read) to
/// `new`, and the screen's section to return to.
struct Change<'a> {
    old: &'a ModuleSettings,
    new: &'a ModuleSettings,
    version: u64,
    anchor: &'a str,
}

/// Validates `new` against the module and the tenant, then writes it with its audit row and
/// sends the admin back to the screen; a refusal shows `new` with core's message, writes its
/// audit row and nothing else. A form read at an older version than the stored one (another
/// admin saved in between) is refused with 409.
async fn commit(admin: &Admin, module: &ModuleRow, change: Change<'_>) -> Handled {
    let Change { old, new, version, anchor } = change;
    let changed = changed_fields(old, new);

    if let Err(err) = settings::check_version(version, module.version()) {
        return refuse(admin, module, new, &changed, err).await;
    }

    let facts = match module_facts(admin, &module.id).await {
        Ok(facts) => facts,
        Err(why) => {
            let message = format!("{why}; nothing was saved, try again in a moment");
            let fail = Fail::new(503, "module_unavailable", message);
            audit(admin, &module.id, "refused", &fail.code, &changed).await;
            return Err(fail.into());
        }
    };
    let groups = hub_groups(admin).await?;
    let usernames: Vec<String> = facts.accounts.iter().map(|it| it.username.clone()).collect();
    let cx = SettingsContext { levels: &facts.levels, groups: &groups, usernames: &usernames };
    if let Err(err) = settings::validate(new, cx) {
        return refuse(admin, module, new, &changed, err).await;
    }

    let location = format!("/admin/modules/{}/settings{anchor}", module.id);
    if changed.is_empty() {
        return Ok(page::see_other(&location)?);
    }

    if !write(admin, &module.id, new, version, &changed).await? {
        // Another save got in between this one's read and its write.
        let current = stored_version(admin, &module.id).await?;
        let err = settings::check_version(version, current).err().unwrap_or_else(|| {
            CoreError::new(ErrorKind::VersionConflict, "the settings changed; reload the page")
        });
        return refuse(admin, module, new, &changed, err).await;
    }
    Ok(page::see_other(&location)?)
}

/// Writes the refusal's audit row and shows the screen with core's message: with `new` and
/// 422, or, for a stale form (409), with the settings as stored now, so that saving again does
/// not overwrite the other admin's changes unseen.
async fn refuse(
    admin: &Admin,
    row: &ModuleRow,
    new: &ModuleSettings,
    changed: &[&'static str],
    err: CoreError,
) -> Handled {
    let stale = err.kind() == ErrorKind::VersionConflict;
    let mut fail = Fail::from(err);
    audit(admin, &row.id, "refused", &fail.code, changed).await;
    if !stale {
        return screen(admin, row, new, Shown::Refused(fail)).await;
    }

    fail.status = 409;
    let stored = module(admin, &row.id).await?;
    screen(admin, &stored, &stored.settings(), Shown::Refused(fail)).await
}

/// The version of the stored settings of `module_id` (0 while none are stored).
async fn stored_version(admin: &Admin, module_id: &str) -> Result<u64, Answer> {
    #[derive(Deserialize)]
    struct Row {
        version: i64,
    }
    let row = admin
        .db()?
        .prepare("SELECT version FROM module_settings WHERE tenant_id = ?1 AND module_id = ?2")
        .bind(&[JsValue::from_str(&admin.user.tenant_id), JsValue::from_str(module_id)])?
        .first::<Row>(None)
        .await?;
    Ok(row.and_then(|it| u64::try_from(it.version).ok()).unwrap_or(0))
}

/// The names of the settings that differ between `old` and `new`.
pub fn changed_fields(old: &ModuleSettings, new: &ModuleSettings) -> Vec<&'static str> {
    let (a, b) = (&old.defaults, &new.defaults);
    [
        ("unified_login", old.unified_login != new.unified_login),
        ("require_hub_login", old.require_hub_login != new.require_hub_login),
        ("user_exceptions", old.user_exceptions != new.user_exceptions),
        ("provisioning", old.provisioning != new.provisioning),
        ("defaults.security_level", a.security_level != b.security_level),
        ("defaults.timesheet_approver", a.timesheet_approver != b.timesheet_approver),
        ("defaults.department", a.department != b.department),
        (
            "defaults.expense_report_approver",
            a.expense_report_approver != b.expense_report_approver,
        ),
        ("defaults.role", a.role != b.role),
        ("access_groups", old.access_groups != new.access_groups),
    ]
    .into_iter()
    .filter(|(_, differs)| *differs)
    .map(|(name, _)| name)
    .collect()
}

/// The audit row's detail: which settings changed (names only, no values).
#[derive(Serialize)]
struct Detail<'a> {
    changed: &'a [&'static str],
}

/// Writes the settings and their audit row in one batch (a D1 transaction), only while the
/// stored version is still `version`; false when it is not (nothing was written).
async fn write(
    admin: &Admin,
    module_id: &str,
    settings: &ModuleSettings,
    version: u64,
    changed: &[&'static str],
) -> Result<bool, Answer> {
    let db = admin.db()?;
    let json =
        serde_json::to_string(settings).map_err(|err| worker::Error::from(err.to_string()))?;
    let detail = serde_json::to_string(&Detail { changed })
        .map_err(|err| worker::Error::from(err.to_string()))?;
    let now = JsValue::from_f64(admin.now as f64);
    let tenant = JsValue::from_str(&admin.user.tenant_id);
    let module = JsValue::from_str(module_id);
    let json = JsValue::from_str(&json);
    // D1 numbers are doubles; versions stay far below 2^53.
    let expected = JsValue::from_f64(version as f64);
    let upsert = db
        .prepare(
            "INSERT INTO module_settings \
             (tenant_id, module_id, settings_json, updated_at, version) \
             VALUES (?1, ?2, ?3, ?4, ?5 + 1) ON CONFLICT (tenant_id, module_id) DO UPDATE SET \
             settings_json = excluded.settings_json, updated_at = excluded.updated_at, \
             version = module_settings.version + 1 WHERE module_settings.version = ?5",
        )
        .bind(&[tenant.clone(), module.clone(), json.clone(), now.clone(), expected.clone()])?;
    // Written only when the upsert was: the row now holds this save's settings and version.
    let audit = db
        .prepare(
            "INSERT INTO gate_audit \
             (at, tenant_id, module_id, request_id, event, outcome, rule, actor, detail) \
             SELECT ?1, ?2, ?3, ?4, 'settings', 'saved', ?5, ?6, ?7 WHERE EXISTS ( \
             SELECT 1 FROM module_settings WHERE tenant_id = ?2 AND module_id = ?3 \
             AND version = ?8 + 1 AND settings_json = ?9 AND updated_at = ?1)",
        )
        .bind(&[
            now,
            tenant,
            module,
            JsValue::from_str(&admin.request_id),
            JsValue::from_str("module settings changed by a tenant admin"),
            JsValue::from_str(&admin.user.user_id),
            JsValue::from_str(&detail),
            expected,
            json,
        ])?;
    let results = db.batch(vec![upsert, audit]).await?;
    let written = results
        .first()
        .and_then(|it| it.meta().ok().flatten())
        .and_then(|it| it.changes)
        .is_some_and(|it| it > 0);
    Ok(written)
}

/// One audit row for a refused settings change: who, which settings it would have changed
/// (names only) and the refusal's code. A failed write costs the row, never the answer.
async fn audit(admin: &Admin, module_id: &str, outcome: &str, code: &str, changed: &[&str]) {
    let Ok(db) = admin.db() else { return };
    let Ok(detail) = serde_json::to_string(&serde_json::json!({ "changed": changed })) else {
        return;
    };
    let statement = db
        .prepare(
            "INSERT INTO gate_audit \
             (at, tenant_id, module_id, request_id, event, outcome, rule, actor, detail) \
             VALUES (?1, ?2, ?3, ?4, 'settings', ?5, ?6, ?7, ?8)",
        )
        .bind(&[
            JsValue::from_f64(admin.now as f64),
            JsValue::from_str(&admin.user.tenant_id),
            JsValue::from_str(module_id),
            JsValue::from_str(&admin.request_id),
            JsValue::from_str(outcome),
            JsValue::from_str(code),
            JsValue::from_str(&admin.user.user_id),
            JsValue::from_str(&detail),
        ]);
    if let Ok(statement) = statement {
        let _ = statement.run().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_fields_name_only_what_differs() {
        let old = ModuleSettings::default();
        let mut new = old.clone();
        assert!(changed_fields(&old, &new).is_empty());

        new.unified_login = true;
        new.defaults.role = Some("Technician".into());
        new.access_groups = vec!["g_tech".into()];
        assert_eq!(changed_fields(&old, &new), ["unified_login", "defaults.role", "access_groups"]);
    }
}
