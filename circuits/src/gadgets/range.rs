//! Range checks: `0 <= x < 2^n` by decomposition into `n` boolean witnesses.
//!
//! Cost: [`enforce_bits`] on an existing value, `n + 1` constraints (`n` booleanity constraints
//! and one linear equality); [`witness_bits`], a new value defined as the sum of its bits, `n`.
//! Native twin: `x < 2^n` on integers.

use ark_ff::{BigInteger, PrimeField};
use ark_r1cs_std::{alloc::AllocVar, boolean::Boolean, eq::EqGadget, fields::fp::FpVar, GR1CSVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use crate::Fr;

/// Constraints of [`enforce_bits`] for `n` bits.
pub const fn cost(n: usize) -> usize {
    n + 1
}

/// Enforces `0 <= x < 2^n` and returns the little-endian bits of `x`.
///
/// `n` must be below 254 so that the decomposition is unique. If the witness value does not fit,
/// the low `n` bits are assigned and the constraint system is left unsatisfied.
pub fn enforce_bits(x: &FpVar<Fr>, n: usize) -> Result<Vec<Boolean<Fr>>, SynthesisError> {
    assert!(
        n < Fr::MODULUS_BIT_SIZE as usize,
        "range checks stay below the modulus"
    );
    let cs = x.cs();
    let value = x.value().map(|v| v.into_bigint());
    let bits = (0..n)
        .map(|i| Boolean::new_witness(cs.clone(), || value.map(|v| v.get_bit(i))))
        .collect::<Result<Vec<_>, _>>()?;
    Boolean::le_bits_to_fp(&bits)?.enforce_equal(x)?;
    Ok(bits)
}

/// Constraints of [`witness_bits`] for `n` bits.
pub const fn witness_cost(n: usize) -> usize {
    n
}

/// A new witness `x = sum_i b_i 2^i` of `n` boolean witnesses `b_i`: `0 <= x < 2^n` with no
/// equality, because `x` is that linear combination. Returns `x` and its little-endian bits.
///
/// `value` is read only when witnesses are assigned (not in setup mode). `n` must be below 254.
/// A value that does not fit gets its low `n` bits, so `x` differs from it: a caller that also
/// constrains `x` otherwise is left unsatisfied.
pub fn witness_bits(
    cs: &ConstraintSystemRef<Fr>,
    value: Result<Fr, SynthesisError>,
    n: usize,
) -> Result<(FpVar<Fr>, Vec<Boolean<Fr>>), SynthesisError> {
    assert!(
        n < Fr::MODULUS_BIT_SIZE as usize,
        "range checks stay below the modulus"
    );
    let v = value.map(|v| v.into_bigint());
    let bits = (0..n)
        .map(|i| Boolean::new_witness(cs.clone(), || v.map(|v| v.get_bit(i))))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((Boolean::le_bits_to_fp(&bits)?, bits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gadgets::{count, witness};

    #[test]
    fn counts_and_bounds() {
        for (v, n, ok) in [
            (0u128, 64, true),
            (u64::MAX as u128, 64, true),
            (1u128 << 64, 64, false),
            (5, 3, true),
            (8, 3, false),
        ] {
            let (c, sat) = count(|cs| enforce_bits(&witness(cs, Fr::from(v))?, n));
            assert_eq!(c, cost(n), "cost of {n} bits");
            assert_eq!(sat, ok, "{v} < 2^{n}");
        }
        for (v, n) in [(0u128, 47), ((1 << 47) - 1, 47), (5, 3)] {
            let (c, _) = count(|cs| {
                let (x, bits) = witness_bits(cs, Ok(Fr::from(v)), n)?;
                assert_eq!(x.value()?, Fr::from(v));
                assert_eq!(bits.len(), n);
                Ok(())
            });
            assert_eq!(c, witness_cost(n), "cost of {n} new bits");
        }
        // A value that does not fit keeps its low bits only.
        let (_, sat) = count(|cs| {
            let (x, _) = witness_bits(cs, Ok(Fr::from(9u64)), 3)?;
            x.enforce_equal(&witness(cs, Fr::from(9u64))?)
        });
        assert!(!sat);
        // A negative number (p - 1) is far from any small range.
        let (_, sat) = count(|cs| enforce_bits(&witness(cs, -Fr::from(1u64))?, 64));
        assert!(!sat);
    }
}
