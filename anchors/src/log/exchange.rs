//! Exchanging copies of a log: [`AnchorLog::export_jsonl`] writes every entry as a JSON line,
//! [`AnchorLog::import_jsonl`] takes another copy's lines, whole or not at all.

use std::io::{BufRead, Write};

use rusqlite::Transaction;

use crate::entry::Entry;
use crate::error::{AnchorError, Attempt, ImportError};
use crate::rules::admit;
use crate::rules::signatures::check_signatures;
use crate::view::View;

use super::replay::{replay, Mode};
use super::store::{insert, read_rows};
use super::AnchorLog;

/// What [`AnchorLog::import_jsonl`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Entries appended.
    pub appended: u64,
    /// Lines identical to an entry already in the log.
    pub already_present: u64,
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
    /// holding (proofs verified). A line whose `seq` holds another entry locally is a fork
    /// ([`AnchorError::Fork`]); a gap, a bad line or a refused entry is [`AnchorError::Import`].
    /// On any refusal nothing is imported.
    pub fn import_jsonl(&self, reader: &mut dyn BufRead) -> Result<ImportReport, AnchorError> {
        let lines = parse_lines(reader)?;
        self.patiently(|| self.import_once(&lines))
    }

    /// One attempt of [`AnchorLog::import_jsonl`].
    fn import_once(&self, lines: &[(usize, Entry)]) -> Result<ImportReport, AnchorError> {
        let tx = self.begin_write("import")?;
        let rows = read_rows(&tx)?;
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        if let Some((seq, reason)) = r.failures.pop() {
            return Err(AnchorError::Corrupt {
                seq,
                reason,
                refused: Some(Attempt::Import),
            });
        }
        let mut local = Local {
            tx: &tx,
            view: &mut r.view,
            hashes: r.entries.iter().map(|e| e.hash).collect(),
        };
        let mut report = ImportReport::default();
        for (line, entry) in lines {
            if self.import_one(&mut local, *line, entry.clone())? {
                report.appended += 1;
            } else {
                report.already_present += 1;
            }
        }
        tx.commit().map_err(|e| AnchorError::db("commit the import", e))?;
        Ok(report)
    }

    /// Imports `entry` (from line `line`) into `local`: `false` if it is already there, `true`
    /// once appended.
    fn import_one(&self, local: &mut Local<'_, '_>, line: usize, entry: Entry) -> Result<bool, AnchorError> {
        let seq = entry.seq;
        let fail = |reason: ImportError| AnchorError::Import {
            line,
            seq: Some(seq),
            reason,
        };
        let len = local.hashes.len() as u64;
        if seq == 0 {
            return Err(fail(ImportError::SeqZero));
        }
        if seq <= len {
            let here = local.hashes[(seq - 1) as usize];
            if here == entry.hash {
                return Ok(false);
            }
            return Err(AnchorError::Fork {
                seq,
                local: hex::encode(here),
                imported: hex::encode(entry.hash),
            });
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
        check_signatures(&entry.body, &entry.signatures, &self.parties)
            .map_err(|e| fail(ImportError::Signatures(e)))?;
        admit(local.view, seq, &entry.body, true).map_err(|rule| {
            fail(ImportError::Refused {
                kind: entry.body.kind(),
                rule: Box::new(rule),
            })
        })?;
        insert(local.tx, &entry)?;
        local.hashes.push(entry.hash);
        Ok(true)
    }
}

/// The local copy during an import: its write transaction, its view and its entries' hashes.
struct Local<'t, 'v> {
    tx: &'t Transaction<'t>,
    view: &'v mut View,
    hashes: Vec<[u8; 32]>,
}

/// Parses every non-blank line into an entry whose hash recomputes, with its line number.
fn parse_lines(reader: &mut dyn BufRead) -> Result<Vec<(usize, Entry)>, AnchorError> {
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
