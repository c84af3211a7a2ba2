//! SLA credits (issue 16 step 4): the MSA's service levels and a period's SLA performance are
//! validated naming the field, bound in their commitments, and give the credit note the native
//! rater computes; the credit-note statement is satisfied by the honest witness at the cost
//! `cost` says, and refuses any changed witness value, public input or note.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use chrono::NaiveDate;
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    commit::{
        msa::{msa_commitment, msa_inner_text_fe, msa_plain_text_fe},
        sla::{credit_commitment, sla_commitment, CreditBody},
        Commitment, Salt,
    },
    model::{
        msa::Msa,
        performance::{Sla, SlaDoc},
    },
    native::credit::{credit_note, CreditNote},
    statement::credit::{cost, CreditAssignment, CreditCircuit, CreditSalts},
    Fr, Invoice, Shape,
};
use zkinvoice_verifier::CreditPublicInputs;

fn salt(seed: u64) -> Salt {
    Salt::random(&mut ChaCha20Rng::seed_from_u64(seed))
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
}

/// October's invoice of the SLA MSA: 120,000 units of IP transit, 900,000 of voice termination.
fn invoice(msa: &Msa) -> Invoice {
    october_invoice(msa, &[(2, 120_000), (3, 900_000)], "INV-1")
}

/// October's SLA performance: the Ethernet line at `eline`, IP transit at `transit` percent.
fn performance(msa: &Msa, eline: &str, transit: &str) -> Sla {
    sla(
        msa,
        october(),
        &[("eline-ovc-1g", eline), ("ip-transit", transit)],
    )
}

fn invalid_levels(levels: &str) -> String {
    Msa::from_doc(&msa_doc_with_service_levels(levels))
        .expect_err("refused")
        .to_string()
}

