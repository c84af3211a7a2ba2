//! A bill with a credit note applied (`docs/lifecycle.md`, "SLA credits"): its `credits` the
//! note's total, `amountDue` and `remainingAmount` the rest, `zkCredit` the note's opening. It
//! verifies once the log records the credit note of the invoice, and then settled with the rest
//! applied once the payment's receipt is anchored; it is refused before the note is anchored,
//! without an anchor log, with a note that does not open the anchored commitment, with other
//! amounts; and every one of its fields is bound.

use zkinvoice_anchors::{AnchorLog, Body, Proposal, Role, View};
use zkinvoice_check::{check, check_anchored, Agreed, Received, Rejection};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::credit::CreditOpening;
use zkinvoice_testkit::{
    bilateral::{bilateral, Bilateral},
    credited::credited,
    fieldwalk::{exact, walk_all},
};

const REF: &str = "SEPA 2026-12-01 globex-cloud/INV-2026-10";

/// The Buyer's log with October proved and accepted, then (`noted`) credited, then (`paid`)
/// paid and received.
fn log(w: &Bilateral, dir: &tempfile::TempDir, noted: bool, paid: bool) -> AnchorLog {
    let log = w.log(&dir.path().join(format!("log-{noted}-{paid}.db")));
    log.append(w.october_proved.clone()).expect("proved");
    let p = &w.october.zk_proof.public_inputs;
    let (msa_commitment, invoice_commitment) = (p.msa_commitment, p.invoice_commitment);
    let as_ = |role: Role, b: Body| {
        let key = if role == Role::Buyer { &w.buyer } else { &w.seller };
        Proposal::new(b).signed(role, key)
    };
    log.append(as_(
        Role::Buyer,
        Body::InvoiceAccepted {
            msa_commitment,
            invoice_commitment,
        },
    ))
    .expect("accepted");
    let c = credited();
    log.append(c.key_agreed()).expect("credit key");
    log.append(c.sla_agreed()).expect("sla-agreed");
    if noted {
        log.append(as_(Role::Seller, c.note_body())).expect("credited");
    }
    if paid {
        log.append(as_(
            Role::Buyer,
            Body::Payment {
                msa_commitment,
                invoice_commitment,
                paid_on: "2026-12-01".into(),
                reference: REF.into(),
            },
        ))
        .expect("paid");
        log.append(as_(
            Role::Seller,
            Body::PaymentReceived {
                msa_commitment,
                invoice_commitment,
                received_on: "2026-12-02".into(),
                reference: REF.into(),
            },
        ))
        .expect("received");
    }
    log
}

fn checked(view: &View, bill: &CustomerBill) -> Result<(), Rejection> {
    check_anchored(view, &Received::of_bill(bill, &bilateral().msa)).map(|_| ())
}

fn opening() -> CreditOpening {
    CreditOpening::of(&credited().proved)
}

#[test]
fn a_credited_bill_verifies_once_its_note_is_anchored_and_settles_for_the_rest() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let note = &credited().proved.note;
    let bill = w.october.credited(opening()).expect("credited");
    let c = w.msa.currency;
    assert_eq!(bill.credits.value.text(), c.format_minor(note.total));
    let total = w.october.tax_included_amount.to_minor("t", c).unwrap();
    assert_eq!(bill.amount_due.value.text(), c.format_minor(total - note.total));
    assert_eq!(bill.remaining_amount, bill.amount_due);

    // Before the note is anchored; without an anchor log.
    let view = log(w, &dir, false, false).view().expect("view");
    let r = checked(&view, &bill).expect_err("not anchored yet");
    assert!(matches!(r, Rejection::NotCredited { .. }), "{r}");
    assert!(r.to_string().contains("no credit-note is anchored"), "{r}");
    let keys = view.verifying_key(&w.msa_commitment.0).expect("the key");
    let r = check(keys, &Received::of_bill(&bill, &w.msa), &Agreed::default()).expect_err("no log");
    assert!(matches!(r, Rejection::NotCredited { .. }), "{r}");

    let view = log(w, &dir, true, false).view().expect("view");
    checked(&view, &bill).expect("credited");
    // The bill as issued still verifies.
    checked(&view, &w.october).expect("the bill as issued");
    // A note that does not open the anchored commitment, though the bill's amounts follow it.
    for edit in [
        |o: &mut CreditOpening| o.total = "1.00".into(),
        |o: &mut CreditOpening| o.number = "CN-2".into(),
        |o: &mut CreditOpening| o.salt = "00".repeat(31),
    ] {
        let mut o = opening();
        edit(&mut o);
        let forged = w.october.credited(o).expect("credited");
        let r = checked(&view, &forged).expect_err("not the anchored note");
        assert!(matches!(r, Rejection::NotCredited { .. }), "{r}");
    }
    // The note applied, but the amounts not following it.
    let mut due = bill.clone();
    due.amount_due = w.october.amount_due.clone();
    let r = checked(&view, &due).expect_err("the whole total due");
    assert!(r.to_string().contains("amountDue"), "{r}");

    // Paid and received: the rest applied, nothing remaining.
    let settled = bill.settled(REF);
    assert_eq!(settled.applied_payment[0].applied_amount, bill.amount_due);
    let r = checked(&view, &settled).expect_err("not received yet");
    assert!(matches!(r, Rejection::NotSettled { .. }), "{r}");
    let view = log(w, &dir, true, true).view().expect("view");
    checked(&view, &settled).expect("credited and settled");
    // The whole total applied is not this bill; nor the bill settled without its note.
    let mut whole = settled.clone();
    whole.applied_payment[0].applied_amount = w.october.tax_included_amount.clone();
    assert!(checked(&view, &whole).is_err());
    let r = checked(&view, &w.october.settled(REF)).expect_err("settled without the note");
    assert!(
        matches!(r, Rejection::NotCredited { .. }) && r.to_string().contains("a settled bill applies it"),
        "{r}"
    );
}

#[test]
fn every_field_of_a_credited_settled_bill_is_bound() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let view = log(w, &dir, true, true).view().expect("view");
    let bill = w.october.credited(opening()).expect("credited").settled(REF);
    checked(&view, &bill).expect("verifies");
    let doc = exact(&serde_json::to_string(&bill).expect("JSON"));
    // Only the items' lifecycle states are free here: the bill's own is `settled`.
    let walk = walk_all(&doc, &["customerBillItem[].state"], |m| {
        serde_json::from_str::<CustomerBill>(&m.text()).is_ok_and(|b| checked(&view, &b).is_ok())
    });
    assert!(
        walk.defects.is_empty(),
        "accepted with a field changed: {:#?}",
        walk.defects
    );
    assert!(walk.tried > 30, "the walk found too few fields");
}

/// A disputed period's bills: a module of this binary (one link fewer).
#[path = "credited/partial.rs"]
mod partial;

/// Credits carried forward: a module of this binary (one link fewer).
#[path = "credited/carried.rs"]
mod carried;
