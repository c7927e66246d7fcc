//! The signature step of hub-token verification done by the runtime's WebCrypto
//! (`crypto.subtle.verify`), for [`onegate_core::token::verify_with`]: core still makes every
//! other check. In workerd, WebCrypto's Ed25519 and P-256 are native code, several times
//! faster than the same arithmetic compiled to wasm (see `cargo xtask bench`).
//!
//! Imported keys are kept per isolate, keyed by algorithm and raw public key, so a key is
//! imported once. RS256 is left to core (`None`).

use std::cell::RefCell;

use onegate_core::token::{SignatureAlgorithm, SignatureCheck};
use worker::js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use worker::wasm_bindgen::{self, JsValue, prelude::wasm_bindgen};
use worker::wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = importKey, catch)]
    fn import_key(
        format: &str,
        key: &Uint8Array,
        algorithm: &Object,
        extractable: bool,
        usages: &Array,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = ["crypto", "subtle"], js_name = verify, catch)]
    fn subtle_verify(
        algorithm: &Object,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;
}

thread_local! {
    /// Imported keys: (algorithm tag, raw public key, CryptoKey). A hub publishes a handful of
    /// keys, so a scan comparing slices beats hashing an owned copy of the key on every token.
    static KEYS: RefCell<Vec<(u8, Vec<u8>, JsValue)>> = const { RefCell::new(Vec::new()) };
    static ALGORITHMS: RefCell<Option<[Object; 3]>> = const { RefCell::new(None) };
}

/// WebCrypto as the signature step of [`onegate_core::token::verify_with`].
pub struct WebCrypto;

impl SignatureCheck for WebCrypto {
    async fn check(
        &self,
        alg: SignatureAlgorithm,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Option<bool> {
        let tag = match alg {
            SignatureAlgorithm::EdDsa => 0u8,
            SignatureAlgorithm::Es256 => 1u8,
            _ => return None,
        };
        let [ed, ec_import, ec_verify] = algorithms()?;
        let cached = KEYS.with(|it| {
            let keys = it.borrow();
            keys.iter().find(|(t, raw, _)| *t == tag && raw == public_key).map(|it| it.2.clone())
        });
        let key = match cached {
            Some(key) => key,
            None => {
                let import_with = if tag == 0 { &ed } else { &ec_import };
                let usages = Array::of1(&JsValue::from_str("verify"));
                let raw = Uint8Array::from(public_key);
                let promise = import_key("raw", &raw, import_with, false, &usages).ok()?;
                let key = JsFuture::from(promise).await.ok()?;
                KEYS.with(|it| {
                    let mut keys = it.borrow_mut();
                    // Bounded: a JWKS holds at most `MAX_KEYS` keys, rotated rarely.
                    if keys.len() >= 64 {
                        keys.remove(0);
                    }
                    keys.push((tag, public_key.to_vec(), key.clone()));
                });
                key
            }
        };
        let verify_with = if tag == 0 { &ed } else { &ec_verify };
        // A rejected promise (a malformed signature, say) is a signature that does not verify.
        let promise = subtle_verify(verify_with, &key, signature, message).ok()?;
        Some(JsFuture::from(promise).await.is_ok_and(|it| it.as_bool() == Some(true)))
    }
}

/// `{name: "Ed25519"}`, `{name: "ECDSA", namedCurve: "P-256"}`, `{name: "ECDSA", hash:
/// "SHA-256"}`, made once per isolate.
fn algorithms() -> Option<[Object; 3]> {
    if let Some(made) = ALGORITHMS.with(|it| it.borrow().clone()) {
        return Some(made);
    }
    let object = |pairs: &[(&str, &str)]| -> Option<Object> {
        let it = Object::new();
        for (key, value) in pairs {
            Reflect::set(&it, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
        }
        Some(it)
    };
    let made = [
        object(&[("name", "Ed25519")])?,
        object(&[("name", "ECDSA"), ("namedCurve", "P-256")])?,
        object(&[("name", "ECDSA"), ("hash", "SHA-256")])?,
    ];
    ALGORITHMS.with(|it| *it.borrow_mut() = Some(made.clone()));
    Some(made)
}
