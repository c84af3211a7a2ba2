//! The crate's one error type.

use std::path::PathBuf;

use thiserror::Error;

/// Why an anchor log, a key, a proposal or an entry was refused.
///
/// Every message names what it is about (the file, the entry's `seq`, the import line) and the
/// reason, e.g. `entry 4 (invoice-proved) refused: stale state: ...`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnchorError {
    /// A file cannot be read, created or written.
    #[error("{}: {reason}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The SQLite database refused an operation (locked past the busy timeout, disk full, a
    /// trigger, ...).
    #[error("anchor log database: {context}: {reason}")]
    Database {
        /// What was being done.
        context: String,
        /// SQLite's message.
        reason: String,
    },
    /// A file that is not an anchor log of this format (missing tables, unknown format version,
    /// missing or malformed party keys).
    #[error("{} is not a zkinvoice anchor log: {reason}", path.display())]
    NotALog {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A party key that cannot be decoded.
    #[error("party key: {reason}")]
    Key {
        /// Why.
        reason: String,
    },
    /// Text or bytes that cannot be decoded: a proposal, a body, a signature.
    #[error("{what} is malformed: {reason}")]
    Malformed {
        /// What was being decoded.
        what: String,
        /// Why.
        reason: String,
    },
    /// A proposal whose signatures are not exactly the valid signatures of the roles its kind
    /// requires, by the log's party keys (checked before it has a `seq`).
    #[error("the {kind} proposal's signatures are refused: {reason}")]
    Signatures {
        /// The body's kind, e.g. `usage-agreed`.
        kind: String,
        /// Why.
        reason: String,
    },
    /// A proposal that would have been entry `seq`, refused by a signature or log rule; nothing
    /// was written.
    #[error("entry {seq} ({kind}) refused: {reason}")]
    Refused {
        /// The `seq` the entry would have had.
        seq: u64,
        /// The body's kind.
        kind: String,
        /// The rule and the values that broke it.
        reason: String,
    },
    /// A stored entry that does not check: the first one found (see [`crate::AnchorLog::verify_log`]).
    #[error("entry {seq} is corrupt: {reason}")]
    Corrupt {
        /// The entry's `seq` (for a missing entry, the `seq` that is missing).
        seq: u64,
        /// Why.
        reason: String,
    },
    /// An import whose entry `seq` differs from the local entry at the same `seq`: the two copies
    /// of the log diverge. Nothing was imported.
    #[error(
        "the copies diverge at entry {seq}: the local entry has hash {local}, the imported one {imported}"
    )]
    Fork {
        /// The first `seq` at which the copies differ.
        seq: u64,
        /// The local entry's hash (hex).
        local: String,
        /// The imported entry's hash (hex).
        imported: String,
    },
    /// An import line that cannot be imported (malformed, a gap, a broken link or hash, bad
    /// signatures, a rule). Nothing was imported.
    #[error("import line {line}{}: {reason}", seq.map(|s| format!(" (entry {s})")).unwrap_or_default())]
    Import {
        /// The line (1-based).
        line: usize,
        /// The entry's `seq`, when the line has one.
        seq: Option<u64>,
        /// Why.
        reason: String,
    },
}

impl AnchorError {
    pub(crate) fn db(context: impl Into<String>, e: rusqlite::Error) -> Self {
        Self::Database {
            context: context.into(),
            reason: e.to_string(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, e: impl ToString) -> Self {
        Self::Io {
            path: path.into(),
            reason: e.to_string(),
        }
    }

    pub(crate) fn malformed(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Malformed {
            what: what.into(),
            reason: reason.into(),
        }
    }
}
