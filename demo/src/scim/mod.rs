//! The SCIM 2.0 endpoint of a demo module (RFC 7643/7644).

pub mod filter;
pub mod resource;
