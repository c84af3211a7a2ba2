//! How [`crate::group::mul_many`] splits a scalar with the curve's endomorphisms, so that a
//! multiplication needs fewer doublings:
//! - in G1 into two halves of about 128 bits (GLV: `φ(P) = λ·P`, arkworks' decomposition);
//! - in G2 into four digits below 2^64, base `|x|` (`x` the curve's parameter, negative): on G2
//!   the map `ψ` (untwist, Frobenius, twist) is multiplication by `x`, so
//!   `k·P = d0·P − d1·ψ(P) + d2·ψ²(P) − d3·ψ³(P)` for `k = d0 + d1·|x| + d2·|x|² + d3·|x|³`;
//!   64 doublings instead of 128.

use std::sync::OnceLock;

use ark_bls12_381::{g1, g2, Config as Bls, Fq, Fq2, Fr};
use ark_ec::{
    bls12::Bls12Config,
    scalar_mul::glv::GLVConfig,
    short_weierstrass::{Affine, SWCurveConfig},
    AffineRepr,
};
use ark_ff::{BigInt, Field, PrimeField};

/// A scalar's part: whether it is added (not subtracted), and its magnitude.
pub type Part = (bool, BigInt<4>);

/// A curve whose multiplications [`crate::group::mul_many`] splits with its endomorphisms.
pub trait Split: SWCurveConfig<ScalarField = Fr> {
    /// `k`'s parts `(sign_i, m_i)`: `k·P = Σ ±m_i·E^i(P)` with `E` [`Split::map`].
    fn split(k: Fr) -> Vec<Part>;

    /// The endomorphism `E` whose powers the parts multiply (`φ` in G1, `ψ` in G2).
    fn map(p: &Affine<Self>) -> Affine<Self>;
}

impl Split for g1::Config {
    fn split(k: Fr) -> Vec<Part> {
        let ((s1, k1), (s2, k2)) = Self::scalar_decomposition(k);
        vec![(s1, k1.into_bigint()), (s2, k2.into_bigint())]
    }

    fn map(p: &Affine<Self>) -> Affine<Self> {
        Self::endomorphism_affine(p)
    }
}

/// `|x|`, the absolute value of the curve's parameter (below 2^64).
fn x_abs() -> u64 {
    debug_assert!(Bls::X_IS_NEGATIVE && Bls::X.len() == 1);
    Bls::X[0]
}

/// `(n / d, n mod d)` for an `n` of `N` 64-bit limbs, least significant first.
fn div_rem<const N: usize>(n: [u64; N], d: u64) -> ([u64; N], u64) {
    let (mut q, mut r) = ([0u64; N], 0u128);
    for i in (0..N).rev() {
        let cur = (r << 64) | u128::from(n[i]);
        q[i] = (cur / u128::from(d)) as u64;
        r = cur % u128::from(d);
    }
    (q, r as u64)
}

/// `ψ`'s coefficients: `ψ(x, y) = (cx·x̄, cy·ȳ)` with `cx = (u + 1)^-((p - 1)/3)` and
/// `cy = (u + 1)^-((p - 1)/2)` (`x̄` the conjugate).
fn psi_coefficients() -> &'static (Fq2, Fq2) {
    static C: OnceLock<(Fq2, Fq2)> = OnceLock::new();
    C.get_or_init(|| {
        let xi = Fq2::new(Fq::ONE, Fq::ONE);
        let p_minus_1 = (-Fq::ONE).into_bigint();
        let (third, _) = div_rem(p_minus_1.0, 3);
        let (half, _) = div_rem(p_minus_1.0, 2);
        let inv = xi.inverse().expect("u + 1 is not zero");
        (inv.pow(third), inv.pow(half))
    })
}

impl Split for g2::Config {
    fn split(k: Fr) -> Vec<Part> {
        let mut rest = k.into_bigint().0;
        let mut parts = Vec::with_capacity(4);
        for i in 0..4 {
            let (q, d) = div_rem(rest, x_abs());
            parts.push((i % 2 == 0, BigInt::from(d)));
            rest = q;
        }
        debug_assert_eq!(rest, [0; 4], "the scalar field's order is below |x|^4");
        parts
    }

    fn map(p: &Affine<Self>) -> Affine<Self> {
        let Some((x, y)) = p.xy() else {
            return *p;
        };
        let (cx, cy) = psi_coefficients();
        let conj = |mut a: Fq2| {
            a.conjugate_in_place();
            a
        };
        Affine::new_unchecked(conj(x) * cx, conj(y) * cy)
    }
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{G1Projective, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup};
    use ark_ff::{UniformRand, Zero};
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;

    /// `Σ ±m_i·E^i(P)` computed plainly.
    fn recombine<P: Split>(p: Affine<P>, parts: &[Part]) -> ark_ec::short_weierstrass::Projective<P> {
        let mut image = p;
        let mut acc = ark_ec::short_weierstrass::Projective::<P>::zero();
        for (positive, m) in parts {
            let term = image.mul_bigint(m);
            acc += if *positive { term } else { -term };
            image = P::map(&image);
        }
        acc
    }

    #[test]
    fn psi_is_multiplication_by_x_on_g2_and_the_splits_recombine() {
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        let x = -Fr::from(x_abs());
        for _ in 0..4 {
            let q = G2Projective::rand(&mut rng).into_affine();
            assert_eq!(g2::Config::map(&q), (q * x).into_affine());
            let p = G1Projective::rand(&mut rng).into_affine();
            for k in [
                Fr::rand(&mut rng),
                Fr::zero(),
                Fr::from(1u64),
                -Fr::from(1u64),
                x,
                x * x * x,
            ] {
                let parts = g2::Config::split(k);
                assert_eq!(parts.len(), 4);
                assert!(parts.iter().all(|(_, m)| m.0[1..] == [0; 3]), "digits below 2^64");
                assert_eq!(recombine(q, &parts), q * k, "G2, k = {k}");
                let parts = g1::Config::split(k);
                assert!(
                    parts.iter().all(|(_, m)| m.0[2..] == [0; 2]),
                    "halves below 2^128"
                );
                assert_eq!(recombine(p, &parts), p * k, "G1, k = {k}");
            }
        }
        assert_eq!(g2::Config::map(&Affine::zero()), Affine::zero());
        assert!(g2::Config::map(&G2Projective::generator().into_affine()).is_on_curve());
    }
}
