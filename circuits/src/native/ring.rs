//! The ring masks of a partitioned invoice: the native twin of [`crate::gadgets::ring`].
//!
//! Every partition publishes a share `x_i + mask_i` of a sum that must vanish (`docs/protocol.md`,
//! "Partitioned invoices"). Member `i` of a ring of `n` derives `mask_i = a_i - a_{(i+1) mod n}`
//! from one secret seed, `(a_i, m_i) = Poseidon(MASK, seed, i)` squeezed twice (`a` for the
//! aggregation ring, `m` for the subtotal ring), so the masks of a ring sum to zero while each
//! share, and each proper subset of shares, stays pseudo-random. The seed is fixed by its
//! commitment [`seed_commitment`], a public input of every partition.

use ark_crypto_primitives::sponge::{
    poseidon::PoseidonSponge, CryptographicSponge, FieldBasedCryptographicSponge,
};

use crate::{encoding, encoding::tag, native::poseidon, Fr};

/// `Poseidon(SEED, seed)`: the seed's commitment (the seed is a fresh 248-bit secret).
pub fn seed_commitment(seed: Fr) -> Fr {
    poseidon::hash(&[encoding::tag_fe(tag::SEED), seed])
}

/// `(a_i, m_i)`: member `i`'s pseudo-random values for the aggregation and the subtotal ring.
pub fn mask_pair(seed: Fr, i: u64) -> (Fr, Fr) {
    let mut sponge = PoseidonSponge::new(poseidon::config());
    sponge.absorb(&[encoding::tag_fe(tag::MASK), seed, Fr::from(i)].as_slice());
    let out = sponge.squeeze_native_field_elements(2);
    (out[0], out[1])
}

/// The four values `M_r(i)` of member `i` of the rings of a reconciliation of partitioned
/// invoices: `Poseidon(RECONCILE_MASK, seed, i)` squeezed four times (a tag of their own, so that
/// they are independent of an invoice's masks even under the same seed).
pub fn reconcile_masks(seed: Fr, i: u64) -> [Fr; 4] {
    let mut sponge = PoseidonSponge::new(poseidon::config());
    sponge.absorb(&[encoding::tag_fe(tag::RECONCILE_MASK), seed, Fr::from(i)].as_slice());
    let out = sponge.squeeze_native_field_elements(4);
    [out[0], out[1], out[2], out[3]]
}

/// The aggregation ring's mask of member `i` of `n`.
pub fn aggregation_mask(seed: Fr, i: u64, n: u64) -> Fr {
    mask_pair(seed, i).0 - mask_pair(seed, (i + 1) % n).0
}

/// The subtotal ring's mask of member `i` of `n`.
pub fn subtotal_mask(seed: Fr, i: u64, n: u64) -> Fr {
    mask_pair(seed, i).1 - mask_pair(seed, (i + 1) % n).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_of_a_ring_cancel() {
        let seed = Fr::from(12345u64);
        for n in [1u64, 2, 5] {
            let a: Fr = (0..n).map(|i| aggregation_mask(seed, i, n)).sum();
            let m: Fr = (0..n).map(|i| subtotal_mask(seed, i, n)).sum();
            assert_eq!((a, m), (Fr::from(0u64), Fr::from(0u64)), "ring of {n}");
        }
        // A proper subset does not cancel.
        assert_ne!(
            aggregation_mask(seed, 0, 3) + aggregation_mask(seed, 1, 3),
            Fr::from(0u64)
        );
        assert_ne!(mask_pair(seed, 0), mask_pair(Fr::from(1u64), 0));
    }
}
