//! The CustomerBill payload: an exact round trip from a rated invoice and back, exact money, every
//! amount bound to the invoice commitment, and schema validity against the MEF 141 YAML.

use serde_json::{json, Value};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    model::from_json,
    money, rate, Commitment, Error, Fr, Invoice, Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};
use zkinvoice_mef141::{
    schema::{self, errors},
    CustomerBill, ZkProof,
};
use zkinvoice_verifier::{InvoiceProof, InvoicePublicInputs};

const MSA: &str = include_str!("../../examples/msa.json");
const USAGE: &str = include_str!("../../examples/usage-2026-10.json");
fn shape() -> Shape {
    "S".parse().expect("shape S")
}

/// October rated from `state_0`, its commitment salt, and the bill as JSON text.
fn proved() -> (Msa, Invoice, Salt, String) {
    let msa = Msa::from_json(MSA).expect("example MSA");
    let usage = Usage::parse(USAGE, UsageFormat::Json, &msa, None).expect("example usage");
    let rated = rate(&msa, &usage, &VolumeState::initial(&msa), "INV-2026-10").expect("rates");
    let salt: Salt = "11".repeat(31).parse().expect("salt");
    let invoice_commitment = commit::invoice_commitment(&rated.invoice, shape(), &salt).expect("fits S");
    // The identity points: a well-formed proof (it does not verify, which is not tested here).
    let mut bytes = vec![0u8; 192];
    for i in [0, 48, 144] {
        bytes[i] = 0xc0;
    }
    let fe = Fr::from(7u64);
    let zk = ZkProof {
        scheme: "groth16-bls12-381".into(),
        shape: "S".into(),
        vk_hash: "00".repeat(32),
        proof: InvoiceProof::from_bytes(&bytes).expect("identity points").into(),
        public_inputs: InvoicePublicInputs {
            msa_commitment: fe,
            usage_commitment: fe,
            state_before: fe,
            state_after: fe,
            invoice_commitment: invoice_commitment.0,
        },
        invoice_salt: salt.to_hex(),
        state_after: StateOpening::new(Commitment(fe), rated.after.clone(), shape(), salt.clone())
            .expect("a state")
            .to_doc(&msa),
    };
    let bill = CustomerBill::from_proved(&rated.invoice, &msa, &rated.after, zk).expect("renders");
    let text = serde_json::to_string_pretty(&bill).expect("serialises");
    (msa, rated.invoice, salt, text)
}

fn recommit(msa: &Msa, text: &str) -> Result<commit::Commitment, Error> {
    let bill: CustomerBill = from_json(text)?;
    let (invoice, salt) = bill.to_invoice(msa)?;
    commit::invoice_commitment(&invoice, shape(), &salt)
}

#[test]
fn sonata_round_trip_is_exact() {
    let (msa, invoice, salt, text) = proved();
    let bill: CustomerBill = from_json(&text).expect("parses");
    let (back, back_salt) = bill.to_invoice(&msa).expect("reconstructs");
    assert_eq!(back, invoice);
    assert_eq!(back_salt, salt);
    assert_eq!(
        commit::invoice_commitment(&back, shape(), &back_salt).unwrap(),
        commit::invoice_commitment(&invoice, shape(), &salt).unwrap()
    );
    // Money is written with exactly the currency's digits, from the exact minor units.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(text.contains(&format!(
        "\"value\": {}",
        invoice.currency.format_minor(invoice.total)
    )));
    assert_eq!(v["taxItem"][0]["taxRate"], json!(8.875));
    assert!(text.contains("\"taxRate\": 8.8750"));
    // The graduated ip-transit usage crosses a tier in October: one item per tier, exact rates.
    let items = v["customerBillItem"].as_array().unwrap();
    let ip: Vec<&Value> = items
        .iter()
        .filter(|i| i["product"]["id"] == "ip-transit")
        .collect();
    assert!(!ip.is_empty());
    for i in &ip {
        let rate = i["unitRate"]["value"].to_string();
        assert!(
            ["0.02", "0.015", "0.01", "0.006"].contains(&rate.as_str()),
            "{rate}"
        );
    }
}

