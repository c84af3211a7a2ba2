//! Protocol v2: proving one partition of each statement, and verifying a whole partitioned invoice.
//!
//! `cargo bench -p zkinvoice-benches --bench partitions` (PM's keys take minutes to make), or a
//! part: `... --bench partitions -- prove/PS`, `verify`.
//!
//! * `prove/X/{block,chunk,link}`: one partition of partition shape X proven (synthesis, witness
//!   map and MSMs), on a bilateral that fills the partition: `Pb` products of mixed pricing at
//!   `T` tiers, `Uc` records. An invoice's proving time is the sum over its partitions divided by
//!   the cores; its growth is linear in `nb` and `nc`.
//! * `verify/partitioned_100`: a whole invoice of 100 partitions (30 blocks, 69 chunks, the link)
//!   at PS: the public check (tops, challenge, masked sums) and the 100 proofs in one batch across
//!   the three keys (`verify_partitioned`).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    model::msa::PricingModel,
    partition::{PartitionCircuit, PartitionId, PartitionShape, PartitionedOpening},
    rate,
    statement::InvoiceOpening,
    Msa, Salt, Usage, VolumeState,
};
use zkinvoice_prover::partition::{inputs_of, prove_one, prove_partitioned, PartitionKeys};
use zkinvoice_testkit::model::{msa_with, october, product, usage};
use zkinvoice_verifier::partition::{verify_partitioned, PartitionProofRefs};

/// A bilateral of `products` products (graduated, all-units and recurring, up to `tiers` tiers)
/// and `records` records of random priced products.
fn bilateral(
    products: usize,
    tiers: usize,
    records: usize,
    rng: &mut ChaCha20Rng,
) -> (Msa, Usage, VolumeState) {
    let list = (0..products)
        .map(|i| {
            let model = [PricingModel::Graduated, PricingModel::Volume][i % 2];
            let mut t = 0;
            let table: Vec<(u64, u64)> = (0..tiers)
                .map(|j| {
                    if j > 0 {
                        t += rng.gen_range(1..10_000);
                    }
                    (t, rng.gen_range(1..50_000_000))
                })
                .collect();
            let recurring = (i % 3 == 0).then(|| (rng.gen_range(0..5_000_000_000_000), rng.gen_range(1..10)));
            product(&format!("p{i:05}"), model, &table, recurring)
        })
        .collect();
    let msa = msa_with(list);
    let recs: Vec<(usize, u64)> = (0..records)
        .map(|_| (rng.gen_range(0..products), rng.gen_range(1..5_000)))
        .collect();
    let u = usage(&msa, october(), &recs);
    let before = VolumeState {
        index: 3,
        volumes: (0..products).map(|_| rng.gen_range(0..20_000)).collect(),
    };
    (msa, u, before)
}

struct Case {
    msa: Msa,
    usage: Usage,
    before: VolumeState,
    invoice: zkinvoice_circuits::Invoice,
    after: VolumeState,
    salts: [Salt; 5],
}

impl Case {
    fn new(products: usize, tiers: usize, records: usize, rng: &mut ChaCha20Rng) -> Self {
        let (msa, usage, before) = bilateral(products, tiers, records, rng);
        let r = rate(&msa, &usage, &before, "INV-1").expect("rates");
        Self {
            msa,
            usage,
            before,
            invoice: r.invoice,
            after: r.after,
            salts: std::array::from_fn(|_| Salt::random(rng)),
        }
    }

    fn opening(&self, shape: PartitionShape) -> PartitionedOpening<'_> {
        PartitionedOpening {
            shape,
            of: InvoiceOpening {
                msa: &self.msa,
                msa_salt: &self.salts[0],
                usage: &self.usage,
                usage_salt: &self.salts[1],
                before: &self.before,
                before_salt: &self.salts[2],
                invoice: &self.invoice,
                invoice_salt: &self.salts[3],
                after: &self.after,
                after_salt: &self.salts[4],
            },
        }
    }
}

fn prove_each(c: &mut Criterion) {
    for shape in PartitionShape::ALL {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let keys = PartitionKeys::generate(shape, &mut rng).expect("keys");
        let case = Case::new(shape.block_products, shape.tiers, shape.chunk_records, &mut rng);
        let o = case.opening(shape);
        let (public, z) = o.public().expect("commits");
        let q = o.quantities();
        let mut g = c.benchmark_group(format!("prove/{}", shape.name));
        g.sample_size(10);
        for (name, id) in [
            ("block", PartitionId::Block(0)),
            ("chunk", PartitionId::Chunk(0)),
            ("link", PartitionId::Link),
        ] {
            let circuit: PartitionCircuit = o.circuit(&public, z, &q, id);
            let inputs = inputs_of(&public, z, id);
            g.bench_function(name, |b| {
                b.iter_batched(
                    || circuit.clone(),
                    |c| prove_one(&keys, c, id, &inputs, &mut rng).expect("proves"),
                    BatchSize::LargeInput,
                )
            });
        }
        g.finish();
    }
}

fn verify_whole(c: &mut Criterion) {
    let shape = PartitionShape::PS;
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let keys = PartitionKeys::generate(shape, &mut rng).expect("keys");
    let case = Case::new(
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

criterion_group!(benches, verify_whole, prove_each);
criterion_main!(benches);
