//! The public inputs' field order and JSON form.

use ark_ff::{BigInteger, PrimeField};
use zkinvoice_verifier::{fr_from_hex, fr_to_hex, Fr, InvoicePublicInputs, VerifyError};

fn sample() -> InvoicePublicInputs {
    InvoicePublicInputs {
        msa_commitment: Fr::from(1u64),
        usage_commitment: Fr::from(2u64),
        state_before: Fr::from(3u64),
        state_after: -Fr::from(1u64),
        invoice_commitment: Fr::from(u64::MAX) * Fr::from(u64::MAX),
    }
}

fn json_with(key: &str, value: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
    v[key] = serde_json::Value::String(value.to_string());
    v.to_string()
}

fn modulus_hex() -> String {
    format!("0x{}", hex::encode(Fr::MODULUS.to_bytes_be()))
}

fn refused_at(text: &str, key: &str) -> String {
    match InvoicePublicInputs::from_json(text) {
        Err(VerifyError::Malformed { what, reason }) => {
            assert_eq!(what, format!("publicInputs.{key}"), "{reason}");
            reason
        }
        r => panic!("expected Malformed at {key}, got {r:?}"),
    }
}

#[test]
fn field_elements_are_in_circuit_order() {
    let x = sample();
    assert_eq!(
        x.to_field_elements(),
        [
            x.msa_commitment,
            x.usage_commitment,
            x.state_before,
            x.state_after,
            x.invoice_commitment
        ]
    );
}

#[test]
fn json_is_a_camel_case_object_of_padded_lowercase_hex() {
    let text = sample().to_json();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let obj = v.as_object().unwrap();
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    let mut expected = [
        "msaCommitment",
        "usageCommitment",
        "stateBefore",
        "stateAfter",
        "invoiceCommitment",
    ];
    expected.sort();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
    assert_eq!(v["msaCommitment"], format!("0x{}1", "0".repeat(63)));
    assert_eq!(v["usageCommitment"], format!("0x{}2", "0".repeat(63)));
    for value in obj.values() {
        let s = value.as_str().unwrap();
        assert_eq!(s.len(), 66);
        assert!(s.starts_with("0x"));
        assert!(
            s[2..]
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "{s}"
        );
    }
}

#[test]
fn json_round_trips() {
    let x = sample();
    assert_eq!(InvoicePublicInputs::from_json(&x.to_json()).unwrap(), x);
    let via_serde: InvoicePublicInputs = serde_json::from_str(&serde_json::to_string(&x).unwrap()).unwrap();
    assert_eq!(via_serde, x);
    let pretty = serde_json::to_string_pretty(&x).unwrap();
    assert_eq!(InvoicePublicInputs::from_json(&pretty).unwrap(), x);
}

#[test]
fn uppercase_hex_digits_are_accepted() {
    let x = sample();
    let upper = format!("0x{}", fr_to_hex(&x.state_after)[2..].to_uppercase());
    assert_eq!(
        InvoicePublicInputs::from_json(&json_with("stateAfter", &upper)).unwrap(),
        x
    );
}

#[test]
fn the_modulus_itself_is_refused_as_non_canonical() {
    let reason = refused_at(&json_with("stateBefore", &modulus_hex()), "stateBefore");
    assert!(reason.contains("modulus"), "{reason}");
    assert!(fr_from_hex(&modulus_hex()).is_err());
    let all_f = format!("0x{}", "f".repeat(64));
    refused_at(&json_with("invoiceCommitment", &all_f), "invoiceCommitment");
}

#[test]
fn the_largest_field_element_is_accepted() {
    let max = -Fr::from(1u64);
    let text = fr_to_hex(&max);
    let mut below = Fr::MODULUS;
    below.sub_with_borrow(&1u64.into());
    assert_eq!(text, format!("0x{}", hex::encode(below.to_bytes_be())));
    assert_eq!(fr_from_hex(&text).unwrap(), max);
}

#[test]
fn wrong_lengths_are_refused() {
    let good = fr_to_hex(&Fr::from(5u64));
    let short = format!("0x{}", &good[3..]);
    assert_eq!(short.len(), 65);
    let reason = refused_at(&json_with("msaCommitment", &short), "msaCommitment");
    assert!(reason.contains("63"), "{reason}");
    refused_at(
        &json_with("usageCommitment", &format!("{good}0")),
        "usageCommitment",
    );
    refused_at(&json_with("usageCommitment", "0x"), "usageCommitment");
    refused_at(&json_with("usageCommitment", "0x5"), "usageCommitment");
}

#[test]
fn non_hex_and_missing_prefix_are_refused() {
    let good = fr_to_hex(&Fr::from(5u64));
    refused_at(&json_with("stateAfter", &good.replace('5', "g")), "stateAfter");
    refused_at(
        &json_with("stateAfter", &format!("0x{}", "é".repeat(32))),
        "stateAfter",
    );
    refused_at(&json_with("stateAfter", &good[2..]), "stateAfter");
    refused_at(
        &json_with("stateAfter", &format!("0X{}", &good[2..])),
        "stateAfter",
    );
    refused_at(&json_with("stateAfter", &format!(" {good}")), "stateAfter");
    refused_at(
        &json_with("stateAfter", &format!("-{}", &good[1..])),
        "stateAfter",
    );
}

#[test]
fn missing_unknown_or_non_string_fields_are_refused() {
    let mut v: serde_json::Value = serde_json::from_str(&sample().to_json()).unwrap();
    v["extra"] = serde_json::Value::from(1);
    for text in [
        v.to_string(),
        r#"{"msaCommitment":"0x00"}"#.to_string(),
        json_with("stateAfter", "x").replace("\"x\"", "5"),
        "[]".to_string(),
        "not json".to_string(),
        String::new(),
    ] {
        match InvoicePublicInputs::from_json(&text) {
            Err(VerifyError::Malformed { what, .. }) => assert_eq!(what, "publicInputs", "{text}"),
            r => panic!("{text}: expected Malformed, got {r:?}"),
        }
    }
    let snake = sample().to_json().replace("msaCommitment", "msa_commitment");
    assert!(InvoicePublicInputs::from_json(&snake).is_err());
}
