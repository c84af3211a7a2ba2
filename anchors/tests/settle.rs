//! The settlement's entries on the example bilateral (`docs/lifecycle.md`): the Buyer pays an
//! accepted invoice in full (`payment`), the Seller receives it (`payment-received`); the view
//! and the audit follow them. Every rule refuses what breaks it, with nothing written: a payment
//! of an invoice not decided or rejected, twice, of an invoice not anchored or under another MSA,
//! without a valid date or reference, signed by the Seller; a receipt without a payment, twice,
//! under another reference, dated before the payment, signed by the Buyer.

use zkinvoice_anchors::{AnchorError, AnchorLog, Body, Fr, Proposal, Role, Rule, SettleRule};
use zkinvoice_testkit::bilateral::{bilateral, Bilateral};

/// `body`, signed by every role it requires.
fn signed(body: Body) -> Proposal {
    let w = bilateral();
    body.required_roles()
        .iter()
        .fold(Proposal::new(body), |p, &role| {
            let key = if role == Role::Seller { &w.seller } else { &w.buyer };
            p.signed(role, key)
        })
}

/// The log with both invoices proved, October accepted and November rejected.
fn decided(dir: &tempfile::TempDir) -> AnchorLog {
    let w = bilateral();
    let log = w.log(&dir.path().join("log.db"));
    log.append(w.october_proved.clone()).expect("october");
    log.append(w.november_proved.clone()).expect("november");
    let (msa, oct, nov) = (w.msa_commitment.0, invoice(w, true), invoice(w, false));
    log.append(signed(Body::InvoiceAccepted {
        msa_commitment: msa,
        invoice_commitment: oct,
    }))
    .expect("october accepted");
    log.append(signed(Body::InvoiceRejected {
        msa_commitment: msa,
        invoice_commitment: nov,
        reason: "the Buyer disputes the November rates".into(),
    }))
    .expect("november rejected");
    log
}

/// October's (`true`) or November's invoice commitment.
fn invoice(w: &Bilateral, october: bool) -> Fr {
    let bill = if october { &w.october } else { &w.november };
    bill.zk_proof.public_inputs.invoice_commitment
}

fn payment(invoice: Fr, paid_on: &str, reference: &str) -> Body {
    Body::Payment {
        msa_commitment: bilateral().msa_commitment.0,
        invoice_commitment: invoice,
        paid_on: paid_on.into(),
        reference: reference.into(),
    }
}

fn received(invoice: Fr, received_on: &str, reference: &str) -> Body {
    Body::PaymentReceived {
        msa_commitment: bilateral().msa_commitment.0,
        invoice_commitment: invoice,
        received_on: received_on.into(),
        reference: reference.into(),
    }
}

/// Appending `p` is refused by a rule `check` accepts, and nothing is written.
fn refused(log: &AnchorLog, p: Proposal, what: &str, check: impl Fn(&Rule) -> bool) {
    let before = log.len().expect("len");
    match log.append(p) {
        Err(AnchorError::Refused { rule, .. }) => assert!(check(&rule), "{what}: {rule}"),
        other => panic!("{what}: {other:?}"),
    }
    assert_eq!(log.len().expect("len"), before, "{what}: nothing written");
}

const REF: &str = "SEPA 2026-12-01 GLOBEX/INV-2026-10";

#[test]
fn an_accepted_invoice_is_paid_once_and_received_once() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let log = decided(&dir);
    let oct = invoice(w, true);
    let paid = log.append(signed(payment(oct, "2026-12-01", REF))).expect("paid");
    let s = log
        .view()
        .expect("view")
        .settlement(&oct)
        .cloned()
        .expect("a settlement");
    assert_eq!((s.paid, s.reference.as_str(), s.received), (paid.seq, REF, None));
    let audit = log.audit(&mut rand::rngs::OsRng).expect("audit");
    assert_eq!(
        (
            audit.settlement.accepted,
            audit.settlement.paid,
            audit.settlement.received
        ),
        (1, 1, 0)
    );

    let got = log
        .append(signed(received(oct, "2026-12-03", REF)))
        .expect("received");
    let s = log
        .view()
        .expect("view")
        .settlement(&oct)
        .cloned()
        .expect("a settlement");
    assert_eq!(s.received, Some((got.seq, "2026-12-03".to_string())));
    let audit = log.audit(&mut rand::rngs::OsRng).expect("audit");
    assert!(audit.is_clean(), "{:?}", audit.failures);
    assert_eq!(
        (
            audit.settlement.accepted,
            audit.settlement.paid,
            audit.settlement.received
        ),
        (1, 1, 1)
    );
    log.verify_log().expect("the log verifies");

    refused(
        &log,
        signed(payment(oct, "2026-12-02", "again")),
        "paid twice",
        |r| matches!(r, Rule::Settle(SettleRule::AlreadyPaid { seq, .. }) if *seq == paid.seq),
    );
    refused(
        &log,
        signed(received(oct, "2026-12-04", REF)),
        "received twice",
        |r| matches!(r, Rule::Settle(SettleRule::AlreadyReceived { seq, .. }) if *seq == got.seq),
    );
}