#[test]
fn service_levels_are_validated_naming_the_field() {
    let band =
        |below: &str, credit: &str| format!(r#"{{ "below": "{below}", "creditPercent": "{credit}" }}"#);
    let level = |id: &str, bands: &[String]| {
        format!(
            r#"{{ "id": "{id}", "availabilityBands": [{}] }}"#,
            bands.join(",")
        )
    };
    let one = band("99.9", "10");
    for (levels, field, reason) in [
        (
            format!("[{}]", level("nope", std::slice::from_ref(&one))),
            "serviceLevels[0].id",
            "not a product",
        ),
        (
            format!(
                "[{},{}]",
                level("ip-transit", std::slice::from_ref(&one)),
                level("ip-transit", std::slice::from_ref(&one))
            ),
            "serviceLevels[1].id",
            "already",
        ),
        (
            format!("[{}]", level("ip-transit", &[])),
            "serviceLevels[0].availabilityBands",
            "1 to 4",
        ),
        (
            format!("[{}]", level("ip-transit", &vec![one.clone(); 5])),
            "serviceLevels[0].availabilityBands",
            "1 to 4",
        ),
        (
            format!("[{}]", level("ip-transit", &[band("0", "10")])),
            "availabilityBands[0].below",
            "is 0",
        ),
        (
            format!("[{}]", level("ip-transit", &[band("99", "0")])),
            "availabilityBands[0].creditPercent",
            "is 0",
        ),
        (
            format!("[{}]", level("ip-transit", &[band("100.01", "10")])),
            "availabilityBands[0].below",
            "100 percent",
        ),
        (
            format!("[{}]", level("ip-transit", &[band("99", "10.00001")])),
            "availabilityBands[0].creditPercent",
            "",
        ),
        (
            format!("[{}]", level("ip-transit", &[one.clone(), band("99.9", "20")])),
            "availabilityBands[1].below",
            "not below",
        ),
        (
            format!("[{}]", level("ip-transit", &[one.clone(), band("99", "10")])),
            "availabilityBands[1].creditPercent",
            "not above",
        ),
    ] {
        let e = invalid_levels(&levels);
        assert!(e.contains(field) && e.contains(reason), "{levels}: {e}");
    }
}

#[test]
fn sla_records_are_validated_against_the_msa() {
    let msa = example_msa();
    let refuse = |records: &[(&str, &str)], want: &str| {
        let doc = SlaDoc {
            period: october().to_doc(),
            records: records
                .iter()
                .map(|(p, a)| zkinvoice_circuits::model::performance::SlaRecordDoc {
                    product: (*p).into(),
                    availability_percent: (*a).into(),
                })
                .collect(),
        };
        let e = Sla::from_doc(&doc, &msa).expect_err("refused").to_string();
        assert!(e.contains(want), "{records:?}: {e}");
    };
    refuse(
        &[("ip-transit", "99")],
        "\"eline-ovc-1g\" has a service level but no record",
    );
    refuse(
        &[
            ("eline-ovc-1g", "99"),
            ("ip-transit", "99"),
            ("voice-termination", "99"),
        ],
        "records[2].product",
    );
    refuse(
        &[("eline-ovc-1g", "99"), ("ip-transit", "99"), ("ip-transit", "98")],
        "measured twice",
    );
    refuse(
        &[("eline-ovc-1g", "100.5"), ("ip-transit", "99")],
        "records[0].availabilityPercent",
    );
    let e = Sla::from_doc(
        &performance(&msa, "99", "99").to_doc(&msa),
        &msa_without_service_levels(),
    )
    .expect_err("an MSA without service levels")
    .to_string();
    assert!(e.contains("no service levels"), "{e}");
    // The written form reads back to the same records.
    let s = performance(&msa, "99.4321", "100");
    assert_eq!(Sla::from_doc(&s.to_doc(&msa), &msa).unwrap(), s);
}

#[test]
fn service_levels_and_performance_are_bound_by_their_commitments() {
    let msa = example_msa();
    let c = |m: &Msa| msa_commitment(m, Shape::S, &salt(1)).unwrap();
    // Without them the text element inside the terms is the descriptive text's, as before they
    // existed; with them, the MSA commits differently.
    let without = msa_without_service_levels();
    assert_eq!(msa_inner_text_fe(&without), msa_plain_text_fe(&without));
    assert_ne!(msa_inner_text_fe(&msa), msa_plain_text_fe(&msa));
    assert_ne!(c(&msa), c(&without));
    // Any band's bound or credit, one band fewer, or the levels on another product.
    let levels = msa.terms.service_levels.clone().unwrap();
    let mut changed = Vec::new();
    for slot in [1, 2] {
        for k in 0..levels.products[slot].as_ref().unwrap().bands.len() {
            for which in 0..2 {
                let mut m = msa.clone();
                let b = &mut m.terms.service_levels.as_mut().unwrap().products[slot]
                    .as_mut()
                    .unwrap()
                    .bands[k];
                if which == 0 {
                    b.below_ppm -= 1;
                } else {
                    b.credit_ppm += 1;
                }
                changed.push(m);
            }
        }
        let mut m = msa.clone();
        m.terms.service_levels.as_mut().unwrap().products[slot]
            .as_mut()
            .unwrap()
            .bands
            .pop();
        changed.push(m);
    }
    let mut moved = msa.clone();
    moved.terms.service_levels.as_mut().unwrap().products.swap(2, 3);
    changed.push(moved);
    for m in &changed {
        assert_ne!(c(m), c(&msa));
    }
    // The performance: each availability, the period, the MSA commitment.
    let msa_c = c(&msa);
    let s = performance(&msa, "99.93", "98.5");
    let sc = |s: &Sla, m: Commitment| sla_commitment(m, &msa, s, Shape::S, &salt(2)).unwrap();
    let base = sc(&s, msa_c);
    let mut other = s.clone();
    other.availability[1] = Some(999_301);
    assert_ne!(sc(&other, msa_c), base);
    let mut other = s.clone();
    other.availability[2] = Some(984_999);
    assert_ne!(sc(&other, msa_c), base);
    let mut other = s.clone();
    other.period = "2026-10-01..2026-10-31".parse().unwrap();
    assert_ne!(sc(&other, msa_c), base);
    assert_ne!(sc(&s, c(&without)), base);
}

#[test]
fn credits_follow_the_band_each_availability_falls_in() {
    let msa = example_msa();
    let inv = invoice(&msa);
    let charge = |slot: usize| {
        let s = &inv.slots().unwrap()[slot];
        u128::from(s.usage_amount) + u128::from(s.recurring_amount)
    };
    let half_up = |x: u128, d: u128| (2 * x + d) / (2 * d);
    for (eline, transit, eline_ppm, transit_ppm) in [
        ("100", "100", 0, 0),
        // At a band's bound the band does not apply: it starts below it.
        ("99.95", "99.9", 0, 0),
        ("99.9499", "99.8999", 50_000, 100_000),
        ("99.9", "99", 50_000, 100_000),
        ("99.5", "98.9999", 100_000, 300_000),
        ("99.4999", "0", 250_000, 300_000),
    ] {
        let note = credit_note(&msa, &inv, &performance(&msa, eline, transit), "CN-1", day()).unwrap();
        assert_eq!(note.lines.len(), 2);
        let (e, t) = (&note.lines[0], &note.lines[1]);
        assert_eq!(
            (e.product.as_str(), e.slot, e.credit_ppm),
            ("eline-ovc-1g", 1, eline_ppm)
        );
        assert_eq!(
            (t.product.as_str(), t.slot, t.credit_ppm),
            ("ip-transit", 2, transit_ppm)
        );
        assert_eq!(e.charge, charge(1));
        assert_eq!(
            u128::from(e.amount),
            half_up(charge(1) * u128::from(eline_ppm), 1_000_000)
        );
        assert_eq!(
            u128::from(t.amount),
            half_up(charge(2) * u128::from(transit_ppm), 1_000_000)
        );
        assert_eq!(note.subtotal, e.amount + t.amount);
        assert_eq!(
            u128::from(note.tax),
            half_up(u128::from(note.subtotal) * u128::from(msa.tax_ppm), 1_000_000)
        );
        assert_eq!(note.total, note.subtotal + note.tax);
        assert!(note.total <= inv.total);
    }
}

#[test]
fn a_note_needs_service_levels_an_invoice_of_the_msa_and_its_period() {
    let msa = example_msa();
    let inv = invoice(&msa);
    let s = performance(&msa, "99", "99");
    let refuse = |r: Result<CreditNote, zkinvoice_circuits::Error>, want: &str| {
        let e = r.expect_err("refused").to_string();
        assert!(e.contains(want), "{e}");
    };
    refuse(
        credit_note(
            &msa_without_service_levels(),
            &invoice(&msa_without_service_levels()),
            &s,
            "CN-1",
            day(),
        ),
        "serviceLevels",
    );
    let mut other = s.clone();
    other.period = "2026-11-01..2026-12-01".parse().unwrap();
    refuse(credit_note(&msa, &inv, &other, "CN-1", day()), "sla.period");
    let reverse = october_invoice(&reverse_msa(), &[(0, 10_000)], "GX-1");
    refuse(credit_note(&msa, &reverse, &s, "CN-1", day()), "MSA's id");
    refuse(credit_note(&msa, &inv, &s, " CN-1", day()), "number");
}

fn salts() -> [Salt; 4] {
    [salt(1), salt(2), salt(3), salt(4)]
}

fn build(msa: &Msa, inv: &Invoice, s: &Sla) -> (CreditAssignment, CreditPublicInputs, CreditNote) {
    let [m, l, i, c] = salts();
    CreditAssignment::new(
        msa,
        Shape::S,
        inv,
        s,
        ("CN-1", day()),
        CreditSalts {
            msa: &m,
            sla: &l,
            invoice: &i,
            credit: &c,
        },
    )
    .expect("credits")
}

/// Whether the circuit is satisfied, and its constraint count.
fn satisfied(assignment: CreditAssignment, public: CreditPublicInputs) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    CreditCircuit { public, assignment }
        .generate_constraints(cs.clone())
        .expect("synthesises");
    (cs.is_satisfied().expect("checkable"), cs.num_constraints())
}

