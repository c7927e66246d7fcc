//! The hub: sign-in, the OpenID Connect provider and the portal, served at the hub origin.

use worker::{Context, Env, Request, Response, Result};

/// Answers every request whose host is the hub.
pub async fn handle(req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    let path = req.path();
    Response::error(format!("no hub route for {path}"), 404)
}
