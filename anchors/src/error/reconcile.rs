//! [`ReconcileRule`]: the reconciliation's rules an entry breaks (`rules::reconcile`), with the
//! values that break them.

use thiserror::Error;
use zkinvoice_verifier::{partition::reconcile::ReconcileProofError, Fr, VerifyError};

use crate::role::Role;
use crate::short::{short, short_fr};

/// A rule of the reconciliation's entries that an entry breaks (`statement-key-agreed`,
/// `usage-measured`, `usage-reconciled`, `dispute-opened`, `dispute-resolved`, and the
/// `usage-agreed` of a measured period), as [`super::Rule::Reconcile`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReconcileRule {
    /// A `statement-key-agreed` entry for a statement the log does not know.
    #[error("statement {given:?} is not one the log knows (zkinvoice/reconcile/v1, zkinvoice/reconcile/v2, zkinvoice/netting/v1, zkinvoice/netting/v2, zkinvoice/credit/v1)")]
    UnknownStatement {
        /// The statement given.
        given: String,
    },
    /// A `statement-key-agreed` key that does not decode as a key of its statement.
    #[error("vk is not a verifying key of {statement} ({error})")]
    NotAStatementKey {
        /// The statement.
        statement: String,
        /// Why.
        error: VerifyError,
    },
    /// A `statement-key-agreed` entry for a statement whose key the MSA already agreed.
    #[error("the MSA already agreed a key of {statement} (entry {seq})")]
    StatementKeyAlreadyAgreed {
        /// The statement.
        statement: String,
        /// The `statement-key-agreed` entry.
        seq: u64,
    },
    /// A measurement or reconciliation under an MSA that agreed no reconciliation key.
    #[error(
        "MSA {} agreed no key of zkinvoice/reconcile/v1 (no statement-key-agreed entry)",
        short_fr(msa)
    )]
    NoReconcileKey {
        /// The MSA commitment.
        msa: Fr,
    },
    /// A second `usage-measured` entry of one party for a period.
    #[error("the {by} already measured {period_start}..{period_end} (entry {seq})")]
    AlreadyMeasured {
        /// Who measured.
        by: Role,
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// The `usage-measured` entry.
        seq: u64,
    },
    /// A reconciliation of a period that a party has not measured.
    #[error("the {by} has not measured {period_start}..{period_end} (no usage-measured entry)")]
    NotMeasured {
        /// The party whose measurement is missing.
        by: Role,
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
    },
    /// A reconciliation or dispute of a period already reconciled, disputed or resolved.
    #[error("{period_start}..{period_end} is already {what} (entry {seq})")]
    AlreadyReconciled {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// `reconciled`, `disputed` or `resolved`.
        what: &'static str,
        /// That entry.
        seq: u64,
    },
    /// A `dispute-opened` entry over no threshold.
    #[error("a dispute must be over some threshold (over is 0: use usage-reconciled)")]
    EmptyDispute,
    /// A reconciliation proof that does not verify under the MSA's reconciliation key.
    #[error(
        "the reconciliation proof does not verify under the MSA's key {} for the two measurements and over = {}",
        short(key_hash),
        short_fr(over)
    )]
    ReconcileProofDoesNotVerify {
        /// The hash of the reconciliation key (hex).
        key_hash: String,
        /// The `over` input.
        over: Fr,
    },
    /// A reconciliation key of the other protocol than the MSA's: `zkinvoice/reconcile/v1` for a
    /// v1 MSA, `zkinvoice/reconcile/v2` for a partitioned one.
    #[error("{statement} does not reconcile the invoices of {} MSA", if *partitioned { "a partitioned" } else { "a v1" })]
    ReconcileKeyOfAnotherProtocol {
        /// The statement given.
        statement: String,
        /// Whether the MSA is partitioned.
        partitioned: bool,
    },
    /// A reconciliation of partitioned invoices whose proof is of another period than the entry's.
    #[error("the reconciliation proof is of another period than {period_start}..{period_end}")]
    ProofOfAnotherPeriod {
        /// The entry's period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
    },
    /// A `usage-reconciled` entry whose proof's verdict is over some threshold.
    #[error("the reconciliation proof's verdict is over some threshold: use dispute-opened")]
    ProvenOver,
    /// A `dispute-opened` entry whose proof's verdict is within every threshold.
    #[error("the reconciliation proof's verdict is within every threshold: use usage-reconciled")]
    ProvenWithin,
    /// A `dispute-opened` entry of partitioned invoices whose `over` is not its proof's verdict's
    /// digest.
    #[error(
        "over {} is not the digest of the proof's verdict ({})",
        short_fr(over),
        short_fr(verdict)
    )]
    OverNotTheVerdict {
        /// The entry's `over`.
        over: Fr,
        /// The digest of the proof's verdict.
        verdict: Fr,
    },
    /// A reconciliation of partitioned invoices that does not verify under the MSA's keys for
    /// its two measurements.
    #[error(
        "the reconciliation proof does not verify under the MSA's keys {} for the two measurements: {error}",
        short(key_hash)
    )]
    PartitionedProofDoesNotVerify {
        /// The hash of the key set (hex).
        key_hash: String,
        /// What failed.
        error: ReconcileProofError,
    },
    /// A `dispute-resolved` entry for a period with no open dispute.
    #[error("{period_start}..{period_end} has no open dispute")]
    NoOpenDispute {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
    },
    /// A `dispute-resolved` entry without a resolution.
    #[error("a resolution must say how the dispute was resolved")]
    NoResolution,
    /// A `usage-agreed` entry for a measured period that is not reconciled yet.
    #[error(
        "{period_start}..{period_end} was measured by the parties and is not reconciled (no usage-reconciled or dispute-resolved entry)"
    )]
    NotReconciled {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
    },
    /// A `usage-agreed` entry for a period whose dispute is open.
    #[error("{period_start}..{period_end} is disputed (entry {seq}) and not resolved")]
    DisputeOpen {
        /// The period's first day.
        period_start: String,
        /// The first day after it.
        period_end: String,
        /// The `dispute-opened` entry.
        seq: u64,
    },
    /// A `usage-agreed` entry whose usage is not the one its period's dispute was resolved on.
    #[error(
        "usage commitment {} is not the usage the dispute was resolved on ({}, entry {seq})",
        short_fr(given),
        short_fr(resolved)
    )]
    NotTheResolvedUsage {
        /// The usage commitment given.
        given: Fr,
        /// The one resolved on.
        resolved: Fr,
        /// The `dispute-resolved` entry.
        seq: u64,
    },
    /// A `usage-measured` entry rated from another state than the MSA's latest.
    #[error(
        "the measurement is rated from state {}, not the MSA's latest state {}",
        short_fr(given),
        short_fr(latest)
    )]
    MeasuredFromAnotherState {
        /// The `state_before` given.
        given: Fr,
        /// The MSA's latest state.
        latest: Fr,
    },
    /// A reconciliation of two measurements rated from different states.
    #[error(
        "the Seller's measurement is rated from state {} and the Buyer's from {}: measure again from one state",
        short_fr(seller),
        short_fr(buyer)
    )]
    MeasuredFromDifferentStates {
        /// The Seller's `state_before`.
        seller: Fr,
        /// The Buyer's.
        buyer: Fr,
    },
}
