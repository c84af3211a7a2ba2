//! The time as the services write it: milliseconds since the Unix epoch to schedule the outbox,
//! RFC 3339 text (UTC, milliseconds) in stored rows and records.

use chrono::{SecondsFormat, Utc};

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Now, as RFC 3339 text in UTC with milliseconds (`2025-01-31T12:00:00.000Z`).
pub(crate) fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}
