//! Aggregation of a period's usage records into per-product totals: the native twin of
//! [`crate::gadgets::aggregate`].
//!
//! Natively the totals are sums. The circuit cannot afford a `P x U` table, so it checks the
//! prover's totals against the records at a random point `z`; [`challenge`] is that point, which
//! anyone holding the public inputs can recompute.

use crate::{encoding, encoding::tag, native::poseidon, Fr};

/// `q_p`: the summed quantity of each of `slots` product slots, from records `(slot, quantity)`.
pub fn totals(records: impl IntoIterator<Item = (usize, u64)>, slots: usize) -> Vec<u128> {
    let mut quantities = vec![0u128; slots];
    for (slot, quantity) in records {
        quantities[slot] += u128::from(quantity);
    }
    quantities
}

/// The aggregation challenge `z = Poseidon(tag, usage_commitment, state_before, state_after)`.
pub fn challenge(usage: Fr, before: Fr, after: Fr) -> Fr {
    poseidon::hash(&[encoding::tag_fe(tag::AGGREGATE), usage, before, after])
}
