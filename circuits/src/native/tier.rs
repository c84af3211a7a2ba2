//! Tier arithmetic on integers: the native twin of [`crate::gadgets::tier`] (with
//! [`Product::tier_of`], the lookup of a volume's tier).
//!
//! A tier table has thresholds `t_j` and prices `p_j`; the cumulative prices are `C_0 = 0`,
//! `C_j = C_{j-1} + p_{j-1} (t_j - t_{j-1})`, and the graduated price of the first `V` units is
//! `F(V) = C_k + p_k (V - t_k)` for the tier `k` with `t_k <= V < t_{k+1}`.

use crate::model::product::Product;

/// The cumulative prices `C_j` of a tier table (nano-units; below `2^127`).
pub fn cumulative_prices(product: &Product) -> Vec<u128> {
    let mut c = Vec::with_capacity(product.tiers.len());
    let mut acc: u128 = 0;
    for (j, t) in product.tiers.iter().enumerate() {
        if j > 0 {
            let prev = product.tiers[j - 1];
            acc += u128::from(prev.price_nano) * u128::from(t.threshold - prev.threshold);
        }
        c.push(acc);
    }
    c
}

/// `F(V)`: the graduated price of the first `volume` units (`volume < 2^63`).
pub fn graduated_total(product: &Product, volume: u64) -> u128 {
    let Some(k) = product.tier_of(volume) else {
        return 0;
    };
    let t = product.tiers[k];
    cumulative_prices(product)[k] + u128::from(t.price_nano) * u128::from(volume - t.threshold)
}
