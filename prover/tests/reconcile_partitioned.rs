//! The reconciliation of two partitioned invoices with real Groth16 keys (partition shape PS, a
//! seeded single-party setup): a verdict over and one within the MSA's thresholds are proven; the
//! envelope verifies, reads back from its JSON, returns the anchored commitments, and is refused
//! (naming the field) with any field of its header, any public value or any proof changed, a
//! proof of another reconciliation, a block's proof missing, or another partition shape's keys;
//! the keys' files round-trip and are named by one hash.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    model::period::PeriodDoc,
    partition::{
        parts::{invoice_commitment, msa_commitment},
        PartitionShape,
    },
    Fr, Salt,
};
use zkinvoice_prover::{
    reconcile::partitioned::{PartitionedReconcileEnvelope, PartitionedReconcileKeys},
    ProverError,
};
use zkinvoice_testkit::model::{
    october_invoice, thresholded_partitioned_msa, PARTITIONED_OVER, PARTITIONED_SELLER, PARTITIONED_WITHIN,
};
use zkinvoice_verifier::partition::reconcile::ReconcileTops;

const PS: PartitionShape = PartitionShape::PS;

fn october() -> PeriodDoc {
    PeriodDoc {
        start: "2026-10-01".into(),
        end: "2026-11-01".into(),
    }
}

/// The field a refusal names.
fn refused_field(r: Result<ReconcileTops, ProverError>) -> String {
    match r {
        Err(ProverError::Refused { field, .. }) => field,
        other => panic!("expected a refusal, got {:?}", other.map(|_| "tops")),
    }
}

#[test]
fn a_proven_reconciliation_verifies_and_every_changed_field_is_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let keys = PartitionedReconcileKeys::generate(PS, &mut rng).expect("a setup");
    let vks = keys.verifying_keys();
    let msa = thresholded_partitioned_msa();
    let salts: Vec<Salt> = (0..4).map(|_| Salt::random(&mut rng)).collect();
    let seller = october_invoice(&msa, &PARTITIONED_SELLER, "INV-1");
    let over = october_invoice(&msa, &PARTITIONED_OVER, "B-1");
    let within = october_invoice(&msa, &PARTITIONED_WITHIN, "B-2");
    let prove = |buyer, salt: &Salt, rng: &mut ChaCha20Rng| {
        keys.prove(&msa, &salts[0], (&seller, &salts[1]), (buyer, salt), rng)
            .expect("proves")
    };
    let proved = prove(&over, &salts[2], &mut rng);
    assert_eq!(proved.verdict.slots_over(), [6, 8]);
    assert_eq!(proved.proofs.blocks.len(), 3);
    let env = PartitionedReconcileEnvelope::new(&proved, october(), &keys);
    assert!(!env.within());
    let anchored = ReconcileTops {
        msa: msa_commitment(&msa, PS, &salts[0]).unwrap().0,
        seller: invoice_commitment(&seller, PS, &salts[1]).unwrap().0,
        buyer: invoice_commitment(&over, PS, &salts[2]).unwrap().0,
    };
    assert_eq!(env.verify(&vks).expect("verifies"), anchored);
    // Its JSON reads back, and refuses unknown fields.
    let text = serde_json::to_string_pretty(&env).unwrap();
    let back: PartitionedReconcileEnvelope = serde_json::from_str(&text).unwrap();
    assert_eq!(back, env);
    let extra = text.replacen('{', "{\"note\": 1,", 1);
    assert!(serde_json::from_str::<PartitionedReconcileEnvelope>(&extra).is_err());

    let within = prove(&within, &salts[3], &mut rng);
    let other = PartitionedReconcileEnvelope::new(&within, october(), &keys);
    assert!(other.within());
    other.verify(&vks).expect("verifies");

    // Each change, and the field its refusal names.
    type Change = Box<dyn Fn(&mut PartitionedReconcileEnvelope)>;
    let cases: Vec<(&str, Change)> = vec![
        ("scheme", Box::new(|e| e.scheme = "groth16-bn254".into())),
        (
            "statement",
            Box::new(|e| e.statement = "zkinvoice/reconcile/v1".into()),
        ),
        ("vkHash", Box::new(|e| e.vk_hash = "00".repeat(32))),
        ("shape", Box::new(|e| e.shape = "PM".into())),
        ("period", Box::new(|e| e.period.end = "2026-11-02".into())),
        ("period", Box::new(|e| e.public.period_start += 1)),
        ("public.sizes", Box::new(|e| e.public.sizes.tiers = 8)),
        // Parts of other documents: the proofs refuse them (the anchored commitments are the
        // reader's to compare, below).
        ("proofs.blocks[0]", Box::new(|e| e.public.msa.parts.swap(0, 1))),
        ("public", Box::new(|e| e.public.sums[1].0[0] += Fr::from(1u64))),
        ("public", Box::new(|e| e.public.chains.push(Fr::from(1u64)))),
        (
            "proofs.blocks",
            Box::new(|e| {
                e.proofs.blocks.pop();
            }),
        ),
        // The verdict: a product's bit, a kind's, the total's.
        (
            "proofs.blocks[1]",
            Box::new(|e| e.public.products_over[6] = false),
        ),
        ("proofs.blocks[0]", Box::new(|e| e.public.products_over[0] = true)),
        ("proofs.link", Box::new(|e| e.public.usage_over = false)),
        ("proofs.link", Box::new(|e| e.public.total_over = true)),
        // A chain commitment and a block part, the invoice commitments moving with them.
        (
            "proofs.blocks[1]",
            Box::new(|e| e.public.chains[2] += Fr::from(1u64)),
        ),
        (
            "proofs.blocks[2]",
            Box::new(|e| e.public.seller.parts[2] += Fr::from(1u64)),
        ),
        ("proofs.link", Box::new(|e| e.public.buyer.head += Fr::from(1u64))),
        ("proofs.blocks[0]", Box::new(|e| e.public.seed += Fr::from(1u64))),
        // Proofs swapped, or of the other reconciliation.
        ("proofs.blocks[0]", Box::new(|e| e.proofs.blocks.swap(0, 1))),
        (
            "proofs.blocks[0]",
            Box::new(|e| std::mem::swap(&mut e.proofs.link, &mut e.proofs.blocks[0])),
        ),
    ];
    for (field, change) in &cases {
        let mut e = env.clone();
        change(&mut e);
        assert_eq!(refused_field(e.verify(&vks)), *field, "{field}");
    }
    let mut e = env.clone();
    e.proofs = other.proofs.clone();
    assert_eq!(refused_field(e.verify(&vks)), "proofs.blocks[0]");
    let mut e = env.clone();
    e.proofs.link = other.proofs.link.clone();
    assert_eq!(refused_field(e.verify(&vks)), "proofs.link");
    // Another reconciliation's Buyer invoice: a valid envelope, of other commitments.
    assert_ne!(other.verify(&vks).unwrap(), anchored);
}

