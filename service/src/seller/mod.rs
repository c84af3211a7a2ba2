//! The Seller's service: its proved bills over the MEF 141 Billing Management API, listener
//! registration (`/hub`) and the outbox that notifies listeners.
//!
//! This module starts the service and routes requests; the work is in its parts: `store` (the
//! SQLite store: bills, items, listeners, events), `bills` (`/customerBill`, `/customerBillItem`),
//! `hub` (`/hub`), `subscription` (a listener's query), `outbox` (sending events) with `retry`
//! (its back-off), and `state` (what they share). `GET /anchors` and `POST /anchors` are the
//! crate's `feed`, and `GET /disputes` its `disputes`, which the Buyer serves too.

mod bills;
mod hub;
mod outbox;
pub(crate) mod retry;
mod state;
mod store;
mod subscription;

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use axum::{
    body::Bytes,
    extract::{
        rejection::{BytesRejection, QueryRejection},
        Query, State,
    },
    response::Response,
    routing::{get, post},
    Router,
};
use tokio::{net::TcpListener, sync::Notify};
use zkinvoice_anchors::Part;
use zkinvoice_circuits::Msa;
use zkinvoice_mef141::{
    part::{FINAL, INTERIM},
    CustomerBill,
};

pub use bills::PAGE_MAX;
pub use store::{OutboxEntry, Published, SellerStore};

use self::{outbox::dispatch, retry::RetryPolicy, state::SellerState};
use crate::{
    auth::harden,
    feed::{anchors_after, import},
    ServiceError, MEF_BASE,
};

/// How the Seller's service runs.
#[derive(Clone, Debug, Default)]
pub struct SellerConfig {
    /// The bearer token callers must present (none: no authentication).
    pub token: Option<String>,
    /// The bearer token to present to listeners.
    pub listener_token: Option<String>,
    /// The Seller's anchor log, served at `GET /anchors`; the Buyer's entries are delivered into
    /// it at `POST /anchors`, and its disputes listed at `GET /disputes`.
    pub anchors: Option<PathBuf>,
    /// The MSA, if the service is given it: only to name the products of a dispute
    /// (`GET /disputes`, and the line printed when the Buyer delivers one).
    pub msa: Option<Msa>,
    /// The URL the service is reached at (for `href`s in events).
    pub public_url: Option<String>,
    /// How undelivered events are retried.
    pub retry: RetryPolicy,
}

/// A running Seller service.
pub struct Seller {
    state: Arc<SellerState>,
    addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
    outbox: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Seller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seller").field("addr", &self.addr).finish()
    }
}

