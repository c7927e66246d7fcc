//! A module's security levels as the hub sees them, and changes to them made in the module.
//!
//! The module is the one source of truth for its levels. Whenever the gate or the admin
//! screens read them from the module (over SCIM, or the gate's configured list for the `roles`
//! profile), [`sync`] stores them in D1 (`module_security_levels`), where the insights read
//! them; a failed write costs an insight, never a sign-in or a settings screen.
//!
//! The module's own screens change its levels. A gate configured with the module's level admin
//! path (`gate_modules.level_admin_path`, e.g. `/admin/security-levels`) stands in front of
//! them: a `POST {path}/{level id}/inactivate` or `.../delete` is first put to core
//! (`onegate_core::settings::check_level_change`) with the hub's current default security
//! level, read fresh from D1. A refusal is a 409 page with core's message, and the request
//! never reaches the module; anything else is proxied as usual ([`intercept`]).

use onegate_core::model::{ModuleSettings, SecurityLevel};
use onegate_core::settings::{self, LevelChange};
use serde::Deserialize;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, Env, Method, Request, Result};

use super::pages::{Link, Page};
use super::{Answer, Cx};

#[derive(Deserialize)]
struct LevelRow {
    id: String,
    name: String,
    active: i64,
    rank: i64,
}

impl LevelRow {
    fn level(&self) -> SecurityLevel {
        SecurityLevel {
            id: self.id.clone(),
            name: self.name.clone(),
            active: self.active == 1,
            rank: u32::try_from(self.rank).unwrap_or(u32::MAX),
        }
    }
}

/// Stores `levels`, as module `module` of tenant `tenant` just reported them, in D1 in place of
/// what was stored (one batch, written only when they differ).
pub async fn sync(env: &Env, tenant: &str, module: &str, levels: &[SecurityLevel]) {
    let Ok(db) = env.d1("DB") else { return };
    if let Err(err) = write(&db, tenant, module, levels).await {
        worker::console_warn!("gate: the security levels of {module} were not stored: {err}");
    }
}

async fn write(
    db: &D1Database,
    tenant: &str,
    module: &str,
    levels: &[SecurityLevel],
) -> Result<()> {
    let keys = [JsValue::from_str(tenant), JsValue::from_str(module)];
    let stored = db
        .prepare(
            "SELECT id, name, active, rank FROM module_security_levels \
             WHERE tenant_id = ?1 AND module_id = ?2 ORDER BY id",
        )
        .bind(&keys)?
        .all()
        .await?
        .results::<LevelRow>()?;
    let mut stored: Vec<SecurityLevel> = stored.iter().map(LevelRow::level).collect();
    let mut reported = levels.to_vec();
    stored.sort_by(|a, b| a.id.cmp(&b.id));
    reported.sort_by(|a, b| a.id.cmp(&b.id));
    reported.dedup_by(|a, b| a.id == b.id);
    if stored == reported {
        return Ok(());
    }

    let mut batch = vec![
        db.prepare("DELETE FROM module_security_levels WHERE tenant_id = ?1 AND module_id = ?2")
            .bind(&keys)?,
    ];
    for level in &reported {
        let statement = db
            .prepare(
                "INSERT INTO module_security_levels (tenant_id, module_id, id, name, active, rank) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .bind(&[
                keys[0].clone(),
                keys[1].clone(),
                JsValue::from_str(&level.id),
                JsValue::from_str(&level.name),
                JsValue::from_f64(f64::from(u8::from(level.active))),
                JsValue::from_f64(f64::from(level.rank)),
            ])?;
        batch.push(statement);
    }
    db.batch(batch).await?;
    Ok(())
}

/// The level and the change a request to the module's level admin pages at `admin_path` makes,
/// when it inactivates or deletes one: `POST {admin_path}/{level id}/inactivate|delete`.
pub fn level_change(admin_path: &str, path: &str) -> Option<(String, LevelChange)> {
    let rest = path.strip_prefix(admin_path.trim_end_matches('/'))?.strip_prefix('/')?;
    let (id, action) = rest.trim_end_matches('/').split_once('/')?;
    let change = match action {
        "inactivate" => LevelChange::Inactivate,
        "delete" => LevelChange::Delete,
        _ => return None,
    };
    let id: String = percent_decode(id)?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    Some((id, change))
}