#[test]
fn the_keys_round_trip_through_their_files_and_are_named_by_one_hash() {
    let mut rng = ChaCha20Rng::seed_from_u64(17);
    let keys = PartitionedReconcileKeys::generate(PS, &mut rng).expect("a setup");
    let dir = tempfile::tempdir().unwrap();
    let [block, link] = keys.write(dir.path(), false).expect("writes");
    assert_eq!(
        (block.statement.as_str(), block.shape.as_str()),
        ("zkinvoice/reconcile-block/v2", "PS")
    );
    assert_eq!(
        (link.statement.as_str(), link.shape.as_str()),
        ("zkinvoice/reconcile-link/v2", "link")
    );
    for name in [
        "reconcile-v2-block-PS.pk",
        "reconcile-v2-block-PS.vk",
        "reconcile-v2-block-PS.json",
        "reconcile-v2-link-link.vk",
    ] {
        assert!(dir.path().join(name).exists(), "{name}");
    }
    let loaded = PartitionedReconcileKeys::load(dir.path(), PS).expect("loads");
    assert_eq!(loaded.hash_hex(), keys.hash_hex());
    // Not replaced without `force`.
    assert!(keys.write(dir.path(), false).is_err());
    // Other keys have another hash, and their envelopes are refused under these.
    let others = PartitionedReconcileKeys::generate(PS, &mut rng).expect("a setup");
    assert_ne!(others.hash_hex(), keys.hash_hex());
    // PM's block keys are not in the directory: the error says how to make them.
    let err = PartitionedReconcileKeys::load(dir.path(), PartitionShape::PM)
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("zkinvoice setup --statement reconcile --shape PM"),
        "{err}"
    );
}

