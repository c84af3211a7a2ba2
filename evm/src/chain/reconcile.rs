//! Reconciliation on the anchor (`registerReconcileVerifier`, `recordMeasurement`,
//! `recordReconciliation`, `resolveDispute`): the transactions and what the anchor holds of a
//! measured period.

use alloy::primitives::{Address, U256};
use zkinvoice_verifier::{Fr, InvoiceProof, InvoiceProofs, InvoicePublicInputs, ReconcilePublicInputs};

use super::anchor::ChainAnchor;
use super::calls::Included;
use super::rpc::nonzero;
use crate::{abi, abi::contracts::InvoiceAnchor, EvmError};

/// What the anchor holds of a measured period's reconciliation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainReconciliation {
    /// Neither reconciled nor disputed yet.
    Pending,
    /// Within every threshold.
    Reconciled,
    /// Over the thresholds of `over` (the statement's bits), resolved on `resolved_usage` once
    /// both parties resolved it.
    Disputed {
        /// The thresholds the two measurements are over.
        over: U256,
        /// The usage commitment the dispute was resolved on, once resolved.
        resolved_usage: Option<Fr>,
    },
}

impl ChainAnchor {
    /// Proposes the reconciliation key's verifier (`registerReconcileVerifier`); registered once
    /// both parties proposed the same.
    pub fn register_reconcile_verifier(&self, verifier: Address) -> Result<Included, EvmError> {
        self.send(abi::register_reconcile_verifier_call(verifier))
    }

    /// Records this party's measurement of a period (`recordMeasurement`): the invoice it rated
    /// from it, proven with the invoice statement (verified on chain).
    pub fn record_measurement(
        &self,
        period_id: u64,
        proof: &InvoiceProofs,
        inputs: &InvoicePublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_measurement_call(period_id, proof, inputs))
    }

    /// Records the reconciliation of a period's two measurements (`recordReconciliation`):
    /// within every threshold, or a dispute over `inputs.over`; the proof is verified on chain.
    pub fn record_reconciliation(
        &self,
        period_id: u64,
        proof: &InvoiceProof,
        inputs: &ReconcilePublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_reconciliation_call(period_id, proof, inputs))
    }

    /// Proposes the resolution of a period's dispute (`resolveDispute`); resolved once both
    /// parties proposed the same usage and words.
    pub fn resolve_dispute(
        &self,
        period_id: u64,
        usage: &Fr,
        resolution: &str,
    ) -> Result<Included, EvmError> {
        self.send(abi::resolve_dispute_call(period_id, usage, resolution))
    }

    /// The registered reconciliation verifier, if both parties registered one.
    pub fn reconcile_verifier(&self) -> Result<Option<Address>, EvmError> {
        let v = self.call(self.anchor, InvoiceAnchor::reconcileVerifierCall {})?;
        Ok((v != Address::ZERO).then_some(v))
    }

    /// The commitment of the invoice `party` rated from its measurement of the period, once
    /// recorded.
    pub fn measurement(&self, period_id: u64, party: Address) -> Result<Option<Fr>, EvmError> {
        nonzero(self.call(
            self.anchor,
            InvoiceAnchor::measurementsCall {
                periodId: period_id,
                party,
            },
        )?)
    }

    /// The period's reconciliation or dispute.
    pub fn reconciliation(&self, period_id: u64) -> Result<ChainReconciliation, EvmError> {
        let r = self.call(
            self.anchor,
            InvoiceAnchor::reconciliationsCall { periodId: period_id },
        )?;
        Ok(if r.reconciled {
            ChainReconciliation::Reconciled
        } else if r.over.is_zero() {
            ChainReconciliation::Pending
        } else {
            ChainReconciliation::Disputed {
                over: r.over,
                resolved_usage: nonzero(r.resolvedUsage)?,
            }
        })
    }
}