fn percent_decode(segment: &str) -> Option<String> {
    let decoded: Vec<u8> = form_urlencoded::parse(format!("x={segment}").as_bytes())
        .next()
        .map(|(_, it)| it.into_owned().into_bytes())?;
    String::from_utf8(decoded).ok()
}

/// The gate's answer to a request that would inactivate or delete the hub's default security
/// level in the module: a 409 page with core's message. `None` for every other request, which
/// then goes to the module as usual.
pub async fn intercept(req: &Request, cx: &Cx<'_>) -> Result<Option<Answer>> {
    if req.method() != Method::Post {
        return Ok(None);
    }
    let Some(admin_path) = cx.gm.level_admin_path.as_deref() else {
        return Ok(None);
    };
    let Some((level, change)) = level_change(admin_path, cx.url.path()) else {
        return Ok(None);
    };

    // The default as stored now, not as this isolate cached it a few seconds ago.
    let settings = current_settings(cx).await?;
    let Err(err) = settings::check_level_change(&settings, &level, change) else {
        return Ok(None);
    };

    cx.audit("level_change", "refused", err.code()).await;
    let page = Page {
        status: 409,
        module_name: &cx.gm.module.name,
        heading: "This security level cannot be changed",
        message: err.message(),
        rule: Some(err.code()),
        links: vec![
            Link {
                href: format!("{}{admin_path}", cx.gm.module.origin),
                text: "Back to the security levels".to_owned(),
            },
            Link {
                href: format!("{}/admin/modules/{}/settings#provisioning", cx.hub, cx.gm.module.id),
                text: "Choose another default in the hub".to_owned(),
            },
        ],
    };
    Ok(Some(Answer::new(page.respond()?, format!("refuse:{}", err.code()))))
}

async fn current_settings(cx: &Cx<'_>) -> Result<ModuleSettings> {
    #[derive(Deserialize)]
    struct Row {
        settings_json: String,
    }
    let row = cx
        .env
        .d1("DB")?
        .prepare(
            "SELECT settings_json FROM module_settings WHERE tenant_id = ?1 AND module_id = ?2",
        )
        .bind(&[JsValue::from_str(&cx.gm.tenant_id), JsValue::from_str(&cx.gm.module.id)])?
        .first::<Row>(None)
        .await?;
    // Settings are validated by core before they are written; none stored is the defaults.
    Ok(row.and_then(|it| serde_json::from_str(&it.settings_json).ok()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_changes_are_read_from_the_module_path() {
        let admin = "/admin/security-levels";
        let rows = [
            (
                "inactivate",
                "/admin/security-levels/102/inactivate",
                Some(("102", LevelChange::Inactivate)),
            ),
            ("delete", "/admin/security-levels/5/delete", Some(("5", LevelChange::Delete))),
            (
                "trailing_slash",
                "/admin/security-levels/5/delete/",
                Some(("5", LevelChange::Delete)),
            ),
            (
                "encoded_id",
                "/admin/security-levels/lvl%20a/delete",
                Some(("lvl a", LevelChange::Delete)),
            ),
            ("activate_passes", "/admin/security-levels/5/activate", None),
            ("the_list", "/admin/security-levels", None),
            ("no_id", "/admin/security-levels//delete", None),
            ("extra_segment", "/admin/security-levels/5/x/delete", None),
            ("other_path", "/admin/security-levels-old/5/delete", None),
            ("encoded_slash", "/admin/security-levels/a%2Fb/delete", None),
        ];
        for (name, path, expected) in rows {
            let got = level_change(admin, path);
            let expected = expected.map(|(id, change)| (id.to_owned(), change));
            assert_eq!(got, expected, "{name}");
        }
    }
}
