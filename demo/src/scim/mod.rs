//! The SCIM 2.0 endpoint of a demo module (RFC 7643/7644) at `<base>/scim/v2/`, behind a
//! bearer token (the module's own binding: `SCIM_TOKEN_PSA`, `SCIM_TOKEN_RMM`,
//! `SCIM_TOKEN_GLOBEX_PSA`).
//!
//! Users: list with `filter`, `startIndex`, `count`; get, create, replace (PUT), PATCH, delete.
//! SecurityLevels: a read-only resource this demo adds so a provisioning client can learn the
//! level ids to put in `securityLevel`. Every answer is `application/scim+json`; every error has
//! the RFC 7644 §3.12 body, and bad input is a 4xx, never a 5xx.

pub mod discovery;
pub mod filter;
pub mod resource;

use serde_json::Value;
use worker::{Env, Headers, Method, Request, Response, Result};

use crate::model::UserFields;
use crate::module::Module;
use crate::password;
use crate::store::{Store, Write};
use discovery::MAX_RESULTS;
use resource::{Projection, ScimError};

/// The media type of every SCIM answer.
pub const CONTENT_TYPE: &str = "application/scim+json";

/// Largest accepted request body, in bytes.
const MAX_BODY: usize = 64 * 1024;

/// A SCIM JSON response.
pub fn json(status: u16, body: &Value) -> Result<Response> {
    let headers = Headers::new();
    headers.set("Content-Type", CONTENT_TYPE)?;
    headers.set("Cache-Control", "no-store")?;
    let bytes = serde_json::to_vec(body).map_err(|e| worker::Error::RustError(e.to_string()))?;
    Ok(Response::from_bytes(bytes)?.with_status(status).with_headers(headers))
}

/// A SCIM error response.
pub fn error(e: &ScimError) -> Result<Response> {
    let mut resp = json(e.status, &e.to_json())?;
    if e.status == 401 {
        resp.headers_mut().set("WWW-Authenticate", "Bearer realm=\"scim\"")?;
    }
    Ok(resp)
}

/// Compares two secrets in time that depends only on their lengths.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks an `Authorization` header against the module's token.
pub fn authorize(header: Option<&str>, token: Option<&str>) -> Result<(), ScimError> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err(ScimError::status(
            503,
            "SCIM is not configured for this module: set its token",
        ));
    };
    let presented = header.and_then(|h| {
        let (scheme, value) = h.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then_some(value.trim())
    });
    match presented {
        None => Err(ScimError::status(401, "send Authorization: Bearer <SCIM token>")),
        Some(p) if same_secret(p.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ScimError::status(401, "the bearer token is not valid for this module")),
    }
}

/// Paging from `startIndex` (1-based, values below 1 mean 1) and `count` (capped at
/// [`MAX_RESULTS`], negative means 0).
pub fn paging(start: Option<&str>, count: Option<&str>) -> Result<(usize, usize), ScimError> {
    let number = |name: &str, v: Option<&str>| -> Result<Option<i64>, ScimError> {
        v.map(|s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| ScimError::invalid_value(format!("{name} must be an integer")))
        })
        .transpose()
    };
    let start = number("startIndex", start)?.unwrap_or(1).max(1);
    let count = number("count", count)?.unwrap_or(MAX_RESULTS as i64).clamp(0, MAX_RESULTS as i64);
    Ok((usize::try_from(start).unwrap_or(1), usize::try_from(count).unwrap_or(0)))
}

