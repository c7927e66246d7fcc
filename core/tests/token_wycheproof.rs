//! Wycheproof vectors for the three signature algorithms a gate accepts, run through the same
//! path as a token: each vector's public key is published in a JWKS document, parsed by
//! [`KeySet::from_jwks_json`], and the signature checked by [`KeySet::verify_signature`] (the
//! signature step of `verify`, jsonwebtoken's `crypto::verify` with the pinned algorithm).
//!
//! Valid vectors must verify and invalid ones must not. "Acceptable" vectors (legal but
//! discouraged encodings) must be refused too: the gate takes the strict side, and a row that
//! starts to pass fails this test so the change is seen. Vectors whose key the key set refuses
//! count as refused signatures, and are allowed only for invalid vectors. Native only: the
//! vector files are large.

#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use onegate_core::token::KeySet;
use serde_json::{Value, json};
use wycheproof::TestResult;

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Big-endian integers from Wycheproof carry a sign byte; JWKs do not.
fn unsigned(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|it| *it != 0).unwrap_or(bytes.len());
    &bytes[start..]
}

/// How one algorithm's vectors fared.
#[derive(Debug, Default)]
struct Tally {
    run: usize,
    wrong: Vec<String>,
}

impl Tally {
    fn record(
        &mut self,
        id: usize,
        expected: TestResult,
        keys: Option<&KeySet>,
        msg: &[u8],
        sig: &[u8],
    ) {
        self.run += 1;
        let verified = keys.is_some_and(|it| it.verify_signature("k", msg, &b64(sig)).is_ok());
        let want = expected == TestResult::Valid;
        if verified != want {
            self.wrong.push(format!(
                "tc {id} ({expected:?}): {}",
                if verified { "verified" } else { "refused" }
            ));
        }
    }

    fn assert_all_right(self, name: &str, at_least: usize) {
        assert!(self.run >= at_least, "{name}: only {} vectors ran", self.run);
        assert!(self.wrong.is_empty(), "{name}:\n{}", self.wrong.join("\n"));
    }
}

fn key_set(jwk: Value) -> Option<KeySet> {
    KeySet::from_jwks_json(&json!({ "keys": [jwk] }).to_string()).ok()
}

#[test]
fn ed25519_vectors() {
    use wycheproof::eddsa::{TestName, TestSet};

    let set = TestSet::load(TestName::Ed25519).expect("vectors load");
    let mut tally = Tally::default();
    for group in set.test_groups {
        let keys = key_set(json!({"kty": "OKP", "crv": "Ed25519", "kid": "k",
            "x": b64(&group.key.pk)}));
        for test in group.tests {
            tally.record(test.tc_id, test.result, keys.as_ref(), &test.msg, &test.sig);
        }
    }
    tally.assert_all_right("ed25519", 100);
}

#[test]
fn ecdsa_p256_sha256_p1363_vectors() {
    use wycheproof::ecdsa::{TestName, TestSet};

    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).expect("vectors load");
    let mut tally = Tally::default();
    for group in set.test_groups {
        let point = &group.key.key;
        assert_eq!(point.len(), 65, "uncompressed P-256 point");
        let keys = key_set(json!({"kty": "EC", "crv": "P-256", "kid": "k",
            "x": b64(&point[1..33]), "y": b64(&point[33..])}));
        for test in group.tests {
            tally.record(test.tc_id, test.result, keys.as_ref(), &test.msg, &test.sig);
        }
    }
    tally.assert_all_right("ecdsa p-256 sha-256 p1363", 100);
}

#[test]
fn rsa_pkcs1_2048_sha256_vectors() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};

    let set = TestSet::load(TestName::Rsa2048Sha256).expect("vectors load");
    let mut tally = Tally::default();
    for group in set.test_groups {
        let keys = key_set(json!({"kty": "RSA", "alg": "RS256", "kid": "k",
            "n": b64(unsigned(&group.key.n)), "e": b64(unsigned(&group.key.e))}));
        for test in group.tests {
            tally.record(test.tc_id, test.result, keys.as_ref(), &test.msg, &test.sig);
        }
    }
    tally.assert_all_right("rsa pkcs1 2048 sha-256", 100);
}
