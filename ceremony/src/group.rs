//! Group arithmetic the ceremony repeats over long lists: one multiplication per point, or short
//! sums of products sharing their doublings, in batches (the scalar split with the curve's endomorphism, [`crate::split`]: GLV halves in G1,
//! four base-`|x|` digits in G2; each part in width-4 NAF over a table of the point's odd
//! multiples; the tables of a whole batch made affine with one inversion, so that every addition
//! of the main loop is a mixed one), in parallel, reporting progress.

use ark_bls12_381::Fr;
use ark_ec::{
    short_weierstrass::{Affine, Projective},
    AdditiveGroup, AffineRepr, CurveGroup,
};
use ark_ff::{BigInteger, One, Zero};
use rayon::prelude::*;

use crate::{split::Split, Progress};

/// A group element with its fastest multiplications of many points by a scalar each.
pub trait Element: Copy + Send + Sync + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> {
    /// `points[i] · scalars[i]` for every `i` ([`mul_many`]).
    fn times_many(points: &[Self], scalars: &[Fr]) -> Vec<Self>;
    /// `Σ points[i] · scalars[i]` over each group `ends[g − 1]..ends[g]` ([`combine_many`]).
    fn combine_many(points: &[Self], scalars: &[Fr], ends: &[usize]) -> Vec<Self>;
}

impl<P: Split> Element for Projective<P> {
    fn times_many(points: &[Self], scalars: &[Fr]) -> Vec<Self> {
        mul_many(points, scalars)
    }

    fn combine_many(points: &[Self], scalars: &[Fr], ends: &[usize]) -> Vec<Self> {
        combine_many(points, scalars, ends)
    }
}

/// The odd multiples `1, 3, 5, 7` of a point, a width-4 NAF's table.
const ODD: usize = 4;

/// `points[i] · scalars[i]` for every `i`: [`combine_many`] with a group per point. Against
/// `glv_mul_projective` on each point (`benches/benches/ceremony.rs`): its ~96 projective
/// additions become ~51 mixed ones, and in G2 its 128 doublings 64.
pub fn mul_many<P: Split>(points: &[Projective<P>], scalars: &[Fr]) -> Vec<Projective<P>> {
    let ends: Vec<usize> = (1..=points.len()).collect();
    combine_many(points, scalars, &ends)
}

/// One term of a sum: each part of its scalar in width-4 NAF, with the table of odd multiples
/// of its point mapped by the endomorphism as often as the part's place.
struct Term<P: Split> {
    parts: Vec<(bool, Vec<i64>, Vec<Affine<P>>)>,
}

impl<P: Split> Term<P> {
    fn of(table: &[Affine<P>], scalar: Fr) -> Self {
        let mut image = table.to_vec();
        let mut parts = Vec::new();
        for (i, (positive, m)) in P::split(scalar).into_iter().enumerate() {
            if i > 0 {
                image = image.iter().map(P::map).collect();
            }
            let naf = m.find_wnaf(4).expect("a width in range");
            parts.push((positive, naf, image.clone()));
        }
        Self { parts }
    }
}

/// For each group of terms `ends[g − 1]..ends[g]` (from 0), `Σ points[i] · scalars[i]`. A scalar
/// of one costs an addition; a point at infinity or a scalar of zero nothing. Each other scalar
/// is split with the curve's endomorphism ([`Split`]: two halves in G1, four digits in G2) and
/// each part's width-4 NAF added from a table of the point's odd multiples, mapped by the
/// endomorphism. A group's terms share their doublings (Straus): a sum of `k` terms costs one
/// multiplication's doublings (128 in G1, 64 in G2) and `k` times its additions. The tables of
/// all the terms are made affine with one inversion, so that every addition of the main loop is
/// a mixed one.
pub fn combine_many<P: Split>(
    points: &[Projective<P>],
    scalars: &[Fr],
    ends: &[usize],
) -> Vec<Projective<P>> {
    assert_eq!(points.len(), scalars.len(), "a scalar per point");
    assert!(
        ends.windows(2).all(|w| w[0] <= w[1]) && ends.last().copied().unwrap_or(0) == points.len(),
        "groups in order, covering every point"
    );
    let work = |i: usize| !scalars[i].is_one() && !scalars[i].is_zero() && !points[i].is_zero();
    let mut odd: Vec<Projective<P>> = Vec::with_capacity(ODD * points.len());
    for (i, p) in points.iter().enumerate() {
        if work(i) {
            let d = p.double();
            let mut m = *p;
            for _ in 0..ODD {
                odd.push(m);
                m += d;
            }
        }
    }
    let odd = Projective::normalize_batch(&odd);
    let mut tables = odd.chunks_exact(ODD);
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let mut direct = Projective::<P>::zero();
            let mut terms = Vec::new();
            for i in start..end {
                if work(i) {
                    let table = tables.next().expect("a table per point multiplied");
                    terms.push(Term::of(table, scalars[i]));
                } else if scalars[i].is_one() {
                    direct += points[i];
                }
            }
            start = end;
            let len = terms
                .iter()
                .flat_map(|t| t.parts.iter().map(|(_, naf, _)| naf.len()))
                .max()
                .unwrap_or(0);
            let mut acc = Projective::<P>::zero();
            for j in (0..len).rev() {
                acc.double_in_place();
                for (positive, naf, image) in terms.iter().flat_map(|t| &t.parts) {
                    add_digit(&mut acc, image, naf.get(j), *positive);
                }
            }
            acc + direct
        })
        .collect()
}

