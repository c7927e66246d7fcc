//! `cargo xtask build`: the Worker bundles, built by worker-build without any download.
//!
//! worker-build would fetch wasm-bindgen, wasm-opt and esbuild from GitHub; the environment
//! variables below point it at the installed CLI and the npm-pinned binaries instead. Run inside
//! a crate folder, it writes `<crate>/build/worker/shim.mjs` (the module wrangler starts from)
//! and `<crate>/build/index.wasm`.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::{Profile, proc, wasm_names};

/// Crates built as Workers, each with its wrangler config. The demo is optional until it exists.
const WORKERS: [(&str, &str); 2] = [("edge", "wrangler.toml"), ("demo", "demo/wrangler.toml")];

/// Builds the launcher, then every Worker that exists (the edge Worker embeds the launcher's
/// files from `web/pkg/`, see `edge/build.rs`).
pub fn run(root: &Path, profile: Profile) -> Result<()> {
    web(root, profile)?;
    for (dir, config) in WORKERS {
        if !root.join(dir).join("Cargo.toml").is_file() || !root.join(config).is_file() {
            println!("xtask: skipping the {dir} Worker ({dir}/Cargo.toml or {config} missing)");
            continue;
        }
        worker(root, dir, profile)?;
    }
    Ok(())
}

/// Runs worker-build in `root/<dir>`.
pub fn worker(root: &Path, dir: &str, profile: Profile) -> Result<()> {
    let bins = root.join("node_modules").join(".bin");
    let wasm_bindgen =
        proc::which("wasm-bindgen").context("wasm-bindgen not found; run `cargo xtask setup`")?;
    let wasm_opt = bins.join("wasm-opt");
    let esbuild = bins.join("esbuild");
    for tool in [&wasm_opt, &esbuild] {
        if !tool.is_file() {
            bail!("{} missing; run `cargo xtask setup`", tool.display());
        }
    }

    let mut cmd = proc::command("worker-build", &root.join(dir));
    cmd.arg(match profile {
        Profile::Dev => "--dev",
        Profile::Release => "--release",
    });
    cmd.env("WASM_BINDGEN_BIN", wasm_bindgen)
        .env("WASM_OPT_BIN", wasm_opt)
        .env("ESBUILD_BIN", esbuild);
    proc::run(&mut cmd)?;
    if profile == Profile::Release && std::env::var_os("ONEGATE_KEEP_WASM_NAMES").is_none() {
        let wasm = root.join(dir).join("build").join("index_bg.wasm");
        let saved = wasm_names::strip(&wasm)?;
        println!("xtask: {dir}: dropped the wasm name section ({saved} bytes)");
    }
    Ok(())
}

/// The launcher widget and npm package: `node web/build.mjs` (writes `web/pkg/`), with the same
/// pinned wasm-bindgen, wasm-opt and esbuild as the Workers. Skipped until the script exists.
pub fn web(root: &Path, _profile: Profile) -> Result<()> {
    if !root.join("web").join("build.mjs").is_file() {
        println!("xtask: skipping web/ (no web/build.mjs yet)");
        return Ok(());
    }
    let mut cmd = proc::command("node", root);
    cmd.arg("web/build.mjs");
    tool_env(root, &mut cmd)?;
    proc::run(&mut cmd)
}

/// Points worker-build and web/build.mjs at the installed wasm-bindgen and the npm-pinned
/// wasm-opt and esbuild, so nothing is downloaded.
fn tool_env(root: &Path, cmd: &mut std::process::Command) -> Result<()> {
    let bins = root.join("node_modules").join(".bin");
    let wasm_bindgen =
        proc::which("wasm-bindgen").context("wasm-bindgen not found; run `cargo xtask setup`")?;
    let wasm_opt = bins.join("wasm-opt");
    let esbuild = bins.join("esbuild");
    for tool in [&wasm_opt, &esbuild] {
        if !tool.is_file() {
            bail!("{} missing; run `cargo xtask setup`", tool.display());
        }
    }
    cmd.env("WASM_BINDGEN_BIN", wasm_bindgen)
        .env("WASM_OPT_BIN", wasm_opt)
        .env("ESBUILD_BIN", esbuild);
    Ok(())
}

/// The package name in `root/<dir>/Cargo.toml`.
pub fn package_name(root: &Path, dir: &str) -> Result<String> {
    let path = root.join(dir).join("Cargo.toml");
    let manifest = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    toml_string(&manifest, "name")
        .with_context(|| format!("{} has no package name", path.display()))
}

/// The first `key = "value"` in a TOML file, read line by line (enough for the names and
/// database names xtask needs, without a TOML parser).
pub fn toml_string(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        if k.trim() != key {
            return None;
        }
        let v = v.trim();
        let v = v.split_once(" #").map_or(v, |(value, _comment)| value.trim());
        Some(v.strip_prefix('"')?.strip_suffix('"')?.to_string())
    })
}
