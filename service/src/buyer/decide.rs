//! The Buyer's decision on a bill: checking it (`zkinvoice_check::check_anchored`) against its
//! anchor log or the bilateral's anchor contract, and anchoring the decision
//! (`invoice-accepted` / `invoice-rejected`) in the log, signed with the Buyer's key. Relies on
//! [`super::state`] and [`super::anchors`].

use std::sync::Arc;

use zkinvoice_anchors::{Body, InvoiceStatus, Proposal, Role};
#[cfg(feature = "chain")]
use zkinvoice_check::chain::ChainFacts;
use zkinvoice_check::{check_anchored, Received as ReceivedBill, Rejection};
use zkinvoice_mef141::CustomerBill;

use super::{anchors::Backend, state::BuyerState};
use crate::api::ApiError;

/// A bill checked: the verdict (the total, or why it is refused) and, on a chain, whether the
/// contract has accepted the invoice, or why it does not count yet (confirmations asked).
pub(crate) struct Checked {
    /// The bill.
    pub bill: CustomerBill,
    /// The total (`"<decimal> <currency>"`), or why the bill is refused.
    pub verdict: Result<String, Rejection>,
    /// On a chain, whether the contract has accepted the invoice.
    pub submitted: Option<bool>,
    /// On a chain, why the invoice does not count yet, if it does not.
    pub unconfirmed: Option<Rejection>,
}

/// Checks a bill against the log or the anchor contract (off the async threads). An anchor
/// contract that cannot be read is an internal error (the listener answers 500: the Seller sends
/// the event again).
pub(crate) async fn check(s: &Arc<BuyerState>, bill: CustomerBill) -> Result<Checked, ApiError> {
    let s = s.clone();
    tokio::task::spawn_blocking(move || {
        let msa = &s.msa;
        let (verdict, submitted, unconfirmed) = match &s.backend {
            Backend::Log(l) => {
                let view = l.view().map_err(ApiError::internal)?;
                (
                    check_anchored(view.as_ref(), &ReceivedBill::of_bill(&bill, msa)),
                    None,
                    None,
                )
            }
            #[cfg(feature = "chain")]
            Backend::Chain(target) => {
                // The period to read the usage of is the bill's (a bill that does not read as an
                // invoice is refused by the check itself).
                let period = bill.to_invoice(msa).ok().map(|(i, _)| i.period.to_doc());
                let facts = ChainFacts::read(
                    target,
                    period.as_ref(),
                    &bill.zk_proof.public_inputs.invoice_commitment,
                )
                .map_err(ApiError::internal)?;
                (
                    check_anchored(&facts, &ReceivedBill::of_bill(&bill, msa)),
                    Some(facts.is_submitted()),
                    facts.unconfirmed(),
                )
            }
        };
        let verdict = verdict.map(|invoice| {
            format!(
                "{} {}",
                invoice.currency.format_minor(invoice.total),
                invoice.currency
            )
        });
        Ok(Checked {
            bill,
            verdict,
            submitted,
            unconfirmed,
        })
    })
    .await
    .map_err(ApiError::internal)?
}

/// Anchors the decision on a bill, where one can be: in an anchor log, the invoice must be
/// anchored as proved and not yet decided, the Buyer's key at hand, and a rejection about the
/// invoice itself. Returns the entry, or why none was appended.
pub(crate) fn anchor_decision(s: &BuyerState, checked: &Checked) -> Result<u64, String> {
    let (bill, verdict) = (&checked.bill, &checked.verdict);
    let p = &bill.zk_proof.public_inputs;
    if let Err(r) = verdict {
        if !r.is_about_the_invoice() {
            return Err("the bill is not the invoice its proof commits to".into());
        }
    }
    let Some(backend) = s.backend.log_backend() else {
        return Err(format!(
            "the anchor contract records no decisions (this record is the Buyer's); the invoice is {}",
            if checked.submitted == Some(true) {
                "accepted by the contract"
            } else {
                "not submitted to the contract yet"
            }
        ));
    };
    let view = backend.view().map_err(|e| e.to_string())?;
    match view.invoice_status(&p.invoice_commitment) {
        None => return Err("the invoice is not anchored".into()),
        Some(InvoiceStatus::Accepted { decided, .. }) | Some(InvoiceStatus::Rejected { decided, .. }) => {
            return match verdict {
                Ok(_) => Ok(*decided),
                Err(_) => Err(format!("the invoice was already decided at entry {decided}")),
            }
        }
        Some(InvoiceStatus::Proved { .. }) => {}
    }
    let Some(key) = &s.key else {
        return Err("this service has no signing key".into());
    };
    let body = match verdict {
        Ok(_) => Body::InvoiceAccepted {
            msa_commitment: p.msa_commitment,
            invoice_commitment: p.invoice_commitment,
        },
        Err(r) => Body::InvoiceRejected {
            msa_commitment: p.msa_commitment,
            invoice_commitment: p.invoice_commitment,
            reason: r.to_string(),
        },
    };
    let entry = backend
        .log()
        .append(Proposal::new(body).signed(Role::Buyer, key))
        .map_err(|e| e.to_string())?;
    Ok(entry.seq)
}
