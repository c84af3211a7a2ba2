//! The Groth16 prover against arkworks', statement by statement, in one run (issue 14).
//!
//! `cargo bench -p zkinvoice-benches --bench prover` (all; M's and PM's keys take minutes to make),
//! or a part: `... --bench prover -- invoice/M`, `PM/chunk`, `/ours$`.
//!
//! For each statement (the invoice statement at shapes S and M; the block, chunk and link
//! statements of partition shapes PS and PM), with a real witness (October's 992 CDRs at M, a
//! filled block and chunk at PM):
//! * `X/arkworks`: ark-groth16's `Groth16::prove` with the whole key: synthesis that records every
//!   constraint, the matrices rebuilt, arkworks' MSMs (the prover before issue 14);
//! * `X/ours`: `StatementProver::prove`: witness-only synthesis, the cached matrices, the filtered
//!   key, blst's MSMs, the quotient beside the other MSMs;
//! * `X/ours_arkworks_msm`: the same with arkworks' MSMs;
//! * `X/witness`, `X/quotient`: witness-only synthesis alone, the quotient (FFTs) alone;
//! * `X/msm_floor`, `X/msm_floor_arkworks`: the five MSMs of one proof alone (A, B in G1 and G2,
//!   the witness part of C, the quotient), one after the other, with blst (the floor the prover is
//!   measured against) and with arkworks;
//! * `X/msm_{a,b_g1,b_g2,l,h}` and `..._arkworks`: each of them alone, after a line giving the size
//!   classes of its scalars (where the floor's time goes).
//!
//! Before each group it prints the statement's size: constraints, variables, matrix entries, the
//! key file and the filtered key in memory, and the points the filter dropped.

use std::sync::Arc;

use ark_bls12_381::{Bls12_381, Fr};
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::gr1cs::ConstraintSynthesizer;
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    partition::{PartitionCircuit, PartitionShape},
    statement::{r1cs::witness, InvoiceCircuit, R1cs},
    Shape,
};
use zkinvoice_prover::{
    groth16::{
        msm::{class_counts, Points, Scalar},
        Backend, StatementProver,
    },
    keys::invoice_r1cs,
    partition::{keys::statement_r1cs, PartitionKeys},
};
use zkinvoice_testkit::cases::{PartitionCase, V1Case};

const MB: f64 = 1024.0 * 1024.0;

