//! Verifying proofs of several statements, under several keys, as one unit.
//!
//! Protocol v2 verifies the proofs of a unit (invoice, block, chunk and link statements) together:
//! one random linear combination over all of them, one multi-Miller loop over
//! `n + 3·(distinct keys)` pairs and one final exponentiation, by the same code as
//! [`verify_batch`](crate::verify_batch) (`batch.rs` writes out the equation: per key, the
//! `alpha`/`beta`, `gamma` and `delta` terms are summed over the key's proofs, keys being
//! identified by their hash). The statements are erased: each item carries its key
//! ([`PreparedAnyKey`]) and its public inputs as field elements, and an item whose input count is
//! not its key's is refused before any pairing.

use rand::RngCore;

use crate::batch::{verify_claims, Claim};
use crate::error::VerifyError;
use crate::key::{PreparedAnyKey, PreparedKeyOf};
use crate::proof::InvoiceProof;
use crate::statement::{PublicInputs, Statement};
use crate::Fr;

/// One proof of a mixed batch: the key it claims to verify under, the proof, and its public inputs
/// in circuit order.
#[derive(Clone, Debug)]
pub struct MixedItem<'a> {
    /// The key, its statement erased.
    pub key: &'a PreparedAnyKey,
    /// The proof.
    pub proof: &'a InvoiceProof,
    /// The public inputs, as many as the key's (checked by [`verify_mixed`]).
    pub inputs: Vec<Fr>,
}

impl<'a> MixedItem<'a> {
    /// An item of statement `S`: its typed key, a proof and the statement's typed inputs.
    pub fn new<S: Statement>(key: &'a PreparedKeyOf<S>, proof: &'a InvoiceProof, inputs: &S::Inputs) -> Self {
        Self {
            key: key.erase(),
            proof,
            inputs: inputs.to_field_elements(),
        }
    }

    fn claim(&self) -> Claim<'_> {
        Claim {
            key: self.key,
            proof: self.proof,
            inputs: &self.inputs,
        }
    }
}

