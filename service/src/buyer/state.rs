//! What the Buyer's handlers share. Relies on [`super::store`], [`super::anchors`] and
//! [`super::fetch`].

use zkinvoice_anchors::PartySecret;
use zkinvoice_circuits::Msa;

use super::{anchors::Backend, fetch::SellerClient, store::BuyerStore};

/// What the Buyer's handlers share.
pub(crate) struct BuyerState {
    pub store: BuyerStore,
    pub backend: Backend,
    pub seller: SellerClient,
    pub key: Option<PartySecret>,
    pub msa: Msa,
}

impl BuyerState {
    /// Imports the Seller's anchor entries the Buyer's log lacks (nothing to do with an anchor
    /// contract).
    pub async fn pull_anchors(&self) -> Result<(), String> {
        match self.backend.log_backend() {
            Some(log) => log.pull(&self.seller).await,
            None => Ok(()),
        }
    }

    /// Delivers the Buyer's entries from `from` on (and any earlier ones the Seller's copy
    /// lacks) to the Seller's copy (nothing to do with an anchor contract).
    pub async fn push_anchors(&self, from: u64) -> Result<(), String> {
        match self.backend.log_backend() {
            Some(log) => log.push(&self.seller, from).await,
            None => Ok(()),
        }
    }
}
