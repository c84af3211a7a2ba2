//! Dispute thresholds in-circuit, the twin of [`crate::native::threshold`]: whether two amounts
//! differ by more than a threshold allows.
//!
//! Costs: [`le_cost`] for `x <= y` on values below `2^n` (`n + 2`: a boolean, `n` bits of the
//! difference, one product); [`threshold_cost`] to allocate a threshold `(flags, amount, share)`
//! with its ranges (2 + 64 + 20); [`over_cost`] for the verdict on two amounts below `2^n`.

use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use super::{range, round::fe_to_u128};
use crate::{money::PPM, Fr};

/// Bits of a threshold's share in ppm (at most `10^6 < 2^20`).
pub const SHARE_BITS: usize = 20;
/// Bits of a threshold's amount (minor units below `2^64`).
pub const AMOUNT_BITS: usize = 64;

/// Constraints of [`le`] on values below `2^n`.
pub const fn le_cost(n: usize) -> usize {
    n + 2
}

/// `x <= y` for `x, y < 2^n` (the caller guarantees the bounds): a boolean `b` and the difference
/// `y - x` (if `b`) or `x - y - 1` (if not), range-checked to `n` bits, so that the wrong `b`
/// leaves a negative difference that no `n` bits give. Returns `b` and that difference.
pub fn le(
    cs: &ConstraintSystemRef<Fr>,
    x: &FpVar<Fr>,
    y: &FpVar<Fr>,
    n: usize,
) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    let values = x.value().and_then(|x| Ok((x, y.value()?)));
    let is_le = values.map(|(x, y)| match (fe_to_u128(x), fe_to_u128(y)) {
        (Some(x), Some(y)) => x <= y,
        _ => false,
    });
    let b = FpVar::from(Boolean::new_witness(cs.clone(), || is_le)?);
    let diff_value = values.and_then(|(x, y)| Ok(if is_le? { y - x } else { x - y - Fr::from(1u64) }));
    let (diff, _) = range::witness_bits(cs, diff_value, n)?;
    // diff = b * (y - x) + (1 - b) * (x - y - 1) = b * (2(y - x) + 1) + x - y - 1
    let slope = (y - x).double()? + Fr::from(1u64);
    b.mul_equals(&slope, &(&diff - x + y + Fr::from(1u64)))?;
    Ok((b, diff))
}

/// A threshold in-circuit: its flags' bits (an amount, a share), the amount and the share.
pub struct ThresholdVar {
    /// Bit 0 of the flags: an amount is set.
    pub has_amount: FpVar<Fr>,
    /// Bit 1 of the flags: a share is set.
    pub has_share: FpVar<Fr>,
    /// The amount (minor units).
    pub amount: FpVar<Fr>,
    /// The share (ppm).
    pub share: FpVar<Fr>,
    /// The three fields as they are committed: `(flags, amount, share)`.
    pub fields: [FpVar<Fr>; 3],
}

/// Constraints of [`threshold`].
pub const fn threshold_cost() -> usize {
    range::witness_cost(2) + range::witness_cost(AMOUNT_BITS) + range::witness_cost(SHARE_BITS)
}

/// Allocates a threshold's committed fields `(flags, amount, share)`, each as the sum of its bits:
/// flags below 4, the amount below `2^64`, the share below `2^20`.
pub fn threshold(cs: &ConstraintSystemRef<Fr>, fields: [Fr; 3]) -> Result<ThresholdVar, SynthesisError> {
    let (flags, bits) = range::witness_bits(cs, Ok(fields[0]), 2)?;
    let (amount, _) = range::witness_bits(cs, Ok(fields[1]), AMOUNT_BITS)?;
    let (share, _) = range::witness_bits(cs, Ok(fields[2]), SHARE_BITS)?;
    Ok(ThresholdVar {
        has_amount: bits[0].clone().into(),
        has_share: bits[1].clone().into(),
        amount: amount.clone(),
        share: share.clone(),
        fields: [flags, amount, share],
    })
}

/// Constraints of [`over`] on amounts below `2^n` (`n >= 64`): `|a - b|` and `max(a, b)` (one
/// comparison, one selection), the two limits' comparisons, the share's product and the logic (5).
pub const fn over_cost(n: usize) -> usize {
    le_cost(n) + 1 + le_cost(n) + 1 + le_cost(n + SHARE_BITS) + 5
}

