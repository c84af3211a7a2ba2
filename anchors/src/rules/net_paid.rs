//! The rules of a netting's payment (`docs/lifecycle.md`): the party that pays a netting's net
//! pays it once, in full (`net-payment`); the other receives it once, under its reference and not
//! before it was made (`net-payment-received`).

use zkinvoice_verifier::Fr;

use super::fields::{check_date, check_text};
use super::settle::receipt;
use crate::body::Body;
use crate::error::{NetRule, Rule};
use crate::role::Role;
use crate::view::{NetView, Settlement, View};

/// Admits a `net-payment` or `net-payment-received` entry (other kinds are admitted by their own
/// rules).
pub(super) fn admit(view: &mut View, seq: u64, body: &Body) -> Result<(), Rule> {
    match body {
        Body::NetPayment {
            msa_commitment,
            net_commitment,
            by,
            paid_on,
            reference,
        } => paid(
            view,
            seq,
            (msa_commitment, net_commitment),
            *by,
            paid_on,
            reference,
        ),
        Body::NetPaymentReceived {
            msa_commitment,
            net_commitment,
            by,
            received_on,
            reference,
        } => received(
            view,
            seq,
            (msa_commitment, net_commitment),
            *by,
            received_on,
            reference,
        ),
        _ => Ok(()),
    }
}

/// The netting of `net` under `msa`, and `by` the party that `payer` (true: pays, false: is
/// paid) says.
fn netting<'v>(view: &'v View, (msa, net): (&Fr, &Fr), by: Role, payer: bool) -> Result<&'v NetView, Rule> {
    let n = view
        .netting(net)
        .filter(|n| n.msa == *msa)
        .ok_or(NetRule::UnknownNet { net: *net })?;
    if (n.payer == by) != payer {
        return Err(NetRule::WrongParty {
            by,
            payer: n.payer,
            what: if payer { "payment" } else { "receipt" },
            seq: n.seq,
        }
        .into());
    }
    Ok(n)
}

/// Admits a `net-payment` entry: a date and a reference; the net of a netting of the MSA, paid by
/// the party that pays it, not paid yet.
fn paid(
    view: &mut View,
    seq: u64,
    at: (&Fr, &Fr),
    by: Role,
    paid_on: &str,
    reference: &str,
) -> Result<(), Rule> {
    check_date("paidOn", paid_on)?;
    check_text("reference", reference)?;
    let n = netting(view, at, by, true)?;
    if let Some(s) = &n.settlement {
        return Err(NetRule::NetAlreadyPaid {
            net: *at.1,
            seq: s.paid,
        }
        .into());
    }
    let settlement = Settlement {
        paid: seq,
        paid_on: paid_on.into(),
        reference: reference.into(),
        received: None,
    };
    view.settle_net(at.1, settlement);
    Ok(())
}

/// Admits a `net-payment-received` entry: a date; the net paid, received by the other party, not
/// received yet, under the payment's reference, on or after the day it was paid.
fn received(
    view: &mut View,
    seq: u64,
    at: (&Fr, &Fr),
    by: Role,
    received_on: &str,
    reference: &str,
) -> Result<(), Rule> {
    check_date("receivedOn", received_on)?;
    let n = netting(view, at, by, false)?;
    let Some(s) = &n.settlement else {
        return Err(NetRule::NetNotPaid { net: *at.1 }.into());
    };
    if let Some((seq, _)) = &s.received {
        return Err(NetRule::NetAlreadyReceived {
            net: *at.1,
            seq: *seq,
        }
        .into());
    }
    receipt(s, received_on, reference)?;
    let settled = Settlement {
        received: Some((seq, received_on.into())),
        ..s.clone()
    };
    view.settle_net(at.1, settled);
    Ok(())
}
