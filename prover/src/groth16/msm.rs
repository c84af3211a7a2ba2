//! Multi-scalar multiplication for the prover, with two backends: blst's Pippenger (the default,
//! about twice as fast as arkworks' on G1 and G2 on this curve) and arkworks' (kept selectable, so
//! that benches compare both in one run).
//!
//! blst knows nothing of small scalars, and a real witness is mostly bits and small integers; so
//! scalars are first sorted into classes by size (zero: skipped; one: the points summed; up to 8,
//! 16, 32 and 64 bits: a Pippenger over that many bits; else 255 bits), each for the scalar and for
//! its negation (`p - s` small: the class's sum is subtracted), as arkworks does internally.
//!
//! Points cross between the libraries without any unsafe code, by copying limbs
//! ([`zkinvoice_verifier::pairing`]'s conversions). The round trips are tested against arkworks.

use ark_bls12_381::{Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{AffineRepr, VariableBaseMSM};
use ark_ff::{BigInt, BigInteger, PrimeField};
use blst::{blst_p1, blst_p1_affine, blst_p2, blst_p2_affine, MultiPoint};
use rayon::prelude::*;
use zkinvoice_verifier::pairing;

/// A scalar as the MSMs take it (canonical, not Montgomery).
pub type Scalar = BigInt<4>;

/// Which multi-scalar multiplication the prover runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backend {
    /// blst's Pippenger, with scalars sorted by size first.
    #[default]
    Blst,
    /// arkworks' `msm_bigint` (today's path).
    Arkworks,
}

/// A curve both libraries implement: G1 or G2 of BLS12-381.
pub trait Curve: Send + Sync + 'static {
    /// arkworks' affine point.
    type Ark: AffineRepr<ScalarField = Fr> + Send + Sync;
    /// blst's affine point.
    type Affine: Copy + Default + Send + Sync;
    /// blst's Jacobian point.
    type Point: Copy + Default + Send;
    /// arkworks' affine point as blst's.
    fn to_blst(p: &Self::Ark) -> Self::Affine;
    /// blst's Jacobian point as arkworks'.
    fn to_ark(p: &Self::Point) -> <Self::Ark as AffineRepr>::Group;
    /// blst's Pippenger over `nbits`-bit little-endian scalars of `ceil(nbits / 8)` bytes each.
    fn mult(points: &[Self::Affine], scalars: &[u8], nbits: usize) -> Self::Point;
    /// The sum of `points`.
    fn sum(points: &[Self::Affine]) -> Self::Point;
}

/// G1.
pub enum G1 {}
/// G2.
pub enum G2 {}

impl Curve for G1 {
    type Ark = G1Affine;
    type Affine = blst_p1_affine;
    type Point = blst_p1;

    fn to_blst(p: &G1Affine) -> blst_p1_affine {
        pairing::g1(p)
    }

    fn to_ark(p: &blst_p1) -> G1Projective {
        G1Projective::new_unchecked(pairing::fq(&p.x), pairing::fq(&p.y), pairing::fq(&p.z))
    }

    fn mult(points: &[blst_p1_affine], scalars: &[u8], nbits: usize) -> blst_p1 {
        points.mult(scalars, nbits)
    }

    fn sum(points: &[blst_p1_affine]) -> blst_p1 {
        points.add()
    }
}

impl Curve for G2 {
    type Ark = G2Affine;
    type Affine = blst_p2_affine;
    type Point = blst_p2;

    fn to_blst(p: &G2Affine) -> blst_p2_affine {
        pairing::g2(p)
    }

    fn to_ark(p: &blst_p2) -> G2Projective {
        G2Projective::new_unchecked(pairing::fq2(&p.x), pairing::fq2(&p.y), pairing::fq2(&p.z))
    }

    fn mult(points: &[blst_p2_affine], scalars: &[u8], nbits: usize) -> blst_p2 {
        points.mult(scalars, nbits)
    }

