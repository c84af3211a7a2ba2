//! [`PartialRule`]: the rules of a disputed period's partial invoice an entry breaks
//! (`rules::partial`), with the values that break them.

use thiserror::Error;
use zkinvoice_verifier::Fr;

use crate::short::short_fr;

/// A rule of the partial invoice's entries (`usage-partial`, `invoice-partial`) that an entry
/// breaks, as [`super::Rule::Partial`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PartialRule {
    /// A partial usage or invoice of a period without an open dispute.
    #[error(
        "{period_start}..{period_end} has no open dispute ({status}): only a disputed period is invoiced in part"
    )]
    NotDisputed {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// What the period is: `not measured`, `measured, not reconciled`, `reconciled at entry
        /// N`, `resolved at entry N`.
        status: String,
    },
    /// A second partial usage of a period.
    #[error("{period_start}..{period_end} already has a partial usage (entry {seq})")]
    PartialAlreadyAgreed {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// The `usage-partial` entry.
        seq: u64,
    },
    /// A partial invoice of a period without a partial usage.
    #[error("{period_start}..{period_end} has no partial usage (no usage-partial entry)")]
    NoPartialUsage {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
    },
    /// A partial invoice of another usage than the period's partial usage.
    #[error(
        "usage {} is not the period's partial usage {} (entry {seq})",
        short_fr(given),
        short_fr(agreed)
    )]
    NotThePartialUsage {
        /// The invoice's usage commitment.
        given: Fr,
        /// The partial usage's.
        agreed: Fr,
        /// The `usage-partial` entry.
        seq: u64,
    },
    /// A second partial invoice of a period.
    #[error("{period_start}..{period_end} is already invoiced in part (entry {seq})")]
    AlreadyPartiallyInvoiced {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// The `invoice-partial` entry.
        seq: u64,
    },
    /// A credit note or netting of a partial invoice, or a netting of the final invoice of a
    /// period invoiced in part.
    #[error(
        "invoice {} is {what} (entry {seq}): nettings take whole invoices only, credit notes whole or final ones",
        short_fr(invoice)
    )]
    NotWhole {
        /// The invoice commitment.
        invoice: Fr,
        /// `a partial invoice` or `the final invoice of a period invoiced in part`.
        what: &'static str,
        /// The partial invoice's `invoice-partial` entry.
        seq: u64,
    },
}
