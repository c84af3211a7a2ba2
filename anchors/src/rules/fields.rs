//! The field rules every kind shares: identifiers are short single-line text, periods are two
//! dates `YYYY-MM-DD` with the end after the start.

use crate::error::Rule;
use crate::view::Period;

/// A non-empty identifier of at most 256 bytes without control characters or surrounding blanks.
pub(super) fn check_text(field: &'static str, value: &str) -> Result<(), Rule> {
    if value.is_empty() || value.len() > 256 || value.trim() != value || value.chars().any(char::is_control) {
        return Err(Rule::InvalidText {
            field,
            value: value.into(),
        });
    }
    Ok(())
}

/// A body's period: its first day and the first day after it, as given.
#[derive(Clone, Copy)]
pub(super) struct DatedPeriod<'a> {
    pub start: &'a str,
    pub end: &'a str,
}

impl<'a> DatedPeriod<'a> {
    pub fn new(start: &'a str, end: &'a str) -> Self {
        Self { start, end }
    }

    /// Two `YYYY-MM-DD` dates, the end after the start.
    pub fn check(self) -> Result<(), Rule> {
        check_date("periodStart", self.start)?;
        check_date("periodEnd", self.end)?;
        if self.end <= self.start {
            return Err(Rule::EmptyPeriod {
                start: self.start.into(),
                end: self.end.into(),
            });
        }
        Ok(())
    }

    /// The period as the circuits encode it (days since 1970-01-01), for public inputs; a date
    /// before 1970 is refused as not a date.
    pub fn days(self) -> Result<[zkinvoice_verifier::Fr; 2], Rule> {
        let day = |field: &'static str, text: &str| {
            zkinvoice_verifier::day_number(text)
                .map(zkinvoice_verifier::Fr::from)
                .map_err(|_| Rule::InvalidDate {
                    field,
                    value: text.into(),
                })
        };
        Ok([day("periodStart", self.start)?, day("periodEnd", self.end)?])
    }

    /// The view's key of the period.
    pub fn key(self) -> Period {
        (self.start.to_string(), self.end.to_string())
    }
}

/// A `YYYY-MM-DD` date of the proleptic Gregorian calendar.
pub(super) fn check_date(field: &'static str, text: &str) -> Result<(), Rule> {
    let bad = || Rule::InvalidDate {
        field,
        value: text.into(),
    };
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<u32, Rule> {
        let s = &text[r];
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_date;
    use crate::error::Rule;

    #[test]
    fn dates() {
        for ok in ["2026-10-01", "2024-02-29", "2000-02-29", "9999-12-31"] {
            assert!(check_date("d", ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-13-01",
            "2026-02-29",
            "1900-02-29",
            "2026-1-01",
            "2026/10/01",
            "2026-10-0a",
            "",
        ] {
            assert!(
                matches!(check_date("d", bad), Err(Rule::InvalidDate { field: "d", ref value }) if value == bad),
                "{bad}"
            );
        }
    }
}
