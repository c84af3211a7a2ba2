//! A disputed period invoiced in part, then finally (`docs/lifecycle.md`, "Partial and final
//! invoices"), on the example bilateral's January (`zkinvoice_testkit::reconciled`: disputed over
//! `ip-transit`, then resolved on the Seller's usage): both agree January's usage without IP
//! transit (`usage-partial`), the Seller proves its invoice from the MSA's latest state
//! (`invoice-partial`, the state does not move), the Buyer accepts and pays it; once the dispute
//! is resolved the Seller's whole usage is agreed and invoiced (`invoice-proved`, the final
//! invoice, from the same state). Every rule refuses what breaks it, with nothing written.

use super::signed;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{AnchorError, AnchorLog, Body, Fr, Part, PartialRule, Proposal, Role, Rule};
use zkinvoice_circuits::Commitment;
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_testkit::{bilateral::bilateral, partial::partial, reconciled::reconciled};

/// The reconciliation proposals up to January's dispute (key, December's four, January's two
/// measurements and the dispute).
const DISPUTED: usize = 8;
/// January's resolution and its agreed usage.
const RESOLVED: usize = 8;
const AGREED: usize = 9;
/// The bilateral's entries before them: msa-agreed and two usage-agreed.
const BEFORE: u64 = 3;
/// The first entry after the dispute.
const NEXT: u64 = BEFORE + DISPUTED as u64 + 1;

fn period() -> (String, String) {
    let p = reconciled().january.period;
    (p.start.to_string(), p.end.to_string())
}

fn invoice_partial(env: &ProofEnvelope) -> Proposal {
    partial().proposal(env)
}

/// A log holding the bilateral's agreed entries, the first `n` reconciliation proposals and
/// `more`.
fn log_with(dir: &tempfile::TempDir, n: usize, more: &[Proposal]) -> AnchorLog {
    let log = bilateral().log(&dir.path().join(format!("log-{n}-{}.db", more.len())));
    for p in reconciled().proposals[..n].iter().chain(more) {
        log.append(p.clone()).expect("the entries before");
    }
    log
}

/// Appends `p`, which must be refused without writing anything; the rule.
fn refused(log: &AnchorLog, p: Proposal) -> Rule {
    let before = log.len().expect("a length");
    let e = log.append(p).expect_err("refused");
    assert_eq!(log.len().expect("a length"), before, "a refusal wrote: {e}");
    match e {
        AnchorError::Refused { seq, rule, .. } if seq == before + 1 => *rule,
        e => panic!("not refused as the next entry: {e:?}"),
    }
}

/// A `usage-partial` body of another period.
fn of_period(body: &Body, start: &str, end: &str) -> Body {
    let mut b = body.clone();
    if let Body::UsagePartial {
        period_start,
        period_end,
        ..
    } = &mut b
    {
        *period_start = start.into();
        *period_end = end.into();
    }
    b
}

fn commitment(env: &ProofEnvelope) -> Fr {
    env.public_inputs.invoice_commitment
}

#[test]
fn a_disputed_period_is_invoiced_in_part_then_finally_from_the_same_state() {
    let (w, r, p) = (bilateral(), reconciled(), partial());
    let dir = tempfile::tempdir().expect("a directory");
    let accepted = signed(Body::InvoiceAccepted {
        msa_commitment: w.msa_commitment.0,
        invoice_commitment: commitment(&p.invoice),
    });
    let log = log_with(
        &dir,
        DISPUTED,
        &[p.usage_proposal(), invoice_partial(&p.invoice), accepted],
    );
    let view = log.view().expect("a view");
    let msa = w.msa_commitment.0;
    let (start, end) = period();
    assert_eq!(view.invoice_part(&commitment(&p.invoice)), Some(Part::Partial));
    assert_eq!(
        view.partial_invoice(&msa, &start, &end),
        Some(commitment(&p.invoice))
    );
    assert_eq!(
        view.latest_state(&msa),
        Some(w.state0.commitment.0),
        "the state moved"
    );

    // Resolved, agreed, and invoiced in full from the same state: the final invoice.
    let seller = &r.january.seller;
    for i in [RESOLVED, AGREED] {
        log.append(r.proposals[i].clone()).expect("resolved and agreed");
    }
    log.append(p.final_proposal()).expect("the final invoice");
    let view = log.view().expect("a view");
    assert_eq!(
        view.invoice_part(&commitment(seller)),
        Some(Part::Final {
            partial: commitment(&p.invoice),
            seq: NEXT + 1
        })
    );
    assert_eq!(view.latest_state(&msa), Some(seller.public_inputs.state_after));
    // Whole invoices stay whole.
    assert_eq!(
        view.invoice_part(&r.december.seller.public_inputs.invoice_commitment),
        None
    );

    assert_eq!(log.verify_log().expect("verifies").entries, NEXT + 5);
    let report = log.audit(&mut ChaCha20Rng::seed_from_u64(1)).expect("audits");
    assert!(report.is_clean(), "{:?}", report.failures);
    // Six of the reconciliation, the partial invoice and the final one.
    assert_eq!(report.proofs, 8);
}

