//! Hub token verification per algorithm, natively: `verify` (every check) against the bare
//! signature step alone (`KeySet::verify_signature` on the same token), in ns per operation.
//! Run with `cargo bench -p onegate-core --bench verify`; it takes a few seconds.

use std::hint::black_box;
use std::time::Duration;

use onegate_core::token::{KeySet, sign, verify};

#[path = "../tests/token_fixtures/mod.rs"]
mod fixtures;

use fixtures::*;

mod timing;

/// Runs `op` for about `budget`; returns ns per call.
fn time(budget: Duration, op: impl FnMut() -> bool) -> f64 {
    timing::time(budget, 16, op)
}

fn main() {
    let keys = key_set();
    let expect = expectations();
    let cases = [
        ("EdDSA", ED_KID, sign(&hub_claims(), &hub_key()).expect("signs")),
        ("ES256", EC_KID, forge(&header("ES256", EC_KID), &claims_json(), Signer::Es)),
        ("RS256", RS_KID, forge(&header("RS256", RS_KID), &claims_json(), Signer::Rs)),
    ];
    let budget = Duration::from_millis(1500);

    println!("{:<6} {:>14} {:>20} {:>7}", "alg", "verify ns/op", "signature ns/op", "ratio");
    for (alg, kid, token) in &cases {
        let (message, signature) = token.rsplit_once('.').expect("three segments");
        let full = time(budget, || verify(black_box(token), &keys, &expect, NOW).is_ok());
        let bare = time(budget, || {
            keys.verify_signature(kid, black_box(message.as_bytes()), signature).is_ok()
        });
        println!("{alg:<6} {full:>14.0} {bare:>20.0} {:>7.3}", full / bare);
    }

    let jwks = jwks();
    let parse = time(budget, || KeySet::from_jwks_json(black_box(&jwks)).is_ok());
    println!("KeySet::from_jwks_json (3 usable keys + 1 set aside): {parse:.0} ns/op");
}
