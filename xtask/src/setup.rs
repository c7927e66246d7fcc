//! `cargo xtask setup`: installs what a fresh machine lacks, and does nothing when it is there.
//!
//! Each step first checks cheaply (a version string, a stamp file, a path) and only installs on a
//! mismatch, so a second run takes about a second. The versions are pinned by the repository:
//! wasm-bindgen-cli must equal the `wasm-bindgen` in Cargo.lock, npm packages come from
//! package-lock.json, Chromium comes from the system's apt.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::proc;

/// The worker-build version that matches the `worker` crate in the workspace.
const WORKER_BUILD_VERSION: &str = "0.8.7";

/// Runs every setup step.
pub fn run(root: &Path) -> Result<()> {
    wasm_target(root)?;
    wasm_bindgen_cli(root)?;
    worker_build(root)?;
    npm_packages(root)?;
    chromium(root)?;
    scim_interop(root)?;
    println!("xtask: setup complete");
    Ok(())
}

fn wasm_target(root: &Path) -> Result<()> {
    let installed = proc::command("rustup", root)
        .args(["target", "list", "--installed"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    proc::run(proc::command("rustup", root).args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The `wasm-bindgen` version in Cargo.lock, which the CLI must match exactly.
pub fn locked_wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock_path = root.join("Cargo.lock");
    if !lock_path.is_file() {
        proc::run(proc::cargo(root).args(["generate-lockfile"]))?;
    }
    let lock = std::fs::read_to_string(&lock_path)
        .with_context(|| format!("cannot read {}", lock_path.display()))?;

    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "name = \"wasm-bindgen\"" {
            continue;
        }
        let version = lines.next().and_then(|v| v.trim().strip_prefix("version = \""));
        if let Some(version) = version.and_then(|v| v.strip_suffix('"')) {
            return Ok(version.to_string());
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package; is a crate depending on it?")
}

fn wasm_bindgen_cli(root: &Path) -> Result<()> {
    let version = locked_wasm_bindgen_version(root)?;
    let current = proc::output_line(proc::command("wasm-bindgen", root).arg("--version"));
    if current.as_deref() == Some(&format!("wasm-bindgen {version}")) {
        return Ok(());
    }
    // Not --locked: its lock file names a webpki-roots version that is no longer published.
    let pinned = format!("={version}");
    proc::run(proc::cargo(root).args(["install", "wasm-bindgen-cli", "--version", &pinned]))
}

fn worker_build(root: &Path) -> Result<()> {
    let current = proc::output_line(proc::command("worker-build", root).arg("--version"));
    if current.is_some_and(|line| line.ends_with(WORKER_BUILD_VERSION)) {
        return Ok(());
    }
    proc::run(proc::cargo(root).args([
        "install",
        "worker-build",
        "--locked",
        "--version",
        WORKER_BUILD_VERSION,
    ]))
}

/// `npm ci` unless node_modules was installed from this exact package-lock.json.
fn npm_packages(root: &Path) -> Result<()> {
    let lock =
        std::fs::read(root.join("package-lock.json")).context("cannot read package-lock.json")?;
    let mut hasher = DefaultHasher::new();
    lock.hash(&mut hasher);
    let expected = format!("{:016x}\n", hasher.finish());

    let stamp = root.join("node_modules").join(".onegate-lock-hash");
    let wrangler = root.join("node_modules/wrangler/bin/wrangler.js");
    let current = std::fs::read_to_string(&stamp).unwrap_or_default();
    if current == expected && wrangler.is_file() {
        return Ok(());
    }
    proc::run(proc::command("npm", root).args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, expected).context("cannot write the node_modules stamp")
}

/// The PyPI SCIM tools the interop checks use (scim2-tester against the demo's endpoint,
/// scim2-server as a SCIM server nobody here wrote), pinned, in a venv at `target/scim-venv`.
const SCIM_INTEROP_PACKAGES: &[&str] =
    &["scim2-tester==0.5.2", "scim2-server==0.8.3", "scim2-client==0.13.2", "httpx2==2.16.2"];

/// Creates `target/scim-venv` with [`SCIM_INTEROP_PACKAGES`] unless its stamp says it has them.
fn scim_interop(root: &Path) -> Result<()> {
    let venv = root.join("target").join("scim-venv");
    let stamp = venv.join(".onegate-packages");
    let expected = SCIM_INTEROP_PACKAGES.join(" ");
    if std::fs::read_to_string(&stamp).unwrap_or_default() == expected {
        return Ok(());
    }
    proc::run(proc::command("python3", root).args(["-m", "venv"]).arg(&venv))?;
    let pip = venv.join("bin").join("pip");
    let mut install = proc::command(pip.to_str().context("venv path is not UTF-8")?, root);
    install.args(["install", "--quiet"]).args(SCIM_INTEROP_PACKAGES);
    proc::run(&mut install)?;
    std::fs::write(&stamp, expected).context("cannot write the SCIM venv stamp")
}

/// Chromium and chromedriver from apt, for Playwright and wasm-bindgen-test in a browser.
fn chromium(root: &Path) -> Result<()> {
    let present = ["/usr/bin/chromium", "/usr/bin/chromedriver"];
    if present.iter().all(|p| Path::new(p).exists()) {
        return Ok(());
    }
    let is_root = proc::output_line(proc::command("id", root).arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut cmd = if is_root {
            proc::command("apt-get", root)
        } else {
            let mut sudo = proc::command("sudo", root);
            sudo.arg("apt-get");
            sudo
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        proc::run(&mut cmd)
    };
    apt(&["update"])?;
    apt(&["install", "-y", "chromium", "chromium-driver"])
}
