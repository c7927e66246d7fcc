//! Child processes: running them with streamed output, and stopping whole process groups.
//!
//! Long-lived servers (`wrangler dev` and its `workerd`) run in their own process group, which is
//! recorded here so that an error, Ctrl-C or SIGTERM stops every one of them: killing only the
//! `node` parent would leave `workerd` holding the port.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Process groups started by this run that must not outlive it.
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Stops every recorded process group and exits on Ctrl-C or SIGTERM.
pub fn install_interrupt_handler() {
    let installed = ctrlc::set_handler(|| {
        eprintln!("\nxtask: interrupted, stopping servers");
        stop_all_groups();
        std::process::exit(130);
    });
    if let Err(err) = installed {
        eprintln!("xtask: warning: cannot catch Ctrl-C ({err}); servers may outlive an interrupt");
    }
}

/// Puts `node_modules/.bin` and cargo's bin folder first on PATH, so the pinned wasm-opt,
/// esbuild and wrangler win over anything the system has (Debian's wasm-opt is too old).
pub fn prepare_path(root: &Path) {
    let mut dirs = vec![root.join("node_modules").join(".bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    // `set_var` is unsafe in edition 2024 and the workspace forbids unsafe code, so every child
    // gets this PATH explicitly through `command`.
    if let Ok(joined) = std::env::join_paths(dirs) {
        PATH_OVERRIDE.get_or_init(|| joined);
    }
}

/// The PATH children run with, set once by `prepare_path`.
static PATH_OVERRIDE: std::sync::OnceLock<std::ffi::OsString> = std::sync::OnceLock::new();

/// Where a program would be found on the project's PATH.
pub fn which(program: &str) -> Option<std::path::PathBuf> {
    let path = PATH_OVERRIDE.get().cloned().or_else(|| std::env::var_os("PATH"))?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| p.is_file())
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> std::path::PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Path::new(&home).join("bin");
    }
    let home = std::env::var_os("HOME").unwrap_or_default();
    Path::new(&home).join(".cargo").join("bin")
}

/// A command with the project's PATH, started in `root`.
pub fn command(program: &str, root: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root);
    if let Some(path) = PATH_OVERRIDE.get() {
        cmd.env("PATH", path);
    }
    cmd
}

/// `cargo` (the same one that runs xtask) in `root`.
pub fn cargo(root: &Path) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    command(&cargo, root)
}

/// `npx wrangler` from the pinned `node_modules`, with metrics off.
pub fn wrangler(root: &Path) -> Command {
    let mut cmd = command("node", root);
    cmd.arg(root.join("node_modules/wrangler/bin/wrangler.js"));
    cmd.env("WRANGLER_SEND_METRICS", "false");
    cmd
}

/// Runs a command to completion with inherited output; fails on a non-zero exit.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = status(cmd)?;
    if !status.success() {
        bail!("{} failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs a command to completion with inherited output and returns its exit status.
pub fn status(cmd: &mut Command) -> Result<ExitStatus> {
    println!("xtask: $ {}", describe(cmd));
    cmd.status().with_context(|| format!("cannot start {}", describe(cmd)))
}

/// Runs a command, printing its stdout as it arrives and also returning it for parsing.
pub fn run_captured(cmd: &mut Command) -> Result<(ExitStatus, String)> {
    println!("xtask: $ {}", describe(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", describe(cmd)))?;
    let mut captured = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            println!("{line}");
            captured.push_str(&line);
            captured.push('\n');
        }
    }
    let status = child.wait()?;
    Ok((status, captured))
}

/// The first line of a command's stdout, or `None` if it cannot run.
pub fn output_line(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).lines().next().map(|l| l.trim().to_string())
}

/// A command as a shell-like line, for logs.
pub fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// A server running in its own process group; stopped (the whole group) when dropped.
pub struct Server {
    /// Shown in logs: `hub`, `demo`.
    pub name: String,
    child: Child,
}

impl Server {
    /// Starts `cmd` as the leader of a new process group.
    pub fn spawn(name: &str, cmd: &mut Command) -> Result<Server> {
        use std::os::unix::process::CommandExt;

        println!("xtask: $ {}", describe(cmd));
        let child = cmd
            .process_group(0)
            .spawn()
            .with_context(|| format!("cannot start {name}: {}", describe(cmd)))?;
        lock_groups().push(child.id());
        Ok(Server { name: name.to_string(), child })
    }

    /// `Some(status)` once the server has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pgid = self.child.id();
        if signal_group(pgid, "-TERM") {
            let deadline = Instant::now() + Duration::from_secs(5);
            // The leader must be reaped first: a zombie leader keeps the group alive.
            while Instant::now() < deadline {
                let reaped = self.child.try_wait().ok().flatten().is_some();
                if reaped && !signal_group(pgid, "-0") {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            signal_group(pgid, "-KILL");
        }
        let _ = self.child.wait();
        lock_groups().retain(|&g| g != pgid);
    }
}

fn lock_groups() -> std::sync::MutexGuard<'static, Vec<u32>> {
    GROUPS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Stops every process group this run started: SIGTERM, a second's grace, then SIGKILL. Used on
/// interrupts and errors, where the `Server` values may never be dropped.
pub fn stop_all_groups() {
    let groups = lock_groups().clone();
    if groups.is_empty() {
        return;
    }
    for &pgid in &groups {
        signal_group(pgid, "-TERM");
    }
    std::thread::sleep(Duration::from_secs(1));
    for &pgid in &groups {
        signal_group(pgid, "-KILL");
    }
}

/// Sends `sig` (`-TERM`, `-KILL`, `-0`) to a whole process group; true if it was delivered.
fn signal_group(pgid: u32, sig: &str) -> bool {
    Command::new("kill")
        .args([sig, "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}
