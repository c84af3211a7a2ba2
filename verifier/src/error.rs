//! The crate's one error type.

use thiserror::Error;

/// Why a key, a proof, a set of public inputs, or a verification was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// Bytes or text that cannot be decoded: wrong length, trailing bytes, not hex or base64, a
    /// point not on the curve or not in the prime-order subgroup, a value not below the field
    /// modulus, a non-canonical encoding.
    #[error("{what} is malformed: {reason}")]
    Malformed {
        /// What was being decoded, e.g. `proof` or `publicInputs.msaCommitment`.
        what: String,
        /// Why it was refused.
        reason: String,
    },
    /// Well-formed inputs that do not belong together: a verifying key for a statement with another
    /// number of public inputs, or a key whose hash is not the one expected.
    #[error("key mismatch: expected {expected}, found {found}")]
    KeyMismatch {
        /// What was expected.
        expected: String,
        /// What was found instead.
        found: String,
    },
    /// A well-formed proof that does not verify against the key and the public inputs.
    #[error("the proof does not verify against the key and the public inputs")]
    InvalidProof,
    /// A batch in which some proofs do not verify: their positions in the batch, ascending.
    #[error("{} of the batch's proofs do not verify, at positions {invalid:?}", invalid.len())]
    BatchInvalid {
        /// The positions (0-based, ascending) of the proofs that do not verify.
        invalid: Vec<usize>,
    },
    /// A partitioned invoice refused: its public values do not hold together or do not open the
    /// commitments, or some partitions' proofs do not verify (named).
    #[error("{0}")]
    Partitioned(Box<crate::partition::PartitionedError>),
}

impl VerifyError {
    /// A [`VerifyError::Malformed`] error.
    pub(crate) fn malformed(what: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Malformed {
            what: what.into(),
            reason: reason.into(),
        }
    }
}
