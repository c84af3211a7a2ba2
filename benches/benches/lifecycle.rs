//! After the invoice (issue 16): the reconciliation, netting and credit-note statements, proven
//! and verified, and their native twins, at shapes S and M.
//!
//! `cargo bench -p zkinvoice-benches --bench lifecycle` (M's keys take seconds to make), or one
//! statement and shape: `... --bench lifecycle -- reconcile/S`, `... -- netting/M`,
//! `... -- credit/S`; `... -- netting/` runs v1's at S and M and v2's (`netting/heads`) in one run;
//! `... -- reconcile/nine` the reconciliation of nine products as v1 at M and v2 at PS and PM.
//!
//! The reconciliation: the example MSA, October: the Seller's invoice and the one rated from a
//! Buyer's measurement with half the IP transit (over its threshold), each rated from a state 0.
//! The netting: that Seller's invoice against October's of the reverse MSA
//! (`examples/msa-reverse.json`), as v1 invoices at S and M, and as partitioned invoices (PS
//! against PM) over their heads (`netting/heads`). The credit note: that Seller's invoice under October's SLA
//! performance (both products with a service level below a band). Single-party seeded setups.

use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    model::period::PeriodDoc,
    native::{credit::credit_note, netting::net, reconcile::reconcile},
    partition::{parts::invoice_parts, PartitionShape},
    Salt, Shape,
};
use zkinvoice_prover::{
    credit::{CreditInputs, CreditKeys},
    netting::{NettingHeadsKeys, NettingKeys},
    reconcile::{
        partitioned::{PartitionedReconcileEnvelope, PartitionedReconcileKeys},
        ReconcileKeys,
    },
};
use zkinvoice_testkit::model::{
    example_msa, october, october_invoice, reverse_msa, sla, thresholded_partitioned_msa, PARTITIONED_OVER,
    PARTITIONED_SELLER,
};
use zkinvoice_verifier::{verify, NettingHeadsPublicInputs};

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

/// The reconciliation of partitioned invoices (issue 16): the testkit's nine products with
/// thresholds in each block (three blocks at PS, one at PM), October's Seller's invoice against a
/// Buyer's over on two products and the usage charges; proven and verified as v2 (every block's
/// proof and the link's; the envelope's checks) at PS and PM, and as v1 at M, in one run
/// (`... -- reconcile/nine`).
fn reconciliation_v2(c: &mut Criterion) {
    let msa = thresholded_partitioned_msa();
    let seller = october_invoice(&msa, &PARTITIONED_SELLER, "INV-1");
    let buyer = october_invoice(&msa, &PARTITIONED_OVER, "INV-1-B");
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    let october = || PeriodDoc {
        start: "2026-10-01".into(),
        end: "2026-11-01".into(),
    };
    {
        let keys = ReconcileKeys::generate(Shape::M, &mut rng).expect("a setup");
        let vk = keys.verifying_key().prepare();
        let prove = |rng: &mut ChaCha20Rng| {
            keys.prove(&msa, &salts[0], (&seller, &salts[1]), (&buyer, &salts[2]), rng)
                .expect("proves")
        };
        let proved = prove(&mut rng);
        let mut g = c.benchmark_group("reconcile/nine/M");
        g.sample_size(10);
        g.bench_function("prove", |b| b.iter(|| prove(&mut rng)));
        g.bench_function("verify", |b| {
            b.iter(|| verify(&vk, &proved.proof, &proved.public).expect("verifies"))
        });
        g.finish();
    }
    for shape in PartitionShape::ALL {
        let keys = PartitionedReconcileKeys::generate(shape, &mut rng).expect("a setup");
        let vks = keys.verifying_keys();
        let prove = |rng: &mut ChaCha20Rng| {
            keys.prove(&msa, &salts[0], (&seller, &salts[1]), (&buyer, &salts[2]), rng)
                .expect("proves")
        };
        let env = PartitionedReconcileEnvelope::new(&prove(&mut rng), october(), &keys);
        assert_eq!(
            env.public.blocks(),
            msa.products.len().div_ceil(shape.block_products)
        );
        let mut g = c.benchmark_group(format!("reconcile/nine/{}", shape.name));
        g.sample_size(10);
        g.bench_function("prove", |b| b.iter(|| prove(&mut rng)));
        g.bench_function("verify", |b| b.iter(|| env.verify(&vks).expect("verifies")));
        g.finish();
    }
}

