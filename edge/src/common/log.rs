//! The one structured log line per request.
//!
//! It carries only the request id, host, route (the path, never the query string), the
//! decision, the status and the milliseconds taken: never tokens, passwords, cookies or personal
//! data.

use serde_json::json;

/// What the log line says about one request.
#[derive(Debug, Clone)]
pub struct RequestLog<'a> {
    /// The request id (Cloudflare's `cf-ray` when present, a random id otherwise).
    pub request_id: &'a str,
    /// The host the request arrived at.
    pub host: &'a str,
    /// The path, without the query string; [`route`] hides what may name a person.
    pub route: &'a str,
    /// What the edge decided (`proxy`, `send_to_hub`, `refuse:live_mobile_refused`, ...).
    pub decision: &'a str,
    /// The response status.
    pub status: u16,
    /// Milliseconds from arrival to the response.
    pub ms: u64,
}

impl RequestLog<'_> {
    /// The JSON line.
    pub fn line(&self) -> String {
        json!({
            "request_id": self.request_id,
            "host": self.host,
            "route": route(self.route),
            "decision": self.decision,
            "status": self.status,
            "ms": self.ms,
        })
        .to_string()
    }
}

/// The path as logged: a segment that holds an email address (`@`, also percent-encoded) or a
/// long run of digits (a phone or account number in a module's URL) becomes `:redacted`; the
/// rest of the path stays, so routes remain readable.
pub fn route(path: &str) -> String {
    let personal = |segment: &str| {
        let lower = segment.to_ascii_lowercase();
        let digits = segment.chars().filter(char::is_ascii_digit).count();
        lower.contains('@') || lower.contains("%40") || digits >= 9
    };
    path.split('/')
        .map(|it| if personal(it) { ":redacted" } else { it })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_keep_their_shape_and_lose_what_names_a_person() {
        let rows = [
            ("/login", "/login"),
            ("/support/tickets/tk_01hx", "/support/tickets/tk_01hx"),
            ("/users/ann@acme.example/edit", "/users/:redacted/edit"),
            ("/users/ann%40acme.example", "/users/:redacted"),
            ("/contacts/+15551234567", "/contacts/:redacted"),
            ("/tickets/12345", "/tickets/12345"),
            ("/", "/"),
        ];
        for (path, logged) in rows {
            assert_eq!(route(path), logged, "{path}");
        }
    }

    #[test]
    fn the_line_is_json_with_exactly_the_allowed_fields() {
        let log = RequestLog {
            request_id: "r1",
            host: "psa.localhost:8787",
            route: "/login",
            decision: "send_to_hub",
            status: 302,
            ms: 3,
        };
        let value: serde_json::Value = serde_json::from_str(&log.line()).unwrap_or_default();
        let mut keys: Vec<_> =
            value.as_object().map(|it| it.keys().cloned().collect()).unwrap_or_default();
        keys.sort();
        assert_eq!(keys, ["decision", "host", "ms", "request_id", "route", "status"]);
        assert_eq!(value["decision"], "send_to_hub");
    }
}