/// Answers a request under `<base>/scim/v2`; `rest` is the path after `/scim/v2`.
pub async fn handle(
    mut req: Request,
    env: &Env,
    module: Module,
    base: &str,
    rest: &str,
) -> Result<Response> {
    let token = env.var(&module.scim_token_var()).ok().map(|v| v.to_string());
    let auth = req.headers().get("Authorization")?;
    if let Err(e) = authorize(auth.as_deref(), token.as_deref()) {
        return error(&e);
    }

    let url = req.url()?;
    let location = format!("{}{base}/scim/v2", url.origin().ascii_serialization());
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let method = req.method();

    let body = match method {
        Method::Post | Method::Put | Method::Patch => {
            let bytes = req.bytes().await.unwrap_or_default();
            if bytes.len() > MAX_BODY {
                return error(&ScimError::status(413, "request body is larger than 64 KiB"));
            }
            match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(_) => return error(&ScimError::bad("invalidSyntax", "body is not UTF-8")),
            }
        }
        _ => String::new(),
    };

    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let param = |name: &str| {
        query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.to_owned())
    };
    let mut projection =
        Projection::parse(param("attributes").as_deref(), param("excludedAttributes").as_deref());

    let store = Store::open(env, module)?;
    let outcome = match (method, segments.as_slice()) {
        (Method::Get, ["ServiceProviderConfig"]) => {
            Ok((200, discovery::service_provider_config(&location)))
        }
        (Method::Get, ["ResourceTypes"]) => {
            let all = discovery::resource_types(&location);
            Ok((200, discovery::list_response(all.len(), 1, all)))
        }
        (Method::Get, ["ResourceTypes", id]) => one(discovery::resource_types(&location), id),
        (Method::Get, ["Schemas"]) => {
            let all = discovery::schemas(&location, &store.security_levels().await?);
            Ok((200, discovery::list_response(all.len(), 1, all)))
        }
        (Method::Get, ["Schemas", id]) => {
            one(discovery::schemas(&location, &store.security_levels().await?), id)
        }
        (Method::Get, ["Users"]) => {
            let list = ListQuery {
                filter: param("filter"),
                start_index: param("startIndex"),
                count: param("count"),
            };
            list_users(&store, &list, &location).await?
        }
        (Method::Post, ["Users", ".search"]) => match search_body(&body) {
            Ok((list, p)) => {
                projection = p;
                list_users(&store, &list, &location).await?
            }
            Err(e) => Err(e),
        },
        (Method::Post, [".search"]) => Err(ScimError::status(
            501,
            "searching several resource types at once is not supported: \
             use POST /Users/.search or GET /Users",
        )),
        (Method::Post, ["Users"]) => create_user(&store, &body, &location).await?,
        (Method::Get, ["Users", id]) => get_user(&store, id, &location).await?,
        (Method::Put, ["Users", id]) => {
            change_user(&store, id, &body, &location, Change::Put).await?
        }
        (Method::Patch, ["Users", id]) => {
            change_user(&store, id, &body, &location, Change::Patch).await?
        }
        (Method::Delete, ["Users", id]) => delete_user(&store, id).await?,
        (Method::Get, ["SecurityLevels"]) => {
            let location = format!("{location}/SecurityLevels");
            let levels = store.security_levels().await?;
            let all: Vec<Value> =
                levels.iter().map(|l| resource::security_level_json(l, &location)).collect();
            Ok((200, discovery::list_response(all.len(), 1, all)))
        }
        (Method::Get, ["SecurityLevels", id]) => {
            let location = format!("{location}/SecurityLevels");
            let levels = store.security_levels().await?;
            let all = levels.iter().map(|l| resource::security_level_json(l, &location)).collect();
            one(all, id)
        }
        (_, ["ServiceProviderConfig" | "ResourceTypes" | "Schemas" | "SecurityLevels", ..])
        | (_, ["Users", ..]) => Err(ScimError::status(405, "method not allowed on this endpoint")),
        _ => Err(ScimError::status(404, format!("no SCIM endpoint at /scim/v2{rest}"))),
    };

    // attributes / excludedAttributes shape every User answer (RFC 7644 §3.4.2.5, §3.9).
    let outcome = match (segments.first(), outcome) {
        (Some(&"Users"), Ok((status @ (200 | 201), mut body))) => {
            match body.get_mut("Resources").and_then(Value::as_array_mut) {
                Some(all) => all.iter_mut().for_each(|u| projection.apply(u)),
                None => projection.apply(&mut body),
            }
            Ok((status, body))
        }
        (_, other) => other,
    };

    match outcome {
        Ok((201, body)) => {
            let mut resp = json(201, &body)?;
            if let Some(loc) = body.pointer("/meta/location").and_then(Value::as_str) {
                resp.headers_mut().set("Location", loc)?;
            }
            Ok(resp)
        }
        Ok((204, _)) => {
            let headers = Headers::new();
            headers.set("Cache-Control", "no-store")?;
            Ok(Response::empty()?.with_status(204).with_headers(headers))
        }
        Ok((status, body)) => json(status, &body),
        Err(e) => error(&e),
    }
}

