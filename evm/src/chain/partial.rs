//! Partial invoices on the anchor (`registerPartialUsage`, `submitPartialInvoice`,
//! `recordPartialPayment`, `recordPartialReceipt`): the transactions and what the anchor holds of
//! a period invoiced in part.

use alloy::{
    eips::BlockId,
    primitives::{B256, U256},
    rpc::types::Filter,
    sol_types::SolEvent,
};
use zkinvoice_verifier::{Fr, InvoiceProofs, InvoicePublicInputs};

use super::anchor::ChainAnchor;
use super::calls::Included;
use super::read::{ChainPartial, ChainPayment, PartialFacts, Submitted};
use super::rpc::{fr_of, nonzero};
use crate::{abi, abi::contracts::InvoiceAnchor, EvmError};

impl ChainAnchor {
    /// Proposes a disputed period's partial usage (`registerPartialUsage`); registered once both
    /// parties proposed the same.
    pub fn register_partial_usage(&self, period_id: u64, usage: &Fr) -> Result<Included, EvmError> {
        self.send(abi::register_partial_usage_call(period_id, usage))
    }

    /// Submits the period's partial invoice (`submitPartialInvoice`), as the Seller; the proof is
    /// verified on chain and the state does not move.
    pub fn submit_partial_invoice(
        &self,
        period_id: u64,
        proofs: &InvoiceProofs,
        inputs: &InvoicePublicInputs,
    ) -> Result<Included, EvmError> {
        self.send(abi::submit_partial_invoice_call(period_id, proofs, inputs))
    }

    /// Records the period's partial invoice paid (`recordPartialPayment`), as the Buyer.
    pub fn record_partial_payment(
        &self,
        period_id: u64,
        paid_on: u32,
        reference: &str,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_partial_payment_call(period_id, paid_on, reference))
    }

    /// Records that payment received (`recordPartialReceipt`), as the Seller.
    pub fn record_partial_receipt(
        &self,
        period_id: u64,
        received_on: u32,
        reference: &str,
    ) -> Result<Included, EvmError> {
        self.send(abi::record_partial_receipt_call(
            period_id,
            received_on,
            reference,
        ))
    }

    /// The period's partial usage and partial invoice.
    pub fn partial(&self, period_id: u64) -> Result<ChainPartial, EvmError> {
        let p = self.call(self.anchor, InvoiceAnchor::partialsCall { periodId: period_id })?;
        Ok(ChainPartial {
            usage: nonzero(p.usage)?,
            invoice: nonzero(p.invoice)?,
        })
    }

    /// The payment of the period's partial invoice, once the Buyer recorded it.
    pub fn partial_payment(&self, period_id: u64) -> Result<Option<ChainPayment>, EvmError> {
        let p = self.call(
            self.anchor,
            InvoiceAnchor::partialPaymentsCall { periodId: period_id },
        )?;
        Ok((p.referenceHash != B256::ZERO).then_some(ChainPayment {
            reference_hash: p.referenceHash.0,
            paid_on: p.paidOn,
            received_on: (p.receivedOn != 0).then_some(p.receivedOn),
        }))
    }

    /// The partial invoice whose commitment is `invoice`, from its `PartialInvoiceSubmitted`
    /// event (found by its indexed commitment), if the anchor accepted it.
    pub fn submitted_partial_invoice(&self, invoice: &Fr) -> Result<Option<Submitted>, EvmError> {
        self.rt.block_on(self.partial_submitted_until(invoice, None))
    }

    /// [`Self::submitted_partial_invoice`], among the events up to block `to` (all: `None`).
    async fn partial_submitted_until(
        &self,
        invoice: &Fr,
        to: Option<u64>,
    ) -> Result<Option<Submitted>, EvmError> {
        let mut filter = Filter::new()
            .address(self.anchor)
            .event_signature(InvoiceAnchor::PartialInvoiceSubmitted::SIGNATURE_HASH)
            .topic2(abi::fr_word(invoice))
            .from_block(0u64);
        if let Some(to) = to {
            filter = filter.to_block(to);
        }
        let Some(log) = self.first_log(&filter).await? else {
            return Ok(None);
        };
        let e = InvoiceAnchor::PartialInvoiceSubmitted::decode_log_data(log.data())
            .map_err(|e| EvmError::malformed("a PartialInvoiceSubmitted event", e.to_string()))?;
        Ok(Some(Submitted {
            period_id: e.periodId,
            state_before: fr_of(e.stateBefore)?,
            state_after: fr_of(e.stateAfter)?,
            tx: log.transaction_hash.ok_or_else(|| {
                EvmError::Rpc("a PartialInvoiceSubmitted log without its transaction".into())
            })?,
        }))
    }

    /// [`PartialFacts`] of the invoice `invoice` of the period `period_id` (none without a
    /// period), at block `block`.
    pub(super) async fn partial_facts(
        &self,
        period_id: Option<u64>,
        invoice: &Fr,
        block: u64,
    ) -> Result<PartialFacts, EvmError> {
        let Some(id) = period_id else {
            return Ok(PartialFacts::default());
        };
        let a = self.anchor;
        let received_filter = Filter::new()
            .address(a)
            .event_signature(InvoiceAnchor::PartialPaymentReceived::SIGNATURE_HASH)
            .topic1(B256::from(U256::from(id)))
            .from_block(0u64)
            .to_block(block);
        let (p, submitted, received) = tokio::join!(
            self.call_at(
                a,
                InvoiceAnchor::partialsCall { periodId: id },
                BlockId::number(block)
            ),
            self.partial_submitted_until(invoice, Some(block)),
            self.first_log(&received_filter),
        );
        let p = p?;
        let received = match received? {
            Some(log) => Some(
                InvoiceAnchor::PartialPaymentReceived::decode_log_data(log.data())
                    .map_err(|e| EvmError::malformed("a PartialPaymentReceived event", e.to_string()))?
                    .paymentReference,
            ),
            None => None,
        };
        Ok(PartialFacts {
            partial: ChainPartial {
                usage: nonzero(p.usage)?,
                invoice: nonzero(p.invoice)?,
            },
            submitted: submitted?.filter(|s| s.period_id == id),
            received,
        })
    }
}
