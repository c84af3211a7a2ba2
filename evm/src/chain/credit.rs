//! SLA credits on the anchor (`registerCreditVerifier`, `registerSla`, `recordCreditNote`): the
//! transactions and what the anchor holds of them.

use alloy::primitives::Address;
use zkinvoice_verifier::{CreditPublicInputs, Fr, InvoiceProof};

use super::anchor::ChainAnchor;
use super::calls::Included;
use super::rpc::nonzero;
use crate::{abi, abi::contracts::InvoiceAnchor, EvmError};

impl ChainAnchor {
    /// Proposes the credit-note key's verifier (`registerCreditVerifier`); registered once both
    /// parties proposed the same.
    pub fn register_credit_verifier(&self, verifier: Address) -> Result<Included, EvmError> {
        self.send(abi::register_credit_verifier_call(verifier))
    }

    /// Proposes a period's agreed SLA performance (`registerSla`); registered once both parties
    /// proposed the same commitment.
    pub fn register_sla(&self, period_id: u64, sla: &Fr) -> Result<Included, EvmError> {
        self.send(abi::register_sla_call(period_id, sla))
    }

    /// Records the period's credit note (`recordCreditNote`), as the Seller, with its proof and
    /// public inputs; the proof is verified on chain.
    pub fn record_credit_note(
        &self,
        period_id: u64,
        proof: &InvoiceProof,
        inputs: &CreditPublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_credit_note_call(period_id, proof, inputs))
    }

    /// The registered credit verifier, if both parties registered one.
    pub fn credit_verifier(&self) -> Result<Option<Address>, EvmError> {
        let v = self.call(self.anchor, InvoiceAnchor::creditVerifierCall {})?;
        Ok((v != Address::ZERO).then_some(v))
    }

    /// The period's registered SLA performance commitment, if any.
    pub fn sla(&self, period_id: u64) -> Result<Option<Fr>, EvmError> {
        nonzero(self.call(self.anchor, InvoiceAnchor::slasCall { periodId: period_id })?)
    }

    /// The commitment of the period's credit note, once the Seller recorded it.
    pub fn credit(&self, period_id: u64) -> Result<Option<Fr>, EvmError> {
        nonzero(self.call(self.anchor, InvoiceAnchor::creditsCall { periodId: period_id })?)
    }
}
