//! The launcher's files, served on every module origin. They are embedded into the Worker at
//! build time (`edge/build.rs` copies them from `web/pkg/`), so the gate needs no asset binding
//! and the page's `script-src 'self'` covers them.
//!
//! | path | cache |
//! |---|---|
//! | `/.onegate/v/<version>/launcher.js` | a year, `immutable` (what the gate injects) |
//! | `/.onegate/v/<version>/wasm/launcher_bg.wasm` | a year, `immutable` (loaded next to it) |
//! | `/.onegate/launcher.js`, `/.onegate/wasm/launcher_bg.wasm` | `no-cache` + `ETag` |
//!
//! `<version>` is a content hash of both files ([`VERSION`]), so a new launcher gets new URLs.
//! A page still naming an older version gets the current files without the long cache.

use worker::{Headers, Request, Response, Result};

/// `web/pkg/launcher.js` as built (empty when the launcher was not built).
const SCRIPT: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/launcher.js"));
/// `web/pkg/wasm/launcher_bg.wasm` as built (empty when the launcher was not built).
const WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/launcher_bg.wasm"));
/// The content hash of both files (16 hex digits), or `unbuilt`.
pub const VERSION: &str = include_str!(concat!(env!("OUT_DIR"), "/launcher_version.txt"));

/// One of the launcher's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asset {
    /// The page entry, ES module with the wasm-bindgen glue.
    Script,
    /// The WebAssembly it instantiates.
    Wasm,
}

impl Asset {
    /// The file's path below a launcher folder.
    pub fn file(self) -> &'static str {
        match self {
            Asset::Script => "launcher.js",
            Asset::Wasm => "wasm/launcher_bg.wasm",
        }
    }

    /// Its `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Asset::Script => "text/javascript; charset=utf-8",
            Asset::Wasm => "application/wasm",
        }
    }

    /// Its bytes.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Asset::Script => SCRIPT,
            Asset::Wasm => WASM,
        }
    }

    /// The versioned absolute path the gate injects.
    pub fn url(self) -> String {
        format!("/.onegate/v/{VERSION}/{}", self.file())
    }
}

/// How long a response may be cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// The URL names the current version: the bytes behind it never change.
    Immutable,
    /// Unversioned or another version: revalidate every time.
    Revalidate,
}

impl Caching {
    /// The `Cache-Control` value.
    pub fn header(self) -> &'static str {
        match self {
            Caching::Immutable => "public, max-age=31536000, immutable",
            Caching::Revalidate => "no-cache",
        }
    }
}

/// The asset at `/.onegate/<rest>`, if `rest` names one, and how it may be cached.
pub fn lookup(rest: &str) -> Option<(Asset, Caching)> {
    let (file, caching) = match rest.strip_prefix("v/") {
        Some(versioned) => {
            let (version, file) = versioned.split_once('/')?;
            let current = version == VERSION && VERSION != "unbuilt";
            (file, if current { Caching::Immutable } else { Caching::Revalidate })
        }
        None => (rest, Caching::Revalidate),
    };
    [Asset::Script, Asset::Wasm].into_iter().find(|it| it.file() == file).map(|it| (it, caching))
}

/// The response for `asset`: the bytes, a 304 when the request already holds this version, or
/// a 404 that says how to build the launcher when this Worker was built without it.
pub fn respond(req: &Request, asset: Asset, caching: Caching) -> Result<Response> {
    let headers = Headers::new();
    headers.set("X-Content-Type-Options", "nosniff")?;
    if asset.bytes().is_empty() {
        headers.set("Content-Type", "text/plain; charset=utf-8")?;
        headers.set("Cache-Control", "no-store")?;
        let text = "the launcher is not built into this Worker: run `node web/build.mjs`, then \
                    rebuild the Worker (`cargo xtask build` does both, in that order)\n";
        return Ok(Response::ok(text)?.with_status(404).with_headers(headers));
    }

    let etag = format!("\"{VERSION}\"");
    headers.set("Content-Type", asset.content_type())?;
    headers.set("Cache-Control", caching.header())?;
    headers.set("ETag", &etag)?;
    let held = req.headers().get("If-None-Match").ok().flatten().unwrap_or_default();
    if held.split(',').any(|it| it.trim().trim_start_matches("W/") == etag) {
        return Ok(Response::empty()?.with_status(304).with_headers(headers));
    }
    Ok(Response::from_bytes(asset.bytes().to_vec())?.with_headers(headers))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_asset_and_cache() {
        let current = format!("v/{VERSION}/");
        let immutable = if VERSION == "unbuilt" { Caching::Revalidate } else { Caching::Immutable };
        let table: [(String, Option<(Asset, Caching)>); 9] = [
            ("launcher.js".into(), Some((Asset::Script, Caching::Revalidate))),
            ("wasm/launcher_bg.wasm".into(), Some((Asset::Wasm, Caching::Revalidate))),
            (format!("{current}launcher.js"), Some((Asset::Script, immutable))),
            (format!("{current}wasm/launcher_bg.wasm"), Some((Asset::Wasm, immutable))),
            ("v/0000000000000000/launcher.js".into(), Some((Asset::Script, Caching::Revalidate))),
            ("v/launcher.js".into(), None),
            ("launcher_bg.wasm".into(), None),
            ("wasm/../launcher.js".into(), None),
            ("login".into(), None),
        ];
        for (rest, expected) in table {
            assert_eq!(lookup(&rest), expected, "/.onegate/{rest}");
        }
    }

    #[test]
    fn urls_carry_the_version_and_resolve_to_their_asset() {
        for asset in [Asset::Script, Asset::Wasm] {
            let url = asset.url();
            assert!(url.starts_with(&format!("/.onegate/v/{VERSION}/")), "{url}");
            let rest = url.strip_prefix("/.onegate/").unwrap_or_default();
            assert_eq!(lookup(rest).map(|it| it.0), Some(asset));
        }
    }

    #[test]
    fn version_is_a_hash_or_unbuilt() {
        let hex = VERSION.len() == 16 && VERSION.bytes().all(|b| b.is_ascii_hexdigit());
        assert!(hex || VERSION == "unbuilt", "{VERSION:?}");
        assert_eq!(VERSION == "unbuilt", SCRIPT.is_empty() || WASM.is_empty());
        if VERSION != "unbuilt" {
            assert!(WASM.starts_with(b"\0asm"), "the embedded wasm is WebAssembly");
        }
    }
}
