//! `onegate-web`: the launcher widget and the core's decisions, compiled for the browser.
