//! The SCIM User resource of a demo module: its JSON form, and the rules that turn a POST,
//! PUT or PATCH body into the user's new fields. Pure: the handlers do the D1 work.
//!
//! The security level travels in the extension [`EXT_URN`] as `securityLevel`, holding the
//! level's id as a string (names are not unique: the seed has two levels named "Sales").
//! `securityLevelName` is read-only. The extension also carries `licenseType`, `department`,
//! `role`, `timesheetApprover` and `expenseReportApprover`; new accounts take the module's
//! defaults for any of them not given.

use serde_json::{Map, Value, json};

use super::filter::CORE_USER_URN;
use crate::model::{SecurityLevel, User, UserFields, license_type};

/// The module extension schema of the User resource.
pub const EXT_URN: &str = "urn:onegate:params:scim:schemas:extension:module:2.0:User";

/// The SCIM error response schema.
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The SCIM PATCH request schema.
pub const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Longest accepted string attribute, in characters.
const MAX_STRING: usize = 256;

/// A SCIM error (RFC 7644 §3.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScimError {
    /// HTTP status.
    pub status: u16,
    /// The `scimType`, for 400 and 409 errors.
    pub scim_type: Option<&'static str>,
    /// A message a person can act on.
    pub detail: String,
}

impl ScimError {
    /// A 400 with the given `scimType`.
    pub fn bad(scim_type: &'static str, detail: impl Into<String>) -> Self {
        ScimError { status: 400, scim_type: Some(scim_type), detail: detail.into() }
    }

    /// A 400 `invalidValue`.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad("invalidValue", detail)
    }

    /// Any other status without a `scimType`.
    pub fn status(status: u16, detail: impl Into<String>) -> Self {
        ScimError { status, scim_type: None, detail: detail.into() }
    }

    /// The error body.
    pub fn to_json(&self) -> Value {
        let mut body = json!({
            "schemas": [ERROR_URN],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let (Some(t), Some(obj)) = (self.scim_type, body.as_object_mut()) {
            obj.insert("scimType".into(), Value::String(t.into()));
        }
        body
    }
}

/// The SCIM representation of `user`; `location` is the absolute URL of the Users endpoint.
pub fn user_json(user: &User, location: &str) -> Value {
    let emails = match &user.email {
        Some(e) => json!([{ "value": e, "type": "work" }]),
        None => json!([]),
    };
    let mut body = json!({
        "schemas": [CORE_USER_URN, EXT_URN],
        "id": user.id.to_string(),
        "userName": user.username,
        "active": user.is_active(),
        "emails": emails,
        EXT_URN: {
            "securityLevel": user.security_level_id.to_string(),
            "securityLevelName": user.security_level_name,
            "licenseType": user.license_type,
            "department": user.department,
            "role": user.role,
            "timesheetApprover": user.timesheet_approver,
            "expenseReportApprover": user.expense_report_approver,
        },
        "meta": {
            "resourceType": "User",
            "created": user.created_at,
            "lastModified": user.updated_at,
            "location": format!("{location}/{}", user.id),
            "version": format!("W/\"{}\"", user.updated_at),
        },
    });
    if let (Some(ext), Some(obj)) = (&user.external_id, body.as_object_mut()) {
        obj.insert("externalId".into(), Value::String(ext.clone()));
    }
    body
}

/// Attributes named in an `attributes` or `excludedAttributes` parameter (RFC 7644 §3.4.2.5):
/// `userName`, `emails.value`, `urn:...:core:2.0:User:active`, `<EXT_URN>` (the whole
/// extension) or `<EXT_URN>:department`; names compare ignoring case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Projection {
    /// `attributes`: when not empty, only these (and `id`, `schemas`, `meta`) are returned.
    pub attributes: Vec<String>,
    /// `excludedAttributes`: removed from the default set.
    pub excluded: Vec<String>,
}

/// Extension attributes with `returned: "request"`: only sent when named in `attributes`.
const RETURNED_ON_REQUEST: [&str; 1] = ["securitylevelname"];

impl Projection {
    /// Reads the two comma-separated parameters.
    pub fn parse(attributes: Option<&str>, excluded: Option<&str>) -> Self {
        let list = |v: Option<&str>| -> Vec<String> {
            v.unwrap_or_default()
                .split(',')
                .map(|a| a.trim().to_ascii_lowercase())
                .filter(|a| !a.is_empty())
                .collect()
        };
        Projection { attributes: list(attributes), excluded: list(excluded) }
    }

