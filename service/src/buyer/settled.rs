//! The `customerBillStateChangeEvent` listener: the Seller sends it when a bill it published is
//! credited (an SLA credit note applied: `credits`, `amountDue`, `zkCredit`) or settled (its
//! payment received: `state` `settled`, what is due applied, nothing remaining). The
//! Buyer pulls the Seller's anchor entries, fetches the bill again and checks it against its log
//! (the receipt must be anchored under the payment's reference, a credit note it applies
//! anchored), then records the credit and the settlement on the bill's record, or why the changed
//! bill was refused. Relies on [`super::fetch`],
//! [`super::decide`], [`super::store`] and [`super::state`].

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use zkinvoice_mef141::CustomerBill;

use super::{
    decide::check,
    event::{listened, STATE_CHANGE_EVENT},
    fetch::{fetch_bill, send_again, Fetch},
    routes::keep,
    state::BuyerState,
    store::Received,
};
use crate::api::ApiError;

/// `POST .../listener/customerBillStateChangeEvent`: 204 once the changed bill is recorded (or
/// refused, the refusal recorded; or the bill is one this Buyer never received), 400 for a
/// malformed event, 500 while the Seller cannot be reached (so it sends the event again).
pub(crate) async fn listen_state_change(
    State(s): State<Arc<BuyerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let id = match listened(body, STATE_CHANGE_EVENT) {
        Ok(e) => e.event.id,
        Err(e) => return e.into_response(),
    };
    let (mut record, seen) = match s.store.get(&id) {
        Ok(Some(r)) => r,
        Ok(None) => {
            eprintln!("zkinvoice buyer: a state change of bill {id:?}, which this Buyer has no record of");
            return StatusCode::NO_CONTENT.into_response();
        }
        Err(e) => return ApiError::internal(e).into_response(),
    };
    if let Err(e) = s.pull_anchors().await {
        eprintln!("zkinvoice buyer: {e}");
    }
    let (bill, text) = match fetch_bill(&s.seller, &id).await {
        Ok(b) => b,
        Err(Fetch::Unreachable(reason)) => return send_again(&reason),
        Err(Fetch::Refused(reason)) => {
            record.change_refused = Some(reason);
            return keep(&s, &record, &seen);
        }
    };
    if text == seen {
        return StatusCode::NO_CONTENT.into_response();
    }
    let checked = match check(&s, bill).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let kept = match (&checked.verdict, forward(&record, &checked.bill)) {
        (Ok(_), Ok((credited, settled))) => {
            record.credited = credited;
            record.settled = settled;
            record.change_refused = None;
            text
        }
        (Ok(_), Err(why)) => {
            record.change_refused = Some(why.into());
            seen
        }
        (Err(r), _) => {
            record.change_refused = Some(r.to_string());
            seen
        }
    };
    keep(&s, &record, &kept)
}

/// What a changed bill that checks against the log records, if it moves the accepted bill
/// forward: its credit note's number and its payment's reference, at least one of them new and
/// neither of those recorded before dropped (the check has found the note and the receipt
/// anchored).
fn forward(record: &Received, bill: &CustomerBill) -> Result<(Option<String>, Option<String>), &'static str> {
    // The note applied and the notes carried to it, by number.
    let numbers: Vec<&str> = (bill.zk_credit.iter())
        .chain(&bill.zk_carried)
        .map(|c| c.number.as_str())
        .collect();
    let credited = (!numbers.is_empty()).then(|| numbers.join(", "));
    let settled = bill.paid_by().map(str::to_string);
    let kept = |before: &Option<String>, now: &Option<String>| before.is_none() || before == now;
    if !record.is_accepted()
        || (credited.is_none() && settled.is_none())
        || !kept(&record.credited, &credited)
        || !kept(&record.settled, &settled)
        || (record.credited == credited && record.settled == settled)
    {
        return Err("the bill changed, but is not the accepted bill credited or settled");
    }
    Ok((credited, settled))
}
