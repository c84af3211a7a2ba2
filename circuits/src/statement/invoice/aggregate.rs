//! Parts `challenge`, `records` and `aggregate`: the usage records range-checked, packed as the
//! usage commitment packs them, and shown to sum to the slots' totals `q_p` at a random point
//! ([`crate::gadgets::aggregate`]), without a `P x U` table.
//!
//! Each record's slot and quantity are new witnesses defined as the sums of their bits
//! ([`range::witness_bits`]), so their range checks need no equality.

use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use super::inputs::PublicVars;
use crate::{
    encoding::{shift, QUANTITY_BITS, RECORDS_PER_ELEMENT, RECORD_BITS, SLOT_PACK_BITS},
    gadgets::{
        aggregate,
        multiset::{self, share},
        poseidon::hash_cost,
        range::{self, witness_bits},
        witness,
    },
    statement::assignment::InvoiceAssignment,
    Fr, Shape,
};

/// Constraints of `challenge`: one permutation over four inputs (the tag constant).
pub const fn challenge_cost(_shape: Shape) -> usize {
    hash_cost(4, 1)
}

/// Constraints of one record in `records`: its slot's `log2 P` bits, its quantity's 47 bits and
/// its share `qty / (z - slot)`.
pub const fn per_record_cost(shape: Shape) -> usize {
    range::witness_cost(shape.slot_bits() as usize)
        + range::witness_cost(QUANTITY_BITS as usize)
        + multiset::SHARE_COST
}

/// Constraints of `aggregate`: the products' shares `q_p / (z - p)` and one equality.
pub const fn aggregate_cost(shape: Shape) -> usize {
    aggregate::totals_cost(shape.products)
}

/// The aggregation challenge.
pub(super) struct Challenge {
    /// `z = Poseidon(tag, usage_commitment, state_before, state_after)`.
    pub z: FpVar<Fr>,
}

/// The opened usage: the period and the packed records, with the records' summed shares.
pub(super) struct UsageVars {
    /// Period start (day number).
    pub period_start: FpVar<Fr>,
    /// Period end (day number, exclusive).
    pub period_end: FpVar<Fr>,
    /// The records packed four per element, as the usage commitment's body holds them.
    pub packed: Vec<FpVar<Fr>>,
    /// `sum_r qty_r / (z - slot_r)`.
    pub shares: FpVar<Fr>,
}

/// Derives the challenge from the public inputs: the states fix every `q_p = V1_p - V0_p` and
/// the usage commitment every record before `z` is known.
pub(super) fn challenge(
    cs: &ConstraintSystemRef<Fr>,
    public: &PublicVars,
) -> Result<Challenge, SynthesisError> {
    let z = aggregate::challenge(cs, &public.usage, &public.before, &public.after)?;
    Ok(Challenge { z })
}

/// Opens the period and the records: each slot range-checked to `log2 P` bits and each quantity
/// to 47 bits (so that the packing is injective), packed, and each record's share
/// `qty / (z - slot)` summed.
pub(super) fn records(
    cs: &ConstraintSystemRef<Fr>,
    a: &InvoiceAssignment,
    challenge: &Challenge,
) -> Result<UsageVars, SynthesisError> {
    let w = |v: Fr| witness(cs, v);
    let period_start = w(a.period_start)?;
    let period_end = w(a.period_end)?;
    let mut packed = Vec::with_capacity(a.records.len() / RECORDS_PER_ELEMENT);
    let mut shares = FpVar::Constant(Fr::from(0u64));
    for chunk in a.records.chunks(RECORDS_PER_ELEMENT) {
        let mut element = FpVar::Constant(Fr::from(0u64));
        for (i, r) in chunk.iter().enumerate() {
            let (slot, _) = witness_bits(cs, Ok(r.slot), a.shape.slot_bits() as usize)?;
            let (qty, _) = witness_bits(cs, Ok(r.quantity), QUANTITY_BITS as usize)?;
            shares += share(&challenge.z, &slot, &qty)?;
            let word = slot + qty * shift(SLOT_PACK_BITS);
            element += word * shift(RECORD_BITS * i as u32);
        }
        packed.push(element);
    }
    Ok(UsageVars {
        period_start,
        period_end,
        packed,
        shares,
    })
}

/// Enforces that the records' shares sum to `sum_p q_p / (z - p)` for the slots' `totals`.
pub(super) fn aggregate(
    usage: &UsageVars,
    totals: &[FpVar<Fr>],
    challenge: &Challenge,
) -> Result<(), SynthesisError> {
    aggregate::enforce_totals(&usage.shares, totals, &challenge.z)
}
