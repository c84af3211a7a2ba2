//! [`CreditRule`]: the SLA credits' rules an entry breaks (`rules::credit`), with the values that
//! break them.

use thiserror::Error;
use zkinvoice_verifier::Fr;

use crate::short::{short, short_fr};

/// A rule of `sla-agreed` or `credit-note` that an entry breaks, as [`super::Rule::Credit`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CreditRule {
    /// A second `sla-agreed` of a period.
    #[error("the SLA performance of {period_start}..{period_end} is already agreed (entry {seq})")]
    SlaAlreadyAgreed {
        /// First day of the period.
        period_start: String,
        /// First day after it.
        period_end: String,
        /// The `sla-agreed` entry.
        seq: u64,
    },
    /// A credit note of a period whose SLA performance is not agreed.
    #[error("the SLA performance of {period_start}..{period_end} is not agreed (no sla-agreed entry)")]
    NoSlaAgreed {
        /// First day of the period.
        period_start: String,
        /// First day after it.
        period_end: String,
    },
    /// A credit note under an MSA that agreed no credit key.
    #[error(
        "MSA {} agreed no key of zkinvoice/credit/v1 (no statement-key-agreed entry)",
        short_fr(msa)
    )]
    NoCreditKey {
        /// The MSA commitment.
        msa: Fr,
    },
    /// A credit note of a rejected invoice.
    #[error(
        "invoice {} is rejected (entry {seq}): there is nothing to credit",
        short_fr(invoice)
    )]
    Rejected {
        /// The invoice commitment.
        invoice: Fr,
        /// The `invoice-rejected` entry.
        seq: u64,
    },
    /// A second credit note of an invoice.
    #[error("invoice {} is already credited (entry {seq})", short_fr(invoice))]
    AlreadyCredited {
        /// The invoice commitment.
        invoice: Fr,
        /// The `credit-note` entry.
        seq: u64,
    },
    /// A credit note of an invoice already netted, or a note carried to an invoice already paid
    /// or netted: the credit comes before the settlement.
    #[error(
        "invoice {} is already {what} (entry {seq}): a credit comes before",
        short_fr(invoice)
    )]
    AlreadySettled {
        /// The invoice commitment.
        invoice: Fr,
        /// `paid` or `netted`.
        what: &'static str,
        /// The `payment` or `invoices-netted` entry.
        seq: u64,
    },
    /// A credit carried forward of a note the log does not record.
    #[error("no credit note {} is anchored (no credit-note entry)", short_fr(credit))]
    NoSuchNote {
        /// The note's commitment.
        credit: Fr,
    },
    /// A credit carried forward of a note recorded before its invoice was paid: it applies to
    /// that invoice.
    #[error(
        "credit note {} was recorded before invoice {} was paid: it applies to that invoice, it is not carried",
        short_fr(credit),
        short_fr(invoice)
    )]
    NotCarried {
        /// The note's commitment.
        credit: Fr,
        /// The invoice it credits.
        invoice: Fr,
    },
    /// A credit note carried forward twice.
    #[error("credit note {} is already carried (entry {seq})", short_fr(credit))]
    AlreadyCarried {
        /// The note's commitment.
        credit: Fr,
        /// The `credit-carried` entry.
        seq: u64,
    },
    /// A credit-note proof that does not verify.
    #[error(
        "the credit-note proof does not verify under the MSA's key {} for the invoice, the period's agreed SLA performance and the note",
        short(key_hash)
    )]
    CreditProofDoesNotVerify {
        /// The hash of the credit key (hex).
        key_hash: String,
    },
}
