//! `onegate-web`: the launcher widget and the core's decisions, compiled for the browser.
//!
//! One crate builds two WebAssembly files, chosen by cargo feature, so that module pages only
//! download what the widget needs:
//!
//! - `launcher`: the widget the gate injects into module pages. It reads the launcher input the
//!   gate wrote into the page, asks [`onegate_core::launcher::view`] what to show, and renders it
//!   into a closed shadow root (waffle and "My KaseyaOne" menu, hub icon, or "Log In with
//!   KaseyaOne"). It parses its input with the browser's own JSON parser, not serde, to stay
//!   small.
//! - `decisions`: the core's decisions (login decision, security level resolution, return-URL
//!   validation, launcher model) for JavaScript callers, taking and returning plain objects.
//!
//! `web/build.mjs` builds both and lays out the npm package `@onegate/web` in `web/pkg/`. No
//! rule is decided here: every answer comes from `onegate-core`.

#[cfg(feature = "decisions")]
pub mod decisions;
#[cfg(feature = "launcher")]
pub mod launcher;
