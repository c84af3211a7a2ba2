//! [`ContractError`]: the anchor contract's refusals, decoded from a revert (`abi` turns the
//! ABI's error types into it).

use alloy_primitives::{Address, B256};
use thiserror::Error;

/// A refusal by the `InvoiceAnchor` contract: one of its custom errors, with its arguments.
///
/// Displayed as the contract names it, e.g. `StaleState(expected 0x…, given 0x…)`: the names are
/// the contract's (`docs/evm.md`), so that a message can be looked up there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ContractError {
    /// The sender is neither the Seller nor the Buyer.
    #[error("NotAParty({caller})")]
    NotAParty {
        /// The sender.
        caller: Address,
    },
    /// The sender of `submitInvoice` is not the Seller: while the verifying key is not from a
    /// multi-party ceremony, the Buyer (who made it) and third addresses may not submit invoices.
    #[error("NotTheSeller({caller})")]
    NotTheSeller {
        /// The sender.
        caller: Address,
    },
    /// The constructor's parties are zero or equal.
    #[error("InvalidParties")]
    InvalidParties,
    /// A commitment, state or period id that is zero.
    #[error("ZeroValue")]
    ZeroValue,
    /// The MSA is already registered.
    #[error("MsaAlreadyRegistered")]
    MsaAlreadyRegistered,
    /// No MSA is registered yet.
    #[error("MsaNotRegistered")]
    MsaNotRegistered,
    /// The proposed key hash is not the verifier's.
    #[error("WrongVerifyingKey(expected {expected}, given {given})")]
    WrongVerifyingKey {
        /// The verifier's key hash.
        expected: B256,
        /// The hash proposed.
        given: B256,
    },
    /// The proposed key setup is not the anchor's (its ceremony's transcript hash, or the
    /// single-party marker when it has none).
    #[error("WrongKeySetup(expected {expected}, given {given})")]
    WrongKeySetup {
        /// The anchor's: `CEREMONY_TRANSCRIPT`, or `SINGLE_PARTY_SETUP` when that is zero.
        expected: B256,
        /// The setup proposed.
        given: B256,
    },
    /// The period's usage is already registered.
    #[error("UsageAlreadyRegistered(period {period_id})")]
    UsageAlreadyRegistered {
        /// The period id.
        period_id: u64,
    },
    /// No usage is registered for the period.
    #[error("UsageNotRegistered(period {period_id})")]
    UsageNotRegistered {
        /// The period id.
        period_id: u64,
    },
    /// The invoice's MSA commitment is not the registered one.
    #[error("WrongMsa(expected {expected}, given {given})")]
    WrongMsa {
        /// The registered MSA commitment.
        expected: B256,
        /// The invoice's.
        given: B256,
    },
    /// The invoice's usage commitment is not the one registered for the period.
    #[error("WrongUsage(period {period_id}, expected {expected}, given {given})")]
    WrongUsage {
        /// The period id.
        period_id: u64,
        /// The registered usage commitment.
        expected: B256,
        /// The invoice's.
        given: B256,
    },
    /// The period was already invoiced.
    #[error("AlreadyInvoiced(period {period_id})")]
    AlreadyInvoiced {
        /// The period id.
        period_id: u64,
    },
    /// The invoice does not start from the current state.
    #[error("StaleState(expected {expected}, given {given})")]
    StaleState {
        /// The current state.
        expected: B256,
        /// The invoice's `state_before`.
        given: B256,
    },
    /// The proof does not verify (or is malformed).
    #[error("InvalidProof")]
    InvalidProof,
    /// A usage commitment that is not a scalar (not below the group order r).
    #[error("NotAScalar({value})")]
    NotAScalar {
        /// The value given.
        value: B256,
    },
    /// The sender of `recordPayment` is not the Buyer.
    #[error("NotTheBuyer({caller})")]
    NotTheBuyer {
        /// The sender.
        caller: Address,
    },
    /// The period has no invoice to pay.
    #[error("NotInvoiced(period {period_id})")]
    NotInvoiced {
        /// The period id.
        period_id: u64,
    },
    /// The period's invoice was already recorded paid.
    #[error("AlreadyPaid(period {period_id})")]
    AlreadyPaid {
        /// The period id.
        period_id: u64,
    },
    /// The period's invoice was not recorded paid.
    #[error("NotPaid(period {period_id})")]
    NotPaid {
        /// The period id.
        period_id: u64,
    },
    /// The period's payment was already recorded received.
    #[error("AlreadyReceived(period {period_id})")]
    AlreadyReceived {
        /// The period id.
        period_id: u64,
    },
    /// The receipt names another reference than the payment.
    #[error("OtherReference(period {period_id})")]
    OtherReference {
        /// The period id.
        period_id: u64,
    },
    /// The receipt is dated before the payment.
    #[error("ReceivedBeforePaid(period {period_id}, paid on day {paid_on}, received on day {received_on})")]
    ReceivedBeforePaid {
        /// The period id.
        period_id: u64,
        /// The day it was paid (days since 1970-01-01).
        paid_on: u32,
        /// The day given as received.
        received_on: u32,
    },
    /// The netting terms were already registered.
    #[error("NettingAlreadyRegistered")]
    NettingAlreadyRegistered,
    /// No netting terms are registered.
    #[error("NettingNotRegistered")]
    NettingNotRegistered,
    /// The proposed counterpart's Seller is not this Buyer, or its Buyer not this Seller.
    #[error("WrongCounterpart({counterpart})")]
    WrongCounterpart {
        /// The proposed counterpart anchor.
        counterpart: Address,
    },
    /// The counterpart has no invoice of the period.
    #[error("OtherNotInvoiced(period {period_id})")]
    OtherNotInvoiced {
        /// The period id.
        period_id: u64,
    },
    /// The netting's invoices are not the period's two invoices, the smaller first.
    #[error("WrongInvoices(expected {first}, {second})")]
    WrongInvoices {
        /// The first invoice commitment expected.
        first: B256,
        /// The second.
        second: B256,
    },
    /// The netting's period is not the period.
    #[error("WrongPeriod(period {period_id})")]
    WrongPeriod {
        /// The period id.
        period_id: u64,
    },
    /// The counterpart's invoice of the period was paid in full.
    #[error("OtherPaid(period {period_id})")]
    OtherPaid {
        /// The period id.
        period_id: u64,
    },
    /// The counterpart recorded another netting of the period.
    #[error("OtherNetting(period {period_id}, net {net_commitment})")]
    OtherNetting {
        /// The period id.
        period_id: u64,
        /// The net commitment the counterpart recorded.
        net_commitment: B256,
    },
    /// The period was already netted.
    #[error("AlreadyNetted(period {period_id})")]
    AlreadyNetted {
        /// The period id.
        period_id: u64,
    },
    /// The credit verifier was already registered.
    #[error("CreditAlreadyRegistered")]
    CreditAlreadyRegistered,
    /// No credit verifier is registered.
    #[error("CreditNotRegistered")]
    CreditNotRegistered,
    /// The period's SLA performance was already registered.
    #[error("SlaAlreadyRegistered(period {period_id})")]
    SlaAlreadyRegistered {
        /// The period id.
        period_id: u64,
    },
    /// No SLA performance is registered for the period.
    #[error("SlaNotRegistered(period {period_id})")]
    SlaNotRegistered {
        /// The period id.
        period_id: u64,
    },
    /// The credit note's SLA performance is not the one registered for the period.
    #[error("WrongSla(period {period_id}, expected {expected}, given {given})")]
    WrongSla {
        /// The period id.
        period_id: u64,
        /// The registered SLA performance.
        expected: B256,
        /// The note's.
        given: B256,
    },
    /// The credit note's invoice is not the period's invoice.
    #[error("WrongInvoice(period {period_id}, expected {expected}, given {given})")]
    WrongInvoice {
        /// The period id.
        period_id: u64,
        /// The period's invoice commitment.
        expected: B256,
        /// The note's.
        given: B256,
    },
    /// The period's invoice was already credited (a credited invoice is not netted either).
    #[error("AlreadyCredited(period {period_id})")]
    AlreadyCredited {
        /// The period id.
        period_id: u64,
    },
    /// The counterpart's invoice of the period is credited.
    #[error("OtherCredited(period {period_id})")]
    OtherCredited {
        /// The period id.
        period_id: u64,
    },
    /// The period has no credit note to carry.
    #[error("NoCreditNote(period {period_id})")]
    NoCreditNote {
        /// The period id.
        period_id: u64,
    },
    /// The period's credit note came before its invoice's payment: it applies to that invoice.
    #[error("CreditNotAfterPayment(period {period_id})")]
    CreditNotAfterPayment {
        /// The period id.
        period_id: u64,
    },
    /// The period's credit note was already carried.
    #[error("AlreadyCarried(period {period_id} to period {to_period})")]
    AlreadyCarried {
        /// The period id of the note.
        period_id: u64,
        /// The period it was carried to.
        to_period: u64,
    },
    /// The reconciliation verifier was already registered.
    #[error("ReconcileAlreadyRegistered")]
    ReconcileAlreadyRegistered,
    /// No reconciliation verifier is registered.
    #[error("ReconcileNotRegistered")]
    ReconcileNotRegistered,
    /// The party already recorded its measurement of the period.
    #[error("AlreadyMeasured(period {period_id}, {party})")]
    AlreadyMeasured {
        /// The period id.
        period_id: u64,
        /// The party.
        party: Address,
    },
    /// The measurement is not from the state the period's other measurement is from.
    #[error("OtherState(period {period_id}, measured from {measured_from})")]
    OtherState {
        /// The period id.
        period_id: u64,
        /// The state the other measurement is from.
        measured_from: B256,
    },
    /// The period's two measurements are not both recorded.
    #[error("NotMeasured(period {period_id})")]
    NotMeasured {
        /// The period id.
        period_id: u64,
    },
    /// The reconciliation's invoices are not the Seller's and the Buyer's measured ones.
    #[error("WrongMeasurements(seller {seller}, buyer {buyer})")]
    WrongMeasurements {
        /// The Seller's measured invoice commitment.
        seller: B256,
        /// The Buyer's.
        buyer: B256,
    },
    /// The period was already reconciled or disputed.
    #[error("AlreadyReconciled(period {period_id})")]
    AlreadyReconciled {
        /// The period id.
        period_id: u64,
    },
    /// The period is not disputed.
    #[error("NotDisputed(period {period_id})")]
    NotDisputed {
        /// The period id.
        period_id: u64,
    },
    /// The period's dispute was already resolved.
    #[error("AlreadyResolved(period {period_id})")]
    AlreadyResolved {
        /// The period id.
        period_id: u64,
    },
    /// The period is measured and neither reconciled nor disputed yet.
    #[error("NotReconciled(period {period_id})")]
    NotReconciled {
        /// The period id.
        period_id: u64,
    },
    /// The period's dispute is open.
    #[error("Disputed(period {period_id})")]
    Disputed {
        /// The period id.
        period_id: u64,
    },
    /// The usage is not the one the period's dispute was resolved on.
    #[error("NotTheResolution(period {period_id}, expected {expected}, given {given})")]
    NotTheResolution {
        /// The period id.
        period_id: u64,
        /// The usage commitment of the resolution.
        expected: B256,
        /// The one given.
        given: B256,
    },
    /// The period's partial usage was already registered.
    #[error("PartialAlreadyRegistered(period {period_id})")]
    PartialAlreadyRegistered {
        /// The period id.
        period_id: u64,
    },
    /// No partial usage is registered for the period.
    #[error("NoPartialUsage(period {period_id})")]
    NoPartialUsage {
        /// The period id.
        period_id: u64,
    },
    /// The period was already invoiced in part.
    #[error("AlreadyPartiallyInvoiced(period {period_id})")]
    AlreadyPartiallyInvoiced {
        /// The period id.
        period_id: u64,
    },
    /// The period was not invoiced in part.
    #[error("NotPartiallyInvoiced(period {period_id})")]
    NotPartiallyInvoiced {
        /// The period id.
        period_id: u64,
    },
    /// The period is invoiced in part: its invoices are not netted.
    #[error("NotWhole(period {period_id})")]
    NotWhole {
        /// The period id.
        period_id: u64,
    },
    /// The counterpart's period is invoiced in part.
    #[error("OtherNotWhole(period {period_id})")]
    OtherNotWhole {
        /// The period id.
        period_id: u64,
    },
}
