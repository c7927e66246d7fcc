//! `cargo xtask test`: every check the project has, in order, with one summary line at the end.
//!
//! Stages: rustfmt, clippy, the native tests, the core's tests compiled to wasm32 and run under
//! Node, the launcher's browser tests (wasm-bindgen-test in headless Chromium), the Worker
//! builds, and the end-to-end suite (`node --test tests/`) against freshly started `wrangler dev`
//! servers with an empty local D1 (migrated and seeded first). A stage that fails without
//! reporting a failed test (a compile error, say) counts as one failure. The last line is always
//! `tests: N passed, M failed`; the exit code is non-zero if M is not zero.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::servers::{self, Ports};
use crate::{Profile, build, proc, setup};

/// Totals over every stage.
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failed_stages: Vec<&'static str>,
    timings: Vec<(&'static str, Duration)>,
}

impl Tally {
    /// Records a stage's outcome: its own counts, or one failure if it failed without any.
    fn record(&mut self, stage: &'static str, ok: bool, counts: Counts, took: Duration) {
        self.passed += counts.passed;
        self.failed += counts.failed;
        if !ok || counts.failed > 0 {
            self.failed_stages.push(stage);
            if counts.failed == 0 {
                self.failed += 1;
            }
        }
        self.timings.push((stage, took));
    }
}

/// Passed and failed tests reported by one stage.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    passed: u64,
    failed: u64,
}

