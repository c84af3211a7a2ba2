//! Reading the anchor back: what it holds, a period, its `InvoiceSubmitted` events with the
//! proofs recovered from their transactions, and the facts a check of one invoice needs, read at
//! one block.

use alloy::{
    primitives::{Address, B256},
    providers::Provider,
    rpc::types::{BlockId, Filter},
    sol_types::SolEvent,
};
use zkinvoice_verifier::{Fr, InvoiceProofs, InvoicePublicInputs};

use super::anchor::ChainAnchor;
use super::credit::CreditFacts;
use super::rpc::{fr_of, nonzero, rpc_err};
use crate::{abi, abi::contracts::InvoiceAnchor, encoding::proof_from_calldata, EvmError};

/// What an anchor contract holds, read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchorState {
    /// The Seller's address.
    pub seller: Address,
    /// The Buyer's address.
    pub buyer: Address,
    /// The verifier's address.
    pub verifier: Address,
    /// The verifier's key hash.
    pub vk_hash: [u8; 32],
    /// The registered MSA commitment and `state_0`, if registered.
    pub msa: Option<(Fr, Fr)>,
    /// The current state (`state_0`, then the state after the latest invoice).
    pub current_state: Option<Fr>,
    /// How many invoices were accepted (counted from the anchor's `InvoiceSubmitted` events: the
    /// contract keeps no counter).
    pub invoice_count: u64,
}

/// One accepted invoice, read back from the anchor's `InvoiceSubmitted` event, with the proof
/// recovered from the transaction that submitted it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainInvoice {
    /// Its position among the anchor's `InvoiceSubmitted` events, in log order (from 0).
    pub index: u64,
    /// The period id.
    pub period_id: u64,
    /// The proof's public inputs (the MSA and usage commitments as registered).
    pub inputs: InvoicePublicInputs,
    /// The submitting transaction.
    pub tx: B256,
    /// The proof (v1) or the partitions' proofs, decoded from the transaction's calldata; an
    /// error if the transaction was not a direct `submitInvoice` call, submitted another period or
    /// other public inputs, or its proof does not decode.
    pub proof: Result<InvoiceProofs, EvmError>,
}

/// An accepted invoice as its `InvoiceSubmitted` event records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submitted {
    /// The period id.
    pub period_id: u64,
    /// The state the invoice was proved from.
    pub state_before: Fr,
    /// The state it was proved to.
    pub state_after: Fr,
    /// The transaction that submitted it.
    pub tx: B256,
}

/// What a check of one invoice needs from the anchor, read at one block
/// ([`ChainAnchor::invoice_facts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvoiceFacts {
    /// The block the facts were read at (the node's latest).
    pub block: u64,
    /// The verifier's key hash.
    pub vk_hash: [u8; 32],
    /// The registered MSA commitment and `state_0`, if registered.
    pub msa: Option<(Fr, Fr)>,
    /// The current state.
    pub current_state: Option<Fr>,
    /// The usage commitment registered for the period asked, if one was asked and is registered.
    pub usage: Option<Fr>,
    /// The invoice's `InvoiceSubmitted` event, if the anchor accepted it.
    pub submitted: Option<Submitted>,
    /// The reference under which the Seller recorded the period's payment received (its
    /// `PaymentReceived` event), if a period was asked and its payment was received.
    pub received: Option<String>,
    /// The period's credit notes (`recordCreditNote`, `carryCredit`), if a period was asked.
    pub credits: CreditFacts,
    /// The period's partial invoice, if a period was asked.
    pub partial: PartialFacts,
}

/// What the anchor holds of a disputed period's partial invoice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChainPartial {
    /// The partial usage both parties registered, if any.
    pub usage: Option<Fr>,
    /// The partial invoice the Seller submitted, if any.
    pub invoice: Option<Fr>,
}

/// What a check of one invoice needs of its period's partial invoice, read at the block of
/// [`ChainAnchor::invoice_facts`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PartialFacts {
    /// The period's partial usage and partial invoice.
    pub partial: ChainPartial,
    /// The invoice's `PartialInvoiceSubmitted` event, if it is the period's partial invoice.
    pub submitted: Option<Submitted>,
    /// The reference under which the Seller recorded the partial invoice's payment received
    /// (its `PartialPaymentReceived` event), if it was.
    pub received: Option<String>,
}

/// A period's payment as the anchor holds it (`payments`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainPayment {
    /// The keccak-256 of the payment's reference.
    pub reference_hash: [u8; 32],
    /// The day it was paid (days since 1970-01-01).
    pub paid_on: u32,
    /// The day the Seller received it, once recorded.
    pub received_on: Option<u32>,
}

impl ChainPayment {
    /// Whether it was paid under `reference`.
    pub fn is_under(&self, reference: &str) -> bool {
        alloy::primitives::keccak256(reference.as_bytes()).0 == self.reference_hash
    }
}

