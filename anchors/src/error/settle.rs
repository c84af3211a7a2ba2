//! [`SettleRule`]: the settlement's rules an entry breaks (`rules::settle`), with the values that
//! break them.

use thiserror::Error;
use zkinvoice_verifier::Fr;

use crate::short::short_fr;

/// A rule of the settlement's entries (`payment`, `payment-received`) that an entry breaks, as
/// [`super::Rule::Settle`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SettleRule {
    /// A payment of an invoice the Buyer has not accepted.
    #[error(
        "invoice {} is not accepted by the Buyer ({status}): only an accepted invoice is paid",
        short_fr(invoice)
    )]
    NotAccepted {
        /// The invoice commitment.
        invoice: Fr,
        /// What it is: `proved, not decided` or `rejected at entry N`.
        status: String,
    },
    /// A second payment of an invoice.
    #[error("invoice {} is already paid (entry {seq})", short_fr(invoice))]
    AlreadyPaid {
        /// The invoice commitment.
        invoice: Fr,
        /// The `payment` entry.
        seq: u64,
    },
    /// A payment of an invoice netted against one of the opposite bilateral (its net is paid
    /// instead).
    #[error(
        "invoice {} is netted (entry {seq}): its net is paid, not the invoice",
        short_fr(invoice)
    )]
    Netted {
        /// The invoice commitment.
        invoice: Fr,
        /// The `invoices-netted` entry.
        seq: u64,
    },
    /// A receipt of an invoice that has no payment.
    #[error("invoice {} has no payment (no payment entry)", short_fr(invoice))]
    NotPaid {
        /// The invoice commitment.
        invoice: Fr,
    },
    /// A second receipt of a payment.
    #[error(
        "the payment of invoice {} is already received (entry {seq})",
        short_fr(invoice)
    )]
    AlreadyReceived {
        /// The invoice commitment.
        invoice: Fr,
        /// The `payment-received` entry.
        seq: u64,
    },
    /// A receipt naming another reference than the payment's.
    #[error("reference {given:?} is not the payment's ({paid:?}, entry {seq})")]
    OtherReference {
        /// The reference the receipt gives.
        given: String,
        /// The payment's.
        paid: String,
        /// The `payment` entry.
        seq: u64,
    },
    /// A receipt dated before its payment.
    #[error("received on {received_on}, before the payment of {paid_on} (entry {seq})")]
    ReceivedBeforePaid {
        /// The receipt's day.
        received_on: String,
        /// The payment's day.
        paid_on: String,
        /// The `payment` entry.
        seq: u64,
    },
}
