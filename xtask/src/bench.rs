//! `cargo xtask bench`: the crates' own benchmarks (`cargo bench` for each crate with a
//! `benches/` folder), the launcher's budgets (`node web/bench.mjs`), then the gate against a
//! reference Worker written with `jose`.
//!
//! The gate bench builds the onegate Worker with the release profile (what ships), applies the
//! migrations and seed to a fresh local D1 under `target/bench/state/`, starts `wrangler dev`
//! for it and the demo modules (its upstream) with `GATE_BENCH=on`, which opens the timing
//! route `/.onegate/bench`, and for `bench/reference-worker/` on free ports, runs
//! `bench/run.mjs`, and stops both by process group. The runner prints one line per case: both
//! figures in µs per request and their ratio.
//! `cargo xtask bench gate` runs the gate bench alone.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::servers::{self, Ports, Site};
use crate::{Profile, build, proc, setup};

/// The onegate Worker as the bench runs it.
const EDGE: &Site = &servers::SITES[0];

/// The reference Worker (no D1, no seed).
const REFERENCE: Site = Site {
    name: "reference",
    config: "bench/reference-worker/wrangler.toml",
    seed: "",
    accounts: "",
};

/// Runs every benchmark, or only the gate's when `only_gate`.
pub fn run(root: &Path, only_gate: bool) -> Result<()> {
    if !only_gate {
        crate_benches(root)?;
        launcher(root)?;
    }
    gate(root)
}

/// The launcher's size and time budgets: `node web/bench.mjs` against the built `web/pkg/`
/// (built first when missing); fails when a figure is over its budget.
fn launcher(root: &Path) -> Result<()> {
    if !root.join("web").join("pkg").join("launcher.js").is_file() {
        build::web(root, Profile::Release)?;
    }
    proc::run(proc::command("node", root).arg("web/bench.mjs"))
}

/// `cargo bench` for every crate that has a `benches/` folder.
fn crate_benches(root: &Path) -> Result<()> {
    for krate in ["core", "edge", "web", "demo"] {
        if !root.join(krate).join("benches").is_dir() {
            continue;
        }
        let package = build::package_name(root, krate)?;
        proc::run(proc::cargo(root).args(["bench", "-p", &package]))?;
    }
    Ok(())
}

/// The hub session the bench's tokens name (`sid` in bench/run.mjs), for the seeded Tom Tech.
const BENCH_HUB_SESSION: &str = "INSERT INTO hub_sessions \
     (id, tenant_id, user_id, created_at, expires_at) \
     SELECT 'sid-bench', 't_acme', id, 0, 4102444800 FROM hub_users \
     WHERE email = 'tech@acme.example'";

/// The gate against the `jose` reference, in workerd, in one run.
fn gate(root: &Path) -> Result<()> {
    setup::run(root)?;
    build::worker(root, "edge", Profile::Release)?;
    print_bundle_size(root);

    let state = root.join("target").join("bench").join("state");
    if state.exists() {
        std::fs::remove_dir_all(&state)
            .with_context(|| format!("cannot clear {}", state.display()))?;
    }
    for site in servers::present_sites(root) {
        servers::migrate_and_seed(root, site, &state)?;
    }
    // The established session of the bench belongs to a live hub session, as a real one does
    // (the gate counts a hub session it cannot find as signed out).
    servers::execute_sql(root, EDGE, &state, BENCH_HUB_SESSION)?;

    let ports = Ports {
        edge: servers::free_port()?,
        demo: servers::free_port()?,
        probe: servers::free_port()?,
    };
    let reference_port = servers::free_port()?;
    // The demo modules are the gate's upstream (sign-in looks the user up there).
    let mut demo = None;
    if let Some(site) = servers::present_sites(root).into_iter().find(|it| it.name == "demo") {
        let mut server = servers::start(root, site, ports, &state, true)?;
        servers::wait_ready(&mut server, ports.demo, Duration::from_secs(60))?;
        demo = Some(server);
    }
    let jwks_url = format!("http://localhost:{reference_port}/jwks.json");

    let mut reference = start(root, &REFERENCE, reference_port, &state, &[])?;
    servers::wait_ready(&mut reference, reference_port, Duration::from_secs(60))?;
    let mut vars = ports.env();
    vars.push(("GATE_BENCH", "on".to_owned()));
    vars.push(("HUB_BENCH", "1".to_owned()));
    vars.push(("GATE_BENCH_JWKS_URL", jwks_url));
    let mut edge = start(root, EDGE, ports.edge, &state, &vars)?;
    servers::wait_ready(&mut edge, ports.edge, Duration::from_secs(60))?;

    println!("\nxtask: gate bench (CPU time per check inside workerd; median of the rounds)");
    let mut runner = proc::command("node", root);
    runner
        .arg(root.join("bench").join("run.mjs"))
        .env("ONEGATE_EDGE_PORT", ports.edge.to_string())
        .env("BENCH_REFERENCE_PORT", reference_port.to_string());
    let mut outcome = proc::run(&mut runner);
    if outcome.is_ok() {
        println!("\nxtask: hub bench (Argon2id at the chosen cost, EdDSA hub tokens; in workerd)");
        let mut hub = proc::command("node", root);
        hub.args(["-e", HUB_BENCH_SCRIPT]).env("ONEGATE_EDGE_PORT", ports.edge.to_string());
        outcome = proc::run(&mut hub);
    }
    drop(edge);
    drop(reference);
    drop(demo);
    outcome
}

