//! The reconciliation statement with real Groth16 keys (shape S, a seeded single-party setup): a
//! verdict within and one over the MSA's thresholds are proven and verify against their public
//! inputs, and against no other: another verdict, the two invoices swapped, another MSA
//! commitment, or the other proof.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{Fr, Salt, Shape};
use zkinvoice_prover::reconcile::ReconcileKeys;
use zkinvoice_testkit::model::{example_msa, october_invoice};
use zkinvoice_verifier::{verify, VerifyError};

#[test]
fn a_proven_reconciliation_verifies_against_its_verdict_only() {
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let keys = ReconcileKeys::generate(Shape::S, &mut rng).expect("a setup");
    let vk = keys.verifying_key().prepare();
    let msa = example_msa();
    let salts: Vec<Salt> = (0..4).map(|_| Salt::random(&mut rng)).collect();
    let seller = october_invoice(&msa, &[(0, 40_000), (2, 150_000), (3, 900_000)], "INV-1");
    let near = october_invoice(&msa, &[(0, 40_000), (2, 149_000), (3, 899_960)], "B-1");
    let far = october_invoice(&msa, &[(0, 40_000), (2, 50_000), (3, 900_000)], "B-2");

    let within = keys
        .prove(
            &msa,
            &salts[0],
            (&seller, &salts[1]),
            (&near, &salts[2]),
            &mut rng,
        )
        .expect("proves");
    assert!(within.verdict.within());
    assert_eq!(within.public.over, Fr::from(0u64));
    verify(&vk, &within.proof, &within.public).expect("verifies");

    let over = keys
        .prove(&msa, &salts[0], (&seller, &salts[1]), (&far, &salts[3]), &mut rng)
        .expect("proves");
    assert_eq!(over.verdict.products_over(&msa), ["ip-transit"]);
    verify(&vk, &over.proof, &over.public).expect("verifies");

    let refused = |public, proof, what: &str| {
        assert!(
            matches!(verify(&vk, proof, public), Err(VerifyError::InvalidProof)),
            "{what}"
        );
    };
    let mut p = over.public;
    p.over = Fr::from(0u64);
    refused(&p, &over.proof, "over claimed within");
    let mut p = within.public;
    p.over = Fr::from(1u64 << 2);
    refused(&p, &within.proof, "within claimed over");
    let mut p = over.public;
    std::mem::swap(&mut p.seller_invoice, &mut p.buyer_invoice);
    refused(&p, &over.proof, "invoices swapped");
    let mut p = over.public;
    p.msa_commitment += Fr::from(1u64);
    refused(&p, &over.proof, "another MSA commitment");
    refused(&over.public, &within.proof, "the other proof");
}
