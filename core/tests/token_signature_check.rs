//! `token::verify_with`: the signature step handed to the caller (the edge's WebCrypto), every
//! other check still made by core. A checker that answers `None` must give exactly what
//! `verify` gives; `Some(false)` must refuse even a genuine token; `Some(true)` must not skip
//! the claim checks; and the checker must be handed the raw key, message and signature.

mod token_fixtures;

use std::cell::RefCell;
use std::future::{Future, ready};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use onegate_core::ErrorKind;
use onegate_core::token::{SignatureAlgorithm, SignatureCheck, verify, verify_with};
use serde_json::json;
use token_fixtures::*;

/// Polls a future that never waits (every checker here answers at once).
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// One call to the checker: algorithm, raw key, message, signature.
type Call = (SignatureAlgorithm, Vec<u8>, Vec<u8>, Vec<u8>);

/// Answers a fixed verdict and records what it was asked.
struct Fixed {
    verdict: Option<bool>,
    seen: RefCell<Vec<Call>>,
}

impl Fixed {
    fn new(verdict: Option<bool>) -> Fixed {
        Fixed { verdict, seen: RefCell::new(Vec::new()) }
    }
}

impl SignatureCheck for Fixed {
    fn check(
        &self,
        alg: SignatureAlgorithm,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> impl Future<Output = Option<bool>> {
        self.seen.borrow_mut().push((
            alg,
            public_key.to_vec(),
            message.to_vec(),
            signature.to_vec(),
        ));
        ready(self.verdict)
    }
}

fn outcome(result: onegate_core::Result<onegate_core::token::VerifiedClaims>) -> String {
    match result {
        Ok(claims) => format!("ok {}", claims.subject()),
        Err(err) => format!("{}: {}", err.code(), err.message()),
    }
}

fn tokens() -> Vec<(&'static str, String)> {
    let ed = forge(&header("EdDSA", ED_KID), &claims_json(), Signer::Ed);
    let (head, rest) = ed.split_once('.').unwrap_or_default();
    let (_, sig) = rest.split_once('.').unwrap_or_default();
    let mut expired = claims_json();
    expired["exp"] = json!(NOW - 3600);
    vec![
        ("eddsa_genuine", ed.clone()),
        ("es256_genuine", forge(&header("ES256", EC_KID), &claims_json(), Signer::Es)),
        ("rs256_genuine", forge(&header("RS256", RS_KID), &claims_json(), Signer::Rs)),
        ("payload_swapped", format!("{head}.{}.{sig}", b64(b"{\"sub\":\"admin\"}"))),
        ("expired", forge(&header("EdDSA", ED_KID), &expired, Signer::Ed)),
        ("alg_none", forge(&header("none", ED_KID), &claims_json(), Signer::Unsigned)),
    ]
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_checker_that_declines_gives_exactly_what_verify_gives() {
    let keys = key_set();
    for (name, token) in tokens() {
        let plain = outcome(verify(&token, &keys, &expectations(), NOW));
        let with =
            outcome(block_on(verify_with(&token, &keys, &expectations(), NOW, &Fixed::new(None))));
        assert_eq!(with, plain, "row {name}");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_failed_external_check_refuses_even_a_genuine_token() {
    let keys = key_set();
    let token = forge(&header("EdDSA", ED_KID), &claims_json(), Signer::Ed);
    let got = block_on(verify_with(&token, &keys, &expectations(), NOW, &Fixed::new(Some(false))));
    assert_eq!(got.err().map(|it| it.kind()), Some(ErrorKind::TokenSignatureInvalid));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_passed_external_check_still_leaves_every_other_rule_to_core() {
    let keys = key_set();
    let rows = [
        ("expired", ErrorKind::TokenExpired),
        ("alg_none", ErrorKind::TokenAlgorithmMismatch),
        ("payload_swapped", ErrorKind::TokenClaimMissing),
    ];
    let tokens = tokens();
    for (name, kind) in rows {
        let token = &tokens.iter().find(|it| it.0 == name).expect("row exists").1;
        let always = Fixed::new(Some(true));
        let got = block_on(verify_with(token, &keys, &expectations(), NOW, &always));
        assert_eq!(got.err().map(|it| it.kind()), Some(kind), "row {name}");
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_checker_gets_the_raw_key_the_signed_part_and_the_decoded_signature() {
    let keys = key_set();
    let decode = |it: &str| URL_SAFE_NO_PAD.decode(it).unwrap_or_default();
    let ec_point = [vec![4u8], decode(EC_X), decode(EC_Y)].concat();
    let rows = [
        ("eddsa_genuine", SignatureAlgorithm::EdDsa, decode(ED_X), 64),
        ("es256_genuine", SignatureAlgorithm::Es256, ec_point, 64),
        ("rs256_genuine", SignatureAlgorithm::Rs256, Vec::new(), 256),
    ];
    let tokens = tokens();
    for (name, alg, raw, signature_len) in rows {
        let token = &tokens.iter().find(|it| it.0 == name).expect("row exists").1;
        let check = Fixed::new(Some(true));
        let got = block_on(verify_with(token, &keys, &expectations(), NOW, &check));
        assert!(got.is_ok(), "row {name}: {}", outcome(got));
        let seen = check.seen.borrow();
        let (seen_alg, seen_key, message, signature) = &seen[0];
        let (signed, sig_b64) = token.rsplit_once('.').unwrap_or_default();
        assert_eq!((*seen_alg, seen_key), (alg, &raw), "row {name}");
        assert_eq!(message.as_slice(), signed.as_bytes(), "row {name}");
        assert_eq!(signature, &decode(sig_b64), "row {name}");
        assert_eq!(signature.len(), signature_len, "row {name}");
    }
}