/// What an anchor entry will carry: the public values and proofs as bytes
/// (`PartitionedReconcileProof`), and the two keys as one set (`ReconcileKeySet`).
#[test]
fn the_proof_and_the_key_set_round_trip_as_bytes_and_refuse_what_is_not_theirs() {
    use zkinvoice_verifier::{
        partition::reconcile::{
            PartitionedReconcileProof, ReconcileKeySet, ReconcileProofError, ReconcileRefusal,
        },
        VerifyError,
    };
    let mut rng = ChaCha20Rng::seed_from_u64(18);
    let keys = PartitionedReconcileKeys::generate(PS, &mut rng).expect("a setup");
    let set = ReconcileKeySet {
        block: keys.block.verifying_key().clone(),
        link: keys.link.verifying_key().clone(),
    };
    assert_eq!(set.hash_hex(), keys.hash_hex());
    let bytes = set.to_bytes();
    assert_eq!(ReconcileKeySet::from_bytes(&bytes).unwrap(), set);
    for cut in [0, 10, 30, bytes.len() - 1] {
        assert!(
            ReconcileKeySet::from_bytes(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(ReconcileKeySet::from_bytes(&longer).is_err());
    // The link's key where the block's is due: another number of public inputs.
    let mut swapped = zkinvoice_verifier::partition::reconcile::KEY_SET_DOMAIN.to_vec();
    for k in [set.link.to_bytes(), set.block.to_bytes()] {
        swapped.extend_from_slice(&(k.len() as u32).to_be_bytes());
        swapped.extend_from_slice(&k);
    }
    assert!(matches!(
        ReconcileKeySet::from_bytes(&swapped),
        Err(VerifyError::KeyMismatch { .. })
    ));

    let msa = thresholded_partitioned_msa();
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    let seller = october_invoice(&msa, &PARTITIONED_SELLER, "INV-1");
    let buyer = october_invoice(&msa, &PARTITIONED_OVER, "B-1");
    let proved = keys
        .prove(
            &msa,
            &salts[0],
            (&seller, &salts[1]),
            (&buyer, &salts[2]),
            &mut rng,
        )
        .expect("proves");
    let proof = PartitionedReconcileProof {
        public: proved.public.clone(),
        proofs: proved.proofs.clone(),
    };
    let bytes = proof.to_bytes();
    assert_eq!(PartitionedReconcileProof::from_bytes(&bytes).unwrap(), proof);
    let anchored = ReconcileTops {
        msa: msa_commitment(&msa, PS, &salts[0]).unwrap().0,
        seller: invoice_commitment(&seller, PS, &salts[1]).unwrap().0,
        buyer: invoice_commitment(&buyer, PS, &salts[2]).unwrap().0,
    };
    let prepared = set.prepare();
    proof.verify(&prepared, &anchored).expect("verifies");
    // Against another invoice's commitment; a verdict bit changed; a proof of another block.
    let mut other = anchored;
    other.buyer = anchored.seller;
    assert_eq!(
        proof.verify(&prepared, &other),
        Err(ReconcileProofError::Public(ReconcileRefusal::Top(
            "Buyer's invoice commitment"
        )))
    );
    let mut p = proof.clone();
    p.public.products_over[8] = false;
    assert!(matches!(
        p.verify(&prepared, &anchored),
        Err(ReconcileProofError::Block(2, _))
    ));
    let mut p = proof.clone();
    p.proofs.blocks.swap(1, 2);
    assert!(matches!(
        p.verify(&prepared, &anchored),
        Err(ReconcileProofError::Block(1, _))
    ));
    let mut p = proof.clone();
    p.public.total_over = true;
    assert!(matches!(
        p.verify(&prepared, &anchored),
        Err(ReconcileProofError::Link(_))
    ));
    // Every cut, a byte more, a verdict bit past the total's, a padding bit past the last slot:
    // refused as malformed, naming what.
    for cut in [0, 10, 60, 67, 68, bytes.len() - 193, bytes.len() - 1] {
        assert!(
            PartitionedReconcileProof::from_bytes(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(PartitionedReconcileProof::from_bytes(&longer).is_err());
    let header = 22 + 40 + 4;
    let mut b = bytes.clone();
    b[header] |= 8;
    let e = PartitionedReconcileProof::from_bytes(&b).unwrap_err().to_string();
    assert!(e.contains("over"), "{e}");
    // 3 blocks of 4: 12 slots in two bytes, bits 12 to 15 are padding.
    let mut b = bytes.clone();
    b[header + 2] |= 0x10;
    let e = PartitionedReconcileProof::from_bytes(&b).unwrap_err().to_string();
    assert!(e.contains("productsOver"), "{e}");
    // A field element at the modulus or above.
    let mut b = bytes.clone();
    let at = header + 1 + 2;
    b[at..at + 32].copy_from_slice(&[0xff; 32]);
    assert!(PartitionedReconcileProof::from_bytes(&b).is_err());
}
