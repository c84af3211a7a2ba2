//! Parts `challenge`, `records` and `aggregate`: the usage records range-checked, packed as the
//! usage commitment packs them, and shown to sum to the slots' totals `q_p` at a random point
//! ([`crate::gadgets::aggregate`]), without a `P x U` table.

use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use super::inputs::PublicVars;
use crate::{
    encoding::{shift, RECORDS_PER_ELEMENT, RECORD_BITS, SLOT_PACK_BITS},
    gadgets::{
        aggregate,
        poseidon::hash_cost,
        range::{self, enforce_bits},
        witness,
    },
    statement::assignment::InvoiceAssignment,
    Fr, Shape,
};

/// Constraints of `challenge`: one permutation over four inputs (the tag constant), and the
/// powers `z^(2^b)`.
pub const fn challenge_cost(shape: Shape) -> usize {
    hash_cost(4, 1) + aggregate::powers_cost(shape.products)
}

/// Constraints of one record in `records`: its slot's bits, its quantity's 64 bits and its
/// weight `qty * z^slot`.
pub const fn per_record_cost(shape: Shape) -> usize {
    range::cost(shape.slot_bits() as usize) + range::cost(64) + aggregate::weighted_cost(shape.products)
}

/// Constraints of `aggregate`: the powers `z^p`, the products `q_p z^p` and one equality.
pub const fn aggregate_cost(shape: Shape) -> usize {
    aggregate::totals_cost(shape.products)
}

/// The aggregation challenge and its powers `z^(2^b)`.
pub(super) struct Challenge {
    /// `z = Poseidon(tag, usage_commitment, state_before, state_after)`.
    pub z: FpVar<Fr>,
    /// `z^(2^b)` for `b < log2 P`.
    pub powers: Vec<FpVar<Fr>>,
}

/// The opened usage: the period and the packed records, with the records' weighted sum.
pub(super) struct UsageVars {
    /// Period start (day number).
    pub period_start: FpVar<Fr>,
    /// Period end (day number, exclusive).
    pub period_end: FpVar<Fr>,
    /// The records packed three per element, as the usage commitment's body holds them.
    pub packed: Vec<FpVar<Fr>>,
    /// `sum_r qty_r * z^slot_r`.
    pub weighted: FpVar<Fr>,
}

/// Derives the challenge from the public inputs: the states fix every `q_p = V1_p - V0_p` and
/// the usage commitment every record before `z` is known.
pub(super) fn challenge(
    cs: &ConstraintSystemRef<Fr>,
    public: &PublicVars,
    shape: Shape,
) -> Result<Challenge, SynthesisError> {
    let z = aggregate::challenge(cs, &public.usage, &public.before, &public.after)?;
    let powers = aggregate::powers(&z, shape.products)?;
    Ok(Challenge { z, powers })
}

/// Opens the period and the records: each slot range-checked to `log2 P` bits and each quantity
/// to 64 bits (so that the packing is injective), packed, and weighted by `z^slot`.
pub(super) fn records(
    cs: &ConstraintSystemRef<Fr>,
    a: &InvoiceAssignment,
    challenge: &Challenge,
) -> Result<UsageVars, SynthesisError> {
    let w = |v: Fr| witness(cs, v);
    let period_start = w(a.period_start)?;
    let period_end = w(a.period_end)?;
    let mut packed = Vec::with_capacity(a.records.len() / RECORDS_PER_ELEMENT);
    let mut weighted = FpVar::Constant(Fr::from(0u64));
    for chunk in a.records.chunks(RECORDS_PER_ELEMENT) {
        let mut element = FpVar::Constant(Fr::from(0u64));
        for (i, r) in chunk.iter().enumerate() {
            let slot = w(r.slot)?;
            let slot_bits = enforce_bits(&slot, a.shape.slot_bits() as usize)?;
            let qty = w(r.quantity)?;
            enforce_bits(&qty, 64)?;
            weighted += aggregate::weighted(&qty, &slot_bits, &challenge.powers)?;
            let word = slot + qty * shift(SLOT_PACK_BITS);
            element += word * shift(RECORD_BITS * i as u32);
        }
        packed.push(element);
    }
    Ok(UsageVars {
        period_start,
        period_end,
        packed,
        weighted,
    })
}

/// Enforces that the records' weighted sum equals `sum_p q_p z^p` for the slots' `totals`.
pub(super) fn aggregate(
    usage: &UsageVars,
    totals: &[FpVar<Fr>],
    challenge: &Challenge,
) -> Result<(), SynthesisError> {
    aggregate::enforce_totals(&usage.weighted, totals, &challenge.z)
}
