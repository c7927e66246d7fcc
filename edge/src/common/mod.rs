//! Small helpers the hub and the gate share: signed values, cookies, HTML pages, the request
//! log line and Worker variables.
//!
//! Nothing here decides a rule; these are the edge's plumbing, kept in one place so both sites
//! set cookies, sign values and log requests the same way.

pub mod cookie;
pub mod html;
pub mod log;
pub mod sign;
pub mod vars;
