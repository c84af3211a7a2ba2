//! The crate's error type.

use std::path::PathBuf;

/// Why a ceremony step could not run, or a transcript is refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CeremonyError {
    /// A contribution that does not verify: the first bad one in the transcript.
    #[error("{file}: contribution {index} by {name:?} is refused: {reason}")]
    Contribution {
        /// Its record file.
        file: PathBuf,
        /// Its index in its chain (1-based).
        index: u32,
        /// Its contributor.
        name: String,
        /// Why.
        reason: String,
    },
    /// A file of the transcript that is missing, unreadable or malformed.
    #[error("{file}: {reason}")]
    File {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The step does not apply to the transcript in its present state.
    #[error("{0}")]
    State(String),
    /// A phase-1 accumulator smaller than a statement's domain.
    #[error("a statement needs a domain of 2^{needed}, the phase-1 accumulator has 2^{have}")]
    TooSmall {
        /// `log2` of the domain needed.
        needed: u32,
        /// `log2` of the accumulator's.
        have: u32,
    },
}
