//! Exact money arithmetic: decimal prices in nano-units, amounts in minor units, their parsing and
//! formatting. Rounding is half up, by [`crate::native::round`] (the arithmetic the circuit mirrors).
//!
//! Prices in the MSA are exact decimals of the major unit, stored as integer **nano-units**
//! (1 USD = 10^9 nano-units). Invoice amounts are integer **minor units** (cents for USD). No
//! floating point is used anywhere: every conversion is an integer operation.

use std::fmt;

use crate::native::round::round_half_up_div;

/// Nano-units per major unit.
pub const NANO_PER_UNIT: u64 = 1_000_000_000;
/// Decimal places of a price (nano-units).
pub const PRICE_DECIMALS: u32 = 9;
/// Parts per million in a whole (100 %).
pub const PPM: u64 = 1_000_000;

/// A currency: its ISO 4217 code, numeric code and minor-unit digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Currency {
    code: [u8; 3],
    numeric: u16,
    minor_digits: u8,
}

impl Currency {
    /// Looks up an ISO 4217 alphabetic code (e.g. `USD`, `JPY`, `BHD`).
    ///
    /// Codes without a minor unit (precious metals, testing codes) are refused.
    pub fn from_code(code: &str) -> Result<Self, String> {
        let c = iso_currency::Currency::from_code(code).ok_or_else(|| {
            format!("unknown currency {code:?} (expected an ISO 4217 code such as \"USD\")")
        })?;
        let minor = c
            .exponent()
            .ok_or_else(|| format!("currency {code} has no minor unit and cannot be invoiced"))?;
        let bytes = code.as_bytes();
        Ok(Self {
            code: [bytes[0], bytes[1], bytes[2]],
            numeric: c.numeric(),
            minor_digits: u8::try_from(minor)
                .map_err(|_| format!("currency {code}: exponent {minor} out of range"))?,
        })
    }

    /// The alphabetic code, e.g. `USD`.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).expect("ISO codes are ASCII")
    }

    /// The ISO 4217 numeric code, e.g. 840 for USD.
    pub fn numeric(&self) -> u16 {
        self.numeric
    }

    /// Digits of the minor unit: 2 for USD, 0 for JPY, 3 for BHD.
    pub fn minor_digits(&self) -> u8 {
        self.minor_digits
    }

    /// Nano-units per minor unit: `10^(9 - minor_digits)`.
    pub fn nano_per_minor(&self) -> u64 {
        10u64.pow(PRICE_DECIMALS - u32::from(self.minor_digits))
    }

    /// Converts nano-units to minor units, rounding half up.
    pub fn nano_to_minor(&self, nano: u128) -> u128 {
        round_half_up_div(nano, u128::from(self.nano_per_minor()))
    }

    /// Formats an amount of minor units as a decimal string of the major unit (`"1234.50"`).
    pub fn format_minor(&self, minor: u64) -> String {
        format_scaled(u128::from(minor), u32::from(self.minor_digits))
    }

    /// Parses a decimal string of the major unit into minor units; at most `minor_digits` decimals.
    pub fn parse_minor(&self, s: &str) -> Result<u64, String> {
        let v = parse_decimal(s, u32::from(self.minor_digits))?;
        u64::try_from(v).map_err(|_| format!("{s:?} exceeds 2^64-1 minor units"))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Parses a non-negative decimal string (`"12"`, `"0.0125"`) into an integer scaled by
/// `10^decimals`. Refuses signs, exponents, empty parts and more than `decimals` decimals.
pub fn parse_decimal(s: &str, decimals: u32) -> Result<u128, String> {
    if s.starts_with('-') {
        return Err(format!("{s:?} is negative"));
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    let digits_only = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits_only(int) || !digits_only(frac) || (s.contains('.') && frac.is_empty()) {
        return Err(format!("{s:?} is not a decimal number (expected digits with an optional '.' and decimals, e.g. \"0.0125\")"));
    }
    if frac.len() > decimals as usize {
        return Err(format!(
            "{s:?} has {} decimals; at most {decimals} are allowed",
            frac.len()
        ));
    }
    let too_large = || format!("{s:?} is too large");
    let mut v: u128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u128::from(b - b'0')))
            .ok_or_else(too_large)?;
    }
    v.checked_mul(10u128.pow(decimals - frac.len() as u32))
        .ok_or_else(too_large)
}

/// Parses a price (exact decimal of the major unit, at most 9 decimals) into nano-units `< 2^64`.
pub fn parse_price_nano(s: &str) -> Result<u64, String> {
    let v = parse_decimal(s, PRICE_DECIMALS)?;
    u64::try_from(v).map_err(|_| format!("{s:?} exceeds the largest price, 2^64-1 nano-units"))
}

/// Parses a tax rate in percent (at most 4 decimals, at most 100) into parts per million.
pub fn parse_percent_ppm(s: &str) -> Result<u32, String> {
    let v = parse_decimal(s, 4)?;
    if v > u128::from(PPM) {
        return Err(format!("{s:?} exceeds 100 percent"));
    }
    Ok(v as u32)
}

