//! Every field of every kind of anchor entry and proposal is bound: for the example bilateral's
//! log (msa-agreed, two usage-agreed, its reconciliations: statement-key-agreed, usage-measured by
//! each party, usage-reconciled, usage-agreed, and a period disputed, invoiced in part
//! (usage-partial, invoice-partial), resolved and agreed; then
//! invoice-proved, invoice-accepted, payment, payment-received, invoice-proved,
//! invoice-rejected), every change of one leaf of a signed proposal is refused by `append`, and of
//! an exported entry by `import`, into a copy holding exactly the entries before it. No field of
//! an entry or a proposal carries no meaning.

use zkinvoice_anchors::{AnchorLog, Body, Proposal, Role};
use zkinvoice_testkit::{
    bilateral::{bilateral, Bilateral},
    entrywalk::Template,
    fieldwalk::{exact, walk_all, Walk},
    partial::partial,
    reconciled::reconciled,
};

/// The proposals of the whole log, in order, each signed as its kind requires.
fn proposals(w: &Bilateral) -> Vec<Proposal> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let agreed = w.log(&dir.path().join("agreed.db"));
    let mut out: Vec<Proposal> = agreed
        .entries()
        .expect("entries")
        .into_iter()
        .map(|e| Proposal {
            body: e.body,
            signatures: e.signatures,
        })
        .collect();
    let decision = |body: Body| Proposal::new(body).signed(Role::Buyer, &w.buyer);
    let inputs = |p: &Proposal| p.body.proved_inputs().expect("an invoice-proved body");
    let (oct, nov) = (inputs(&w.october_proved), inputs(&w.november_proved));
    // The reconciliation first: its measurements are rated from `state_0`, the latest state
    // before October is invoiced.
    // January invoiced in part while its dispute is open (after the dispute, before its
    // resolution): the partial invoice does not move the state.
    let (r, p) = (reconciled(), partial());
    out.extend(r.proposals[..8].iter().cloned());
    out.push(p.usage_proposal());
    out.push(p.proposal(&p.invoice));
    out.extend(r.proposals[8..].iter().cloned());
    out.push(w.october_proved.clone());
    out.push(decision(Body::InvoiceAccepted {
        msa_commitment: oct.msa_commitment,
        invoice_commitment: oct.invoice_commitment,
    }));
    // October paid by the Buyer and received by the Seller.
    let reference = "SEPA 2026-12-01 GLOBEX/INV-2026-10".to_string();
    out.push(decision(Body::Payment {
        msa_commitment: oct.msa_commitment,
        invoice_commitment: oct.invoice_commitment,
        paid_on: "2026-12-01".into(),
        reference: reference.clone(),
    }));
    out.push(
        Proposal::new(Body::PaymentReceived {
            msa_commitment: oct.msa_commitment,
            invoice_commitment: oct.invoice_commitment,
            received_on: "2026-12-03".into(),
            reference,
        })
        .signed(Role::Seller, &w.seller),
    );
    out.push(w.november_proved.clone());
    out.push(decision(Body::InvoiceRejected {
        msa_commitment: nov.msa_commitment,
        invoice_commitment: nov.invoice_commitment,
        reason: "the usage is disputed".into(),
    }));
    out
}

/// Closed logs holding the first `k` proposals, for every `k`: each made from the one before
/// it, so that a walk's copy is a file copy, not a replay of every entry before it.
fn prefixes(w: &Bilateral, dir: &std::path::Path, all: &[Proposal]) -> Vec<Template> {
    let mut out: Vec<Template> = Vec::new();
    for k in 0..=all.len() {
        let path = dir.join(format!("prefix-{k}.db"));
        let log = match out.last() {
            None => AnchorLog::create(&path, &w.seller.public(), &w.buyer.public()).expect("a log"),
            Some(before) => {
                let log = before.copy(&path);
                log.append(all[k - 1].clone()).expect("the entries before");
                log
            }
        };
        out.push(Template::of(log));
    }
    out
}

/// A fresh copy of the log holding the first `k` proposals.
fn copy_with(dir: &std::path::Path, n: &mut usize, prefixes: &[Template], k: usize) -> AnchorLog {
    *n += 1;
    prefixes[k].copy(&dir.join(format!("copy-{n}.db")))
}

fn report(what: &str, walk: &Walk) {
    eprintln!(
        "{what}: {} changes tried, all {} refused",
        walk.tried, walk.refused
    );
    assert!(
        walk.defects.is_empty(),
        "{what}: accepted with a field changed: {:#?}",
        walk.defects
    );
    assert!(walk.tried >= 5, "{what}: too few fields");
}

#[test]
fn every_field_of_every_kind_of_proposal_is_bound() {
    let w = bilateral();
    let all = proposals(w);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let prefixes = prefixes(w, dir.path(), &all);
    let mut n = 0;
    let mut kinds = Vec::new();
    for (k, p) in all.iter().enumerate() {
        let doc = exact(&p.to_json());
        let walk = walk_all(&doc, &[], |m| {
            let log = copy_with(dir.path(), &mut n, &prefixes, k);
            Proposal::from_json(&m.text()).is_ok_and(|p| log.append(p).is_ok())
        });
        report(&format!("proposal {} ({})", k + 1, p.body.kind()), &walk);
        kinds.push(p.body.kind());
    }
    for kind in [
        "msa-agreed",
        "usage-agreed",
        "invoice-proved",
        "invoice-accepted",
        "invoice-rejected",
        "statement-key-agreed",
        "usage-measured",
        "usage-reconciled",
        "dispute-opened",
        "dispute-resolved",
        "payment",
        "payment-received",
        "usage-partial",
        "invoice-partial",
    ] {
        assert!(kinds.contains(&kind), "{kind} walked");
    }
}

#[test]
fn every_field_of_every_kind_of_entry_is_bound() {
    let w = bilateral();
    let all = proposals(w);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let prefixes = prefixes(w, dir.path(), &all);
    let mut n = 0;
    let full = copy_with(dir.path(), &mut n, &prefixes, all.len());
    for (k, entry) in full.entries().expect("entries").iter().enumerate() {
        let doc = exact(&entry.to_json_line());
        let walk = walk_all(&doc, &[], |m| {
            let log = copy_with(dir.path(), &mut n, &prefixes, k);
            let line = format!("{}\n", m.text());
            log.import_jsonl(&mut line.as_bytes())
                .is_ok_and(|r| r.appended == 1)
        });
        report(&format!("entry {} ({})", entry.seq, entry.body.kind()), &walk);
    }
}
