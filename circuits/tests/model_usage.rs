//! Usage validation against the example MSA: every rule refuses with the record or field it
//! names and the reason (`Usage::parse`, JSON and CSV). The CLI's tests keep the end to end: a
//! refused usage file exits with code 65, naming the file.

use serde_json::{json, Value};
use zkinvoice_circuits::{Error, Msa, Period, Usage, UsageFormat};
use zkinvoice_testkit::examples::{rec, row, usage_csv, usage_json};

const OCTOBER: &str = "2026-10-01..2026-11-01";
const NOVEMBER: &str = "2026-11-01..2026-12-01";

fn msa() -> Msa {
    Msa::from_json(include_str!("../../examples/msa.json")).expect("the example MSA is valid")
}

fn period(s: &str) -> Period {
    s.parse().expect("a period")
}

fn parse_json(text: &str, period: Option<&str>) -> Result<Usage, Error> {
    Usage::parse(text, UsageFormat::Json, &msa(), period.map(self::period))
}

fn parse_csv(text: &str, period: Option<&str>) -> Result<Usage, Error> {
    Usage::parse(text, UsageFormat::Csv, &msa(), period.map(self::period))
}

/// JSON usage of October with `records`.
fn json_records(records: Vec<Value>) -> Result<Usage, Error> {
    parse_json(&usage_json(records).to_string(), None)
}

/// CSV usage with `rows`, for October.
fn csv_rows(rows: &[String]) -> Result<Usage, Error> {
    parse_csv(&usage_csv(rows), Some(OCTOBER))
}

/// Asserts that `r` is refused at `field` with a reason containing each of `reasons`.
fn refused(r: Result<Usage, Error>, field: &str, reasons: &[&str]) {
    match r {
        Err(Error::Invalid { field: f, reason }) => {
            assert_eq!(f, field, "refused at another field ({reason})");
            for want in reasons {
                assert!(reason.contains(want), "{field}: {reason:?} lacks {want:?}");
            }
        }
        other => panic!("{field}: expected a refusal, got {other:?}"),
    }
}

/// Asserts that `r` is refused as malformed CSV at `line` with a reason containing each of
/// `reasons`.
fn malformed_csv(r: Result<Usage, Error>, line: u64, reasons: &[&str]) {
    match r {
        Err(Error::Csv { line: l, reason }) => {
            assert_eq!(l, line, "{reason}");
            for want in reasons {
                assert!(reason.contains(want), "line {line}: {reason:?} lacks {want:?}");
            }
        }
        other => panic!("line {line}: expected malformed CSV, got {other:?}"),
    }
}

/// Asserts that `r` is refused as malformed JSON at `line`.
fn malformed_json(r: Result<Usage, Error>, line: usize) {
    match r {
        Err(Error::Json { line: l, .. }) => assert_eq!(l, line),
        other => panic!("expected malformed JSON, got {other:?}"),
    }
}

#[test]
fn malformed_usage_json_is_refused() {
    let text = r#"{ "period": { "start": "2026-10-01", "end": "2026-11-01" },
  "records": [ { "id": "r1", ]
}
"#;
    malformed_json(parse_json(text, None), 2);
    // Well-formed JSON of the wrong structure.
    let wrong = json!({ "period": "2026-10", "records": [] }).to_string();
    malformed_json(parse_json(&wrong, None), 1);
}

#[test]
fn malformed_csv_is_refused() {
    // A row with a missing field.
    let short = "r2,ip-transit,2026-10-05T00:00:00Z,2026-10-05T01:00:00Z,seller".to_string();
    malformed_csv(
        csv_rows(&[row("r1", "ip-transit", "10"), short]),
        3,
        &["5 fields", "6"],
    );
    // A header without the quantity column.
    let text = format!(
        "id,product,amount,start,end,source\n{}\n",
        row("r1", "ip-transit", "10")
    );
    malformed_csv(parse_csv(&text, Some(OCTOBER)), 1, &["quantity"]);
}

