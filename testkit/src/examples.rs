//! The example bilateral's files (`examples/`), compiled in.

use serde_json::{json, Value};
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

/// A usage record of October 2026 (JSON), for tests that build their own usage.
pub fn rec(id: &str, product: &str, quantity: Value) -> Value {
    json!({
        "id": id,
        "product": product,
        "quantity": quantity,
        "start": "2026-10-05T00:00:00Z",
        "end": "2026-10-05T01:00:00Z",
        "source": "seller",
    })
}

/// JSON usage of October 2026 with `records`.
pub fn usage_json(records: Vec<Value>) -> Value {
    json!({ "period": { "start": "2026-10-01", "end": "2026-11-01" }, "records": records })
}

/// A CSV row of October 2026.
pub fn row(id: &str, product: &str, quantity: &str) -> String {
    format!("{id},{product},{quantity},2026-10-05T00:00:00Z,2026-10-05T01:00:00Z,seller")
}

/// CSV usage with the documented header and `rows`.
pub fn usage_csv(rows: &[String]) -> String {
    let mut s = String::from("id,product,quantity,start,end,source\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}
