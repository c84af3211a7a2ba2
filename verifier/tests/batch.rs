//! Batch verification.

mod common;
mod fixture;

use ark_ff::One;
use fixture::{fixture, statement, with_input};
use zkinvoice_verifier::{verify_batch, Fr, InvoiceProof, InvoicePublicInputs, VerifyError};

fn refs(items: &[(InvoiceProof, InvoicePublicInputs)]) -> Vec<(&InvoiceProof, &InvoicePublicInputs)> {
    items.iter().map(|(p, x)| (p, x)).collect()
}

#[test]
fn batch_of_16_valid_proofs_is_ok() {
    let f = fixture();
    assert_eq!(f.valid.len(), 16);
    for seed in 0..4 {
        assert_eq!(
            verify_batch(&f.key, &refs(&f.valid), &mut common::rng(seed)),
            Ok(())
        );
    }
}

#[test]
fn batch_names_items_3_and_11() {
    let f = fixture();
    let mut items = f.valid.clone();
    // 3: a changed public input; 11: the proof of another statement.
    items[3].1 = with_input(&items[3].1, 2, items[3].1.state_before + Fr::one());
    items[11].0 = f.valid[12].0.clone();
    assert_eq!(
        verify_batch(&f.key, &refs(&items), &mut common::rng(5)),
        Err(VerifyError::BatchInvalid { invalid: vec![3, 11] })
    );
}

#[test]
fn batch_names_every_bad_item_wherever_it_is() {
    let f = fixture();
    let cases: [&[usize]; 5] = [
        &[0],
        &[15],
        &[0, 15],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
        &[],
    ];
    for bad in cases {
        let mut items = f.valid.clone();
        for &i in bad {
            items[i].1 = with_input(&items[i].1, i % 5, Fr::from(999u64));
        }
        let expected = if bad.is_empty() {
            Ok(())
        } else {
            Err(VerifyError::BatchInvalid {
                invalid: bad.to_vec(),
            })
        };
        assert_eq!(
            verify_batch(&f.key, &refs(&items), &mut common::rng(6)),
            expected,
            "{bad:?}"
        );
    }
}

#[test]
fn swapped_inputs_of_two_valid_proofs_are_both_named() {
    let f = fixture();
    let mut items = f.valid[..4].to_vec();
    let (a, b) = (items[1].1, items[2].1);
    items[1].1 = b;
    items[2].1 = a;
    assert_eq!(
        verify_batch(&f.key, &refs(&items), &mut common::rng(7)),
        Err(VerifyError::BatchInvalid { invalid: vec![1, 2] })
    );
}

#[test]
fn batch_of_a_proof_under_another_key_names_it() {
    let f = fixture();
    let (other_pk, _) = common::setup(5, 9);
    let mut items = f.valid[..3].to_vec();
    items.push(statement(&other_pk, 2, 10));
    assert_eq!(
        verify_batch(&f.key, &refs(&items), &mut common::rng(8)),
        Err(VerifyError::BatchInvalid { invalid: vec![3] })
    );
}

#[test]
fn empty_batch_is_ok() {
    let f = fixture();
    assert_eq!(verify_batch(&f.key, &[], &mut common::rng(1)), Ok(()));
}

#[test]
fn batch_of_one() {
    let f = fixture();
    let (proof, inputs) = &f.valid[7];
    assert_eq!(
        verify_batch(&f.key, &[(proof, inputs)], &mut common::rng(1)),
        Ok(())
    );
    let bad = with_input(inputs, 0, Fr::from(0u64));
    assert_eq!(
        verify_batch(&f.key, &[(proof, &bad)], &mut common::rng(1)),
        Err(VerifyError::BatchInvalid { invalid: vec![0] })
    );
}

#[test]
fn batch_of_two_with_the_same_proof_twice() {
    let f = fixture();
    let (proof, inputs) = &f.valid[0];
    assert_eq!(
        verify_batch(&f.key, &[(proof, inputs), (proof, inputs)], &mut common::rng(2)),
        Ok(())
    );
}
