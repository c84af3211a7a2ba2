//! Billing periods and dates.

use std::{fmt, str::FromStr};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Error;

/// A billing period: the days from `start` (inclusive) to `end` (exclusive), in UTC.
///
/// October 2026 is `2026-10-01..2026-11-01`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    /// First day of the period.
    pub start: NaiveDate,
    /// First day after the period.
    pub end: NaiveDate,
}

/// A period as written in JSON documents.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PeriodDoc {
    /// First day of the period (`YYYY-MM-DD`, UTC).
    #[schemars(extend("format" = "date"))]
    pub start: String,
    /// First day after the period (`YYYY-MM-DD`, UTC), exclusive.
    #[schemars(extend("format" = "date"))]
    pub end: String,
}

impl Period {
    /// A period from `start` (inclusive) to `end` (exclusive); `end` must be after `start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, Error> {
        if end <= start {
            return Err(Error::invalid(
                "period",
                format!("end {end} is not after start {start} (the end day is exclusive)"),
            ));
        }
        Ok(Self { start, end })
    }

    /// Validates a period document; `field` prefixes error locations.
    pub fn from_doc(field: &str, doc: &PeriodDoc) -> Result<Self, Error> {
        let start = parse_date(&format!("{field}.start"), &doc.start)?;
        let end = parse_date(&format!("{field}.end"), &doc.end)?;
        Self::new(start, end).map_err(|e| match e {
            Error::Invalid { reason, .. } => Error::invalid(field, reason),
            e => e,
        })
    }

    /// The document form.
    pub fn to_doc(&self) -> PeriodDoc {
        PeriodDoc {
            start: self.start.to_string(),
            end: self.end.to_string(),
        }
    }

    /// The first instant of the period.
    pub fn start_instant(&self) -> DateTime<Utc> {
        self.start.and_time(NaiveTime::MIN).and_utc()
    }

    /// The first instant after the period.
    pub fn end_instant(&self) -> DateTime<Utc> {
        self.end.and_time(NaiveTime::MIN).and_utc()
    }

    /// Whether `[from, to]` lies within the period (a record may end exactly at its end).
    pub fn contains(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        from >= self.start_instant() && to <= self.end_instant() && from < self.end_instant()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl FromStr for Period {
    type Err = Error;
    /// Parses `START..END`, e.g. `2026-10-01..2026-11-01`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let (a, b) = s.split_once("..").ok_or_else(|| {
            Error::invalid(
                "period",
                format!("{s:?} is not START..END (e.g. 2026-10-01..2026-11-01)"),
            )
        })?;
        Self::new(parse_date("period start", a)?, parse_date("period end", b)?)
    }
}

/// Parses a `YYYY-MM-DD` date on or after 1970-01-01.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, Error> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| Error::invalid(field, format!("{s:?} is not a date YYYY-MM-DD ({e})")))?;
    if d < NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid") {
        return Err(Error::invalid(field, format!("{s} is before 1970-01-01")));
    }
    Ok(d)
}

/// Parses an RFC 3339 timestamp (`2026-10-03T14:05:00Z`, any offset) into UTC.
pub fn parse_instant(field: &str, s: &str) -> Result<DateTime<Utc>, Error> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| Error::invalid(field, format!("{s:?} is not an RFC 3339 timestamp ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        let p: Period = "2026-10-01..2026-11-01".parse().unwrap();
        assert_eq!(p.to_string(), "2026-10-01..2026-11-01");
        assert!("2026-11-01..2026-10-01".parse::<Period>().is_err());
        assert!("2026-10-01..2026-10-01".parse::<Period>().is_err());
        assert!("2022-09-31..2022-10-01".parse::<Period>().is_err());
        let t = |s| parse_instant("t", s).unwrap();
        assert!(p.contains(t("2026-10-01T00:00:00Z"), t("2026-10-01T00:10:00Z")));
        assert!(p.contains(t("2026-10-31T23:00:00Z"), t("2026-11-01T00:00:00Z")));
        assert!(!p.contains(t("2026-09-30T23:59:59Z"), t("2026-10-01T00:10:00Z")));
        assert!(!p.contains(t("2026-10-31T23:00:00Z"), t("2026-11-01T00:00:01Z")));
        // Offsets are honoured: 01:00+02:00 is 23:00 UTC the day before.
        assert!(!p.contains(t("2026-10-01T01:00:00+02:00"), t("2026-10-01T02:00:00+02:00")));
    }
}
