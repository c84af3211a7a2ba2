//! Tier lookup: the twin of [`crate::model::msa::Product::tier_of`] and
//! [`crate::native::tier::graduated_total`]; cumulative prices: the twin of
//! [`crate::native::tier::cumulative_prices`].
//!
//! A tier table has `T` thresholds `t_j`, prices `p_j` and cumulative prices `C_j` (witnesses
//! checked by [`enforce_cumulative`]); the upper bound of the last tier is `2^63`. A lookup of a
//! volume `V` selects the tier `k` with `t_k <= V < t_{k+1}` by a one-hot selector, proven by
//! range checks of `V - t_k` and `t_{k+1} - 1 - V` at 63 bits (both lie below `2^63`, since
//! `0 <= t_k <= V < t_{k+1} <= 2^63`), and returns `p_k` and
//! `F(V) = C_k + p_k (V - t_k)`.
//!
//! Costs: [`cumulative_cost`]`(T) = T`; [`lookup_cost`]`(T) = 5T + 129` (`T` booleans, their
//! sum, `4T - 1` selections, two 63-bit range checks, one product).

use ark_r1cs_std::{
    alloc::AllocVar, boolean::Boolean, eq::EqGadget, fields::fp::FpVar, fields::FieldVar, GR1CSVar,
};
use ark_relations::gr1cs::SynthesisError;

use super::{
    range::{self, enforce_bits},
    round::fe_to_u128,
};
use crate::{
    encoding::{shift, PAD_THRESHOLD, VOLUMES_PER_ELEMENT, VOLUME_PACK_BITS},
    Fr,
};

/// Bits of a cumulative volume, and of each lookup's range check: volumes lie below `2^63`.
pub const VOLUME_BITS: usize = 63;

/// A product's tier table in-circuit.
#[derive(Clone)]
pub struct TierTableVar {
    /// Thresholds `t_0 .. t_{T-1}`.
    pub thresholds: Vec<FpVar<Fr>>,
    /// Prices `p_0 .. p_{T-1}` in nano-units.
    pub prices: Vec<FpVar<Fr>>,
    /// Cumulative prices `C_0 .. C_{T-1}`.
    pub cumulative: Vec<FpVar<Fr>>,
}

/// Constraints of [`enforce_cumulative`].
pub const fn cumulative_cost(tiers: usize) -> usize {
    tiers
}

/// Constraints of [`lookup`].
pub const fn lookup_cost(tiers: usize) -> usize {
    tiers + 1 + (4 * tiers - 1) + 2 * range::cost(VOLUME_BITS) + 1
}

/// Enforces `C_0 = 0` and `C_j = C_{j-1} + p_{j-1} (t_j - t_{j-1})`.
pub fn enforce_cumulative(t: &TierTableVar) -> Result<(), SynthesisError> {
    t.cumulative[0].enforce_equal(&FpVar::Constant(Fr::from(0u64)))?;
    for j in 1..t.thresholds.len() {
        t.prices[j - 1].mul_equals(
            &(&t.thresholds[j] - &t.thresholds[j - 1]),
            &(&t.cumulative[j] - &t.cumulative[j - 1]),
        )?;
    }
    Ok(())
}

/// Looks up `volume` in the table: returns `(p_k, F(volume))` for the tier `k` it falls in.
pub fn lookup(t: &TierTableVar, volume: &FpVar<Fr>) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    let n = t.thresholds.len();
    let cs = volume.cs();
    // The tier from the values; an out-of-range volume selects tier 0 and fails the range checks.
    let k = (|| -> Result<usize, SynthesisError> {
        let v = fe_to_u128(volume.value()?);
        let mut k = 0;
        for (j, th) in t.thresholds.iter().enumerate() {
            if let (Some(v), Some(th)) = (v, fe_to_u128(th.value()?)) {
                if th <= v {
                    k = j;
                }
            }
        }
        Ok(k)
    })();
    let selector = (0..n)
        .map(|j| Boolean::new_witness(cs.clone(), || k.as_ref().map(|&k| k == j).map_err(|e| *e)))
        .collect::<Result<Vec<_>, _>>()?;
    let sum: FpVar<Fr> = selector.iter().map(|s| FpVar::from(s.clone())).sum();
    sum.enforce_equal(&FpVar::Constant(Fr::from(1u64)))?;
    let pick = |v: &[FpVar<Fr>]| -> FpVar<Fr> {
        selector
            .iter()
            .zip(v)
            .map(|(s, x)| FpVar::from(s.clone()) * x)
            .sum()
    };
    let mut next: Vec<FpVar<Fr>> = t.thresholds[1..].to_vec();
    next.push(FpVar::Constant(Fr::from(PAD_THRESHOLD)));
    let (lo, hi) = (pick(&t.thresholds), pick(&next));
    let (price, base) = (pick(&t.prices), pick(&t.cumulative));
    let offset = volume - &lo;
    enforce_bits(&offset, VOLUME_BITS)?;
    enforce_bits(&(hi - volume - Fr::from(1u64)), VOLUME_BITS)?;
    let total = base + &price * &offset;
    Ok((price, total))
}