#[test]
fn usage_of_an_unknown_product_is_refused() {
    refused(
        json_records(vec![
            rec("r0", "ip-transit", json!(5)),
            rec("r1", "dark-fibre", json!(10)),
        ]),
        "records[1] (id \"r1\").product",
        &["unknown product", "dark-fibre"],
    );
    refused(
        csv_rows(&[row("r1", "dark-fibre", "10")]),
        "line 2 (id \"r1\").product",
        &["unknown product", "dark-fibre"],
    );
}

#[test]
fn the_refusal_of_an_unknown_product_stays_short_for_a_rate_deck() {
    use zkinvoice_circuits::model::msa::PricingModel;
    let msa = zkinvoice_testkit::model::msa_with(
        (0..3000)
            .map(|i| {
                zkinvoice_testkit::model::product(
                    &format!("voice-{i:05}"),
                    PricingModel::Volume,
                    &[(0, 1)],
                    None,
                )
            })
            .collect(),
    );
    let text = format!(
        "id,product,quantity,start,end,source\n{}\n",
        row("r1", "dark-fibre", "10")
    );
    let e = Usage::parse(&text, UsageFormat::Csv, &msa, Some(OCTOBER.parse().unwrap()))
        .unwrap_err()
        .to_string();
    assert!(e.contains("the MSA prices 3000 products: voice-00000,"), "{e}");
    assert!(e.len() < 400, "{} bytes: {e}", e.len());
}

#[test]
fn negative_quantity_is_refused() {
    let field = "records[0] (id \"r1\").quantity";
    refused(
        json_records(vec![rec("r1", "ip-transit", json!(-5))]),
        field,
        &["negative"],
    );
    refused(
        json_records(vec![rec("r1", "ip-transit", json!("-5"))]),
        field,
        &["negative"],
    );
    refused(
        csv_rows(&[row("r1", "ip-transit", "-5")]),
        "line 2 (id \"r1\").quantity",
        &["negative"],
    );
}

#[test]
fn non_integer_quantity_number_is_refused() {
    refused(
        json_records(vec![
            rec("r0", "ip-transit", json!(1)),
            rec("r1", "ip-transit", json!(1.5)),
        ]),
        "records[1] (id \"r1\").quantity",
        &["1.5", "not an integer"],
    );
    refused(
        json_records(vec![rec("r1", "ip-transit", json!(1e3))]),
        "records[0] (id \"r1\").quantity",
        &["not an integer"],
    );
    refused(
        json_records(vec![rec("r1", "ip-transit", json!(true))]),
        "records[0] (id \"r1\").quantity",
        &["unsigned integer"],
    );
}

#[test]
fn non_integer_quantity_string_is_refused() {
    refused(
        json_records(vec![rec("r1", "ip-transit", json!("1.5"))]),
        "records[0] (id \"r1\").quantity",
        &["1.5", "not an integer"],
    );
    refused(
        csv_rows(&[row("r0", "ip-transit", "1"), row("r1", "ip-transit", "1.5")]),
        "line 3 (id \"r1\").quantity",
        &["1.5", "not an integer"],
    );
}

#[test]
fn quantity_above_2_pow_64_minus_1_in_json_is_refused() {
    let field = "records[0] (id \"r1\").quantity";
    // As a number (serde_json's json! cannot write it; the text can).
    let text = usage_json(vec![rec("r1", "ip-transit", json!(1))])
        .to_string()
        .replace("\"quantity\":1", "\"quantity\":18446744073709551616");
    assert!(text.contains("18446744073709551616"));
    refused(parse_json(&text, None), field, &["exceeds 2^64-1"]);
    // As a string.
    let big = json!("18446744073709551616");
    refused(
        json_records(vec![rec("r1", "ip-transit", big)]),
        field,
        &["exceeds 2^64-1"],
    );
}

#[test]
fn quantity_above_2_pow_47_minus_1_is_refused_and_2_pow_47_minus_1_is_accepted() {
    // The circuits range-check a record's quantity to 47 bits (docs/protocol.md).
    let field = "records[0] (id \"r1\").quantity";
    for q in [json!(1u64 << 47), json!("140737488355328"), json!(u64::MAX)] {
        refused(
            json_records(vec![rec("r1", "ip-transit", q)]),
            field,
            &["exceeds the largest quantity of one record, 2^47-1", "split it"],
        );
    }
    refused(
        csv_rows(&[row("r1", "ip-transit", "140737488355328")]),
        "line 2 (id \"r1\").quantity",
        &["2^47-1"],
    );
    let max = json_records(vec![rec("r1", "ip-transit", json!((1u64 << 47) - 1))]).expect("valid");
    assert_eq!(max.records[0].quantity, (1 << 47) - 1);
}

