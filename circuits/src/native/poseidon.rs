//! The Poseidon sponge used by every commitment and identifier hash.
//!
//! Parameters: BLS12-381 scalar field, width 5 (rate 4, capacity 1), S-box `x^5`, 8 full and 60
//! partial rounds (the Poseidon paper's 128-bit choice for `t = 5` over a 255-bit field), round
//! constants and MDS matrix from the Grain LFSR (`find_poseidon_ark_and_mds`).
//!
//! `docs/protocol.md` allows this wider instance instead of the width-3 one because commitments
//! absorb long vectors: it costs fewer constraints per absorbed element (see the constraint-count
//! test of the in-circuit twin).

use std::sync::LazyLock;

use ark_crypto_primitives::sponge::{
    poseidon::{find_poseidon_ark_and_mds, PoseidonConfig, PoseidonSponge},
    CryptographicSponge, FieldBasedCryptographicSponge,
};
use ark_ff::PrimeField;

use crate::Fr;

/// Field elements absorbed per permutation.
pub const RATE: usize = 4;
/// Capacity of the sponge, in field elements.
pub const CAPACITY: usize = 1;
/// Full rounds.
pub const FULL_ROUNDS: usize = 8;
/// Partial rounds.
pub const PARTIAL_ROUNDS: usize = 60;
/// S-box exponent.
pub const ALPHA: u64 = 5;

static CONFIG: LazyLock<PoseidonConfig<Fr>> = LazyLock::new(|| {
    let (ark, mds) = find_poseidon_ark_and_mds::<Fr>(
        u64::from(Fr::MODULUS_BIT_SIZE),
        RATE,
        FULL_ROUNDS as u64,
        PARTIAL_ROUNDS as u64,
        0,
    );
    PoseidonConfig::new(FULL_ROUNDS, PARTIAL_ROUNDS, ALPHA, mds, ark, RATE, CAPACITY)
});

/// The Poseidon configuration shared by the native code and the circuits.
pub fn config() -> &'static PoseidonConfig<Fr> {
    &CONFIG
}

/// Absorbs `inputs` into a fresh sponge and squeezes one field element.
///
/// Not injective across lengths: trailing zeros absorb to the same state. Every caller therefore
/// absorbs a length (and a domain tag) first.
pub fn hash(inputs: &[Fr]) -> Fr {
    let mut sponge = PoseidonSponge::new(config());
    sponge.absorb(&inputs);
    sponge.squeeze_native_field_elements(1)[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_deterministic_and_input_sensitive() {
        let a = hash(&[Fr::from(1u64), Fr::from(2u64)]);
        assert_eq!(a, hash(&[Fr::from(1u64), Fr::from(2u64)]));
        assert_ne!(a, hash(&[Fr::from(2u64), Fr::from(1u64)]));
        // Trailing zeros do not change the sponge state: callers prefix a length.
        assert_eq!(a, hash(&[Fr::from(1u64), Fr::from(2u64), Fr::from(0u64)]));
    }
}
