//! After the invoice (issue 16): the reconciliation statement, proven and verified, and its
//! native verdict, at shapes S and M.
//!
//! `cargo bench -p zkinvoice-benches --bench lifecycle` (M's keys take seconds to make), or one
//! shape: `... --bench lifecycle -- reconcile/S`.
//!
//! The example MSA, October: the Seller's invoice and the one rated from a Buyer's measurement
//! with half the IP transit (over its threshold), each rated from a state 0. A single-party
//! seeded setup.

use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{native::reconcile::reconcile, Salt, Shape};
use zkinvoice_prover::reconcile::ReconcileKeys;
use zkinvoice_testkit::model::{example_msa, october_invoice};
use zkinvoice_verifier::verify;

fn reconciliation(c: &mut Criterion) {
    let msa = example_msa();
    let seller = october_invoice(&msa, &[(0, 40_000), (2, 150_000), (3, 900_000)], "INV-1");
    let buyer = october_invoice(&msa, &[(0, 40_000), (2, 75_000), (3, 900_000)], "INV-1-B");
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    for shape in [Shape::S, Shape::M] {
        let keys = ReconcileKeys::generate(shape, &mut rng).expect("a setup");
        let vk = keys.verifying_key().prepare();
        let prove = |rng: &mut ChaCha20Rng| {
            keys.prove(&msa, &salts[0], (&seller, &salts[1]), (&buyer, &salts[2]), rng)
                .expect("proves")
        };
        let proved = prove(&mut rng);
        assert!(!proved.verdict.within());
        let mut g = c.benchmark_group(format!("reconcile/{}", shape.name));
        g.sample_size(10);
        g.bench_function("prove", |b| b.iter(|| prove(&mut rng)));
        g.bench_function("verify", |b| {
            b.iter(|| verify(&vk, &proved.proof, &proved.public).expect("verifies"))
        });
        g.bench_function("native", |b| {
            b.iter(|| reconcile(&msa, &seller, &buyer).expect("compares"))
        });
        g.finish();
    }
}

criterion_group!(benches, reconciliation);
criterion_main!(benches);
