//! Native costs: validation, rating and commitments on the example month (shape M).
//!
//! `cargo bench -p zkinvoice-benches --bench native`

use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{invoice_commitment, msa_commitment, state_commitment, usage_commitment, usage_detail_root},
    rate, Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};

const MSA: &str = include_str!("../../examples/msa.json");
const OCTOBER: &str = include_str!("../../examples/usage-2026-10.json");

fn native(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    let msa = Msa::from_json(MSA).expect("valid example");
    let usage = Usage::parse(OCTOBER, UsageFormat::Json, &msa, None).expect("valid example");
    let before = VolumeState::initial(&msa);
    let salt = Salt::random(&mut rng);
    let shape = Shape::M;
    let mc = msa_commitment(&msa, shape, &salt).expect("fits");
    let rated = rate(&msa, &usage, &before, "INV-1").expect("rates");

    let mut g = c.benchmark_group("native");
    g.bench_function("parse and validate 992 usage records (JSON)", |b| {
        b.iter(|| Usage::parse(OCTOBER, UsageFormat::Json, &msa, None).expect("valid"))
    });
    g.bench_function("rate one month (4 products, 992 records)", |b| {
        b.iter(|| rate(&msa, &usage, &before, "INV-1").expect("rates"))
    });
    g.bench_function("msa_commitment (shape M)", |b| {
        b.iter(|| msa_commitment(&msa, shape, &salt))
    });
    g.bench_function("usage_commitment (shape M, 1024 records)", |b| {
        b.iter(|| usage_commitment(mc, &msa, &usage, shape, &salt))
    });
    g.bench_function("usage_detail_root (992 records)", |b| {
        b.iter(|| usage_detail_root(&usage, &salt))
    });
    g.bench_function("state_commitment (shape M)", |b| {
        b.iter(|| state_commitment(mc, &rated.after, shape, &salt))
    });
    g.bench_function("invoice_commitment (shape M)", |b| {
        b.iter(|| invoice_commitment(&rated.invoice, shape, &salt))
    });
    g.finish();
}

criterion_group!(benches, native);
criterion_main!(benches);
