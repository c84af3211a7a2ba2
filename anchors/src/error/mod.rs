//! The crate's errors: [`AnchorError`], and the typed reasons it carries: the rule an entry
//! breaks ([`Rule`]), why its signatures are refused ([`SignatureError`]), why a stored entry is
//! corrupt ([`Corruption`]) and why an import line is refused ([`ImportError`]).
//!
//! The reasons carry values (the entry, the states, the period, the role), not sentences; their
//! `Display` makes the sentence, which callers (the CLI, the services' HTTP bodies) show as it
//! is. The module relies only on the leaf modules `role` and `short`, so every other module can
//! use it without an import cycle.

mod corrupt;
mod credit;
mod import;
mod net;
mod partial;
mod reconcile;
mod rule;
mod settle;
mod signature;

use std::path::PathBuf;
use std::time::Duration;

use thiserror::Error;

pub use corrupt::Corruption;
pub use credit::CreditRule;
pub use import::ImportError;
pub use net::NetRule;
pub use partial::PartialRule;
pub use reconcile::ReconcileRule;
pub use rule::Rule;
pub use settle::SettleRule;
pub use signature::SignatureError;

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
    /// The log stayed locked by other processes for as long as the log's patience (see
    /// [`crate::BUSY_PATIENCE`]): the operation was tried `attempts` times, and nothing was
    /// written.
    #[error(
        "{}: the anchor log stayed busy (locked by another process) for {} s over {attempts} attempts; nothing was written, try again",
        path.display(),
        waited.as_secs()
    )]
    Busy {
        /// The log.
        path: PathBuf,
        /// How long the operation waited in all.
        waited: Duration,
        /// How many times it was tried.
        attempts: u32,
    },
    /// The SQLite database refused an operation (disk full, a trigger, ...).
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
        reason: SignatureError,
    },
    /// A proposal that would have been entry `seq`, refused by a signature or log rule; nothing
    /// was written.
    #[error("entry {seq} ({kind}) refused: {rule}")]
    Refused {
        /// The `seq` the entry would have had.
        seq: u64,
        /// The body's kind.
        kind: String,
        /// The rule and the values that broke it (boxed: a rule carries up to three field
        /// elements, and every result of the crate carries this error).
        rule: Box<Rule>,
    },
    /// A stored entry that does not check: the first one found (see [`crate::AnchorLog::verify_log`]).
    #[error("entry {seq} is corrupt: {reason}{}", refused.map(Attempt::nothing_done).unwrap_or_default())]
    Corrupt {
        /// The entry's `seq` (for a missing entry, the `seq` that is missing).
        seq: u64,
        /// Why.
        reason: Corruption,
        /// The write refused because of it, if the log was found corrupt by an append or an
        /// import (nothing was written then); `None` when it was found by a read or a check.
        refused: Option<Attempt>,
    },
    /// An import (or a comparison) whose entry `seq` differs from this copy's entry at the same
    /// `seq`, stored or, for an entry removed from it, as it was written: the two copies of the
    /// log diverge. Nothing was imported.
    #[error(
        "the copies diverge at entry {seq}: this copy's entry has hash {local}, the other copy's {imported}"
    )]
    Fork {
        /// The first `seq` at which the copies differ.
        seq: u64,
        /// This copy's entry's hash (hex).
        local: String,
        /// The other copy's entry's hash (hex).
        imported: String,
    },
    /// Two copies of the log compared (see [`crate::AnchorLog::compare_jsonl`]) where one, `copy`,
    /// lacks the entries `first..=last` that the other, `has`, holds; the entries both hold are
    /// the same.
    #[error(
        "{} lacks entries {first} to {last}, which {} has ({})",
        copy.display(),
        has.display(),
        match written {
            Some(w) => format!("it had written entries {first} to {w}: they were removed from it"),
            None => "not imported yet, or removed".into(),
        }
    )]
    Lacks {
        /// The copy that lacks them (a log file, or an export).
        copy: PathBuf,
        /// The first entry it lacks.
        first: u64,
        /// The last.
        last: u64,
        /// The copy that has them.
        has: PathBuf,
        /// The last of them `copy` had written (its record of written entries says so, from
        /// `first`): those were removed from it behind its back. `None` when its record does
        /// not know them.
        written: Option<u64>,
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
        reason: ImportError,
    },
}

/// A write to the log: what a corrupt log refuses (see [`AnchorError::Corrupt`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// [`crate::AnchorLog::append`].
    Append,
    /// [`crate::AnchorLog::import_jsonl`].
    Import,
}

impl Attempt {
    /// ` (nothing appended; run verify)`: what a corrupt log's message adds for this write.
    fn nothing_done(self) -> String {
        let done = match self {
            Attempt::Append => "appended",
            Attempt::Import => "imported",
        };
        format!(" (nothing {done}; run verify)")
    }
}

impl AnchorError {
    /// SQLite's refusal; [`AnchorError::Busy`] (without its values yet: the caller's retries
    /// fill them in) when the log is locked by another process.
    pub(crate) fn db(context: impl Into<String>, e: rusqlite::Error) -> Self {
        if is_busy(&e) {
            return Self::busy();
        }
        Self::Database {
            context: context.into(),
            reason: e.to_string(),
        }
    }

    /// A busy log, before the retries fill in the log, the time waited and the attempts.
    pub(crate) fn busy() -> Self {
        Self::Busy {
            path: PathBuf::new(),
            waited: Duration::ZERO,
            attempts: 0,
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

    /// A corrupt entry found by a read or a check.
    pub(crate) fn corrupt(seq: u64, reason: Corruption) -> Self {
        Self::Corrupt {
            seq,
            reason,
            refused: None,
        }
    }
}

/// Whether SQLite refused an operation because another connection holds a lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
