//! Two-factor sign-in at the hub: time-based one-time passwords (RFC 6238) and recovery codes.
//!
//! A user's TOTP secret is random bytes handed in by the caller, shown to the user as unpadded
//! base32 and inside an `otpauth://` URI for authenticator apps. A code is accepted for the
//! current 30-second step and one step either side (clock drift), and only for a step later than
//! the last one the user signed in with, so a code can never be used twice. Recovery codes are
//! single-use: the hub stores only their SHA-256 and deletes each one when it is used.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{Error, ErrorKind, Result};

/// How codes are computed and how much drift is tolerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotpConfig {
    /// Length of one time step in seconds; defaults to 30 (what every authenticator app uses).
    pub step_secs: u64,
    /// Digits per code; defaults to 6.
    pub digits: u32,
    /// Steps accepted before and after the current one; defaults to 1 (about ±30 s of drift).
    pub skew_steps: u64,
}

impl Default for TotpConfig {
    fn default() -> Self {
        TotpConfig { step_secs: 30, digits: 6, skew_steps: 1 }
    }
}

/// The HOTP value (RFC 4226) of `secret` at `counter`, truncated to `digits` decimal digits.
/// `digits` is clamped to 1..=9 so the result always fits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let digits = digits.clamp(1, 9);
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();

    let offset = usize::from(hash[19] & 0x0f);
    let bin = (u32::from(hash[offset] & 0x7f) << 24)
        | (u32::from(hash[offset + 1]) << 16)
        | (u32::from(hash[offset + 2]) << 8)
        | u32::from(hash[offset + 3]);
    bin % 10u32.pow(digits)
}

/// The code for `secret` at unix time `now`, zero-padded to the configured number of digits.
pub fn code_at(secret: &[u8], now: u64, config: TotpConfig) -> String {
    let step = now / config.step_secs.max(1);
    let width = config.digits.clamp(1, 9) as usize;
    format!("{:0width$}", hotp(secret, step, config.digits))
}

/// Checks a code the user typed against `secret` at unix time `now`.
///
/// Spaces inside the code are ignored. `last_used_step` is the step of the user's previous
/// accepted code (if any): a code for that step or an earlier one is refused as reused. On
/// success the matched step is returned; store it as the new `last_used_step`.
pub fn verify(
    secret: &[u8],
    code: &str,
    now: u64,
    last_used_step: Option<u64>,
    config: TotpConfig,
) -> Result<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let width = config.digits.clamp(1, 9) as usize;
    if code.len() != width || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::new(
            ErrorKind::TotpCodeMalformed,
            format!("enter the {width}-digit code from your authenticator app"),
        ));
    }

    let current = now / config.step_secs.max(1);
    let first = current.saturating_sub(config.skew_steps);
    let last = current.saturating_add(config.skew_steps);
    let matched = (first..=last).find(|&step| {
        let expected = format!("{:0width$}", hotp(secret, step, config.digits));
        bool::from(expected.as_bytes().ct_eq(code.as_bytes()))
    });
    let Some(step) = matched else {
        return Err(Error::new(
            ErrorKind::TotpCodeInvalid,
            "the two-factor code is not correct; check your device's clock and try again",
        ));
    };

    if last_used_step.is_some_and(|used| step <= used) {
        return Err(Error::new(
            ErrorKind::TotpCodeReused,
            "this two-factor code was already used; wait for the next code",
        ));
    }
    Ok(step)
}

/// The `otpauth://totp/...` URI that authenticator apps import (usually from a QR code).
///
/// `issuer` is the brand (for example `KaseyaOne`), `account` the user's email, `secret` the raw
/// secret bytes.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8], config: TotpConfig) -> String {
    let label = format!("{}:{}", percent(issuer), percent(account));
    format!(
        "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
        base32_encode(secret),
        percent(issuer),
        config.digits.clamp(1, 9),
        config.step_secs.max(1),
    )
}

/// Encodes bytes as unpadded upper-case base32 (RFC 4648), the form authenticator apps expect.
pub fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Decodes base32 (RFC 4648; case, spaces, dashes and `=` padding are ignored).
pub fn base32_decode(text: &str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = match c.to_ascii_uppercase() {
            l @ 'A'..='Z' => l as u32 - 'A' as u32,
            d @ '2'..='7' => d as u32 - '2' as u32 + 26,
            _ => {
                return Err(Error::new(
                    ErrorKind::ValueInvalid,
                    format!("{c:?} is not a base32 character (A-Z, 2-7)"),
                ));
            }
        };
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Ok(out)
}

/// Turns 10 random bytes into a recovery code the user can write down: 16 lower-case base32
/// characters in four groups (`abcd-efgh-ijkl-mnop`, 80 bits).
pub fn recovery_code(random: [u8; 10]) -> String {
    let plain = base32_encode(&random).to_ascii_lowercase();
    let groups: Vec<&str> = (0..4).filter_map(|i| plain.get(i * 4..i * 4 + 4)).collect();
    groups.join("-")
}

/// The value stored for a recovery code: SHA-256 (hex) of its normalised form, so typing it in
/// upper case or without dashes still matches. Recovery codes carry 80 random bits, so a fast
/// hash is enough.
pub fn recovery_code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex(&Sha256::digest(normal.as_bytes()))
}

/// Whether what the user typed looks like a recovery code rather than a TOTP code.
pub fn looks_like_recovery_code(input: &str) -> bool {
    input.chars().filter(|c| c.is_ascii_alphanumeric()).count() == 16
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Percent-encodes everything except unreserved characters (RFC 3986).
fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
