//! Exact money on the wire: MEF 141 `Money` (`{unit, value}`) whose `value` is a JSON number
//! written verbatim from the exact decimal of integer minor units (or nano-unit prices), never
//! through floating point, and read back from the payload's text.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use zkinvoice_circuits::{money, Currency, Error};

/// An exact JSON number, kept as its text (serialised and read back verbatim).
#[derive(Clone, Debug)]
pub struct JsonNumber(Box<RawValue>);

impl JsonNumber {
    /// A number from its decimal text (digits, optionally `.` and digits).
    pub(crate) fn decimal(text: String) -> Self {
        debug_assert!(money::parse_decimal(&text, 20).is_ok(), "{text:?}");
        Self(RawValue::from_string(text).expect("a decimal is a JSON number"))
    }

    /// The number's text as written in the payload.
    pub fn text(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for JsonNumber {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl fmt::Display for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

impl Serialize for JsonNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for JsonNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(Box::<RawValue>::deserialize(d)?))
    }
}

/// `Money`: an ISO 4217 code and a non-negative amount of the major unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Money {
    /// ISO 4217 alphabetic code.
    pub unit: String,
    /// The amount, e.g. `1450.00`.
    pub value: JsonNumber,
}

impl Money {
    /// `minor` minor units of `currency`, written with exactly its minor digits.
    pub fn minor(currency: Currency, minor: u64) -> Self {
        Self {
            unit: currency.code().to_string(),
            value: JsonNumber::decimal(currency.format_minor(minor)),
        }
    }

    /// A price in nano-units, with the fewest decimals that write it exactly (at least 2).
    pub fn price(currency: Currency, nano: u64) -> Self {
        Self {
            unit: currency.code().to_string(),
            value: JsonNumber::decimal(money::format_price_nano(nano)),
        }
    }

    /// The amount in minor units of `currency`; refuses another currency, non-numbers,
    /// negatives, exponents and more decimals than the currency has.
    pub fn to_minor(&self, field: &str, currency: Currency) -> Result<u64, Error> {
        self.check_unit(field, currency)?;
        currency
            .parse_minor(self.value.text())
            .map_err(|r| Error::invalid(format!("{field}.value"), r))
    }

    /// A price in nano-units (at most 9 decimals).
    pub fn to_nano(&self, field: &str, currency: Currency) -> Result<u64, Error> {
        self.check_unit(field, currency)?;
        money::parse_price_nano(self.value.text()).map_err(|r| Error::invalid(format!("{field}.value"), r))
    }

    fn check_unit(&self, field: &str, currency: Currency) -> Result<(), Error> {
        if self.unit != currency.code() {
            return Err(Error::invalid(
                format!("{field}.unit"),
                format!("{:?} is not the bill's currency {currency}", self.unit),
            ));
        }
        Ok(())
    }
}
