//! Local servers: D1 migrations and seed data, `wrangler dev` for the hub and the demo, and
//! `cargo xtask dev` which runs them in the foreground.
//!
//! Each Worker keeps its local D1 state in its own folder under one state root
//! (`.wrangler/state/` for `dev`, a fresh `target/e2e/state/` for every `test` run), so the
//! migrations and the seed always apply to the database the server reads.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::build::toml_string;
use crate::proc::{self, Server};
use crate::{Profile, build, setup};

/// One Worker that `dev` and the end-to-end tests run.
pub struct Site {
    /// Short name used for logs and the state folder: `edge` or `demo`.
    pub name: &'static str,
    /// The wrangler config, relative to the repository root.
    pub config: &'static str,
    /// Seed SQL applied after the migrations, relative to the root; must be idempotent.
    pub seed: &'static str,
    /// The demo accounts the seed creates (`ACCOUNTS.json`, relative to the root), printed by
    /// `dev`: `{"accounts": [...]}` and/or `{"modules": {"psa": {"accounts": [...]}}}`, each
    /// account with `username`, `password` and optionally `email` and `licenseType`. A
    /// `seed-accounts.txt` next to it (one account a line, `#` comments) is printed instead.
    pub accounts: &'static str,
}

/// The hub and gate Worker, then the demo module Worker.
pub const SITES: [Site; 2] = [
    Site {
        name: "edge",
        config: "wrangler.toml",
        seed: "edge/seed.sql",
        accounts: "edge/ACCOUNTS.json",
    },
    Site {
        name: "demo",
        config: "demo/wrangler.toml",
        seed: "demo/seed.sql",
        accounts: "demo/ACCOUNTS.json",
    },
];

/// Ports and hosts the servers listen on.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    /// The hub and gate (`localhost`, `psa.localhost`, ...).
    pub edge: u16,
    /// The demo module Worker.
    pub demo: u16,
    /// A port the end-to-end tests listen on themselves: a stand-in external hub whose JWKS
    /// endpoint they control (tenant Hooli's gate fetches from it). Nobody listens in `dev`.
    pub probe: u16,
}

impl Ports {
    /// The port a site listens on.
    pub fn of(&self, site: &Site) -> u16 {
        if site.name == "edge" { self.edge } else { self.demo }
    }

    /// Environment for tests and Workers: where the hub and the demo answer.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ONEGATE_HUB_URL", format!("http://localhost:{}", self.edge)),
            ("ONEGATE_EDGE_PORT", self.edge.to_string()),
            ("ONEGATE_DEMO_URL", format!("http://localhost:{}", self.demo)),
            ("ONEGATE_DEMO_PORT", self.demo.to_string()),
            // The issuer of the gate's Onegate-Assertion, which the demo checks.
            ("GATE_ISSUER", format!("http://localhost:{}", self.edge)),
            ("ONEGATE_PROBE_URL", format!("http://127.0.0.1:{}", self.probe)),
            ("ONEGATE_PROBE_PORT", self.probe.to_string()),
            // Local servers only: the gate accepts hub tokens posted to /.onegate/dev/token,
            // which the end-to-end tests and the bench mint. Never in wrangler.toml, so no
            // deployment from it has the route.
            ("GATE_DEV_TOKENS", "on".to_owned()),
        ]
    }
}

/// The sites whose config exists (the demo is optional until it is written).
pub fn present_sites(root: &Path) -> Vec<&'static Site> {
    SITES.iter().filter(|site| root.join(site.config).is_file()).collect()
}

/// Applies the D1 migrations and then the seed SQL of `site`, into `state/<site>`.
pub fn migrate_and_seed(root: &Path, site: &Site, state: &Path) -> Result<()> {
    let config_path = root.join(site.config);
    let config = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    let Some(database) = toml_string(&config, "database_name") else {
        println!("xtask: {} has no D1 database; nothing to migrate", site.config);
        return Ok(());
    };
    let persist = state.join(site.name);

    let mut migrate = proc::wrangler(root);
    migrate
        .args(["d1", "migrations", "apply", &database, "--local", "-c", site.config])
        .arg("--persist-to")
        .arg(&persist)
        // wrangler asks before applying; with CI set it takes the default (yes).
        .env("CI", "true");
    proc::run(&mut migrate)?;

    if !root.join(site.seed).is_file() {
        return Ok(());
    }
    let mut seed = proc::wrangler(root);
    seed.args(["d1", "execute", &database, "--local", "-c", site.config])
        .args(["--file", site.seed])
        .arg("--persist-to")
        .arg(&persist)
        .env("CI", "true");
    proc::run(&mut seed)
}

/// Runs `sql` against the local D1 of `site` in `state/<site>` (after [`migrate_and_seed`]).
pub fn execute_sql(root: &Path, site: &Site, state: &Path, sql: &str) -> Result<()> {
    let config_path = root.join(site.config);
    let config = std::fs::read_to_string(&config_path)
        .with_context(|| format!("cannot read {}", config_path.display()))?;
    let Some(database) = toml_string(&config, "database_name") else {
        anyhow::bail!("{} has no D1 database", site.config);
    };
    let mut cmd = proc::wrangler(root);
    cmd.args(["d1", "execute", &database, "--local", "-c", site.config, "--command", sql])
        .arg("--persist-to")
        .arg(state.join(site.name))
        .env("CI", "true");
    proc::run(&mut cmd)
}

