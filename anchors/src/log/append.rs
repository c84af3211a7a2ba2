//! [`AnchorLog::append`]: a proposal becomes the next entry, or is refused with the rule it
//! breaks and nothing is written.

use crate::entry::Entry;
use crate::error::{AnchorError, Attempt, Rule};
use crate::proposal::Proposal;
use crate::rules::admit;
use crate::rules::signatures::check_signatures;

use super::replay::{replay, Mode};
use super::store::{insert, keep_written, read_rows, read_written};
use super::written::check_written;
use super::AnchorLog;

impl AnchorLog {
    /// Appends a proposal as the next entry, in one `BEGIN IMMEDIATE` transaction (tried again
    /// while the log is busy): replays the log, checks it against its record of written entries
    /// (a log whose last entries were removed takes no new one after them: that would fork it),
    /// checks the signatures (exactly the roles the kind requires, by the log's keys) and the
    /// rules, then inserts. On refusal ([`AnchorError::Refused`], naming the `seq` it would have
    /// had) nothing is written.
    pub fn append(&self, proposal: Proposal) -> Result<Entry, AnchorError> {
        self.patiently(|| self.append_once(&proposal))
    }

    /// One attempt of [`AnchorLog::append`].
    fn append_once(&self, proposal: &Proposal) -> Result<Entry, AnchorError> {
        let corrupt = |(seq, reason)| AnchorError::Corrupt {
            seq,
            reason,
            refused: Some(Attempt::Append),
        };
        let tx = self.begin_write("append")?;
        keep_written(&tx)?;
        let rows = read_rows(&tx)?;
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        if let Some(failure) = r.failures.pop() {
            return Err(corrupt(failure));
        }
        if let Some(failure) = check_written(&rows, &read_written(&tx)?).into_iter().next() {
            return Err(corrupt(failure));
        }
        let head = r.head();
        let seq = head.map_or(1, |h| h.seq + 1);
        let prev_hash = head.map_or([0u8; 32], |h| h.hash);
        let body = proposal.body.clone();
        let mut signatures = proposal.signatures.clone();
        signatures.sort_by_key(|s| s.role);
        let refused = |rule: Rule| AnchorError::Refused {
            seq,
            kind: body.kind().into(),
            rule: Box::new(rule),
        };
        check_signatures(&body, &signatures, &self.parties).map_err(|e| refused(Rule::Signatures(e)))?;
        admit(&mut r.view, seq, &body, true).map_err(refused)?;
        let entry = Entry::seal(seq, prev_hash, body, signatures);
        insert(&tx, &entry)?;
        tx.commit().map_err(|e| AnchorError::db("commit the append", e))?;
        Ok(entry)
    }
}
