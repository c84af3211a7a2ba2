//! Exchanging copies of a log: [`AnchorLog::export_jsonl`] writes every entry as a JSON line,
//! [`AnchorLog::import_jsonl`] takes another copy's lines, whole or not at all (and its dry run
//! checks them for [`AnchorLog::compare_jsonl`]).

use std::io::{BufRead, Write};

use rusqlite::Transaction;

use crate::entry::Entry;
use crate::error::{AnchorError, Attempt, Corruption, ImportError};
use crate::rules::admit;
use crate::rules::signatures::check_signatures;
use crate::view::View;

use super::replay::{replay, Mode};
use super::store::{insert, keep_written, read_rows, read_written};
use super::written::check_written;
use super::AnchorLog;

/// What [`AnchorLog::import_jsonl`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Entries appended.
    pub appended: u64,
    /// Lines identical to an entry already in the log.
    pub already_present: u64,
    /// Of the entries appended, those this copy had written before (its record of written
    /// entries holds them, with the same hash): entries removed from it, restored.
    pub restored: u64,
    /// The entries this copy holds after the export's last line, `(first, last)`: the other
    /// copy lacks them (not imported there yet, or removed from it), or the export was partial.
    pub beyond_export: Option<(u64, u64)>,
}

/// Whether an exchange writes what it takes or only checks it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exchange {
    /// Append the entries this copy lacks ([`AnchorLog::import_jsonl`]).
    Import,
    /// Check them as an import would, and write nothing ([`AnchorLog::compare_jsonl`]).
    DryRun,
}

/// What an exchange found: its report, and this copy's length before it.
pub(crate) struct Exchanged {
    pub report: ImportReport,
    pub len_before: u64,
}

impl AnchorLog {
    /// Writes every entry as one JSON line ([`Entry::to_json_line`]).
    pub fn export_jsonl(&self, writer: &mut dyn Write) -> Result<u64, AnchorError> {
        let entries = self.entries()?;
        for e in &entries {
            writeln!(writer, "{}", e.to_json_line()).map_err(|e| AnchorError::io("export", e))?;
        }
        writer.flush().map_err(|e| AnchorError::io("export", e))?;
        Ok(entries.len() as u64)
    }

    /// Imports another copy's export, in one transaction (tried again while the log is busy).
    /// Each line must either be identical (same hash) to the local entry at its `seq`, or be the
    /// next entry: linked to the local head, its hash recomputing, its signatures and the rules
    /// holding (proofs verified), and, where this copy had written an entry at its `seq` that was
    /// removed since, the same as that entry (so a copy whose last entries were removed takes
    /// them back, but no other continuation). A line whose `seq` holds another entry locally (or
    /// held one) is a fork ([`AnchorError::Fork`]); a gap, a bad line or a refused entry is
    /// [`AnchorError::Import`]. On any refusal nothing is imported.
    pub fn import_jsonl(&self, reader: &mut dyn BufRead) -> Result<ImportReport, AnchorError> {
        let lines = parse_lines(reader)?;
        self.patiently(|| self.exchange(&lines, Exchange::Import))
            .map(|x| x.report)
    }

    /// One attempt of an import of `lines` (or its dry run).
    pub(crate) fn exchange(
        &self,
        lines: &[(usize, Entry)],
        mode: Exchange,
    ) -> Result<Exchanged, AnchorError> {
        let tx = match mode {
            Exchange::Import => {
                let tx = self.begin_write("import")?;
                keep_written(&tx)?;
                tx
            }
            Exchange::DryRun => self.begin_read()?,
        };
        let rows = read_rows(&tx)?;
        let written = read_written(&tx)?;
        let corrupt = |(seq, reason)| AnchorError::Corrupt {
            seq,
            reason,
            refused: Some(Attempt::Import),
        };
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        if let Some(failure) = r.failures.pop() {
            return Err(corrupt(failure));
        }
        // A replaced row is corrupt; removed ones are what an import may restore.
        let replaced = check_written(&rows, &written)
            .into_iter()
            .find(|(_, c)| !matches!(c, Corruption::Removed { .. }));
        if let Some(failure) = replaced {
            return Err(corrupt(failure));
        }
        let mut local = Local {
            tx: &tx,
            view: &mut r.view,
            hashes: r.entries.iter().map(|e| e.hash).collect(),
            written,
            mode,
        };
        let len_before = local.hashes.len() as u64;
        let mut report = ImportReport::default();
        for (line, entry) in lines {
            match self.import_one(&mut local, *line, entry)? {
                Taken::AlreadyPresent => report.already_present += 1,
                Taken::Appended => report.appended += 1,
                Taken::Restored => {
                    report.appended += 1;
                    report.restored += 1;
                }
            }
        }
        let exported = lines.iter().map(|(_, e)| e.seq).max().unwrap_or(0);
        let len = local.hashes.len() as u64;
        report.beyond_export = (exported < len).then_some((exported + 1, len));
        if mode == Exchange::Import {
            tx.commit().map_err(|e| AnchorError::db("commit the import", e))?;
        }
        Ok(Exchanged { report, len_before })
    }

