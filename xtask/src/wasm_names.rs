//! Drops the `name` custom section from a release Worker's wasm after worker-build.
//!
//! worker-build always asks wasm-opt to keep that section (`--debuginfo`); it only names
//! functions in a panic's stack trace, and it was 480 KB of the edge Worker's 3.1 MB (130 KB of
//! 1.23 MB gzip). Stripping it in the cargo profile (`strip = "symbols"`) is no substitute: the
//! linker then also drops `target_features`, and wasm-bindgen falls back to a different calling
//! convention. Every other section is copied byte for byte. Set `ONEGATE_KEEP_WASM_NAMES=1` to
//! keep the names (for instance to read a panic's stack trace from a release build).

use std::path::Path;

use anyhow::{Context, Result};

/// Removes the `name` section from the wasm file at `path` in place; returns the bytes saved.
pub fn strip(path: &Path) -> Result<usize> {
    let wasm = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let stripped = without_names(&wasm)
        .with_context(|| format!("{} is not a well-formed wasm module", path.display()))?;
    let saved = wasm.len() - stripped.len();
    if saved > 0 {
        std::fs::write(path, &stripped)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(saved)
}

/// The module without its `name` custom section(s), or `None` when `wasm` is not a well-formed
/// sequence of sections after the 8-byte header.
fn without_names(wasm: &[u8]) -> Option<Vec<u8>> {
    let header = wasm.get(..8)?;
    if !header.starts_with(b"\0asm") {
        return None;
    }
    let mut out = Vec::with_capacity(wasm.len());
    out.extend_from_slice(header);
    let mut at = 8;
    while at < wasm.len() {
        let start = at;
        let id = *wasm.get(at)?;
        let (size, body_start) = leb128(wasm, at + 1)?;
        let end = body_start.checked_add(size)?;
        let body = wasm.get(body_start..end)?;
        if !(id == 0 && custom_name(body)? == b"name") {
            out.extend_from_slice(&wasm[start..end]);
        }
        at = end;
    }
    Some(out)
}

/// The name of a custom section, read from the start of its body.
fn custom_name(body: &[u8]) -> Option<&[u8]> {
    let (len, at) = leb128(body, 0)?;
    body.get(at..at.checked_add(len)?)
}

/// An unsigned LEB128 u32 at `at`: its value and the offset just after it.
fn leb128(bytes: &[u8], mut at: usize) -> Option<(usize, usize)> {
    let mut value: u32 = 0;
    for shift in (0..35).step_by(7) {
        let byte = *bytes.get(at)?;
        at += 1;
        value |= u32::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some((usize::try_from(value).ok()?, at));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = b"\0asm\x01\0\0\0";

    /// A module's sections, in order.
    type Sections = Vec<Vec<u8>>;

    /// A custom section with `name` and `payload`.
    fn custom(name: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut body = vec![u8::try_from(name.len()).unwrap_or(0)];
        body.extend_from_slice(name);
        body.extend_from_slice(payload);
        let mut section = vec![0, u8::try_from(body.len()).unwrap_or(0)];
        section.extend_from_slice(&body);
        section
    }

    fn module(sections: &[Vec<u8>]) -> Vec<u8> {
        let mut wasm = HEADER.to_vec();
        sections.iter().for_each(|s| wasm.extend_from_slice(s));
        wasm
    }

    #[test]
    fn drops_only_the_name_section() {
        let types = vec![1, 4, 1, 0x60, 0, 0];
        let names = custom(b"name", b"\x01\x02\x03");
        let features = custom(b"target_features", b"\x01+\x0bbulk-memory");
        let bindgen = custom(b"__wasm_bindgen_unstable", b"abc");
        let cases: [(Sections, Sections); 4] = [
            (
                vec![types.clone(), names.clone(), features.clone()],
                vec![types.clone(), features.clone()],
            ),
            (vec![names.clone()], vec![]),
            (vec![types.clone(), bindgen.clone()], vec![types.clone(), bindgen.clone()]),
            (
                vec![custom(b"names", b""), custom(b"nam", b"e")],
                vec![custom(b"names", b""), custom(b"nam", b"e")],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(without_names(&module(&input)), Some(module(&expected)), "{input:?}");
        }
    }

    #[test]
    fn multi_byte_section_sizes() {
        let big = custom(b"name", &[7; 200]);
        let size = big[1];
        assert!(size >= 128, "a one-byte size would not exercise LEB128");
        let mut section = vec![0, 0x80 | (size & 0x7f), size >> 7];
        section.extend_from_slice(&big[2..]);
        let keep = custom(b"producers", b"x");
        assert_eq!(without_names(&module(&[section, keep.clone()])), Some(module(&[keep])));
    }

    #[test]
    fn refuses_what_is_not_wasm() {
        let cut = {
            let mut wasm = module(&[custom(b"name", b"abc")]);
            wasm.pop();
            wasm
        };
        for bad in [
            &b""[..],
            b"\0asm",
            b"MZ\0\0\x01\0\0\0",
            &cut,
            b"\0asm\x01\0\0\0\0\xff\xff\xff\xff\xff",
        ] {
            assert_eq!(without_names(bad), None, "{bad:?}");
        }
    }
}