/// Asks the hub's `/.hub/bench` (on with `HUB_BENCH=1`) and prints its figures, one a line.
const HUB_BENCH_SCRIPT: &str = r#"
const res = await fetch(`http://127.0.0.1:${process.env.ONEGATE_EDGE_PORT}/.hub/bench?n=10`);
if (res.status !== 200) throw new Error(`hub bench: ${res.status} ${await res.text()}`);
const { argon2id: a, eddsa: e } = await res.json();
if (!a.verified || !e.verified) throw new Error('hub bench: a check did not verify');
const f = (ms) => `${ms.toFixed(3)} ms`;
const cost = `m=${a.m_kib} KiB t=${a.t} p=${a.p}`;
console.log(`hub argon2id ${cost}: hash ${f(a.hash_ms)}, verify ${f(a.verify_ms)} (budget 100 ms)`);
const runs = `pure Rust, ${e.runs} runs`;
console.log(`hub EdDSA token: sign ${f(e.sign_ms)}, verify ${f(e.verify_ms)} (${runs})`);
"#;

/// `wrangler dev` for `site` on `port`, quiet, in its own process group, with `vars`.
fn start(
    root: &Path,
    site: &Site,
    port: u16,
    state: &Path,
    vars: &[(&str, String)],
) -> Result<proc::Server> {
    let inspector = servers::free_port()?.to_string();
    let mut cmd = proc::wrangler(root);
    cmd.args(["dev", "-c", site.config, "--ip", "127.0.0.1", "--port", &port.to_string()])
        .args(["--inspector-port", &inspector, "--show-interactive-dev-session=false"])
        .args(["--log-level", "warn"])
        .arg("--persist-to")
        .arg(state.join(site.name));
    for (key, value) in vars {
        cmd.args(["--var", &format!("{key}:{value}")]);
    }
    proc::Server::spawn(site.name, &mut cmd)
}

/// Prints the size of the Worker's wasm, raw and gzip (`gzip -9`), as built.
fn print_bundle_size(root: &Path) {
    let wasm = root.join("edge").join("build").join("index_bg.wasm");
    let Ok(raw) = std::fs::metadata(&wasm).map(|it| it.len()) else {
        println!("xtask: {} not found; no size to report", wasm.display());
        return;
    };
    let gzip = Command::new("sh")
        .arg("-c")
        .arg("gzip -9 -c \"$1\" | wc -c")
        .arg("sh")
        .arg(&wasm)
        .output()
        .ok()
        .and_then(|it| String::from_utf8(it.stdout).ok())
        .and_then(|it| it.trim().parse::<u64>().ok());
    let gzip = gzip.map_or_else(|| "?".to_owned(), |it| format!("{:.0} KB", it as f64 / 1024.0));
    println!(
        "xtask: onegate Worker wasm (release): {:.0} KB raw, {gzip} gzip",
        raw as f64 / 1024.0
    );
}
