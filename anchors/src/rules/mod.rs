//! The rules of the log: what a new entry must follow, one function per body kind, and the
//! signatures every entry must carry.
//!
//! [`admit`] checks a body against the [`View`] of the entries before it and, if it follows the
//! rules, records it in the view; on refusal the view is unchanged and the [`Rule`] names the
//! rule and the values that break it. The rules rely on the view (the state), the bodies and the
//! error types; the log (`log`) calls them on every append, import and replay.

mod credit;
mod decision;
mod fields;
mod invoice;
mod msa;
mod net;
pub(crate) use net::inputs as netting_inputs;
mod net_paid;
mod partial;
mod reconcile;
mod reconcile_v2;
mod settle;
pub(crate) mod signatures;
mod statement_key;
mod usage;

use crate::body::Body;
use crate::error::Rule;
use crate::view::View;
use fields::DatedPeriod;
pub(crate) use invoice::Deferred;

/// Checks `body` as entry `seq` against the rules and, if it follows them, records it in `view`.
/// With `verify_proof` false an `invoice-proved` proof is decoded but its check is returned for
/// the caller to do (an audit batches them).
pub(crate) fn admit(
    view: &mut View,
    seq: u64,
    body: &Body,
    verify_proof: bool,
) -> Result<Option<Deferred>, Rule> {
    let deferred = match body {
        Body::MsaAgreed {
            msa_id,
            msa_commitment,
            state0,
            shape,
            vk,
            vk_hash,
            key_setup,
        } => {
            let terms = msa::MsaTerms {
                msa_id,
                shape,
                vk,
                vk_hash,
                key_setup,
            };
            msa::msa_agreed(view, seq, msa_commitment, state0, &terms).map(|()| None)?
        }
        Body::UsageAgreed {
            msa_commitment,
            period_start,
            period_end,
            usage_commitment,
            usage_detail_root,
        } => {
            let period = DatedPeriod::new(period_start, period_end);
            usage::usage_agreed(
                view,
                seq,
                msa_commitment,
                period,
                usage_commitment,
                usage_detail_root,
            )
            .map(|()| None)?
        }
        Body::InvoiceProved {
            invoice_number,
            period_start,
            period_end,
            proof,
            ..
        }
        | Body::InvoicePartial {
            invoice_number,
            period_start,
            period_end,
            proof,
            ..
        } => {
            let Some(inputs) = body.proved_inputs() else {
                unreachable!("an invoice body has public inputs")
            };
            let period = DatedPeriod::new(period_start, period_end);
            let admit = match body {
                Body::InvoicePartial { .. } => partial::invoice_partial,
                _ => invoice::invoice_proved,
            };
            admit(view, seq, invoice_number, period, &inputs, proof, verify_proof)?
        }
        Body::InvoiceAccepted {
            msa_commitment,
            invoice_commitment,
        } => decision::decided(view, seq, msa_commitment, invoice_commitment, None).map(|()| None)?,
        Body::InvoiceRejected {
            msa_commitment,
            invoice_commitment,
            reason,
        } => decision::decided(view, seq, msa_commitment, invoice_commitment, Some(reason)).map(|()| None)?,
        Body::StatementKeyAgreed { .. }
        | Body::UsageMeasured { .. }
        | Body::UsageReconciled { .. }
        | Body::DisputeOpened { .. }
        | Body::DisputeResolved { .. } => reconcile::admit(view, seq, body).map(|()| None)?,
        // Payments, nettings, SLA credits and partial usage.
        _ => settlement(view, seq, body).map(|()| None)?,
    };
    view.advance(seq);
    Ok(deferred)
}

/// The settlement's, the netting's, the SLA credits' and the partial usage's kinds, each admitted by its rules (each
/// module admits only its own kinds and passes the others).
fn settlement(view: &mut View, seq: u64, body: &Body) -> Result<(), Rule> {
    settle::admit(view, seq, body)?;
    net::admit(view, seq, body)?;
    net_paid::admit(view, seq, body)?;
    credit::admit(view, seq, body)?;
    partial::admit(view, seq, body)
}
