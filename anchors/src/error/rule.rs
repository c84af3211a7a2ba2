//! [`Rule`]: the rule of the log an entry breaks, with the values that break it.

use thiserror::Error;
use zkinvoice_verifier::{Fr, VerifyError};

use super::SignatureError;
use super::{CreditRule, NetRule, PartialRule, ReconcileRule, SettleRule};
use crate::short::{short, short_fr};

/// A rule of the log that an entry breaks, with the values that break it (checked by
/// [`crate::AnchorLog::append`], [`crate::AnchorLog::import_jsonl`] and on every replay).
///
/// Field elements are shown by their first 12 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Rule {
    /// The entry does not carry exactly one valid signature per role its kind requires, by the
    /// log's keys (checked before the other rules).
    #[error("signatures: {0}")]
    Signatures(SignatureError),
    /// An identifier (`msaId`, `shape`, `invoiceNumber`) that is empty, longer than 256 bytes,
    /// or has control characters or surrounding white space.
    #[error(
        "{field} {value:?} must be 1 to 256 bytes without control characters or surrounding white space"
    )]
    InvalidText {
        /// The body's field, e.g. `invoiceNumber`.
        field: &'static str,
        /// Its value.
        value: String,
    },
    /// A period date that is not a date `YYYY-MM-DD`.
    #[error("{field} {value:?} is not a date YYYY-MM-DD")]
    InvalidDate {
        /// `periodStart` or `periodEnd`.
        field: &'static str,
        /// Its value.
        value: String,
    },
    /// A period whose end is not after its start.
    #[error("period {start}..{end}: the end is not after the start")]
    EmptyPeriod {
        /// The first day.
        start: String,
        /// The first day after.
        end: String,
    },
    /// An `msa-agreed` entry for an MSA that is already anchored.
    #[error("MSA {} is already anchored (entry {seq})", short_fr(msa))]
    MsaAlreadyAnchored {
        /// The MSA commitment.
        msa: Fr,
        /// Its `msa-agreed` entry.
        seq: u64,
    },
    /// An `msa-agreed` verifying key that is not base64.
    #[error("vk is not base64 ({reason})")]
    VkNotBase64 {
        /// The decoder's reason.
        reason: String,
    },
    /// An `msa-agreed` `vkHash` that is not the SHA-256 of the key.
    #[error("vkHash {} is not the SHA-256 of vk ({})", short(given), short(actual))]
    VkHashMismatch {
        /// The `vkHash` given.
        given: String,
        /// The SHA-256 of the key's bytes (hex).
        actual: String,
    },
    /// An `msa-agreed` verifying key that does not decode.
    #[error("vk is not an invoice verifying key ({0})")]
    NotAVerifyingKey(VerifyError),
    /// An `msa-agreed` ceremony whose `transcriptHash` is not 64 lowercase hex digits.
    #[error("keySetup.transcriptHash {given:?} is not 64 lowercase hex digits")]
    InvalidTranscriptHash {
        /// The value given.
        given: String,
    },
    /// An `msa-agreed` ceremony with fewer than two distinct contributors: keys that one party
    /// made alone are anchored only as an explicit `single-party` setup.
    #[error(
        "keySetup: a ceremony needs two or more distinct contributors, this one names {contributors:?}; keys one party made alone are anchored only as {{\"kind\": \"single-party\"}}, which both parties sign"
    )]
    NotMultiParty {
        /// The contributors named.
        contributors: Vec<String>,
    },
    /// A `usage-agreed` `usageDetailRoot` that is not 64 hex digits.
    #[error("usageDetailRoot {value:?} is not 64 hex digits")]
    InvalidDetailRoot {
        /// Its value.
        value: String,
    },
    /// An entry about an MSA that has no `msa-agreed` entry.
    #[error("MSA {} is not anchored (no msa-agreed entry)", short_fr(msa))]
    MsaNotAnchored {
        /// The MSA commitment.
        msa: Fr,
    },
    /// A `usage-agreed` entry for a period whose usage is already agreed.
    #[error(
        "usage for MSA {} and period {period_start}..{period_end} is already agreed (entry {seq})",
        short_fr(msa)
    )]
    UsageAlreadyAgreed {
        /// The MSA commitment.
        msa: Fr,
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// The `usage-agreed` entry.
        seq: u64,
    },
    /// An `invoice-proved` entry for an invoice that is already anchored.
    #[error("invoice {} is already anchored (entry {seq})", short_fr(invoice))]
    InvoiceAlreadyAnchored {
        /// The invoice commitment.
        invoice: Fr,
        /// Its `invoice-proved` entry.
        seq: u64,
    },
    /// An `invoice-proved` entry for a period with no agreed usage.
    #[error(
        "no usage is agreed for MSA {} and period {period_start}..{period_end}",
        short_fr(msa)
    )]
    UsageNotAgreed {
        /// The MSA commitment.
        msa: Fr,
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
    },
    /// An `invoice-proved` entry whose usage commitment is not the one agreed for its period.
    #[error(
        "usage commitment {} is not the usage agreed for {period_start}..{period_end} ({}, entry {seq})",
        short_fr(given),
        short_fr(agreed)
    )]
    WrongUsage {
        /// The usage commitment given.
        given: Fr,
        /// The one agreed.
        agreed: Fr,
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// The `usage-agreed` entry.
        seq: u64,
    },
    /// An `invoice-proved` entry whose `state_before` is an earlier invoice's `state_before`
    /// (a replay of a consumed state).
    #[error(
        "state already used: state_before {} was the state_before of entry {by}; the MSA's latest state is {}",
        short_fr(given),
        short_fr(latest)
    )]
    StateAlreadyUsed {
        /// The `state_before` given.
        given: Fr,
        /// The `invoice-proved` entry that started from it.
        by: u64,
        /// The MSA's latest state.
        latest: Fr,
    },
    /// An `invoice-proved` entry whose `state_before` is not the MSA's latest state.
    #[error(
        "stale state: state_before {} is not the MSA's latest state {}",
        short_fr(given),
        short_fr(expected)
    )]
    StaleState {
        /// The MSA's latest state.
        expected: Fr,
        /// The `state_before` given.
        given: Fr,
    },
    /// An `invoice-proved` entry for a period whose usage is already invoiced.
    #[error("the usage of {period_start}..{period_end} is already invoiced (entry {seq})")]
    AlreadyInvoiced {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// The `invoice-proved` entry that invoiced it.
        seq: u64,
    },
    /// An `invoice-proved` entry whose `state_after` is already a state of the MSA (the chain
    /// of states would loop).
    #[error("state_after {} is already an anchored state of the MSA", short_fr(state))]
    StateAfterAnchored {
        /// The `state_after` given.
        state: Fr,
    },
    /// An `invoice-proved` proof that does not decode.
    #[error("{0}")]
    MalformedProof(VerifyError),
    /// An `invoice-proved` proof that does not verify under the MSA's key.
    #[error(
        "the proof does not verify under the MSA's verifying key {} for invoice {}",
        short(key_hash),
        short_fr(invoice)
    )]
    ProofDoesNotVerify {
        /// The hash of the MSA's verifying key (hex).
        key_hash: String,
        /// The invoice commitment.
        invoice: Fr,
    },
    /// An `invoice-rejected` entry without a reason.
    #[error("a rejection must give a reason")]
    NoRejectionReason,
    /// A decision on an invoice that has no `invoice-proved` entry.
    #[error("invoice {} is not anchored (no invoice-proved entry)", short_fr(invoice))]
    InvoiceNotAnchored {
        /// The invoice commitment.
        invoice: Fr,
    },
    /// A decision naming an invoice under another MSA than the one it was proved for.
    #[error(
        "invoice {} belongs to MSA {}, not {}",
        short_fr(invoice),
        short_fr(msa),
        short_fr(given)
    )]
    InvoiceOfAnotherMsa {
        /// The invoice commitment.
        invoice: Fr,
        /// The MSA it was proved for.
        msa: Fr,
        /// The MSA the decision names.
        given: Fr,
    },
    /// A decision on an invoice already accepted.
    #[error("invoice {} is already accepted (entry {seq})", short_fr(invoice))]
    AlreadyAccepted {
        /// The invoice commitment.
        invoice: Fr,
        /// The `invoice-accepted` entry.
        seq: u64,
    },
    /// A decision on an invoice already rejected.
    #[error("invoice {} is already rejected (entry {seq})", short_fr(invoice))]
    AlreadyRejected {
        /// The invoice commitment.
        invoice: Fr,
        /// The `invoice-rejected` entry.
        seq: u64,
    },
    /// A rule of the reconciliation's entries (`docs/lifecycle.md`).
    #[error(transparent)]
    Reconcile(#[from] ReconcileRule),
    /// A rule of the settlement's entries (`docs/lifecycle.md`).
    #[error(transparent)]
    Settle(#[from] SettleRule),
    /// A rule of the netting's entries (`docs/lifecycle.md`).
    #[error(transparent)]
    Net(#[from] NetRule),
    /// A rule of the SLA credits' entries (`docs/lifecycle.md`).
    #[error(transparent)]
    Credit(#[from] CreditRule),
    /// A rule of a disputed period's partial invoice (`docs/lifecycle.md`).
    #[error(transparent)]
    Partial(#[from] PartialRule),
}
