//! The settlement's rules (`docs/lifecycle.md`): the Buyer pays an invoice it accepted, once, in
//! full (`payment`); the Seller receives that payment, once, under its reference and not before
//! it was made (`payment-received`). A netted invoice is not paid on its own; its net is
//! (`net-payment`, `net-payment-received`: `net_paid`, which shares [`receipt`]).

use zkinvoice_verifier::Fr;

use super::decision::{anchored_invoice, not_accepted};
use super::fields::{check_date, check_text};
use crate::body::Body;
use crate::error::{Rule, SettleRule};
use crate::view::{Settlement, View};

/// Admits an entry of the settlement's kinds (the others are admitted by their own rules, which
/// [`super::admit`] calls first).
pub(super) fn admit(view: &mut View, seq: u64, body: &Body) -> Result<(), Rule> {
    match body {
        Body::Payment {
            msa_commitment,
            invoice_commitment,
            paid_on,
            reference,
        } => payment(view, seq, msa_commitment, invoice_commitment, paid_on, reference),
        Body::PaymentReceived {
            msa_commitment,
            invoice_commitment,
            received_on,
            reference,
        } => received(
            view,
            seq,
            msa_commitment,
            invoice_commitment,
            received_on,
            reference,
        ),
        _ => Ok(()),
    }
}

/// Admits a `payment` entry: a date and a reference; the invoice anchored under the MSA, accepted
/// by the Buyer and not paid yet.
fn payment(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    invoice: &Fr,
    paid_on: &str,
    reference: &str,
) -> Result<(), Rule> {
    check_date("paidOn", paid_on)?;
    check_text("reference", reference)?;
    let i = anchored_invoice(view, msa, invoice)?;
    if let Some(status) = not_accepted(&i.status) {
        return Err(SettleRule::NotAccepted {
            invoice: *invoice,
            status,
        }
        .into());
    }
    if let Some(seq) = view.netted(invoice) {
        return Err(SettleRule::Netted {
            invoice: *invoice,
            seq,
        }
        .into());
    }
    if let Some(s) = &i.settlement {
        return Err(SettleRule::AlreadyPaid {
            invoice: *invoice,
            seq: s.paid,
        }
        .into());
    }
    view.settle(
        invoice,
        Settlement {
            paid: seq,
            paid_on: paid_on.into(),
            reference: reference.into(),
            received: None,
        },
    );
    Ok(())
}

/// Admits a `payment-received` entry: a date; the invoice anchored under the MSA and paid, its
/// payment not received yet, under the payment's reference, on or after the day it was paid.
fn received(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    invoice: &Fr,
    received_on: &str,
    reference: &str,
) -> Result<(), Rule> {
    check_date("receivedOn", received_on)?;
    let i = anchored_invoice(view, msa, invoice)?;
    let Some(s) = &i.settlement else {
        return Err(SettleRule::NotPaid { invoice: *invoice }.into());
    };
    if let Some((at, _)) = &s.received {
        return Err(SettleRule::AlreadyReceived {
            invoice: *invoice,
            seq: *at,
        }
        .into());
    }
    receipt(s, received_on, reference)?;
    let settled = Settlement {
        received: Some((seq, received_on.into())),
        ..s.clone()
    };
    view.settle(invoice, settled);
    Ok(())
}

/// A receipt of the payment `s` on `received_on` under `reference`: the payment's reference, on or
/// after the day it was paid.
pub(super) fn receipt(s: &Settlement, received_on: &str, reference: &str) -> Result<(), Rule> {
    if reference != s.reference {
        return Err(SettleRule::OtherReference {
            given: reference.into(),
            paid: s.reference.clone(),
            seq: s.paid,
        }
        .into());
    }
    // Both are checked dates: their text orders as the days do.
    if received_on < s.paid_on.as_str() {
        return Err(SettleRule::ReceivedBeforePaid {
            received_on: received_on.into(),
            paid_on: s.paid_on.clone(),
            seq: s.paid,
        }
        .into());
    }
    Ok(())
}
