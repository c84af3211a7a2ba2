//! The example bilateral's files (`examples/`), compiled in.

use zkinvoice_circuits::{Msa, Usage, UsageFormat};

/// The example MSA.
pub const MSA: &str = include_str!("../../examples/msa.json");
/// October's usage (JSON).
pub const OCTOBER: &str = include_str!("../../examples/usage-2026-10.json");
/// November's usage (CSV: its period is [`NOVEMBER_PERIOD`]).
pub const NOVEMBER: &str = include_str!("../../examples/usage-2026-11.csv");
/// November's period.
pub const NOVEMBER_PERIOD: &str = "2026-11-01..2026-12-01";

/// October's and November's usage, aggregated per product and week (so that each fits shape S).
pub fn weekly_usage(msa: &Msa) -> [Usage; 2] {
    [
        Usage::parse(OCTOBER, UsageFormat::Json, msa, None),
        Usage::parse(
            NOVEMBER,
            UsageFormat::Csv,
            msa,
            Some(NOVEMBER_PERIOD.parse().expect("the period")),
        ),
    ]
    .map(|u| u.and_then(|u| u.aggregated(7)).expect("the example usage"))
}
