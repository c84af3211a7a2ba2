//! The Buyer's receiving service: the MEF 141 `customerBillCreateEvent` listener, which fetches
//! each announced bill from the Seller, checks it against the Buyer's anchor log (and records the
//! decision there) or against the bilateral's anchor contract on a chain (and the
//! `customerBillStateChangeEvent` listener, which checks a bill the Seller settled); the record of every
//! received bill; a check-only endpoint; the Buyer's measurements and reconciliations anchored
//! and delivered to the Seller; the anchor log served, taken and its disputes listed.
//!
//! This module starts the service and routes requests; the work is in its parts: `store` (the
//! SQLite store of received bills), `anchors` (the anchor log or contract, pulling the Seller's
//! entries and delivering the Buyer's), `event` (the events the listeners take, checked against the schema),
//! `fetch` (the Seller's client, fetching a bill), `decide` (checking a bill, anchoring the
//! decision), `reconcile` (`POST /measurements`, `POST /reconciliations`), `settled` (the
//! state-change listener), `routes` (the other handlers) and `state` (what they share).

mod anchors;
mod decide;
mod event;
mod fetch;
mod reconcile;
mod routes;
mod settled;
mod state;
mod store;

use std::{net::SocketAddr, path::Path, sync::Arc, time::Duration};

use axum::{
    routing::{get, post},
    Router,
};
use tokio::net::TcpListener;
use zkinvoice_anchors::PartySecret;
use zkinvoice_circuits::Msa;
use zkinvoice_mef141::CREATE_EVENT;

pub use anchors::BuyerAnchors;
pub use reconcile::Anchored;
pub use routes::Verified;
pub use store::{BuyerStore, Received};

use self::{anchors::Backend, event::STATE_CHANGE_EVENT, fetch::SellerClient, state::BuyerState};
use crate::{auth::harden, ServiceError, LISTENER_BASE};

/// How the Buyer's service runs.
pub struct BuyerConfig {
    /// Where what is anchored is read.
    pub anchors: BuyerAnchors,
    /// The Seller's base URL (its MEF 141 API is under [`MEF_BASE`](crate::MEF_BASE) there; its
    /// anchor log at `/anchors`).
    pub seller_url: String,
    /// The bearer token to present to the Seller.
    pub seller_token: Option<String>,
    /// The bearer token callers must present (none: no authentication).
    pub token: Option<String>,
    /// The Buyer's signing key: with it, decisions are anchored (`invoice-accepted` /
    /// `invoice-rejected`) in the anchor log; without it they are only recorded here. Not used
    /// with an anchor contract.
    pub key: Option<PartySecret>,
    /// The MSA the Buyer holds: every field of a bill that its proof does not bind (names,
    /// addresses, units, order references, rates, the tier split) is checked against it.
    pub msa: Msa,
    /// How long a request to the Seller may take.
    pub timeout: Duration,
}

impl std::fmt::Debug for BuyerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuyerConfig")
            .field("anchors", &self.anchors)
            .field("seller_url", &self.seller_url)
            .field("signs", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

/// A running Buyer service.
pub struct Buyer {
    state: Arc<BuyerState>,
    addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Buyer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Buyer").field("addr", &self.addr).finish()
    }
}

impl Buyer {
    /// Starts the service on `listener` with the store at `store` (created if needed). Must be
    /// called within a Tokio runtime.
    pub fn start(listener: TcpListener, store: &Path, config: BuyerConfig) -> Result<Self, ServiceError> {
        let addr = listener.local_addr().map_err(|source| ServiceError::Io {
            what: "the listening address".into(),
            source,
        })?;
        reqwest::Url::parse(&config.seller_url)
            .map_err(|e| ServiceError::Config(format!("seller URL {:?}: {e}", config.seller_url)))?;
        let backend = Backend::open(config.anchors, config.key.as_ref())?;
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| ServiceError::Client(e.to_string()))?;
        let state = Arc::new(BuyerState {
            store: BuyerStore::open(store)?,
            backend,
            seller: SellerClient {
                client,
                url: config.seller_url.trim_end_matches('/').to_string(),
                token: config.seller_token,
            },
            key: config.key,
            msa: config.msa,
        });
        let app = router(state.clone(), config.token);
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("zkinvoice buyer: {e}");
            }
        });
        Ok(Self { state, addr, server })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its store.
    pub fn store(&self) -> &BuyerStore {
        &self.state.store
    }

    /// Stops serving.
    pub fn stop(self) {
        self.server.abort();
    }

    /// Waits until the server ends (it does not, unless it fails).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

/// The Buyer's routes.
fn router(state: Arc<BuyerState>, token: Option<String>) -> Router {
    let app = Router::new()
        .route(
            &format!("{LISTENER_BASE}/listener/{CREATE_EVENT}"),
            post(routes::listen_create),
        )
        .route(
            &format!("{LISTENER_BASE}/listener/{STATE_CHANGE_EVENT}"),
            post(settled::listen_state_change),
        )
        .route("/received", get(routes::list_received))
        .route("/received/{id}", get(routes::get_received))
        .route("/verify", post(routes::verify_only))
        .route("/anchors", get(routes::anchors).post(routes::import_anchors))
        .route("/disputes", get(routes::disputes))
        .route("/measurements", post(reconcile::post_measurement))
        .route("/reconciliations", post(reconcile::post_reconciliation))
        .with_state(state);
    harden(app, token)
}

/// The Buyer's request parsers as its handlers call them, for the fuzz targets (`fuzz/`): not an
/// API.
#[doc(hidden)]
pub mod fuzzing {
    use zkinvoice_mef141::CustomerBillEvent;

    use crate::api::ApiError;

    /// The listeners (`POST /listener/customerBillCreateEvent`, `.../customerBillStateChangeEvent`):
    /// the body checked as the listener of `event_type` checks it.
    pub fn event_body(body: &[u8], event_type: &str) -> Result<CustomerBillEvent, ApiError> {
        super::event::listened(Ok(axum::body::Bytes::copy_from_slice(body)), event_type)
    }

    /// The event type of the state-change listener.
    pub const STATE_CHANGE_EVENT: &str = super::event::STATE_CHANGE_EVENT;

    /// `POST /measurements`: the body read as the handler reads it, into the entry it anchors.
    pub fn measurement_body(body: &[u8]) -> Result<zkinvoice_anchors::Body, ApiError> {
        super::reconcile::measurement(body)
    }

    /// `POST /reconciliations`: the body read as the handler reads it, into the entry it anchors.
    pub fn reconciliation_body(body: &[u8]) -> Result<zkinvoice_anchors::Body, ApiError> {
        super::reconcile::reconciliation(body)
    }
}
