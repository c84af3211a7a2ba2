//! The SLA credits' entries (`docs/lifecycle.md`, "SLA credits"): October's SLA performance
//! agreed by both (`sla-agreed`), October's invoice credited by the Seller (`credit-note`) with a
//! proof under the MSA's credit key; the audit counts it and a credited invoice is paid, not
//! netted (a note after the payment is carried forward: `carried.rs`). Every rule refuses what
//! breaks it, with nothing written: no credit key, no agreed SLA performance, a second agreement,
//! key or note, a rejected invoice, an edited note, invoice or period, a note signed by the Buyer (a netted one is `net.rs`'s); and every field of
//! both kinds is bound.

use zkinvoice_anchors::{
    AnchorError, AnchorLog, Body, CreditRule, Fr, Proposal, ReconcileRule, Role, Rule, SignatureError,
};
use zkinvoice_testkit::{bilateral::bilateral, credited::credited};

/// The example's log with October proved, and as asked October accepted, the credit key agreed
/// and October's SLA performance agreed.
fn log(dir: &tempfile::TempDir, name: &str, (accepted, key, sla): (bool, bool, bool)) -> AnchorLog {
    let w = bilateral();
    let log = w.log(&dir.path().join(name));
    log.append(w.october_proved.clone()).expect("october");
    if accepted {
        log.append(by(
            Body::InvoiceAccepted {
                msa_commitment: w.msa_commitment.0,
                invoice_commitment: october(),
            },
            Role::Buyer,
        ))
        .expect("accepted");
    }
    if key {
        log.append(credited().key_agreed()).expect("credit key");
    }
    if sla {
        log.append(credited().sla_agreed()).expect("sla-agreed");
    }
    log
}

fn october() -> Fr {
    bilateral().october_envelope.public_inputs.invoice_commitment
}

