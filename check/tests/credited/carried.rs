//! Credits carried forward (`docs/lifecycle.md`, "Credits carried forward"): October paid in
//! full, then credited: its bill settled for the whole total still verifies, and applying the
//! note to it is refused; the note carried to November (`credit-carried`): November's bill
//! applying it (`zkCarried`, its total in `credits`, deducted from what is due) verifies, and is
//! refused before the note is carried, without it once carried, with a forged opening, without
//! an anchor log; every field of it is bound.

use super::{checked, opening, REF};
use zkinvoice_anchors::{AnchorLog, Body, CreditCarried, Proposal, Role};
use zkinvoice_check::{check, Agreed, Received, Rejection};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::credit::CreditOpening;
use zkinvoice_testkit::{
    bilateral::{bilateral, Bilateral},
    credited::credited,
    fieldwalk::{exact, walk_all},
};

/// The Buyer's log: October proved, accepted, paid and received, then credited; November
/// proved and accepted; then (`carried`) October's note carried to November.
fn log(w: &Bilateral, dir: &tempfile::TempDir, carried: bool) -> AnchorLog {
    let log = w.log(&dir.path().join(format!("carried-{carried}.db")));
    let p = &w.october.zk_proof.public_inputs;
    let (msa_commitment, october) = (p.msa_commitment, p.invoice_commitment);
    let november = w.november.zk_proof.public_inputs.invoice_commitment;
    let as_ = |roles: &[Role], b: Body| {
        roles.iter().fold(Proposal::new(b), |p, role| {
            let key = if *role == Role::Buyer { &w.buyer } else { &w.seller };
            p.signed(*role, key)
        })
    };
    let accepted = |invoice_commitment| Body::InvoiceAccepted {
        msa_commitment,
        invoice_commitment,
    };
    let c = credited();
    let entries = [
        w.october_proved.clone(),
        as_(&[Role::Buyer], accepted(october)),
        as_(
            &[Role::Buyer],
            Body::Payment {
                msa_commitment,
                invoice_commitment: october,
                paid_on: "2026-12-01".into(),
                reference: REF.into(),
            },
        ),
        as_(
            &[Role::Seller],
            Body::PaymentReceived {
                msa_commitment,
                invoice_commitment: october,
                received_on: "2026-12-02".into(),
                reference: REF.into(),
            },
        ),
        c.key_agreed(),
        c.sla_agreed(),
        as_(&[Role::Seller], c.note_body()),
        w.november_proved.clone(),
        as_(&[Role::Buyer], accepted(november)),
    ];
    for e in entries {
        log.append(e).expect("appended");
    }
    if carried {
        let body = Body::CreditCarried(CreditCarried {
            msa_commitment,
            credit_commitment: c.envelope.public_inputs.credit_commitment,
            invoice_commitment: november,
        });
        log.append(as_(&[Role::Seller, Role::Buyer], body))
            .expect("carried");
    }
    log
}

#[test]
fn a_note_after_the_payment_is_carried_to_the_next_bill() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let before = log(w, &dir, false).view().expect("view");
    // October: paid in full before the note, so settled for the whole total; the note is not
    // applied to it.
    checked(&before, &w.october.settled(REF)).expect("october settled in full");
    let applied = w.october.credited(opening()).expect("credited").settled(REF);
    let r = checked(&before, &applied).expect_err("the note is carried forward");
    assert!(
        matches!(r, Rejection::NotCredited { .. }) && r.to_string().contains("carried forward"),
        "{r}"
    );

    // November with the note: its total credited, the rest due.
    let bill = w.november.carried(vec![opening()]).expect("carried");
    let c = w.msa.currency;
    let note = credited().proved.note.total;
    let total = w.november.tax_included_amount.to_minor("t", c).unwrap();
    assert_eq!(bill.credits.value.text(), c.format_minor(note));
    assert_eq!(bill.amount_due.value.text(), c.format_minor(total - note));
    assert_eq!(bill.remaining_amount, bill.amount_due);
    assert!(
        w.november.takes(&bill),
        "a published bill takes the notes carried to it"
    );

    let r = checked(&before, &bill).expect_err("not carried yet");
    assert!(r.to_string().contains("carry no further note"), "{r}");
    checked(&before, &w.november).expect("november as issued, before the note is carried");

    let view = log(w, &dir, true).view().expect("view");
    checked(&view, &bill).expect("november with the note carried to it");
    let r = checked(&view, &w.november).expect_err("without the note carried to it");
    assert!(r.to_string().contains("does not apply it"), "{r}");
    // October is still settled in full.
    checked(&view, &w.october.settled(REF)).expect("october settled in full");
    // Forged openings, though the amounts follow them.
    for edit in [
        |o: &mut CreditOpening| o.total = "1.00".into(),
        |o: &mut CreditOpening| o.number = "CN-2".into(),
        |o: &mut CreditOpening| o.credit_commitment = format!("0x{}", "11".repeat(32)),
    ] {
        let mut o = opening();
        edit(&mut o);
        let forged = w.november.carried(vec![o]).expect("carried");
        let r = checked(&view, &forged).expect_err("not the carried note");
        assert!(matches!(r, Rejection::NotCredited { .. }), "{r}");
    }
    // The note twice; the amounts not following it.
    let twice = w.november.carried(vec![opening(), opening()]).expect("carried");
    assert!(checked(&view, &twice).is_err());
    let mut due = bill.clone();
    due.amount_due = w.november.amount_due.clone();
    let r = checked(&view, &due).expect_err("the whole total due");
    assert!(r.to_string().contains("amountDue"), "{r}");
    // Without an anchor log.
    let keys = view.verifying_key(&w.msa_commitment.0).expect("the key");
    let r = check(keys, &Received::of_bill(&bill, &w.msa), &Agreed::default()).expect_err("no log");
    assert!(matches!(r, Rejection::NotCredited { .. }), "{r}");
}

#[test]
fn every_field_of_a_bill_with_a_note_carried_to_it_is_bound() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let view = log(w, &dir, true).view().expect("view");
    let bill = w.november.carried(vec![opening()]).expect("carried");
    checked(&view, &bill).expect("verifies");
    let doc = exact(&serde_json::to_string(&bill).expect("JSON"));
    let walk = walk_all(&doc, &["customerBillItem[].state", "state"], |m| {
        serde_json::from_str::<CustomerBill>(&m.text()).is_ok_and(|b| checked(&view, &b).is_ok())
    });
    assert!(
        walk.defects.is_empty(),
        "accepted with a field changed: {:#?}",
        walk.defects
    );
    assert!(walk.tried > 30, "the walk found too few fields");
}