type Outcome = std::result::Result<(u16, Value), ScimError>;

fn one(all: Vec<Value>, id: &str) -> Outcome {
    all.into_iter()
        .find(|v| v.get("id").and_then(Value::as_str) == Some(id))
        .map(|v| (200, v))
        .ok_or_else(|| ScimError::status(404, format!("no resource with id {id}")))
}

fn user_id(id: &str) -> std::result::Result<i64, ScimError> {
    id.parse().map_err(|_| ScimError::status(404, format!("no user with id {id}")))
}

/// The parameters of a Users query, from the URL (GET) or a `/.search` body (POST).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ListQuery {
    filter: Option<String>,
    start_index: Option<String>,
    count: Option<String>,
}

/// Reads a `SearchRequest` body (RFC 7644 §3.4.3): `filter`, `startIndex`, `count`,
/// `attributes`, `excludedAttributes` (lists of names, or comma-separated strings).
fn search_body(body: &str) -> std::result::Result<(ListQuery, Projection), ScimError> {
    let value: Value = serde_json::from_str(body)
        .map_err(|e| ScimError::bad("invalidSyntax", format!("body is not valid JSON: {e}")))?;
    let Some(obj) = value.as_object() else {
        return Err(ScimError::bad("invalidSyntax", "a search body must be a JSON object"));
    };
    let field = |name: &str| obj.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|e| e.1);
    let text = |name: &str| -> std::result::Result<Option<String>, ScimError> {
        match field(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(|names| Some(names.join(",")))
                .ok_or_else(|| ScimError::invalid_value(format!("{name} must list strings"))),
            Some(_) => Err(ScimError::invalid_value(format!("{name} has the wrong type"))),
        }
    };
    let list = ListQuery {
        filter: text("filter")?,
        start_index: text("startIndex")?,
        count: text("count")?,
    };
    let projection =
        Projection::parse(text("attributes")?.as_deref(), text("excludedAttributes")?.as_deref());
    Ok((list, projection))
}

async fn list_users(store: &Store, list: &ListQuery, location: &str) -> Result<Outcome> {
    let (start, count) = match paging(list.start_index.as_deref(), list.count.as_deref()) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    let filter = match list.filter.as_deref().map(filter::parse).transpose() {
        Ok(f) => f,
        Err(e) => return Ok(Err(ScimError::bad("invalidFilter", e.to_string()))),
    };

    // FIXME: filters other than `userName eq` are evaluated over every user of the module in
    // the Worker; fine for a demo store, a real module would translate them to SQL.
    let users = match filter.as_ref().and_then(filter::user_name_equality) {
        Some(name) => store.user_by_username(name).await?.into_iter().collect(),
        None => store.users().await?,
    };
    let location = format!("{location}/Users");
    let matching: Vec<Value> = users
        .iter()
        .map(|u| resource::user_json(u, &location))
        .filter(|v| filter.as_ref().is_none_or(|f| filter::matches(f, v)))
        .collect();
    let total = matching.len();
    let page = matching.into_iter().skip(start - 1).take(count).collect();
    Ok(Ok((200, discovery::list_response(total, start, page))))
}

async fn get_user(store: &Store, id: &str, location: &str) -> Result<Outcome> {
    let id = match user_id(id) {
        Ok(id) => id,
        Err(e) => return Ok(Err(e)),
    };
    Ok(match store.user_by_id(id).await? {
        Some(user) => Ok((200, resource::user_json(&user, &format!("{location}/Users")))),
        None => Err(ScimError::status(404, format!("no user with id {id}"))),
    })
}

fn hash_new_password(fields: &UserFields) -> std::result::Result<Option<String>, ScimError> {
    fields
        .new_password
        .as_deref()
        .map(password::hash)
        .transpose()
        .map_err(|e| ScimError::status(500, e.to_string()))
}

fn duplicate(fields: &UserFields) -> ScimError {
    ScimError {
        status: 409,
        scim_type: Some("uniqueness"),
        detail: format!(
            "userName '{}' (or the externalId) is already used by another user of this module",
            fields.username
        ),
    }
}

