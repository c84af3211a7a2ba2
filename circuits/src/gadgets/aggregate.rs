//! Aggregation of usage records into per-product totals without a `P x U` table: the twin of
//! [`crate::native::aggregate`].
//!
//! The prover supplies the totals `q_p`; the circuit derives a challenge
//! `z = Poseidon(tag, usage_commitment, state_before, state_after)` (the states fix
//! `q_p = V1_p - V0_p` before `z` is known) and checks
//! `sum_r qty_r * z^slot_r = sum_p q_p * z^p`. Both sides are polynomials of degree below `P` in
//! `z`; by Schwartz-Zippel a wrong total passes with probability at most `P / |Fr|`.
//!
//! Costs: [`powers_cost`]`(P) = log2 P - 1` (the `z^(2^b)`), [`weighted_cost`]`(P) = 2 log2 P`
//! per record, [`totals_cost`]`(P) = 2P - 2` (powers `z^2 .. z^(P-1)`, products `q_p z^p` for
//! `p >= 1`, one equality), and one permutation for the challenge.

use ark_r1cs_std::{
    boolean::Boolean, eq::EqGadget, fields::fp::FpVar, fields::FieldVar, select::CondSelectGadget,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use super::poseidon::hash;
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

/// Constraints of [`powers`] for `P` slots.
pub const fn powers_cost(products: usize) -> usize {
    products.trailing_zeros() as usize - 1
}

/// Constraints of [`weighted`] for `P` slots.
pub const fn weighted_cost(products: usize) -> usize {
    2 * products.trailing_zeros() as usize
}

/// Constraints of [`enforce_totals`] for `P` slots.
pub const fn totals_cost(products: usize) -> usize {
    2 * products - 2
}

/// `z^(2^b)` for `b < log2 P`.
pub fn powers(z: &FpVar<Fr>, products: usize) -> Result<Vec<FpVar<Fr>>, SynthesisError> {
    let mut out = vec![z.clone()];
    for _ in 1..products.trailing_zeros() {
        let sq = out.last().expect("non-empty").square()?;
        out.push(sq);
    }
    Ok(out)
}

/// `qty * z^slot` for a slot given by its little-endian bits.
pub fn weighted(
    qty: &FpVar<Fr>,
    slot_bits: &[Boolean<Fr>],
    powers: &[FpVar<Fr>],
) -> Result<FpVar<Fr>, SynthesisError> {
    let mut acc = qty.clone();
    for (bit, zp) in slot_bits.iter().zip(powers) {
        let moved = &acc * zp;
        acc = FpVar::conditionally_select(bit, &moved, &acc)?;
    }
    Ok(acc)
}

/// Enforces `records = sum_p q_p z^p`.
pub fn enforce_totals(
    records: &FpVar<Fr>,
    totals: &[FpVar<Fr>],
    z: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    let mut power = FpVar::Constant(Fr::from(1u64));
    let mut sum = FpVar::Constant(Fr::from(0u64));
    for (p, q) in totals.iter().enumerate() {
        if p == 1 {
            power = z.clone();
        } else if p > 1 {
            power = &power * z;
        }
        sum += if p == 0 { q.clone() } else { q * &power };
    }
    sum.enforce_equal(records)
}

#[cfg(test)]
mod tests {
    use ark_r1cs_std::alloc::AllocVar;

    use super::*;
    use crate::{
        gadgets::{count, witness},
        native::aggregate::{challenge as challenge_native, totals as totals_native},
    };

    fn run(records: &[(u64, u64)], totals: &[u64], products: usize) -> (usize, bool) {
        count(|cs| {
            let z = witness(
                cs,
                challenge_native(Fr::from(1u64), Fr::from(2u64), Fr::from(3u64)),
            )?;
            let pw = powers(&z, products)?;
            let mut acc = FpVar::Constant(Fr::from(0u64));
            for &(slot, q) in records {
                let bits = (0..products.trailing_zeros())
                    .map(|b| Boolean::new_witness(cs.clone(), || Ok(slot >> b & 1 == 1)))
                    .collect::<Result<Vec<_>, _>>()?;
                acc += weighted(&witness(cs, Fr::from(q))?, &bits, &pw)?;
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
        let (c, sat) = run(&recs, &[5, 0, 0, 8, 0, 0, 0, 2], 8);
        assert!(sat);
        // The totals it accepts are the native twin's.
        let native = totals_native(recs.iter().map(|&(s, q)| (s as usize, q)), 8);
        assert_eq!(native, [5, 0, 0, 8, 0, 0, 0, 2]);
        let booleans = recs.len() * 3;
        assert_eq!(
            c,
            powers_cost(8) + recs.len() * weighted_cost(8) + totals_cost(8) + booleans
        );
        // Moving one unit between products, or dropping one, is caught.
        assert!(!run(&recs, &[5, 0, 0, 7, 0, 0, 1, 2], 8).1);
        assert!(!run(&recs, &[5, 0, 0, 7, 0, 0, 0, 2], 8).1);
        assert!(!run(&recs, &[0, 5, 0, 8, 0, 0, 0, 2], 8).1);
    }
}
