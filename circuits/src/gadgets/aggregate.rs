//! Aggregation of usage records into per-product totals without a `P x U` table: the twin of
//! [`crate::native::aggregate`].
//!
//! The prover supplies the totals `q_p`; the circuit derives a challenge
//! `z = Poseidon(tag, usage_commitment, state_before, state_after)` (the states fix
//! `q_p = V1_p - V0_p` before `z` is known) and checks the logarithmic-derivative identity
//! `sum_r qty_r / (z - slot_r) = sum_p q_p / (z - p)` ([`crate::native::multiset`]): each side is a
//! sum of shares, one constraint each ([`crate::gadgets::multiset::share`]). A wrong total passes
//! with probability at most `(U + P) / |Fr|`; so does a challenge equal to a slot (below `P`),
//! where a share's denominator vanishes.
//!
//! Costs: one permutation for the challenge, one constraint per record's share (counted with the
//! record), and [`totals_cost`]`(P) = P + 1` (one share per product, one equality).

use ark_r1cs_std::{eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use super::{multiset::share, poseidon::hash};
use crate::{encoding, encoding::tag, Fr};

/// The challenge in-circuit, one permutation: the twin of [`crate::native::aggregate::challenge`].
pub fn challenge(
    cs: &ConstraintSystemRef<Fr>,
    usage: &FpVar<Fr>,
    before: &FpVar<Fr>,
    after: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    hash(
        cs,
        &[
            FpVar::Constant(encoding::tag_fe(tag::AGGREGATE)),
            usage.clone(),
            before.clone(),
            after.clone(),
        ],
    )
}

/// Constraints of [`enforce_totals`] for `P` slots.
pub const fn totals_cost(products: usize) -> usize {
    products + 1
}

/// Enforces `records = sum_p q_p / (z - p)` for the records' summed shares and the slots'
/// `totals`.
pub fn enforce_totals(
    records: &FpVar<Fr>,
    totals: &[FpVar<Fr>],
    z: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    let mut sum = FpVar::Constant(Fr::from(0u64));
    for (p, q) in totals.iter().enumerate() {
        sum += share(z, &FpVar::Constant(Fr::from(p as u64)), q)?;
    }
    sum.enforce_equal(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        gadgets::{count, range::witness_bits, witness},
        native::aggregate::{challenge as challenge_native, totals as totals_native},
    };

    fn run(records: &[(u64, u64)], totals: &[u64]) -> (usize, bool) {
        count(|cs| {
            let z = witness(
                cs,
                challenge_native(Fr::from(1u64), Fr::from(2u64), Fr::from(3u64)),
            )?;
            let mut acc = FpVar::Constant(Fr::from(0u64));
            for &(slot, q) in records {
                let (slot, _) = witness_bits(cs, Ok(Fr::from(slot)), 3)?;
                acc += share(&z, &slot, &witness(cs, Fr::from(q))?)?;
            }
            let t = totals
                .iter()
                .map(|&q| witness(cs, Fr::from(q)))
                .collect::<Result<Vec<_>, _>>()?;
            enforce_totals(&acc, &t, &z)?;
            Ok(())
        })
    }

    #[test]
    fn totals_are_checked_and_cost_what_they_say() {
        let recs = [(0, 5), (3, 7), (3, 1), (7, 2), (0, 0)];
        let (c, sat) = run(&recs, &[5, 0, 0, 8, 0, 0, 0, 2]);
        assert!(sat);
        // The totals it accepts are the native twin's.
        let native = totals_native(recs.iter().map(|&(s, q)| (s as usize, q)), 8);
        assert_eq!(native, [5, 0, 0, 8, 0, 0, 0, 2]);
        // Per record: 3 slot bits and the share.
        assert_eq!(c, recs.len() * (3 + 1) + totals_cost(8));
        // Moving one unit between products, or dropping one, is caught.
        assert!(!run(&recs, &[5, 0, 0, 7, 0, 0, 1, 2]).1);
        assert!(!run(&recs, &[5, 0, 0, 7, 0, 0, 0, 2]).1);
        assert!(!run(&recs, &[0, 5, 0, 8, 0, 0, 0, 2]).1);
        // Swapping two products' totals is caught too.
        assert!(!run(&recs, &[5, 0, 0, 2, 0, 0, 0, 8]).1);
    }
}
