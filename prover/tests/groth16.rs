//! The Groth16 prover against arkworks', statement by statement (v1 shape S, and the block, chunk
//! and link statements of partition shape PS, each with a real witness):
//! * witness-only synthesis assigns exactly what full synthesis assigns, and the cached matrices
//!   are satisfied by it (and not by a changed witness);
//! * with the same randomness, the proof equals arkworks' `create_proof_with_reduction`, bit for
//!   bit, with blst's MSMs and with arkworks';
//! * its proofs verify with ark-groth16's verifier, and arkworks' with ours;
//! * a changed witness gives a proof that does not verify;
//! * the key read from its file as a stream is the key filtered in memory, and a key of another
//!   statement is refused by its query lengths;
//! * a key directory's matrices are read from their circom file and checked before they are kept.

use std::sync::Arc;

use ark_bls12_381::{Bls12_381, Fr};
use ark_ff::UniformRand;
use ark_groth16::{r1cs_to_qap::LibsnarkReduction, Groth16, ProvingKey};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem, OptimizationGoal};
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    partition::{PartitionCircuit, PartitionId, PartitionShape},
    statement::{r1cs::witness, R1cs},
    Shape,
};
use zkinvoice_prover::{
    groth16::{Backend, FilteredKey, StatementProver},
    keys::invoice_r1cs,
    partition::{keys::statement_r1cs, PartitionKeys},
    InvoiceKeys, ProverError,
};
use zkinvoice_testkit::{
    cases::{PartitionCase, V1Case},
    model::partitioned_bilateral,
};

fn full_assignment(circuit: impl ConstraintSynthesizer<Fr>) -> Vec<Fr> {
    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_optimization_goal(OptimizationGoal::Constraints);
    circuit.generate_constraints(cs.clone()).unwrap();
    cs.finalize();
    assert!(cs.is_satisfied().unwrap(), "the witness satisfies its circuit");
    let mut z = cs.instance_assignment().unwrap();
    z.extend(cs.witness_assignment().unwrap());
    z
}

/// Everything the file's header promises, for one statement.
fn check_statement<C: ConstraintSynthesizer<Fr> + Clone>(
    name: &str,
    r1cs: Arc<R1cs>,
    pk: &ProvingKey<Bls12_381>,
    circuit: C,
    inputs: &[Fr],
    rng: &mut ChaCha20Rng,
) {
    let z = witness(circuit.clone()).unwrap();
    assert_eq!(
        z,
        full_assignment(circuit.clone()),
        "{name}: the witness of both syntheses"
    );
    assert_eq!(z.len(), r1cs.num_variables());
    assert_eq!(&z[1..r1cs.num_instance], inputs, "{name}: the instance");
    assert_eq!(r1cs.check(&z), Ok(()), "{name}: the matrices hold");
    let mut bad = z.clone();
    let last = bad.len() - 1;
    bad[last] += Fr::from(1u64);
    assert!(
        r1cs.check(&bad).is_err(),
        "{name}: a changed witness breaks a constraint"
    );

    let pvk = ark_groth16::prepare_verifying_key(&pk.vk);
    let (r, s) = (Fr::rand(rng), Fr::rand(rng));
    let ark = Groth16::<Bls12_381, LibsnarkReduction>::create_proof_with_reduction(circuit.clone(), pk, r, s)
        .unwrap();
    assert!(Groth16::<Bls12_381>::verify_with_processed_vk(&pvk, inputs, &ark).unwrap());
    for backend in [Backend::Blst, Backend::Arkworks] {
        let prover = StatementProver::of(r1cs.clone(), pk, backend).unwrap();
        let ours = prover.prove_assignment(&z, r, s).unwrap();
        assert_eq!(ours, ark, "{name} ({backend:?}): the proof arkworks makes");
        let fresh = prover.prove(circuit.clone(), rng).unwrap();
        assert!(
            Groth16::<Bls12_381>::verify_with_processed_vk(&pvk, inputs, &fresh).unwrap(),
            "{name} ({backend:?}): ark-groth16's verifier accepts it"
        );
        let forged = prover.prove_assignment(&bad, r, s).unwrap();
        assert!(
            !Groth16::<Bls12_381>::verify_with_processed_vk(&pvk, inputs, &forged).unwrap(),
            "{name} ({backend:?}): a changed witness does not verify"
        );
        assert!(
            prover.quotient(&z[1..]).is_err(),
            "{name}: a short assignment is refused"
        );
        assert!(prover.prove_assignment(&z[1..], r, s).is_err());
    }

    // Read from its file as a stream: the same key, and the same proof.
    let mut bytes = Vec::new();
    pk.serialize_uncompressed(&mut bytes).unwrap();
    let read = FilteredKey::read(&bytes[..], &r1cs, Backend::Blst).unwrap();
    let filtered = FilteredKey::of(pk, &r1cs, Backend::Blst).unwrap();
    assert_eq!(read.a.variables, filtered.a.variables);
    assert_eq!(read.b_g2.variables, filtered.b_g2.variables);
    assert_eq!(read.dropped, filtered.dropped);
    assert!(
        read.dropped[1] > 0 && read.dropped[1] == read.dropped[2],
        "{name}: variables absent from B are dropped from both of B's queries ({:?})",
        read.dropped
    );
    let from_file = StatementProver::new(r1cs.clone(), read)
        .prove_assignment(&z, r, s)
        .unwrap();
    assert_eq!(from_file, ark);
}

