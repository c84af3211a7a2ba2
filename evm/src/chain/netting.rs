//! The netting on the anchor (`registerNetting`, `recordNetting`): its terms, a period's
//! netting, the period a net commitment nets, and the netting verifier's key.

use alloy::primitives::Address;
use zkinvoice_verifier::Fr;

use super::anchor::ChainAnchor;
use super::rpc::nonzero;
use crate::{
    abi,
    abi::contracts::{IStatementVerifier, InvoiceAnchor},
    EvmError,
};

/// A period's netting as the anchor records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainNetting {
    /// The commitment of the net amount.
    pub net_commitment: Fr,
    /// Whether this anchor's Seller pays the net (otherwise its Buyer does).
    pub seller_pays: bool,
}

impl ChainAnchor {
    /// The period's netting, once both parties recorded it (`recordNetting`).
    pub fn netting(&self, period_id: u64) -> Result<Option<ChainNetting>, EvmError> {
        let n = self.call(self.anchor, InvoiceAnchor::nettingsCall { periodId: period_id })?;
        Ok(nonzero(n.netCommitment)?.map(|net_commitment| ChainNetting {
            net_commitment,
            seller_pays: n.sellerPays,
        }))
    }

    /// The netting terms, once both parties registered them (`registerNetting`): the
    /// counterpart anchor and the netting verifier.
    pub fn netting_terms(&self) -> Result<Option<(Address, Address)>, EvmError> {
        let verifier = self.call(self.anchor, InvoiceAnchor::nettingVerifierCall {})?;
        if verifier == Address::ZERO {
            return Ok(None);
        }
        let counterpart = self.call(self.anchor, InvoiceAnchor::counterpartCall {})?;
        Ok(Some((counterpart, verifier)))
    }

    /// The period's invoice commitment, once the anchor accepted an invoice of it (`invoiceOf`).
    pub fn invoice_of(&self, period_id: u64) -> Result<Option<Fr>, EvmError> {
        nonzero(self.call(self.anchor, InvoiceAnchor::invoiceOfCall { periodId: period_id })?)
    }

    /// The key hash a statement's verifier at `verifier` (netting, credit notes) embeds (its
    /// `VK_HASH`).
    pub fn statement_verifier_key(&self, verifier: Address) -> Result<[u8; 32], EvmError> {
        Ok(self.call(verifier, IStatementVerifier::VK_HASHCall {})?.0)
    }

    /// The period whose netting has the net commitment `net`, from the anchor's
    /// `InvoicesNetted` events; `None` when the anchor recorded no such netting.
    pub fn netted_period(&self, net: &Fr) -> Result<Option<u64>, EvmError> {
        let want = abi::fr_word(net);
        Ok(self
            .events::<InvoiceAnchor::InvoicesNetted>("InvoicesNetted")?
            .into_iter()
            .find(|(e, _)| e.netCommitment == want)
            .map(|(e, _)| e.periodId))
    }
}
