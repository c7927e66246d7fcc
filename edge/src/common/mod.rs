//! Small helpers the hub and the gate share: signed values, cookies, HTML pages, the request
//! log line, Worker variables and the configured brand.
//!
//! Nothing here decides a rule; these are the edge's plumbing, kept in one place so both sites
//! set cookies, sign values and log requests the same way.

pub mod brand;
pub mod cookie;
pub mod fetch;
pub mod html;
pub mod log;
pub mod sign;
pub mod vars;

/// False when a browser says the request came from another origin than `origin` (a form
/// posted by another site: login CSRF, sign-out CSRF). Requests without an `Origin` header
/// (non-browser clients, which no other site can drive) pass; the SameSite=Lax cookies keep
/// another site's forms from carrying a session.
pub fn same_origin(req: &worker::Request, origin: &str) -> bool {
    match req.headers().get("Origin").ok().flatten() {
        None => true,
        Some(sent) => sent.trim_end_matches('/') == origin.trim_end_matches('/'),
    }
}
