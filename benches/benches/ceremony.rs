//! The ceremony's group multiplications, one point per scalar, in one run (issue 15).
//!
//! `cargo bench -p zkinvoice-benches --bench ceremony`
//!
//! For 1,024 random points and scalars in G1 and in G2:
//! * `X/glv_each`: arkworks' `glv_mul_projective` on each point (the ceremony before batching);
//! * `X/batched`: `zkinvoice_ceremony::group::mul_many` (the scalar split by the endomorphism:
//!   GLV halves in G1, four base-|x| digits in G2; width-4 NAF over affine tables normalised for
//!   the whole batch): what phase-1 contributions, the group FFTs of `prepare`, its column sums
//!   and phase-2 contributions use.
//!
//! The same 1,024 products summed in 64 columns of 16 (as `prepare`'s column sums):
//! * `X/sums_each`: `mul_many`, then each column's products added;
//! * `X/sums_shared`: `zkinvoice_ceremony::group::combine_many` (a column's products sharing
//!   their doublings).
//!
//! And the subgroup checks of every point a transcript's verification loads, on other random
//! points:
//! * `X/subgroup_arkworks`: `is_in_correct_subgroup_assuming_on_curve`;
//! * `X/subgroup_blst`: `zkinvoice_verifier::pairing::in_g1` / `in_g2` (blst's).
//!
//! Single-threaded, so the ratios are the arithmetic's alone.

use ark_bls12_381::{g1, g2, Fr};
use ark_ec::{
    scalar_mul::glv::GLVConfig,
    short_weierstrass::{Affine, Projective, SWCurveConfig},
    CurveGroup,
};
use ark_ff::UniformRand;
use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_ceremony::{
    group::{combine_many, mul_many},
    split::Split,
};

const N: usize = 1024;

fn group<P: GLVConfig<ScalarField = Fr> + Split>(c: &mut Criterion, name: &str) {
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let points: Vec<Projective<P>> = (0..N).map(|_| Projective::<P>::rand(&mut rng)).collect();
    let scalars: Vec<Fr> = (0..N).map(|_| Fr::rand(&mut rng)).collect();
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.bench_function("glv_each", |b| {
        b.iter(|| {
            points
                .iter()
                .zip(&scalars)
                .map(|(p, s)| P::glv_mul_projective(*p, *s))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("batched", |b| b.iter(|| mul_many(&points, &scalars)));
    let ends: Vec<usize> = (1..=N / 16).map(|k| 16 * k).collect();
    g.bench_function("sums_each", |b| {
        b.iter(|| {
            mul_many(&points, &scalars)
                .chunks(16)
                .map(|c| c.iter().sum::<Projective<P>>())
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("sums_shared", |b| {
        b.iter(|| combine_many(&points, &scalars, &ends))
    });
    g.finish();
}

fn subgroup<P: SWCurveConfig>(c: &mut Criterion, name: &str, blst: fn(&Affine<P>) -> bool) {
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let points: Vec<Affine<P>> = (0..N)
        .map(|_| Projective::<P>::rand(&mut rng).into_affine())
        .collect();
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.bench_function("subgroup_arkworks", |b| {
        b.iter(|| {
            points
                .iter()
                .all(|p| p.is_in_correct_subgroup_assuming_on_curve())
        })
    });
    g.bench_function("subgroup_blst", |b| b.iter(|| points.iter().all(blst)));
    g.finish();
}

fn benches(c: &mut Criterion) {
    group::<g1::Config>(c, "G1");
    group::<g2::Config>(c, "G2");
    subgroup::<g1::Config>(c, "G1", zkinvoice_verifier::pairing::in_g1);
    subgroup::<g2::Config>(c, "G2", zkinvoice_verifier::pairing::in_g2);
}

criterion_group!(ceremony, benches);
criterion_main!(ceremony);
