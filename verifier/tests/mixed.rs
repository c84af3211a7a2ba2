//! Mixed batches: proofs of three statements, under three keys (5, 2 and 7 public inputs),
//! verified as one unit; the typed keys, `verify` and `verify_batch` for a statement other than the
//! invoice statement.

mod common;
mod fixture;

use std::sync::OnceLock;

use ark_bls12_381::{G1Affine, G2Affine};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::One;
use zkinvoice_verifier::{
    verify, verify_batch, verify_mixed, Fr, InvoiceProof, InvoicePublicInputs, InvoiceStatement, MixedItem,
    PreparedAnyKey, PreparedKeyOf, Statement, VerifyError, VerifyingKeyOf,
};

/// The test statement `Powers` with 2 public inputs.
struct Two;

impl Statement for Two {
    const ID: &'static str = "zkinvoice/test-powers-2/v1";
    const INPUTS: usize = 2;
    type Inputs = [Fr; 2];
}

/// The test statement `Multiples` with 7 public inputs.
struct Seven;

impl Statement for Seven {
    const ID: &'static str = "zkinvoice/test-multiples-7/v1";
    const INPUTS: usize = 7;
    type Inputs = [Fr; 7];
}

/// The erased keys: the invoice key (5 inputs), the `Two` and `Seven` keys, then another key of
/// each of the three, at `OTHER + k`.
const OTHER: usize = 3;

/// One proof of the batch: the index of its key in `Mixed::keys`, the proof and its inputs.
#[derive(Clone, Debug, PartialEq)]
struct Slot {
    key: usize,
    proof: InvoiceProof,
    inputs: Vec<Fr>,
}

struct Mixed {
    two: PreparedKeyOf<Two>,
    seven: PreparedKeyOf<Seven>,
    keys: Vec<PreparedAnyKey>,
    /// 12 valid proofs, their keys in no particular order.
    slots: Vec<Slot>,
}

/// The keys of the slots, in batch order: every key several times, not side by side.
const LAYOUT: [usize; 12] = [0, 1, 2, 0, 0, 1, 2, 2, 1, 0, 2, 1];

fn mixed() -> &'static Mixed {
    static MIXED: OnceLock<Mixed> = OnceLock::new();
    MIXED.get_or_init(|| {
        let f = fixture::fixture();
        let (pk2, vk2) = common::setup_powers(2, 41);
        let (pk7, vk7) = common::setup(7, 42);
        let two = VerifyingKeyOf::<Two>::new(vk2).unwrap().prepare();
        let seven = VerifyingKeyOf::<Seven>::new(vk7).unwrap().prepare();
        let other_invoice = VerifyingKeyOf::<InvoiceStatement>::new(common::setup(5, 43).1).unwrap();
        let other_two = VerifyingKeyOf::<Two>::new(common::setup_powers(2, 44).1).unwrap();
        let other_seven = VerifyingKeyOf::<Seven>::new(common::setup(7, 45).1).unwrap();
        let keys = vec![
            f.key.erase().clone(),
            two.erase().clone(),
            seven.erase().clone(),
            other_invoice.prepare().into(),
            other_two.prepare().into(),
            other_seven.prepare().into(),
        ];
        let slots = LAYOUT
            .iter()
            .enumerate()
            .map(|(i, &key)| {
                let w = i as u64 + 2;
                let (proof, inputs) = match key {
                    0 => return invoice_slot(&f.valid[i]),
                    1 => common::prove_powers(&pk2, w, 60 + w),
                    _ => common::prove(&pk7, w, 60 + w),
                };
                Slot {
                    key,
                    proof: proof.into(),
                    inputs,
                }
            })
            .collect();
        Mixed {
            two,
            seven,
            keys,
            slots,
        }
    })
}

fn invoice_slot((proof, inputs): &(InvoiceProof, InvoicePublicInputs)) -> Slot {
    Slot {
        key: 0,
        proof: proof.clone(),
        inputs: inputs.to_field_elements().to_vec(),
    }
}

fn items<'a>(keys: &'a [PreparedAnyKey], slots: &'a [Slot]) -> Vec<MixedItem<'a>> {
    slots
        .iter()
        .map(|s| MixedItem {
            key: &keys[s.key],
            proof: &s.proof,
            inputs: s.inputs.clone(),
        })
        .collect()
}

/// `proof` with one of its points moved by the group generator.
fn moved(proof: &InvoiceProof, point: char) -> InvoiceProof {
    let mut ark = proof.as_ark().clone();
    match point {
        'A' => ark.a = (ark.a + G1Affine::generator()).into_affine(),
        'B' => ark.b = (ark.b + G2Affine::generator()).into_affine(),
        _ => ark.c = (ark.c + G1Affine::generator()).into_affine(),
    }
    ark.into()
}

