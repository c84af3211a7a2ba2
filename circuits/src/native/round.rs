//! Half-up rounding of a division, on integers: the native twin of [`crate::gadgets::round`].

/// `round_half_up(x / d)` for `d > 0`: `floor((2x + d) / 2d)`, computed without overflow.
pub fn round_half_up_div(x: u128, d: u128) -> u128 {
    assert!(d > 0, "division by zero");
    let (q, r) = (x / d, x % d);
    // r < d, so r >= d - r cannot overflow; it is 2r >= d.
    if r >= d - r {
        q + 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up_at_every_boundary() {
        for d in [1u128, 2, 3, 10, 1_000_000, 10_000_000] {
            for q in [0u128, 1, 7, 1_000_000_007] {
                let base = q * d;
                // Below the half: down. At or above the half: up.
                for r in 0..d.min(50) {
                    let expect = if 2 * r >= d { q + 1 } else { q };
                    assert_eq!(round_half_up_div(base + r, d), expect, "x={} d={d}", base + r);
                }
                if d > 1 {
                    let half_floor = (d - 1) / 2;
                    assert_eq!(
                        round_half_up_div(base + half_floor, d),
                        if 2 * half_floor >= d { q + 1 } else { q }
                    );
                    assert_eq!(round_half_up_div(base + d / 2 + d % 2, d), q + 1);
                    assert_eq!(round_half_up_div(base + d - 1, d), q + 1);
                }
            }
        }
        assert_eq!(round_half_up_div(u128::MAX, 2), u128::MAX / 2 + 1);
    }
}
