//! Half-up rounding of a division: the twin of [`crate::native::round::round_half_up_div`].
//!
//! `q = round_half_up(x / d) = floor((2x + d) / 2d)` is proven by the quotient and remainder:
//! `2x + d = 2d * q + r` with `0 <= q < 2^64` and `0 <= r < 2d`. For `d < 2^b` the remainder
//! bounds are range checks of `b + 1` bits on `r` and on `2d - 1 - r`; `q` and `r` are new
//! witnesses defined as the sums of their bits, so only `2d - 1 - r` needs an equality.
//!
//! Cost: [`cost`]`(b) = 1 + 64 + (b + 1) + (b + 2)` constraints (128 for line amounts, `b = 30`;
//! 108 for tax, `b = 20`).

use ark_ff::AdditiveGroup;
use ark_r1cs_std::{fields::fp::FpVar, fields::FieldVar, GR1CSVar};
use ark_relations::gr1cs::SynthesisError;

use super::range::{self, enforce_bits, witness_bits};
use crate::{native::round::round_half_up_div, Fr};

/// Bits of the largest line divisor `10^9`.
pub const LINE_DIVISOR_BITS: usize = 30;
/// Bits of the tax divisor `10^6`.
pub const TAX_DIVISOR_BITS: usize = 20;

/// Constraints of [`round_half_up`] with a divisor below `2^divisor_bits`.
pub const fn cost(divisor_bits: usize) -> usize {
    1 + range::witness_cost(64) + range::witness_cost(divisor_bits + 1) + range::cost(divisor_bits + 1)
}

/// Converts a field element to `u128` if it fits.
pub fn fe_to_u128(v: Fr) -> Option<u128> {
    use ark_ff::{BigInteger, PrimeField};
    let b = v.into_bigint();
    let limbs = b.as_ref();
    (limbs[2] == 0 && limbs[3] == 0 && b.num_bits() <= 128)
        .then(|| u128::from(limbs[0]) | (u128::from(limbs[1]) << 64))
}

/// Returns `q = round_half_up(x / d)` and enforces it, for `0 < d < 2^divisor_bits`, `q < 2^64`.
///
/// `d` may be a constant or a variable; the caller guarantees its bound.
pub fn round_half_up(x: &FpVar<Fr>, d: &FpVar<Fr>, divisor_bits: usize) -> Result<FpVar<Fr>, SynthesisError> {
    let cs = x.cs().or(d.cs());
    // The quotient from the values; out-of-range values get a quotient that fails the checks.
    let q_value = || -> Result<Fr, SynthesisError> {
        let (x, d) = (x.value()?, d.value()?);
        Ok(match (fe_to_u128(x), fe_to_u128(d)) {
            (Some(x), Some(d)) if d > 0 => Fr::from(round_half_up_div(x, d)),
            _ => Fr::from(0u64),
        })
    };
    let (q, _) = witness_bits(&cs, q_value(), 64)?;
    let two_d = d.double()?;
    let r_value = || -> Result<Fr, SynthesisError> {
        let (x, d, q) = (x.value()?, d.value()?, q.value()?);
        Ok(x.double() + d - d.double() * q)
    };
    let (r, _) = witness_bits(&cs, r_value(), divisor_bits + 1)?;
    enforce_bits(&(&two_d - &r - Fr::from(1u64)), divisor_bits + 1)?;
    q.mul_equals(&two_d, &(x.double()? + d - &r))?;
    Ok(q)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gadgets::{count, witness};

    #[test]
    fn matches_native_at_the_boundaries_and_costs_what_it_says() {
        for (x, d) in [
            (0u128, 7u128),
            (14, 10),
            (15, 10),
            (16, 10),
            (4_999_999, 10_000_000),
            (5_000_000, 10_000_000),
            (1u128 << 100, 1_000_000_000),
        ] {
            for constant in [false, true] {
                let (c, sat) = count(|cs| {
                    let dv = if constant {
                        FpVar::Constant(Fr::from(d))
                    } else {
                        witness(cs, Fr::from(d))?
                    };
                    let q = round_half_up(&witness(cs, Fr::from(x))?, &dv, LINE_DIVISOR_BITS)?;
                    let want = round_half_up_div(x, d);
                    if want < 1 << 64 {
                        assert_eq!(q.value()?, Fr::from(want), "{x} / {d}");
                    }
                    Ok(())
                });
                assert_eq!(c, cost(LINE_DIVISOR_BITS));
                assert_eq!(sat, round_half_up_div(x, d) < 1 << 64, "{x} / {d}");
            }
        }
    }

    #[test]
    fn a_wrong_quotient_is_refused() {
        // Prove 15/10 rounds to 1 (it rounds to 2): no remainder in range exists.
        let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
        let x = witness(&cs, Fr::from(15u64)).unwrap();
        let d = FpVar::Constant(Fr::from(10u64));
        let q = witness(&cs, Fr::from(1u64)).unwrap();
        let r = witness(&cs, Fr::from(30u64 + 10 - 20)).unwrap();
        enforce_bits(&r, 5).unwrap();
        enforce_bits(&(d.double().unwrap() - &r - Fr::from(1u64)), 5).unwrap();
        q.mul_equals(&d.double().unwrap(), &(x.double().unwrap() + &d - &r))
            .unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }
}
