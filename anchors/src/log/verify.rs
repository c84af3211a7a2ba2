//! [`AnchorLog::verify_log`]: every stored row checked (chain, signatures, rules, proofs, the
//! record of written entries), the first bad one named.

use crate::error::AnchorError;

use super::replay::{replay, Mode};
use super::store::Head;
use super::written::check_written;
use super::AnchorLog;

/// What [`AnchorLog::verify_log`] checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries checked.
    pub entries: u64,
    /// The last entry.
    pub head: Option<Head>,
    /// Anchored MSAs.
    pub msas: u64,
    /// Proofs verified.
    pub proofs: u64,
}

impl AnchorLog {
    /// Checks every stored row: it decodes in canonical form, its `seq` is the next, its
    /// `prev_hash` links to the previous row's hash, its hash recomputes, its signatures are valid
    /// and the rules hold on replay (every proof verified), and the rows are the entries the log
    /// recorded as written (none replaced, none removed: [`Corruption::NotAsWritten`],
    /// [`Corruption::Removed`]). Returns the first bad entry as [`AnchorError::Corrupt`] with its
    /// `seq` and the reason.
    ///
    /// [`Corruption::NotAsWritten`]: crate::Corruption::NotAsWritten
    /// [`Corruption::Removed`]: crate::Corruption::Removed
    pub fn verify_log(&self) -> Result<VerifyReport, AnchorError> {
        let (rows, written) = self.read_stored()?;
        let mut r = replay(&rows, &self.parties, Mode::Full, false, &mut |_| {});
        if let Some((seq, reason)) = r.failures.pop() {
            return Err(AnchorError::corrupt(seq, reason));
        }
        if let Some((seq, reason)) = check_written(&rows, &written).into_iter().next() {
            return Err(AnchorError::corrupt(seq, reason));
        }
        Ok(VerifyReport {
            entries: r.entries.len() as u64,
            head: r.head(),
            msas: r.msas(),
            proofs: r.proofs,
        })
    }
}