/// Starts `wrangler dev` for `site` from its prebuilt bundle, in its own process group.
pub fn start(root: &Path, site: &Site, ports: Ports, state: &Path, quiet: bool) -> Result<Server> {
    let port = ports.of(site).to_string();
    let inspector = free_port()?.to_string();
    let mut cmd = proc::wrangler(root);
    cmd.args(["dev", "-c", site.config, "--ip", "127.0.0.1", "--port", &port])
        .args(["--inspector-port", &inspector, "--show-interactive-dev-session=false"])
        .arg("--persist-to")
        .arg(state.join(site.name));
    for (key, value) in ports.env() {
        cmd.args(["--var", &format!("{key}:{value}")]);
    }
    if quiet {
        cmd.args(["--log-level", "warn"]);
    }
    Server::spawn(site.name, &mut cmd)
}

/// Waits until `GET /healthz` answers on `port` (any HTTP status), or the server exits.
pub fn wait_ready(server: &mut Server, port: u16, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(status) = server.exited() {
            bail!("{} exited before it was ready ({status})", server.name);
        }
        if http_status(port, "localhost", "/healthz").is_some() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("{} did not answer on port {port} within {}s", server.name, timeout.as_secs())
}

/// The status code of a plain HTTP/1.0 GET, or `None` if nothing answers.
fn http_status(port: u16, host: &str, path: &str) -> Option<u16> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// The local state folder that `dev` uses (kept between runs, git-ignored).
fn dev_state(root: &Path) -> PathBuf {
    root.join(".wrangler").join("state")
}

/// `cargo xtask dev`: setup, build, migrate, seed, serve until Ctrl-C.
pub fn dev(root: &Path, profile: Profile) -> Result<()> {
    setup::run(root)?;
    build::run(root, profile)?;

    let state = dev_state(root);
    let ports = Ports { edge: 8787, demo: 8788, probe: 8789 };
    let sites = present_sites(root);
    for site in &sites {
        migrate_and_seed(root, site, &state)?;
    }

    let mut servers = Vec::new();
    for site in &sites {
        let mut server = start(root, site, ports, &state, false)?;
        wait_ready(&mut server, ports.of(site), Duration::from_secs(60))?;
        servers.push(server);
    }
    print_banner(root, ports, &sites);

    loop {
        for server in &mut servers {
            if let Some(status) = server.exited() {
                bail!("{} stopped ({status}); stopping the others", server.name);
            }
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

fn print_banner(root: &Path, ports: Ports, sites: &[&Site]) {
    let edge = ports.edge;
    println!("\nonegate is running (Ctrl-C stops everything):");
    println!("  hub         http://localhost:{edge}");
    println!("  PSA module  http://psa.localhost:{edge}   (gate in front of the demo PSA)");
    println!("  RMM module  http://rmm.localhost:{edge}   (gate in front of the demo RMM)");
    println!("  health      http://localhost:{edge}/healthz");
    if sites.iter().any(|s| s.name == "demo") {
        println!("  demo origin http://localhost:{}   (the module Worker itself)", ports.demo);
    }
    println!("\ndemo accounts (local development only):");
    let mut any = false;
    for site in sites {
        let listed = root.join(site.accounts).with_file_name("seed-accounts.txt");
        let lines = match std::fs::read_to_string(&listed) {
            Ok(text) => text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
            Err(_) => account_lines(&root.join(site.accounts)),
        };
        // The end-to-end suites' own hub accounts (qa1, qa2, ...) are counted, not listed.
        let (tests, people): (Vec<String>, Vec<String>) =
            lines.into_iter().partition(|l| l.starts_with("HUB  qa"));
        for line in people {
            println!("  {line}");
            any = true;
        }
        if !tests.is_empty() {
            println!(
                "  (and {} hub accounts qa1.. that the end-to-end tests use: {})",
                tests.len(),
                listed.strip_prefix(root).unwrap_or(&listed).display()
            );
        }
    }
    if !any {
        println!(
            "  (none listed yet: the seed lists them in edge/ACCOUNTS.json, demo/ACCOUNTS.json)"
        );
    }
    println!();
}

/// One line per account in an `ACCOUNTS.json`; nothing if the file is missing or unreadable.
fn account_lines(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else { return Vec::new() };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(&text) else {
        return vec![format!("({} is not valid JSON)", path.display())];
    };
    let mut groups = vec![("hub".to_string(), &doc["accounts"])];
    if let Some(modules) = doc["modules"].as_object() {
        groups.extend(modules.iter().map(|(name, module)| (name.clone(), &module["accounts"])));
    }

    let mut lines = Vec::new();
    for (group, accounts) in groups {
        for account in accounts.as_array().into_iter().flatten() {
            let field = |key: &str| account[key].as_str().unwrap_or("").to_string();
            lines.push(format!(
                "{group:<4} {:<14} password {:<16} {} {}",
                field("username"),
                field("password"),
                field("email"),
                field("licenseType"),
            ));
        }
    }
    lines
}