/// Whether amounts `a` and `b` (each below `2^n`, `n >= 64`; the caller guarantees it) are over the
/// threshold `t`: `t` sets a limit and `|a - b|` is neither at most its amount nor at most its share
/// of `max(a, b)`. Returns a boolean as a field element (0 or 1).
pub fn over(
    cs: &ConstraintSystemRef<Fr>,
    a: &FpVar<Fr>,
    b: &FpVar<Fr>,
    t: &ThresholdVar,
    n: usize,
) -> Result<FpVar<Fr>, SynthesisError> {
    let one = || FpVar::Constant(Fr::from(1u64));
    let (a_le_b, diff) = le(cs, a, b, n)?;
    // |a - b|: b - a if a <= b, else (a - b - 1) + 1.
    let d = &diff + one() - &a_le_b;
    let reference = &a_le_b * (b - a) + a;
    let (by_amount, _) = le(cs, &d, &t.amount, n)?;
    let scaled = &d * Fr::from(PPM);
    let limit = &t.share * &reference;
    let (by_share, _) = le(cs, &scaled, &limit, n + SHARE_BITS)?;
    let x = &t.has_amount * &by_amount;
    let y = &t.has_share * &by_share;
    let within = &x + &y - &x * &y;
    let set = &t.has_amount + &t.has_share - &t.has_amount * &t.has_share;
    Ok(set * (one() - within))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        gadgets::{count, witness},
        model::msa::Threshold,
        native,
    };

    fn fields(t: Option<Threshold>) -> [Fr; 3] {
        let t = t.unwrap_or_default();
        let flags = u64::from(t.amount_minor.is_some()) | (u64::from(t.share_ppm.is_some()) << 1);
        [
            Fr::from(flags),
            Fr::from(t.amount_minor.unwrap_or(0)),
            Fr::from(t.share_ppm.unwrap_or(0)),
        ]
    }

    #[test]
    fn le_counts_and_refuses_the_wrong_answer() {
        for (x, y) in [
            (0u64, 0u64),
            (3, 5),
            (5, 3),
            (u64::MAX, u64::MAX),
            (0, u64::MAX),
            (u64::MAX, 0),
        ] {
            let (c, sat) = count(|cs| {
                let (b, _) = le(cs, &witness(cs, Fr::from(x))?, &witness(cs, Fr::from(y))?, 64)?;
                assert_eq!(b.value()?, Fr::from(u64::from(x <= y)));
                Ok(())
            });
            assert!(sat, "{x} <= {y}");
            assert_eq!(c, le_cost(64));
        }
    }

    #[test]
    fn over_matches_native_and_costs_what_it_says() {
        let ts = [
            None,
            Some(Threshold {
                amount_minor: Some(500),
                share_ppm: None,
            }),
            Some(Threshold {
                amount_minor: None,
                share_ppm: Some(10_000),
            }),
            Some(Threshold {
                amount_minor: Some(500),
                share_ppm: Some(10_000),
            }),
            Some(Threshold {
                amount_minor: Some(0),
                share_ppm: Some(1_000_000),
            }),
        ];
        let pairs = [
            (0u64, 0u64),
            (1000, 1500),
            (1000, 1501),
            (1501, 1000),
            (50_100, 49_600),
            (90_000, 89_099),
            (90_000, 89_100),
            (u64::MAX, 0),
            (u64::MAX, u64::MAX - 1),
        ];
        for t in ts {
            for (a, b) in pairs {
                let want = native::threshold::over(a.into(), b.into(), t);
                let (c, sat) = count(|cs| {
                    let tv = threshold(cs, fields(t))?;
                    let got = over(
                        cs,
                        &witness(cs, Fr::from(a))?,
                        &witness(cs, Fr::from(b))?,
                        &tv,
                        64,
                    )?;
                    assert_eq!(got.value()?, Fr::from(u64::from(want)), "{t:?} {a} {b}");
                    Ok(())
                });
                assert!(sat, "{t:?} {a} {b}");
                assert_eq!(c, threshold_cost() + over_cost(64));
            }
        }
    }
}
