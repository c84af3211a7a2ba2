//! One share of the aggregation identity in-circuit: the twin of [`crate::native::multiset`].
//!
//! Cost: [`SHARE_COST`] = 1 constraint: the share `s` is a witness with `s * (z - point) = qty`.
//! The denominator never vanishes because `z` lies above every point (the verifier refuses a
//! smaller `z`), so `s` is determined.

use ark_r1cs_std::{
    alloc::AllocVar,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::SynthesisError;

use crate::Fr;

/// Constraints of [`share`].
pub const SHARE_COST: usize = 1;

/// `qty / (z - point)`, enforced by one multiplication.
pub fn share(z: &FpVar<Fr>, point: &FpVar<Fr>, qty: &FpVar<Fr>) -> Result<FpVar<Fr>, SynthesisError> {
    use ark_ff::Field;
    let d = z - point;
    let value = || -> Result<Fr, SynthesisError> {
        let d = d.value()?;
        Ok(qty.value()? * d.inverse().unwrap_or_default())
    };
    let s = FpVar::new_witness(z.cs().or(qty.cs()), value)?;
    s.mul_equals(&d, qty)?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        gadgets::{count, witness},
        native::multiset,
    };

    #[test]
    fn matches_native_and_costs_one() {
        let z = Fr::from(1u64 << 40) + Fr::from(17u64);
        let (c, sat) = count(|cs| {
            let s = share(
                &witness(cs, z)?,
                &witness(cs, Fr::from(5u64))?,
                &witness(cs, Fr::from(9u64))?,
            )?;
            assert_eq!(s.value()?, multiset::share(z, 5, 9u64));
            Ok(())
        });
        assert_eq!((c, sat), (SHARE_COST, true));
    }
}