/// Volumes packed four per element as [`crate::encoding::pack_volumes`] packs them: free (linear
/// combinations). Injective only for volumes below `2^63`: pack only volumes that [`lookup`] has
/// bounded.
pub fn pack_volumes(volumes: &[FpVar<Fr>]) -> Vec<FpVar<Fr>> {
    volumes
        .chunks(VOLUMES_PER_ELEMENT)
        .map(|group| {
            let mut acc = FpVar::Constant(Fr::from(0u64));
            for (i, v) in group.iter().enumerate() {
                acc += v * shift(VOLUME_PACK_BITS * i as u32);
            }
            acc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        gadgets::{count, witness},
        model::msa::{PricingModel, Product, Tier},
        native::tier::{cumulative_prices, graduated_total},
    };

    fn product(tiers: &[(u64, u64)]) -> Product {
        Product {
            id: "p".into(),
            name: "p".into(),
            unit: "u".into(),
            model: PricingModel::Graduated,
            tiers: tiers
                .iter()
                .map(|&(threshold, price_nano)| Tier {
                    threshold,
                    price_nano,
                })
                .collect(),
            recurring: None,
            order_reference: "o".into(),
        }
    }

    fn table(
        cs: &ark_relations::gr1cs::ConstraintSystemRef<Fr>,
        p: &Product,
        n: usize,
        cumulative: &[u128],
    ) -> TierTableVar {
        let th = (0..n).map(|j| p.tiers.get(j).map_or(PAD_THRESHOLD, |t| t.threshold));
        let pr = (0..n).map(|j| p.tiers.get(j).map_or(0, |t| t.price_nano));
        TierTableVar {
            thresholds: th.map(|v| witness(cs, Fr::from(v)).unwrap()).collect(),
            prices: pr.map(|v| witness(cs, Fr::from(v)).unwrap()).collect(),
            cumulative: cumulative
                .iter()
                .map(|&c| witness(cs, Fr::from(c)).unwrap())
                .collect(),
        }
    }

    fn padded_cumulative(p: &Product, n: usize) -> Vec<u128> {
        let mut c = cumulative_prices(p);
        let last = *p.tiers.last().unwrap();
        let top = c[c.len() - 1] + u128::from(last.price_nano) * u128::from(PAD_THRESHOLD - last.threshold);
        c.resize(n, top);
        c
    }

    #[test]
    fn lookup_matches_the_rater_and_costs_what_it_says() {
        let p = product(&[(0, 20), (100, 15), (500, 10)]);
        let n = 4;
        for v in [0u64, 1, 99, 100, 101, 499, 500, 10_000, PAD_THRESHOLD - 1] {
            let (c, sat) = count(|cs| {
                let t = table(cs, &p, n, &padded_cumulative(&p, n));
                enforce_cumulative(&t)?;
                let (price, total) = lookup(&t, &witness(cs, Fr::from(v))?)?;
                assert_eq!(
                    price.value()?,
                    Fr::from(p.tiers[p.tier_of(v).unwrap()].price_nano)
                );
                assert_eq!(total.value()?, Fr::from(graduated_total(&p, v)));
                Ok(())
            });
            assert!(sat, "volume {v}");
            assert_eq!(c, cumulative_cost(n) + lookup_cost(n));
        }
    }

    #[test]
    fn out_of_range_volumes_and_wrong_cumulative_prices_are_refused() {
        let p = product(&[(0, 20), (100, 15)]);
        let n = 4;
        for v in [Fr::from(PAD_THRESHOLD), -Fr::from(1u64)] {
            let (_, sat) = count(|cs| lookup(&table(cs, &p, n, &padded_cumulative(&p, n)), &witness(cs, v)?));
            assert!(!sat);
        }
        let mut wrong = padded_cumulative(&p, n);
        wrong[1] += 1;
        let (_, sat) = count(|cs| enforce_cumulative(&table(cs, &p, n, &wrong)));
        assert!(!sat);
    }

    #[test]
    fn a_wrong_tier_cannot_be_selected() {
        // Force the selector to tier 0 for a volume in tier 1: the upper range check fails.
        let p = product(&[(0, 20), (100, 15)]);
        let cs = ark_relations::gr1cs::ConstraintSystem::<Fr>::new_ref();
        let t = table(&cs, &p, 2, &padded_cumulative(&p, 2));
        let v = witness(&cs, Fr::from(150u64)).unwrap();
        let hi = &t.thresholds[1];
        enforce_bits(&(hi - &v - Fr::from(1u64)), VOLUME_BITS).unwrap();
        assert!(!cs.is_satisfied().unwrap());
    }
}
