//! Pairings with blst (issue 14): the Miller loops and the final exponentiation of every check
//! (one proof, a batch, a mixed batch) are blst's, which on this curve takes about half the time
//! of arkworks'; the verdicts are arkworks' (tested on valid and invalid proofs).
//!
//! Points cross between the libraries without any unsafe code: both keep an element of the base
//! field as six 64-bit limbs in Montgomery form with `R = 2^384`, an affine point as `(x, y)`
//! (blst's point at infinity is `(0, 0)`), a projective point in Jacobian coordinates and an `Fq2`
//! element as `(c0, c1)`; so a point crosses by copying limbs. The prover's MSMs use the same
//! conversions.
//!
//! A pair with a point at infinity pairs to one and is left out of the Miller loop (blst's loop
//! is not specified for it).

use ark_bls12_381::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, One};
use blst::{blst_fp, blst_fp12, blst_fp2, blst_fp6, blst_p1_affine, blst_p2_affine};

/// A base-field element as blst's (the same Montgomery limbs).
pub fn fp(x: &Fq) -> blst_fp {
    blst_fp { l: (x.0).0 }
}

/// blst's base-field element as arkworks' (the same Montgomery limbs; blst's are reduced).
pub fn fq(x: &blst_fp) -> Fq {
    Fq::new_unchecked(BigInt(x.l))
}

/// An `Fq2` element as blst's.
pub fn fp2(x: &Fq2) -> blst_fp2 {
    blst_fp2 {
        fp: [fp(&x.c0), fp(&x.c1)],
    }
}

/// blst's `Fq2` element as arkworks'.
pub fn fq2(x: &blst_fp2) -> Fq2 {
    Fq2::new(fq(&x.fp[0]), fq(&x.fp[1]))
}

/// A G1 point as blst's affine point (infinity as `(0, 0)`).
pub fn g1(p: &G1Affine) -> blst_p1_affine {
    p.xy()
        .map_or_else(blst_p1_affine::default, |(x, y)| blst_p1_affine {
            x: fp(&x),
            y: fp(&y),
        })
}

/// A G2 point as blst's affine point (infinity as `(0, 0)`).
pub fn g2(p: &G2Affine) -> blst_p2_affine {
    p.xy()
        .map_or_else(blst_p2_affine::default, |(x, y)| blst_p2_affine {
            x: fp2(&x),
            y: fp2(&y),
        })
}

/// Whether `p` is in G1, for a point already known to be on the curve: blst's subgroup check
/// (1.2 times as fast as arkworks' over 1,024 points, `benches/benches/ceremony.rs`). The point
/// at infinity is.
pub fn in_g1(p: &G1Affine) -> bool {
    p.is_zero() || blst::min_pk::PublicKey::from(g1(p)).validate().is_ok()
}

/// Whether `p` is in G2, for a point already known to be on the curve: blst's subgroup check
/// (1.7 times as fast as arkworks'). The point at infinity is.
pub fn in_g2(p: &G2Affine) -> bool {
    p.is_zero() || blst::min_sig::PublicKey::from(g2(p)).validate().is_ok()
}

/// One in `Fq12`.
fn one() -> blst_fp12 {
    let zero = blst_fp2::default();
    let one = blst_fp2 {
        fp: [fp(&Fq::one()), blst_fp::default()],
    };
    blst_fp12 {
        fp6: [
            blst_fp6 {
                fp2: [one, zero, zero],
            },
            blst_fp6::default(),
        ],
    }
}

/// Pairs of G1 and G2 points, in blst's form, for one Miller loop.
#[derive(Default)]
pub(crate) struct Pairs {
    p: Vec<blst_p1_affine>,
    q: Vec<blst_p2_affine>,
}

impl Pairs {
    /// Room for `n` pairs.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self {
            p: Vec::with_capacity(n),
            q: Vec::with_capacity(n),
        }
    }

    /// Adds `e(p, q)` (left out if either is the point at infinity: it pairs to one).
    pub(crate) fn push(&mut self, p: &G1Affine, q: blst_p2_affine) {
        if !p.is_zero() && q != blst_p2_affine::default() {
            self.p.push(g1(p));
            self.q.push(q);
        }
    }

    /// The Miller loop of every pair (one if there is none).
    fn miller_loop(&self) -> blst_fp12 {
        if self.p.is_empty() {
            one()
        } else {
            blst_fp12::miller_loop_n(&self.q, &self.p)
        }
    }

    /// Whether the product of the pairings equals `e(alpha, beta)`, given as the Miller loop of
    /// `(alpha, beta)` ([`AlphaBeta`]).
    pub(crate) fn equals(&self, alpha_beta: &AlphaBeta) -> bool {
        blst_fp12::finalverify(&self.miller_loop(), &alpha_beta.0)
    }

    /// Whether the product of the pairings is one.
    pub(crate) fn is_one(&self) -> bool {
        blst_fp12::finalverify(&self.miller_loop(), &one())
    }
}

/// A verifying key's points in blst's form: the Miller loop of `(alpha, beta)` (not reduced:
/// the final exponentiation is shared with the proof's), `beta`, `-gamma` and `-delta`.
#[derive(Clone, Debug)]
pub(crate) struct BlstKey {
    pub(crate) alpha_beta: AlphaBeta,
    /// `gamma_abc` after its first point (the public inputs' points), for their MSM.
    inputs: Vec<blst_p1_affine>,
    pub(crate) beta: blst_p2_affine,
    pub(crate) gamma_neg: blst_p2_affine,
    pub(crate) delta_neg: blst_p2_affine,
}

