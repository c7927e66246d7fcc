//! `onegate-core` holds every rule of the onegate hub, gate and launcher as pure decisions.
//!
//! The same crate is compiled into the Cloudflare Worker that gates each module (`onegate-edge`)
//! and into the WebAssembly launcher and npm package (`onegate-web`), so the browser and the edge
//! decide identically. Nothing here performs I/O, reads a clock or keeps global state: callers
//! pass `now` and every fact a decision needs, and get back a value that carries its reason.
//!
//! The modules follow the product's vocabulary:
//!
//! - [`model`]: tenants, modules, security levels, hub users, module accounts and settings.
//! - [`settings`]: validation of a module's login, provisioning and access-group settings.
//! - [`login`]: the login decision (hub login or module credentials, browser or LiveMobile).
//! - [`access`]: resolving a user's security level from the admin's ordered access groups.
//! - [`provisioning`]: the plan for a user's first (and every later) hub sign-in to a module.
//! - [`launcher`]: what the launcher widget shows (waffle, hub icon or login choice).
//! - [`redirect`]: return-URL validation against the tenant's registered origins.
//! - [`token`]: verification and signing of hub tokens.
//! - [`signin`]: hub password policy and throttling of failed sign-in attempts.
//! - [`totp`]: two-factor codes (RFC 6238) and recovery codes.
//! - [`oidc`]: the hub's OpenID Connect provider rules (authorize requests, PKCE, codes).
//! - [`tickets`]: support tickets (validation, status machine, versions, idempotency, lists).
//! - [`billing`]: subscriptions, orders, invoices, totals and the charge for an added seat.
//! - [`insights`]: recommendations from the tenant's own data, with reasons and links.

pub mod access;
pub mod billing;
mod error;
pub mod insights;
pub mod launcher;
pub mod login;
pub mod model;
pub mod oidc;
pub mod provisioning;
pub mod redirect;
pub mod settings;
pub mod signin;
pub mod tickets;
pub mod token;
pub mod totp;

pub use error::{Error, ErrorKind, Result};
