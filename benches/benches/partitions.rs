//! Protocol v2: verifying a whole partitioned invoice. (Proving one partition of each statement,
//! against arkworks' prover, is in the `prover` bench.)
//!
//! `cargo bench -p zkinvoice-benches --bench partitions`.
//!
//! * `verify/partitioned_100`: a whole invoice of 100 partitions (30 blocks, 69 chunks, the link)
//!   at PS: the public check (tops, challenge, masked sums) and the 100 proofs in one batch across
//!   the three keys (`verify_partitioned`).

use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::partition::{PartitionId, PartitionShape};
use zkinvoice_prover::partition::{prove_partitioned, PartitionKeys};
use zkinvoice_testkit::cases::PartitionCase;
use zkinvoice_verifier::partition::{verify_partitioned, PartitionProofRefs};

fn verify_whole(c: &mut Criterion) {
    let shape = PartitionShape::PS;
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let keys = PartitionKeys::generate(shape, &mut rng).expect("keys");
    let case = PartitionCase::new(
        30 * shape.block_products,
        shape.tiers,
        69 * shape.chunk_records,
        &mut rng,
    );
    let proved = prove_partitioned(&keys, &case.opening(shape), &mut rng, &|_| {}).expect("proves");
    assert_eq!(proved.proofs.len(), 100);
    let vks = keys.verifying().expect("keys");
    let tops = proved.public.tops();
    let by = |f: fn(&PartitionId) -> bool| -> Vec<_> {
        proved
            .proofs
            .iter()
            .filter(|p| f(&p.id))
            .map(|p| p.proof.clone())
            .collect()
    };
    let blocks = by(|id| matches!(id, PartitionId::Block(_)));
    let chunks = by(|id| matches!(id, PartitionId::Chunk(_)));
    let link = by(|id| matches!(id, PartitionId::Link)).remove(0);
    let mut g = c.benchmark_group("verify");
    g.sample_size(20);
    g.bench_function("partitioned_100", |b| {
        b.iter(|| {
            let proofs = PartitionProofRefs {
                blocks: &blocks,
                chunks: &chunks,
                link: &link,
            };
            verify_partitioned(&vks, &tops, &proved.public, proofs, &mut rng).expect("verifies")
        })
    });
    g.finish();
}

criterion_group!(benches, verify_whole);
criterion_main!(benches);