#[test]
fn quantity_above_2_pow_64_minus_1_in_csv_is_refused() {
    refused(
        csv_rows(&[row("r1", "ip-transit", "18446744073709551616")]),
        "line 2 (id \"r1\").quantity",
        &["exceeds 2^64-1"],
    );
}

#[test]
fn duplicate_record_ids_are_refused() {
    refused(
        json_records(vec![
            rec("r1", "ip-transit", json!(1)),
            rec("r2", "ip-transit", json!(2)),
            rec("r1", "voice-termination", json!(3)),
        ]),
        "records[2] (id \"r1\")",
        &["duplicate record id", "records[0]"],
    );
    refused(
        csv_rows(&[row("r1", "ip-transit", "1"), row("r1", "ip-transit", "2")]),
        "line 3 (id \"r1\")",
        &["duplicate record id", "line 2"],
    );
}

#[test]
fn records_outside_the_period_in_json_are_refused() {
    let mut late = rec("r2", "ip-transit", json!(2));
    late["start"] = json!("2026-11-02T00:00:00Z");
    late["end"] = json!("2026-11-02T01:00:00Z");
    refused(
        json_records(vec![rec("r1", "ip-transit", json!(1)), late]),
        "records[1] (id \"r2\")",
        &["outside the period", OCTOBER],
    );
    // Running one second past the end of the period.
    let mut spill = rec("r1", "ip-transit", json!(1));
    spill["start"] = json!("2026-10-31T23:00:00Z");
    spill["end"] = json!("2026-11-01T00:00:01Z");
    refused(
        json_records(vec![spill]),
        "records[0] (id \"r1\")",
        &["outside the period"],
    );
}

#[test]
fn records_outside_the_period_in_csv_are_refused() {
    let early = "r2,ip-transit,2,2026-09-30T23:00:00Z,2026-10-01T00:30:00Z,seller".to_string();
    refused(
        csv_rows(&[row("r1", "ip-transit", "1"), early]),
        "line 3 (id \"r2\")",
        &["outside the period", OCTOBER],
    );
    // November's records with October's period: the first row is refused.
    let november = include_str!("../../examples/usage-2026-11.csv");
    match parse_csv(november, Some(OCTOBER)) {
        Err(Error::Invalid { field, reason }) => {
            assert!(field.starts_with("line 2"), "{field}");
            assert!(reason.contains("outside the period"), "{reason}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn usage_of_a_recurring_only_product_is_refused() {
    refused(
        json_records(vec![rec("r1", "eline-ovc-1g", json!(1))]),
        "records[0] (id \"r1\").product",
        &["eline-ovc-1g", "recurring"],
    );
}

#[test]
fn csv_usage_without_period_is_refused() {
    let text = usage_csv(&[row("r1", "ip-transit", "1")]);
    refused(parse_csv(&text, None), "period", &["CSV"]);
}

#[test]
fn json_usage_with_a_different_period_is_refused() {
    let text = usage_json(vec![rec("r1", "ip-transit", json!(1))]).to_string();
    refused(
        parse_json(&text, Some(NOVEMBER)),
        "period",
        &["differs", OCTOBER, NOVEMBER],
    );
    let october = include_str!("../../examples/usage-2026-10.json");
    refused(parse_json(october, Some(NOVEMBER)), "period", &["differs"]);
}

#[test]
fn usage_period_outside_the_msa_validity_is_refused() {
    let mut r = rec("r1", "ip-transit", json!(1));
    r["start"] = json!("2030-01-05T00:00:00Z");
    r["end"] = json!("2030-01-05T01:00:00Z");
    let text = json!({ "period": { "start": "2030-01-01", "end": "2030-02-01" }, "records": [r] });
    refused(parse_json(&text.to_string(), None), "period", &["validity"]);
}