#[test]
fn sonata_rejects_inexact_money() {
    let (msa, _, _, text) = proved();
    for (bad, why) in [
        ("1.001", "decimals"),
        ("\"12.00\"", "decimal number"),
        ("1e3", "decimal number"),
        ("-1.00", "negative"),
    ] {
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["taxExcludedAmount"]["value"] = json!("PLACEHOLDER");
        let t = v.to_string().replace("\"PLACEHOLDER\"", bad);
        let err = recommit(&msa, &t).expect_err(bad);
        let msg = err.to_string();
        assert!(
            msg.starts_with("taxExcludedAmount.value: ") && msg.contains(why),
            "{bad}: {msg}"
        );
    }
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["customerBillItem"][0]["unitQuantity"] = json!(1.5);
    let msg = recommit(&msa, &v.to_string()).unwrap_err().to_string();
    assert!(msg.starts_with("customerBillItem[0].unitQuantity"), "{msg}");
}

/// Every path of a Money value in the bill.
fn money_paths(v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("unit") && m.get("value").is_some_and(Value::is_number) {
                out.push(path.clone());
            }
            for (k, x) in m {
                if k != "zkProof" {
                    path.push(k.clone());
                    money_paths(x, path, out);
                    path.pop();
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                money_paths(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(v, |v, k| match v {
        Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
        v => &mut v[k.as_str()],
    })
}

#[test]
fn sonata_any_edit_changes_the_commitment() {
    let (msa, invoice, salt, text) = proved();
    let proven = commit::invoice_commitment(&invoice, shape(), &salt).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut paths = Vec::new();
    money_paths(&v, &mut Vec::new(), &mut paths);
    assert!(paths.len() >= 10, "{paths:?}");
    let items = v["customerBillItem"].as_array().unwrap().len();
    let mut edits: Vec<(Vec<String>, &str)> = paths.into_iter().map(|p| (p, "value")).collect();
    for i in 0..items {
        edits.push((vec!["customerBillItem".into(), i.to_string()], "unitQuantity"));
    }
    for (path, key) in edits {
        let mut e = v.clone();
        let slot = &mut at(&mut e, &path)[key];
        // One more minor unit (or unit of quantity), written exactly.
        let old = slot.to_string();
        let new = if key == "unitQuantity" {
            (old.parse::<u64>().unwrap() + 1).to_string()
        } else {
            let n = money::parse_decimal(&old, 9).unwrap() + 10_000_000;
            money::format_scaled(n, 2)
        };
        *slot = json!("PLACEHOLDER");
        let t = e.to_string().replace("\"PLACEHOLDER\"", &new);
        match recommit(&msa, &t) {
            Ok(c) => assert_ne!(c, proven, "{path:?}.{key}: {old} -> {new} kept the commitment"),
            Err(err) => assert!(matches!(err, Error::Invalid { .. }), "{path:?}.{key}: {err}"),
        }
    }
    // The amounts the commitment covers change it; a duplicated amount that disagrees is refused.
    let edit = |f: &dyn Fn(&mut Value) -> &mut Value| {
        let mut e = v.clone();
        *f(&mut e) = json!("PLACEHOLDER");
        recommit(&msa, &e.to_string().replace("\"PLACEHOLDER\"", "1.00"))
    };
    assert_ne!(edit(&|e| &mut e["taxExcludedAmount"]["value"]).unwrap(), proven);
    assert_ne!(
        edit(&|e| &mut e["taxItem"][0]["taxAmount"]["value"]).unwrap(),
        proven
    );
    assert_ne!(
        edit(&|e| &mut e["customerBillItem"][0]["taxExcludedAmount"]["value"]).unwrap(),
        proven
    );
    let msg = edit(&|e| &mut e["taxIncludedAmount"]["value"])
        .unwrap_err()
        .to_string();
    assert!(msg.starts_with("amountDue.value: "), "{msg}");
}

fn validator(root: &str) -> schema::Validator {
    schema::validator(schema::Api::Management, root)
}

#[test]
fn sonata_bill_and_items_are_schema_valid() {
    let (_, _, _, text) = proved();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v.get("zkProof").is_some());
    let bill = validator("CustomerBill");
    assert_eq!(errors(&bill, &v), Vec::<String>::new());
    let item = validator("CustomerBillItem");
    let items = v["customerBillItem"].as_array().unwrap();
    assert!(items.len() >= 5);
    for i in items {
        assert_eq!(errors(&item, i), Vec::<String>::new(), "{i}");
    }
    // The validator can fail: required fields, enums, types and date-time formats.
    let required = v["customerBillItem"][0].as_object().unwrap().len();
    assert_eq!(required, 14, "every CustomerBillItem field is required");
    for (field, bad) in [
        ("billDate", None),
        ("taxItem", None),
        ("state", Some(json!("issued"))),
        ("billDate", Some(json!("2026-11-01"))),
        ("amountDue", Some(json!({"unit": "USD", "value": "1.00"}))),
    ] {
        let mut e = v.clone();
        match &bad {
            None => {
                e.as_object_mut().unwrap().remove(field);
            }
            Some(b) => e[field] = b.clone(),
        }
        assert!(!bill.is_valid(&e), "{field} {bad:?}");
    }
    let mut e = items[0].clone();
    e["state"] = json!("withdrawn");
    assert!(!item.is_valid(&e), "the YAML spells withDrawn");
    e["state"] = json!("withDrawn");
    assert!(item.is_valid(&e));
    e.as_object_mut().unwrap().remove("productOrderItem");
    assert!(!item.is_valid(&e));
}

/// A disputed period's bills stay MEF 141 bills: `category` is `normal` (the spec's enum is
/// normal, duplicate or trial) and the part the extra property `zkPart`; the interim bill, the
/// final one less a partial invoice, and the final one settled validate; `category` `interim`
/// would not.
#[test]
fn interim_and_final_bills_are_schema_valid() {
    let (_, invoice, _, text) = proved();
    let bill: CustomerBill = serde_json::from_str(&text).unwrap();
    let mut partial = invoice.to_doc(None);
    partial.total = "100.00".into();
    let interim = bill.interim();
    let final_ = bill.finalised(partial).expect("final");
    let settled = final_.settled("SEPA 1");
    let v = validator("CustomerBill");
    for (b, part) in [(&interim, "interim"), (&final_, "final"), (&settled, "final")] {
        let json = serde_json::to_value(b).unwrap();
        assert_eq!(
            (&json["category"], &json["zkPart"]),
            (&json!("normal"), &json!(part))
        );
        assert_eq!(errors(&v, &json), Vec::<String>::new(), "{part}");
    }
    let mut json = serde_json::to_value(&interim).unwrap();
    json["category"] = json!("interim");
    assert!(
        !v.is_valid(&json),
        "MEF 141's CustomerBillCategory has no interim"
    );
}

/// Found by the `bill` fuzz target: October's bill with `paymentDueDate` in the year 1013 made
/// the invoice commitment panic (days are counted from 1970-01-01). Every day a bill states is
/// refused before 1970, naming the field.
#[test]
fn fuzz_bill_days_before_1970_are_refused() {
    let (msa, _, _, text) = proved();
    for (pointer, field) in [
        ("/paymentDueDate", "paymentDueDate"),
        ("/billDate", "billDate"),
        ("/billingPeriod/startDateTime", "billingPeriod.startDateTime"),
        ("/billingPeriod/endDateTime", "billingPeriod.endDateTime"),
    ] {
        for day in ["1013-10-01T00:00:00Z", "1969-12-31T00:00:00Z"] {
            let mut v: Value = serde_json::from_str(&text).unwrap();
            *v.pointer_mut(pointer).expect(pointer) = json!(day);
            let msg = recommit(&msa, &v.to_string()).unwrap_err().to_string();
            assert!(
                msg.starts_with(&format!("{field}: ")) && msg.contains("before 1970-01-01"),
                "{field} = {day}: {msg}"
            );
        }
    }
}
