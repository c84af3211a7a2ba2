//! A bill once it is paid (`docs/lifecycle.md`, "Settlement"): its `state`, `appliedPayment` and
//! `remainingAmount` follow the anchor log. The settled bill (the total applied as the payment's
//! reference, nothing remaining, `settled`) verifies once the log records the payment received
//! under that reference, and every one of its fields is bound; it is refused before the receipt
//! is anchored, under another reference, with another amount applied or remaining, with another
//! state, and without an anchor log. The bill as issued still verifies after the payment.

use zkinvoice_anchors::{AnchorLog, Body, Proposal, Role, View};
use zkinvoice_check::{check, check_anchored, Agreed, Received, Rejection};
use zkinvoice_mef141::{CustomerBill, JsonNumber};
use zkinvoice_testkit::{
    bilateral::{bilateral, Bilateral},
    fieldwalk::{exact, walk_all},
};

const REF: &str = "SEPA 2026-12-01 globex-cloud/INV-2026-10";

/// The Buyer's log with October proved and accepted, then paid (`paid`), then received
/// (`received`).
fn log(w: &Bilateral, dir: &tempfile::TempDir, paid: bool, received: bool) -> AnchorLog {
    let log = w.log(&dir.path().join(format!("log-{paid}-{received}.db")));
    log.append(w.october_proved.clone()).expect("proved");
    let p = &w.october.zk_proof.public_inputs;
    let (msa_commitment, invoice_commitment) = (p.msa_commitment, p.invoice_commitment);
    let buyer = |b: Body| Proposal::new(b).signed(Role::Buyer, &w.buyer);
    log.append(buyer(Body::InvoiceAccepted {
        msa_commitment,
        invoice_commitment,
    }))
    .expect("accepted");
    if paid {
        log.append(buyer(Body::Payment {
            msa_commitment,
            invoice_commitment,
            paid_on: "2026-12-01".into(),
            reference: REF.into(),
        }))
        .expect("paid");
    }
    if received {
        let body = Body::PaymentReceived {
            msa_commitment,
            invoice_commitment,
            received_on: "2026-12-02".into(),
            reference: REF.into(),
        };
        log.append(Proposal::new(body).signed(Role::Seller, &w.seller))
            .expect("received");
    }
    log
}

fn checked(view: &View, bill: &CustomerBill) -> Result<(), Rejection> {
    check_anchored(view, &Received::of_bill(bill, &bilateral().msa)).map(|_| ())
}

#[test]
fn a_settled_bill_verifies_once_its_payment_is_received_and_not_before() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let settled = w.october.settled(REF);
    assert_eq!(settled.state, "settled");
    assert_eq!(settled.remaining_amount.value.text(), "0.00");
    assert_eq!(
        settled.applied_payment[0].applied_amount,
        w.october.tax_included_amount
    );
    for (paid, received) in [(false, false), (true, false)] {
        let view = log(w, &dir, paid, received).view().expect("view");
        let r = checked(&view, &settled).expect_err("not received yet");
        assert!(matches!(r, Rejection::NotSettled { .. }), "{r}");
        assert!(r.to_string().contains("its receipt is not anchored"), "{r}");
        checked(&view, &w.october).expect("the bill as issued");
    }
    let view = log(w, &dir, true, true).view().expect("view");
    checked(&view, &settled).expect("settled");
    // The bill as issued still verifies: it was true when it was issued.
    checked(&view, &w.october).expect("the bill as issued");
    // Another reference; another state; settled with nothing applied.
    let r = checked(&view, &w.october.settled("SEPA 1")).expect_err("another reference");
    assert!(
        r.to_string().contains("is not the payment anchored as received"),
        "{r}"
    );
    let mut due = settled.clone();
    due.state = "paymentDue".into();
    let r = checked(&view, &due).expect_err("paid but not settled");
    assert!(
        matches!(&r, Rejection::NotTheBill { field, .. } if field == "state"),
        "{r}"
    );
    let mut unpaid = w.october.clone();
    unpaid.state = "settled".into();
    let r = checked(&view, &unpaid).expect_err("settled with nothing applied");
    assert!(
        matches!(&r, Rejection::NotTheBill { field, .. } if field == "state"),
        "{r}"
    );
    // Something else applied, or remaining.
    let mut half = settled.clone();
    half.applied_payment[0].applied_amount.value =
        serde_json::from_str::<JsonNumber>("1.00").expect("a number");
    let r = checked(&view, &half).expect_err("another amount applied");
    assert!(
        matches!(&r, Rejection::NotTheBill { field, .. } if field.starts_with("appliedPayment")),
        "{r}"
    );
    let mut remaining = settled.clone();
    remaining.remaining_amount = w.october.remaining_amount.clone();
    let r = checked(&view, &remaining).expect_err("something remaining");
    assert!(
        matches!(&r, Rejection::Unreadable { .. }) && r.to_string().contains("remainingAmount"),
        "{r}"
    );
    // Without an anchor log, a payment cannot be checked.
    let keys = view.verifying_key(&w.msa_commitment.0).expect("the key");
    let r = check(keys, &Received::of_bill(&settled, &w.msa), &Agreed::default()).expect_err("no log");
    assert!(matches!(r, Rejection::NotSettled { .. }), "{r}");
}

