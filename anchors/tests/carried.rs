//! Credits carried forward (`docs/lifecycle.md`, "Credits carried forward"): October's invoice
//! paid, then credited (`credit-note` after the payment: admitted, not applied to October), and
//! the note carried to November (`credit-carried`, signed by both); the audit counts it, November
//! is paid, and not netted. Every rule refuses what breaks it, with nothing written: a note not
//! anchored, recorded before its invoice's payment, carried twice, to a paid, rejected or
//! unanchored invoice, under another MSA, signed by one party; and every field is bound.

use zkinvoice_anchors::{
    AnchorError, AnchorLog, Body, CreditCarried, CreditRule, Fr, NetRule, Proposal, Role, Rule,
    SignatureError,
};
use zkinvoice_testkit::{bilateral::bilateral, credited::credited, netted::netted};

fn october() -> Fr {
    bilateral().october_envelope.public_inputs.invoice_commitment
}

fn november() -> Fr {
    let w = bilateral();
    let Body::InvoiceProved {
        invoice_commitment, ..
    } = &w.november_proved.body
    else {
        unreachable!("november is proved")
    };
    *invoice_commitment
}

/// `body` signed by `roles`.
fn by(body: Body, roles: &[Role]) -> Proposal {
    let w = bilateral();
    roles.iter().fold(Proposal::new(body), |p, role| match role {
        Role::Seller => p.signed(*role, &w.seller),
        Role::Buyer => p.signed(*role, &w.buyer),
    })
}

const BOTH: &[Role] = &[Role::Seller, Role::Buyer];

fn paid(invoice: Fr, reference: &str) -> Proposal {
    by(
        Body::Payment {
            msa_commitment: bilateral().msa_commitment.0,
            invoice_commitment: invoice,
            paid_on: "2026-12-01".into(),
            reference: reference.into(),
        },
        &[Role::Buyer],
    )
}

fn accepted(invoice: Fr) -> Proposal {
    by(
        Body::InvoiceAccepted {
            msa_commitment: bilateral().msa_commitment.0,
            invoice_commitment: invoice,
        },
        &[Role::Buyer],
    )
}

/// October's note carried to `to`.
fn carry(to: Fr) -> Proposal {
    by(carried_body(to), BOTH)
}

fn carried_body(to: Fr) -> Body {
    Body::CreditCarried(CreditCarried {
        msa_commitment: bilateral().msa_commitment.0,
        credit_commitment: credited().envelope.public_inputs.credit_commitment,
        invoice_commitment: to,
    })
}

/// The example's log: October proved and accepted, paid when `paid_first`, the credit key and
/// October's SLA performance agreed, October's note, November proved.
fn log(dir: &tempfile::TempDir, name: &str, paid_first: bool) -> AnchorLog {
    let w = bilateral();
    let c = credited();
    let log = w.log(&dir.path().join(name));
    log.append(w.october_proved.clone()).expect("october");
    log.append(accepted(october())).expect("accepted");
    if paid_first {
        log.append(paid(october(), "R-10")).expect("paid");
    }
    log.append(c.key_agreed()).expect("credit key");
    log.append(c.sla_agreed()).expect("sla-agreed");
    log.append(by(c.note_body(), &[Role::Seller])).expect("the note");
    log.append(w.november_proved.clone()).expect("november");
    log
}

/// Appending `p` is refused as `check` accepts, and nothing is written.
fn refused(log: &AnchorLog, p: Proposal, what: &str, check: impl Fn(&Rule) -> bool) {
    let before = log.len().expect("len");
    let got = log.append(p).map(|_| ());
    assert!(
        matches!(&got, Err(AnchorError::Refused { rule, .. }) if check(rule)),
        "{what}: {got:?}"
    );
    assert_eq!(log.len().expect("len"), before, "{what}: nothing written");
}

fn credit(f: fn(&CreditRule) -> bool) -> impl Fn(&Rule) -> bool {
    move |r: &Rule| matches!(r, Rule::Credit(x) if f(x))
}

#[test]
fn a_note_after_the_payment_is_carried_to_a_later_invoice_once() {
    let c = credited();
    let dir = tempfile::tempdir().expect("dir");
    let log = log(&dir, "a.db", true);
    let view = log.view().expect("view");
    let note = view.credit_of(&october()).expect("credited");
    assert!(note.after_payment, "recorded after the payment");
    assert!(view.carried_to(&november()).is_empty());

    let entry = log.append(carry(november())).expect("carried");
    assert_eq!(entry.body.kind(), "credit-carried");
    let view = log.view().expect("view");
    let note = c.envelope.public_inputs.credit_commitment;
    let carried = view.carried(&note).expect("carried");
    assert_eq!(
        (carried.from, carried.to, carried.seq),
        (october(), november(), entry.seq)
    );
    assert_eq!(view.carried_to(&november()), vec![(note, carried)]);
    assert!(view.carried_to(&october()).is_empty());

    refused(
        &log,
        carry(november()),
        "carried twice",
        credit(|r| matches!(r, CreditRule::AlreadyCarried { .. })),
    );
    // November is accepted and paid (its total less the note), then counted.
    log.append(accepted(november())).expect("accepted");
    log.append(paid(november(), "R-11")).expect("paid");
    let mut rng = <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(7);
    let report = log.audit(&mut rng).expect("audits");
    assert!(report.is_clean(), "{:?}", report.failures);
    let s = report.settlement;
    assert_eq!((s.accepted, s.credited, s.carried, s.paid), (2, 1, 1, 2));
}

