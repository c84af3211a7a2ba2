//! The service crate's errors.

use std::path::PathBuf;

/// Everything the services can fail with outside a request (start-up, stores, the outbox).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// A store (SQLite) failed.
    #[error("{file}: {source}")]
    Store {
        /// The database file.
        file: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// A stored row could not be read back.
    #[error("{file}: corrupt row: {reason}")]
    Corrupt {
        /// The database file.
        file: PathBuf,
        /// Why.
        reason: String,
    },
    /// The anchor log refused an operation.
    #[error(transparent)]
    Anchors(#[from] zkinvoice_anchors::AnchorError),
    /// A bill offered for publishing is refused.
    #[error("bill {id}: {reason}")]
    Bill {
        /// The bill's id.
        id: String,
        /// Why.
        reason: String,
    },
    /// Binding or serving failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// Why.
        source: std::io::Error,
    },
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Client(String),
    /// A configuration value is refused.
    #[error("{0}")]
    Config(String),
    /// The anchor contract on a chain could not be read, or its verifier is for another key.
    #[cfg(feature = "chain")]
    #[error(transparent)]
    Chain(#[from] zkinvoice_check::chain::ChainError),
}
