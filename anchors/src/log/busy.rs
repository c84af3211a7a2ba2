//! Waiting for a busy log: every read and write of [`AnchorLog`] runs in one transaction that is
//! tried again, after a pause, while SQLite answers that another process holds the file's lock.
//!
//! Each attempt waits in SQLite's own busy handler up to [`BUSY_TIMEOUT`]; an attempt that still
//! finds the log busy (or that SQLite refuses as busy without waiting, as it does for a stale
//! snapshot or a recovering WAL) is rolled back whole and run again after a pause that doubles
//! from [`FIRST_PAUSE`] to [`MAX_PAUSE`], each drawn at random between half and all of it, so that
//! waiting writers do not wake in step. After [`BUSY_PATIENCE`] (by default; see
//! [`AnchorLog::with_busy_patience`]) the operation fails with [`AnchorError::Busy`], naming the
//! log. An attempt's transaction is either committed or rolled back, and SQLite reports busy only
//! for a transaction it did not commit, so an entry is never written twice or in part.

use std::path::Path;
use std::time::{Duration, Instant};

use rand::Rng;

use crate::error::AnchorError;

use super::AnchorLog;

/// How long one attempt waits in SQLite's busy handler for another process's lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(1);

/// How long an operation keeps trying a busy log, in all, before it fails with
/// [`AnchorError::Busy`] (the default of [`AnchorLog::with_busy_patience`]).
pub const BUSY_PATIENCE: Duration = Duration::from_secs(180);

/// The first pause between two attempts.
pub const FIRST_PAUSE: Duration = Duration::from_millis(10);

/// The longest pause between two attempts.
pub const MAX_PAUSE: Duration = Duration::from_secs(1);

/// Runs `attempt` until it does not fail with [`AnchorError::Busy`], pausing between attempts,
/// for at most `patience` in all; then the [`AnchorError::Busy`] naming `path`, the time waited
/// and the attempts made.
pub(crate) fn patiently<T>(
    path: &Path,
    patience: Duration,
    mut attempt: impl FnMut() -> Result<T, AnchorError>,
) -> Result<T, AnchorError> {
    let start = Instant::now();
    let mut pause = FIRST_PAUSE;
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        match attempt() {
            Err(AnchorError::Busy { .. }) => {}
            done => return done,
        }
        let waited = start.elapsed();
        if waited + pause / 2 >= patience {
            return Err(AnchorError::Busy {
                path: path.to_path_buf(),
                waited,
                attempts,
            });
        }
        let nap = rand::thread_rng().gen_range(pause / 2..=pause);
        std::thread::sleep(nap.min(patience.saturating_sub(waited)));
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

impl AnchorLog {
    /// The same log, giving up on a busy file after `patience` instead of [`BUSY_PATIENCE`]
    /// (an interactive command may prefer to fail sooner; a test of the failure must).
    pub fn with_busy_patience(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    /// Runs `attempt` (one transaction) until the log is not busy (see the module).
    pub(crate) fn patiently<T>(
        &self,
        attempt: impl FnMut() -> Result<T, AnchorError>,
    ) -> Result<T, AnchorError> {
        patiently(&self.path, self.patience, attempt)
    }
}
