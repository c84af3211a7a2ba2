//! The anchor's ABI errors turned into [`ContractError`], one arm per error.

use super::contracts::InvoiceAnchor;
use crate::error::ContractError;

impl From<InvoiceAnchor::InvoiceAnchorErrors> for ContractError {
    /// The anchor's error with its arguments.
    // One arm per error of the contract, flat: splitting it would need an unreachable arm.
    #[allow(clippy::too_many_lines)]
    fn from(error: InvoiceAnchor::InvoiceAnchorErrors) -> Self {
        use InvoiceAnchor::InvoiceAnchorErrors as E;
        match error {
            E::NotAParty(x) => Self::NotAParty { caller: x.caller },
            E::NotTheSeller(x) => Self::NotTheSeller { caller: x.caller },
            E::InvalidParties(_) => Self::InvalidParties,
            E::ZeroValue(_) => Self::ZeroValue,
            E::MsaAlreadyRegistered(_) => Self::MsaAlreadyRegistered,
            E::MsaNotRegistered(_) => Self::MsaNotRegistered,
            E::WrongVerifyingKey(x) => Self::WrongVerifyingKey {
                expected: x.expected,
                given: x.given,
            },
            E::WrongKeySetup(x) => Self::WrongKeySetup {
                expected: x.expected,
                given: x.given,
            },
            E::UsageAlreadyRegistered(x) => Self::UsageAlreadyRegistered {
                period_id: x.periodId,
            },
            E::UsageNotRegistered(x) => Self::UsageNotRegistered {
                period_id: x.periodId,
            },
            E::WrongMsa(x) => Self::WrongMsa {
                expected: x.expected,
                given: x.given,
            },
            E::WrongUsage(x) => Self::WrongUsage {
                period_id: x.periodId,
                expected: x.expected,
                given: x.given,
            },
            E::AlreadyInvoiced(x) => Self::AlreadyInvoiced {
                period_id: x.periodId,
            },
            E::StaleState(x) => Self::StaleState {
                expected: x.expected,
                given: x.given,
            },
            E::InvalidProof(_) => Self::InvalidProof,
            E::NotAScalar(x) => Self::NotAScalar { value: x.value },
            E::NotTheBuyer(x) => Self::NotTheBuyer { caller: x.caller },
            E::NotInvoiced(x) => Self::NotInvoiced {
                period_id: x.periodId,
            },
            E::AlreadyPaid(x) => Self::AlreadyPaid {
                period_id: x.periodId,
            },
            E::NotPaid(x) => Self::NotPaid {
                period_id: x.periodId,
            },
            E::AlreadyReceived(x) => Self::AlreadyReceived {
                period_id: x.periodId,
            },
            E::OtherReference(x) => Self::OtherReference {
                period_id: x.periodId,
            },
            E::ReceivedBeforePaid(x) => Self::ReceivedBeforePaid {
                period_id: x.periodId,
                paid_on: x.paidOn,
                received_on: x.receivedOn,
            },
            E::NettingAlreadyRegistered(_) => Self::NettingAlreadyRegistered,
            E::NettingNotRegistered(_) => Self::NettingNotRegistered,
            E::WrongCounterpart(x) => Self::WrongCounterpart {
                counterpart: x.counterpart,
            },
            E::OtherNotInvoiced(x) => Self::OtherNotInvoiced {
                period_id: x.periodId,
            },
            E::WrongInvoices(x) => Self::WrongInvoices {
                first: x.first,
                second: x.second,
            },
            E::WrongPeriod(x) => Self::WrongPeriod {
                period_id: x.periodId,
            },
            E::OtherPaid(x) => Self::OtherPaid {
                period_id: x.periodId,
            },
            E::OtherNetting(x) => Self::OtherNetting {
                period_id: x.periodId,
                net_commitment: x.netCommitment,
            },
            E::AlreadyNetted(x) => Self::AlreadyNetted {
                period_id: x.periodId,
            },
            E::CreditAlreadyRegistered(_) => Self::CreditAlreadyRegistered,
            E::CreditNotRegistered(_) => Self::CreditNotRegistered,
            E::SlaAlreadyRegistered(x) => Self::SlaAlreadyRegistered {
                period_id: x.periodId,
            },
            E::SlaNotRegistered(x) => Self::SlaNotRegistered {
                period_id: x.periodId,
            },
            E::WrongSla(x) => Self::WrongSla {
                period_id: x.periodId,
                expected: x.expected,
                given: x.given,
            },
            E::WrongInvoice(x) => Self::WrongInvoice {
                period_id: x.periodId,
                expected: x.expected,
                given: x.given,
            },
            E::AlreadyCredited(x) => Self::AlreadyCredited {
                period_id: x.periodId,
            },
            E::OtherCredited(x) => Self::OtherCredited {
                period_id: x.periodId,
            },
            E::NoCreditNote(x) => Self::NoCreditNote {
                period_id: x.periodId,
            },
            E::CreditNotAfterPayment(x) => Self::CreditNotAfterPayment {
                period_id: x.periodId,
            },
            E::AlreadyCarried(x) => Self::AlreadyCarried {
                period_id: x.periodId,
                to_period: x.toPeriod,
            },
            E::ReconcileAlreadyRegistered(_) => Self::ReconcileAlreadyRegistered,
            E::ReconcileNotRegistered(_) => Self::ReconcileNotRegistered,
            E::AlreadyMeasured(x) => Self::AlreadyMeasured {
                period_id: x.periodId,
                party: x.party,
            },
            E::OtherState(x) => Self::OtherState {
                period_id: x.periodId,
                measured_from: x.measuredFrom,
            },
            E::NotMeasured(x) => Self::NotMeasured {
                period_id: x.periodId,
            },
            E::WrongMeasurements(x) => Self::WrongMeasurements {
                seller: x.seller,
                buyer: x.buyer,
            },
            E::AlreadyReconciled(x) => Self::AlreadyReconciled {
                period_id: x.periodId,
            },
            E::NotDisputed(x) => Self::NotDisputed {
                period_id: x.periodId,
            },
            E::AlreadyResolved(x) => Self::AlreadyResolved {
                period_id: x.periodId,
            },
            E::NotReconciled(x) => Self::NotReconciled {
                period_id: x.periodId,
            },
            E::Disputed(x) => Self::Disputed {
                period_id: x.periodId,
            },
            E::NotTheResolution(x) => Self::NotTheResolution {
                period_id: x.periodId,
                expected: x.expected,
                given: x.given,
            },
            E::PartialAlreadyRegistered(x) => Self::PartialAlreadyRegistered {
                period_id: x.periodId,
            },
            E::NoPartialUsage(x) => Self::NoPartialUsage {
                period_id: x.periodId,
            },
            E::AlreadyPartiallyInvoiced(x) => Self::AlreadyPartiallyInvoiced {
                period_id: x.periodId,
            },
            E::NotPartiallyInvoiced(x) => Self::NotPartiallyInvoiced {
                period_id: x.periodId,
            },
            E::NotWhole(x) => Self::NotWhole {
                period_id: x.periodId,
            },
            E::OtherNotWhole(x) => Self::OtherNotWhole {
                period_id: x.periodId,
            },
        }
    }
}