/// `body` signed by `role`.
fn by(body: Body, role: Role) -> Proposal {
    let w = bilateral();
    let key = match role {
        Role::Seller => &w.seller,
        Role::Buyer => &w.buyer,
    };
    Proposal::new(body).signed(role, key)
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

#[test]
fn a_credit_note_is_anchored_once_and_counted() {
    let c = credited();
    let dir = tempfile::tempdir().expect("dir");
    let log = log(&dir, "a.db", (true, true, true));
    let entry = log.append(by(c.note_body(), Role::Seller)).expect("credited");
    assert_eq!(entry.body.kind(), "credit-note");
    let view = log.view().expect("view");
    let note = view.credit_of(&october()).expect("credited");
    assert_eq!(note.commitment, c.envelope.public_inputs.credit_commitment);
    assert_eq!(
        view.agreed_sla(&bilateral().msa_commitment.0, "2026-10-01", "2026-11-01"),
        Some(c.sla_commitment.0)
    );
    let mut rng = <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(5);
    let report = log.audit(&mut rng).expect("audits");
    assert!(report.is_clean(), "{:?}", report.failures);
    assert_eq!((report.settlement.accepted, report.settlement.credited), (1, 1));
    // Its proof is counted with the others.
    assert_eq!(report.proofs, 2);

    // A credited invoice is paid (its total less the note's); that it is not netted is
    // `net.rs`'s.
    let w = bilateral();
    log.append(by(
        Body::Payment {
            msa_commitment: w.msa_commitment.0,
            invoice_commitment: october(),
            paid_on: "2026-12-01".into(),
            reference: "R-1".into(),
        },
        Role::Buyer,
    ))
    .expect("paid");
}

#[test]
fn a_credit_note_is_refused_unless_every_rule_holds() {
    let c = credited();
    let w = bilateral();
    let dir = tempfile::tempdir().expect("dir");
    let credit = |f: fn(&CreditRule) -> bool| move |r: &Rule| matches!(r, Rule::Credit(x) if f(x));
    let note = || by(c.note_body(), Role::Seller);

    refused(
        &log(&dir, "no-key.db", (true, false, true)),
        note(),
        "no credit key",
        credit(|r| matches!(r, CreditRule::NoCreditKey { .. })),
    );
    refused(
        &log(&dir, "no-sla.db", (true, true, false)),
        note(),
        "no SLA performance agreed",
        credit(|r| matches!(r, CreditRule::NoSlaAgreed { .. })),
    );

    // Rejected first.
    let rejected = log(&dir, "rejected.db", (false, true, true));
    rejected
        .append(by(
            Body::InvoiceRejected {
                msa_commitment: w.msa_commitment.0,
                invoice_commitment: october(),
                reason: "wrong".into(),
            },
            Role::Buyer,
        ))
        .expect("rejected");
    refused(
        &rejected,
        note(),
        "a rejected invoice",
        credit(|r| matches!(r, CreditRule::Rejected { .. })),
    );

    // Paid first.
    let paid = log(&dir, "paid.db", (true, true, true));
    paid.append(by(
        Body::Payment {
            msa_commitment: w.msa_commitment.0,
            invoice_commitment: october(),
            paid_on: "2026-12-01".into(),
            reference: "R-1".into(),
        },
        Role::Buyer,
    ))
    .expect("paid");
    // A paid invoice's note is admitted, to be carried forward (`carried.rs`).
    paid.append(note()).expect("credited after the payment");
    let view = paid.view().expect("view");
    assert!(view.credit_of(&october()).is_some_and(|c| c.after_payment));

    // An invoice proved, not yet decided, is credited; edits of the note are not; once only.
    let good = log(&dir, "good.db", (false, true, true));
    let edit = |f: fn(&mut Body)| {
        let mut b = c.note_body();
        f(&mut b);
        by(b, Role::Seller)
    };
    let proof_fails = credit(|r| matches!(r, CreditRule::CreditProofDoesNotVerify { .. }));
    refused(
        &good,
        edit(|b| {
            if let Body::CreditNote {
                credit_commitment, ..
            } = b
            {
                *credit_commitment += Fr::from(1u64);
            }
        }),
        "another note",
        proof_fails,
    );
    refused(
        &good,
        edit(|b| {
            if let Body::CreditNote { period_end, .. } = b {
                *period_end = "2026-11-02".into();
            }
        }),
        "another period",
        credit(|r| matches!(r, CreditRule::NoSlaAgreed { .. })),
    );
    refused(
        &good,
        edit(|b| {
            if let Body::CreditNote {
                invoice_commitment, ..
            } = b
            {
                *invoice_commitment += Fr::from(1u64);
            }
        }),
        "an invoice not anchored",
        |r| matches!(r, Rule::InvoiceNotAnchored { .. }),
    );
    refused(
        &good,
        by(c.note_body(), Role::Buyer),
        "signed by the Buyer",
        |r| matches!(r, Rule::Signatures(SignatureError::NotRequired { .. })),
    );
    good.append(note()).expect("credited");
    refused(
        &good,
        note(),
        "credited twice",
        credit(|r| matches!(r, CreditRule::AlreadyCredited { .. })),
    );
    refused(
        &good,
        c.sla_agreed(),
        "agreed twice",
        credit(|r| matches!(r, CreditRule::SlaAlreadyAgreed { .. })),
    );
    refused(&good, c.key_agreed(), "the credit key agreed twice", |r| {
        matches!(
            r,
            Rule::Reconcile(ReconcileRule::StatementKeyAlreadyAgreed { .. })
        )
    });
}

/// Every field of `sla-agreed` and `credit-note` is bound: every change of one leaf of each
/// signed proposal is refused by `append`, and of each exported entry by `import`, into a copy of
/// the log holding exactly the entries before it.
#[test]
fn every_field_of_the_credits_entries_is_bound() {
    use zkinvoice_testkit::entrywalk::assert_every_field_bound;
    let c = credited();
    let dir = tempfile::tempdir().expect("dir");
    let base = log(&dir, "base.db", (true, true, false));
    let w = bilateral();
    for p in [c.sla_agreed(), by(c.note_body(), Role::Seller)] {
        assert_every_field_bound(&base, dir.path(), p, (&w.seller.public(), &w.buyer.public()));
    }
}
