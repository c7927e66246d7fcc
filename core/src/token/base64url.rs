//! Strict, unpadded base64url (RFC 4648 section 5), the encoding of every JWT segment and JWK
//! member.
//!
//! Decoding refuses padding, characters outside the URL-safe alphabet and non-canonical
//! trailing bits, so one byte string has exactly one accepted encoding and a token cannot be
//! altered without changing its bytes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Encodes `bytes` without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url, or `None` if `text` is not its canonical encoding. The engine
/// requires no padding and refuses set trailing bits; the tests below hold it to that.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::{decode, encode};

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn round_trips_every_length_and_refuses_non_canonical_text() {
        let data: Vec<u8> = (0u8..=255).collect();
        for len in 0..40 {
            let text = encode(&data[200 - len..200]);
            assert_eq!(decode(&text).as_deref(), Some(&data[200 - len..200]), "len {len}");
        }
        assert_eq!(encode(b"\xfb\xff"), "-_8");
        assert_eq!(decode("-_8"), Some(b"\xfb\xff".to_vec()));
        assert_eq!(decode("-_9"), None, "trailing bits set");
        assert_eq!(decode("QQ=="), None, "padding");
        assert_eq!(decode("QQ+/"), None, "standard alphabet");
        assert_eq!(decode("QUJDR"), None, "impossible length");
        assert_eq!(decode(""), Some(Vec::new()));
    }
}