#[test]
fn a_partial_usage_needs_an_open_dispute_both_signatures_and_comes_once() {
    let (w, r, p) = (bilateral(), reconciled(), partial());
    let dir = tempfile::tempdir().expect("a directory");
    // January measured, not yet reconciled.
    let log = log_with(&dir, DISPUTED - 1, &[]);
    let rule = refused(&log, p.usage_proposal());
    assert!(
        matches!(&rule, Rule::Partial(PartialRule::NotDisputed { status, .. }) if status == "measured, not reconciled"),
        "{rule:?}"
    );
    // A period nobody measured; December, reconciled and agreed.
    let february = of_period(&p.usage_partial, "2027-02-01", "2027-03-01");
    let log = log_with(&dir, DISPUTED, &[]);
    let rule = refused(&log, signed(february));
    assert!(
        matches!(&rule, Rule::Partial(PartialRule::NotDisputed { status, .. }) if status == "not measured"),
        "{rule:?}"
    );
    let (start, end) = (
        r.december.period.start.to_string(),
        r.december.period.end.to_string(),
    );
    let december = of_period(&p.usage_partial, &start, &end);
    let rule = refused(&log, signed(december));
    assert!(matches!(rule, Rule::UsageAlreadyAgreed { .. }), "{rule:?}");
    // Signed by one party.
    let one = Proposal::new(p.usage_partial.clone()).signed(Role::Seller, &w.seller);
    assert!(matches!(refused(&log, one), Rule::Signatures(_)));
    // A malformed detail root.
    let mut root = p.usage_partial.clone();
    if let Body::UsagePartial {
        usage_detail_root, ..
    } = &mut root
    {
        usage_detail_root.truncate(10);
    }
    assert!(matches!(
        refused(&log, signed(root)),
        Rule::InvalidDetailRoot { .. }
    ));
    // Once; and not after the resolution.
    log.append(p.usage_proposal()).expect("the partial usage");
    let rule = refused(&log, p.usage_proposal());
    assert!(
        matches!(rule, Rule::Partial(PartialRule::PartialAlreadyAgreed { seq, .. }) if seq == NEXT),
        "{rule:?}"
    );
    let log = log_with(&dir, DISPUTED + 1, &[]);
    let rule = refused(&log, p.usage_proposal());
    assert!(
        matches!(&rule, Rule::Partial(PartialRule::NotDisputed { status, .. }) if *status == format!("resolved at entry {}", NEXT)),
        "{rule:?}"
    );
}