/// The Miller loop of a key's `(alpha, beta)`.
#[derive(Clone, Debug)]
pub(crate) struct AlphaBeta(blst_fp12);

impl BlstKey {
    /// From an arkworks verifying key.
    pub(crate) fn of(vk: &ark_groth16::VerifyingKey<ark_bls12_381::Bls12_381>) -> Self {
        let mut ab = Pairs::default();
        ab.push(&vk.alpha_g1, g2(&vk.beta_g2));
        Self {
            alpha_beta: AlphaBeta(ab.miller_loop()),
            inputs: vk.gamma_abc_g1.iter().skip(1).map(g1).collect(),
            beta: g2(&vk.beta_g2),
            gamma_neg: g2(&-vk.gamma_g2),
            delta_neg: g2(&-vk.delta_g2),
        }
    }
}

impl BlstKey {
    /// `Σ xᵢ·gamma_abcᵢ₊₁` for the public inputs `x` (as many as the key's points: checked by
    /// the caller), with blst's multi-scalar multiplication.
    pub(crate) fn input_sum(&self, x: &[ark_bls12_381::Fr]) -> ark_bls12_381::G1Projective {
        use ark_ff::{BigInteger, PrimeField};
        use blst::MultiPoint;

        if x.is_empty() {
            return ark_bls12_381::G1Projective::default();
        }
        let scalars: Vec<u8> = x.iter().flat_map(|s| s.into_bigint().to_bytes_le()).collect();
        let p = self.inputs[..x.len()].mult(&scalars, 255);
        ark_bls12_381::G1Projective::new_unchecked(fq(&p.x), fq(&p.y), fq(&p.z))
    }
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{Bls12_381, Fr, G1Projective, G2Projective};
    use ark_ec::{pairing::Pairing, CurveGroup, PrimeGroup};
    use ark_ff::UniformRand;
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn pairings_agree_with_arkworks_and_infinity_pairs_to_one() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let (a, b) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
        let p = (G1Projective::generator() * a).into_affine();
        let q = (G2Projective::generator() * b).into_affine();
        let pab = (G1Projective::generator() * (a * b)).into_affine();
        // e(a·G1, b·G2) · e(-(ab)·G1, G2) = 1, and not with another point.
        let mut pairs = Pairs::default();
        pairs.push(&p, g2(&q));
        pairs.push(&-pab, g2(&G2Affine::generator()));
        assert!(pairs.is_one());
        let mut wrong = Pairs::default();
        wrong.push(&p, g2(&q));
        wrong.push(&-p, g2(&G2Affine::generator()));
        assert!(!wrong.is_one());
        // e(a·G1, b·G2) = e(ab·G1, G2), as arkworks computes it.
        let mut key_like = Pairs::default();
        key_like.push(&pab, g2(&G2Affine::generator()));
        let ab = AlphaBeta(key_like.miller_loop());
        assert!(pairs_of(&p, &q).equals(&ab));
        assert_eq!(
            Bls12_381::pairing(p, q),
            Bls12_381::pairing(pab, G2Affine::generator())
        );
        // Infinity on either side pairs to one.
        let mut inf = Pairs::default();
        inf.push(&G1Affine::zero(), g2(&q));
        inf.push(&p, g2(&G2Affine::zero()));
        assert!(inf.is_one());
        assert!(Pairs::default().is_one());
        // The conversions round-trip.
        assert_eq!(fq2(&fp2(&q.x)), q.x);
        assert_eq!(fq(&fp(&p.y)), p.y);
    }

    /// Points of both groups' curves outside their subgroups (made by trying `x = 0, 1, 2, …` and
    /// keeping the points whose order the cofactor shares), and inside them.
    #[test]
    fn subgroup_checks_agree_with_arkworks() {
        use ark_ec::short_weierstrass::Affine;
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(8);
        for _ in 0..8 {
            let p = G1Projective::rand(&mut rng).into_affine();
            let q = G2Projective::rand(&mut rng).into_affine();
            assert!(in_g1(&p) && in_g2(&q));
        }
        assert!(in_g1(&G1Affine::zero()) && in_g2(&G2Affine::zero()));
        let (mut outside1, mut outside2) = (0, 0);
        for i in 0u64..200 {
            if let Some(p) =
                Affine::<ark_bls12_381::g1::Config>::get_point_from_x_unchecked(Fq::from(i), false)
            {
                assert!(p.is_on_curve());
                assert_eq!(
                    in_g1(&p),
                    p.is_in_correct_subgroup_assuming_on_curve(),
                    "G1 x = {i}"
                );
                outside1 += usize::from(!in_g1(&p));
            }
            let x = Fq2::new(Fq::from(i), Fq::one());
            if let Some(q) = Affine::<ark_bls12_381::g2::Config>::get_point_from_x_unchecked(x, false) {
                assert!(q.is_on_curve());
                assert_eq!(
                    in_g2(&q),
                    q.is_in_correct_subgroup_assuming_on_curve(),
                    "G2 x = {i} + u"
                );
                outside2 += usize::from(!in_g2(&q));
            }
        }
        assert!(outside1 > 10 && outside2 > 10, "{outside1} {outside2}");
    }

    fn pairs_of(p: &G1Affine, q: &G2Affine) -> Pairs {
        let mut pairs = Pairs::default();
        pairs.push(p, g2(q));
        pairs
    }
}
