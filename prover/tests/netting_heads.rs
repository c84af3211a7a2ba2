//! The netting of two partitioned invoices with real Groth16 keys (`zkinvoice/netting/v2`, a
//! seeded single-party setup): the example's October invoice at partition shape PS netted against
//! the reverse MSA's at PM under one key, in the statement's order whatever the order given; the
//! envelope verifies, and any header, period, public input or invoice part changed is refused by
//! name; a v1 key's check refuses it; the keys written and loaded again prove alike; the net's
//! opening opens its commitment.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{model::period::PeriodDoc, partition::PartitionShape, Currency, Fr, Salt};
use zkinvoice_prover::{
    netting::{NetOpening, NettingEnvelope, NettingHeadsKeys, NettingKeys},
    ProverError,
};
use zkinvoice_testkit::model::{example_msa, october_invoice, reverse_msa};

/// A field's name and a change of it.
type Edit<T> = (&'static str, fn(&mut T));

#[test]
fn a_netting_of_partitioned_invoices_verifies_with_its_parts_only() {
    let mut rng = ChaCha20Rng::seed_from_u64(866);
    let keys = NettingHeadsKeys::generate_heads(&mut rng).expect("a setup");
    let vk = keys.verifying_key().prepare();
    let forward = october_invoice(&example_msa(), &[(2, 150_000), (3, 900_000)], "INV-1");
    let reverse = october_invoice(&reverse_msa(), &[(0, 61_250)], "GX-1");
    let salts: Vec<Salt> = (0..2).map(|_| Salt::random(&mut rng)).collect();
    let (ps, pm) = (PartitionShape::PS, PartitionShape::PM);
    let a = keys
        .prove((&forward, ps, &salts[0]), (&reverse, pm, &salts[1]), &mut rng)
        .expect("nets");
    let b = keys
        .prove((&reverse, pm, &salts[1]), (&forward, ps, &salts[0]), &mut rng)
        .expect("nets");
    assert_ne!(a.swapped, b.swapped);
    assert_eq!(
        (a.public.first_invoice, a.public.second_invoice, a.public.payer),
        (b.public.first_invoice, b.public.second_invoice, b.public.payer)
    );
    assert_eq!(a.parts, b.parts, "the parts in the statement's order");
    assert_eq!(a.netting.net, forward.total - reverse.total);

    let period = PeriodDoc {
        start: "2026-10-01".into(),
        end: "2026-11-01".into(),
    };
    let env = NettingEnvelope::of_heads(&a, period.clone(), &keys);
    assert!(env.is_heads());
    env.verify_heads(&vk).expect("the envelope verifies");
    // Its JSON reads back; v1's envelope has no `invoiceParts`.
    let text = serde_json::to_string(&env).expect("json");
    assert_eq!(
        serde_json::from_str::<NettingEnvelope>(&text).expect("reads"),
        env
    );
    assert!(text.contains("\"invoiceParts\""));

    let edits: [Edit<NettingEnvelope>; 10] = [
        ("scheme", |e| e.scheme = "groth16-bn254".into()),
        ("statement", |e| e.statement = "zkinvoice/netting/v1".into()),
        ("vkHash", |e| e.vk_hash = "00".repeat(32)),
        ("period", |e| e.period.end = "2026-11-02".into()),
        ("proof", |e| e.public_inputs.payer = Fr::from(1u64)),
        ("proof", |e| e.public_inputs.net_commitment += Fr::from(1u64)),
        ("invoiceParts", |e| e.invoice_parts = None),
        ("invoiceParts", |e| {
            e.invoice_parts.as_mut().unwrap()[0].head += Fr::from(1u64)
        }),
        ("invoiceParts", |e| {
            e.invoice_parts.as_mut().unwrap()[1].parts[0] += Fr::from(1u64)
        }),
        ("invoiceParts", |e| e.invoice_parts.as_mut().unwrap().swap(0, 1)),
    ];
    for (field, edit) in edits {
        let mut e = env.clone();
        edit(&mut e);
        match e.verify_heads(&vk) {
            Err(ProverError::Refused { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    // A v1 check refuses an envelope with parts, whatever its key.
    let v1 = NettingKeys::generate(zkinvoice_circuits::Shape::S, &mut rng).expect("a v1 setup");
    match env.verify(&v1.verifying_key().prepare()) {
        Err(ProverError::Refused { field, .. }) => assert_eq!(field, "invoiceParts"),
        other => panic!("{other:?}"),
    }

    // The keys written and loaded prove what verifies under the same key.
    let dir = tempfile::tempdir().expect("dir");
    keys.write(dir.path(), false).expect("written");
    assert!(dir.path().join("netting-v2-heads.vk").exists());
    let loaded = NettingHeadsKeys::load_heads(dir.path()).expect("loaded");
    assert_eq!(loaded.verifying_key().hash_hex(), keys.verifying_key().hash_hex());
    let again = loaded
        .prove((&forward, pm, &salts[0]), (&reverse, ps, &salts[1]), &mut rng)
        .expect("nets");
    NettingEnvelope::of_heads(&again, period, &loaded)
        .verify_heads(&vk)
        .expect("verifies");

    // The opening opens the net commitment over the two tops.
    let usd = Currency::from_code("USD").unwrap();
    assert_eq!(
        NetOpening::of(&a, &usd).open(&a.public).expect("opens"),
        a.netting.net
    );
}