impl ChainAnchor {
    /// What the anchor holds.
    pub fn state(&self) -> Result<AnchorState, EvmError> {
        let a = self.anchor;
        let msa = nonzero(self.call(a, InvoiceAnchor::msaCommitmentCall {})?)?;
        let state0 = nonzero(self.call(a, InvoiceAnchor::state0Call {})?)?;
        let count = self.submitted()?.len() as u64;
        Ok(AnchorState {
            seller: self.call(a, InvoiceAnchor::sellerCall {})?,
            buyer: self.call(a, InvoiceAnchor::buyerCall {})?,
            verifier: self.call(a, InvoiceAnchor::verifierCall {})?,
            vk_hash: self.call(a, InvoiceAnchor::vkHashCall {})?.0,
            msa: msa.zip(state0),
            current_state: nonzero(self.call(a, InvoiceAnchor::currentStateCall {})?)?,
            invoice_count: count,
        })
    }

    /// A period's registered usage commitment, if any, and whether it was invoiced.
    pub fn period(&self, period_id: u64) -> Result<(Option<Fr>, bool), EvmError> {
        let p = self.call(self.anchor, InvoiceAnchor::periodCall { periodId: period_id })?;
        Ok((nonzero(p.usageCommitment)?, p.invoiced))
    }

    /// The payment of the period's invoice, once the Buyer recorded it (`recordPayment`).
    pub fn payment(&self, period_id: u64) -> Result<Option<ChainPayment>, EvmError> {
        let p = self.call(self.anchor, InvoiceAnchor::paymentsCall { periodId: period_id })?;
        Ok((p.referenceHash != B256::ZERO).then_some(ChainPayment {
            reference_hash: p.referenceHash.0,
            paid_on: p.paidOn,
            received_on: (p.receivedOn != 0).then_some(p.receivedOn),
        }))
    }

    /// The anchor's `InvoiceSubmitted` events (`eth_getLogs` from block 0), in log order, each
    /// with the transaction that emitted it.
    pub(super) fn submitted(&self) -> Result<Vec<(InvoiceAnchor::InvoiceSubmitted, B256)>, EvmError> {
        self.events("InvoiceSubmitted")
    }

    /// The accepted invoice whose invoice commitment is `invoice`, from its `InvoiceSubmitted`
    /// event (found by its indexed commitment), if the anchor accepted it.
    pub fn submitted_invoice(&self, invoice: &Fr) -> Result<Option<Submitted>, EvmError> {
        self.rt.block_on(self.submitted_until(invoice, None))
    }

    /// [`Self::submitted_invoice`], among the events up to block `to` (all: `None`).
    async fn submitted_until(&self, invoice: &Fr, to: Option<u64>) -> Result<Option<Submitted>, EvmError> {
        let mut filter = Filter::new()
            .address(self.anchor)
            .event_signature(InvoiceAnchor::InvoiceSubmitted::SIGNATURE_HASH)
            .topic2(abi::fr_word(invoice))
            .from_block(0u64);
        if let Some(to) = to {
            filter = filter.to_block(to);
        }
        let Some(log) = self.first_log(&filter).await? else {
            return Ok(None);
        };
        let event = InvoiceAnchor::InvoiceSubmitted::decode_log_data(log.data())
            .map_err(|e| EvmError::malformed("an InvoiceSubmitted event", e.to_string()))?;
        Ok(Some(Submitted {
            period_id: event.periodId,
            state_before: fr_of(event.stateBefore)?,
            state_after: fr_of(event.stateAfter)?,
            tx: log
                .transaction_hash
                .ok_or_else(|| EvmError::Rpc("an InvoiceSubmitted log without its transaction".into()))?,
        }))
    }

    /// The reference of the period's `PaymentReceived` event, among the events up to block `to`.
    async fn received_until(&self, period_id: u64, to: u64) -> Result<Option<String>, EvmError> {
        let filter = Filter::new()
            .address(self.anchor)
            .event_signature(InvoiceAnchor::PaymentReceived::SIGNATURE_HASH)
            .topic1(B256::from(alloy::primitives::U256::from(period_id)))
            .from_block(0u64)
            .to_block(to);
        let Some(log) = self.first_log(&filter).await? else {
            return Ok(None);
        };
        let event = InvoiceAnchor::PaymentReceived::decode_log_data(log.data())
            .map_err(|e| EvmError::malformed("a PaymentReceived event", e.to_string()))?;
        Ok(Some(event.paymentReference))
    }

    /// The first of the anchor's logs `filter` selects, in log order (removed ones left out).
    pub(super) async fn first_log(
        &self,
        filter: &Filter,
    ) -> Result<Option<alloy::rpc::types::Log>, EvmError> {
        let logs = self.provider.get_logs(filter).await.map_err(rpc_err)?;
        Ok(logs
            .into_iter()
            .filter(|log| !log.removed && log.address() == self.anchor)
            .min_by_key(|log| (log.block_number, log.log_index)))
    }

