//! [`Corruption`]: why a stored entry does not check.

use std::str::Utf8Error;

use thiserror::Error;
use zkinvoice_verifier::VerifyError;

use super::{Rule, SignatureError};
use crate::short::short;

/// Why a stored entry does not check (found on a replay: a read, an append, an import, a
/// verification or an audit).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Corruption {
    /// The entry is missing: the next stored row has a later `seq`.
    #[error("missing: the next stored entry is {next}")]
    Missing {
        /// The next stored row's `seq`.
        next: i64,
    },
    /// Entries this copy had written are gone: its record of written entries reaches `last`,
    /// its rows end before this `seq` (rows deleted from the file behind the log's back).
    #[error("removed: this copy had written entries up to {last}, its rows end before this one")]
    Removed {
        /// The last entry the copy had written.
        last: u64,
    },
    /// A stored entry whose hash is not the one recorded when it was written: the row was
    /// replaced.
    #[error(
        "its hash is not the one recorded when it was written ({}): the row was replaced",
        hex::encode(written)
    )]
    NotAsWritten {
        /// The hash recorded when the entry was written.
        written: [u8; 32],
    },
    /// A row whose `seq` comes before the one expected.
    #[error("seq {seq} is out of order")]
    OutOfOrder {
        /// The row's `seq`.
        seq: i64,
    },
    /// A row whose `seq` is zero or negative.
    #[error("seq {seq} is not positive")]
    SeqNotPositive {
        /// The row's `seq`.
        seq: i64,
    },
    /// A column that is NULL.
    #[error("{column} is NULL")]
    Null {
        /// The column.
        column: &'static str,
    },
    /// A column that holds a number, not text or bytes.
    #[error("{column} is a number, not text or bytes")]
    Number {
        /// The column.
        column: &'static str,
    },
    /// A hash column that is not 32 bytes.
    #[error("{column} has {len} bytes, not 32")]
    HashLength {
        /// `hash` or `prev_hash`.
        column: &'static str,
        /// Its length.
        len: usize,
    },
    /// A text column that is not UTF-8.
    #[error("{column} is not UTF-8 ({reason})")]
    NotUtf8 {
        /// The column.
        column: &'static str,
        /// The decoder's reason.
        reason: Utf8Error,
    },
    /// A body that does not parse.
    #[error("body does not parse ({reason})")]
    BodyDoesNotParse {
        /// The parser's reason.
        reason: String,
    },
    /// A body that parses but is not stored in canonical form.
    #[error("body is not in canonical form (the stored text was altered)")]
    BodyNotCanonical,
    /// A `kind` column that is not the body's kind.
    #[error("kind {kind:?} is not the body's kind {body:?}")]
    KindMismatch {
        /// The `kind` column.
        kind: String,
        /// The body's kind.
        body: &'static str,
    },
    /// Signatures that do not parse.
    #[error("signatures do not parse ({reason})")]
    SignaturesDoNotParse {
        /// The parser's reason.
        reason: String,
    },
    /// Signatures that parse but are not stored in canonical form.
    #[error("signatures are not in canonical form (the stored text was altered)")]
    SignaturesNotCanonical,
    /// A `prev_hash` that is not the previous entry's hash.
    #[error(
        "prev_hash {} does not link to entry {previous}'s hash {}",
        hex::encode(prev_hash),
        hex::encode(hash)
    )]
    BrokenLink {
        /// The stored `prev_hash`.
        prev_hash: [u8; 32],
        /// The previous entry's `seq`.
        previous: u64,
        /// The previous entry's hash.
        hash: [u8; 32],
    },
    /// The previous entry's hash cannot be read, so the link cannot be checked.
    #[error("entry {previous} before it has no readable hash")]
    UnreadablePrevious {
        /// The previous entry's `seq`.
        previous: u64,
    },
    /// A stored hash that is not the hash of the entry.
    #[error(
        "the stored hash {} does not recompute ({})",
        hex::encode(stored),
        hex::encode(computed)
    )]
    HashMismatch {
        /// The stored hash.
        stored: [u8; 32],
        /// The entry's hash.
        computed: [u8; 32],
    },
    /// Signatures that are refused.
    #[error("signatures: {0}")]
    Signatures(SignatureError),
    /// An entry that breaks a rule of the log.
    #[error("{kind} breaks a rule: {rule}")]
    Rule {
        /// The body's kind.
        kind: &'static str,
        /// The rule (boxed, see [`super::AnchorError::Refused`]).
        rule: Box<Rule>,
    },
    /// An `invoice-proved` proof that an audit found does not verify (batched or one by one).
    #[error(
        "invoice-proved: the proof does not verify under the MSA's verifying key {}",
        short(key_hash)
    )]
    ProofFails {
        /// The hash of the MSA's verifying key (hex).
        key_hash: String,
    },
    /// An `invoice-proved` proof that an audit could not check.
    #[error("invoice-proved: {0}")]
    ProofUnchecked(VerifyError),
}
