//! Launcher injection: streams a module's HTML through lol_html and appends, before `</body>`,
//! the session's launcher data (core's `LauncherInput` as JSON, `<` escaped as `\u003c` so it
//! can never close its script element), a preload of the launcher's wasm and its module script,
//! as `web/README.md` describes (with the versioned URLs of [`super::assets`]). Any element of
//! the module's own with the data block's id is removed, so page content cannot choose the
//! launcher's links. Responses that are not `text/html`, or have no body, pass through
//! untouched.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::StreamExt;
use lol_html::html_content::ContentType;
use lol_html::{HtmlRewriter, OutputSink, Settings, element};
use onegate_core::launcher::LauncherInput;
use worker::{Response, ResponseBody, Result};

use super::assets::Asset;

/// Elements carrying the launcher data's id, which only the gate may write.
const DATA_SELECTOR: &str = "#onegate-launcher-data";

/// True when the response is an HTML document the launcher belongs in.
pub fn is_html(resp: &Response) -> bool {
    let kind = resp.headers().get("Content-Type").ok().flatten().unwrap_or_default();
    kind.split(';').next().is_some_and(|it| it.trim().eq_ignore_ascii_case("text/html"))
}

/// The markup appended to `<body>`: the data block, the wasm preload and the module script.
pub fn snippet(input: &LauncherInput) -> String {
    let json = serde_json::to_string(input).unwrap_or_else(|_| "null".to_owned());
    format!(
        "<script type=\"application/json\" id=\"onegate-launcher-data\">{}</script>\
         <link rel=\"preload\" href=\"{}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\
         <script type=\"module\" src=\"{}\"></script>",
        escape_json_for_html(&json),
        Asset::Wasm.url(),
        Asset::Script.url(),
    )
}

/// Escapes JSON for a `<script>` element: `<`, `>` and `&` as `\u` escapes (still the same
/// JSON), plus U+2028/U+2029.
pub fn escape_json_for_html(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The response with `snippet` appended inside `<body>`, streamed chunk by chunk. A response
/// without a body to rewrite (the answer to a `HEAD`, a 204 or 304 labelled `text/html`) is
/// returned as it is.
pub fn inject(mut resp: Response, snippet: String) -> Result<Response> {
    if !matches!(resp.body(), ResponseBody::Stream(_)) {
        return Ok(resp);
    }
    let status = resp.status_code();
    let headers = resp.headers().clone();
    // The body changes length, and the module's CSP must allow the launcher script; the
    // content length no longer holds.
    let _ = headers.delete("Content-Length");
    let body = resp.stream()?;

    let out = Rc::new(RefCell::new(Vec::<u8>::new()));
    let sink = Rc::clone(&out);
    let mut rewriter =
        Some(rewriter(snippet, move |chunk: &[u8]| sink.borrow_mut().extend_from_slice(chunk)));

    let stream = body.map(Some).chain(futures_util::stream::once(async { None })).map(
        move |item| -> Result<Vec<u8>> {
            match item {
                Some(chunk) => {
                    let chunk = chunk?;
                    if let Some(rw) = rewriter.as_mut() {
                        rw.write(&chunk).map_err(|e| worker::Error::RustError(e.to_string()))?;
                    }
                }
                None => {
                    if let Some(rw) = rewriter.take() {
                        rw.end().map_err(|e| worker::Error::RustError(e.to_string()))?;
                    }
                }
            }
            Ok(std::mem::take(&mut *out.borrow_mut()))
        },
    );

    Ok(Response::from_stream(stream)?.with_status(status).with_headers(headers))
}

/// The streaming rewriter: drops the module's own data blocks and appends `snippet` to the
/// body, writing the result to `sink`.
fn rewriter<'h, O: OutputSink>(snippet: String, sink: O) -> HtmlRewriter<'h, O> {
    HtmlRewriter::new(
        Settings::new()
            // Only the gate says what the launcher shows: a data block of the module's own
            // (say, in user content) is dropped. What a handler inserts is not parsed again,
            // so the gate's block survives.
            .append_element_content_handler(element!(DATA_SELECTOR, |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("body", move |el| {
                el.append(&snippet, ContentType::Html);
                Ok(())
            })),
        sink,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_data_then_preload_then_script() {
        let input: LauncherInput = serde_json::from_value(serde_json::json!({
            "signed_in_via": "nobody", "page": "module", "entitlements": [],
            "current_module": "psa", "unified_login": true,
            "current_url": "http://psa.localhost:8787/?a=<b>",
            "sign_in_url": "http://psa.localhost:8787/.onegate/login",
            "hub_home": "http://localhost:8787/"
        }))
        .unwrap_or_else(|err| panic!("test input: {err}"));
        let html = snippet(&input);
        let data = html.find("id=\"onegate-launcher-data\">{").unwrap_or(usize::MAX);
        let preload = html
            .find(&format!("<link rel=\"preload\" href=\"{}\" as=\"fetch\"", Asset::Wasm.url()))
            .unwrap_or(usize::MAX);
        let script = html
            .find(&format!("<script type=\"module\" src=\"{}\">", Asset::Script.url()))
            .unwrap_or(usize::MAX);
        assert!(data < preload && preload < script && script < usize::MAX, "{html}");
        assert!(html.contains("type=\"application/wasm\" crossorigin>"), "{html}");
        assert!(!html.contains("<b>"), "data is escaped: {html}");
    }

    /// `html` through the rewriter in chunks of `size` bytes.
    fn rewrite(html: &str, snippet: &str, size: usize) -> String {
        let mut out = Vec::new();
        let mut rw = rewriter(snippet.to_owned(), |chunk: &[u8]| out.extend_from_slice(chunk));
        for chunk in html.as_bytes().chunks(size) {
            rw.write(chunk).unwrap_or_else(|err| panic!("write: {err}"));
        }
        rw.end().unwrap_or_else(|err| panic!("end: {err}"));
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn the_snippet_lands_at_the_end_of_the_body_and_impostors_go() {
        let gate = r#"<script type="application/json" id="onegate-launcher-data">{"g":1}</script>"#;
        let rows = [
            ("plain_page", "<html><body><p>hi</p></body></html>", "<p>hi</p>"),
            (
                "module_data_block_is_dropped",
                concat!(
                    r#"<body><p>a</p><script type="application/json" "#,
                    r#"id="onegate-launcher-data">{"evil":1}</script></body>"#
                ),
                "<p>a</p>",
            ),
            (
                "any_element_with_the_id_is_dropped",
                r#"<body><div id="onegate-launcher-data">{"evil":1}</div><p>b</p></body>"#,
                "<p>b</p>",
            ),
        ];
        for (name, html, kept) in rows {
            for size in [1, 7, 4096] {
                let out = rewrite(html, gate, size);
                assert!(out.contains(kept), "{name}/{size}: {out}");
                assert!(!out.contains("evil"), "{name}/{size}: {out}");
                assert_eq!(out.matches("onegate-launcher-data").count(), 1, "{name}/{size}: {out}");
                assert!(out.contains(&format!("{gate}</body>")), "{name}/{size}: {out}");
            }
        }
    }

    #[test]
    fn json_for_html_cannot_close_its_script() {
        let json = r#"{"u":"</script><script>alert(1)</script>","a":"x&y"}"#;
        let escaped = escape_json_for_html(json);
        assert!(!escaped.contains('<') && !escaped.contains('>'), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap_or_default();
        assert_eq!(back["u"], "</script><script>alert(1)</script>");
        assert_eq!(back["a"], "x&y");
    }
}
