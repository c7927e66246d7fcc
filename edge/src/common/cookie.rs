//! Building and reading cookies the way PRODUCT.md's security promises require.
//!
//! Every cookie the edge sets is HttpOnly, SameSite=Lax, Path=/ and has a bounded Max-Age. On
//! https origins it is also Secure and carries the `__Host-` prefix (which pins it to the exact
//! host and Path=/); on plain-http local development neither is possible, so the bare name is
//! used.

use worker::Headers;
use worker::js_sys::{JsString, Uint8Array};
use worker::wasm_bindgen::{self, JsCast, JsValue, prelude::wasm_bindgen};

/// The longest lifetime any edge cookie may have: 12 hours.
pub const MAX_AGE_LIMIT: u32 = 12 * 60 * 60;

/// One cookie the edge sets.
#[derive(Debug, Clone, Copy)]
pub struct CookieSpec<'a> {
    /// The name without prefix (`onegate`); `__Host-` is added on https.
    pub name: &'a str,
    /// Seconds the cookie lives; capped at [`MAX_AGE_LIMIT`].
    pub max_age: u32,
    /// Whether the origin is https (adds `Secure` and the `__Host-` prefix).
    pub https: bool,
}

impl CookieSpec<'_> {
    /// The name as the browser stores it: `__Host-<name>` on https, `<name>` otherwise.
    pub fn full_name(&self) -> String {
        if self.https { format!("__Host-{}", self.name) } else { self.name.to_owned() }
    }

    /// The `Set-Cookie` value that stores `value`.
    pub fn set(&self, value: &str) -> String {
        self.header(value, self.max_age.min(MAX_AGE_LIMIT))
    }

    /// The `Set-Cookie` value that deletes the cookie.
    pub fn clear(&self) -> String {
        self.header("", 0)
    }

    /// The cookie's value in a request's `Cookie` header, if present and not empty.
    pub fn read<'h>(&self, cookie_header: &'h str) -> Option<&'h str> {
        let prefix = if self.https { "__Host-" } else { "" };
        let is_name = |key: &str| key.strip_prefix(prefix).is_some_and(|rest| rest == self.name);
        cookie_header
            .split(';')
            .filter_map(|it| it.trim().split_once('='))
            .find(|(key, _)| is_name(key))
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    fn header(&self, value: &str, max_age: u32) -> String {
        let secure = if self.https { "; Secure" } else { "" };
        format!(
            "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            self.full_name()
        )
    }
}

#[wasm_bindgen]
extern "C" {
    /// `Headers`, bound here for a `get` that returns the JavaScript string itself.
    type RawHeaders;
    #[wasm_bindgen(method, js_name = get)]
    fn get_raw(this: &RawHeaders, name: &str) -> JsValue;

    /// The runtime's `TextEncoder`.
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    #[wasm_bindgen(method)]
    fn encode(this: &Utf8Encoder, text: &JsString) -> Uint8Array;
}

thread_local! {
    static ENCODER: Utf8Encoder = Utf8Encoder::new();
}

/// The request's `Cookie` header, `None` when absent.
///
/// Same answer as `headers.get("Cookie")`, but the string crosses into wasm as UTF-8 made by
/// the runtime's native `TextEncoder` rather than wasm-bindgen's per-character JavaScript
/// loop, which V8 does not always optimise: on the gate's established-session path that loop
/// alone was measured at 1 to 8 µs for a 250-byte header (`cargo xtask bench gate`).
pub fn cookie_header(headers: &Headers) -> Option<String> {
    let value = headers.0.unchecked_ref::<RawHeaders>().get_raw("Cookie");
    let text = value.dyn_ref::<JsString>()?;
    let bytes = ENCODER.with(|it| it.encode(text)).to_vec();
    // TextEncoder always produces UTF-8; the check costs little and keeps this panic-free.
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_cookies_use_the_host_prefix_and_secure() {
        let spec = CookieSpec { name: "onegate", max_age: 3600, https: true };
        assert_eq!(
            spec.set("v"),
            "__Host-onegate=v; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure"
        );
    }

    #[test]
    fn plain_http_development_cookies_have_no_prefix_and_no_secure() {
        let spec = CookieSpec { name: "onegate", max_age: 3600, https: false };
        assert_eq!(spec.set("v"), "onegate=v; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
    }

    #[test]
    fn lifetimes_are_capped_and_clearing_expires_at_once() {
        let spec = CookieSpec { name: "onegate", max_age: u32::MAX, https: true };
        assert!(spec.set("v").contains(&format!("Max-Age={MAX_AGE_LIMIT};")));
        assert!(spec.clear().starts_with("__Host-onegate=; Path=/; Max-Age=0;"));
    }

    #[test]
    fn reading_finds_the_exact_name_only() {
        let http = CookieSpec { name: "onegate", max_age: 1, https: false };
        let https = CookieSpec { name: "onegate", max_age: 1, https: true };
        let header = "onegate_login=a; onegate=b; __Host-onegate=c; empty=";
        assert_eq!(http.read(header), Some("b"));
        assert_eq!(https.read(header), Some("c"));
        assert_eq!(CookieSpec { name: "empty", ..http }.read(header), None);
        assert_eq!(CookieSpec { name: "missing", ..http }.read(header), None);
    }
}
