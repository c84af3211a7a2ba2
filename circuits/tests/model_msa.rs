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

// The terms after the invoice (issue 16): payment, dispute thresholds, reconciliation, service
// levels.

#[test]
fn the_example_msa_sets_payment_thresholds_and_the_agreed_usage_rule() {
    use zkinvoice_circuits::model::msa::{AgreedUsage, PaymentMethod, Threshold};
    let msa = msa_with(|_| {}).expect("valid");
    let p = msa.terms.payment.as_ref().expect("payment");
    assert_eq!(p.method, PaymentMethod::WireTransfer);
    assert!(p.remit_to.account.starts_with("IBAN GB29"));
    assert_eq!(msa.terms.agreed_usage, Some(AgreedUsage::Seller));
    let d = msa.terms.dispute_thresholds.as_ref().expect("thresholds");
    assert_eq!(
        d.invoice,
        Some(Threshold {
            amount_minor: Some(50_000),
            share_ppm: Some(10_000)
        })
    );
    // Per slot: compute-vcpu, eline-ovc-1g, ip-transit, voice-termination.
    assert_eq!(d.products.len(), 4);
    assert_eq!(d.products[..2], [None, None]);
    assert_eq!(d.products[2].unwrap().share_ppm, Some(15_000));
    assert_eq!(d.products[3].unwrap().amount_minor, Some(25_000));
    // Without any of them the MSA is as before.
    let bare = msa_with(|m| {
        let o = m.as_object_mut().unwrap();
        o.remove("disputeThresholds");
        o.remove("reconciliation");
        o.remove("serviceLevels");
        m["paymentTerms"] = json!({"netDays": 30});
    })
    .expect("valid");
    assert!(bare.terms.is_empty());
    // Its service levels: the Ethernet line's three bands and IP transit's two.
    let levels = msa.terms.service_levels.as_ref().expect("service levels");
    let bands = |slot: usize| levels.products[slot].as_ref().map(|l| l.bands.len());
    assert_eq!(
        (0..4).map(bands).collect::<Vec<_>>(),
        [None, Some(3), Some(2), None]
    );
}

#[test]
fn payment_method_and_remit_to_come_together_and_are_not_blank() {
    refused(
        msa_with(|m| {
            m["paymentTerms"]
                .as_object_mut()
                .unwrap()
                .remove("remitTo")
                .map(drop)
                .unwrap()
        }),
        "paymentTerms.remitTo",
        &["missing", "payment method"],
    );
    refused(
        msa_with(|m| {
            m["paymentTerms"]
                .as_object_mut()
                .unwrap()
                .remove("method")
                .map(drop)
                .unwrap()
        }),
        "paymentTerms.method",
        &["missing"],
    );
    refused(
        msa_with(|m| m["paymentTerms"]["remitTo"]["account"] = json!("")),
        "paymentTerms.remitTo.account",
        &["empty"],
    );
    refused(
        msa_with(|m| m["paymentTerms"]["remitTo"]["account"] = json!(" IBAN X")),
        "paymentTerms.remitTo.account",
        &["white space"],
    );
    refused(
        msa_with(|m| m["paymentTerms"]["remitTo"]["name"] = json!("  ")),
        "paymentTerms.remitTo.name",
        &["empty"],
    );
    // Not one of MEF 141's payment methods: malformed.
    let r = msa_with(|m| m["paymentTerms"]["method"] = json!("bitcoin"));
    assert!(matches!(r, Err(Error::Json { .. })), "{r:?}");
}

#[test]
fn dispute_thresholds_are_refused_naming_the_field() {
    fn t(m: &mut Value) -> &mut Value {
        &mut m["disputeThresholds"]
    }
    refused(
        msa_with(|m| t(m)["invoice"] = json!({})),
        "disputeThresholds.invoice",
        &["neither an amount nor a percent"],
    );
    refused(
        msa_with(|m| t(m)["usage"] = json!({"amount": "1.005"})),
        "disputeThresholds.usage.amount",
        &["3 decimals", "at most 2"],
    );
    refused(
        msa_with(|m| t(m)["recurring"] = json!({"percent": "100.5"})),
        "disputeThresholds.recurring.percent",
        &["exceeds 100 percent"],
    );
    refused(
        msa_with(|m| t(m)["invoice"]["amount"] = json!("-1")),
        "disputeThresholds.invoice.amount",
        &["negative"],
    );
    refused(
        msa_with(|m| t(m)["products"][0]["id"] = json!("ip-transt")),
        "disputeThresholds.products[0].id",
        &["\"ip-transt\" is not a product of the MSA"],
    );
    refused(
        msa_with(|m| t(m)["products"][1]["id"] = json!("ip-transit")),
        "disputeThresholds.products[1].id",
        &["has a threshold already"],
    );
    refused(
        msa_with(|m| t(m)["products"][1] = json!({"id": "voice-termination"})),
        "disputeThresholds.products[1]",
        &["neither"],
    );
    refused(
        msa_with(|m| *t(m) = json!({})),
        "disputeThresholds",
        &["sets no threshold"],
    );
    let r = msa_with(|m| t(m)["perInvoice"] = json!({"amount": "1"}));
    assert!(matches!(r, Err(Error::Json { .. })), "an unknown field: {r:?}");
    let r = msa_with(|m| m["reconciliation"]["agreedUsage"] = json!("larger"));
    assert!(matches!(r, Err(Error::Json { .. })), "an unknown rule: {r:?}");
}

#[test]
fn a_discrepancy_is_within_a_threshold_when_within_either_limit_exactly() {
    use zkinvoice_circuits::model::msa::{AgreedUsage, Threshold};
    let both = Threshold {
        amount_minor: Some(500),
        share_ppm: Some(10_000), // 1%
    };
    assert!(both.tolerates(500, 0), "at the amount");
    assert!(
        !both.tolerates(501, 50_000),
        "over the amount and over 1% of 500.00"
    );
    assert!(both.tolerates(501, 50_100), "exactly 1% of 501.00");
    assert!(!both.tolerates(502, 50_100), "over both");
    let share = Threshold {
        amount_minor: None,
        share_ppm: Some(1),
    };
    assert!(share.tolerates(0, 0));
    assert!(!share.tolerates(1, 999_999));
    assert!(share.tolerates(1, 1_000_000));
    let all = Threshold {
        amount_minor: None,
        share_ppm: Some(1_000_000),
    };
    assert!(all.tolerates(u64::MAX, u64::MAX), "no overflow");
    assert!(!all.tolerates(u64::MAX, u64::MAX - 1));
    let none = Threshold::default();
    assert!(
        !none.tolerates(0, u64::MAX),
        "a threshold of no limit tolerates nothing"
    );
    assert_eq!(AgreedUsage::Seller.agreed(7, 4), 7);
    assert_eq!(AgreedUsage::Buyer.agreed(7, 4), 4);
    assert_eq!(AgreedUsage::Mean.agreed(7, 4), 5, "rounded down");
    assert_eq!(
        AgreedUsage::Mean.agreed(u64::MAX, u64::MAX),
        u64::MAX,
        "no overflow"
    );
}
