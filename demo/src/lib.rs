//! `onegate-demo`: small module apps, a PSA standing in for Autotask and an RMM, served by one
//! Cloudflare Worker, each module (Acme's PSA and RMM, Globex's PSA) with its own user store
//! in D1. The onegate gate sits in front of them in development the way it would sit in front of
//! a vendor's real modules.
//!
//! Routes (per module; see [`module`] for how the module is chosen):
//!
//! - `GET /login`, `POST /login`, `POST /logout`, `GET /`: the module's own pages.
//! - `/scim/v2/...`: the module's SCIM 2.0 endpoint ([`scim`]).
//! - `/admin/security-levels`: its administrators' security-level screen ([`levels`]).
//! - `GET /healthz`, `GET /assets/demo.css`: health check and stylesheet.
//!
//! A user is signed in by the module's own session cookie ([`session`]) or by the gate's
//! signed assertion ([`gate`]).

pub mod app;
pub mod gate;
pub mod levels;
pub mod model;
pub mod module;
pub mod pages;
pub mod password;
pub mod scim;
pub mod session;
pub mod store;

use worker::{Context, Date, Env, Request, Response, Result, console_error, console_log, event};

use crate::module::{MODULE_HEADER, Target, route};

/// The Worker's entry point: routes the request, answers it, and logs one line about it.
#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let started = Date::now().as_millis();
    let method = req.method().to_string();
    let path = req.path();
    let header = req.headers().get(MODULE_HEADER)?;

    let (module, answer) = match route(header.as_deref(), &path) {
        Err(e) => (None, app::message(400, None, "", "Unknown module", &e.to_string(), &env)),
        Ok(Target::Root { path }) => (None, app::root(&req, &env, &path)),
        Ok(Target::Module { module, base, path }) => {
            (Some(module), app::module_request(req, &env, module, &base, &path).await)
        }
    };

    let resp = match answer {
        Ok(resp) => resp,
        Err(e) => {
            console_error!("onegate-demo: internal error on {method} {path}: {e}");
            let scim = path.contains("/scim/v2");
            app::internal_error(scim, &env)?
        }
    };

    let line = serde_json::json!({
        "app": "onegate-demo",
        "module": module.map(|m| m.slug()),
        "method": method,
        "route": path,
        "status": resp.status_code(),
        "ms": Date::now().as_millis().saturating_sub(started),
    });
    console_log!("{line}");
    Ok(resp)
}
