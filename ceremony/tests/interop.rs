//! A ceremony's key on the EVM: the Solidity verifier generated from it (EIP-2537, compiled by the
//! pinned solc-js, run in revm, whose BLS12-381 is blst's) accepts a proof made with a two-party
//! ceremony's key and refuses a changed public input. The statement is a tiny one with the invoice
//! statement's five public inputs, so that the generated verifier takes its key.

#[path = "../../verifier/tests/common/mod.rs"]
mod common;
mod tiny;

use ark_bls12_381::{Bls12_381, Fr};
use ark_ff::One;
use ark_groth16::Groth16;
use ark_snark::SNARK;
use common::Multiples;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_evm::{abi, solidity, Address};
use zkinvoice_testkit::{node::compile, revm::Chain};
use zkinvoice_verifier::{InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKey};

#[test]
fn the_evm_verifier_of_a_ceremony_key_accepts_its_proofs() {
    let mut rng = ChaCha20Rng::seed_from_u64(21);
    let dir = tempfile::tempdir().unwrap();
    let c = tiny::five_after_phase1(dir.path(), &mut rng);
    c.prepare(&mut rng, &()).unwrap();
    for name in ["seller", "buyer"] {
        c.contribute_phase2(name, &mut rng, &()).unwrap();
    }
    let (summary, keys) = c.finish(&mut rng).unwrap();
    assert!(summary.multi_party());
    let pk = &keys[0].1;

    let circuit = Multiples {
        w: Fr::from(7u64),
        n: 5,
    };
    let x = circuit.inputs();
    let proof = InvoiceProof::from(Groth16::<Bls12_381>::prove(pk, circuit, &mut rng).unwrap());
    let vk = InvoiceVerifyingKey::new(pk.vk.clone()).unwrap();
    let mut files = Vec::new();
    for (name, text) in solidity::sources(&vk, None) {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    let compiled = compile(&files);
    let mut chain = Chain::new();
    let verifier = chain.deploy(
        Address::repeat_byte(0xde),
        compiled.bytecode["InvoiceVerifier"].clone(),
    );
    let inputs = |x: &[Fr]| InvoicePublicInputs {
        msa_commitment: x[0],
        usage_commitment: x[1],
        state_before: x[2],
        state_after: x[3],
        invoice_commitment: x[4],
    };
    let verifies = |chain: &mut Chain, x: &[Fr]| {
        let out = chain.view(verifier, abi::verify_proof_call(&proof, &inputs(x)));
        let word = out.output();
        assert_eq!(word.len(), 32, "verifyProof returns one word");
        word[31] == 1
    };
    assert!(verifies(&mut chain, &x), "the ceremony key's proof on the EVM");
    let mut changed = x.clone();
    changed[2] += Fr::one();
    assert!(!verifies(&mut chain, &changed), "a changed input");
}
