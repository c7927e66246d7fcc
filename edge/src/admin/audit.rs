//! The audit log view: the tenant's settings changes and provisioning actions from
//! `gate_audit`, newest first, a page at a time (keyset paging on the row id).

use minijinja::context;
use serde::Deserialize;
use worker::Url;
use worker::wasm_bindgen::JsValue;

use super::{Admin, Fail, Handled, page};

/// Rows per page.
pub const PAGE_SIZE: usize = 25;

/// One audit row as stored.
#[derive(Debug, Deserialize)]
struct Row {
    id: i64,
    at: i64,
    module_id: String,
    event: String,
    outcome: String,
    rule: String,
    #[serde(default)]
    actor: Option<String>,
    #[serde(default)]
    detail: Option<String>,
}

/// `GET /admin/audit?before=<row id>`.
pub async fn page(admin: &Admin, url: &Url) -> Handled {
    let before = match url.query_pairs().find(|(key, _)| key == "before") {
        None => i64::MAX,
        Some((_, value)) => value.parse::<i64>().ok().filter(|it| *it > 0).ok_or_else(|| {
            Fail::new(400, "cursor_invalid", "`before` must be a row number from this page's links")
        })?,
    };

    let mut rows = admin
        .env
        .d1("DB")?
        .prepare(
            "SELECT id, at, module_id, event, outcome, rule, actor, detail FROM gate_audit \
             WHERE tenant_id = ?1 AND event IN ('settings', 'provisioning') AND id < ?2 \
             ORDER BY id DESC LIMIT ?3",
        )
        .bind(&[
            JsValue::from_str(&admin.user.tenant_id),
            JsValue::from_f64(before as f64),
            JsValue::from_f64((PAGE_SIZE + 1) as f64),
        ])?
        .all()
        .await?
        .results::<Row>()?;
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);
    let next = if more { rows.last().map(|it| it.id) } else { None };

    let entries: Vec<_> = rows
        .iter()
        .map(|it| {
            context! {
                id => it.id,
                when => when(it.at),
                module => it.module_id,
                event => it.event,
                outcome => it.outcome,
                rule => it.rule,
                actor => it.actor.as_deref().unwrap_or("-"),
                detail => what(it.detail.as_deref()),
            }
        })
        .collect();
    let first_page = before == i64::MAX;
    Ok(page::page(200, "admin_audit.html", &admin.user, context! { entries, next, first_page })?)
}

/// Unix seconds as `YYYY-MM-DD HH:MM:SS UTC`.
fn when(at: i64) -> String {
    let date = onegate_core::provisioning::civil_date(at);
    let secs = at.rem_euclid(86_400);
    format!("{date} {:02}:{:02}:{:02} UTC", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// The detail column in words: `changed: a, b` for settings, the JSON as stored otherwise.
fn what(detail: Option<&str>) -> String {
    let Some(detail) = detail else { return String::new() };
    let value: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
    match value.get("changed").and_then(|it| it.as_array()) {
        Some(fields) => {
            let names: Vec<&str> = fields.iter().filter_map(|it| it.as_str()).collect();
            format!("changed: {}", names.join(", "))
        }
        None => detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_details_read_as_text() {
        assert_eq!(when(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(when(1_767_225_600 + 3_723), "2026-01-01 01:02:03 UTC");
        assert_eq!(
            what(Some(r#"{"changed":["unified_login","role"]}"#)),
            "changed: unified_login, role"
        );
        assert_eq!(what(Some(r#"{"action":"create"}"#)), r#"{"action":"create"}"#);
        assert_eq!(what(None), "");
    }
}
