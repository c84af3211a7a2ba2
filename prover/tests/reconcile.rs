//! The reconciliation statement with real Groth16 keys (shape S, a seeded single-party setup): a
//! verdict within and one over the MSA's thresholds are proven and verify against their public
//! inputs, and against no other: another verdict, the two invoices swapped, another MSA
//! commitment, or the other proof.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{Fr, Salt, Shape};
use zkinvoice_prover::reconcile::ReconcileKeys;
use zkinvoice_testkit::{
    model::{example_msa, october_invoice},
    reconciled::{BUYER_DECEMBER, BUYER_JANUARY, SELLER_RECORDS},
};
use zkinvoice_verifier::{verify, VerifyError};

#[test]
fn a_proven_reconciliation_verifies_against_its_verdict_only() {
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let keys = ReconcileKeys::generate(Shape::S, &mut rng).expect("a setup");
    let vk = keys.verifying_key().prepare();
    let msa = example_msa();
    let salts: Vec<Salt> = (0..4).map(|_| Salt::random(&mut rng)).collect();
    let seller = october_invoice(&msa, SELLER_RECORDS, "INV-1");
    let near = october_invoice(&msa, BUYER_DECEMBER, "B-1");
    let far = october_invoice(&msa, BUYER_JANUARY, "B-2");

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

/// Written and loaded again, the keys prove what verifies under the written verifying key; a
/// directory is not overwritten without `force`, and a changed key file or a manifest of
/// another shape is refused naming the file.
#[test]
fn reconciliation_keys_are_written_and_loaded_checked_against_their_manifest() {
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let keys = ReconcileKeys::generate(Shape::S, &mut rng).expect("a setup");
    let dir = tempfile::tempdir().expect("a directory");
    let m = keys.write(dir.path(), false).expect("written");
    assert_eq!(m.statement, "zkinvoice/reconcile/v1");
    assert_eq!(m.verifying_key.sha256, keys.verifying_key().hash_hex());
    assert_eq!(m.constraints, 21_600, "params/reconcile-costs.csv");
    let again = keys.write(dir.path(), false).expect_err("exists");
    assert!(again.to_string().contains("exists; pass --force"), "{again}");

    let loaded = ReconcileKeys::load(dir.path(), Shape::S).expect("loads");
    assert_eq!(loaded.verifying_key().hash_hex(), keys.verifying_key().hash_hex());
    let msa = example_msa();
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    let seller = october_invoice(&msa, SELLER_RECORDS, "INV-1");
    let buyer = october_invoice(&msa, BUYER_DECEMBER, "B-1");
    let p = loaded
        .prove(
            &msa,
            &salts[0],
            (&seller, &salts[1]),
            (&buyer, &salts[2]),
            &mut rng,
        )
        .expect("proves");
    verify(&keys.verifying_key().prepare(), &p.proof, &p.public).expect("verifies");
    let written = loaded.write(tempfile::tempdir().expect("a directory").path(), false);
    assert!(written.is_err(), "keys loaded from files are not written again");

    let [pk, _, manifest] = zkinvoice_prover::reconcile::file_names(Shape::S);
    let mut bytes = std::fs::read(dir.path().join(&pk)).expect("reads");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(dir.path().join(&pk), bytes).expect("writes");
    let e = ReconcileKeys::load(dir.path(), Shape::S).err().expect("refused");
    assert!(
        e.to_string().contains(&pk) && e.to_string().contains("altered or replaced"),
        "{e}"
    );
    let e = ReconcileKeys::load(dir.path(), Shape::M).err().expect("refused");
    assert!(e.to_string().contains("reconcile-M.json"), "{e}");
    let text = std::fs::read_to_string(dir.path().join(&manifest)).expect("reads");
    std::fs::write(
        dir.path().join(&manifest),
        text.replace("\"shape\": \"S\"", "\"shape\": \"M\""),
    )
    .expect("writes");
    let e = ReconcileKeys::load(dir.path(), Shape::S).err().expect("refused");
    assert!(e.to_string().contains("at shape M, not"), "{e}");
}

/// A reconciliation envelope (`reconcile --prove`'s file) verifies against its key, reads back
/// from its JSON unchanged, and is refused naming the field when its key hash, statement or
/// verdict is changed.
#[test]
fn a_reconciliation_envelope_verifies_against_its_key_and_names_a_changed_field() {
    use zkinvoice_circuits::model::period::PeriodDoc;
    use zkinvoice_prover::{reconcile::ReconcileEnvelope, ProverError};

    let mut rng = ChaCha20Rng::seed_from_u64(18);
    let keys = ReconcileKeys::generate(Shape::S, &mut rng).expect("a setup");
    let key = keys.verifying_key().prepare();
    let msa = example_msa();
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    let seller = october_invoice(&msa, SELLER_RECORDS, "INV-1");
    let buyer = october_invoice(&msa, BUYER_JANUARY, "B-1");
    let proved = keys
        .prove(
            &msa,
            &salts[0],
            (&seller, &salts[1]),
            (&buyer, &salts[2]),
            &mut rng,
        )
        .expect("proves");
    let period = PeriodDoc {
        start: "2026-10-01".into(),
        end: "2026-11-01".into(),
    };
    let env = ReconcileEnvelope::new(&proved, period, &keys);
    assert!(!env.within());
    env.verify(&key).expect("verifies");
    let text = serde_json::to_string(&env).expect("serialises");
    let back: ReconcileEnvelope = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back, env);
    let refused = |env: &ReconcileEnvelope, field: &str| match env.verify(&key) {
        Err(ProverError::Refused { field: f, .. }) => assert_eq!(f, field),
        other => panic!("{field}: {other:?}"),
    };
    let mut e = env.clone();
    e.vk_hash = "00".repeat(32);
    refused(&e, "vkHash");
    let mut e = env.clone();
    e.statement = "zkinvoice/invoice/v1".into();
    refused(&e, "statement");
    let mut e = env.clone();
    e.public_inputs.over = Fr::from(0u64);
    refused(&e, "proof");
    let mut e = env.clone();
    e.period.end = "2026-12-01".into();
    refused(&e, "period");
    let mut e = env.clone();
    e.public_inputs.period_end += Fr::from(30u64);
    e.period.end = "2026-12-01".into();
    refused(&e, "proof");
    let unknown = text.replacen('{', "{\"extra\":1,", 1);
    assert!(
        serde_json::from_str::<ReconcileEnvelope>(&unknown).is_err(),
        "an unknown field"
    );
}