/// An invoice a note is carried to is due its total less the note: the netting statement nets
/// totals, so it is not netted (`NetRule::Credited`, naming the `credit-carried` entry), as a
/// credited invoice is not (`anchors/tests/net.rs`).
#[test]
fn an_invoice_a_note_is_carried_to_is_not_netted() {
    let (w, n) = (bilateral(), netted());
    let dir = tempfile::tempdir().expect("dir");
    let log = log(&dir, "a.db", true);
    let carried = log.append(carry(november())).expect("carried");
    log.append(accepted(november())).expect("accepted");
    log.append(n.key_agreed(w.msa_commitment.0, true))
        .expect("netting key");
    // November against the reverse bilateral's invoice, accepted in its own log. The rule
    // refuses before the proof is verified.
    let rev = n.log(&dir.path().join("reverse.db"));
    let other_accepted = rev
        .entries()
        .expect("entries")
        .into_iter()
        .find(|e| matches!(&e.body, Body::InvoiceAccepted { invoice_commitment, .. } if *invoice_commitment == n.invoice()))
        .expect("the reverse invoice accepted")
        .signatures[0]
        .signature
        .clone();
    // October's netting, its invoice edited to November.
    let p = &n.netting.period;
    let mut body = Body::invoices_netted(
        w.msa_commitment.0,
        october(),
        (n.msa_commitment.0, other_accepted),
        &n.netting.public_inputs,
        (p.start.clone(), p.end.clone()),
        &n.netting.proof,
    )
    .expect("a netting body");
    if let Body::InvoicesNetted {
        invoice_commitment, ..
    } = &mut body
    {
        *invoice_commitment = november();
    }
    refused(
        &log,
        by(body, BOTH),
        "carried to, then netted",
        |r| matches!(r, Rule::Net(NetRule::Credited { invoice, seq }) if *invoice == november() && *seq == carried.seq),
    );
}

#[test]
fn a_carried_credit_is_refused_unless_every_rule_holds() {
    let w = bilateral();
    let dir = tempfile::tempdir().expect("dir");

    // The note before October's payment applies to October.
    let before = log(&dir, "before.db", false);
    refused(
        &before,
        carry(november()),
        "a note recorded before the payment",
        credit(|r| matches!(r, CreditRule::NotCarried { .. })),
    );

    let log = log(&dir, "a.db", true);
    let edit = |f: fn(&mut CreditCarried)| {
        let mut b = carried_body(november());
        if let Body::CreditCarried(c) = &mut b {
            f(c);
        }
        by(b, BOTH)
    };
    refused(
        &log,
        edit(|c| c.credit_commitment += Fr::from(1u64)),
        "a note not anchored",
        credit(|r| matches!(r, CreditRule::NoSuchNote { .. })),
    );
    refused(
        &log,
        edit(|c| c.invoice_commitment += Fr::from(1u64)),
        "to an invoice not anchored",
        |r| matches!(r, Rule::InvoiceNotAnchored { .. }),
    );
    refused(
        &log,
        edit(|c| c.msa_commitment += Fr::from(1u64)),
        "under another MSA",
        |r| matches!(r, Rule::MsaNotAnchored { .. } | Rule::InvoiceNotAnchored { .. }),
    );
    refused(
        &log,
        carry(october()),
        "to the paid invoice itself",
        credit(|r| matches!(r, CreditRule::AlreadySettled { what: "paid", .. })),
    );
    for (roles, what) in [
        (&[Role::Seller][..], "by the Seller alone"),
        (&[Role::Buyer][..], "by the Buyer alone"),
    ] {
        refused(&log, by(carried_body(november()), roles), what, |r| {
            matches!(r, Rule::Signatures(SignatureError::Missing { .. }))
        });
    }

    // To a rejected invoice, or one paid.
    for (decide, what, check) in [
        (
            by(
                Body::InvoiceRejected {
                    msa_commitment: w.msa_commitment.0,
                    invoice_commitment: november(),
                    reason: "wrong".into(),
                },
                &[Role::Buyer],
            ),
            "rejected",
            credit(|r| matches!(r, CreditRule::Rejected { .. })),
        ),
        (
            paid(november(), "R-11"),
            "paid",
            credit(|r| matches!(r, CreditRule::AlreadySettled { what: "paid", .. })),
        ),
    ] {
        let decided = self::log(&dir, &format!("{what}.db"), true);
        if what == "paid" {
            decided.append(accepted(november())).expect("accepted");
        }
        decided.append(decide).expect(what);
        refused(&decided, carry(november()), what, check);
    }
}

/// Every field of `credit-carried` is bound: every change of one leaf of the signed proposal is
/// refused by `append`, and of the exported entry by `import`.
#[test]
fn every_field_of_a_carried_credit_is_bound() {
    use zkinvoice_testkit::entrywalk::assert_every_field_bound;
    let dir = tempfile::tempdir().expect("dir");
    let base = log(&dir, "base.db", true);
    let w = bilateral();
    assert_every_field_bound(
        &base,
        dir.path(),
        carry(november()),
        (&w.seller.public(), &w.buyer.public()),
    );
}
