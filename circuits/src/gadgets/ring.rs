//! The ring masks in-circuit: the twin of [`crate::native::ring`].
//!
//! Costs: [`seed_cost`] (one permutation, the tag a constant) opens the seed's commitment;
//! [`mask_pair_cost`] (one permutation, the tag a constant) derives `(a_i, m_i)`.

use ark_crypto_primitives::sponge::{
    constraints::CryptographicSpongeVar, poseidon::constraints::PoseidonSpongeVar,
};
use ark_r1cs_std::{eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use super::poseidon::{hash, hash_cost};
use crate::{encoding, encoding::tag, native::poseidon, Fr};

/// Constraints of [`enforce_seed`]: one permutation over two inputs (the tag constant) and one
/// equality.
pub const fn seed_cost() -> usize {
    hash_cost(2, 1) + 1
}

/// Constraints of [`mask_pair`]: one permutation over three inputs (the tag constant).
pub const fn mask_pair_cost() -> usize {
    hash_cost(3, 1)
}

/// Enforces that `seed` opens the public `commitment`.
pub fn enforce_seed(
    cs: &ConstraintSystemRef<Fr>,
    seed: &FpVar<Fr>,
    commitment: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    hash(cs, &[FpVar::Constant(encoding::tag_fe(tag::SEED)), seed.clone()])?.enforce_equal(commitment)
}

/// `(a_i, m_i) = Poseidon(MASK, seed, i)` squeezed twice.
pub fn mask_pair(
    cs: &ConstraintSystemRef<Fr>,
    seed: &FpVar<Fr>,
    i: &FpVar<Fr>,
) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    let mut sponge = PoseidonSpongeVar::new(cs.clone(), poseidon::config());
    sponge.absorb(
        &[
            FpVar::Constant(encoding::tag_fe(tag::MASK)),
            seed.clone(),
            i.clone(),
        ]
        .as_slice(),
    )?;
    let mut out = sponge.squeeze_field_elements(2)?;
    let m = out.pop().expect("two squeezed");
    let a = out.pop().expect("two squeezed");
    Ok((a, m))
}

/// Constraints of [`reconcile_masks`]: one permutation over three inputs (the tag constant); the
/// four values fit in one squeeze.
pub const fn reconcile_masks_cost() -> usize {
    hash_cost(3, 1)
}

/// `M_r(i)`, `r` in `0..4`: `Poseidon(RECONCILE_MASK, seed, i)` squeezed four times.
pub fn reconcile_masks(
    cs: &ConstraintSystemRef<Fr>,
    seed: &FpVar<Fr>,
    i: &FpVar<Fr>,
) -> Result<[FpVar<Fr>; 4], SynthesisError> {
    let mut sponge = PoseidonSpongeVar::new(cs.clone(), poseidon::config());
    sponge.absorb(
        &[
            FpVar::Constant(encoding::tag_fe(tag::RECONCILE_MASK)),
            seed.clone(),
            i.clone(),
        ]
        .as_slice(),
    )?;
    let out = sponge.squeeze_field_elements(4)?;
    Ok([out[0].clone(), out[1].clone(), out[2].clone(), out[3].clone()])
}

#[cfg(test)]
mod tests {
    use ark_r1cs_std::GR1CSVar;

    use super::*;
    use crate::{
        gadgets::{count, witness},
        native::ring,
    };

    #[test]
    fn matches_native_and_costs_what_it_says() {
        let seed = Fr::from(99u64);
        let (c, sat) = count(|cs| {
            let s = witness(cs, seed)?;
            let (a, m) = mask_pair(cs, &s, &witness(cs, Fr::from(3u64))?)?;
            assert_eq!((a.value()?, m.value()?), ring::mask_pair(seed, 3));
            Ok(())
        });
        assert_eq!((c, sat), (mask_pair_cost(), true));
        let (c, sat) = count(|cs| {
            let s = witness(cs, seed)?;
            let m = reconcile_masks(cs, &s, &witness(cs, Fr::from(3u64))?)?;
            let values = m.iter().map(|v| v.value()).collect::<Result<Vec<_>, _>>()?;
            assert_eq!(values, ring::reconcile_masks(seed, 3).to_vec());
            Ok(())
        });
        assert_eq!((c, sat), (reconcile_masks_cost(), true));
        let (c, sat) = count(|cs| {
            let s = witness(cs, seed)?;
            enforce_seed(cs, &s, &witness(cs, ring::seed_commitment(seed))?)
        });
        assert_eq!((c, sat), (seed_cost(), true));
        let (_, sat) = count(|cs| {
            let s = witness(cs, seed + Fr::from(1u64))?;
            enforce_seed(cs, &s, &witness(cs, ring::seed_commitment(seed))?)
        });
        assert!(!sat, "another seed does not open the commitment");
    }
}