fn statement<C: ConstraintSynthesizer<Fr> + Clone>(
    c: &mut Criterion,
    name: &str,
    r1cs: Arc<R1cs>,
    pk: &ProvingKey<Bls12_381>,
    circuit: C,
) {
    let mut rng = ChaCha20Rng::seed_from_u64(21);
    let ours = StatementProver::of(r1cs.clone(), pk, Backend::Blst).expect("filters");
    let ours_ark = StatementProver::of(r1cs.clone(), pk, Backend::Arkworks).expect("filters");
    let k = ours.key();
    println!(
        "{name}: {} constraints, {} variables ({} instance), {} matrix entries; key file {:.1} MB, \
         filtered key {:.1} MB; points dropped from A, B (G1), B (G2): {:?}",
        r1cs.num_constraints(),
        r1cs.num_variables(),
        r1cs.num_instance,
        r1cs.non_zeros(),
        pk.uncompressed_size() as f64 / MB,
        k.heap_bytes() as f64 / MB,
        k.dropped,
    );
    let z = witness(circuit.clone()).expect("assigns");
    let h = ours.quotient(&z).expect("quotient");
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.bench_function("arkworks", |b| {
        b.iter_batched(
            || circuit.clone(),
            |c| Groth16::<Bls12_381>::prove(pk, c, &mut rng).expect("proves"),
            BatchSize::LargeInput,
        )
    });
    for (id, prover) in [("ours", &ours), ("ours_arkworks_msm", &ours_ark)] {
        g.bench_function(id, |b| {
            b.iter_batched(
                || circuit.clone(),
                |c| prover.prove(c, &mut rng).expect("proves"),
                BatchSize::LargeInput,
            )
        });
    }
    g.bench_function("witness", |b| {
        b.iter_batched(
            || circuit.clone(),
            |c| witness(c).expect("assigns"),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("quotient", |b| b.iter(|| ours.quotient(&z).expect("quotient")));
    g.bench_function("msm_floor", |b| b.iter(|| ours.msms(&z, &h)));
    g.bench_function("msm_floor_arkworks", |b| b.iter(|| ours_ark.msms(&z, &h)));
    msm_parts(&mut g, &ours, &ours_ark, &z, &h);
    g.finish();
}

/// Each of the five MSMs alone, with blst and with arkworks, after the size classes of its
/// scalars: where the floor's time goes.
fn msm_parts(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ours: &StatementProver,
    ours_ark: &StatementProver,
    z: &[Fr],
    h: &[Fr],
) {
    use ark_ff::{BigInteger, PrimeField};
    let scalars: Vec<Scalar> = z.iter().map(|x| x.into_bigint()).collect();
    let gather = |vars: &[u32]| -> Vec<Scalar> { vars.iter().map(|&i| scalars[i as usize]).collect() };
    let h: Vec<Scalar> = h.iter().map(|x| x.into_bigint()).collect();
    let (k, ka) = (ours.key(), ours_ark.key());
    let g1 = [
        ("a", &k.a.points, &ka.a.points, gather(&k.a.variables)),
        ("b_g1", &k.b_g1.points, &ka.b_g1.points, gather(&k.b_g1.variables)),
        ("l", &k.l.points, &ka.l.points, gather(&k.l.variables)),
        ("h", &k.h, &ka.h, h.clone()),
    ];
    for (name, p, pa, s) in &g1 {
        println!(
            "  msm {name}: {} points, zeros and classes (+, -) by bits 1, 8, 16, 32, 64, 255: {:?}",
            s.len(),
            class_counts(s)
        );
        g.bench_function(format!("msm_{name}"), |b| b.iter(|| p.msm(s)));
        g.bench_function(format!("msm_{name}_arkworks"), |b| b.iter(|| pa.msm(s)));
    }
    // The quotient's MSM straight through blst (no size classes, scalars already in bytes): what
    // the wrapper costs.
    if let Points::Blst(points) = &k.h {
        let bytes: Vec<u8> = h.iter().flat_map(|x| x.to_bytes_le()).collect();
        g.bench_function("msm_h_blst_raw", |b| {
            b.iter(|| blst::MultiPoint::mult(&points[..], &bytes, 255))
        });
    }
    let s = gather(&k.b_g2.variables);
    println!(
        "  msm b_g2: {} points, zeros and classes: {:?}",
        s.len(),
        class_counts(&s)
    );
    g.bench_function("msm_b_g2", |b| b.iter(|| k.b_g2.points.msm(&s)));
    g.bench_function("msm_b_g2_arkworks", |b| b.iter(|| ka.b_g2.points.msm(&s)));
}

fn v1(c: &mut Criterion) {
    for shape in [Shape::S, Shape::M] {
        let mut rng = ChaCha20Rng::seed_from_u64(20);
        let (pk, _) = Groth16::<Bls12_381>::circuit_specific_setup(InvoiceCircuit::blank(shape), &mut rng)
            .expect("setup");
        let circuit = V1Case::october(shape, &mut rng).circuit(&mut rng);
        let r1cs = invoice_r1cs(shape).expect("matrices");
        statement(c, &format!("invoice/{}", shape.name), r1cs, &pk, circuit);
    }
}

fn partitions(c: &mut Criterion) {
    for shape in PartitionShape::ALL {
        let mut rng = ChaCha20Rng::seed_from_u64(22);
        let keys = PartitionKeys::generate(shape, &mut rng).expect("keys");
        let case = PartitionCase::filling(shape, &mut rng);
        for ((id, circuit, _), r1cs) in case
            .circuits(shape)
            .into_iter()
            .zip(statement_r1cs(shape).expect("matrices"))
        {
            let pk = keys.of(id).ark.as_ref().expect("made in this process");
            let name = |statement: &str| format!("{}/{statement}", shape.name);
            match circuit {
                PartitionCircuit::Block(k) => statement(c, &name("block"), r1cs, pk, k),
                PartitionCircuit::Chunk(k) => statement(c, &name("chunk"), r1cs, pk, k),
                PartitionCircuit::Link(k) => statement(c, &name("link"), r1cs, pk, k),
            }
        }
    }
}

criterion_group!(benches, v1, partitions);
criterion_main!(benches);