/// Formats an integer scaled by `10^decimals` as a decimal string with exactly `decimals` places.
pub fn format_scaled(v: u128, decimals: u32) -> String {
    if decimals == 0 {
        return v.to_string();
    }
    let scale = 10u128.pow(decimals);
    format!("{}.{:0width$}", v / scale, v % scale, width = decimals as usize)
}

/// Formats a nano-unit price with the fewest decimals that represent it exactly (at least 2).
pub fn format_price_nano(nano: u64) -> String {
    let s = format_scaled(u128::from(nano), PRICE_DECIMALS);
    let trimmed = s.trim_end_matches('0');
    let decimals = trimmed.len() - trimmed.find('.').map_or(trimmed.len(), |i| i + 1);
    if decimals < 2 {
        s[..s.find('.').expect("has a point") + 3].to_string()
    } else {
        trimmed.to_string()
    }
}

/// Parses an unsigned integer quantity written as a decimal string (`"1500"`).
pub fn parse_u64_str(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("is empty".into());
    }
    if t.starts_with('-') {
        return Err(format!("{t} is negative; quantities are unsigned integers"));
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{t:?} is not an integer (digits only, no fraction, sign or exponent)"
        ));
    }
    t.parse::<u64>()
        .map_err(|_| format!("{t} exceeds 2^64-1 (18446744073709551615)"))
}

/// Parses an unsigned integer quantity from JSON: an integer, or a decimal string for values that
/// do not survive JSON readers limited to 2^53.
pub fn parse_u64_json(v: &serde_json::Value) -> Result<u64, String> {
    match v {
        serde_json::Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Ok(u)
            } else if let Some(i) = n.as_i64() {
                Err(format!("{i} is negative; quantities are unsigned integers"))
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f < 0.0 {
                    Err(format!("{n} is negative; quantities are unsigned integers"))
                } else if f.fract() == 0.0 && f >= 18_446_744_073_709_551_615.0 {
                    Err(format!("{n} exceeds 2^64-1 (18446744073709551615)"))
                } else {
                    Err(format!(
                        "{n} is not an integer (digits only, no fraction or exponent)"
                    ))
                }
            }
        }
        serde_json::Value::String(s) => parse_u64_str(s),
        other => Err(format!(
            "expected an unsigned integer, found {}",
            json_kind(other)
        )),
    }
}

/// The JSON type name of a value, for error messages.
pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_minor_units() {
        let usd = Currency::from_code("USD").unwrap();
        assert_eq!(
            (usd.numeric(), usd.minor_digits(), usd.nano_per_minor()),
            (840, 2, 10_000_000)
        );
        assert_eq!(Currency::from_code("JPY").unwrap().minor_digits(), 0);
        assert_eq!(Currency::from_code("BHD").unwrap().minor_digits(), 3);
        assert!(Currency::from_code("XYZ")
            .unwrap_err()
            .contains("unknown currency"));
        assert!(Currency::from_code("usd").is_err());
        // 0.005 USD rounds up to 1 cent; 0.004999999999 down.
        assert_eq!(usd.nano_to_minor(5_000_000), 1);
        assert_eq!(usd.nano_to_minor(4_999_999), 0);
        assert_eq!(usd.format_minor(123_456), "1234.56");
        assert_eq!(usd.parse_minor("1234.5").unwrap(), 123_450);
        assert_eq!(Currency::from_code("JPY").unwrap().format_minor(42), "42");
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_price_nano("0.0125").unwrap(), 12_500_000);
        assert_eq!(parse_price_nano("1").unwrap(), NANO_PER_UNIT);
        assert_eq!(parse_price_nano("0.000000001").unwrap(), 1);
        assert!(parse_price_nano("0.0000000001")
            .unwrap_err()
            .contains("at most 9"));
        assert!(parse_price_nano("-1").unwrap_err().contains("negative"));
        assert!(parse_price_nano("1e3").is_err());
        assert!(parse_price_nano(".5").is_err());
        assert!(parse_price_nano("5.").is_err());
        assert!(parse_price_nano("").is_err());
        assert!(parse_price_nano("18446744074")
            .unwrap_err()
            .contains("largest price"));
        assert_eq!(parse_percent_ppm("8.875").unwrap(), 88_750);
        assert!(parse_percent_ppm("100.0001").is_err());
        assert_eq!(format_price_nano(12_500_000), "0.0125");
        assert_eq!(format_price_nano(1_500_000_000), "1.50");
    }

    #[test]
    fn quantities() {
        use serde_json::json;
        assert_eq!(parse_u64_json(&json!(5)).unwrap(), 5);
        assert_eq!(parse_u64_json(&json!("18446744073709551615")).unwrap(), u64::MAX);
        assert!(parse_u64_json(&json!(-5)).unwrap_err().contains("negative"));
        assert!(parse_u64_json(&json!(1.5))
            .unwrap_err()
            .contains("not an integer"));
        let big: serde_json::Value = serde_json::from_str("18446744073709551616").unwrap();
        assert!(parse_u64_json(&big).unwrap_err().contains("exceeds 2^64-1"));
        assert!(parse_u64_str("18446744073709551616")
            .unwrap_err()
            .contains("exceeds"));
        assert!(parse_u64_str("1.0").unwrap_err().contains("not an integer"));
        assert!(parse_u64_json(&json!(null)).unwrap_err().contains("null"));
    }
}
