//! The credit-note statement with real Groth16 keys (shape S, a seeded single-party setup): the
//! SLA MSA's October invoice credited under October's SLA performance; the proof verifies against
//! its public inputs and no others (another MSA, invoice, SLA or credit commitment, another
//! period); the envelope refuses any header or period that is not the key's and the proof's; the
//! keys written and loaded again prove alike; the note's opening opens the commitment, and an
//! edited number, date, credit, total, currency, salt or commitment does not.

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{Fr, Salt, Shape};
use zkinvoice_prover::{
    credit::{CreditEnvelope, CreditInputs, CreditKeys, CreditOpening},
    ProverError,
};
use zkinvoice_testkit::model::{example_msa, october, october_invoice, sla};
use zkinvoice_verifier::{verify, CreditPublicInputs, VerifyError};

/// A field's name and a change of it.
type Edit<T> = (&'static str, fn(&mut T));

#[test]
fn a_proven_credit_note_verifies_against_its_inputs_only_and_opens() {
    let mut rng = ChaCha20Rng::seed_from_u64(864);
    let keys = CreditKeys::generate(Shape::S, &mut rng).expect("a setup");
    let vk = keys.verifying_key().prepare();
    let msa = example_msa();
    let invoice = october_invoice(&msa, &[(2, 150_000), (3, 900_000)], "INV-1");
    let performance = sla(
        &msa,
        october(),
        &[("eline-ovc-1g", "99.42"), ("ip-transit", "99.95")],
    );
    let salts: Vec<Salt> = (0..3).map(|_| Salt::random(&mut rng)).collect();
    let inputs = CreditInputs {
        msa: (&msa, &salts[0]),
        invoice: (&invoice, &salts[1]),
        sla: (&performance, &salts[2]),
    };
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let a = keys.prove(inputs, ("CN-1", day), &mut rng).expect("credits");
    // The Ethernet line below 99.5 percent: 25 percent of its charge; IP transit met its level.
    assert_eq!(a.note.lines.len(), 2);
    assert_eq!(
        (a.note.lines[0].credit_ppm, a.note.lines[1].credit_ppm),
        (250_000, 0)
    );
    assert!(a.note.total > 0);
    verify(&vk, &a.proof, &a.public).expect("verifies");

    let one = Fr::from(1u64);
    let p = a.public;
    for (what, q) in [
        (
            "another MSA",
            CreditPublicInputs {
                msa_commitment: p.msa_commitment + one,
                ..p
            },
        ),
        (
            "another invoice",
            CreditPublicInputs {
                invoice_commitment: p.invoice_commitment + one,
                ..p
            },
        ),
        (
            "another SLA",
            CreditPublicInputs {
                sla_commitment: p.sla_commitment + one,
                ..p
            },
        ),
        (
            "another note",
            CreditPublicInputs {
                credit_commitment: p.credit_commitment + one,
                ..p
            },
        ),
        (
            "another period",
            CreditPublicInputs {
                period_end: p.period_end + one,
                ..p
            },
        ),
    ] {
        assert!(
            matches!(verify(&vk, &a.proof, &q), Err(VerifyError::InvalidProof)),
            "{what}"
        );
    }

    // The envelope: as made it verifies; each header or the period changed is refused by name.
    let env = CreditEnvelope::new(&a, &keys);
    env.verify(&vk).expect("the envelope verifies");
    let edits: [Edit<CreditEnvelope>; 5] = [
        ("scheme", |e| e.scheme = "groth16-bn254".into()),
        ("statement", |e| e.statement = "zkinvoice/netting/v1".into()),
        ("vkHash", |e| e.vk_hash = "00".repeat(32)),
        ("period", |e| e.period.end = "2026-11-02".into()),
        ("proof", |e| e.public_inputs.credit_commitment += Fr::from(1u64)),
    ];
    for (field, edit) in edits {
        let mut e = env.clone();
        edit(&mut e);
        match e.verify(&vk) {
            Err(ProverError::Refused { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let json = serde_json::to_string(&env).unwrap();
    assert_eq!(serde_json::from_str::<CreditEnvelope>(&json).unwrap(), env);

    // The keys written and loaded prove what verifies under the same key.
    let dir = tempfile::tempdir().expect("dir");
    keys.write(dir.path(), false).expect("written");
    let loaded = CreditKeys::load(dir.path(), Shape::S).expect("loaded");
    assert_eq!(loaded.verifying_key().hash_hex(), keys.verifying_key().hash_hex());
    let again = loaded.prove(inputs, ("CN-1", day), &mut rng).expect("credits");
    verify(&vk, &again.proof, &again.public).expect("verifies");

    // The opening: the note's total under its salt; nothing else opens.
    let opening = CreditOpening::of(&a);
    assert_eq!(
        opening
            .open(
                (a.public.credit_commitment, a.public.invoice_commitment),
                &msa,
                Shape::S
            )
            .expect("opens"),
        a.note.total
    );
    let edits: [Edit<CreditOpening>; 10] = [
        ("total", |o| o.number = "CN-2".into()),
        ("total", |o| o.issue_date = "2026-11-03".into()),
        ("total", |o| o.lines[0].credit = "0.01".into()),
        ("lines", |o| o.lines[0].product = "ip-transit".into()),
        ("lines", |o| o.lines.truncate(1)),
        ("total", |o| o.total = "0.01".into()),
        ("total", |o| o.salt = "00".repeat(31)),
        ("currency", |o| o.currency = "EUR".into()),
        ("creditCommitment", |o| {
            o.credit_commitment = format!("0x{}", "00".repeat(32))
        }),
        ("lines", |o| o.lines[1].product = "nope".into()),
    ];
    for (field, edit) in edits {
        let mut o = opening.clone();
        edit(&mut o);
        match o.open(
            (a.public.credit_commitment, a.public.invoice_commitment),
            &msa,
            Shape::S,
        ) {
            Err(ProverError::Refused { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    // An MSA of more products than the shape has slots: said as such.
    let mut wide = msa.clone();
    wide.products = (0..=Shape::S.products)
        .map(|i| zkinvoice_circuits::Product {
            id: format!("p{i:02}"),
            ..msa.products[0].clone()
        })
        .collect();
    wide.terms.service_levels = None;
    let mut none = opening.clone();
    none.lines.clear();
    match none.open(
        (a.public.credit_commitment, a.public.invoice_commitment),
        &wide,
        Shape::S,
    ) {
        Err(e @ ProverError::Refused { .. }) => {
            assert!(
                e.to_string().contains("do not fit the shape's 8 product slots"),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
}
