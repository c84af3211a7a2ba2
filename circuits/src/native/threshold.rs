//! Dispute thresholds (the twin of [`crate::gadgets::threshold`]): whether two parties' amounts
//! differ by more than a threshold allows.

use crate::model::msa::Threshold;

/// Whether amounts `a` and `b` (minor units) are **over** `threshold`: a threshold is set and
/// `|a - b|` is not within it ([`Threshold::tolerates`]) on the reference amount `max(a, b)`. No
/// threshold (`None`, or one with neither limit) is never over: that level is not checked.
pub fn over(a: u128, b: u128, threshold: Option<Threshold>) -> bool {
    let Some(t) = threshold else {
        return false;
    };
    if t.amount_minor.is_none() && t.share_ppm.is_none() {
        return false;
    }
    let d = a.abs_diff(b);
    let reference = a.max(b);
    let by_amount = t.amount_minor.is_some_and(|x| d <= u128::from(x));
    // d and the reference stay below 2^72, so the products stay below 2^92.
    let by_share = t
        .share_ppm
        .is_some_and(|s| d * u128::from(crate::money::PPM) <= u128::from(s) * reference);
    !(by_amount || by_share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_models_rule() {
        let t = Threshold {
            amount_minor: Some(500),
            share_ppm: Some(10_000),
        };
        for (a, b) in [
            (0u64, 0u64),
            (1000, 1500),
            (1000, 1501),
            (50_100, 49_600),
            (90_000, 89_099),
        ] {
            let d = a.abs_diff(b);
            assert_eq!(
                over(a.into(), b.into(), Some(t)),
                !t.tolerates(d, a.max(b)),
                "{a} {b}"
            );
        }
        assert!(!over(0, u128::from(u64::MAX), None), "no threshold: not checked");
        assert!(!over(0, 1, Some(Threshold::default())));
    }
}