    /// What a check of the invoice `invoice` (of the period `period_id`, if known) needs: the key
    /// hash, the MSA and `state_0`, the current state, the period's usage, the invoice's
    /// `InvoiceSubmitted` event, the period's payment received, its credit note and its partial
    /// invoice ([`PartialFacts`]), all read at
    /// one block (one consistent snapshot) with the calls sent concurrently: two round trips to
    /// the node. The block is the node's latest less
    /// `confirmations` (0: the latest); the contract must exist at it.
    pub fn invoice_facts(
        &self,
        period_id: Option<u64>,
        invoice: &Fr,
        confirmations: u64,
    ) -> Result<InvoiceFacts, EvmError> {
        self.rt.block_on(async {
            let latest = self.provider.get_block_number().await.map_err(rpc_err)?;
            let block = latest.checked_sub(confirmations).ok_or_else(|| {
                EvmError::Rpc(format!(
                    "the chain has {latest} blocks after its first, fewer than the {confirmations} confirmations asked"
                ))
            })?;
            let (a, at) = (self.anchor, BlockId::number(block));
            let period = async {
                match period_id {
                    Some(id) => self
                        .call_at(a, InvoiceAnchor::periodCall { periodId: id }, at)
                        .await
                        .map(|p| Some(p.usageCommitment)),
                    None => Ok(None),
                }
            };
            let code = async { self.provider.get_code_at(a).block_id(at).await.map_err(rpc_err) };
            let received = async {
                match period_id {
                    Some(id) => self.received_until(id, block).await,
                    None => Ok(None),
                }
            };
            let credits = self.credit_facts(period_id, block);
            let partial = self.partial_facts(period_id, invoice, block);
            let (code, vk_hash, msa, state0, current, usage, submitted, received, credits, partial) = tokio::join!(
                code,
                self.call_at(a, InvoiceAnchor::vkHashCall {}, at),
                self.call_at(a, InvoiceAnchor::msaCommitmentCall {}, at),
                self.call_at(a, InvoiceAnchor::state0Call {}, at),
                self.call_at(a, InvoiceAnchor::currentStateCall {}, at),
                period,
                self.submitted_until(invoice, Some(block)),
                received,
                credits,
                partial,
            );
            if code?.is_empty() {
                return Err(EvmError::Rpc(format!(
                    "no contract at {a} at block {block} ({confirmations} confirmations before the latest)"
                )));
            }
            Ok(InvoiceFacts {
                block,
                vk_hash: vk_hash?.0,
                msa: nonzero(msa?)?.zip(nonzero(state0?)?),
                current_state: nonzero(current?)?,
                usage: match usage? {
                    Some(u) => nonzero(u)?,
                    None => None,
                },
                submitted: submitted?,
                received: received?,
                credits: credits?,
                partial: partial?,
            })
        })
    }

    /// Every accepted invoice, in order (the anchor's `InvoiceSubmitted` events in log order),
    /// with its proof recovered from its transaction (v1: one proof each).
    pub fn invoices(&self) -> Result<Vec<ChainInvoice>, EvmError> {
        self.invoices_of(None)
    }

    /// [`Self::invoices`] of an anchor whose verifier is for one proof (`sizes` `None`) or for
    /// partitioned invoices of a partition shape of `sizes`.
    pub fn invoices_of(
        &self,
        sizes: Option<zkinvoice_verifier::partition::PartitionSizes>,
    ) -> Result<Vec<ChainInvoice>, EvmError> {
        let Some(msa) = nonzero(self.call(self.anchor, InvoiceAnchor::msaCommitmentCall {})?)? else {
            return Ok(Vec::new());
        };
        let mut usages = std::collections::HashMap::new();
        let mut out = Vec::new();
        for (index, (e, tx)) in self.submitted()?.into_iter().enumerate() {
            let usage = match usages.get(&e.periodId) {
                Some(u) => *u,
                None => {
                    let (u, _) = self.period(e.periodId)?;
                    let u = u.unwrap_or_default();
                    usages.insert(e.periodId, u);
                    u
                }
            };
            let inputs = InvoicePublicInputs {
                msa_commitment: msa,
                usage_commitment: usage,
                state_before: fr_of(e.stateBefore)?,
                state_after: fr_of(e.stateAfter)?,
                invoice_commitment: fr_of(e.invoiceCommitment)?,
            };
            let proof = self.proof_of(tx, e.periodId, &inputs, sizes);
            out.push(ChainInvoice {
                index: index as u64,
                period_id: e.periodId,
                inputs,
                tx,
                proof,
            });
        }
        Ok(out)
    }

    /// The proof a transaction submitted, checked to have been submitted for `period_id` with
    /// `inputs`.
    fn proof_of(
        &self,
        tx: B256,
        period_id: u64,
        inputs: &InvoicePublicInputs,
        sizes: Option<zkinvoice_verifier::partition::PartitionSizes>,
    ) -> Result<InvoiceProofs, EvmError> {
        let what = || format!("the transaction {tx}");
        let call: InvoiceAnchor::submitInvoiceCall = self.call_of(tx)?;
        if call.periodId != period_id || call.publicInputs != abi::public_input_words(inputs) {
            return Err(EvmError::malformed(
                what(),
                "it submitted another period or other public inputs than the anchor recorded",
            ));
        }
        match sizes {
            None => proof_from_calldata(&call.proof).map(InvoiceProofs::from),
            Some(sizes) => {
                crate::encoding::partitioned_from_calldata(&call.proof, sizes).map(InvoiceProofs::from)
            }
        }
    }
}
