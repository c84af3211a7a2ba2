//! What the Seller's handlers and its outbox share. Relies on [`super::store`] and
//! [`super::retry`].

use std::path::PathBuf;

use tokio::sync::Notify;
use zkinvoice_circuits::Msa;

use super::{retry::RetryPolicy, store::SellerStore};

/// What the Seller's handlers share.
pub(crate) struct SellerState {
    pub store: SellerStore,
    pub anchors: Option<PathBuf>,
    /// The MSA, if given: names the products of a dispute.
    pub msa: Option<Msa>,
    pub public_url: Option<String>,
    pub listener_token: Option<String>,
    pub retry: RetryPolicy,
    /// Wakes the outbox (a bill was published, a listener registered).
    pub wake: Notify,
}
