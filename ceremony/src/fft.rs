//! The inverse FFT in a group, which turns powers `[τ^i]` into Lagrange bases `[L_j(τ)]`:
//! `L_j(τ) = (1/n)·Σ_i ω^(−ij)·τ^i`. Radix 2, in place, each stage's butterflies in parallel; a
//! butterfly's twiddle of one costs an addition only, the others a scalar multiplication (GLV
//! in both groups, in batches: [`crate::group::mul_many`]). `(n/2)·log2 n` multiplications in
//! all, the cost of phase 2's start.

use ark_bls12_381::Fr;
use ark_ff::{FftField, Field, One};
use rayon::prelude::*;

use crate::{group::Element, Progress};

/// Butterflies multiplied in one batch ([`Element::times_many`]).
const BATCH: usize = 256;

/// The butterflies of one stage on one block: `(u, t·w) → (u + t·w, u − t·w)`.
fn butterflies<G: Element>(lo: &mut [G], hi: &mut [G], twiddles: &[Fr], parallel: bool) {
    let batch = |((lo, hi), w): ((&mut [G], &mut [G]), &[Fr])| {
        let tw = G::times_many(hi, w);
        for ((u, t), tw) in lo.iter_mut().zip(hi.iter_mut()).zip(tw) {
            let a = *u;
            *u = a + tw;
            *t = a - tw;
        }
    };
    if parallel {
        lo.par_chunks_mut(BATCH)
            .zip(hi.par_chunks_mut(BATCH))
            .zip(twiddles.par_chunks(BATCH))
            .for_each(batch);
    } else {
        lo.chunks_mut(BATCH)
            .zip(hi.chunks_mut(BATCH))
            .zip(twiddles.chunks(BATCH))
            .for_each(batch);
    }
}

/// The inverse FFT of `v` (its length a power of two) over the domain of that size, in place;
/// reports `log2 n + 1` steps.
pub fn ifft<G: Element>(v: &mut [G], progress: &dyn Progress) {
    let n = v.len();
    assert!(n.is_power_of_two(), "a power of two");
    let log_n = n.trailing_zeros();
    // Bit-reversed order, then stages of doubling block size (decimation in time).
    for i in 0..n {
        let j = i.reverse_bits() >> (usize::BITS - log_n);
        if i < j {
            v.swap(i, j);
        }
    }
    let omega_inv = Fr::get_root_of_unity(n as u64)
        .expect("BLS12-381's scalar field has 2^32-th roots of unity")
        .inverse()
        .expect("a root of unity is not zero");
    for s in 1..=log_n {
        let m = 1usize << s;
        let w_m = omega_inv.pow([(n / m) as u64]);
        let twiddles: Vec<Fr> = std::iter::successors(Some(Fr::one()), |w| Some(*w * w_m))
            .take(m / 2)
            .collect();
        let blocks = n / m;
        let many = blocks >= 4 * rayon::current_num_threads();
        let block = |chunk: &mut [G]| {
            let (lo, hi) = chunk.split_at_mut(m / 2);
            butterflies(lo, hi, &twiddles, !many);
        };
        if many {
            v.par_chunks_mut(m).for_each(block);
        } else {
            v.chunks_mut(m).for_each(block);
        }
        progress.advance(1);
    }
    let n_inv = Fr::from(n as u64).inverse().expect("n is not zero");
    v.par_chunks_mut(BATCH).for_each(|chunk| {
        let scaled = G::times_many(chunk, &vec![n_inv; chunk.len()]);
        chunk.copy_from_slice(&scaled);
    });
    progress.advance(1);
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{G1Projective, G2Projective};
    use ark_ec::PrimeGroup;
    use ark_ff::UniformRand;
    use ark_poly::{EvaluationDomain, Radix2EvaluationDomain};
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;

    #[test]
    fn the_group_ifft_is_arkworks_field_ifft_in_the_exponent() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        for log_n in [1, 2, 5] {
            let n = 1 << log_n;
            let x: Vec<Fr> = (0..n).map(|_| Fr::rand(&mut rng)).collect();
            let mut g1: Vec<G1Projective> = x.iter().map(|x| G1Projective::generator() * x).collect();
            let mut g2: Vec<G2Projective> = x.iter().map(|x| G2Projective::generator() * x).collect();
            ifft(&mut g1, &());
            ifft(&mut g2, &());
            let y = Radix2EvaluationDomain::<Fr>::new(n).unwrap().ifft(&x);
            for i in 0..n {
                assert_eq!(g1[i], G1Projective::generator() * y[i], "G1, n = {n}, i = {i}");
                assert_eq!(g2[i], G2Projective::generator() * y[i], "G2, n = {n}, i = {i}");
            }
        }
    }
}