/// Runs all stages and exits with the summary.
pub fn run(root: &Path, profile: Profile) -> Result<()> {
    let started = Instant::now();
    setup::run(root)?;
    let mut tally = Tally::default();

    stage(&mut tally, "fmt", || {
        let ok = proc::status(proc::cargo(root).args(["fmt", "--all", "--check"]))?.success();
        Ok((ok, Counts::default()))
    });
    stage(&mut tally, "clippy", || {
        let mut cmd = proc::cargo(root);
        cmd.args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]);
        Ok((proc::status(&mut cmd)?.success(), Counts::default()))
    });
    stage(&mut tally, "native tests", || {
        cargo_tests(proc::cargo(root).args(["test", "--workspace", "--no-fail-fast"]))
    });
    stage(&mut tally, "core tests in wasm32", || {
        let mut cmd = proc::cargo(root);
        cmd.args([
            "test",
            "--no-fail-fast",
            "-p",
            "onegate-core",
            "--target",
            "wasm32-unknown-unknown",
        ])
        // Doctests cannot run under the wasm runner; the native stage runs them.
        .args(["--lib", "--tests"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner");
        cargo_tests(&mut cmd)
    });
    stage(&mut tally, "web tests in Chromium", || web_browser_tests(root));
    let built = stage(&mut tally, "worker builds", || {
        Ok((build::run(root, profile).is_ok(), Counts::default()))
    });
    if built {
        stage(&mut tally, "end-to-end", || end_to_end(root, &[]));
    } else {
        tally.record(
            "end-to-end (not run: build failed)",
            false,
            Counts::default(),
            Duration::ZERO,
        );
    }

    println!("\nxtask: stage timings");
    for (name, took) in &tally.timings {
        println!("  {name:<36} {:>6.1}s", took.as_secs_f64());
    }
    println!("  {:<36} {:>6.1}s", "total", started.elapsed().as_secs_f64());
    if !tally.failed_stages.is_empty() {
        println!("xtask: failed stages: {}", tally.failed_stages.join(", "));
    }
    println!("tests: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// Runs one stage, records it, and says whether it passed. An error counts as a failure.
fn stage(
    tally: &mut Tally,
    name: &'static str,
    body: impl FnOnce() -> Result<(bool, Counts)>,
) -> bool {
    println!("\nxtask: ==== {name} ====");
    let started = Instant::now();
    let (ok, counts) = body().unwrap_or_else(|err| {
        eprintln!("xtask: {name}: {err:#}");
        (false, Counts::default())
    });
    tally.record(name, ok, counts, started.elapsed());
    ok && counts.failed == 0
}

/// The launcher's wasm-bindgen tests in headless Chromium (`web/tests/web.rs`; the runner reads
/// `web/webdriver.json` and finds chromedriver on `PATH` or in `CHROMEDRIVER`).
fn web_browser_tests(root: &Path) -> Result<(bool, Counts)> {
    let mut cmd = proc::cargo(root);
    cmd.args(["test", "-p", "onegate-web", "--target", "wasm32-unknown-unknown"])
        .args(["--features", "launcher", "--test", "web"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner");
    cargo_tests(&mut cmd)
}

/// Runs a `cargo test` command and sums its `test result:` lines.
fn cargo_tests(cmd: &mut Command) -> Result<(bool, Counts)> {
    let (status, out) = proc::run_captured(cmd)?;
    Ok((status.success(), cargo_counts(&out)))
}

/// Sums `test result: ok. N passed; M failed; ...` lines.
fn cargo_counts(out: &str) -> Counts {
    let mut counts = Counts::default();
    for line in out.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else { continue };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(number)) = (words.next(), words.next()) else { continue };
            let Ok(n) = number.parse::<u64>() else { continue };
            match label {
                "passed" => counts.passed += n,
                "failed" => counts.failed += n,
                _ => {}
            }
        }
    }
    counts
}

/// Reads the `# pass N` and `# fail M` lines of node's TAP summary.
fn node_counts(out: &str) -> Counts {
    let mut counts = Counts::default();
    for line in out.lines() {
        let line = line.trim();
        if let Some(n) = line.strip_prefix("# pass ").and_then(|n| n.trim().parse::<u64>().ok()) {
            counts.passed += n;
        }
        if let Some(n) = line.strip_prefix("# fail ").and_then(|n| n.trim().parse::<u64>().ok()) {
            counts.failed += n;
        }
    }
    counts
}

/// `cargo xtask e2e [FILE...]`: setup, the Worker builds, then the end-to-end suites (only
/// `files` when any are named), with the same summary line as `test`.
pub fn end_to_end_only(root: &Path, profile: Profile, files: &[String]) -> Result<()> {
    setup::run(root)?;
    build::run(root, profile)?;
    let (ok, counts) = end_to_end(root, files)?;
    println!("tests: {} passed, {} failed", counts.passed, counts.failed);
    if !ok || counts.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// Fresh state, migrations and seed, servers on free ports, `node --test` over `files` (every
/// suite in `tests/` when empty), servers down.
fn end_to_end(root: &Path, files: &[String]) -> Result<(bool, Counts)> {
    let state = root.join("target").join("e2e").join("state");
    if state.exists() {
        std::fs::remove_dir_all(&state)?;
    }
    let sites = servers::present_sites(root);
    for site in &sites {
        servers::migrate_and_seed(root, site, &state)?;
    }

    let ports = Ports {
        edge: servers::free_port()?,
        demo: servers::free_port()?,
        probe: servers::free_port()?,
    };
    let mut running = Vec::new();
    for site in &sites {
        let mut server = servers::start(root, site, ports, &state, true)?;
        servers::wait_ready(&mut server, ports.of(site), Duration::from_secs(60))?;
        running.push(server);
    }

    let mut node = proc::command("node", root);
    node.args(["--test", "--test-reporter=tap"]).envs(ports.env());
    if let Some(dir) = wycheproof_data(root) {
        node.env("ONEGATE_WYCHEPROOF_DIR", dir);
    }
    if files.is_empty() {
        node.arg("tests/");
    } else {
        node.args(files);
    }
    let result = proc::run_captured(&mut node);
    drop(running);

    let (status, out) = result?;
    Ok((status.success(), node_counts(&out)))
}

/// The Wycheproof vectors that core's tests use (the `wycheproof` crate's `src/data`), found
/// through `cargo metadata`, for the suite that holds the gate's WebCrypto to them too.
fn wycheproof_data(root: &Path) -> Option<std::path::PathBuf> {
    let out = proc::cargo(root).args(["metadata", "--format-version", "1"]).output().ok()?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let manifest =
        meta["packages"].as_array()?.iter().find(|it| it["name"] == "wycheproof")?["manifest_path"]
            .as_str()?;
    let data = Path::new(manifest).parent()?.join("src").join("data");
    data.is_dir().then_some(data)
}

#[cfg(test)]
mod tests {
    use super::{Counts, cargo_counts, node_counts};

    #[test]
    fn cargo_result_lines_are_summed() {
        let out = "running 3 tests\n\
                   test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured\n\
                   test result: FAILED. 5 passed; 2 failed; 1 ignored; 0 measured\n";
        assert_eq!(cargo_counts(out), Counts { passed: 8, failed: 2 });
    }

    #[test]
    fn node_tap_summary_is_read() {
        let out = "ok 1 - healthz\n# tests 4\n# pass 3\n# fail 1\n# cancelled 0\n";
        assert_eq!(node_counts(out), Counts { passed: 3, failed: 1 });
    }

    #[test]
    fn output_without_results_counts_nothing() {
        assert_eq!(cargo_counts("error[E0425]: cannot find value"), Counts::default());
        assert_eq!(node_counts("# tests 0"), Counts::default());
    }
}
