//! The ceremony's group multiplications, one point per scalar, in one run (issue 15).
//!
//! `cargo bench -p zkinvoice-benches --bench ceremony`
//!
//! For 1,024 random points and scalars in G1 and in G2:
//! * `X/glv_each`: arkworks' `glv_mul_projective` on each point (the ceremony before batching);
//! * `X/batched`: `zkinvoice_ceremony::group::mul_many` (GLV, width-4 NAF over affine tables
//!   normalised for the whole batch): what phase-1 contributions, the group FFTs of `prepare`,
//!   its column sums and phase-2 contributions use.
//!
//! Single-threaded, so the ratio is the arithmetic's alone.

use ark_bls12_381::{g1, g2, Fr};
use ark_ec::{
    scalar_mul::glv::GLVConfig,
    short_weierstrass::{Projective, SWCurveConfig},
};
use ark_ff::UniformRand;
use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_ceremony::group::mul_many;

const N: usize = 1024;

fn group<P: GLVConfig<ScalarField = Fr> + SWCurveConfig>(c: &mut Criterion, name: &str) {
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
    g.finish();
}

fn benches(c: &mut Criterion) {
    group::<g1::Config>(c, "G1");
    group::<g2::Config>(c, "G2");
}

criterion_group!(ceremony, benches);
criterion_main!(ceremony);
