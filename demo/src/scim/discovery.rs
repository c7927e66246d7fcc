//! The SCIM discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes, Schemas.

use serde_json::{Value, json};

use super::filter::CORE_USER_URN;
use super::resource::{EXT_URN, SECURITY_LEVEL_URN};
use crate::model::{LICENSE_TYPES, SecurityLevel};

/// The most resources one list response returns.
pub const MAX_RESULTS: usize = 200;

/// `GET /ServiceProviderConfig`.
pub fn service_provider_config(location: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://github.com/onegate/onegate/blob/main/demo/README.md",
        "patch": { "supported": true },
        "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
        "filter": { "supported": true, "maxResults": MAX_RESULTS },
        "changePassword": { "supported": false },
        "sort": { "supported": false },
        "etag": { "supported": false },
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "Bearer token",
            "description": "Authorization: Bearer <the module's SCIM_TOKEN_<MODULE> value>",
            "primary": true
        }],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": format!("{location}/ServiceProviderConfig"),
        }
    })
}

/// The resource types: User (with the module extension) and the read-only SecurityLevel.
pub fn resource_types(location: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "A module user account",
            "schema": CORE_USER_URN,
            // Every account holds the extension's values (the module's defaults when a
            // creation omits them), so it is required.
            "schemaExtensions": [{ "schema": EXT_URN, "required": true }],
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{location}/ResourceTypes/User"),
            }
        }),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "SecurityLevel",
            "name": "SecurityLevel",
            "endpoint": "/SecurityLevels",
            "description": "The module's security levels (read-only)",
            "schema": SECURITY_LEVEL_URN,
            "meta": {
                "resourceType": "ResourceType",
                "location": format!("{location}/ResourceTypes/SecurityLevel")
            }
        }),
    ]
}

struct Attr {
    name: &'static str,
    kind: &'static str,
    required: bool,
    case_exact: bool,
    mutability: &'static str,
    returned: &'static str,
    uniqueness: &'static str,
    description: &'static str,
}

const fn attr(name: &'static str, kind: &'static str, description: &'static str) -> Attr {
    Attr {
        name,
        kind,
        required: false,
        case_exact: false,
        mutability: "readWrite",
        returned: "default",
        uniqueness: "none",
        description,
    }
}

fn attr_json(a: &Attr) -> Value {
    attr_json_with(a, &[])
}

/// An attribute definition; a non-empty `canonical` list becomes its `canonicalValues` (RFC
/// 7643 §7), the only values the endpoint accepts for it.
fn attr_json_with(a: &Attr, canonical: &[String]) -> Value {
    let mut v = json!({
        "name": a.name,
        "type": a.kind,
        "multiValued": false,
        "description": a.description,
        "required": a.required,
        "caseExact": a.case_exact,
        "mutability": a.mutability,
        "returned": a.returned,
        "uniqueness": a.uniqueness,
    });
    if let (false, Some(obj)) = (canonical.is_empty(), v.as_object_mut()) {
        obj.insert("canonicalValues".into(), json!(canonical));
    }
    v
}

fn schema(
    id: &str,
    name: &str,
    description: &str,
    attributes: Vec<Value>,
    location: &str,
) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": { "resourceType": "Schema", "location": format!("{location}/Schemas/{id}") }
    })
}

/// Every schema this endpoint serves; `levels` are the module's security levels, whose active
/// ids are the `canonicalValues` of `securityLevel`.
pub fn schemas(location: &str, levels: &[SecurityLevel]) -> Vec<Value> {
    let user_name = Attr {
        required: true,
        uniqueness: "server",
        ..attr("userName", "string", "Login name, unique in the module ignoring case")
    };
    let password = Attr {
        mutability: "writeOnly",
        returned: "never",
        ..attr("password", "string", "Sets the module credentials password")
    };
    // One work address per user: `type` is always "work", and with a single value there is no
    // `primary` to choose (sent ones are ignored, none is returned).
    let mut emails = attr_json(&attr("emails", "complex", "The work email address (one)"));
    if let Some(obj) = emails.as_object_mut() {
        obj.insert("multiValued".into(), Value::Bool(true));
        obj.insert(
            "subAttributes".into(),
            json!([
                attr_json(&attr("value", "string", "Email address")),
                attr_json_with(&attr("type", "string", "Always work"), &["work".to_owned()]),
            ]),
        );
    }
    // `required`: the module always holds a value (a creation that omits one gets the
    // module's default from its settings), so it cannot be removed.
    let kept = |a: Attr| attr_json(&Attr { required: true, ..a });
    let user = vec![
        attr_json(&user_name),
        kept(attr("active", "boolean", "Whether the account may sign in (default true)")),
        emails,
        attr_json(&password),
    ];

    let level = Attr {
        required: true,
        ..attr(
            "securityLevel",
            "string",
            "Id of the user's security level: one of the active ids of /SecurityLevels",
        )
    };
    let level_name = Attr {
        mutability: "readOnly",
        returned: "request",
        ..attr("securityLevelName", "string", "Name of the user's level; ask with attributes=")
    };
    let level_ids: Vec<String> =
        levels.iter().filter(|l| l.active != 0).map(|l| l.id.to_string()).collect();
    let licenses: Vec<String> = LICENSE_TYPES.iter().map(|t| (*t).to_owned()).collect();
    let extension = vec![
        attr_json_with(&level, &level_ids),
        attr_json(&level_name),
        attr_json_with(
            &Attr {
                required: true,
                ..attr(
                    "licenseType",
                    "string",
                    "Full, Dashboard User, Co-Managed Help Desk User or Contractor",
                )
            },
            &licenses,
        ),
        kept(attr("department", "string", "Department")),
        kept(attr("role", "string", "Role")),
        kept(attr("timesheetApprover", "string", "Who approves timesheets")),
        kept(attr("expenseReportApprover", "string", "Who approves expense reports")),
    ];

    let read_only = |a: Attr| attr_json(&Attr { mutability: "readOnly", ..a });
    let security_level = vec![
        read_only(attr("name", "string", "Display name; not unique")),
        read_only(attr("active", "boolean", "Whether it can be assigned")),
        read_only(attr("rank", "integer", "Privilege: lower is less privileged")),
    ];

    vec![
        schema(CORE_USER_URN, "User", "Module user account", user, location),
        schema(EXT_URN, "ModuleUser", "Module-specific user attributes", extension, location),
        schema(
            SECURITY_LEVEL_URN,
            "SecurityLevel",
            "Module security level",
            security_level,
            location,
        ),
    ]
}

/// A ListResponse around `resources` (RFC 7644 §3.4.2).
pub fn list_response(total: usize, start_index: usize, resources: Vec<Value>) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}
