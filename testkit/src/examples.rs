//! The example bilateral's files (`examples/`), compiled in.

/// The example MSA.
pub const MSA: &str = include_str!("../../examples/msa.json");
/// October's usage (JSON).
pub const OCTOBER: &str = include_str!("../../examples/usage-2026-10.json");
/// November's usage (CSV: its period is [`NOVEMBER_PERIOD`]).
pub const NOVEMBER: &str = include_str!("../../examples/usage-2026-11.csv");
/// November's period.
pub const NOVEMBER_PERIOD: &str = "2026-11-01..2026-12-01";