#[test]
fn the_honest_note_satisfies_the_statement_at_its_cost() {
    let msa = example_msa();
    let inv = invoice(&msa);
    for (eline, transit) in [
        ("99.42", "98.7"),
        ("100", "100"),
        ("99.95", "99.8999"),
        ("0", "0"),
    ] {
        let (a, p, note) = build(&msa, &inv, &performance(&msa, eline, transit));
        let (ok, count) = satisfied(a, p);
        assert!(ok, "{eline} {transit}: {note:?}");
        assert_eq!(count, cost(Shape::S).total(), "{:?}", cost(Shape::S));
    }
    // An MSA with service levels and no other terms after the invoice.
    let mut bare = msa.clone();
    bare.terms.payment = None;
    bare.terms.dispute_thresholds = None;
    bare.terms.agreed_usage = None;
    let (a, p, _) = build(&bare, &invoice(&bare), &performance(&bare, "99.42", "98.7"));
    assert!(!a.has_terms);
    assert!(satisfied(a.clone(), p).0);
    // Its terms, unused, are bound to zero all the same.
    (0..a.terms.len()).into_par_iter().for_each(|i| {
        let mut changed = a.clone();
        changed.terms[i] += Fr::from(1u64);
        assert!(
            !satisfied(changed, p).0,
            "terms {i} + 1 is accepted without terms"
        );
    });
}

