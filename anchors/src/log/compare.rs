//! [`AnchorLog::compare_jsonl`] and [`AnchorLog::compare_log`]: this copy against the other
//! party's, entry by entry. A copy cannot tell on its own that its last entries were removed (a
//! prefix of a valid chain is a valid chain; its record of written entries tells only if that
//! survived), but the other party's copy can: the two must hold the same entries, and where one
//! lacks the other's last entries, these are named.

use std::io::BufRead;
use std::path::Path;

use crate::error::AnchorError;

use super::exchange::{parse_lines, Exchange, Exchanged};
use super::store::Head;
use super::AnchorLog;

impl AnchorLog {
    /// Compares this copy with another copy's export (`other`, read from `source`, which names
    /// it in errors), writing nothing: every line is checked as [`AnchorLog::import_jsonl`]
    /// would check it. `Ok` with the common head when both hold the same entries; otherwise the
    /// first difference: [`AnchorError::Fork`] at the first `seq` where they (or this copy's
    /// record of an entry removed from it) differ, or [`AnchorError::Lacks`] naming the entries
    /// one copy lacks (this copy first), or why a line would not import.
    pub fn compare_jsonl(&self, other: &mut dyn BufRead, source: &Path) -> Result<Option<Head>, AnchorError> {
        let lines = parse_lines(other)?;
        let Exchanged { report, len_before } = self.patiently(|| self.exchange(&lines, Exchange::DryRun))?;
        if report.appended > 0 {
            return Err(AnchorError::Lacks {
                copy: self.path.clone(),
                first: len_before + 1,
                last: len_before + report.appended,
                has: source.to_path_buf(),
                written: (report.restored > 0).then_some(len_before + report.restored),
            });
        }
        if let Some((first, last)) = report.beyond_export {
            return Err(AnchorError::Lacks {
                copy: source.to_path_buf(),
                first,
                last,
                has: self.path.clone(),
                written: None,
            });
        }
        let head = lines.last().map(|(_, e)| Head {
            seq: e.seq,
            hash: e.hash,
        });
        Ok(head)
    }

    /// Compares this copy with another copy of the log (see [`AnchorLog::compare_jsonl`]), after
    /// checking that copy whole ([`AnchorLog::verify_log`]: its first bad entry is the error).
    pub fn compare_log(&self, other: &AnchorLog) -> Result<Option<Head>, AnchorError> {
        other.verify_log()?;
        let mut export = Vec::new();
        other.export_jsonl(&mut export)?;
        self.compare_jsonl(&mut &export[..], other.path())
    }
}
