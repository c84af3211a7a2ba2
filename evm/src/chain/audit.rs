//! [`ChainAnchor::audit`]: the anchor checked with the bilateral's verifying key, every failure
//! named.

use thiserror::Error;
use zkinvoice_verifier::{partition::PartitionSizes, InvoiceVerifyingKey, InvoiceVerifyingKeys};

use super::anchor::ChainAnchor;
use crate::{abi::contracts::IInvoiceVerifier, EvmError};

/// The outcome of [`ChainAnchor::audit`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainAudit {
    /// Invoices checked.
    pub invoices: u64,
    /// Of them, how many the Buyer recorded paid (`recordPayment`).
    pub paid: u64,
    /// Of those, how many payments the Seller recorded received (`recordReceipt`).
    pub received: u64,
    /// Invoices netted with the other bilateral's (`recordNetting`; their payment is the net's,
    /// counted in `paid` and `received` by the payer and payee).
    pub netted: u64,
    /// Invoices with a credit note (`recordCreditNote`).
    pub credited: u64,
    /// Credit notes carried forward to a later invoice (`carryCredit`).
    pub carried: u64,
    /// Every failure found, in the order checked (empty: the anchor is consistent and every proof
    /// verifies).
    pub failures: Vec<AuditFailure>,
}

/// One thing an audit of the anchor found wrong. Invoices are named by their position among the
/// anchor's `InvoiceSubmitted` events (from 0).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum AuditFailure {
    /// The anchor's verifier is for another key than the bilateral's.
    #[error("the anchor's verifier is for key {}, not {key}", hex::encode(anchor))]
    WrongKey {
        /// The key hash the anchor records.
        anchor: [u8; 32],
        /// The bilateral's key hash (hex).
        key: String,
    },
    /// The verifier contract's own key hash is not the one the anchor records.
    #[error("the verifier's key hash is not the anchor's")]
    VerifierKeyMismatch,
    /// An invoice that does not start from the state the previous one ended with (`state_0` for
    /// the first).
    #[error("invoice {index}: does not start from the previous state")]
    BrokenChain {
        /// The invoice.
        index: u64,
    },
    /// An invoice whose proof cannot be recovered from its transaction.
    #[error("invoice {index}: {error}")]
    Unrecovered {
        /// The invoice.
        index: u64,
        /// Why.
        error: EvmError,
    },
    /// The anchor's current state is not the state after its latest invoice.
    #[error("the current state is not the state after the latest invoice")]
    CurrentState,
    /// An invoice whose proof does not verify under the bilateral's key.
    #[error("invoice {index}: the proof does not verify")]
    ProofFails {
        /// The invoice.
        index: u64,
    },
    /// The verifier the anchor registered for a statement after the invoice (`netting`,
    /// `credit note`) embeds another key than the auditor's.
    #[error(
        "the anchor's {statement} verifier embeds key {}, not {key}",
        hex::encode(verifier)
    )]
    StatementKey {
        /// The statement.
        statement: &'static str,
        /// The key hash the verifier embeds.
        verifier: [u8; 32],
        /// The auditor's key hash (hex).
        key: String,
    },
    /// A netting or credit note whose proof cannot be recovered from the transaction that
    /// recorded it.
    #[error("the {statement} of period {period_id}: {error}")]
    StatementUnrecovered {
        /// The statement.
        statement: &'static str,
        /// The period's id (`periodId`).
        period_id: u64,
        /// Why.
        error: EvmError,
    },
    /// A netting or credit note whose proof does not verify under the auditor's key.
    #[error("the {statement} of period {period_id}: the proof does not verify")]
    StatementProofFails {
        /// The statement.
        statement: &'static str,
        /// The period's id (`periodId`).
        period_id: u64,
    },
}

impl ChainAnchor {
    /// Audits the anchor with the bilateral's verifying key: the verifier is the key's, the
    /// state chain runs from `state_0` to the current state without a gap, every invoice's public
    /// inputs are the ones its transaction submitted, and every proof verifies (arkworks).
    pub fn audit(&self, vk: &InvoiceVerifyingKey) -> Result<ChainAudit, EvmError> {
        self.audit_keys(&vk.clone().into(), None)
    }

    /// [`Self::audit`] with the bilateral's key(s) of either protocol: one invoice key (`sizes`
    /// `None`), or a partition shape's key set and its sizes (each invoice's partitions are then
    /// recovered from its transaction and verified as one batch).
    pub fn audit_keys(
        &self,
        vk: &InvoiceVerifyingKeys,
        sizes: Option<PartitionSizes>,
    ) -> Result<ChainAudit, EvmError> {
        let state = self.state()?;
        let mut failures = Vec::new();
        if state.vk_hash != vk.hash() {
            failures.push(AuditFailure::WrongKey {
                anchor: state.vk_hash,
                key: vk.hash_hex(),
            });
        }
        let on_chain = self.call(state.verifier, IInvoiceVerifier::VK_HASHCall {})?;
        if on_chain.0 != state.vk_hash {
            failures.push(AuditFailure::VerifierKeyMismatch);
        }
        let invoices = self.invoices_of(sizes)?;
        let mut expected = state.msa.map(|(_, s0)| s0);
        let mut batch = Vec::new();
        for inv in &invoices {
            if Some(inv.inputs.state_before) != expected {
                failures.push(AuditFailure::BrokenChain { index: inv.index });
            }
            expected = Some(inv.inputs.state_after);
            match &inv.proof {
                Ok(p) => batch.push((inv.index, p.clone(), inv.inputs)),
                Err(e) => failures.push(AuditFailure::Unrecovered {
                    index: inv.index,
                    error: e.clone(),
                }),
            }
        }
        if state.current_state != expected {
            failures.push(AuditFailure::CurrentState);
        }
        let key = vk.prepare();
        for (index, proof, inputs) in &batch {
            if key.verify(proof, inputs, &mut rand::rngs::OsRng).is_err() {
                failures.push(AuditFailure::ProofFails { index: *index });
            }
        }
        let (mut paid, mut received, mut netted, mut credited) = (0, 0, 0, 0);
        for inv in &invoices {
            netted += u64::from(self.netting(inv.period_id)?.is_some());
            credited += u64::from(self.credit(inv.period_id)?.is_some());
            if let Some(p) = self.payment(inv.period_id)? {
                paid += 1;
                received += u64::from(p.received_on.is_some());
            }
        }
        Ok(ChainAudit {
            invoices: invoices.len() as u64,
            paid,
            received,
            netted,
            credited,
            carried: self.carried_credits()?.len() as u64,
            failures,
        })
    }
}
