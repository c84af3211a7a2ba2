//! [`ImportError`]: why an import line is refused.

use thiserror::Error;

use super::{Rule, SignatureError};

/// Why a line of another copy's export cannot be imported (see
/// [`crate::AnchorLog::import_jsonl`]).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The line cannot be read.
    #[error("cannot be read ({reason})")]
    Unreadable {
        /// The reader's reason.
        reason: String,
    },
    /// The line is not an entry's JSON.
    #[error("not an entry ({reason})")]
    NotAnEntry {
        /// The parser's reason.
        reason: String,
    },
    /// The entry's hash is not the hash of its fields.
    #[error(
        "its hash {} does not recompute ({})",
        hex::encode(stored),
        hex::encode(computed)
    )]
    HashMismatch {
        /// The hash on the line.
        stored: [u8; 32],
        /// The entry's hash.
        computed: [u8; 32],
    },
    /// An entry numbered 0.
    #[error("seq 0: entries are numbered from 1")]
    SeqZero,
    /// An entry after the next one: the lines between are missing or out of order.
    #[error(
        "a gap: the log ends at entry {len}, so the next entry is {}; import the entries in order",
        len + 1
    )]
    Gap {
        /// The local log's length.
        len: u64,
    },
    /// The next entry's `prev_hash` is not the local head's hash.
    #[error(
        "prev_hash {} does not link to the local head {}",
        hex::encode(prev_hash),
        hex::encode(head)
    )]
    BrokenLink {
        /// The entry's `prev_hash`.
        prev_hash: [u8; 32],
        /// The local head's hash (zero for an empty log).
        head: [u8; 32],
    },
    /// The entry's signatures are refused.
    #[error("signatures: {0}")]
    Signatures(SignatureError),
    /// The entry breaks a rule of the log.
    #[error("{kind} refused: {rule}")]
    Refused {
        /// The body's kind.
        kind: &'static str,
        /// The rule (boxed, see [`super::AnchorError::Refused`]).
        rule: Box<Rule>,
    },
}
