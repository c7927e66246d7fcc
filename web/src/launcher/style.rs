//! The widget's style sheet, adopted by its shadow root.
//!
//! `:host` declarations are `!important` because, across a shadow boundary, the inner tree's
//! important declarations win over the page's: a page rule such as `* { all: unset !important }`
//! cannot reach inside, and cannot undo these on the host either.

/// The CSS of the launcher's shadow root.
pub const CSS: &str = r#"
:host {
  all: initial !important;
  display: inline-block !important;
  position: relative !important;
  vertical-align: middle !important;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif !important;
  color: #1b1f24 !important;
  visibility: visible !important;
  opacity: 1 !important;
}
:host([data-onegate-floating]) {
  position: fixed !important;
  top: 8px !important;
  right: 12px !important;
  z-index: 2147483647 !important;
}
* { box-sizing: border-box; }
svg { display: block; width: 20px; height: 20px; fill: currentColor; }
.trigger, .hub {
  display: inline-flex; align-items: center; justify-content: center;
  width: 36px; height: 36px; margin: 0; padding: 0;
  border: 0; border-radius: 8px; background: #ffffff; color: #1b1f24;
  cursor: pointer; text-decoration: none;
}
.trigger:hover, .trigger[aria-expanded="true"], .hub:hover { background: #e6edf8; }
.trigger:focus-visible, .hub:focus-visible, .login:focus-visible {
  outline: 2px solid #0046c7; outline-offset: 2px;
}
.menu {
  position: fixed; inset: auto; margin: 0; padding: 6px;
  min-width: 240px; max-width: 320px; max-height: 70vh; overflow: auto;
  border: 1px solid #c9d1da; border-radius: 10px; background: #ffffff; color: #1b1f24;
  box-shadow: 0 8px 24px rgba(15, 23, 42, 0.18);
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  text-align: left;
}
.menu:popover-open { display: flex; flex-direction: column; }
.menu a {
  display: flex; align-items: center; gap: 10px; padding: 8px 10px;
  border-radius: 6px; border-left: 3px solid transparent;
  color: #1b1f24; text-decoration: none; outline: none;
}
.menu a:hover { background: #eef3fb; }
.menu a:focus { background: #dbe6f7; box-shadow: inset 0 0 0 2px #0046c7; }
.menu .home { font-weight: 600; font-size: 15px; }
.menu a[aria-current] { border-left-color: #0046c7; font-weight: 600; }
.separator { height: 1px; margin: 4px 0; background: #c9d1da; }
.badge, .icon { flex: none; width: 24px; height: 24px; border-radius: 6px; }
.badge {
  display: inline-flex; align-items: center; justify-content: center;
  background: #0046c7; color: #ffffff; font-size: 12px; font-weight: 600;
}
.name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.login {
  display: inline-flex; align-items: center; gap: 8px; padding: 8px 14px;
  border-radius: 6px; background: #0046c7; color: #ffffff;
  font-weight: 600; text-decoration: none; cursor: pointer;
}
.login:hover { background: #003aa6; }
.login svg { width: 18px; height: 18px; }
"#;
