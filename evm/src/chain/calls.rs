//! The anchor's transactions: a party proposes the MSA and each period's usage, the Seller (and
//! the Buyer too, with a ceremony's key) submits proved invoices, the Buyer records an invoice
//! paid and the Seller its payment received; both parties register the netting terms and record
//! a period's netting. A call the anchor refuses fails its gas estimate and is not sent.

use alloy::primitives::Address;
use alloy::{
    network::TransactionBuilder,
    primitives::{Bytes, B256},
    providers::Provider,
    rpc::types::TransactionRequest,
};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoicePublicInputs, NettingPublicInputs};

use super::anchor::ChainAnchor;
use super::rpc::{rpc_err, send_err};
use crate::{abi, EvmError};

/// A transaction the chain included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Included {
    /// Its hash.
    pub hash: B256,
    /// Its block.
    pub block: u64,
    /// Gas used by the whole transaction.
    pub gas_used: u64,
}

impl ChainAnchor {
    /// Sends `data` to the anchor from the party's account and waits for its receipt.
    pub(super) fn send(&self, data: Vec<u8>) -> Result<Included, EvmError> {
        let tx = TransactionRequest::default()
            .with_to(self.anchor)
            .with_input(Bytes::from(data));
        let pending = self
            .rt
            .block_on(self.provider.send_transaction(tx))
            .map_err(send_err)?;
        let receipt = self.rt.block_on(pending.get_receipt()).map_err(rpc_err)?;
        if !receipt.status() {
            return Err(EvmError::Rpc(format!(
                "the transaction {} reverted",
                receipt.transaction_hash
            )));
        }
        Ok(Included {
            hash: receipt.transaction_hash,
            block: receipt.block_number.unwrap_or_default(),
            gas_used: receipt.gas_used,
        })
    }

    /// Proposes the MSA (`registerMsa`) with the key's setup (`key_setup`: its ceremony's
    /// transcript hash, or [`abi::single_party_setup`]); registered once both parties proposed the
    /// same values.
    pub fn register_msa(
        &self,
        msa: &Fr,
        state0: &Fr,
        vk_hash: [u8; 32],
        key_setup: [u8; 32],
    ) -> Result<Included, EvmError> {
        self.send(abi::register_msa_call(msa, state0, vk_hash, key_setup))
    }

    /// Proposes a period's usage commitment (`registerUsage`).
    pub fn register_usage(&self, period_id: u64, usage: &Fr) -> Result<Included, EvmError> {
        self.send(abi::register_usage_call(period_id, usage))
    }

    /// Submits a proved invoice (`submitInvoice`): as the Seller, or the Buyer too when the anchor's
    /// key is from a ceremony; another party is refused with
    /// [`ContractError::NotTheSeller`](crate::ContractError::NotTheSeller) before anything is sent.
    pub fn submit_invoice(
        &self,
        period_id: u64,
        proof: &InvoiceProof,
        inputs: &InvoicePublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::submit_invoice_call(period_id, proof, inputs))
    }

    /// Submits a proved invoice of either protocol (`submitInvoice`): one proof for an anchor
    /// whose verifier is an `InvoiceVerifier`, a partitioned invoice's proofs for one whose
    /// verifier is a `PartitionVerifier`. As the Seller only, as [`Self::submit_invoice`].
    pub fn submit_proofs(
        &self,
        period_id: u64,
        proofs: &zkinvoice_verifier::InvoiceProofs,
        inputs: &InvoicePublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::submit_proofs_call(period_id, proofs, inputs))
    }

    /// Records the period's invoice paid (`recordPayment`), as the Buyer: on day `paid_on` (days
    /// since 1970-01-01), under the payment's `reference`.
    pub fn record_payment(
        &self,
        period_id: u64,
        paid_on: u32,
        reference: &str,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_payment_call(period_id, paid_on, reference))
    }

    /// Records the period's payment received (`recordReceipt`), as the Seller: on day
    /// `received_on`, under the payment's `reference`.
    pub fn record_receipt(
        &self,
        period_id: u64,
        received_on: u32,
        reference: &str,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_receipt_call(period_id, received_on, reference))
    }

    /// Proposes the netting terms (`registerNetting`): the anchor of the bilateral the other way
    /// round and the verifier of the netting key; registered once both parties proposed the same.
    pub fn register_netting(
        &self,
        counterpart: Address,
        netting_verifier: Address,
    ) -> Result<Included, EvmError> {
        self.send(abi::register_netting_call(counterpart, netting_verifier))
    }

    /// Proposes the period's netting (`recordNetting`) with its proof and public inputs; recorded
    /// once both parties proposed the same inputs and the proof verifies on chain.
    pub fn record_netting(
        &self,
        period_id: u64,
        proof: &InvoiceProof,
        inputs: &NettingPublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_netting_call(period_id, proof, inputs))
    }

    /// Proposes the period's netting of two partitioned invoices (`recordNetting` with the
    /// invoices' `parts`, in the public inputs' order, before the proof: the registered
    /// netting verifier is a `NettingHeadsVerifier`).
    pub fn record_netting_heads(
        &self,
        period_id: u64,
        proof: &InvoiceProof,
        inputs: &NettingPublicInputs,
        parts: &[zkinvoice_verifier::partition::Parts; 2],
    ) -> Result<Included, EvmError> {
        self.send(abi::record_netting_heads_call(period_id, proof, inputs, parts))
    }
}
