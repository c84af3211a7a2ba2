//! Record and product shares of the aggregation identity: the native twin of
//! [`crate::gadgets::multiset`].
//!
//! A partitioned invoice shows that its records sum to the products' quantities with the
//! logarithmic-derivative identity `Σ_r qty_r / (z - slot_r) = Σ_p q_p / (z - p)` at a random
//! `z` above every slot. As rational functions in `z` both sides are equal exactly when, for every
//! point, the records' quantities there sum to that product's quantity (and to zero off the
//! products); the sums stay far below the modulus, so equal field elements are equal integers.
//! By Schwartz-Zippel a wrong total passes with probability at most `(U + P) / |Fr|`.

use ark_ff::Field;

use crate::Fr;

/// `qty / (z - point)`; `z` is above every point, so the denominator never vanishes.
pub fn share(z: Fr, point: u64, qty: impl Into<u128>) -> Fr {
    let d = z - Fr::from(point);
    Fr::from(qty.into()) * d.inverse().expect("z lies above every slot")
}
