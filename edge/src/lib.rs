//! `onegate-edge` is the Cloudflare Worker that serves the hub and gates each module.
//!
//! One Worker answers for every host name: the bare host (`localhost` in development) is the hub,
//! and `<module>.<hub host>` (for example `psa.localhost`) is the gate in front of that module.
//! State lives in the D1 database bound as `DB`. This crate decides nothing itself: every rule
//! lives in `onegate-core`; the Worker only reads requests, asks the core and writes responses.
//!
//! Each request gets an id and one structured JSON log line (request id, host, route, decision,
//! milliseconds); tokens, passwords and personal data never appear in it.

use serde_json::json;
use worker::{
    Context, Date, Env, Method, Request, Response, Result, console_error, console_log, event,
};

use common::log::RequestLog;

mod admin;
pub mod common;
pub mod gate;
mod hub;
mod portal;

/// Which part of onegate a request is for, decided by its host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Site {
    /// The hub: the identity provider and customer portal.
    Hub,
    /// The gate in front of the module named by the first host label (`psa` for `psa.localhost`).
    Module(String),
}

impl Site {
    /// Routes a host name. With the hub's host known (`hub.example.com`, from
    /// `ONEGATE_HUB_URL`), that host is the hub and `<module>.hub.example.com` a module; any
    /// other host, and every host when the hub's is not known, routes by its first label: a
    /// single label (`localhost`) or an IP address is the hub, `psa.<anything>` the module `psa`.
    ///
    /// FIXME: a module on a registered origin of its own (`psa.acme.example`) routes by its
    /// first label only, which must then be its module id; routing by the `modules.origin`
    /// column needs a D1 lookup before the site is known.
    pub fn from_host(host: &str, hub_host: Option<&str>) -> Site {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host.parse::<std::net::IpAddr>().is_ok() {
            return Site::Hub;
        }
        if let Some(hub) = hub_host.map(|it| it.trim_end_matches('.').to_ascii_lowercase()) {
            if host == hub {
                return Site::Hub;
            }
            let label = host.strip_suffix(hub.as_str()).and_then(|it| it.strip_suffix('.'));
            if let Some(label) = label.filter(|it| !it.is_empty() && !it.contains('.')) {
                return Site::Module(label.to_string());
            }
        }

        match host.split_once('.') {
            Some((label, rest)) if !label.is_empty() && !rest.is_empty() => {
                Site::Module(label.to_string())
            }
            _ => Site::Hub,
        }
    }

    /// The name used in logs and JSON answers: `hub` or the module's name.
    pub fn name(&self) -> &str {
        match self {
            Site::Hub => "hub",
            Site::Module(name) => name,
        }
    }
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let started = Date::now().as_millis();
    common::brand::load(&env);
    let url = req.url()?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let host = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    };
    let hub_host = configured_hub_host(&env);
    let site = Site::from_host(url.host_str().unwrap_or_default(), hub_host.as_deref());
    let request_id = request_id(&req);

    let (answer, decision) = match (req.method(), url.path(), &site) {
        (Method::Get, "/healthz", _) => (healthz(&env, &site).await, "healthz".to_owned()),
        (_, path, Site::Hub) if admin::owns(path) => {
            (admin::handle(req, env, &request_id).await, "admin".to_owned())
        }
        (_, path, Site::Hub) if portal::owns(path) => {
            (portal::handle(req, env).await, "portal".to_owned())
        }
        (_, _, Site::Hub) => (hub::handle(req, env, ctx).await, "hub".to_owned()),
        (_, _, Site::Module(id)) => match gate::handle(req, &env, id, &request_id).await {
            Ok(answer) => (Ok(answer.response), answer.decision),
            Err(err) => (Err(err), "error".to_owned()),
        },
    };
    let response = match answer {
        Ok(response) => response,
        Err(err) => {
            console_error!("onegate: request {request_id} failed: {err}");
            internal_error(&request_id)?
        }
    };

    let log = RequestLog {
        request_id: &request_id,
        host: &host,
        route: url.path(),
        decision: &decision,
        status: response.status_code(),
        ms: Date::now().as_millis().saturating_sub(started),
    };
    console_log!("{}", log.line());
    Ok(response)
}

thread_local! {
    static HUB_HOST: std::cell::OnceCell<Option<String>> = const { std::cell::OnceCell::new() };
}

/// The host of `ONEGATE_HUB_URL`, read once per isolate (a Worker's variables only change
/// with a new deployment, which starts new isolates).
fn configured_hub_host(env: &Env) -> Option<String> {
    HUB_HOST.with(|it| {
        it.get_or_init(|| {
            let url = common::vars::var(env, "ONEGATE_HUB_URL")?;
            worker::Url::parse(&url).ok()?.host_str().map(str::to_owned)
        })
        .clone()
    })
}

/// Cloudflare's `cf-ray` when present, a random id otherwise.
fn request_id(req: &Request) -> String {
    let ray = req.headers().get("cf-ray").ok().flatten().filter(|it| it.len() <= 64);
    ray.or_else(|| common::sign::random_id(9).ok()).unwrap_or_else(|| "unknown".to_owned())
}

/// A 500 that names the request id to look up in the log, and nothing else.
fn internal_error(request_id: &str) -> Result<Response> {
    let body = json!({
        "error": {
            "code": "internal",
            "message": format!("the request failed unexpectedly; quote request id {request_id}"),
        },
    });
    Ok(Response::from_json(&body)?.with_status(500))
}

/// Proves the Worker runs and D1 answers: counts the tenants.
async fn healthz(env: &Env, site: &Site) -> Result<Response> {
    match tenant_count(env).await {
        Ok(tenants) => Response::from_json(&json!({
            "ok": true,
            "site": site.name(),
            "db": { "tenants": tenants },
        })),
        Err(err) => Ok(Response::from_json(&json!({
            "ok": false,
            "site": site.name(),
            "error": { "code": "db_unavailable", "message": format!("d1 query failed: {err}") },
        }))?
        .with_status(503)),
    }
}

/// The number of rows in `tenants`, as D1 reports it.
async fn tenant_count(env: &Env) -> Result<u64> {
    let db = env.d1("DB")?;
    let row = db.prepare("SELECT COUNT(*) AS n FROM tenants").first::<u64>(Some("n")).await?;
    Ok(row.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::Site;

    #[test]
    fn host_names_route_to_hub_or_module() {
        let module = |it: &str| Site::Module(it.into());
        let table = [
            ("localhost", None, Site::Hub),
            ("127.0.0.1", None, Site::Hub),
            ("psa.localhost", None, module("psa")),
            ("PSA.localhost.", None, module("psa")),
            (".localhost", None, Site::Hub),
            ("psa.localhost", Some("localhost"), module("psa")),
            ("localhost", Some("localhost"), Site::Hub),
            ("hub.example.com", Some("hub.example.com"), Site::Hub),
            ("HUB.example.com.", Some("hub.example.com"), Site::Hub),
            ("psa.hub.example.com", Some("hub.example.com"), module("psa")),
            ("a.b.hub.example.com", Some("hub.example.com"), module("a")),
            ("psa.acme.example", Some("hub.example.com"), module("psa")),
            ("evilhub.example.com", Some("hub.example.com"), module("evilhub")),
            // Without the hub host, a deployed hub would be taken for a module named `hub`.
            ("hub.example.com", None, module("hub")),
        ];
        for (host, hub, expected) in table {
            assert_eq!(Site::from_host(host, hub), expected, "host {host} hub {hub:?}");
        }
    }
}
