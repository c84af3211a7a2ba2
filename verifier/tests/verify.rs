//! Verifying one proof: valid, wrong inputs, another statement's proof, bad keys.

mod common;
mod fixture;

use ark_ff::One;
use fixture::{fixture, inputs_of, statement, with_input};
use zkinvoice_verifier::{verify, Fr, InvoiceProof, InvoiceVerifyingKey, VerifyError};

#[test]
fn valid_proof_verifies() {
    let f = fixture();
    for (proof, inputs) in &f.valid {
        assert_eq!(verify(&f.key, proof, inputs), Ok(()));
    }
}

#[test]
fn proof_survives_a_byte_round_trip_and_still_verifies() {
    let f = fixture();
    let (proof, inputs) = &f.valid[0];
    let decoded = InvoiceProof::from_bytes(&proof.to_bytes()).unwrap();
    assert_eq!(&decoded, proof);
    assert_eq!(verify(&f.key, &decoded, inputs), Ok(()));
}

#[test]
fn each_changed_public_input_is_an_invalid_proof() {
    let f = fixture();
    let (proof, inputs) = &f.valid[2];
    for i in 0..5 {
        let x = inputs.to_field_elements();
        for changed in [x[i] + Fr::one(), Fr::from(0u64), -x[i]] {
            let bad = with_input(inputs, i, changed);
            assert_eq!(
                verify(&f.key, proof, &bad),
                Err(VerifyError::InvalidProof),
                "input {i}"
            );
        }
    }
}

#[test]
fn inputs_in_another_order_are_an_invalid_proof() {
    let f = fixture();
    let (proof, inputs) = &f.valid[4];
    let mut x = inputs.to_field_elements();
    x.swap(0, 4);
    assert_eq!(
        verify(&f.key, proof, &inputs_of(&x)),
        Err(VerifyError::InvalidProof)
    );
}

#[test]
fn proof_of_another_statement_is_an_invalid_proof() {
    let f = fixture();
    let (proof_a, inputs_a) = &f.valid[0];
    let (proof_b, inputs_b) = &f.valid[1];
    let other = InvoiceProof::from_bytes(&proof_b.to_bytes()).unwrap();
    assert_eq!(verify(&f.key, &other, inputs_a), Err(VerifyError::InvalidProof));
    assert_eq!(verify(&f.key, proof_a, inputs_b), Err(VerifyError::InvalidProof));
}

#[test]
fn proof_under_another_key_is_an_invalid_proof() {
    let f = fixture();
    let (other_pk, other_vk) = common::setup(5, 2);
    let other_key = InvoiceVerifyingKey::try_from(other_vk).unwrap().prepare();
    let (proof, inputs) = statement(&other_pk, 3, 7);
    assert_eq!(verify(&other_key, &proof, &inputs), Ok(()));
    assert_eq!(verify(&f.key, &proof, &inputs), Err(VerifyError::InvalidProof));
    assert_ne!(other_key.hash(), f.key.hash());
}

#[test]
fn key_round_trips_and_its_hash_is_sha256_of_the_compressed_bytes() {
    use sha2::{Digest, Sha256};
    let f = fixture();
    let vk = InvoiceVerifyingKey::from_bytes(&f.vk_bytes).unwrap();
    assert_eq!(vk.to_bytes(), f.vk_bytes);
    let expected: [u8; 32] = Sha256::digest(&f.vk_bytes).into();
    assert_eq!(vk.hash(), expected);
    assert_eq!(vk.hash_hex(), hex::encode(expected));
    assert_eq!(f.key.hash(), expected);
    assert_eq!(f.key.hash_hex(), hex::encode(expected));
}

#[test]
fn check_hash_accepts_the_keys_hash_and_refuses_others() {
    let f = fixture();
    let own = f.key.hash_hex();
    assert_eq!(f.key.check_hash(&own), Ok(()));
    assert_eq!(f.key.check_hash(&own.to_uppercase()), Ok(()));
    assert_eq!(f.key.check_hash(&format!("0x{own}")), Ok(()));
    let other = "00".repeat(32);
    match f.key.check_hash(&other) {
        Err(VerifyError::KeyMismatch { expected, found }) => {
            assert!(expected.contains(&other), "{expected}");
            assert!(found.contains(&own), "{found}");
        }
        r => panic!("expected KeyMismatch, got {r:?}"),
    }
    assert!(matches!(
        f.key.check_hash(&own[..63]),
        Err(VerifyError::Malformed { .. })
    ));
    assert!(matches!(
        f.key.check_hash("zz"),
        Err(VerifyError::Malformed { .. })
    ));
}

#[test]
fn every_truncation_of_the_key_is_malformed() {
    let f = fixture();
    for len in 0..f.vk_bytes.len() {
        match InvoiceVerifyingKey::from_bytes(&f.vk_bytes[..len]) {
            Err(VerifyError::Malformed { what, .. }) => assert_eq!(what, "verifying key"),
            r => panic!("truncated to {len}: expected Malformed, got {r:?}"),
        }
    }
}

#[test]
fn key_with_trailing_bytes_is_malformed() {
    let f = fixture();
    let mut bytes = f.vk_bytes.clone();
    bytes.push(0);
    match InvoiceVerifyingKey::from_bytes(&bytes) {
        Err(VerifyError::Malformed { reason, .. }) => assert!(reason.contains("trailing"), "{reason}"),
        r => panic!("expected Malformed, got {r:?}"),
    }
}

#[test]
fn corrupted_key_bytes_never_panic_and_are_refused_or_another_key() {
    let f = fixture();
    for i in 0..f.vk_bytes.len() {
        for mask in [0x01u8, 0x80, 0x20, 0xff] {
            let mut bytes = f.vk_bytes.clone();
            bytes[i] ^= mask;
            match InvoiceVerifyingKey::from_bytes(&bytes) {
                Err(VerifyError::Malformed { .. }) | Err(VerifyError::KeyMismatch { .. }) => {}
                // A flipped sign bit gives the negated point: a valid key, but another one.
                Ok(vk) => assert_ne!(vk.hash(), f.key.hash(), "byte {i} mask {mask:#x}"),
                Err(e) => panic!("byte {i} mask {mask:#x}: {e:?}"),
            }
        }
    }
}

#[test]
fn key_for_another_number_of_inputs_is_a_key_mismatch() {
    for n in [0, 1, 4, 6] {
        let (_, vk) = common::setup(n, 3);
        match InvoiceVerifyingKey::from_bytes(&common::compressed(&vk)) {
            Err(VerifyError::KeyMismatch { expected, found }) => {
                assert!(expected.contains("5 public inputs"), "{expected}");
                assert!(found.contains(&format!("{n} public inputs")), "{found}");
            }
            r => panic!("{n} inputs: expected KeyMismatch, got {r:?}"),
        }
        assert!(matches!(
            InvoiceVerifyingKey::try_from(vk),
            Err(VerifyError::KeyMismatch { .. })
        ));
    }
}