#[test]
fn every_witness_value_public_input_and_note_is_bound() {
    let msa = example_msa();
    let inv = invoice(&msa);
    let s = performance(&msa, "99.42", "98.7");
    let (a, p, note) = build(&msa, &inv, &s);
    assert!(note.total > 0);
    // On every core: each value is a synthesis of the whole statement.
    let n = a.clone().values_mut().len();
    let walked = (0..n)
        .into_par_iter()
        .map(|k| {
            let mut changed = a.clone();
            let (label, v) = changed.values_mut().swap_remove(k);
            *v += Fr::from(1u64);
            assert!(!satisfied(changed, p).0, "{label} + 1 is accepted");
        })
        .count();
    assert_eq!(walked, n);
    let mut flipped = a.clone();
    flipped.has_terms = false;
    assert!(!satisfied(flipped, p).0, "the terms left out are accepted");

    let one = Fr::from(1u64);
    let [_, _, _, c] = salts();
    let invoice_c = Commitment(p.invoice_commitment);
    let mut more = note.clone();
    more.lines[0].amount += 1;
    more.subtotal += 1;
    more.total += 1;
    let mut other_number = note.clone();
    other_number.number = "CN-2".into();
    for (what, public) in [
        (
            "another MSA commitment",
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
            "another SLA commitment",
            CreditPublicInputs {
                sla_commitment: p.sla_commitment + one,
                ..p
            },
        ),
        (
            "a credit one more",
            CreditPublicInputs {
                credit_commitment: credit_commitment(&CreditBody::of(&more, Shape::S), invoice_c, &c).0,
                ..p
            },
        ),
        (
            "another number",
            CreditPublicInputs {
                credit_commitment: credit_commitment(&CreditBody::of(&other_number, Shape::S), invoice_c, &c)
                    .0,
                ..p
            },
        ),
        (
            "another period start",
            CreditPublicInputs {
                period_start: p.period_start + one,
                ..p
            },
        ),
        (
            "another period end",
            CreditPublicInputs {
                period_end: p.period_end + one,
                ..p
            },
        ),
    ] {
        assert!(!satisfied(a.clone(), public).0, "{what} is accepted");
    }
}
