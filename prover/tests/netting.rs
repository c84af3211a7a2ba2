//! The netting statement with real Groth16 keys (shape S, a seeded single-party setup): the
//! example's October invoice netted against the reverse MSA's, in the statement's order whatever
//! the order given; the proof verifies against its public inputs and no others (the other payer,
//! another net commitment, the invoices swapped, another period); the envelope refuses any header
//! or period that is not the key's and the proof's; the keys written and loaded again prove alike;
//! the net's opening opens the commitment, and an edited net, currency, salt or commitment does
//! not.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{model::period::PeriodDoc, Currency, Fr, Salt, Shape};
use zkinvoice_prover::{
    netting::{NetOpening, NettingEnvelope, NettingKeys},
    ProverError,
};
use zkinvoice_testkit::model::{example_msa, october_invoice, reverse_msa};
use zkinvoice_verifier::{verify, NettingPublicInputs, VerifyError};

/// A field's name and a change of it.
type Edit<T> = (&'static str, fn(&mut T));

#[test]
fn a_proven_netting_verifies_against_its_inputs_only_and_opens_its_net() {
    let mut rng = ChaCha20Rng::seed_from_u64(863);
    let keys = NettingKeys::generate(Shape::S, &mut rng).expect("a setup");
    let vk = keys.verifying_key().prepare();
    let forward = october_invoice(&example_msa(), &[(2, 150_000), (3, 900_000)], "INV-1");
    let reverse = october_invoice(&reverse_msa(), &[(0, 61_250)], "GX-1");
    let salts: Vec<Salt> = (0..2).map(|_| Salt::random(&mut rng)).collect();
    let a = keys
        .prove((&forward, &salts[0]), (&reverse, &salts[1]), &mut rng)
        .expect("nets");
    let b = keys
        .prove((&reverse, &salts[1]), (&forward, &salts[0]), &mut rng)
        .expect("nets");
    // One order of the invoices whatever the order given; the same verdict.
    assert_ne!(a.swapped, b.swapped);
    assert_eq!(
        (a.public.first_invoice, a.public.second_invoice, a.public.payer),
        (b.public.first_invoice, b.public.second_invoice, b.public.payer)
    );
    assert_eq!(a.netting.net, forward.total - reverse.total);
    verify(&vk, &a.proof, &a.public).expect("verifies");

    let refused = |p: NettingPublicInputs, what: &str| {
        assert!(
            matches!(verify(&vk, &a.proof, &p), Err(VerifyError::InvalidProof)),
            "{what}"
        );
    };
    let p = a.public;
    refused(
        NettingPublicInputs {
            payer: Fr::from(1u64) - p.payer,
            ..p
        },
        "the other payer",
    );
    refused(
        NettingPublicInputs {
            net_commitment: b.public.net_commitment,
            ..p
        },
        "the other net commitment",
    );
    refused(
        NettingPublicInputs {
            first_invoice: p.second_invoice,
            second_invoice: p.first_invoice,
            ..p
        },
        "the invoices swapped",
    );
    refused(
        NettingPublicInputs {
            period_start: p.period_start + Fr::from(1u64),
            ..p
        },
        "another period",
    );

    // The envelope: as made it verifies; each header or the period changed is refused by name.
    let period = PeriodDoc {
        start: "2026-10-01".into(),
        end: "2026-11-01".into(),
    };
    let env = NettingEnvelope::new(&a, period, &keys);
    env.verify(&vk).expect("the envelope verifies");
    let edits: [Edit<NettingEnvelope>; 5] = [
        ("scheme", |e| e.scheme = "groth16-bn254".into()),
        ("statement", |e| e.statement = "zkinvoice/reconcile/v1".into()),
        ("vkHash", |e| e.vk_hash = "00".repeat(32)),
        ("period", |e| e.period.end = "2026-11-02".into()),
        ("proof", |e| e.public_inputs.payer = Fr::from(1u64)),
    ];
    for (field, edit) in edits {
        let mut e = env.clone();
        edit(&mut e);
        match e.verify(&vk) {
            Err(ProverError::Refused { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }

    // The keys written and loaded prove what verifies under the same key.
    let dir = tempfile::tempdir().expect("dir");
    keys.write(dir.path(), false).expect("written");
    let loaded = NettingKeys::load(dir.path(), Shape::S).expect("loaded");
    assert_eq!(loaded.verifying_key().hash_hex(), keys.verifying_key().hash_hex());
    let again = loaded
        .prove((&forward, &salts[0]), (&reverse, &salts[1]), &mut rng)
        .expect("nets");
    verify(&vk, &again.proof, &again.public).expect("verifies");

    // The opening: the net, in USD, under its salt; nothing else opens.
    let usd = Currency::from_code("USD").unwrap();
    let opening = NetOpening::of(&a, &usd);
    assert_eq!(opening.open(&a.public).expect("opens"), a.netting.net);
    let edits: [Edit<NetOpening>; 4] = [
        ("net", |o| o.net = "0.01".into()),
        ("net", |o| o.currency = "EUR".into()),
        ("net", |o| o.salt = "00".repeat(31)),
        ("netCommitment", |o| {
            o.net_commitment = format!("0x{}", "11".repeat(32))
        }),
    ];
    for (field, edit) in edits {
        let mut o = opening.clone();
        edit(&mut o);
        match o.open(&a.public) {
            Err(ProverError::Refused { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    assert!(opening.open(&b.public).is_err(), "another netting's inputs");
}