/// Verifies proofs under any number of keys, of any statements, as one unit.
///
/// An item whose number of public inputs is not its key's is refused before any pairing
/// ([`VerifyError::KeyMismatch`], naming the first such item's position). An empty batch is valid;
/// a batch of one is checked on its own. Otherwise all the proofs are checked at once, by one
/// random linear combination (one multi-Miller loop over `n + 3·(distinct keys)` pairs, keys
/// identified by their hash, and one final exponentiation), and only if that fails is every proof
/// checked one by one, to name the bad ones: [`VerifyError::BatchInvalid`] with their positions,
/// ascending.
pub fn verify_mixed<R: RngCore + ?Sized>(items: &[MixedItem<'_>], rng: &mut R) -> Result<(), VerifyError> {
    for (i, item) in items.iter().enumerate() {
        item.key
            .check_input_count(item.inputs.len(), &format!("item {i}"))?;
    }
    let claims: Vec<Claim<'_>> = items.iter().map(MixedItem::claim).collect();
    verify_claims(&claims, rng)
}

#[cfg(test)]
mod tests {
    //! The combined check on its own over proofs under three keys: [`verify_mixed`]'s one-by-one
    //! fallback would hide a combined check that rejects valid batches or groups keys wrongly.

    use ark_bls12_381::{G1Affine, G2Affine};
    use ark_ec::{AffineRepr, CurveGroup};

    use super::MixedItem;
    use crate::batch::combined_check;
    use crate::test_circuit as common;
    use crate::{Fr, InvoiceProof, PreparedAnyKey, Statement, VerifyingKeyOf};

    /// A test statement with `N` public inputs.
    struct Test<const N: usize>;

    impl<const N: usize> Statement for Test<N> {
        const ID: &'static str = "zkinvoice/test/v1";
        const INPUTS: usize = N;
        type Inputs = [Fr; N];
    }

    /// A proof: the index of its key, the proof, its inputs.
    type Proved = (usize, InvoiceProof, Vec<Fr>);

    /// A named way to corrupt a proof.
    type Mutation = (&'static str, fn(&mut Proved));

    /// Keys of the statements with 5 inputs (`Multiples`), 2 (`Powers`) and 7 (`Multiples`), then
    /// a second key with 2 inputs; 9 proofs under the first three keys, in turn.
    fn fixture() -> (Vec<PreparedAnyKey>, Vec<Proved>) {
        let (pk5, vk5) = common::setup(5, 31);
        let (pk2, vk2) = common::setup_powers(2, 32);
        let (pk7, vk7) = common::setup(7, 33);
        let (_, other2) = common::setup_powers(2, 34);
        let keys = vec![
            VerifyingKeyOf::<Test<5>>::new(vk5)
                .unwrap()
                .prepare()
                .into_erased(),
            VerifyingKeyOf::<Test<2>>::new(vk2)
                .unwrap()
                .prepare()
                .into_erased(),
            VerifyingKeyOf::<Test<7>>::new(vk7)
                .unwrap()
                .prepare()
                .into_erased(),
            VerifyingKeyOf::<Test<2>>::new(other2)
                .unwrap()
                .prepare()
                .into_erased(),
        ];
        let proofs = (0..9u64)
            .map(|i| {
                let w = i + 2;
                let (proof, x) = match i % 3 {
                    0 => common::prove(&pk5, w, 50 + i),
                    1 => common::prove_powers(&pk2, w, 50 + i),
                    _ => common::prove(&pk7, w, 50 + i),
                };
                ((i % 3) as usize, InvoiceProof::from(proof), x)
            })
            .collect();
        (keys, proofs)
    }

    fn mixed<'a>(keys: &'a [PreparedAnyKey], proofs: &'a [Proved]) -> Vec<MixedItem<'a>> {
        proofs
            .iter()
            .map(|(k, proof, x)| MixedItem {
                key: &keys[*k],
                proof,
                inputs: x.clone(),
            })
            .collect()
    }

    fn check(items: &[MixedItem<'_>], seed: u64) -> bool {
        let claims: Vec<_> = items.iter().map(MixedItem::claim).collect();
        combined_check(&claims, &mut common::rng(seed))
    }

    #[test]
    fn combined_check_accepts_valid_mixed_batches() {
        let (keys, proofs) = fixture();
        let items = mixed(&keys, &proofs);
        for seed in 0..3 {
            assert!(check(&items, seed), "all 9, seed {seed}");
        }
        // Two keys only, one proof under each key, and a key prepared twice (the same hash).
        assert!(check(&items[..2], 0), "one proof under each of two keys");
        assert!(check(&items[..3], 0), "one proof under each of three keys");
        let again = keys[1].clone();
        let mut items = items;
        items[4].key = &again;
        assert!(check(&items, 0), "a key prepared twice");
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

    #[test]
    fn combined_check_rejects_every_kind_of_bad_item_under_every_key() {
        let (keys, proofs) = fixture();
        let mutations: [Mutation; 4] = [
            ("A moved", |p| p.1 = moved(&p.1, 'A')),
            ("B moved", |p| p.1 = moved(&p.1, 'B')),
            ("C moved", |p| p.1 = moved(&p.1, 'C')),
            ("the last public input + 1", |p| {
                if let Some(x) = p.2.last_mut() {
                    *x += Fr::from(1u64);
                }
            }),
        ];
        for (name, mutate) in mutations {
            // Positions 3, 4, 5: one proof under each of the three keys.
            for at in 3..6 {
                let mut bad = proofs.clone();
                mutate(&mut bad[at]);
                assert_ne!(bad[at], proofs[at], "{name} at {at} changed nothing");
                let items = mixed(&keys, &bad);
                for seed in 0..2 {
                    assert!(!check(&items, seed), "{name} at {at}, seed {seed}");
                }
            }
        }
        // A valid proof under the 2-input key, claimed under the other 2-input key.
        for at in [1, 4, 7] {
            let mut bad = proofs.clone();
            bad[at].0 = 3;
            assert!(!check(&mixed(&keys, &bad), 0), "the other key at {at}");
        }
    }
}
