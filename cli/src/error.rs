//! The CLI's errors, and the only place they become messages and exit codes.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use zkinvoice_anchors::AnchorError;
use zkinvoice_check::{chain::ChainError, Rejection};
use zkinvoice_service::ServiceError;

/// Exit code for a proof or envelope that does not verify.
pub const EXIT_INVALID: u8 = 1;
/// Exit code for an envelope made under another verifying key.
pub const EXIT_KEY_MISMATCH: u8 = 3;
/// Exit code for an internal failure (the proving system, a self-check).
pub const EXIT_SOFTWARE: u8 = 70;
/// Exit code for bad command-line usage (as clap uses).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for input data that is refused (malformed, invalid, inconsistent).
pub const EXIT_DATA: u8 = 65;
/// Exit code for a service that cannot be reached now (a chain's JSON-RPC endpoint, an anchor log
/// locked by another process): try again.
pub const EXIT_UNAVAILABLE: u8 = 69;
/// Exit code for an input file that cannot be read.
pub const EXIT_NO_INPUT: u8 = 66;
/// Exit code for an output that cannot be written (or would overwrite a file).
pub const EXIT_CANT_CREATE: u8 = 73;

/// Everything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// An input file's content is refused.
    #[error("{file}: {source}")]
    Input {
        /// The file.
        file: PathBuf,
        /// Why.
        source: zkinvoice_circuits::Error,
    },
    /// Inputs that are each valid but do not belong together.
    #[error("{0}")]
    Mismatch(String),
    /// An input file cannot be read.
    #[error("{file}: cannot read: {source}")]
    Read {
        /// The file.
        file: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output cannot be written.
    #[error("{file}: cannot write: {reason}")]
    Write {
        /// The file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// Bad command-line arguments that clap cannot see.
    #[error("{0}")]
    Usage(String),
    /// A proof, or an envelope checked against the agreed commitments, that is not valid.
    #[error("invalid: {0}")]
    Invalid(String),
    /// Two invoices of a period over one of the MSA's dispute thresholds (`reconcile`).
    #[error("over the MSA's dispute thresholds: {0}")]
    OverThresholds(String),
    /// An envelope made under another verifying key.
    #[error("{0}")]
    KeyMismatch(String),
    /// A service the command needs cannot be reached now (nothing was read or sent).
    #[error("{0}")]
    Unavailable(String),
    /// Keys, proving or a batch failed.
    #[error(transparent)]
    Prover(#[from] zkinvoice_prover::ProverError),
    /// A ceremony step failed, or its transcript is refused.
    #[error(transparent)]
    Ceremony(#[from] zkinvoice_ceremony::CeremonyError),
    /// Some jobs of a batch failed (each was reported).
    #[error("{failed} of {total} jobs failed")]
    Batch {
        /// Failed jobs.
        failed: usize,
        /// All jobs.
        total: usize,
    },
}

/// An anchor-log error as a CLI error.
pub fn anchor_err(e: AnchorError) -> CliError {
    match e {
        AnchorError::Corrupt { .. } => CliError::Invalid(e.to_string()),
        // Another process held the log for longer than the writer's patience: try again.
        AnchorError::Busy { .. } => CliError::Unavailable(e.to_string()),
        _ => CliError::Mismatch(e.to_string()),
    }
}

/// A service error as a CLI error.
pub fn service_err(e: ServiceError) -> CliError {
    match e {
        ServiceError::Store { file, source } => CliError::Write {
            file,
            reason: source.to_string(),
        },
        ServiceError::Io { what, source } => CliError::Write {
            file: what.into(),
            reason: source.to_string(),
        },
        ServiceError::Chain(e) => chain_err(e),
        e => CliError::Mismatch(e.to_string()),
    }
}

/// A chain read's error as a CLI error: another key (exit 3), an unreachable node (69), or
/// refused data.
pub fn chain_err(e: ChainError) -> CliError {
    match e {
        ChainError::Read { target, source } => CliError::chain(target, source),
        e @ ChainError::KeyMismatch { .. } => CliError::KeyMismatch(e.to_string()),
        e => CliError::Mismatch(e.to_string()),
    }
}

/// The Buyer's check's refusal as a CLI error: another key (exit 3), a field that cannot be
/// decoded (65), or an invalid invoice (1); `file`, if given, is named first.
pub fn rejected(file: Option<&Path>, r: Rejection) -> CliError {
    let m = match file {
        Some(f) => format!("{}: {r}", f.display()),
        None => r.to_string(),
    };
    if r.is_key_mismatch() {
        CliError::KeyMismatch(m)
    } else if r.is_malformed() {
        CliError::Mismatch(m)
    } else {
        CliError::Invalid(m)
    }
}

impl CliError {
    /// A chain error about `what` (the node and contract): unavailable when the node cannot be
    /// reached, else refused data.
    pub fn chain(what: impl std::fmt::Display, e: zkinvoice_evm::EvmError) -> Self {
        match e {
            zkinvoice_evm::EvmError::Unreachable(_) => Self::Unavailable(format!("{what}: {e}")),
            e => Self::Mismatch(format!("{what}: {e}")),
        }
    }

    /// An [`CliError::Input`] for `file`.
    pub fn input(file: impl Into<PathBuf>, source: zkinvoice_circuits::Error) -> Self {
        Self::Input {
            file: file.into(),
            source,
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Self::Input { .. } | Self::Mismatch(_) => EXIT_DATA,
            Self::Read { .. } => EXIT_NO_INPUT,
            Self::Write { .. } => EXIT_CANT_CREATE,
            Self::Usage(_) => EXIT_USAGE,
            Self::Invalid(_) | Self::OverThresholds(_) => EXIT_INVALID,
            Self::KeyMismatch(_) => EXIT_KEY_MISMATCH,
            Self::Unavailable(_) => EXIT_UNAVAILABLE,
            Self::Batch { .. } => EXIT_DATA,
            Self::Ceremony(e) => match e {
                zkinvoice_ceremony::CeremonyError::Contribution { .. } => EXIT_INVALID,
                zkinvoice_ceremony::CeremonyError::File { .. } => EXIT_DATA,
                _ => EXIT_USAGE,
            },
            Self::Prover(e) => match e {
                zkinvoice_prover::ProverError::Write { .. } => EXIT_CANT_CREATE,
                zkinvoice_prover::ProverError::Proving(_) | zkinvoice_prover::ProverError::SelfCheck(_) => {
                    EXIT_SOFTWARE
                }
                _ => EXIT_DATA,
            },
        })
    }
}