fn credit(c: &mut Criterion) {
    let msa = example_msa();
    let invoice = october_invoice(&msa, &[(0, 40_000), (2, 150_000), (3, 900_000)], "INV-1");
    let performance = sla(
        &msa,
        october(),
        &[("eline-ovc-1g", "99.42"), ("ip-transit", "98.9999")],
    );
    let mut rng = ChaCha20Rng::seed_from_u64(864);
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    let day = invoice.issue_date;
    for shape in [Shape::S, Shape::M] {
        let keys = CreditKeys::generate(shape, &mut rng).expect("a setup");
        let vk = keys.verifying_key().prepare();
        let inputs = CreditInputs {
            msa: (&msa, &salts[0]),
            invoice: (&invoice, &salts[1]),
            sla: (&performance, &salts[2]),
        };
        let prove = |rng: &mut ChaCha20Rng| keys.prove(inputs, ("CN-1", day), rng).expect("credits");
        let proved = prove(&mut rng);
        assert!(proved.note.total > 0);
        let mut g = c.benchmark_group(format!("credit/{}", shape.name));
        g.sample_size(10);
        g.bench_function("prove", |b| b.iter(|| prove(&mut rng)));
        g.bench_function("verify", |b| {
            b.iter(|| verify(&vk, &proved.proof, &proved.public).expect("verifies"))
        });
        g.bench_function("native", |b| {
            b.iter(|| credit_note(&msa, &invoice, &performance, "CN-1", day).expect("credits"))
        });
        g.finish();
    }
}

fn netting(c: &mut Criterion) {
    let forward = october_invoice(
        &example_msa(),
        &[(0, 40_000), (2, 150_000), (3, 900_000)],
        "INV-1",
    );
    let reverse = october_invoice(&reverse_msa(), &[(0, 61_250)], "GX-1");
    let mut rng = ChaCha20Rng::seed_from_u64(863);
    let salts: Vec<Salt> = (0..2).map(|_| Salt::random(&mut rng)).collect();
    for shape in [Shape::S, Shape::M] {
        let keys = NettingKeys::generate(shape, &mut rng).expect("a setup");
        let vk = keys.verifying_key().prepare();
        let prove = |rng: &mut ChaCha20Rng| {
            keys.prove((&forward, &salts[0]), (&reverse, &salts[1]), rng)
                .expect("nets")
        };
        let proved = prove(&mut rng);
        let mut g = c.benchmark_group(format!("netting/{}", shape.name));
        g.sample_size(10);
        g.bench_function("prove", |b| b.iter(|| prove(&mut rng)));
        g.bench_function("verify", |b| {
            b.iter(|| verify(&vk, &proved.proof, &proved.public).expect("verifies"))
        });
        g.bench_function("native", |b| b.iter(|| net(&forward, &reverse).expect("nets")));
        g.finish();
    }
    // The same two invoices partitioned (the Seller's at PS, the reverse at PM), netted over
    // their heads (`zkinvoice/netting/v2`, one circuit for every partition shape); the native
    // twin also computes both invoices' parts.
    let keys = NettingHeadsKeys::generate_heads(&mut rng).expect("a setup");
    let vk = keys.verifying_key().prepare();
    let prove = |rng: &mut ChaCha20Rng| {
        keys.prove(
            (&forward, PartitionShape::PS, &salts[0]),
            (&reverse, PartitionShape::PM, &salts[1]),
            rng,
        )
        .expect("nets")
    };
    let proved = prove(&mut rng);
    let [first, second] = proved.parts.clone().expect("the parts");
    let public = NettingHeadsPublicInputs {
        netting: proved.public,
        first_head: first.head,
        second_head: second.head,
    };
    let mut g = c.benchmark_group("netting/heads");
    g.sample_size(10);
    g.bench_function("prove", |b| b.iter(|| prove(&mut rng)));
    g.bench_function("verify", |b| {
        b.iter(|| verify(&vk, &proved.proof, &public).expect("verifies"))
    });
    g.bench_function("native", |b| {
        b.iter(|| {
            let parts = [
                invoice_parts(&forward, PartitionShape::PS, &salts[0]).expect("parts"),
                invoice_parts(&reverse, PartitionShape::PM, &salts[1]).expect("parts"),
            ];
            (net(&forward, &reverse).expect("nets"), parts)
        })
    });
    g.finish();
}

criterion_group!(benches, reconciliation, reconciliation_v2, netting, credit);
criterion_main!(benches);
