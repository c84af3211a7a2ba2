//! The Poseidon sponge used by every commitment and identifier hash.
//!
//! Parameters: BLS12-381 scalar field, width 9 (rate 8, capacity 1), S-box `x^5`, 8 full and 63
//! partial rounds, round constants and MDS matrix from the Grain LFSR
//! (`find_poseidon_ark_and_mds`).
//!
//! The round numbers are the Poseidon paper's 128-bit choice for `t = 9` over a 255-bit field
//! (its table of instances, also circomlib's): the paper's round-number script, with the
//! Groebner-basis bound added after eprint 2023/537, asks for 8 full and 57 partial rounds
//! including its security margin, so 63 keeps six more. `docs/protocol.md` ("Poseidon") explains
//! why this wider instance: commitments absorb long vectors, and a width-9 permutation costs 405
//! constraints for 8 elements (about 51 each) where width 5 cost 300 for 4 (75 each).

use std::sync::LazyLock;

use ark_crypto_primitives::sponge::{
    poseidon::{find_poseidon_ark_and_mds, PoseidonConfig, PoseidonSponge},
    CryptographicSponge, FieldBasedCryptographicSponge,
};
use ark_ff::PrimeField;

use crate::Fr;

/// Field elements absorbed per permutation.
pub const RATE: usize = 8;
/// Capacity of the sponge, in field elements.
pub const CAPACITY: usize = 1;
/// Full rounds.
pub const FULL_ROUNDS: usize = 8;
/// Partial rounds.
pub const PARTIAL_ROUNDS: usize = 63;
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
