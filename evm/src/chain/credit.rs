//! SLA credits on the anchor (`registerCreditVerifier`, `registerSla`, `recordCreditNote`,
//! `carryCredit`): the transactions and what the anchor holds of them.

use alloy::{
    eips::BlockId,
    primitives::{Address, B256, U256},
    providers::Provider,
    rpc::types::Filter,
    sol_types::SolEvent,
};
use zkinvoice_verifier::{CreditPublicInputs, Fr, InvoiceProof};

use super::anchor::ChainAnchor;
use super::calls::Included;
use super::rpc::{fr_of, nonzero, rpc_err};
use crate::{abi, abi::contracts::InvoiceAnchor, EvmError};

/// What the anchor holds of a period's credit notes, as a check of its invoice needs it
/// ([`ChainAnchor::invoice_facts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreditFacts {
    /// The commitment of the period's credit note, if its invoice is credited.
    pub credit: Option<Fr>,
    /// Whether that note was recorded after the invoice was paid: it is not applied to the
    /// invoice but carried forward.
    pub after_payment: bool,
    /// The credit notes carried to the period's invoice (`CreditCarried` events), in the order
    /// they were carried: each note's commitment with the invoice it credits.
    pub carried: Vec<(Fr, Fr)>,
}

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

    /// Proposes carrying the credit note of `from_period` (recorded after its invoice was paid)
    /// to the invoice of `to_period` (`carryCredit`); carried once both parties proposed it.
    pub fn carry_credit(&self, from_period: u64, to_period: u64) -> Result<Included, EvmError> {
        self.send(abi::carry_credit_call(from_period, to_period))
    }

    /// Whether the period's credit note was recorded after its invoice was paid, and the period
    /// it was carried to, if it was (`carries`).
    pub fn credit_carry(&self, period_id: u64) -> Result<(bool, Option<u64>), EvmError> {
        let c = self.call(self.anchor, InvoiceAnchor::carriesCall { periodId: period_id })?;
        Ok((c.afterPayment, (c.to != 0).then_some(c.to)))
    }

    /// The period whose credit note has the commitment `note` (its `CreditNoteRecorded`
    /// event), if the anchor recorded it.
    pub fn credited_period(&self, note: &Fr) -> Result<Option<u64>, EvmError> {
        let want = abi::fr_word(note);
        Ok(self
            .events::<InvoiceAnchor::CreditNoteRecorded>("CreditNoteRecorded")?
            .into_iter()
            .find(|(e, _)| e.creditCommitment == want)
            .map(|(e, _)| e.periodId))
    }

    /// The credit notes carried (`CreditCarried` events), in order: from which period to which.
    pub fn carried_credits(&self) -> Result<Vec<(u64, u64)>, EvmError> {
        Ok(self
            .events::<InvoiceAnchor::CreditCarried>("CreditCarried")?
            .into_iter()
            .map(|(e, _)| (e.fromPeriod, e.toPeriod))
            .collect())
    }

    /// [`CreditFacts`] of the period `period_id` (none without one) at `block`.
    pub(super) async fn credit_facts(
        &self,
        period_id: Option<u64>,
        block: u64,
    ) -> Result<CreditFacts, EvmError> {
        let Some(id) = period_id else {
            return Ok(CreditFacts::default());
        };
        let (a, at) = (self.anchor, BlockId::number(block));
        let filter = Filter::new()
            .address(a)
            .event_signature(InvoiceAnchor::CreditCarried::SIGNATURE_HASH)
            .topic2(B256::from(U256::from(id)))
            .from_block(0u64)
            .to_block(block);
        let (credit, carry, logs) = tokio::join!(
            self.call_at(a, InvoiceAnchor::creditsCall { periodId: id }, at),
            self.call_at(a, InvoiceAnchor::carriesCall { periodId: id }, at),
            self.provider.get_logs(&filter),
        );
        let mut logs: Vec<_> = logs
            .map_err(rpc_err)?
            .into_iter()
            .filter(|log| !log.removed && log.address() == a)
            .collect();
        logs.sort_by_key(|log| (log.block_number, log.log_index));
        let carried = logs
            .iter()
            .map(|log| {
                let e = InvoiceAnchor::CreditCarried::decode_log_data(log.data())
                    .map_err(|e| EvmError::malformed("a CreditCarried event", e.to_string()))?;
                Ok((fr_of(e.creditCommitment)?, fr_of(e.creditedInvoice)?))
            })
            .collect::<Result<_, EvmError>>()?;
        Ok(CreditFacts {
            credit: nonzero(credit?)?,
            after_payment: carry?.afterPayment,
            carried,
        })
    }
}
