//! circom's formats against snarkjs itself (pinned in `tools/node`, installed on first use): the
//! `.r1cs` and `.wtns` of a real statement (the link of partition shape PS, with a real witness)
//! are read by snarkjs; `wtns check` accepts the witness and refuses a changed one; and snarkjs sets
//! up, proves and verifies the identical statement, with zkinvoice's public inputs as its public
//! signals.

use std::path::Path;

use ark_ff::PrimeField;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::statement::r1cs::circom::{r1cs_file, wtns_file};
use zkinvoice_circuits::{partition::PartitionShape, statement::r1cs::witness, Fr};
use zkinvoice_prover::partition::keys::statement_r1cs;
use zkinvoice_testkit::{cases::PartitionCase, node::snarkjs};

fn ok(dir: &Path, args: &[&str]) -> String {
    let (ok, text) = snarkjs(dir, args);
    assert!(ok, "snarkjs {args:?} fails: {text}");
    text
}

#[test]
fn snarkjs_checks_sets_up_and_proves_the_identical_statement() {
    let mut rng = ChaCha20Rng::seed_from_u64(60);
    let shape = PartitionShape::PS;
    let case = PartitionCase::filling(shape, &mut rng);
    let [_, _, (_, circuit, inputs)] = case.circuits(shape);
    let zkinvoice_circuits::partition::PartitionCircuit::Link(circuit) = circuit else {
        panic!("the link last")
    };
    let [_, _, r1cs] = statement_r1cs(shape).unwrap();
    let z = witness(circuit).unwrap();
    assert_eq!(r1cs.check(&z), Ok(()));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("link.r1cs"), r1cs_file(&r1cs)).unwrap();
    std::fs::write(d.join("link.wtns"), wtns_file(&z)).unwrap();
    let mut bad = z.clone();
    let last = bad.len() - 1;
    bad[last] += Fr::from(1u64);
    std::fs::write(d.join("bad.wtns"), wtns_file(&bad)).unwrap();

    let info = ok(d, &["r1cs", "info", "link.r1cs"]);
    assert!(info.contains("Curve: bls12-381"), "{info}");
    assert!(
        info.contains(&format!("# of Constraints: {}", r1cs.num_constraints())),
        "{info}"
    );
    assert!(
        info.contains(&format!("# of Public Inputs: {}", inputs.len())),
        "{info}"
    );
    let check = ok(d, &["wtns", "check", "link.r1cs", "link.wtns"]);
    assert!(check.contains("WITNESS IS CORRECT"), "{check}");
    let (accepted, said) = snarkjs(d, &["wtns", "check", "link.r1cs", "bad.wtns"]);
    assert!(
        !accepted || !said.contains("WITNESS IS CORRECT"),
        "a changed witness: {said}"
    );

    // Set up (an insecure one-party powers of tau: this checks formats, not trust), prove, verify.
    let power = (r1cs.num_constraints() + r1cs.num_instance)
        .next_power_of_two()
        .trailing_zeros();
    ok(
        d,
        &["powersoftau", "new", "bls12381", &power.to_string(), "pot.ptau"],
    );
    ok(d, &["powersoftau", "prepare", "phase2", "pot.ptau", "final.ptau"]);
    ok(d, &["groth16", "setup", "link.r1cs", "final.ptau", "link.zkey"]);
    ok(d, &["zkey", "export", "verificationkey", "link.zkey", "vk.json"]);
    ok(
        d,
        &[
            "groth16",
            "prove",
            "link.zkey",
            "link.wtns",
            "proof.json",
            "public.json",
        ],
    );
    let public: Vec<String> = serde_json::from_slice(&std::fs::read(d.join("public.json")).unwrap()).unwrap();
    let ours: Vec<String> = inputs.iter().map(|x| x.into_bigint().to_string()).collect();
    assert_eq!(
        public, ours,
        "snarkjs's public signals are the statement's public inputs"
    );
    let verified = ok(d, &["groth16", "verify", "vk.json", "public.json", "proof.json"]);
    assert!(verified.contains("OK"), "{verified}");
}