    /// `(top-level key, sub-attribute)` of a named path, all lower case; the extension's
    /// attributes are keyed under the lower-cased extension URN.
    fn split(path: &str) -> (String, Option<String>) {
        let ext = EXT_URN.to_ascii_lowercase();
        if path == ext {
            return (ext, None);
        }
        if let Some(rest) = path.strip_prefix(&format!("{ext}:")) {
            let attr = rest.split('.').next().unwrap_or(rest);
            return (ext, Some(attr.to_owned()));
        }
        let core = format!("{}:", CORE_USER_URN.to_ascii_lowercase());
        let path = path.strip_prefix(&core).unwrap_or(path);
        match path.split_once('.') {
            Some((top, sub)) => (top.to_owned(), Some(sub.to_owned())),
            None => (path.to_owned(), None),
        }
    }

    fn named(list: &[String]) -> Vec<(String, Option<String>)> {
        list.iter().map(|p| Self::split(p)).collect()
    }

    /// Applies the parameters to a User resource in place.
    pub fn apply(&self, resource: &mut Value) {
        let Some(obj) = resource.as_object_mut() else { return };
        let ext_key = EXT_URN.to_ascii_lowercase();
        let included = Self::named(&self.attributes);
        let excluded = Self::named(&self.excluded);
        let always = ["id", "schemas", "meta"];

        obj.retain(|key, value| {
            let key = key.to_ascii_lowercase();
            if always.contains(&key.as_str()) {
                return true;
            }
            if key == ext_key {
                let Some(ext) = value.as_object_mut() else { return false };
                ext.retain(|k, _| {
                    let k = k.to_ascii_lowercase();
                    let named = |list: &[(String, Option<String>)]| {
                        list.iter().any(|(t, a)| *t == ext_key && a.as_deref() == Some(&k))
                    };
                    let whole = |list: &[(String, Option<String>)]| {
                        list.iter().any(|(t, a)| *t == ext_key && a.is_none())
                    };
                    if RETURNED_ON_REQUEST.contains(&k.as_str()) {
                        return named(&included);
                    }
                    if named(&excluded) || whole(&excluded) {
                        return false;
                    }
                    included.is_empty() || whole(&included) || named(&included)
                });
                return !ext.is_empty();
            }
            if excluded.iter().any(|(t, sub)| *t == key && sub.is_none()) {
                return false;
            }
            for (_, sub) in excluded.iter().filter(|(t, _)| *t == key) {
                if let (Some(sub), Some(items)) = (sub, value.as_array_mut()) {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        item.retain(|k, _| !k.eq_ignore_ascii_case(sub));
                    }
                }
            }
            included.is_empty() || included.iter().any(|(t, _)| *t == key)
        });
    }
}

/// The SCIM representation of a security level.
pub fn security_level_json(level: &SecurityLevel, location: &str) -> Value {
    json!({
        "schemas": [SECURITY_LEVEL_URN],
        "id": level.id.to_string(),
        "name": level.name,
        "active": level.active != 0,
        "rank": level.rank,
        "meta": { "resourceType": "SecurityLevel", "location": format!("{location}/{}", level.id) },
    })
}

/// The schema of the read-only SecurityLevel resource this demo adds.
pub const SECURITY_LEVEL_URN: &str = "urn:onegate:params:scim:schemas:module:2.0:SecurityLevel";

fn string(name: &str, value: &Value) -> Result<String, ScimError> {
    let Some(s) = value.as_str() else {
        return Err(ScimError::invalid_value(format!("{name} must be a string")));
    };
    let s = s.trim();
    if s.is_empty() {
        return Err(ScimError::invalid_value(format!("{name} must not be empty")));
    }
    if s.chars().count() > MAX_STRING || s.chars().any(char::is_control) {
        return Err(ScimError::invalid_value(format!(
            "{name} must be at most {MAX_STRING} printable characters"
        )));
    }
    Ok(s.to_owned())
}

fn optional_string(name: &str, value: &Value) -> Result<Option<String>, ScimError> {
    match value {
        Value::Null => Ok(None),
        v => string(name, v).map(Some),
    }
}

fn boolean(name: &str, value: &Value) -> Result<bool, ScimError> {
    // Some identity providers send booleans as strings ("False") in PATCH values.
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::invalid_value(format!("{name} must be true or false"))),
    }
}

