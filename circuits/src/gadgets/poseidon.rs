//! The Poseidon sponge and commitments in-circuit: the twins of [`crate::native::poseidon::hash`] and
//! [`crate::commit::commit_fields`].
//!
//! Cost: [`PERMUTATION_COST`] constraints per permutation; absorbing `n` elements and squeezing
//! one costs `ceil(n / 4)` permutations, less 3 constraints for each S-box of the first round
//! that acts on a constant (the capacity, constant inputs such as tags, and the zeros of a
//! partly filled first block): [`hash_cost`]. Linear combinations (packed values, sums) are
//! absorbed for free.

use ark_crypto_primitives::sponge::{
    constraints::CryptographicSpongeVar, poseidon::constraints::PoseidonSpongeVar,
};
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use crate::{encoding, native::poseidon, Fr};

/// Constraints of one width-9 permutation: 3 per S-box, 9 S-boxes in each of 8 full rounds and
/// one in each of 63 partial rounds (405).
pub const PERMUTATION_COST: usize =
    3 * (poseidon::FULL_ROUNDS * (poseidon::RATE + poseidon::CAPACITY) + poseidon::PARTIAL_ROUNDS);

/// Constraints of [`hash`] over `n >= 1` elements of which the first `constants` are constants.
pub const fn hash_cost(n: usize, constants: usize) -> usize {
    let first_block = if n < poseidon::RATE { n } else { poseidon::RATE };
    let constant_sboxes = poseidon::CAPACITY + (poseidon::RATE - first_block) + constants;
    n.div_ceil(poseidon::RATE) * PERMUTATION_COST - 3 * constant_sboxes
}

/// Constraints of [`commit`] over a body of `n` variables (tag and length are constants).
pub const fn commit_cost(n: usize) -> usize {
    hash_cost(n + 3, 2)
}

/// Absorbs `inputs` into a fresh sponge and squeezes one element.
pub fn hash(cs: &ConstraintSystemRef<Fr>, inputs: &[FpVar<Fr>]) -> Result<FpVar<Fr>, SynthesisError> {
    let mut sponge = PoseidonSpongeVar::new(cs.clone(), poseidon::config());
    sponge.absorb(&inputs)?;
    Ok(sponge.squeeze_field_elements(1)?.remove(0))
}

/// `Poseidon(tag, len(body), body, salt)`.
pub fn commit(
    cs: &ConstraintSystemRef<Fr>,
    tag: &str,
    body: &[FpVar<Fr>],
    salt: &FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    let mut input = Vec::with_capacity(body.len() + 3);
    input.push(FpVar::Constant(encoding::tag_fe(tag)));
    input.push(FpVar::Constant(encoding::int_fe(body.len() as u64)));
    input.extend_from_slice(body);
    input.push(salt.clone());
    hash(cs, &input)
}

#[cfg(test)]
mod tests {
    use ark_r1cs_std::GR1CSVar;

    use super::*;
    use crate::{
        commit::{commit_fields, Salt},
        gadgets::{count, witness},
    };

    #[test]
    fn matches_native_and_costs_what_it_says() {
        for n in [1usize, 3, 4, 5, 8, 9, 20, 61] {
            let values: Vec<Fr> = (0..n as u64).map(|i| Fr::from(i * 7 + 1)).collect();
            let (c, sat) = count(|cs| {
                let vars = values
                    .iter()
                    .map(|v| witness(cs, *v))
                    .collect::<Result<Vec<_>, _>>()?;
                let h = hash(cs, &vars)?;
                assert_eq!(h.value()?, poseidon::hash(&values));
                Ok(())
            });
            assert!(sat);
            assert_eq!(c, hash_cost(n, 0), "hash of {n}");
        }
        assert_eq!(PERMUTATION_COST, 405);
        let salt = Salt::random(&mut rand::thread_rng());
        let body = [Fr::from(3u64), Fr::from(4u64)];
        let (c, _) = count(|cs| {
            let vars = body
                .iter()
                .map(|v| witness(cs, *v))
                .collect::<Result<Vec<_>, _>>()?;
            let got = commit(cs, "zkinvoice/test", &vars, &witness(cs, salt.to_fe())?)?;
            assert_eq!(got.value()?, commit_fields("zkinvoice/test", &body, &salt).0);
            Ok(())
        });
        assert_eq!(c, commit_cost(2));
    }
}
