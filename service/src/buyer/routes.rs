//! The Buyer's handlers: the `customerBillCreateEvent` listener (pull the Seller's anchor
//! entries, fetch the bill, decide, deliver the decision to the Seller's copy, record),
//! `GET /received[/{id}]`, `POST /verify` (check only), `GET /anchors`, `POST /anchors` and
//! `GET /disputes`. Relies on the Buyer's [`super::fetch`], [`super::decide`], [`super::store`]
//! and [`super::state`], and on [`crate::feed`] for `GET /anchors`.

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, rejection::QueryRejection, Path as UrlPath, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use zkinvoice_mef141::{CustomerBill, CREATE_EVENT};
use zkinvoice_verifier::fr_to_hex;

use super::{
    decide::{anchor_decision, check, Checked},
    event::listened,
    fetch::{fetch_bill, send_again, Fetch},
    state::BuyerState,
    store::Received,
};
use crate::{
    api::{json_ok, parse_body, ApiError},
    auth::body_or_error,
    clock::now_text,
    feed::{anchors_after, import},
};

/// `POST .../listener/customerBillCreateEvent`: fetch, check, record. Answers 204 once the bill
/// is decided (accepted or rejected), 400 for a malformed event, 500 when the Seller cannot be
/// reached (so the Seller sends the event again later).
pub(crate) async fn listen_create(
    State(s): State<Arc<BuyerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let id = match announced_bill(body) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = s.pull_anchors().await {
        eprintln!("zkinvoice buyer: {e}");
    }
    let (bill, text) = match fetch_bill(&s.seller, &id).await {
        Ok(b) => b,
        Err(Fetch::Unreachable(reason)) => return send_again(&reason),
        Err(Fetch::Refused(reason)) => return keep(&s, &unfetched(id, reason), ""),
    };
    if let Ok(Some((_, seen))) = s.store.get(&id) {
        if seen == text {
            // The same bill again (a repeated event): already decided.
            return StatusCode::NO_CONTENT.into_response();
        }
    }
    match decide_bill(&s, &id, bill).await {
        Ok(record) => keep(&s, &record, &text),
        Err(e) => e.into_response(),
    }
}

/// The id of the bill a `customerBillCreateEvent` announces, or the 400 for a malformed event.
fn announced_bill(body: Result<Bytes, BytesRejection>) -> Result<String, ApiError> {
    listened(body, CREATE_EVENT).map(|e| e.event.id)
}

/// The record of a bill the Seller would not give: rejected (`notFound`), nothing to anchor.
fn unfetched(id: String, reason: String) -> Received {
    Received {
        id,
        bill_no: String::new(),
        status: "rejected".into(),
        code: Some("notFound".into()),
        reason: Some(reason),
        invoice_commitment: None,
        total: None,
        anchor_entry: None,
        not_anchored: Some("no bill to decide on".into()),
        checked_at: now_text(),
        credited: None,
        settled: None,
        change_refused: None,
    }
}

/// Checks bill `id` as fetched and anchors the decision where one can be: the record of what
/// became of it. Errs (500, so the Seller sends the event again) when the bill cannot be decided
/// now: an anchor contract that cannot be read, an invoice not yet confirmed deep enough.
async fn decide_bill(s: &Arc<BuyerState>, id: &str, bill: CustomerBill) -> Result<Received, ApiError> {
    let checked = check(s, bill).await?;
    if let Some(why) = checked.unconfirmed {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internalError",
            format!("bill {id:?}: {why}; send the event again"),
        ));
    }
    let s2 = s.clone();
    let (Checked { bill, verdict, .. }, anchored) = tokio::task::spawn_blocking(move || {
        let anchored = anchor_decision(&s2, &checked);
        (checked, anchored)
    })
    .await
    .map_err(ApiError::internal)?;
    if let Ok(seq) = anchored {
        // The decision goes to the Seller's copy (a failure only delays it: the Seller can import
        // the Buyer's `GET /anchors`, and the next delivery carries it).
        if let Err(e) = s.push_anchors(seq).await {
            eprintln!("zkinvoice buyer: entry {seq} not delivered: {e}");
        }
    }
    Ok(Received {
        id: bill.id.clone(),
        bill_no: bill.bill_no.clone(),
        status: if verdict.is_ok() { "accepted" } else { "rejected" }.into(),
        code: verdict.as_ref().err().map(|r| r.code().to_string()),
        reason: verdict.as_ref().err().map(|r| r.to_string()),
        invoice_commitment: Some(fr_to_hex(&bill.zk_proof.public_inputs.invoice_commitment)),
        total: verdict.as_ref().ok().cloned(),
        anchor_entry: anchored.as_ref().ok().copied(),
        not_anchored: anchored.err(),
        checked_at: now_text(),
        credited: None,
        settled: None,
        change_refused: None,
    })
}

/// Stores what became of a bill (`bill`: its text as received): 204, or 500 if the store fails.
pub(super) fn keep(s: &BuyerState, record: &Received, bill: &str) -> Response {
    match s.store.put(record, bill) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// `GET /received/{id}`: what became of a bill.
pub(crate) async fn get_received(State(s): State<Arc<BuyerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.get(&id) {
        Ok(Some((record, _))) => json_ok(&record),
        Ok(None) => ApiError::not_found(format!("no bill {id:?} was received")).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// `GET /received`: what became of every received bill.
pub(crate) async fn list_received(State(s): State<Arc<BuyerState>>) -> Response {
    match s.store.all() {
        Ok(all) => json_ok(&all),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The answer of `POST /verify` for a bill that verifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// The bill's id.
    pub id: String,
    /// The bill number.
    pub bill_no: String,
    /// The total, `"<decimal> <currency>"`.
    pub total: String,
    /// The invoice commitment.
    pub invoice_commitment: String,
}

/// `POST /verify`: checks a `CustomerBill` against the log without recording anything: 200 with
/// [`Verified`], 422 with the reason, 400 for a body that is not a `CustomerBill`.
pub(crate) async fn verify_only(
    State(s): State<Arc<BuyerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let bill: CustomerBill = match body_or_error(body).and_then(|b| parse_body(&b, "CustomerBill")) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let checked = check(&s, bill).await.map(|c| match c.unconfirmed {
        Some(why) => (c.bill, Err(why)),
        None => (c.bill, c.verdict),
    });
    match checked {
        Ok((bill, Ok(total))) => json_ok(&Verified {
            id: bill.id.clone(),
            bill_no: bill.bill_no.clone(),
            total,
            invoice_commitment: fr_to_hex(&bill.zk_proof.public_inputs.invoice_commitment),
        }),
        Ok((_, Err(r))) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.to_string()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /anchors`: the Buyer's anchor log (none with an anchor contract).
pub(crate) async fn anchors(
    State(s): State<Arc<BuyerState>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    anchors_after(s.backend.log_backend().map(|l| l.path.as_path()), query)
}

/// `POST /anchors`: the Seller's entries, imported into the Buyer's log ([`crate::feed`]).
pub(crate) async fn import_anchors(
    State(s): State<Arc<BuyerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let path = s.backend.log_backend().map(|l| l.path.clone());
    import(path, body, Some(s.msa.clone()), "buyer").await
}

/// `GET /disputes`: the disputes on the Buyer's log, the products named by its MSA.
pub(crate) async fn disputes(State(s): State<Arc<BuyerState>>) -> Response {
    crate::disputes::list(s.backend.log_backend().map(|l| l.path.as_path()), Some(&s.msa))
}