/// The user name rule: 1 to 100 characters, no spaces or control characters.
pub fn user_name(value: &Value) -> Result<String, ScimError> {
    let name = string("userName", value)?;
    if name.chars().count() > 100 || name.chars().any(char::is_whitespace) {
        return Err(ScimError::invalid_value(
            "userName must be at most 100 characters without spaces",
        ));
    }
    Ok(name)
}

fn email(value: &Value) -> Result<Option<String>, ScimError> {
    let chosen = match value {
        Value::Null => return Ok(None),
        Value::String(_) => value.clone(),
        Value::Object(o) => o.get("value").cloned().unwrap_or(Value::Null),
        Value::Array(items) if items.is_empty() => return Ok(None),
        Value::Array(items) => {
            let primary = items.iter().find(|e| e.get("primary") == Some(&Value::Bool(true)));
            let work = items.iter().find(|e| e.get("type").and_then(Value::as_str) == Some("work"));
            let pick = work.or(primary).or(items.first()).unwrap_or(&Value::Null);
            email_type(pick)?;
            pick.get("value").cloned().unwrap_or(Value::Null)
        }
        _ => return Err(ScimError::invalid_value("emails must be a list of {value, type}")),
    };
    if value.is_object() {
        email_type(value)?;
    }
    let address = string("emails.value", &chosen)?;
    if !address.contains('@') {
        return Err(ScimError::invalid_value(format!("'{address}' is not an email address")));
    }
    Ok(Some(address))
}

/// The module keeps one work address: a `type` other than "work" would be silently changed,
/// so it is refused (the schema's `canonicalValues` say so).
fn email_type(item: &Value) -> Result<(), ScimError> {
    match item.get("type") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(t)) if t.eq_ignore_ascii_case("work") => Ok(()),
        Some(other) => Err(ScimError::invalid_value(format!(
            "emails type {other} is not supported: this module keeps one \"work\" address"
        ))),
    }
}

fn security_level(value: &Value, levels: &[SecurityLevel]) -> Result<i64, ScimError> {
    let id = match value {
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    };
    let Some(id) = id else {
        return Err(ScimError::invalid_value(
            "securityLevel must be the id of one of this module's security levels \
             (see /scim/v2/SecurityLevels)",
        ));
    };
    match levels.iter().find(|l| l.id == id) {
        None => Err(ScimError::invalid_value(format!(
            "security level {id} does not exist in this module (see /scim/v2/SecurityLevels)"
        ))),
        Some(l) if l.active == 0 => Err(ScimError::invalid_value(format!(
            "security level {id} ({}) is inactive and cannot be assigned",
            l.name
        ))),
        Some(l) => Ok(l.id),
    }
}

/// Sets one attribute, named by a PATCH path or a body key. Paths may be qualified with the
/// core or extension URN; `emails[...]` paths set the work email.
pub fn set_attr(
    fields: &mut UserFields,
    path: &str,
    value: &Value,
    levels: &[SecurityLevel],
) -> Result<(), ScimError> {
    let attr = unqualified(path);
    if attr.is_empty() {
        // The path names a whole schema (`urn:...:User`): apply the object's attributes.
        let Some(obj) = value.as_object() else {
            return Err(ScimError::invalid_value(format!("{path} needs an object value")));
        };
        for (k, v) in obj {
            set_attr(fields, k, v, levels)?;
        }
        return Ok(());
    }
    let lower = attr.to_ascii_lowercase();
    if lower.starts_with("emails") {
        fields.email = email(value)?;
        return Ok(());
    }

    match lower.as_str() {
        "username" => fields.username = user_name(value)?,
        "active" => fields.active = boolean("active", value)?,
        "externalid" => fields.external_id = optional_string("externalId", value)?,
        "password" => fields.new_password = Some(string("password", value)?),
        "securitylevel" => fields.security_level_id = security_level(value, levels)?,
        "licensetype" => {
            let name = string("licenseType", value)?;
            let Some(canonical) = license_type(&name) else {
                return Err(ScimError::invalid_value(format!(
                    "licenseType '{name}' is not one of Full, Dashboard User, \
                     Co-Managed Help Desk User, Contractor"
                )));
            };
            fields.license_type = canonical.to_owned();
        }
        "department" => fields.department = string("department", value)?,
        "role" => fields.role = string("role", value)?,
        "timesheetapprover" => fields.timesheet_approver = string("timesheetApprover", value)?,
        "expensereportapprover" => {
            fields.expense_report_approver = string("expenseReportApprover", value)?;
        }
        // Read-only or not stored by this module: ignored, as RFC 7644 §3.3 allows.
        "id" | "meta" | "schemas" | "securitylevelname" | "displayname" | "name" | "title"
        | "nickname" | "locale" | "timezone" | "usertype" | "preferredlanguage"
        | "phonenumbers" | "addresses" | "groups" | "roles" => {}
        _ => {
            return Err(ScimError::bad("invalidPath", format!("unknown attribute '{path}'")));
        }
    }
    Ok(())
}