    /// Takes `entry` (from line `line`) into `local`.
    fn import_one(
        &self,
        local: &mut Local<'_, '_>,
        line: usize,
        entry: &Entry,
    ) -> Result<Taken, AnchorError> {
        let seq = entry.seq;
        let fail = |reason: ImportError| AnchorError::Import {
            line,
            seq: Some(seq),
            reason,
        };
        let fork = |here: &[u8; 32]| AnchorError::Fork {
            seq,
            local: hex::encode(here),
            imported: hex::encode(entry.hash),
        };
        let len = local.hashes.len() as u64;
        if seq == 0 {
            return Err(fail(ImportError::SeqZero));
        }
        if seq <= len {
            let here = local.hashes[(seq - 1) as usize];
            if here == entry.hash {
                return Ok(Taken::AlreadyPresent);
            }
            return Err(fork(&here));
        }
        if seq > len + 1 {
            return Err(fail(ImportError::Gap { len }));
        }
        let head = local.hashes.last().copied().unwrap_or([0u8; 32]);
        if entry.prev_hash != head {
            return Err(fail(ImportError::BrokenLink {
                prev_hash: entry.prev_hash,
                head,
            }));
        }
        // An entry this copy had written at this `seq` (and lost): only that one comes back.
        let recorded = local.written.get((seq - 1) as usize);
        if let Some(was) = recorded.filter(|was| **was != entry.hash) {
            return Err(fork(was));
        }
        check_signatures(&entry.body, &entry.signatures, &self.parties)
            .map_err(|e| fail(ImportError::Signatures(e)))?;
        admit(local.view, seq, &entry.body, true).map_err(|rule| {
            fail(ImportError::Refused {
                kind: entry.body.kind(),
                rule: Box::new(rule),
            })
        })?;
        if local.mode == Exchange::Import {
            insert(local.tx, entry)?;
        }
        local.hashes.push(entry.hash);
        Ok(if recorded.is_some() {
            Taken::Restored
        } else {
            Taken::Appended
        })
    }
}

/// What became of one imported line.
enum Taken {
    /// The same entry is already here.
    AlreadyPresent,
    /// Appended.
    Appended,
    /// Appended where this copy had written the same entry before (and lost it).
    Restored,
}

/// The local copy during an import: its transaction, its view, its entries' hashes, its record
/// of written entries, and whether the import writes.
struct Local<'t, 'v> {
    tx: &'t Transaction<'t>,
    view: &'v mut View,
    hashes: Vec<[u8; 32]>,
    written: Vec<[u8; 32]>,
    mode: Exchange,
}

/// Parses every non-blank line into an entry whose hash recomputes, with its line number.
pub(crate) fn parse_lines(reader: &mut dyn BufRead) -> Result<Vec<(usize, Entry)>, AnchorError> {
    let mut lines = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line_no = i + 1;
        let fail = |seq: Option<u64>, reason: ImportError| AnchorError::Import {
            line: line_no,
            seq,
            reason,
        };
        let text = line.map_err(|e| {
            fail(
                None,
                ImportError::Unreadable {
                    reason: e.to_string(),
                },
            )
        })?;
        if text.trim().is_empty() {
            continue;
        }
        let entry: Entry = serde_json::from_str(&text).map_err(|e| {
            fail(
                None,
                ImportError::NotAnEntry {
                    reason: e.to_string(),
                },
            )
        })?;
        let computed = entry.compute_hash();
        if computed != entry.hash {
            return Err(fail(
                Some(entry.seq),
                ImportError::HashMismatch {
                    stored: entry.hash,
                    computed,
                },
            ));
        }
        lines.push((line_no, entry));
    }
    Ok(lines)
}
