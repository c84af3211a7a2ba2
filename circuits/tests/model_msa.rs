//! MSA validation: every rule refuses with the field it names and the reason (`Msa::from_doc`
//! through `Msa::from_json`). The CLI's tests keep the end to end: a refused MSA exits with code
//! 65, naming the file.

use serde_json::{json, Value};
use zkinvoice_circuits::{Error, Msa};

/// The example MSA changed by `f`, parsed and validated.
fn msa_with(f: impl FnOnce(&mut Value)) -> Result<Msa, Error> {
    let mut v: Value = serde_json::from_str(include_str!("../../examples/msa.json")).expect("JSON");
    f(&mut v);
    Msa::from_json(&v.to_string())
}

/// Asserts that `r` is refused at `field` with a reason containing each of `reasons`.
fn refused(r: Result<Msa, Error>, field: &str, reasons: &[&str]) {
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

#[test]
fn the_example_msa_is_valid() {
    assert!(msa_with(|_| {}).is_ok());
}

#[test]
fn price_with_more_than_9_decimals_is_refused() {
    let msa = msa_with(|m| m["products"][1]["pricing"]["tiers"][1]["price"] = json!("0.0150000001"));
    refused(
        msa,
        "products[1].pricing.tiers[1].price",
        &["10 decimals", "at most 9"],
    );
    let msa = msa_with(|m| m["products"][0]["recurring"]["fee"] = json!("1450.0000000001"));
    refused(msa, "products[0].recurring.fee", &["decimals"]);
}

#[test]
fn negative_price_is_refused() {
    let msa = msa_with(|m| m["products"][2]["pricing"]["tiers"][0]["price"] = json!("-0.0120"));
    refused(msa, "products[2].pricing.tiers[0].price", &["negative"]);
    let msa = msa_with(|m| m["products"][3]["recurring"]["fee"] = json!("-250.00"));
    refused(msa, "products[3].recurring.fee", &["negative"]);
}

#[test]
fn thresholds_not_strictly_ascending_are_refused() {
    // Descending, equal, and equal written as a string.
    for (p, t, from) in [(1, 1, json!(0)), (1, 2, json!(100000)), (2, 2, json!("1000000"))] {
        let msa = msa_with(|m| m["products"][p]["pricing"]["tiers"][t]["from"] = from);
        let field = format!("products[{p}].pricing.tiers[{t}].from");
        refused(msa, &field, &["strictly ascending"]);
    }
}

#[test]
fn first_threshold_not_zero_is_refused() {
    let msa = msa_with(|m| m["products"][3]["pricing"]["tiers"][0]["from"] = json!(10));
    refused(msa, "products[3].pricing.tiers[0].from", &["start at 0"]);
}

#[test]
fn threshold_that_is_not_an_unsigned_integer_below_2_pow_63_is_refused() {
    let field = "products[1].pricing.tiers[3].from";
    for (from, reason) in [
        (json!(-100000), "negative"),
        (json!(1000000.5), "not an integer"),
        (json!(9223372036854775808u64), "2^63"),
    ] {
        let msa = msa_with(|m| m["products"][1]["pricing"]["tiers"][3]["from"] = from);
        refused(msa, field, &[reason]);
    }
}

#[test]
fn unknown_currency_is_refused() {
    let msa = msa_with(|m| m["currency"] = json!("XYZ"));
    refused(msa, "currency", &["unknown currency", "XYZ"]);
    let msa = msa_with(|m| m["currency"] = json!("usd"));
    refused(msa, "currency", &["unknown currency"]);
}

#[test]
fn duplicate_product_ids_are_refused() {
    let msa = msa_with(|m| m["products"][3]["id"] = json!("ip-transit"));
    refused(
        msa,
        "products[3].id",
        &["duplicate product id", "ip-transit", "products[1]"],
    );
}

#[test]
fn product_with_no_pricing_is_refused() {
    let msa = msa_with(|m| {
        m["products"][1].as_object_mut().unwrap().remove("pricing");
    });
    refused(msa, "products[1]", &["no pricing", "ip-transit"]);
    let msa = msa_with(|m| m["products"][1]["pricing"] = json!({ "model": "none" }));
    refused(msa, "products[1]", &["no pricing"]);
    let msa = msa_with(|m| m["products"][1]["pricing"]["tiers"] = json!([]));
    refused(msa, "products[1].pricing.tiers", &["at least one tier"]);
}
