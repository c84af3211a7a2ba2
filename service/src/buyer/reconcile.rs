//! The Buyer's part in the reconciliation (`docs/lifecycle.md`): `POST /measurements` (the proof
//! envelope of the invoice rated from the Buyer's own measurement of a period: anchored as
//! `usage-measured`) and `POST /reconciliations` (a reconciliation envelope: anchored as
//! `usage-reconciled` when within every threshold, `dispute-opened` when over one). Each pulls the
//! Seller's new entries first, appends the entry signed with the Buyer's key (the log's rules
//! verify its proof against the anchored MSA, keys, states and measurements) and delivers it to
//! the Seller's copy (`POST /anchors` there), which is how the Seller learns of a dispute. Relies on
//! [`super::state`] and [`super::anchors`].

use std::sync::Arc;

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use zkinvoice_anchors::{AnchorError, Body, Proposal, Role};
use zkinvoice_prover::{reconcile::ReconcileEnvelope, ProofEnvelope};

use super::state::BuyerState;
use crate::{
    api::{json_response, parse_body, ApiError},
    auth::body_or_error,
};

/// The answer of `POST /measurements` and `POST /reconciliations` (201): the entry anchored in the
/// Buyer's log and whether the Seller's copy took it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Anchored {
    /// The entry's `seq`.
    pub entry: u64,
    /// Its kind (`usage-measured`, `usage-reconciled`, `dispute-opened`).
    pub kind: String,
    /// Whether the Seller's copy took it (`POST /anchors` there).
    pub delivered: bool,
    /// Why not, when it did not: the entry stays in the Buyer's log, which the Seller can import
    /// (`GET /anchors`), and is delivered again with the Buyer's next entry.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub not_delivered: Option<String>,
}

/// `POST /measurements`: the proof envelope `zkinvoice prove` wrote of the Buyer's measurement,
/// anchored as `usage-measured` by the Buyer.
pub(crate) async fn post_measurement(
    State(s): State<Arc<BuyerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match body_or_error(body).and_then(|b| measurement(&b)) {
        Ok(body) => anchor(&s, body).await,
        Err(e) => e.into_response(),
    }
}

/// `POST /reconciliations`: the envelope `zkinvoice reconcile --prove` wrote, anchored by the
/// Buyer as `usage-reconciled` (within) or `dispute-opened` (over).
pub(crate) async fn post_reconciliation(
    State(s): State<Arc<BuyerState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    match body_or_error(body).and_then(|b| reconciliation(&b)) {
        Ok(body) => anchor(&s, body).await,
        Err(e) => e.into_response(),
    }
}

/// The `usage-measured` body by the Buyer of a `POST /measurements` request, or its 400.
pub(crate) fn measurement(bytes: &[u8]) -> Result<Body, ApiError> {
    let env: ProofEnvelope = parse_body(bytes, "proof envelope")?;
    let p = &env.invoice.period;
    Ok(Body::usage_measured(
        &env.public_inputs,
        &p.start,
        &p.end,
        Role::Buyer,
        &env.proof,
    ))
}

/// The `usage-reconciled` or `dispute-opened` body by the Buyer of a `POST /reconciliations`
/// request, or its 400.
pub(crate) fn reconciliation(bytes: &[u8]) -> Result<Body, ApiError> {
    let env: ReconcileEnvelope = parse_body(bytes, "reconciliation envelope")?;
    let p = &env.period;
    Ok(Body::reconciliation(
        &env.public_inputs,
        &p.start,
        &p.end,
        Role::Buyer,
        &env.proof,
    ))
}

/// Pulls the Seller's entries, appends `body` signed by the Buyer, delivers it to the Seller: 201
/// with [`Anchored`]; 404 without an anchor log, 409 without a signing key, 422 when the log's
/// rules refuse it (nothing written), 503 while the log is busy.
async fn anchor(s: &Arc<BuyerState>, body: Body) -> Response {
    if s.backend.log_backend().is_none() {
        return no_log().into_response();
    }
    let Some(key) = s.key.clone() else {
        return ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "this service holds no signing key (serve --key): it cannot sign the entry",
        )
        .into_response();
    };
    if let Err(e) = s.pull_anchors().await {
        eprintln!("zkinvoice buyer: {e}");
    }
    let kind = body.kind().to_string();
    let s2 = s.clone();
    let appended = tokio::task::spawn_blocking(move || match s2.backend.log_backend() {
        Some(log) => {
            let proposal = Proposal::new(body).signed(Role::Buyer, &key);
            log.log().append(proposal).map_err(append_error)
        }
        None => Err(no_log()),
    })
    .await;
    let entry = match appended {
        Ok(Ok(entry)) => entry,
        Ok(Err(e)) => return e.into_response(),
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let delivery = s.push_anchors(entry.seq).await;
    let answer = Anchored {
        entry: entry.seq,
        kind,
        delivered: delivery.is_ok(),
        not_delivered: delivery.err(),
    };
    match serde_json::to_vec(&answer) {
        Ok(b) => json_response(StatusCode::CREATED, b),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// 404: a Buyer reading an anchor contract keeps no log to anchor in.
fn no_log() -> ApiError {
    ApiError::not_found("this service reads an anchor contract: it keeps no anchor log to record in")
}

/// The MEF error for an entry the log did not take.
fn append_error(e: AnchorError) -> ApiError {
    match e {
        AnchorError::Refused { .. } | AnchorError::Signatures { .. } => ApiError::refused(e.to_string()),
        AnchorError::Busy { .. } => ApiError::busy(),
        e => ApiError::internal(e),
    }
}
