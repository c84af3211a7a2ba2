//! Proving and verification costs for shapes S and M.
//!
//! `cargo bench -p zkinvoice-benches --bench proofs` (all; M takes several minutes), or a part:
//! `... --bench proofs -- shape_S`, `verify`.
//!
//! * `shape_X/setup`, `shape_X/prove`: Groth16 key generation, and proving an invoice end to end
//!   (rating, witness, proof and its self-check). The prover's parts, and the prover against
//!   arkworks' in one run, are in the `prover` bench.
//! * `verify/one`, `verify/one_by_one_64`, `verify/batch_64`: verification of shape S proofs
//!   (verification cost does not depend on the shape: both have five public inputs), with blst's
//!   pairings; `verify/one_arkworks`: the same proof with ark-groth16's `verify_proof` and the
//!   same prepared key (the verifier before, in the same run).
//! * `verify/mixed_100`: `verify_mixed` of 100 proofs under three keys (34, 33, 33, interleaved),
//!   as protocol v2 checks a unit's proofs: `100 + 3·3` Miller-loop pairs, one final
//!   exponentiation. The three keys are shape S invoice keys of independent setups; the cost hardly
//!   depends on the statements (only each key's input MSM grows with its number of inputs).

use ark_bls12_381::Bls12_381;
use ark_groth16::Groth16;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{statement::InvoiceCost, Shape};
use zkinvoice_prover::{prove, InvoiceKeys};
use zkinvoice_testkit::cases::V1Case;
use zkinvoice_verifier::{verify, verify_batch, verify_mixed, InvoiceProof, InvoicePublicInputs, MixedItem};

fn shape_benches(c: &mut Criterion, shape: Shape) {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    println!(
        "shape {shape}: {} constraints ({:?})",
        InvoiceCost::of(shape).total(shape),
        InvoiceCost::of(shape)
    );
    let mut g = c.benchmark_group(format!("shape_{}", shape.name));
    g.sample_size(10);
    g.bench_function("setup", |b| {
        b.iter(|| InvoiceKeys::setup(shape, &mut rng).expect("setup"))
    });
    let keys = InvoiceKeys::setup(shape, &mut rng).expect("setup");
    let case = V1Case::october(shape, &mut rng);
    g.bench_function("prove", |b| {
        b.iter(|| prove(&keys, &case.request(), &mut rng).expect("proves"))
    });
    g.finish();
}

fn shapes(c: &mut Criterion) {
    shape_benches(c, Shape::S);
    shape_benches(c, Shape::M);
}

fn verification(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let keys = InvoiceKeys::setup(Shape::S, &mut rng).expect("setup");
    let case = V1Case::october(Shape::S, &mut rng);
    let proved = prove(&keys, &case.request(), &mut rng).expect("proves");
    let inputs = proved.envelope.public_inputs;
    // 64 distinct valid proofs of the statement (re-randomised: Groth16 proofs are malleable).
    let proofs: Vec<InvoiceProof> = (0..64)
        .map(|_| {
            InvoiceProof::from(Groth16::<Bls12_381>::rerandomize_proof(
                keys.verifying.as_ark(),
                proved.envelope.proof.single().expect("one proof").as_ark(),
                &mut rng,
            ))
        })
        .collect();
    let mut g = c.benchmark_group("verify");
    g.bench_function("one", |b| {
        b.iter(|| verify(&keys.prepared, &proofs[0], &inputs).expect("valid"))
    });
    let x = inputs.to_field_elements();
    g.bench_function("one_arkworks", |b| {
        b.iter(|| {
            assert!(
                Groth16::<Bls12_381>::verify_proof(keys.prepared.as_ark(), proofs[0].as_ark(), &x)
                    .expect("checks")
            )
        })
    });
    g.bench_function("one_by_one_64", |b| {
        b.iter(|| {
            proofs
                .iter()
                .for_each(|p| verify(&keys.prepared, p, &inputs).expect("valid"))
        })
    });
    let items: Vec<_> = proofs.iter().map(|p| (p, &inputs)).collect();
    g.bench_function("batch_64", |b| {
        b.iter_batched(
            || ChaCha20Rng::seed_from_u64(9),
            |mut r| verify_batch(&keys.prepared, &items, &mut r).expect("valid"),
            BatchSize::SmallInput,
        )
    });
    let others: Vec<InvoiceKeys> = (0..2)
        .map(|_| InvoiceKeys::setup(Shape::S, &mut rng).expect("setup"))
        .collect();
    let mixed = mixed_proofs(&[&keys, &others[0], &others[1]], &case, &mut rng);
    let items: Vec<_> = mixed
        .iter()
        .map(|(k, p, x)| MixedItem::new(&k.prepared, p, x))
        .collect();
    g.bench_function("mixed_100", |b| {
        b.iter_batched(
            || ChaCha20Rng::seed_from_u64(10),
            |mut r| verify_mixed(&items, &mut r).expect("valid"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// 100 distinct valid proofs under `keys`, in turn.
fn mixed_proofs<'k>(
    keys: &[&'k InvoiceKeys],
    case: &V1Case,
    rng: &mut ChaCha20Rng,
) -> Vec<(&'k InvoiceKeys, InvoiceProof, InvoicePublicInputs)> {
    let proved: Vec<_> = keys
        .iter()
        .map(|k| prove(k, &case.request(), rng).expect("proves").envelope)
        .collect();
    (0..100)
        .map(|i| {
            let (k, envelope) = (keys[i % keys.len()], &proved[i % keys.len()]);
            let proof = Groth16::<Bls12_381>::rerandomize_proof(
                k.verifying.as_ark(),
                envelope.proof.single().expect("one proof").as_ark(),
                rng,
            );
            (k, InvoiceProof::from(proof), envelope.public_inputs)
        })
        .collect()
}

criterion_group!(benches, verification, shapes);
criterion_main!(benches);
