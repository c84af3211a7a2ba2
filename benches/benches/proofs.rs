//! Proving and verification costs for shapes S and M.
//!
//! `cargo bench -p zkinvoice-benches --bench proofs` (all; M takes several minutes), or a part:
//! `... --bench proofs -- prove/S`, `verify`, `msm_floor/M`.
//!
//! * `setup/X`, `prove/X`: Groth16 key generation and proving of the invoice statement.
//! * `msm_floor/X`: the five multi-scalar multiplications of one proof (A, B in G1 and G2, C's
//!   witness part L and quotient part H) with the same scalars, without synthesis, the witness
//!   map or anything else: the physical floor of proving.
//! * `verify/one`, `verify/one_by_one_64`, `verify/batch_64`: verification of shape S proofs
//!   (verification cost does not depend on the shape: both have five public inputs).
//! * `verify/mixed_100`: `verify_mixed` of 100 proofs under three keys (34, 33, 33, interleaved),
//!   as protocol v2 checks a unit's proofs: `100 + 3·3` Miller-loop pairs, one final
//!   exponentiation. The three keys are shape S invoice keys of independent setups; the cost hardly
//!   depends on the statements (only each key's input MSM grows with its number of inputs).

use ark_bls12_381::{Bls12_381, Fr, G1Projective, G2Projective};
use ark_ec::VariableBaseMSM;
use ark_ff::{PrimeField, UniformRand};
use ark_groth16::Groth16;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    statement::{InvoiceAssignment, InvoiceCircuit, InvoiceCost, InvoiceOpening},
    Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};
use zkinvoice_prover::{prove, InvoiceKeys, ProveRequest};
use zkinvoice_verifier::{verify, verify_batch, verify_mixed, InvoiceProof, InvoicePublicInputs, MixedItem};

const MSA: &str = include_str!("../../examples/msa.json");
const OCTOBER: &str = include_str!("../../examples/usage-2026-10.json");

/// The example bilateral's October for `shape`: the 992 CDRs for M, weekly aggregates for S.
struct Case {
    msa: Msa,
    usage: Usage,
    msa_salt: Salt,
    usage_salt: Salt,
    state0: StateOpening,
}

fn case(shape: Shape, rng: &mut ChaCha20Rng) -> Case {
    let msa = Msa::from_json(MSA).expect("valid example");
    let raw = Usage::parse(OCTOBER, UsageFormat::Json, &msa, None).expect("valid example");
    let usage = if shape == Shape::S {
        raw.aggregated(7).expect("aggregates")
    } else {
        raw
    };
    let msa_salt = Salt::random(rng);
    let msa_c = commit::msa_commitment(&msa, shape, &msa_salt).expect("fits");
    let state0 =
        StateOpening::new(msa_c, VolumeState::initial(&msa), shape, Salt::random(rng)).expect("commits");
    Case {
        msa,
        usage,
        msa_salt: msa_salt.clone(),
        usage_salt: Salt::random(rng),
        state0,
    }
}

fn request(c: &Case) -> ProveRequest<'_> {
    ProveRequest {
        msa: &c.msa,
        msa_salt: &c.msa_salt,
        usage: &c.usage,
        usage_salt: &c.usage_salt,
        expected_usage: None,
        before: &c.state0,
        invoice_number: "INV-BENCH",
    }
}

/// The five MSMs of one proof with the real assignment (and random quotient coefficients).
fn msm_floor(
    keys: &InvoiceKeys,
    c: &Case,
    rng: &mut ChaCha20Rng,
) -> impl FnMut() -> ([G1Projective; 4], G2Projective) {
    let shape = keys.shape();
    let rated = zkinvoice_circuits::rate(&c.msa, &c.usage, &c.state0.state, "INV-BENCH").expect("rates");
    let (is, asalt) = (Salt::random(rng), Salt::random(rng));
    let opening = InvoiceOpening {
        msa: &c.msa,
        msa_salt: &c.msa_salt,
        usage: &c.usage,
        usage_salt: &c.usage_salt,
        before: &c.state0.state,
        before_salt: &c.state0.salt,
        invoice: &rated.invoice,
        invoice_salt: &is,
        after: &rated.after,
        after_salt: &asalt,
    };
    let circuit = InvoiceCircuit {
        public: opening.public_inputs(shape).expect("commits"),
        assignment: InvoiceAssignment::new(shape, &opening).expect("assigns"),
    };
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    circuit.generate_constraints(cs.clone()).expect("synthesises");
    cs.finalize();
    let instance = cs.instance_assignment().expect("assigned");
    let witness = cs.witness_assignment().expect("assigned");
    let pk = keys.proving.as_ark().clone();
    let assignment: Vec<_> = instance[1..]
        .iter()
        .chain(&witness)
        .map(|s| s.into_bigint())
        .collect();
    let aux: Vec<_> = witness.iter().map(|s| s.into_bigint()).collect();
    let h: Vec<_> = (0..pk.h_query.len())
        .map(|_| Fr::rand(rng).into_bigint())
        .collect();
    move || {
        let b2 = G2Projective::msm_bigint(&pk.b_g2_query[1..], &assignment);
        let g1 = [
            G1Projective::msm_bigint(&pk.a_query[1..], &assignment),
            G1Projective::msm_bigint(&pk.b_g1_query[1..], &assignment),
            G1Projective::msm_bigint(&pk.l_query, &aux),
            G1Projective::msm_bigint(&pk.h_query, &h),
        ];
        (g1, b2)
    }
}

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
    let case = case(shape, &mut rng);
    g.bench_function("prove", |b| {
        b.iter(|| prove(&keys, &request(&case), &mut rng).expect("proves"))
    });
    let mut floor = msm_floor(&keys, &case, &mut rng);
    g.bench_function("msm_floor", |b| b.iter(&mut floor));
    g.finish();
}

fn shapes(c: &mut Criterion) {
    shape_benches(c, Shape::S);
    shape_benches(c, Shape::M);
}

fn verification(c: &mut Criterion) {
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let keys = InvoiceKeys::setup(Shape::S, &mut rng).expect("setup");
    let case = case(Shape::S, &mut rng);
    let proved = prove(&keys, &request(&case), &mut rng).expect("proves");
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
    case: &Case,
    rng: &mut ChaCha20Rng,
) -> Vec<(&'k InvoiceKeys, InvoiceProof, InvoicePublicInputs)> {
    let proved: Vec<_> = keys
        .iter()
        .map(|k| prove(k, &request(case), rng).expect("proves").envelope)
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
