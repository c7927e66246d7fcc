//! Build script: embeds the launcher into the Worker. `node web/build.mjs` (run by `cargo xtask
//! build` before the Workers) writes `web/pkg/launcher.js` and `web/pkg/wasm/launcher_bg.wasm`;
//! this script copies them into `OUT_DIR` for `include_bytes!` and writes their version (the
//! first 16 hex digits of the SHA-256 of both files), which goes into the asset URLs so they can
//! be cached for a year. Without a built launcher it writes empty files and the version
//! `unbuilt`, so `cargo check` and the native tests work on a fresh clone; the gate then
//! answers the asset paths with a 404 that says how to build it.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The launcher files, relative to `web/pkg/`, and their names in `OUT_DIR`.
const FILES: [(&str, &str); 2] =
    [("launcher.js", "launcher.js"), ("wasm/launcher_bg.wasm", "launcher_bg.wasm")];

fn main() {
    let (Some(manifest), Some(out)) =
        (std::env::var_os("CARGO_MANIFEST_DIR"), std::env::var_os("OUT_DIR"))
    else {
        println!("cargo::warning=CARGO_MANIFEST_DIR or OUT_DIR unset: not embedding the launcher");
        return;
    };
    let pkg = PathBuf::from(manifest).join("..").join("web").join("pkg");
    let out = PathBuf::from(out);
    println!("cargo::rerun-if-changed=build.rs");
    for (from, _) in FILES {
        println!("cargo::rerun-if-changed={}", pkg.join(from).display());
    }

    let contents: Vec<Option<Vec<u8>>> =
        FILES.iter().map(|(from, _)| fs::read(pkg.join(from)).ok()).collect();
    let version = if contents.iter().all(Option::is_some) {
        let mut hash = Sha256::new();
        for bytes in contents.iter().flatten() {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        }
        hash.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect::<String>()
    } else {
        println!(
            "cargo::warning=web/pkg has no built launcher (run `node web/build.mjs`): the gate \
             will answer its asset paths with 404"
        );
        "unbuilt".to_owned()
    };

    for ((_, to), bytes) in FILES.iter().zip(&contents) {
        let bytes = if version == "unbuilt" { &[][..] } else { bytes.as_deref().unwrap_or(&[]) };
        write(&out.join(to), bytes);
    }
    write(&out.join("launcher_version.txt"), version.as_bytes());
}

/// Writes `bytes` to `path` only when they differ, so unchanged files keep their mtime.
fn write(path: &Path, bytes: &[u8]) {
    if fs::read(path).ok().as_deref() == Some(bytes) {
        return;
    }
    if let Err(err) = fs::write(path, bytes) {
        println!("cargo::warning=cannot write {}: {err}", path.display());
    }
}
