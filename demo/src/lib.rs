//! `onegate-demo`: two small module apps, a PSA standing in for Autotask and an RMM.

pub mod model;
pub mod module;
pub mod password;
pub mod scim;
pub mod session;