#[test]
fn the_v1_statement_proves_as_arkworks_does() {
    let mut rng = ChaCha20Rng::seed_from_u64(140);
    let shape = Shape::S;
    let keys = InvoiceKeys::setup(shape, &mut rng).unwrap();
    let circuit = V1Case::october(shape, &mut rng).circuit(&mut rng);
    let public = circuit.public;
    let pk = keys.proving.as_ark().expect("made in this process");
    let inputs = public.to_field_elements();
    check_statement(
        "invoice S",
        invoice_r1cs(shape).unwrap(),
        pk,
        circuit.clone(),
        &inputs,
        &mut rng,
    );

    // arkworks' proof verifies with zkinvoice's verifier.
    let ark = Groth16::<Bls12_381>::create_random_proof_with_reduction(circuit, pk, &mut rng).unwrap();
    zkinvoice_verifier::verify(&keys.prepared, &ark.into(), &public).unwrap();
}

#[test]
fn the_partition_statements_prove_as_arkworks_does() {
    let mut rng = ChaCha20Rng::seed_from_u64(141);
    let shape = PartitionShape::PS;
    let keys = PartitionKeys::generate_with(shape, &mut rng, Backend::Arkworks).unwrap();
    // Three blocks and three chunks: a block and a chunk other than the first.
    let (msa, usage, state) = partitioned_bilateral(&mut rng);
    let case = PartitionCase::of(msa, usage, state, &mut rng);
    let [rb, rc, rl] = statement_r1cs(shape).unwrap();
    for (id, r1cs) in [
        (PartitionId::Block(1), rb),
        (PartitionId::Chunk(2), rc),
        (PartitionId::Link, rl),
    ] {
        let pk = keys.of(id).ark.as_ref().expect("made in this process");
        let (circuit, inputs) = case.circuit(shape, id);
        match circuit {
            PartitionCircuit::Block(c) => check_statement("block", r1cs, pk, c, &inputs, &mut rng),
            PartitionCircuit::Chunk(c) => check_statement("chunk", r1cs, pk, c, &inputs, &mut rng),
            PartitionCircuit::Link(c) => check_statement("link", r1cs, pk, c, &inputs, &mut rng),
        }
    }

    // A key of another statement is refused by its query lengths before they are read.
    let mut bytes = Vec::new();
    keys.link
        .ark
        .as_ref()
        .unwrap()
        .serialize_uncompressed(&mut bytes)
        .unwrap();
    let [block, _, _] = statement_r1cs(shape).unwrap();
    match FilteredKey::read(&bytes[..], &block, Backend::Blst) {
        Err(ProverError::KeyLength { query, .. }) => assert_eq!(query, "a query"),
        Err(e) => panic!("unexpected {e}"),
        Ok(_) => panic!("a link key read as a block key"),
    }
    // A cut key is refused.
    assert!(matches!(
        FilteredKey::read(
            &bytes[..bytes.len() - 10],
            &statement_r1cs(shape).unwrap()[2],
            Backend::Blst
        ),
        Err(ProverError::KeyFormat(_))
    ));
}

/// A key directory's matrices are read from their circom file, checked against the manifest's
/// circuit digest before this process keeps them; a file of another statement or a damaged one
/// is refused (and never kept in its place); without the file they are synthesised.
#[test]
fn matrices_are_read_from_their_file_and_checked_before_they_are_kept() {
    use zkinvoice_circuits::statement::r1cs::circom::r1cs_file;
    use zkinvoice_prover::groth16::load_r1cs;

    let one = Fr::from(1u64);
    // x * x = k * y, y public: wires 0 (one), 1 (y), 2 (x).
    let square = |k: u64| {
        let (a, b, c) = (
            vec![vec![(one, 2)]],
            vec![vec![(one, 2)]],
            vec![vec![(Fr::from(k), 1)]],
        );
        R1cs::from_rows("square", 2, 1, [&a, &b, &c]).unwrap()
    };
    let (right, other) = (square(1), square(2));
    let expected = hex::encode(right.digest);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("square.r1cs");
    let never = || -> Result<R1cs, ProverError> { panic!("read from the file, not synthesised") };

    std::fs::write(&file, r1cs_file(&other)).unwrap();
    let e = load_r1cs("test/square", "square", &file, &expected, never).unwrap_err();
    assert!(
        matches!(&e, ProverError::KeyFile { file: f, reason } if f == &file && reason.contains("the keys were made for circuit")),
        "{e}"
    );
    let bytes = r1cs_file(&right);
    std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
    let e = load_r1cs("test/square", "square", &file, &expected, never).unwrap_err();
    assert!(
        e.to_string().contains("not this statement's constraint system"),
        "{e}"
    );

    std::fs::write(&file, &bytes).unwrap();
    let read = load_r1cs("test/square", "square", &file, &expected, never).unwrap();
    assert_eq!(read.digest, right.digest);
    assert_eq!(read.check(&[one, Fr::from(9u64), Fr::from(3u64)]), Ok(()));

    std::fs::remove_file(&file).unwrap();
    let built = load_r1cs("test/square-again", "square", &file, &expected, || {
        Ok(right.clone())
    })
    .unwrap();
    assert_eq!(built.digest, right.digest);
    let e = load_r1cs("test/other", "square", &file, &expected, || Ok(other.clone())).unwrap_err();
    assert!(e.to_string().contains("make keys again"), "{e}");
}
