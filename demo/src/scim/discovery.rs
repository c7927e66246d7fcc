//! The SCIM discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes, Schemas.

use serde_json::{Value, json};

use super::filter::CORE_USER_URN;
use super::resource::{EXT_URN, SECURITY_LEVEL_URN};

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
            "schemaExtensions": [{ "schema": EXT_URN, "required": false }],
            "meta": { "resourceType": "ResourceType", "location": format!("{location}/ResourceTypes/User") }
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
    json!({
        "name": a.name,
        "type": a.kind,
        "multiValued": false,
        "description": a.description,
        "required": a.required,
        "caseExact": a.case_exact,
        "mutability": a.mutability,
        "returned": a.returned,
        "uniqueness": a.uniqueness,
    })
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

/// Every schema this endpoint serves.
pub fn schemas(location: &str) -> Vec<Value> {
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
    let mut emails = attr_json(&attr("emails", "complex", "The work email address"));
    if let Some(obj) = emails.as_object_mut() {
        obj.insert("multiValued".into(), Value::Bool(true));
        obj.insert(
            "subAttributes".into(),
            json!([
                attr_json(&attr("value", "string", "Email address")),
                attr_json(&attr("type", "string", "Always work")),
                attr_json(&attr("primary", "boolean", "Always true")),
            ]),
        );
    }
    let user = vec![
        attr_json(&user_name),
        attr_json(&attr("active", "boolean", "Whether the account may sign in")),
        emails,
        attr_json(&password),
    ];

    let level = Attr {
        required: false,
        ..attr("securityLevel", "string", "Id of the user's security level (see SecurityLevels)")
    };
    let level_name = Attr {
        mutability: "readOnly",
        ..attr("securityLevelName", "string", "Name of the user's security level")
    };
    let extension = vec![
        attr_json(&level),
        attr_json(&level_name),
        attr_json(&attr(
            "licenseType",
            "string",
            "Full, Dashboard User, Co-Managed Help Desk User or Contractor",
        )),
        attr_json(&attr("department", "string", "Department")),
        attr_json(&attr("role", "string", "Role")),
        attr_json(&attr("timesheetApprover", "string", "Who approves timesheets")),
        attr_json(&attr("expenseReportApprover", "string", "Who approves expense reports")),
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
