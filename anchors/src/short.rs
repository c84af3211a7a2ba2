//! Shortened hex for messages: a hash or a field element is named by its first 12 hex digits,
//! enough to tell values apart in a sentence without filling a line.
//!
//! Relies on nothing else in the crate, so that the error types can use it.

use zkinvoice_verifier::{fr_to_hex, Fr};

/// The first 12 characters of a hex string (after an optional `0x`).
pub(crate) fn short(hex: &str) -> String {
    let digits = hex.strip_prefix("0x").unwrap_or(hex);
    digits.chars().take(12).collect()
}

/// The first 12 hex digits of a field element.
pub(crate) fn short_fr(x: &Fr) -> String {
    short(&fr_to_hex(x))
}

/// The first 12 hex digits of 32 bytes.
pub(crate) fn short_bytes(bytes: &[u8; 32]) -> String {
    short(&hex::encode(bytes))
}
