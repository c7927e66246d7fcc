//! The timing loop the core's benches share.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Runs `op` for about `budget` after a short warm-up, in batches of `batch`; returns ns per
/// call. Every call must return true, so a bench never times a failing path.
pub fn time(budget: Duration, batch: u64, mut op: impl FnMut() -> bool) -> f64 {
    let mut ok = true;
    for _ in 0..20 {
        ok &= op();
    }
    let start = Instant::now();
    let mut runs = 0u64;
    while start.elapsed() < budget {
        for _ in 0..batch {
            ok &= black_box(op());
        }
        runs += batch;
    }
    assert!(ok, "every run must succeed");
    start.elapsed().as_nanos() as f64 / runs as f64
}