/// Strips a core or extension URN prefix (`urn:...:User:securityLevel` -> `securityLevel`).
fn unqualified(path: &str) -> &str {
    for urn in [CORE_USER_URN, EXT_URN] {
        let qualified = path.get(..urn.len()).is_some_and(|p| p.eq_ignore_ascii_case(urn));
        if qualified {
            return path[urn.len()..].trim_start_matches(':');
        }
    }
    path
}

/// Applies every attribute of a resource body (POST, PUT, or a PATCH without a path).
pub fn apply_object(
    fields: &mut UserFields,
    body: &Map<String, Value>,
    levels: &[SecurityLevel],
) -> Result<(), ScimError> {
    for (key, value) in body {
        if key.eq_ignore_ascii_case(EXT_URN) {
            let Some(ext) = value.as_object() else {
                return Err(ScimError::invalid_value(format!("{EXT_URN} must be an object")));
            };
            for (k, v) in ext {
                set_attr(fields, k, v, levels)?;
            }
            continue;
        }
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
            && unqualified(key) == key.as_str()
        {
            // An extension this module does not know: ignored.
            continue;
        }
        set_attr(fields, key, value, levels)?;
    }
    Ok(())
}

/// Reads a POST or PUT body: a JSON object with a `userName`.
pub fn resource_body(body: &str) -> Result<Map<String, Value>, ScimError> {
    let value: Value = serde_json::from_str(body)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("body is not valid JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(ScimError::bad("invalidSyntax", "body must be a JSON object"));
    };
    let has_name = obj.iter().any(|(k, v)| k.eq_ignore_ascii_case("userName") && !v.is_null());
    if !has_name {
        return Err(ScimError::invalid_value("userName is required"));
    }
    Ok(obj)
}

/// Applies a PATCH body (RFC 7644 §3.5.2) to `fields`.
pub fn apply_patch(
    fields: &mut UserFields,
    body: &str,
    levels: &[SecurityLevel],
) -> Result<(), ScimError> {
    let value: Value = serde_json::from_str(body)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("body is not valid JSON: {e}")))?;
    let ops = value
        .get("Operations")
        .or_else(|| value.get("operations"))
        .and_then(Value::as_array)
        .ok_or_else(|| {
            ScimError::bad("invalidSyntax", "a PATCH body needs an \"Operations\" list")
        })?;
    if ops.is_empty() {
        return Err(ScimError::bad("invalidSyntax", "\"Operations\" is empty"));
    }

    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        let path = op.get("path").and_then(Value::as_str);
        let value = op.get("value").unwrap_or(&Value::Null);
        match (kind.as_str(), path) {
            ("add" | "replace", Some(path)) => set_attr(fields, path, value, levels)?,
            ("add" | "replace", None) => {
                let Some(obj) = value.as_object() else {
                    return Err(ScimError::invalid_value(
                        "an operation without a path needs an object value",
                    ));
                };
                apply_object(fields, obj, levels)?;
            }
            ("remove", None) => {
                return Err(ScimError::bad("noTarget", "remove needs a path"));
            }
            ("remove", Some(path)) => remove_attr(fields, path)?,
            (other, _) => {
                return Err(ScimError::bad(
                    "invalidSyntax",
                    format!("unknown op '{other}': use add, replace or remove"),
                ));
            }
        }
    }
    Ok(())
}

