//! Strict, unpadded base64url (RFC 4648 section 5), the encoding of every JWT segment and JWK
//! member.
//!
//! Decoding refuses padding, characters outside the URL-safe alphabet and non-canonical
//! trailing bits, so one byte string has exactly one accepted encoding and a token cannot be
//! altered without changing its bytes.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `bytes` without padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 0x3f) as usize]));
        }
    }
    out
}

/// Decodes unpadded base64url, or `None` if `text` is not its canonical encoding.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if text.len() % 4 == 1 {
        return None;
    }

    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.chunks(4) {
        let mut n = 0u32;
        for &c in chunk {
            n = n << 6 | u32::from(value(c)?);
        }
        n <<= 6 * (4 - chunk.len() as u32);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let len = chunk.len() - 1;
        // Bits below the last whole byte must be zero, or two texts would decode alike.
        if len < 3 && bytes[len] != 0 {
            return None;
        }
        out.extend_from_slice(&bytes[..len]);
    }
    Some(out)
}

fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
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
