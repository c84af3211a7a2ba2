//! The netting on the anchor (`registerNetting`, `recordNetting`): its terms, a period's
//! netting, the period a net commitment nets, the netting verifier's key, and a recorded
//! netting's proof (v1's, or of partitioned invoices with their parts) checked again.

use alloy::primitives::Address;
use zkinvoice_verifier::{
    partition::Parts, verify, Fr, InvoiceProof, NettingHeadsPublicInputs, NettingHeadsStatement,
    NettingPublicInputs, NettingStatement, VerifyingKeyOf,
};

use super::anchor::ChainAnchor;
use super::rpc::nonzero;
use crate::{
    abi,
    abi::contracts::{IStatementVerifier, InvoiceAnchor},
    encoding::{netting_heads_from_calldata, proof_from_calldata, PROOF_CALLDATA_BYTES},
    EvmError,
};

/// The netting key an auditor holds: v1's (the anchors' invoices of one v1 shape) or the key of
/// the netting of partitioned invoices (`netting-v2-heads`, a `NettingHeadsVerifier` on chain).
#[derive(Clone, Copy, Debug)]
pub enum NettingKey<'a> {
    /// `zkinvoice/netting/v1`.
    V1(&'a VerifyingKeyOf<NettingStatement>),
    /// `zkinvoice/netting/v2`.
    Heads(&'a VerifyingKeyOf<NettingHeadsStatement>),
}

impl NettingKey<'_> {
    /// The key's hash (what its verifier contract's `VK_HASH` must be).
    pub fn hash(&self) -> [u8; 32] {
        match self {
            Self::V1(k) => k.hash(),
            Self::Heads(k) => k.hash(),
        }
    }

    /// Whether `proof` (with the invoices' parts for v2) verifies under this key (arkworks), the
    /// parts' tops being the two invoices of `inputs`; a proof of the other statement does not.
    pub fn verifies(&self, proof: &RecordedNetting, inputs: &NettingPublicInputs) -> bool {
        match (self, proof) {
            (Self::V1(k), RecordedNetting::V1(p)) => verify(&k.prepare(), p, inputs).is_ok(),
            (Self::Heads(k), RecordedNetting::Heads(p, [first, second])) => {
                let heads = NettingHeadsPublicInputs {
                    netting: *inputs,
                    first_head: first.head,
                    second_head: second.head,
                };
                heads.check_tops([&first.parts, &second.parts]) && verify(&k.prepare(), p, &heads).is_ok()
            }
            _ => false,
        }
    }
}

/// A `recordNetting` call's proof: v1's 512 bytes, or the parts of two partitioned invoices and
/// the proof (`NettingHeadsVerifier`'s calldata).
#[derive(Clone, Debug, PartialEq)]
pub enum RecordedNetting {
    /// v1's proof.
    V1(InvoiceProof),
    /// The proof, and the two invoices' parts in the public inputs' order.
    Heads(InvoiceProof, [Parts; 2]),
}

impl RecordedNetting {
    /// `recordNetting`'s `proof` bytes: v1's when they are a proof's length, the netting of
    /// partitioned invoices' ([`crate::encoding::netting_heads_from_calldata`]) otherwise.
    pub fn decode(bytes: &[u8]) -> Result<Self, EvmError> {
        if bytes.len() == PROOF_CALLDATA_BYTES {
            return proof_from_calldata(bytes).map(Self::V1);
        }
        netting_heads_from_calldata(bytes).map(|(p, parts)| Self::Heads(p, parts))
    }
}

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
