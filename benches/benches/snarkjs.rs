//! The prover against snarkjs (npm `snarkjs`, pinned in `tools/node`) on the identical constraint
//! system, in one run (issue 14): each statement's matrices and a real witness are written in
//! circom's formats (`.r1cs`, `.wtns`); snarkjs sets up its own key from them (an insecure
//! one-party powers of tau: this measures speed, not trust), and both provers prove the same
//! witness.
//!
//! `cargo bench -p zkinvoice-benches --bench snarkjs` (the powers of tau take minutes), or a part:
//! `... --bench snarkjs -- PS/link`.
//!
//! * `X/ours`: `StatementProver::prove` with zkinvoice's key (witness-only synthesis included);
//! * `X/snarkjs`: `snarkjs groth16 prove` on the `.wtns` (a Node process per proof: its start,
//!   about 0.3 s, is part of what a snarkjs user pays; the witness is given, not computed).

use std::{path::Path, sync::Arc};

use ark_bls12_381::{Bls12_381, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::gr1cs::ConstraintSynthesizer;
use ark_snark::SNARK;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    partition::{PartitionCircuit, PartitionShape},
    statement::{
        r1cs::{
            circom::{r1cs_file, wtns_file},
            witness,
        },
        InvoiceCircuit, R1cs,
    },
    Shape,
};
use zkinvoice_prover::{
    groth16::{Backend, StatementProver},
    keys::invoice_r1cs,
    partition::{keys::statement_r1cs, PartitionKeys},
};
use zkinvoice_testkit::{
    cases::{PartitionCase, V1Case},
    node,
};

fn snarkjs(dir: &Path, args: &[&str]) {
    let (ok, said) = node::snarkjs(dir, args);
    assert!(ok, "snarkjs {args:?}: {said}");
}

fn statement<C: ConstraintSynthesizer<Fr> + Clone>(
    c: &mut Criterion,
    name: &str,
    r1cs: Arc<R1cs>,
    pk: &ProvingKey<Bls12_381>,
    circuit: C,
) {
    let dir = tempfile::tempdir().expect("a directory");
    let d = dir.path();
    let z = witness(circuit.clone()).expect("assigns");
    std::fs::write(d.join("s.r1cs"), r1cs_file(&r1cs)).expect("writes");
    std::fs::write(d.join("s.wtns"), wtns_file(&z)).expect("writes");
    let power = (r1cs.num_constraints() + r1cs.num_instance)
        .next_power_of_two()
        .trailing_zeros()
        .to_string();
    println!("{name}: snarkjs setup at 2^{power}");
    snarkjs(d, &["powersoftau", "new", "bls12381", &power, "pot.ptau"]);
    snarkjs(d, &["powersoftau", "prepare", "phase2", "pot.ptau", "final.ptau"]);
    snarkjs(d, &["groth16", "setup", "s.r1cs", "final.ptau", "s.zkey"]);

    let ours = StatementProver::of(r1cs.clone(), pk, Backend::Blst).expect("filters");
    let mut rng = ChaCha20Rng::seed_from_u64(31);
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.bench_function("ours", |bch| {
        bch.iter_batched(
            || circuit.clone(),
            |k| ours.prove(k, &mut rng).expect("proves"),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("snarkjs", |bch| {
        bch.iter(|| {
            snarkjs(
                d,
                &[
                    "groth16",
                    "prove",
                    "s.zkey",
                    "s.wtns",
                    "proof.json",
                    "public.json",
                ],
            )
        })
    });
    g.finish();
}

fn compare(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(30);
    let shape = PartitionShape::PS;
    let keys = PartitionKeys::generate(shape, &mut rng).expect("keys");
    let case = PartitionCase::filling(shape, &mut rng);
    for ((id, circuit, _), r1cs) in case
        .circuits(shape)
        .into_iter()
        .zip(statement_r1cs(shape).expect("matrices"))
    {
        let pk = keys.of(id).ark.as_ref().expect("made in this process");
        match circuit {
            PartitionCircuit::Block(k) => statement(c, "PS/block", r1cs, pk, k),
            PartitionCircuit::Chunk(k) => statement(c, "PS/chunk", r1cs, pk, k),
            PartitionCircuit::Link(k) => statement(c, "PS/link", r1cs, pk, k),
        }
    }
    let (pk, _) = Groth16::<Bls12_381>::circuit_specific_setup(InvoiceCircuit::blank(Shape::S), &mut rng)
        .expect("setup");
    let circuit = V1Case::october(Shape::S, &mut rng).circuit(&mut rng);
    statement(
        c,
        "invoice/S",
        invoice_r1cs(Shape::S).expect("matrices"),
        &pk,
        circuit,
    );
}

criterion_group!(benches, compare);
criterion_main!(benches);
