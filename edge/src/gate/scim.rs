//! Looking up a module account over the module's SCIM 2.0 endpoint: its username and license
//! type, which the login decision needs. Nothing else is read or kept.

use onegate_core::model::LicenseType;
use serde_json::Value;
use worker::{Fetch, Headers, Method, Request, RequestInit};

use super::Cx;
use super::proxy::MODULE_HEADER;

/// The module account a sign-in concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The module username.
    pub username: String,
    /// The account's license.
    pub license_type: Option<LicenseType>,
}

/// Which account to find.
#[derive(Debug, Clone, Copy)]
pub enum Lookup<'a> {
    /// By module username (a module login form).
    Username(&'a str),
    /// By email address (a hub login with a verified email).
    Email(&'a str),
}

/// The one active account matching `lookup`, `None` when there is none, several, or the module
/// cannot be asked (no SCIM token, unreachable): core then treats the license as unknown.
pub async fn find(cx: &Cx<'_>, lookup: Lookup<'_>) -> Option<Account> {
    let origin = cx.gm.upstream.as_deref()?;
    let token = cx.gm.scim_token.as_deref()?;
    let filter = match lookup {
        Lookup::Username(it) => format!("userName eq {}", quote(it)?),
        Lookup::Email(it) => format!("emails.value eq {}", quote(it)?),
    };
    let query: String =
        form_urlencoded::Serializer::new(String::new()).append_pair("filter", &filter).finish();
    let url = format!("{origin}/scim/v2/Users?{query}");

    let headers = Headers::new();
    headers.set("Authorization", &format!("Bearer {token}")).ok()?;
    headers.set("Accept", "application/scim+json").ok()?;
    headers.set(MODULE_HEADER, &cx.gm.upstream_module).ok()?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(headers);
    let req = Request::new_with_init(&url, &init).ok()?;
    let mut resp = Fetch::Request(req).send().await.ok()?;
    if resp.status_code() != 200 {
        return None;
    }
    let body: Value = resp.json().await.ok()?;
    account_from_list(&body)
}

/// The single active user of a SCIM ListResponse.
pub fn account_from_list(body: &Value) -> Option<Account> {
    let resources = body.get("Resources")?.as_array()?;
    let mut active = resources.iter().filter(|it| it.get("active") != Some(&Value::Bool(false)));
    let user = active.next()?;
    if active.next().is_some() {
        return None;
    }

    let username = user.get("userName")?.as_str()?.to_owned();
    let license = user
        .as_object()?
        .iter()
        .filter(|(key, _)| key.starts_with("urn:"))
        .find_map(|(_, ext)| ext.get("licenseType")?.as_str())
        .or_else(|| user.get("licenseType")?.as_str());
    Some(Account { username, license_type: license.and_then(license_from_label) })
}

/// A license type from its label ("Co-Managed Help Desk User") or its code
/// (`co_managed_help_desk_user`).
pub fn license_from_label(label: &str) -> Option<LicenseType> {
    let label = label.trim();
    LicenseType::ALL.into_iter().find(|it| {
        it.label().eq_ignore_ascii_case(label)
            || serde_json::to_value(it).ok().and_then(|v| v.as_str().map(str::to_owned))
                == Some(label.to_owned())
    })
}

/// A SCIM string literal for `value`, or `None` for values no username or email holds.
fn quote(value: &str) -> Option<String> {
    if value.is_empty() || value.len() > 256 || value.chars().any(|it| it.is_control()) {
        return None;
    }
    serde_json::to_string(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn license_labels_and_codes_map_to_core_types() {
        let rows = [
            ("Full", Some(LicenseType::Full)),
            ("Co-Managed Help Desk User", Some(LicenseType::CoManagedHelpDeskUser)),
            ("dashboard_user", Some(LicenseType::DashboardUser)),
            (" contractor ", Some(LicenseType::Contractor)),
            ("Gold", None),
        ];
        for (label, expected) in rows {
            assert_eq!(license_from_label(label), expected, "label {label:?}");
        }
    }

    #[test]
    fn only_a_single_active_match_counts() {
        let ext = "urn:onegate:params:scim:schemas:extension:module:2.0:User";
        let user = |name: &str, active: bool| json!({ "userName": name, "active": active, ext: { "licenseType": "Contractor" } });
        let one = json!({ "Resources": [user("c", true), user("old", false)] });
        assert_eq!(
            account_from_list(&one),
            Some(Account { username: "c".into(), license_type: Some(LicenseType::Contractor) })
        );
        let two = json!({ "Resources": [user("a", true), user("b", true)] });
        assert_eq!(account_from_list(&two), None);
        assert_eq!(account_from_list(&json!({ "Resources": [] })), None);
        assert_eq!(account_from_list(&json!({ "detail": "nope" })), None);
    }
}
