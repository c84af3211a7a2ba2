//! Protocol v2: a partitioned invoice proven in parallel with real Groth16 keys (partition shape
//! PS), every proof verifying at its own position and nowhere else.

use ark_bls12_381::Bls12_381;
use ark_groth16::Groth16;
use ark_snark::SNARK;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use std::sync::Mutex;
use zkinvoice_circuits::{
    partition::{PartitionShape, PartitionedOpening},
    rate, Salt,
};
use zkinvoice_prover::partition::{inputs_of, prove_partitioned, PartitionKeys, PartitionedProof};
use zkinvoice_testkit::model::partitioned_bilateral;
use zkinvoice_verifier::partition::challenge;

fn verifies(keys: &PartitionKeys, proof: &PartitionedProof) -> bool {
    let tops = proof.public.tops();
    let Ok(z) = proof.public.check(&tops) else {
        return false;
    };
    assert_eq!(
        z,
        challenge(tops.usage, tops.state_before, tops.state_after).unwrap()
    );
    proof.proofs.iter().all(|p| {
        let inputs = inputs_of(&proof.public, z, p.id);
        Groth16::<Bls12_381>::verify_with_processed_vk(&keys.of(p.id).prepared, &inputs, p.proof.as_ark())
            == Ok(true)
    })
}

#[test]
fn a_partitioned_invoice_proves_in_parallel_and_verifies_only_as_itself() {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let keys = PartitionKeys::generate(PartitionShape::PS, &mut rng).unwrap();
    let (msa, usage, before) = partitioned_bilateral(&mut rng);
    let rated = rate(&msa, &usage, &before, "INV-1").unwrap();
    let salts: [Salt; 5] = std::array::from_fn(|_| Salt::random(&mut rng));
    let opening = PartitionedOpening {
        shape: PartitionShape::PS,
        msa: &msa,
        msa_salt: &salts[0],
        usage: &usage,
        usage_salt: &salts[1],
        before: &before,
        before_salt: &salts[2],
        invoice: &rated.invoice,
        invoice_salt: &salts[3],
        after: &rated.after,
        after_salt: &salts[4],
    };
    let seen = Mutex::new(Vec::new());
    let proof = prove_partitioned(&keys, &opening, &mut rng, &|id| seen.lock().unwrap().push(id)).unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, opening.partitions(), "every partition reported done once");
    assert_eq!(
        proof.proofs.iter().map(|p| p.id).collect::<Vec<_>>(),
        opening.partitions(),
        "proofs in canonical order"
    );
    assert!(verifies(&keys, &proof));

    // A proof at another position, or for another statement, does not verify.
    let swap = |a: usize, b: usize| {
        let mut p = proof.clone();
        let (x, y) = (p.proofs[a].proof.clone(), p.proofs[b].proof.clone());
        p.proofs[a].proof = y;
        p.proofs[b].proof = x;
        p
    };
    assert!(!verifies(&keys, &swap(0, 1)), "two blocks swapped");
    assert!(!verifies(&keys, &swap(3, 4)), "two chunks swapped");
    assert!(!verifies(&keys, &swap(2, 3)), "a block and a chunk swapped");

    // A second invoice of the same bilateral: its partitions do not verify in the first.
    let invoice_salt = Salt::random(&mut rng);
    let other = PartitionedOpening {
        invoice_salt: &invoice_salt,
        ..opening
    };
    let theirs = prove_partitioned(&keys, &other, &mut rng, &|_| {}).unwrap();
    assert!(verifies(&keys, &theirs));
    for i in 0..proof.proofs.len() {
        let mut p = proof.clone();
        p.proofs[i].proof = theirs.proofs[i].proof.clone();
        let id = p.proofs[i].id;
        // Chunks do not depend on the invoice but on the seed derived from its salt.
        assert!(!verifies(&keys, &p), "{id} of another invoice");
    }
    // The same invoice under other keys of the shape does not verify.
    let other_keys = PartitionKeys::generate(PartitionShape::PS, &mut rng).unwrap();
    assert!(!verifies(&other_keys, &proof));
}
