//! The `invoice-accepted` and `invoice-rejected` rule: the Buyer decides once on an anchored
//! invoice of the MSA it names, and a rejection gives a reason.

use zkinvoice_verifier::Fr;

use crate::error::Rule;
use crate::view::{InvoiceStatus, InvoiceView, View};

/// The invoice, if the MSA is anchored and the invoice is anchored under it.
pub(super) fn anchored_invoice<'v>(view: &'v View, msa: &Fr, invoice: &Fr) -> Result<&'v InvoiceView, Rule> {
    view.msa(msa).ok_or(Rule::MsaNotAnchored { msa: *msa })?;
    let i = view
        .invoice(invoice)
        .ok_or(Rule::InvoiceNotAnchored { invoice: *invoice })?;
    if i.msa != *msa {
        return Err(Rule::InvoiceOfAnotherMsa {
            invoice: *invoice,
            msa: i.msa,
            given: *msa,
        });
    }
    Ok(i)
}

/// What an invoice that is not accepted is (`proved, not decided` or `rejected at entry N`), or
/// `None` when the Buyer accepted it: only an accepted invoice is paid or netted.
pub(super) fn not_accepted(status: &InvoiceStatus) -> Option<String> {
    match status {
        InvoiceStatus::Accepted { .. } => None,
        InvoiceStatus::Proved { .. } => Some("proved, not decided".to_string()),
        InvoiceStatus::Rejected { decided, .. } => Some(format!("rejected at entry {decided}")),
    }
}

/// Admits an `invoice-accepted` (`reason` `None`) or `invoice-rejected` entry: a rejection has a
/// reason, the MSA is anchored, the invoice is anchored under it and not decided yet.
pub(super) fn decided(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    invoice: &Fr,
    reason: Option<&String>,
) -> Result<(), Rule> {
    if reason.is_some_and(|r| r.trim().is_empty()) {
        return Err(Rule::NoRejectionReason);
    }
    let i = anchored_invoice(view, msa, invoice)?;
    let proved = match &i.status {
        InvoiceStatus::Proved { proved } => *proved,
        InvoiceStatus::Accepted { decided, .. } => {
            return Err(Rule::AlreadyAccepted {
                invoice: *invoice,
                seq: *decided,
            })
        }
        InvoiceStatus::Rejected { decided, .. } => {
            return Err(Rule::AlreadyRejected {
                invoice: *invoice,
                seq: *decided,
            })
        }
    };
    let status = match reason {
        Some(reason) => InvoiceStatus::Rejected {
            proved,
            decided: seq,
            reason: reason.clone(),
        },
        None => InvoiceStatus::Accepted { proved, decided: seq },
    };
    view.decide(invoice, status);
    Ok(())
}
