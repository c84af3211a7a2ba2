//! R1CS gadgets: the in-circuit twins of the native arithmetic at the mirrored path
//! (`gadgets/round.rs` mirrors `native/round.rs`, and so on; Poseidon commitments mirror
//! [`crate::commit::commit_fields`]). Each states its constraint count as a `const fn`, and its
//! tests assert that count and compare it with its native twin; `params/costs.csv` records what
//! they add up to in the invoice statement.

pub mod aggregate;
pub mod multiset;
pub mod poseidon;
pub mod range;
pub mod ring;
pub mod round;
pub mod threshold;
pub mod tier;

use ark_r1cs_std::{alloc::AllocVar, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use crate::Fr;

/// Allocates a witness variable holding `v`.
pub fn witness(cs: &ConstraintSystemRef<Fr>, v: Fr) -> Result<FpVar<Fr>, SynthesisError> {
    FpVar::new_witness(cs.clone(), || Ok(v))
}

/// Counts the constraints `f` adds to a fresh constraint system (for the count tests).
#[cfg(test)]
pub(crate) fn count<T>(
    f: impl FnOnce(&ConstraintSystemRef<Fr>) -> Result<T, SynthesisError>,
) -> (usize, bool) {
    let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
    let before = cs.num_constraints();
    f(&cs).expect("synthesises");
    (
        cs.num_constraints() - before,
        cs.is_satisfied().expect("checkable"),
    )
}
