//! A disputed period's partial invoice (`docs/lifecycle.md`, "Partial and final invoices"; MEF
//! 114 R78-R81): while the period's dispute is open, both parties agree once the usage of its
//! undisputed products (`usage-partial`), and the Seller proves once the invoice of that usage
//! from the MSA's latest state (`invoice-partial`), which does not move the MSA's state. Once the
//! dispute is resolved, the period's usage is agreed and invoiced as any other (`invoice-proved`):
//! that is the final invoice, and the Buyer owes its total less the partial invoice's. Nettings
//! take whole invoices only, credit notes whole or final ones ([`whole`]).

use zkinvoice_verifier::{Fr, InvoicePublicInputs};

use super::fields::DatedPeriod;
use super::invoice::{from_latest, new_invoice, proof_check, Deferred};
use crate::body::Body;
use crate::error::{PartialRule, Rule};
use crate::view::{MsaView, Outcome, Part, PartialUsage, View};

/// Admits a `usage-partial` entry (other kinds pass): the period's usage is not agreed, its
/// dispute is open, and it has no partial usage yet.
pub(super) fn admit(view: &mut View, seq: u64, body: &Body) -> Result<(), Rule> {
    let Body::UsagePartial {
        msa_commitment: msa,
        period_start,
        period_end,
        usage_commitment,
        usage_detail_root,
    } = body
    else {
        return Ok(());
    };
    let period = DatedPeriod::new(period_start, period_end);
    let m = super::usage::unagreed(view, msa, period, usage_detail_root)?;
    if let Some(p) = disputed(m, period)? {
        return Err(PartialRule::PartialAlreadyAgreed {
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq: p.seq,
        }
        .into());
    }
    view.agree_partial(seq, msa, &period.key(), *usage_commitment);
    Ok(())
}

/// Admits an `invoice-partial` entry: the invoice is not anchored yet; the period's dispute is
/// open and its partial usage is the invoice's, not invoiced yet; `state_before` is the MSA's
/// latest state; the proof verifies under the MSA's key (with `verify_proof` false it is
/// returned for the caller to check).
pub(super) fn invoice_partial(
    view: &mut View,
    seq: u64,
    number: &str,
    period: DatedPeriod<'_>,
    inputs: &InvoicePublicInputs,
    proof: &str,
    verify_proof: bool,
) -> Result<Option<Deferred>, Rule> {
    let m = new_invoice(view, number, period, inputs)?;
    let p = disputed(m, period)?.ok_or_else(|| PartialRule::NoPartialUsage {
        period_start: period.start.into(),
        period_end: period.end.into(),
    })?;
    if p.usage != inputs.usage_commitment {
        return Err(PartialRule::NotThePartialUsage {
            given: inputs.usage_commitment,
            agreed: p.usage,
            seq: p.seq,
        }
        .into());
    }
    if let Some((seq, _)) = p.invoiced {
        return Err(PartialRule::AlreadyPartiallyInvoiced {
            period_start: period.start.into(),
            period_end: period.end.into(),
            seq,
        }
        .into());
    }
    from_latest(m, inputs)?;
    let deferred = proof_check(m, proof, inputs, verify_proof)?;
    let states = (inputs.state_before, inputs.state_after);
    let (msa, invoice) = (inputs.msa_commitment, inputs.invoice_commitment);
    view.prove_partial(seq, &msa, &period.key(), invoice, states);
    Ok(deferred)
}

/// The partial usage of `period`, whose dispute must be open.
fn disputed(m: &MsaView, period: DatedPeriod<'_>) -> Result<Option<PartialUsage>, Rule> {
    let r = m.reconciliations.get(&period.key());
    let status = match r.map(|r| (r.outcome, r.partial)) {
        Some((Some(Outcome::Disputed { .. }), partial)) => return Ok(partial),
        None => "not measured".to_string(),
        Some((None, _)) => "measured, not reconciled".to_string(),
        Some((Some(Outcome::Reconciled { seq }), _)) => format!("reconciled at entry {seq}"),
        Some((Some(Outcome::Resolved { seq, .. }), _)) => format!("resolved at entry {seq}"),
    };
    Err(PartialRule::NotDisputed {
        period_start: period.start.into(),
        period_end: period.end.into(),
        status,
    }
    .into())
}

/// Refuses a netting of a partial invoice or of a final one (their amounts are not the Buyer's
/// due alone), and a credit note of a partial invoice (the final invoice rates the whole period:
/// its credit note credits the period once). `credit` says which is asked.
pub(super) fn whole(view: &View, invoice: &Fr, credit: bool) -> Result<(), Rule> {
    let (what, seq) = match view.invoice_part(invoice) {
        Some(Part::Partial) => {
            let seq = view.invoice(invoice).map_or(0, |i| i.status.proved());
            ("a partial invoice", seq)
        }
        Some(Part::Final { seq, .. }) if !credit => ("the final invoice of a period invoiced in part", seq),
        _ => return Ok(()),
    };
    Err(PartialRule::NotWhole {
        invoice: *invoice,
        what,
        seq,
    }
    .into())
}