#[test]
fn a_partial_invoice_rates_the_partial_usage_once_from_the_latest_state_while_disputed() {
    let (w, r, p) = (bilateral(), reconciled(), partial());
    let dir = tempfile::tempdir().expect("a directory");
    // Before the partial usage.
    let log = log_with(&dir, DISPUTED, &[]);
    let rule = refused(&log, invoice_partial(&p.invoice));
    assert!(
        matches!(rule, Rule::Partial(PartialRule::NoPartialUsage { .. })),
        "{rule:?}"
    );
    log.append(p.usage_proposal()).expect("the partial usage");
    // The Seller's whole measurement as a partial invoice: another usage.
    let rule = refused(&log, invoice_partial(&r.january.seller));
    assert!(
        matches!(rule, Rule::Partial(PartialRule::NotThePartialUsage { seq, .. }) if seq == NEXT),
        "{rule:?}"
    );
    // Signed by the Buyer.
    let (start, end) = period();
    let body = Body::invoice_partial(
        &p.invoice.public_inputs,
        &p.invoice.invoice.number,
        start,
        end,
        &p.invoice.proof,
    );
    let buyer = Proposal::new(body.clone()).signed(Role::Buyer, &w.buyer);
    assert!(matches!(refused(&log, buyer), Rule::Signatures(_)));
    // A field its proof does not prove; another invoice's proof; a stale state.
    let edit = |f: &dyn Fn(&mut Body)| {
        let mut b = body.clone();
        f(&mut b);
        signed(b)
    };
    let bad = edit(&|b| {
        if let Body::InvoicePartial { state_after, .. } = b {
            *state_after = Fr::from(5u64);
        }
    });
    assert!(matches!(refused(&log, bad), Rule::ProofDoesNotVerify { .. }));
    let other = edit(&|b| {
        if let Body::InvoicePartial { proof, .. } = b {
            *proof = p.again.proof.to_base64();
        }
    });
    assert!(matches!(refused(&log, other), Rule::ProofDoesNotVerify { .. }));
    let stale = edit(&|b| {
        if let Body::InvoicePartial { state_before, .. } = b {
            *state_before = Fr::from(5u64);
        }
    });
    assert!(matches!(refused(&log, stale), Rule::StaleState { .. }));
    let nameless = edit(&|b| {
        if let Body::InvoicePartial { invoice_number, .. } = b {
            invoice_number.clear();
        }
    });
    assert!(matches!(refused(&log, nameless), Rule::InvalidText { .. }));
    // Once: the same invoice, then another of the same usage.
    log.append(invoice_partial(&p.invoice))
        .expect("the partial invoice");
    let rule = refused(&log, invoice_partial(&p.invoice));
    assert!(
        matches!(rule, Rule::InvoiceAlreadyAnchored { seq, .. } if seq == NEXT + 1),
        "{rule:?}"
    );
    let rule = refused(&log, invoice_partial(&p.again));
    assert!(
        matches!(rule, Rule::Partial(PartialRule::AlreadyPartiallyInvoiced { seq, .. }) if seq == NEXT + 1),
        "{rule:?}"
    );
    // Not once the dispute is resolved.
    let log = log_with(
        &dir,
        DISPUTED,
        &[p.usage_proposal(), r.proposals[RESOLVED].clone()],
    );
    let rule = refused(&log, invoice_partial(&p.invoice));
    assert!(
        matches!(&rule, Rule::Partial(PartialRule::NotDisputed { status, .. }) if status.starts_with("resolved")),
        "{rule:?}"
    );
}

/// Credit notes take whole or final invoices: a partial invoice's is refused before its proof
/// is read; the final invoice's (January's SLA performance agreed, the credit key agreed) is
/// admitted and recorded, once.
#[test]
fn a_partial_invoice_is_not_credited_a_final_one_is() {
    let (w, r, p) = (bilateral(), reconciled(), partial());
    let c = zkinvoice_testkit::final_credit::final_credit();
    let dir = tempfile::tempdir().expect("a directory");
    let (start, end) = period();
    let log = log_with(
        &dir,
        DISPUTED,
        &[
            p.usage_proposal(),
            invoice_partial(&p.invoice),
            r.proposals[RESOLVED].clone(),
            r.proposals[AGREED].clone(),
            p.final_proposal(),
            zkinvoice_testkit::credited::credited().key_agreed(),
            c.sla_proposal(),
        ],
    );
    let note = signed(Body::CreditNote {
        msa_commitment: w.msa_commitment.0,
        invoice_commitment: commitment(&p.invoice),
        period_start: start,
        period_end: end,
        credit_commitment: Commitment(Fr::from(3u64)).0,
        proof: String::new(),
    });
    let rule = refused(&log, note);
    assert!(
        matches!(rule, Rule::Partial(PartialRule::NotWhole { what: "a partial invoice", seq, .. }) if seq == NEXT + 1),
        "{rule:?}"
    );
    let final_ = commitment(&r.january.seller);
    assert_eq!(c.envelope.public_inputs.invoice_commitment, final_);
    let seq = log
        .append(c.note_proposal())
        .expect("the final invoice's credit note")
        .seq;
    let view = log.view().expect("a view");
    assert_eq!(
        view.credit_of(&final_).map(|n| (n.seq, n.commitment)),
        Some((seq, c.envelope.public_inputs.credit_commitment))
    );
    let rule = refused(&log, c.note_proposal());
    assert!(matches!(rule, Rule::Credit(_)), "{rule:?}");
}