    fn sum(points: &[blst_p2_affine]) -> blst_p2 {
        points.add()
    }
}

/// The group of curve `C` (arkworks' projective point).
pub type Group<C> = <<C as Curve>::Ark as AffineRepr>::Group;

/// Points in one backend's representation.
pub enum Points<C: Curve> {
    /// blst's.
    Blst(Vec<C::Affine>),
    /// arkworks'.
    Arkworks(Vec<C::Ark>),
}

impl<C: Curve> Points<C> {
    /// Empty, with room for `n` points.
    pub fn with_capacity(backend: Backend, n: usize) -> Self {
        match backend {
            Backend::Blst => Self::Blst(Vec::with_capacity(n)),
            Backend::Arkworks => Self::Arkworks(Vec::with_capacity(n)),
        }
    }

    /// Appends an arkworks point.
    pub fn push(&mut self, p: &C::Ark) {
        match self {
            Self::Blst(v) => v.push(C::to_blst(p)),
            Self::Arkworks(v) => v.push(*p),
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        match self {
            Self::Blst(v) => v.len(),
            Self::Arkworks(v) => v.len(),
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the points take in memory.
    pub fn heap_bytes(&self) -> usize {
        match self {
            Self::Blst(v) => v.capacity() * size_of::<C::Affine>(),
            Self::Arkworks(v) => v.capacity() * size_of::<C::Ark>(),
        }
    }

    /// `Σ scalars[i] · points[i]` over the shorter of the two.
    pub fn msm(&self, scalars: &[Scalar]) -> Group<C> {
        match self {
            Self::Blst(points) => blst_msm::<C>(points, scalars),
            Self::Arkworks(points) => Group::<C>::msm_bigint(points, scalars),
        }
    }
}

/// Scalar size classes: bits of the class's Pippenger (1: a plain sum).
const CLASS_BITS: [usize; 6] = [1, 8, 16, 32, 64, 255];

/// The class of a non-zero scalar: its index in [`CLASS_BITS`] and whether it is negated.
fn class(s: &Scalar) -> (usize, bool, Scalar) {
    let size = |bits: u32| CLASS_BITS.iter().position(|&b| bits as usize <= b).unwrap_or(5);
    let bits = s.num_bits();
    if bits <= 64 {
        return (size(bits), false, *s);
    }
    let mut neg = Fr::MODULUS;
    neg.sub_with_borrow(s);
    let nbits = neg.num_bits();
    if nbits <= 64 {
        (size(nbits), true, neg)
    } else {
        (5, false, *s)
    }
}

/// How many of `scalars` fall in each class: zeros, then per class of `CLASS_BITS` (1, 8, 16,
/// 32, 64, 255 bits) the scalars and the negated ones (for the benches' profile).
pub fn class_counts(scalars: &[Scalar]) -> (usize, [[usize; 2]; 6]) {
    let mut zeros = 0;
    let mut counts = [[0; 2]; 6];
    for s in scalars {
        if s.is_zero() {
            zeros += 1;
        } else {
            let (c, negated, _) = class(s);
            counts[c][usize::from(negated)] += 1;
        }
    }
    (zeros, counts)
}

fn blst_msm<C: Curve>(points: &[C::Affine], scalars: &[Scalar]) -> Group<C> {
    let n = points.len().min(scalars.len());
    // (class, negated) -> indices, and the scalars' bytes per class.
    let mut members: Vec<Vec<(u32, Scalar)>> = vec![Vec::new(); 2 * CLASS_BITS.len()];
    for (i, s) in scalars[..n].iter().enumerate() {
        if s.is_zero() {
            continue;
        }
        let (c, negated, v) = class(s);
        members[2 * c + usize::from(negated)].push((i as u32, v));
    }
    let sums: Vec<(bool, Group<C>)> = members
        .par_iter()
        .enumerate()
        .filter(|(_, m)| !m.is_empty())
        .map(|(k, m)| {
            let bits = CLASS_BITS[k / 2];
            // A class holding every point (the quotient's scalars are all full-size) uses them in
            // place; any other gathers its points.
            let gathered: Vec<C::Affine>;
            let ps: &[C::Affine] = if m.len() == n {
                &points[..n]
            } else {
                gathered = m.iter().map(|(i, _)| points[*i as usize]).collect();
                &gathered
            };
            let point = if bits == 1 {
                C::sum(ps)
            } else {
                let bytes = bits.div_ceil(8);
                let mut s = Vec::with_capacity(bytes * m.len());
                for (_, v) in m {
                    s.extend_from_slice(&v.to_bytes_le()[..bytes]);
                }
                C::mult(ps, &s, bits)
            };
            (k % 2 == 1, C::to_ark(&point))
        })
        .collect();
    let mut acc = Group::<C>::default();
    for (negated, g) in sums {
        if negated {
            acc -= g;
        } else {
            acc += g;
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use ark_ec::CurveGroup;
    use ark_ff::{UniformRand, Zero};
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;

    fn scalars(rng: &mut ChaCha20Rng, n: usize) -> Vec<Fr> {
        // Every class: zero, one, minus one, small, minus small, 64-bit, full.
        (0..n)
            .map(|i| match i % 9 {
                0 => Fr::zero(),
                1 => Fr::from(1u64),
                2 => -Fr::from(1u64),
                3 => Fr::from(u64::from(u8::rand(rng))),
                4 => -Fr::from(u64::from(u16::rand(rng))),
                5 => Fr::from(u64::from(u32::rand(rng))),
                6 => Fr::from(u64::rand(rng)),
                7 => -Fr::from(u64::rand(rng)),
                _ => Fr::rand(rng),
            })
            .collect()
    }

    fn check<C: Curve>(rng: &mut ChaCha20Rng, n: usize)
    where
        Group<C>: UniformRand,
    {
        let points: Vec<C::Ark> = (0..n).map(|_| Group::<C>::rand(rng).into_affine()).collect();
        let s: Vec<Scalar> = scalars(rng, n).iter().map(|x| x.into_bigint()).collect();
        let expected = Group::<C>::msm_bigint(&points, &s);
        let mut blst = Points::<C>::with_capacity(Backend::Blst, n);
        let mut ark = Points::<C>::with_capacity(Backend::Arkworks, n);
        for p in &points {
            blst.push(p);
            ark.push(p);
        }
        assert_eq!(blst.msm(&s), expected, "{n} points");
        assert_eq!(ark.msm(&s), expected);
        // One class alone, and scalars longer than the points.
        let ones = vec![Fr::from(1u64).into_bigint(); n + 3];
        assert_eq!(
            blst.msm(&ones),
            points.iter().map(|p| p.into_group()).sum::<Group<C>>()
        );
    }

    #[test]
    fn blst_msm_equals_arkworks_on_every_scalar_class() {
        let mut rng = ChaCha20Rng::seed_from_u64(14);
        for n in [1, 9, 40, 1000] {
            check::<G1>(&mut rng, n);
            check::<G2>(&mut rng, n);
        }
    }

    #[test]
    fn points_round_trip_between_the_libraries() {
        let mut rng = ChaCha20Rng::seed_from_u64(15);
        for _ in 0..20 {
            let p = G1Projective::rand(&mut rng).into_affine();
            let q = G2Projective::rand(&mut rng).into_affine();
            // A point through blst's sum of itself alone comes back as itself.
            assert_eq!(G1::to_ark(&G1::sum(&[G1::to_blst(&p)])).into_affine(), p);
            assert_eq!(G2::to_ark(&G2::sum(&[G2::to_blst(&q)])).into_affine(), q);
        }
        let zero = G1Affine::zero();
        assert!(G1::to_ark(&G1::sum(&[G1::to_blst(&zero)])).is_zero());
        assert!(G2::to_ark(&G2::sum(&[G2::to_blst(&G2Affine::zero())])).is_zero());
    }
}
