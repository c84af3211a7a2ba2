//! Proof bytes and text: round trips, and refusal of corrupted, truncated or extended encodings.

mod common;
mod fixture;

use ark_bls12_381::{Fq, G1Affine};
use ark_ec::AffineRepr;
use ark_ff::One;
use fixture::fixture;
use zkinvoice_verifier::{verify, InvoiceProof, VerifyError, PROOF_BYTES};

fn assert_malformed<T: std::fmt::Debug>(r: Result<T, VerifyError>, context: &str) {
    match r {
        Err(VerifyError::Malformed { what, .. }) => assert_eq!(what, "proof", "{context}"),
        r => panic!("{context}: expected Malformed, got {r:?}"),
    }
}

#[test]
fn proof_round_trips_through_bytes_base64_and_serde() {
    let f = fixture();
    let (proof, _) = &f.valid[0];
    let bytes = proof.to_bytes();
    assert_eq!(bytes.len(), PROOF_BYTES);
    assert_eq!(&InvoiceProof::from_bytes(&bytes).unwrap(), proof);
    let text = proof.to_base64();
    assert_eq!(text.len(), 256);
    assert_eq!(&InvoiceProof::from_base64(&text).unwrap(), proof);
    assert_eq!(proof.to_string(), text);
    assert_eq!(&text.parse::<InvoiceProof>().unwrap(), proof);
    let json = serde_json::to_string(proof).unwrap();
    assert_eq!(json, format!("\"{text}\""));
    assert_eq!(&serde_json::from_str::<InvoiceProof>(&json).unwrap(), proof);
}

#[test]
fn corrupted_proof_bytes_are_malformed_or_invalid_never_accepted() {
    let f = fixture();
    let (proof, inputs) = &f.valid[0];
    let good = proof.to_bytes();
    let mut malformed = 0;
    for i in 0..good.len() {
        for mask in [0x01u8, 0x02, 0x20, 0x40, 0x80, 0xff] {
            let mut bytes = good.clone();
            bytes[i] ^= mask;
            match InvoiceProof::from_bytes(&bytes) {
                Err(VerifyError::Malformed { .. }) => malformed += 1,
                // E.g. a flipped sign bit: the negated point, a well-formed but wrong proof.
                Ok(p) => assert_eq!(
                    verify(&f.key, &p, inputs),
                    Err(VerifyError::InvalidProof),
                    "byte {i} mask {mask:#x}"
                ),
                Err(e) => panic!("byte {i} mask {mask:#x}: {e:?}"),
            }
        }
    }
    assert!(malformed > 0);
}

#[test]
fn flag_byte_garbage_is_malformed() {
    let f = fixture();
    let good = f.valid[0].0.to_bytes();
    // The three flag bits of A, B, C: uncompressed, and "infinity" with a nonzero x.
    for offset in [0, 48, 144] {
        for first in [0x00u8, 0x1f, 0xff, 0xc1, 0x60] {
            let mut bytes = good.clone();
            bytes[offset] = first;
            assert_malformed(
                InvoiceProof::from_bytes(&bytes),
                &format!("offset {offset} first {first:#x}"),
            );
        }
    }
    assert_malformed(InvoiceProof::from_bytes(&[0xff; PROOF_BYTES]), "all 0xff");
    assert_malformed(InvoiceProof::from_bytes(&[0x00; PROOF_BYTES]), "all zero");
}

#[test]
fn point_on_the_curve_but_outside_the_subgroup_is_malformed() {
    let f = fixture();
    let good = f.valid[0].0.to_bytes();
    let mut x = Fq::one();
    let outside = loop {
        if let Some(p) = G1Affine::get_point_from_x_unchecked(x, true) {
            if !p.is_in_correct_subgroup_assuming_on_curve() {
                break p;
            }
        }
        x += Fq::one();
    };
    assert!(outside.is_on_curve() && !outside.is_zero());
    let encoded = common::compressed(&outside);
    for offset in [0, 144] {
        let mut bytes = good.clone();
        bytes[offset..offset + 48].copy_from_slice(&encoded);
        assert_malformed(InvoiceProof::from_bytes(&bytes), &format!("offset {offset}"));
    }
}

#[test]
fn x_coordinate_not_below_the_base_field_modulus_is_malformed() {
    let f = fixture();
    let mut bytes = f.valid[0].0.to_bytes();
    // x = 2^381 - 1 (flags kept: compressed), far above the 381-bit modulus.
    bytes[0] = 0x80 | 0x1f;
    bytes[1..48].fill(0xff);
    assert_malformed(InvoiceProof::from_bytes(&bytes), "x above modulus");
}

#[test]
fn wrong_length_proofs_are_malformed() {
    let f = fixture();
    let good = f.valid[0].0.to_bytes();
    for len in 0..PROOF_BYTES {
        assert_malformed(InvoiceProof::from_bytes(&good[..len]), &format!("length {len}"));
    }
    let mut longer = good.clone();
    longer.push(0);
    assert_malformed(InvoiceProof::from_bytes(&longer), "trailing byte");
    let mut doubled = good.clone();
    doubled.extend_from_slice(&good);
    assert_malformed(InvoiceProof::from_bytes(&doubled), "two proofs");
}

#[test]
fn bad_base64_is_malformed() {
    let f = fixture();
    let text = f.valid[0].0.to_base64();
    assert_malformed(InvoiceProof::from_base64(&text[..text.len() - 4]), "short");
    assert_malformed(InvoiceProof::from_base64(&format!("{text} ")), "space");
    if text.contains(['+', '/']) {
        assert_malformed(
            InvoiceProof::from_base64(&text.replace('+', "-").replace('/', "_")),
            "url-safe",
        );
    }
    // 192 bytes need no padding: none is allowed.
    assert!(!text.ends_with('='));
    assert_malformed(InvoiceProof::from_base64(&format!("{text}==")), "extra padding");
    assert_malformed(InvoiceProof::from_base64("not base64!"), "garbage");
    assert_malformed(InvoiceProof::from_base64(""), "empty");
    assert!(serde_json::from_str::<InvoiceProof>("\"AAAA\"").is_err());
}
