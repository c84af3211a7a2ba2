//! The SLA credits' rules (`docs/lifecycle.md`, "SLA credits"): a period's SLA performance is
//! agreed once per MSA (`sla-agreed`, signed by both); an invoice is credited once
//! (`credit-note`, signed by the Seller), before it is netted, unless the Buyer rejected it, with
//! a proof under the MSA's credit key of the note from the invoice, the MSA's service levels and
//! the period's agreed SLA performance. A note recorded after its invoice was paid is carried to a
//! later invoice (`credit-carried`, signed by both), once.

use zkinvoice_verifier::{verify, Fr, InvoiceProof};

use super::decision::anchored_invoice;
use super::fields::DatedPeriod;
use crate::body::{Body, CreditCarried};
use crate::error::{CreditRule, Rule};
use crate::view::{CarriedView, InvoiceStatus, View};

/// Admits an `sla-agreed` or `credit-note` entry (other kinds are admitted by their own rules).
pub(super) fn admit(view: &mut View, seq: u64, body: &Body) -> Result<(), Rule> {
    match body {
        Body::SlaAgreed {
            msa_commitment,
            period_start,
            period_end,
            sla_commitment,
        } => sla_agreed(
            view,
            seq,
            msa_commitment,
            DatedPeriod::new(period_start, period_end),
            sla_commitment,
        ),
        Body::CreditNote {
            msa_commitment,
            invoice_commitment,
            period_start,
            period_end,
            credit_commitment,
            proof,
        } => {
            let note = Note {
                msa: msa_commitment,
                invoice: invoice_commitment,
                period: DatedPeriod::new(period_start, period_end),
                credit: credit_commitment,
                proof,
                body,
            };
            credit_note(view, seq, &note)
        }
        Body::CreditCarried(c) => credit_carried(view, seq, c),
        _ => Ok(()),
    }
}

/// Admits an `sla-agreed` entry: a valid period of an anchored MSA whose SLA performance is not
/// agreed yet.
fn sla_agreed(view: &mut View, seq: u64, msa: &Fr, period: DatedPeriod<'_>, sla: &Fr) -> Result<(), Rule> {
    period.check()?;
    let m = view.msa(msa).ok_or(Rule::MsaNotAnchored { msa: *msa })?;
    if let Some((seq, _)) = m.sla.get(&period.key()) {
        return Err(CreditRule::SlaAlreadyAgreed {
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq: *seq,
        }
        .into());
    }
    view.agree_sla(seq, msa, period.key(), *sla);
    Ok(())
}

/// The fields of a `credit-note` body.
struct Note<'a> {
    msa: &'a Fr,
    invoice: &'a Fr,
    period: DatedPeriod<'a>,
    credit: &'a Fr,
    proof: &'a str,
    /// The whole body, for its proof's public inputs ([`Body::credit_inputs`]).
    body: &'a Body,
}

/// Admits a `credit-note` entry: a valid period; the invoice anchored under the MSA, whole or
/// final (not a partial invoice), not rejected, not credited or netted yet (a note of a paid
/// invoice is carried forward); the MSA's credit key agreed and the period's SLA performance agreed; the proof verifies under the key for the MSA, the invoice, that SLA
/// performance, the note's commitment and the period (so the invoice is of the period).
fn credit_note(view: &mut View, seq: u64, n: &Note<'_>) -> Result<(), Rule> {
    n.period.check()?;
    let i = anchored_invoice(view, n.msa, n.invoice)?;
    super::partial::whole(view, n.invoice, true)?;
    if let InvoiceStatus::Rejected { decided, .. } = i.status {
        return Err(CreditRule::Rejected {
            invoice: *n.invoice,
            seq: decided,
        }
        .into());
    }
    if let Some(c) = view.credit_of(n.invoice) {
        return Err(CreditRule::AlreadyCredited {
            invoice: *n.invoice,
            seq: c.seq,
        }
        .into());
    }
    if let Some(seq) = view.netted(n.invoice) {
        return Err(CreditRule::AlreadySettled {
            invoice: *n.invoice,
            what: "netted",
            seq,
        }
        .into());
    }
    let after_payment = i.settlement.is_some();
    let m = view.msa(n.msa).ok_or(Rule::MsaNotAnchored { msa: *n.msa })?;
    let Some((_, key)) = &m.credit_key else {
        return Err(CreditRule::NoCreditKey { msa: *n.msa }.into());
    };
    let Some((_, sla)) = m.sla.get(&n.period.key()) else {
        return Err(CreditRule::NoSlaAgreed {
            period_start: n.period.start.into(),
            period_end: n.period.end.into(),
        }
        .into());
    };
    let proof = InvoiceProof::from_base64(n.proof).map_err(Rule::MalformedProof)?;
    let Some(inputs) = n.body.credit_inputs(*sla) else {
        // Not reached: the period's dates were checked above, and parse as `credit_inputs` parses them.
        return Err(Rule::InvalidDate {
            field: "periodStart",
            value: n.period.start.into(),
        });
    };
    verify(key, &proof, &inputs).map_err(|_| CreditRule::CreditProofDoesNotVerify {
        key_hash: key.hash_hex(),
    })?;
    view.credit(seq, *n.invoice, *n.credit, after_payment);
    Ok(())
}

/// Admits a `credit-carried` entry: the note is anchored, of an invoice under the MSA, recorded
/// after that invoice's payment (a note recorded before applies to its own invoice) and not
/// carried yet; the invoice it is carried to is anchored under the MSA, whole or final, not
/// rejected, paid or netted (the Buyer pays it less the note).
fn credit_carried(view: &mut View, seq: u64, c: &CreditCarried) -> Result<(), Rule> {
    let (from, note) = view
        .credit_note(&c.credit_commitment)
        .ok_or(CreditRule::NoSuchNote {
            credit: c.credit_commitment,
        })?;
    anchored_invoice(view, &c.msa_commitment, &from)?;
    if !note.after_payment {
        return Err(CreditRule::NotCarried {
            credit: c.credit_commitment,
            invoice: from,
        }
        .into());
    }
    if let Some(carried) = view.carried(&c.credit_commitment) {
        return Err(CreditRule::AlreadyCarried {
            credit: c.credit_commitment,
            seq: carried.seq,
        }
        .into());
    }
    let to = &c.invoice_commitment;
    let i = anchored_invoice(view, &c.msa_commitment, to)?;
    super::partial::whole(view, to, true)?;
    if let InvoiceStatus::Rejected { decided, .. } = i.status {
        return Err(CreditRule::Rejected {
            invoice: *to,
            seq: decided,
        }
        .into());
    }
    let settled = (i.settlement.as_ref().map(|s| ("paid", s.paid)))
        .or_else(|| view.netted(to).map(|seq| ("netted", seq)));
    if let Some((what, seq)) = settled {
        return Err(CreditRule::AlreadySettled {
            invoice: *to,
            what,
            seq,
        }
        .into());
    }
    view.carry(c.credit_commitment, CarriedView { seq, from, to: *to });
    Ok(())
}