fn remove_attr(fields: &mut UserFields, path: &str) -> Result<(), ScimError> {
    let lower = unqualified(path).to_ascii_lowercase();
    if lower.starts_with("emails") {
        fields.email = None;
        return Ok(());
    }
    if lower == "externalid" {
        fields.external_id = None;
        return Ok(());
    }
    Err(ScimError::bad("mutability", format!("'{path}' is required and cannot be removed")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Settings;

    fn levels() -> Vec<SecurityLevel> {
        vec![
            SecurityLevel { id: 3, name: "Technician".into(), active: 1, rank: 30 },
            SecurityLevel { id: 5, name: "Dashboard".into(), active: 1, rank: 10 },
            SecurityLevel { id: 8, name: "Former Staff".into(), active: 0, rank: 0 },
        ]
    }

    fn fields() -> UserFields {
        let settings = Settings {
            default_security_level_id: 5,
            default_license_type: "Full".into(),
            default_department: "Service Desk".into(),
            default_role: "Technician".into(),
            default_timesheet_approver: "manager".into(),
            default_expense_report_approver: "manager".into(),
        };
        UserFields::with_defaults("new.user".into(), &settings)
    }

    fn patch(body: &str) -> Result<UserFields, ScimError> {
        let mut f = fields();
        apply_patch(&mut f, body, &levels()).map(|()| f)
    }

    #[test]
    fn create_body_applies_over_defaults() {
        let body = r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName":"Alice","emails":[{"value":"alice@acme.example","type":"work"}],
            "urn:onegate:params:scim:schemas:extension:module:2.0:User":{"securityLevel":"3"}}"#;
        let obj = resource_body(body).expect("valid body");
        let mut f = fields();
        apply_object(&mut f, &obj, &levels()).expect("applies");
        assert_eq!(f.username, "Alice");
        assert_eq!(f.email.as_deref(), Some("alice@acme.example"));
        assert_eq!(f.security_level_id, 3);
        assert_eq!((f.department.as_str(), f.role.as_str()), ("Service Desk", "Technician"));
    }

    #[test]
    fn bad_bodies_table() {
        let rows: &[(&str, &str, &str)] = &[
            ("not_json", "{", "invalidSyntax"),
            ("not_object", "[1]", "invalidSyntax"),
            ("no_user_name", r#"{"active":true}"#, "invalidValue"),
            ("user_name_not_string", r#"{"userName":5}"#, "invalidValue"),
            ("user_name_blank", r#"{"userName":"  "}"#, "invalidValue"),
            ("user_name_space", r#"{"userName":"a b"}"#, "invalidValue"),
            ("active_not_bool", r#"{"userName":"a","active":"maybe"}"#, "invalidValue"),
            ("email_without_at", r#"{"userName":"a","emails":[{"value":"x"}]}"#, "invalidValue"),
            ("unknown_level", r#"{"userName":"a","securityLevel":"99"}"#, "invalidValue"),
            (
                "home_email",
                r#"{"userName":"a","emails":[{"value":"a@b.example","type":"home"}]}"#,
                "invalidValue",
            ),
            ("inactive_level", r#"{"userName":"a","securityLevel":"8"}"#, "invalidValue"),
            ("bad_license", r#"{"userName":"a","licenseType":"Gold"}"#, "invalidValue"),
            ("unknown_attr", r#"{"userName":"a","shoeSize":43}"#, "invalidPath"),
        ];
        for (name, body, scim_type) in rows {
            let got = resource_body(body).and_then(|obj| {
                let mut f = fields();
                apply_object(&mut f, &obj, &levels())
            });
            let err = got.expect_err(name);
            assert_eq!((err.status, err.scim_type), (400, Some(*scim_type)), "row {name}: {err:?}");
        }
    }

    #[test]
    fn patch_table() {
        type Row<'a> = (&'a str, &'a str, fn(&UserFields) -> bool);
        let ok: &[Row] = &[
            (
                "replace_level_by_extension_path",
                concat!(
                    r#"{"Operations":[{"op":"replace","path":"#,
                    r#""urn:onegate:params:scim:schemas:extension:module:2.0:User:securityLevel","#,
                    r#""value":"3"}]}"#
                ),
                |f| f.security_level_id == 3,
            ),
            (
                "replace_active_azure_style",
                r#"{"Operations":[{"op":"Replace","path":"active","value":"False"}]}"#,
                |f| !f.active,
            ),
            (
                "replace_without_path",
                r#"{"Operations":[{"op":"replace","value":{"active":false,
                    "urn:onegate:params:scim:schemas:extension:module:2.0:User":
                    {"securityLevel":3}}}]}"#,
                |f| !f.active && f.security_level_id == 3,
            ),
            (
                "work_email_path",
                r#"{"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value",
                    "value":"x@y.example"}]}"#,
                |f| f.email.as_deref() == Some("x@y.example"),
            ),
            (
                "remove_external_id",
                r#"{"Operations":[{"op":"remove","path":"externalId"}]}"#,
                |f| f.external_id.is_none(),
            ),
        ];
        for (name, body, check) in ok {
            let f = patch(body).unwrap_or_else(|e| panic!("row {name}: {e:?}"));
            assert!(check(&f), "row {name}: {f:?}");
        }

        let bad: &[(&str, &str, &str)] = &[
            ("no_operations", r#"{"schemas":[]}"#, "invalidSyntax"),
            ("empty_operations", r#"{"Operations":[]}"#, "invalidSyntax"),
            ("unknown_op", r#"{"Operations":[{"op":"move","path":"active"}]}"#, "invalidSyntax"),
            ("remove_without_path", r#"{"Operations":[{"op":"remove"}]}"#, "noTarget"),
            (
                "remove_required",
                r#"{"Operations":[{"op":"remove","path":"userName"}]}"#,
                "mutability",
            ),
            (
                "bad_value",
                r#"{"Operations":[{"op":"replace","path":"active","value":3}]}"#,
                "invalidValue",
            ),
            (
                "unknown_path",
                r#"{"Operations":[{"op":"replace","path":"x","value":3}]}"#,
                "invalidPath",
            ),
            ("pathless_scalar", r#"{"Operations":[{"op":"replace","value":3}]}"#, "invalidValue"),
        ];
        for (name, body, scim_type) in bad {
            let err = patch(body).expect_err(name);
            assert_eq!((err.status, err.scim_type), (400, Some(*scim_type)), "row {name}: {err:?}");
        }
    }

    #[test]
    fn projection_table() {
        let user = || {
            json!({"schemas": [CORE_USER_URN, EXT_URN], "id": "7", "userName": "a",
                "active": true, "emails": [{"value": "a@b.example", "type": "work"}],
                EXT_URN: {"securityLevel": "3", "securityLevelName": "Technician",
                    "department": "Ops"},
                "meta": {"resourceType": "User"}})
        };
        let ext = EXT_URN;
        let level_name = format!("{ext}:securityLevelName");
        type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Value);
        let rows: Vec<Row> = vec![
            (
                "default_hides_request_only",
                None,
                None,
                json!({"schemas": [CORE_USER_URN, EXT_URN], "id": "7", "userName": "a",
                    "active": true, "emails": [{"value": "a@b.example", "type": "work"}],
                    EXT_URN: {"securityLevel": "3", "department": "Ops"},
                    "meta": {"resourceType": "User"}}),
            ),
            (
                "attributes_keep_always_returned",
                Some("USERNAME"),
                None,
                json!({"schemas": [CORE_USER_URN, EXT_URN], "id": "7", "userName": "a",
                    "meta": {"resourceType": "User"}}),
            ),
            ("attributes_ext_attr", Some(level_name.as_str()), None, {
                json!({"schemas": [CORE_USER_URN, EXT_URN], "id": "7",
                    EXT_URN: {"securityLevelName": "Technician"},
                    "meta": {"resourceType": "User"}})
            }),
            (
                "excluded_core_and_sub",
                None,
                Some("active,emails.type,urn:ietf:params:scim:schemas:core:2.0:User:userName"),
                {
                    json!({"schemas": [CORE_USER_URN, EXT_URN], "id": "7",
                    "emails": [{"value": "a@b.example"}],
                    EXT_URN: {"securityLevel": "3", "department": "Ops"},
                    "meta": {"resourceType": "User"}})
                },
            ),
            ("excluded_whole_ext", None, Some(ext), {
                json!({"schemas": [CORE_USER_URN, EXT_URN], "id": "7", "userName": "a",
                    "active": true, "emails": [{"value": "a@b.example", "type": "work"}],
                    "meta": {"resourceType": "User"}})
            }),
        ];
        for (name, attributes, excluded, expect) in rows {
            let mut got = user();
            Projection::parse(attributes, excluded).apply(&mut got);
            assert_eq!(got, expect, "row {name}");
        }
    }

    #[test]
    fn error_body_shape() {
        let body = ScimError::bad("uniqueness", "taken").to_json();
        assert_eq!(
            body,
            json!({"schemas":[ERROR_URN],"status":"400","scimType":"uniqueness","detail":"taken"})
        );
        assert!(ScimError::status(404, "gone").to_json().get("scimType").is_none());
    }
}