async fn create_user(store: &Store, body: &str, location: &str) -> Result<Outcome> {
    let obj = match resource::resource_body(body) {
        Ok(o) => o,
        Err(e) => return Ok(Err(e)),
    };
    let Some(settings) = store.settings().await? else {
        return Ok(Err(ScimError::status(503, "the module has no settings row: apply the seed")));
    };
    let levels = store.security_levels().await?;
    let mut fields = UserFields::with_defaults(String::new(), &settings);
    if let Err(e) = resource::apply_object(&mut fields, &obj, &levels) {
        return Ok(Err(e));
    }
    let hash = match hash_new_password(&fields) {
        Ok(h) => h,
        Err(e) => return Ok(Err(e)),
    };

    Ok(match store.insert_user(&fields, hash.as_deref()).await? {
        Write::Done(user) => Ok((201, resource::user_json(&user, &format!("{location}/Users")))),
        Write::Duplicate => Err(duplicate(&fields)),
        Write::Missing => Err(ScimError::status(500, "the new user could not be read back")),
    })
}

/// How a user is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// PUT: the body is the whole resource.
    Put,
    /// PATCH: the body is a list of operations.
    Patch,
}

async fn change_user(
    store: &Store,
    id: &str,
    body: &str,
    location: &str,
    change: Change,
) -> Result<Outcome> {
    let id = match user_id(id) {
        Ok(id) => id,
        Err(e) => return Ok(Err(e)),
    };
    let Some(user) = store.user_by_id(id).await? else {
        return Ok(Err(ScimError::status(404, format!("no user with id {id}"))));
    };
    let levels = store.security_levels().await?;

    let mut fields = UserFields::of(&user);
    let applied = match change {
        Change::Patch => resource::apply_patch(&mut fields, body, &levels),
        Change::Put => resource::resource_body(body)
            .and_then(|obj| resource::apply_object(&mut fields, &obj, &levels)),
    };
    if let Err(e) = applied {
        return Ok(Err(e));
    }
    let hash = match hash_new_password(&fields) {
        Ok(h) => h,
        Err(e) => return Ok(Err(e)),
    };

    Ok(match store.update_user(id, &fields, hash.as_deref()).await? {
        Write::Done(user) => Ok((200, resource::user_json(&user, &format!("{location}/Users")))),
        Write::Duplicate => Err(duplicate(&fields)),
        Write::Missing => Err(ScimError::status(404, format!("no user with id {id}"))),
    })
}

async fn delete_user(store: &Store, id: &str) -> Result<Outcome> {
    let id = match user_id(id) {
        Ok(id) => id,
        Err(e) => return Ok(Err(e)),
    };
    Ok(if store.delete_user(id).await? {
        Ok((204, Value::Null))
    } else {
        Err(ScimError::status(404, format!("no user with id {id}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_table() {
        type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<u16>);
        let rows: &[Row] = &[
            ("right_token", Some("Bearer s3cret"), Some("s3cret"), None),
            ("scheme_case", Some("bearer s3cret"), Some("s3cret"), None),
            ("wrong_token", Some("Bearer nope"), Some("s3cret"), Some(401)),
            ("prefix_of_token", Some("Bearer s3cre"), Some("s3cret"), Some(401)),
            ("basic_scheme", Some("Basic czNjcmV0"), Some("s3cret"), Some(401)),
            ("no_header", None, Some("s3cret"), Some(401)),
            ("not_configured", Some("Bearer "), None, Some(503)),
            ("empty_configured", Some("Bearer "), Some(""), Some(503)),
        ];
        for (name, header, token, expect) in rows {
            let got = authorize(*header, *token).err().map(|e| e.status);
            assert_eq!(got, *expect, "row {name}");
        }
    }

    #[test]
    fn paging_table() {
        type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Result<(usize, usize), ()>);
        let rows: &[Row] = &[
            ("defaults", None, None, Ok((1, MAX_RESULTS))),
            ("given", Some("3"), Some("10"), Ok((3, 10))),
            ("start_below_one", Some("0"), Some("5"), Ok((1, 5))),
            ("negative_count", Some("1"), Some("-4"), Ok((1, 0))),
            ("huge_count", None, Some("100000"), Ok((1, MAX_RESULTS))),
            ("not_a_number", Some("x"), None, Err(())),
            ("float", None, Some("1.5"), Err(())),
        ];
        for (name, start, count, expect) in rows {
            let got = paging(*start, *count).map_err(|_| ());
            assert_eq!(&got, expect, "row {name}");
        }
    }
}
