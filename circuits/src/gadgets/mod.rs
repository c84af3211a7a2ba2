//! R1CS gadgets, each beside the native function it mirrors, with its constraint count
//! documented and asserted in its tests.

pub mod aggregate;
pub mod poseidon;
pub mod range;
pub mod round;
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
