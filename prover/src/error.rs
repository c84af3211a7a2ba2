//! The crate's error type.

use std::path::PathBuf;

/// Why keys could not be made or loaded, or an invoice could not be proven.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProverError {
    /// The commercial inputs are refused by the model or the rater.
    #[error(transparent)]
    Model(#[from] zkinvoice_circuits::Error),
    /// Inputs that are each valid but do not belong together (another MSA, shape or usage).
    #[error("inconsistent inputs: {0}")]
    Inconsistent(String),
    /// A key or manifest file that is missing, truncated, altered or for another circuit.
    #[error("{file}: {reason}")]
    KeyFile {
        /// The file.
        file: PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// A proving key that is not an uncompressed arkworks key.
    #[error("not a proving key: {0}")]
    KeyFormat(#[from] ark_serialize::SerializationError),
    /// A proving key query of another length than the statement's matrices need.
    #[error("its {query} has {found} points, the statement needs {expected}: a key of another circuit")]
    KeyLength {
        /// The query.
        query: &'static str,
        /// Points in the key.
        found: u64,
        /// Points the statement needs.
        expected: u64,
    },
    /// Writing key files failed.
    #[error("{file}: cannot write: {reason}")]
    Write {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The proving system failed.
    #[error("proving failed: {0}")]
    Proving(String),
    /// A received envelope is refused: the field and why (another scheme, statement, shape or
    /// key; parts or proofs that do not verify against the anchored commitments).
    #[error("{field}: {reason}")]
    Refused {
        /// The envelope's field, e.g. `vkHash` or `proof`.
        field: String,
        /// Why.
        reason: String,
    },
    /// The proof made does not verify under the key: the key belongs to another version of the
    /// circuit, or the inputs are inconsistent in a way the checks before proving missed.
    #[error("the proof does not verify under the key's own verifying key; it was not written ({0})")]
    SelfCheck(String),
}