#[test]
fn a_payment_is_refused_unless_it_pays_an_accepted_invoice_of_the_msa() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let log = w.log(&dir.path().join("undecided.db"));
    log.append(w.october_proved.clone()).expect("october");
    let oct = invoice(w, true);
    refused(
        &log,
        signed(payment(oct, "2026-12-01", REF)),
        "not decided",
        |r| matches!(r, Rule::Settle(SettleRule::NotAccepted { status, .. }) if status == "proved, not decided"),
    );
    let log = decided(&dir);
    let nov = invoice(w, false);
    refused(
        &log,
        signed(payment(nov, "2026-12-01", REF)),
        "rejected",
        |r| matches!(r, Rule::Settle(SettleRule::NotAccepted { status, .. }) if status.starts_with("rejected at entry")),
    );
    refused(
        &log,
        signed(payment(Fr::from(7u64), "2026-12-01", REF)),
        "not anchored",
        |r| matches!(r, Rule::InvoiceNotAnchored { .. }),
    );
    let mut other_msa = payment(oct, "2026-12-01", REF);
    if let Body::Payment { msa_commitment, .. } = &mut other_msa {
        *msa_commitment = Fr::from(9u64);
    }
    refused(&log, signed(other_msa), "another MSA", |r| {
        matches!(r, Rule::MsaNotAnchored { .. })
    });
    for bad in ["2026-02-30", "2026-12-1", "01.12.2026", ""] {
        refused(&log, signed(payment(oct, bad, REF)), bad, |r| {
            matches!(r, Rule::InvalidDate { field: "paidOn", .. })
        });
    }
    for bad in ["", " leading blank", "two\nlines", &"x".repeat(257)] {
        refused(&log, signed(payment(oct, "2026-12-01", bad)), bad, |r| {
            matches!(
                r,
                Rule::InvalidText {
                    field: "reference",
                    ..
                }
            )
        });
    }
    // Signed by the Seller, it is not the payer's.
    let by_seller = Proposal::new(payment(oct, "2026-12-01", REF)).signed(Role::Seller, &w.seller);
    refused(&log, by_seller, "by the Seller", |r| {
        matches!(r, Rule::Signatures(_))
    });
}

#[test]
fn a_receipt_is_refused_unless_it_receives_the_payment() {
    let (w, dir) = (bilateral(), tempfile::tempdir().expect("dir"));
    let log = decided(&dir);
    let oct = invoice(w, true);
    refused(&log, signed(received(oct, "2026-12-03", REF)), "not paid", |r| {
        matches!(r, Rule::Settle(SettleRule::NotPaid { .. }))
    });
    log.append(signed(payment(oct, "2026-12-01", REF))).expect("paid");
    refused(
        &log,
        signed(received(oct, "2026-12-03", "another")),
        "another reference",
        |r| matches!(r, Rule::Settle(SettleRule::OtherReference { paid, .. }) if paid == REF),
    );
    refused(
        &log,
        signed(received(oct, "2026-11-30", REF)),
        "before the payment",
        |r| matches!(r, Rule::Settle(SettleRule::ReceivedBeforePaid { paid_on, .. }) if paid_on == "2026-12-01"),
    );
    refused(
        &log,
        signed(received(oct, "2026-13-01", REF)),
        "not a date",
        |r| {
            matches!(
                r,
                Rule::InvalidDate {
                    field: "receivedOn",
                    ..
                }
            )
        },
    );
    let by_buyer = Proposal::new(received(oct, "2026-12-03", REF)).signed(Role::Buyer, &w.buyer);
    refused(&log, by_buyer, "by the Buyer", |r| {
        matches!(r, Rule::Signatures(_))
    });
    // Received on the day it was paid: admitted.
    log.append(signed(received(oct, "2026-12-01", REF)))
        .expect("received the same day");
}