#[test]
fn every_field_of_a_settled_bill_is_bound() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let view = log(w, &dir, true, true).view().expect("view");
    let settled = w.october.settled(REF);
    let doc = exact(&serde_json::to_string(&settled).expect("JSON"));
    // Only the items' lifecycle states are free here: the bill's own is `settled`.
    let walk = walk_all(&doc, &["customerBillItem[].state"], |m| {
        serde_json::from_str::<CustomerBill>(&m.text()).is_ok_and(|b| checked(&view, &b).is_ok())
    });
    assert!(
        walk.defects.is_empty(),
        "accepted with a field changed: {:#?}",
        walk.defects
    );
    assert!(walk.tried > 20, "the walk found too few fields");
}

/// A netted invoice is settled by its netting's net payment (`docs/lifecycle.md`, "Netting"): its
/// bill settled under the net payment's reference verifies once the net's receipt is anchored,
/// and not before.
#[test]
fn a_netted_bill_settles_with_its_nets_receipt() {
    use zkinvoice_testkit::netted::netted;
    let (w, n, dir) = (bilateral(), netted(), tempfile::tempdir().expect("dir"));
    let log = log(w, &dir, false, false);
    let rev = n.log(&dir.path().join("reverse.db"));
    let p = &w.october.zk_proof.public_inputs;
    let (msa, october) = (p.msa_commitment, p.invoice_commitment);
    let accepted = rev
        .entries()
        .expect("entries")
        .into_iter()
        .find(|e| matches!(e.body, Body::InvoiceAccepted { .. }))
        .expect("the reverse invoice accepted")
        .signatures[0]
        .signature
        .clone();
    log.append(n.key_agreed(msa, true)).expect("netting key");
    let e = &n.netting;
    let netted_body = Body::invoices_netted(
        msa,
        october,
        (n.msa_commitment.0, accepted),
        &e.public_inputs,
        (e.period.start.clone(), e.period.end.clone()),
        &e.proof,
    )
    .expect("October is one of the two");
    let both = Proposal::new(netted_body)
        .signed(Role::Seller, &w.seller)
        .signed(Role::Buyer, &w.buyer);
    log.append(both).expect("netted");
    const NET: &str = "SWIFT 2027-01-31 NET/INV-2026-10";
    let net_commitment = e.public_inputs.net_commitment;
    let settled = w.october.settled(NET);
    log.append(
        Proposal::new(Body::NetPayment {
            msa_commitment: msa,
            net_commitment,
            by: Role::Buyer,
            paid_on: "2027-01-31".into(),
            reference: NET.into(),
        })
        .signed(Role::Buyer, &w.buyer),
    )
    .expect("net paid");
    let r = checked(&log.view().expect("view"), &settled).expect_err("not received yet");
    assert!(matches!(r, Rejection::NotSettled { .. }), "{r}");
    log.append(
        Proposal::new(Body::NetPaymentReceived {
            msa_commitment: msa,
            net_commitment,
            by: Role::Seller,
            received_on: "2027-02-01".into(),
            reference: NET.into(),
        })
        .signed(Role::Seller, &w.seller),
    )
    .expect("net received");
    let view = log.view().expect("view");
    checked(&view, &settled).expect("settled by the net");
    assert!(
        checked(&view, &w.october.settled("SEPA 1")).is_err(),
        "another reference"
    );
}