impl Seller {
    /// Starts the service on `listener` with the store at `store` (created if needed), and its
    /// outbox. Must be called within a Tokio runtime.
    pub fn start(listener: TcpListener, store: &Path, config: SellerConfig) -> Result<Self, ServiceError> {
        let addr = listener.local_addr().map_err(|source| ServiceError::Io {
            what: "the listening address".into(),
            source,
        })?;
        let state = Arc::new(SellerState {
            store: SellerStore::open(store)?,
            anchors: config.anchors,
            msa: config.msa,
            public_url: config.public_url,
            listener_token: config.listener_token,
            retry: config.retry,
            wake: Notify::new(),
        });
        let client = reqwest::Client::builder()
            .build()
            .map_err(|e| ServiceError::Client(e.to_string()))?;
        let app = router(state.clone(), config.token);
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("zkinvoice seller: {e}");
            }
        });
        let outbox = tokio::spawn(dispatch(state.clone(), client));
        Ok(Self {
            state,
            addr,
            server,
            outbox,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its store.
    pub fn store(&self) -> &SellerStore {
        &self.state.store
    }

    /// Publishes a bill (see [`SellerStore::publish`]) and wakes the outbox. When the service has
    /// an anchor log, a credited bill is refused unless the log records the credit note it
    /// applies; a settled bill, unless it records its payment received under the reference it
    /// applies; a bill of another category than the log records for its invoice (`interim` for
    /// a partial invoice, `final` deducting the period's partial invoice, `normal` otherwise).
    pub fn publish(&self, bill: &CustomerBill) -> Result<Published, ServiceError> {
        if let Some(path) = &self.state.anchors {
            anchored_for(bill, &zkinvoice_anchors::AnchorLog::open(path)?.view()?)?;
        }
        let p = self.state.store.publish(bill)?;
        self.state.wake.notify_one();
        Ok(p)
    }

    /// Stops serving and sending (undelivered events stay in the store).
    pub fn stop(self) {
        self.server.abort();
        self.outbox.abort();
    }

    /// Waits until the server ends (it does not, unless it fails).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

/// The Seller's routes.
fn router(state: Arc<SellerState>, token: Option<String>) -> Router {
    let mef = Router::new()
        .route("/customerBill", get(bills::list_bills))
        .route("/customerBill/{id}", get(bills::get_bill))
        .route("/customerBillItem/{id}", get(bills::get_item))
        .route("/hub", post(hub::add_hub))
        .route("/hub/{id}", get(hub::get_hub).delete(hub::delete_hub));
    let app = Router::new()
        .nest(MEF_BASE, mef)
        .route("/anchors", get(anchors).post(import_anchors))
        .route("/disputes", get(disputes))
        .with_state(state);
    harden(app, token)
}

/// The Seller's request parsers as its handlers call them, for the fuzz targets (`fuzz/`): not an
/// API.
#[doc(hidden)]
pub mod fuzzing {
    use zkinvoice_mef141::{CustomerBill, EventSubscriptionInput};

    use crate::api::ApiError;

    /// `POST /hub`: the body read and checked as the handler does before it stores the listener.
    pub fn hub_body(body: &[u8]) -> Result<EventSubscriptionInput, ApiError> {
        super::hub::subscription(body)
    }

    /// `GET /customerBill`: the query (as axum's `Query` decodes it) parsed into a filter, and
    /// which of `bills` it matches.
    pub fn customer_bill_query(
        pairs: &[(String, String)],
        bills: &[CustomerBill],
    ) -> Result<Vec<bool>, ApiError> {
        let filter = super::bills::Filter::parse(pairs)?;
        Ok(bills.iter().map(|b| filter.matches(b)).collect())
    }

    /// `POST /hub`: whether a listener's `query` is valid, and whether it wants `event_type`.
    pub fn hub_query(query: &str, event_type: &str) -> (bool, bool) {
        (
            super::subscription::valid_query(query),
            super::subscription::wants(Some(query), event_type),
        )
    }
}

/// `GET /anchors`: the Seller's anchor log ([`crate::feed`]).
async fn anchors(
    State(s): State<Arc<SellerState>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    anchors_after(s.anchors.as_deref(), query)
}

/// `POST /anchors`: the Buyer's entries delivered into the Seller's log ([`crate::feed`]); a
/// dispute among them is printed.
async fn import_anchors(State(s): State<Arc<SellerState>>, body: Result<Bytes, BytesRejection>) -> Response {
    import(s.anchors.clone(), body, s.msa.clone(), "seller").await
}

/// `GET /disputes`: the disputes on the Seller's log ([`crate::disputes`]).
async fn disputes(State(s): State<Arc<SellerState>>) -> Response {
    crate::disputes::list(s.anchors.as_deref(), s.msa.as_ref())
}

/// Refuses `bill` unless the Seller's log `view` records the credit note the bill applies (the
/// `credit-note` with its commitment), the payment it is settled by (the `payment-received`
/// under its reference), whichever it has, and its part of the period (`interim` for a partial
/// invoice, `final` naming the partial invoice of the period, `normal` otherwise).
fn anchored_for(bill: &CustomerBill, view: &zkinvoice_anchors::View) -> Result<(), ServiceError> {
    let invoice = &bill.zk_proof.public_inputs.invoice_commitment;
    let refuse = |reason: String| {
        Err(ServiceError::Bill {
            id: bill.id.clone(),
            reason,
        })
    };
    if let Some(c) = &bill.zk_credit {
        let anchored = view
            .credit_of(invoice)
            .map(|n| zkinvoice_verifier::fr_to_hex(&n.commitment));
        if anchored.as_deref() != Some(c.credit_commitment.as_str()) {
            return refuse(format!(
                "the Seller's anchor log does not record credit note {:?} (credit-note with its commitment)",
                c.number
            ));
        }
    }
    let carried: Vec<String> = (view.carried_to(invoice).iter())
        .map(|(note, _)| zkinvoice_verifier::fr_to_hex(note))
        .collect();
    let applied: Vec<&str> = (bill.zk_carried.iter())
        .map(|c| c.credit_commitment.as_str())
        .collect();
    if !applied.is_empty() && applied != carried {
        return refuse(
            "the Seller's anchor log does not carry the bill's zkCarried notes to its invoice, in that order (credit-carried)".into(),
        );
    }
    let partial = bill.zk_partial.as_ref().and_then(|d| d.commitment.as_ref());
    let part = match (view.invoice_part(invoice), bill.zk_part.as_deref(), partial) {
        (Some(Part::Partial), Some(INTERIM), None) | (Some(Part::Whole) | None, None, None) => true,
        (Some(Part::Final { partial, .. }), Some(FINAL), Some(c)) => {
            c.value == zkinvoice_verifier::fr_to_hex(&partial)
        }
        _ => false,
    };
    if !part {
        return refuse(format!(
            "the Seller's anchor log does not record the invoice as the bill's zkPart {:?} says (invoice-partial, or the final invoice of the partial invoice in zkPartial)",
            bill.part()
        ));
    }
    if let Some(reference) = bill.paid_by() {
        if view.receipt_of(invoice).map(|s| s.reference.as_str()) != Some(reference) {
            return refuse(format!(
                "the Seller's anchor log does not record payment {reference:?} received (payment-received)"
            ));
        }
    }
    Ok(())
}