/// A named way to corrupt one valid proof of the batch.
type Mutation = (&'static str, fn(&mut Slot));

/// How each test corrupts one valid proof of the batch.
const MUTATIONS: [Mutation; 5] = [
    ("A moved", |s| s.proof = moved(&s.proof, 'A')),
    ("B moved", |s| s.proof = moved(&s.proof, 'B')),
    ("C moved", |s| s.proof = moved(&s.proof, 'C')),
    ("one public input + 1", |s| {
        let i = s.inputs.len() / 2;
        s.inputs[i] += Fr::one();
    }),
    ("paired with another key of the same statement", |s| {
        s.key += OTHER
    }),
];

#[test]
fn mixed_batch_of_proofs_under_three_keys_is_ok() {
    let m = mixed();
    for slot in &m.slots {
        let key = &m.keys[slot.key];
        assert_eq!(
            verify_mixed(&items(&m.keys, std::slice::from_ref(slot)), &mut common::rng(0)),
            Ok(())
        );
        assert_eq!(key.inputs(), slot.inputs.len());
    }
    for seed in 0..4 {
        assert_eq!(
            verify_mixed(&items(&m.keys, &m.slots), &mut common::rng(seed)),
            Ok(()),
            "seed {seed}"
        );
    }
    // The same batch built from typed keys and inputs.
    let f = fixture::fixture();
    let two: Vec<[Fr; 2]> = m
        .slots
        .iter()
        .filter(|s| s.key == 1)
        .map(|s| array(&s.inputs))
        .collect();
    let seven: Vec<[Fr; 7]> = m
        .slots
        .iter()
        .filter(|s| s.key == 2)
        .map(|s| array(&s.inputs))
        .collect();
    let (mut i2, mut i7) = (two.iter(), seven.iter());
    let typed: Vec<MixedItem<'_>> = m
        .slots
        .iter()
        .enumerate()
        .map(|(i, s)| match s.key {
            0 => MixedItem::new(&f.key, &s.proof, &f.valid[i].1),
            1 => MixedItem::new(&m.two, &s.proof, i2.next().unwrap()),
            _ => MixedItem::new(&m.seven, &s.proof, i7.next().unwrap()),
        })
        .collect();
    assert_eq!(verify_mixed(&typed, &mut common::rng(9)), Ok(()));
}

fn array<const N: usize>(x: &[Fr]) -> [Fr; N] {
    x.try_into().unwrap()
}

#[test]
fn each_corrupted_proof_is_named_by_its_position() {
    let m = mixed();
    for (name, mutate) in MUTATIONS {
        for at in 0..m.slots.len() {
            let mut slots = m.slots.clone();
            mutate(&mut slots[at]);
            assert_eq!(
                verify_mixed(&items(&m.keys, &slots), &mut common::rng(at as u64)),
                Err(VerifyError::BatchInvalid { invalid: vec![at] }),
                "{name} at {at} (key {})",
                m.slots[at].key
            );
        }
    }
}

#[test]
fn bad_proofs_under_each_key_are_all_named() {
    let m = mixed();
    let mut slots = m.slots.clone();
    // 0: the invoice key, 5: `Two`, 11: `Two`, 7: `Seven`.
    for (at, (_, mutate)) in [0, 5, 7, 11].into_iter().zip(MUTATIONS.iter().cycle().skip(1)) {
        mutate(&mut slots[at]);
    }
    assert_eq!(
        verify_mixed(&items(&m.keys, &slots), &mut common::rng(3)),
        Err(VerifyError::BatchInvalid {
            invalid: vec![0, 5, 7, 11]
        })
    );
}

#[test]
fn swapped_inputs_of_two_valid_proofs_under_one_key_are_both_named() {
    let m = mixed();
    let mut slots = m.slots.clone();
    // 2 and 6 are both under `Seven`.
    let (a, b) = (slots[2].inputs.clone(), slots[6].inputs.clone());
    slots[2].inputs = b;
    slots[6].inputs = a;
    assert_eq!(
        verify_mixed(&items(&m.keys, &slots), &mut common::rng(4)),
        Err(VerifyError::BatchInvalid { invalid: vec![2, 6] })
    );
}

#[test]
fn an_input_count_mismatch_is_a_key_mismatch_before_any_pairing() {
    let m = mixed();
    for (at, key) in [(1, 2), (2, 1), (3, 4), (11, 0)] {
        let mut slots = m.slots.clone();
        // Another item is bad too: had any pairing run, it would be named.
        slots[4].proof = moved(&slots[4].proof, 'C');
        slots[at].key = key;
        match verify_mixed(&items(&m.keys, &slots), &mut common::rng(5)) {
            Err(VerifyError::KeyMismatch { expected, found }) => {
                let count = m.keys[key].inputs();
                let given = slots[at].inputs.len();
                assert!(
                    expected.contains(&format!("item {at} with {count} public inputs")),
                    "{expected}"
                );
                assert!(
                    found.contains(&format!("item {at} with {given} public inputs")),
                    "{found}"
                );
            }
            r => panic!("item {at} under key {key}: expected KeyMismatch, got {r:?}"),
        }
    }
    // One input too many or too few, under the right key.
    for change in [Some(Fr::one()), None] {
        let mut slots = m.slots.clone();
        match change {
            Some(x) => slots[8].inputs.push(x),
            None => {
                slots[8].inputs.pop();
            }
        }
        assert!(matches!(
            verify_mixed(&items(&m.keys, &slots), &mut common::rng(6)),
            Err(VerifyError::KeyMismatch { .. })
        ));
    }
}

#[test]
fn empty_mixed_batch_is_ok_and_a_batch_of_one_is_checked() {
    let m = mixed();
    assert_eq!(verify_mixed(&[], &mut common::rng(1)), Ok(()));
    let mut slot = m.slots[5].clone();
    assert_eq!(
        verify_mixed(&items(&m.keys, std::slice::from_ref(&slot)), &mut common::rng(1)),
        Ok(())
    );
    slot.key += OTHER;
    assert_eq!(
        verify_mixed(&items(&m.keys, &[slot]), &mut common::rng(1)),
        Err(VerifyError::BatchInvalid { invalid: vec![0] })
    );
}

#[test]
fn a_mixed_batch_under_one_key_agrees_with_verify_batch() {
    let f = fixture::fixture();
    let mut valid = f.valid[..6].to_vec();
    valid[4].1 = fixture::with_input(&valid[4].1, 3, Fr::from(7u64));
    let typed: Vec<_> = valid.iter().map(|(p, x)| (p, x)).collect();
    let mixed: Vec<_> = valid.iter().map(|(p, x)| MixedItem::new(&f.key, p, x)).collect();
    let expected = Err(VerifyError::BatchInvalid { invalid: vec![4] });
    assert_eq!(verify_batch(&f.key, &typed, &mut common::rng(2)), expected);
    assert_eq!(verify_mixed(&mixed, &mut common::rng(2)), expected);
}

#[test]
fn verify_and_verify_batch_take_any_statement() {
    let m = mixed();
    let slots: Vec<(&InvoiceProof, [Fr; 2])> = m
        .slots
        .iter()
        .filter(|s| s.key == 1)
        .map(|s| (&s.proof, array(&s.inputs)))
        .collect();
    let items: Vec<(&InvoiceProof, &[Fr; 2])> = slots.iter().map(|(p, x)| (*p, x)).collect();
    for (proof, inputs) in &items {
        assert_eq!(verify(&m.two, proof, inputs), Ok(()));
    }
    assert_eq!(verify_batch(&m.two, &items, &mut common::rng(3)), Ok(()));
    let mut bad = slots[1].1;
    bad[0] += Fr::one();
    assert_eq!(verify(&m.two, items[1].0, &bad), Err(VerifyError::InvalidProof));
    let mut with_bad = items.clone();
    with_bad[1].1 = &bad;
    assert_eq!(
        verify_batch(&m.two, &with_bad, &mut common::rng(3)),
        Err(VerifyError::BatchInvalid { invalid: vec![1] })
    );
}

#[test]
fn typed_keys_refuse_another_count_and_erasing_keeps_hash_count_and_id() {
    let m = mixed();
    let (_, vk7) = common::setup(7, 42);
    let bytes = common::compressed(&vk7);
    match VerifyingKeyOf::<Two>::from_bytes(&bytes) {
        Err(VerifyError::KeyMismatch { expected, found }) => {
            assert!(expected.contains("2 public inputs"), "{expected}");
            assert!(found.contains("7 public inputs"), "{found}");
        }
        r => panic!("expected KeyMismatch, got {r:?}"),
    }
    let seven = VerifyingKeyOf::<Seven>::from_bytes(&bytes).unwrap();
    assert_eq!(seven.to_bytes(), bytes);
    assert_eq!(seven.clone(), seven);
    assert_eq!(seven.hash(), m.seven.hash());
    let erased: PreparedAnyKey = seven.prepare().into();
    assert_eq!(erased.hash(), m.seven.hash());
    assert_eq!(erased.hash_hex(), m.seven.hash_hex());
    assert_eq!(erased.inputs(), 7);
    assert_eq!(erased.statement(), Seven::ID);
    assert_eq!(erased.check_hash(&m.seven.hash_hex()), Ok(()));
    assert_eq!(m.keys[1].statement(), Two::ID);
    assert_eq!(m.keys[0].statement(), "zkinvoice/invoice/v1");
}

/// A statement whose inputs are not as many as it says (a programming error).
struct Miscounted;

impl Statement for Miscounted {
    const ID: &'static str = "zkinvoice/test-miscounted/v1";
    const INPUTS: usize = 2;
    type Inputs = [Fr; 3];
}

#[test]
fn a_statement_whose_inputs_are_not_its_count_is_refused_before_any_pairing() {
    let m = mixed();
    let key = VerifyingKeyOf::<Miscounted>::new(m.two.as_ark().vk.clone())
        .unwrap()
        .prepare();
    let slot = &m.slots[1];
    let inputs = [slot.inputs[0], slot.inputs[1], Fr::one()];
    assert!(matches!(
        verify(&key, &slot.proof, &inputs),
        Err(VerifyError::KeyMismatch { .. })
    ));
    assert!(matches!(
        verify_batch(
            &key,
            &[(&slot.proof, &inputs), (&slot.proof, &inputs)],
            &mut common::rng(1)
        ),
        Err(VerifyError::KeyMismatch { .. })
    ));
}
