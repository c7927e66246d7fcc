//! `cargo xtask`: the one entry point for installing, building, running and testing onegate.
//!
//! Every command works from a fresh clone on a machine that only reaches the package registries:
//! `setup` installs what is missing (and is quick when nothing is), `build` produces the Worker
//! bundles without downloading anything, `dev` runs the hub and the demo modules locally, and
//! `test` runs every check and ends with one `tests: N passed, M failed` line.

mod bench;
mod build;
mod proc;
mod servers;
mod setup;
mod test;
mod wasm_names;

use std::path::PathBuf;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command> [--release]

commands:
  setup   install the toolchain pieces that are missing (wasm32 target, wasm-bindgen-cli,
          worker-build, npm packages, Chromium)
  build   build the Worker bundles (release profile by default; --dev for a quick build)
  dev     setup + build + migrate + seed, then serve the hub on :8787 and the demo on :8788
  test    fmt, clippy, native tests, core tests in wasm, Worker builds, end-to-end tests
  e2e     build (--dev by default), then only the end-to-end suites, or the files named
          (`cargo xtask e2e tests/gate-rules.test.mjs`)
  bench   the crates' benchmarks, then the gate against a jose reference Worker in workerd
          (`bench gate` for the gate alone)";

/// Which cargo profile the Worker bundles are built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Unoptimised, quick to build; what `dev` and `test` use unless told otherwise.
    Dev,
    /// The size-tuned profile that ships.
    Release,
}

fn main() {
    proc::install_interrupt_handler();
    if let Err(err) = run() {
        proc::stop_all_groups();
        eprintln!("xtask: error: {err:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, flags)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(());
    };

    let mut profile = None;
    let mut only_gate = false;
    let mut files = Vec::new();
    for flag in flags {
        match flag.as_str() {
            "gate" if command == "bench" => only_gate = true,
            file if command == "e2e" && file.ends_with(".mjs") => files.push(file.to_owned()),
            "--release" => profile = Some(Profile::Release),
            "--dev" => profile = Some(Profile::Dev),
            other => bail!("unknown option {other:?}\n\n{USAGE}"),
        }
    }

    let root = repo_root();
    proc::prepare_path(&root);
    match command.as_str() {
        "setup" => setup::run(&root),
        "build" => build::run(&root, profile.unwrap_or(Profile::Release)),
        "dev" => servers::dev(&root, profile.unwrap_or(Profile::Dev)),
        "test" => test::run(&root, profile.unwrap_or(Profile::Dev)),
        "e2e" => test::end_to_end_only(&root, profile.unwrap_or(Profile::Dev), &files),
        "bench" => bench::run(&root, only_gate),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}

/// The repository root: the parent of this crate's directory. `cargo run` names that directory
/// at run time; the compile-time value is only a fallback, since a binary built from another
/// checkout sharing the target directory would otherwise act on that checkout.
fn repo_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}
