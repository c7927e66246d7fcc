//! Small helpers the hub and the gate share: signed values, cookies, HTML pages, the request
//! log line, Worker variables and the configured brand.
//!
//! Nothing here decides a rule; these are the edge's plumbing, kept in one place so both sites
//! set cookies, sign values and log requests the same way.

pub mod brand;
pub mod cookie;
pub mod html;
pub mod log;
pub mod sign;
pub mod vars;