/// `acc += ±digit · base` from the table of `base`'s odd multiples, the sign flipped if the
/// part of the scalar is negative.
fn add_digit<P: Split>(acc: &mut Projective<P>, table: &[Affine<P>], digit: Option<&i64>, positive: bool) {
    let Some(&d) = digit.filter(|d| **d != 0) else {
        return;
    };
    let q = table[(d.unsigned_abs() / 2) as usize];
    if (d > 0) == positive {
        *acc += q;
    } else {
        *acc -= q;
    }
}

/// Points between two reports of progress.
const CHUNK: usize = 1 << 10;

/// `points[i]·scalar(i)` for every point, in parallel, reporting each chunk done.
pub fn scale<P: Split>(
    points: &[Affine<P>],
    scalar: impl Fn(usize) -> Fr + Sync,
    progress: &dyn Progress,
) -> Vec<Affine<P>> {
    let out: Vec<Projective<P>> = points
        .par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(c, chunk)| {
            let p: Vec<Projective<P>> = chunk.iter().map(|p| p.into_group()).collect();
            let s: Vec<Fr> = (0..chunk.len()).map(|i| scalar(c * CHUNK + i)).collect();
            let v = mul_many(&p, &s);
            progress.advance(v.len() as u64);
            v
        })
        .collect();
    Projective::<P>::normalize_batch(&out)
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{G1Projective, G2Projective};
    use ark_ec::PrimeGroup;
    use ark_ff::{Field, UniformRand};
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;

    fn agrees<P: Split>(rng: &mut ChaCha20Rng)
    where
        Projective<P>: UniformRand,
    {
        let mut points: Vec<Projective<P>> = (0..40).map(|_| Projective::<P>::rand(rng)).collect();
        let mut scalars: Vec<Fr> = (0..40).map(|_| Fr::rand(rng)).collect();
        points[3] = Projective::zero();
        scalars[5] = Fr::zero();
        scalars[6] = Fr::one();
        scalars[7] = -Fr::one();
        scalars[8] = Fr::from(7u64);
        scalars[9] = -Fr::from(2u64).pow([200]);
        let got = mul_many(&points, &scalars);
        for i in 0..points.len() {
            assert_eq!(got[i], points[i] * scalars[i], "point {i}");
        }
        assert!(mul_many::<P>(&[], &[]).is_empty());
    }

    fn sums_agree<P: Split>(rng: &mut ChaCha20Rng)
    where
        Projective<P>: UniformRand,
    {
        let points: Vec<Projective<P>> = (0..30).map(|_| Projective::<P>::rand(rng)).collect();
        let mut scalars: Vec<Fr> = (0..30).map(|_| Fr::rand(rng)).collect();
        (scalars[1], scalars[2], scalars[4]) = (Fr::one(), Fr::zero(), -Fr::one());
        // Groups of 0, 1, 3, 7, 0 and 19 terms.
        let ends = [0, 1, 4, 11, 11, 30];
        let got = combine_many(&points, &scalars, &ends);
        assert_eq!(got.len(), ends.len());
        let mut start = 0;
        for (g, &end) in ends.iter().enumerate() {
            let want: Projective<P> = (start..end).map(|i| points[i] * scalars[i]).sum();
            assert_eq!(got[g], want, "group {g}");
            start = end;
        }
    }

    #[test]
    fn sums_of_products_are_arkworks_in_both_groups() {
        let mut rng = ChaCha20Rng::seed_from_u64(12);
        sums_agree::<ark_bls12_381::g1::Config>(&mut rng);
        sums_agree::<ark_bls12_381::g2::Config>(&mut rng);
    }

    #[test]
    fn batched_multiplication_is_arkworks_in_both_groups() {
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        agrees::<ark_bls12_381::g1::Config>(&mut rng);
        agrees::<ark_bls12_381::g2::Config>(&mut rng);
        let g = G1Projective::generator();
        assert_eq!(mul_many(&[g], &[Fr::from(3u64)]), vec![g + g + g]);
        let h = G2Projective::generator();
        assert_eq!(mul_many(&[h], &[-Fr::one()]), vec![-h]);
    }
}
