//! Replaying stored rows in order: each row decodes, follows the one before it (its `seq` and
//! `prev_hash`), has the hash it claims, and (depending on the [`Mode`]) carries valid signatures
//! and follows the rules. Every read, append, import, verification and audit is a replay.
//!
//! Relies on the store (the rows), the signature rule and the rules (`rules`), and the view they
//! build.

use crate::body::Body;
use crate::entry::Entry;
use crate::error::Corruption;
use crate::keys::Parties;
use crate::rules::signatures::check_signatures;
use crate::rules::{admit, Deferred};
use crate::view::View;

use super::store::{decode_row, hash32, Head, RawRow};

/// Which checks a replay makes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Chain and rules, trusting the signatures and proofs checked on insertion.
    Trusting,
    /// Everything, proofs one by one.
    Full,
    /// Everything, proofs deferred.
    Deferred,
}

/// The outcome of replaying stored rows.
pub(crate) struct Replay {
    /// What the entries that check establish.
    pub view: View,
    /// The entries that check, in order.
    pub entries: Vec<Entry>,
    /// The proofs deferred ([`Mode::Deferred`]), with their entries' `seq`.
    pub deferred: Vec<(u64, Deferred)>,
    /// The entries that do not check, with the reason (at most one per entry).
    pub failures: Vec<(u64, Corruption)>,
    /// The `invoice-proved` entries that check.
    pub proofs: u64,
}

impl Replay {
    /// The last entry that checks.
    pub fn head(&self) -> Option<Head> {
        self.entries.last().map(|e| Head {
            seq: e.seq,
            hash: e.hash,
        })
    }

    /// How many MSAs the entries anchor.
    pub fn msas(&self) -> u64 {
        self.entries
            .iter()
            .filter(|e| matches!(e.body, Body::MsaAgreed { .. }))
            .count() as u64
    }
}

/// Replays `rows` in order. With `keep_going` false it stops at the first failure.
pub(crate) fn replay(
    rows: &[RawRow],
    parties: &Parties,
    mode: Mode,
    keep_going: bool,
    progress: &mut dyn FnMut(u64),
) -> Replay {
    let mut out = Replay {
        view: View::new(),
        entries: Vec::with_capacity(rows.len()),
        deferred: Vec::new(),
        failures: Vec::new(),
        proofs: 0,
    };
    let mut expected_seq = 1u64;
    let mut prev_stored: Option<Result<[u8; 32], Corruption>> = None;
    for (i, row) in rows.iter().enumerate() {
        progress(i as u64 + 1);
        let row_seq = u64::try_from(row.seq).unwrap_or(0);
        let checked = check_row(&mut out, row, expected_seq, prev_stored.as_ref(), parties, mode);
        prev_stored = Some(hash32(&row.hash, "hash"));
        expected_seq = expected_seq.max(row_seq.saturating_add(1));
        match checked {
            Ok(entry) => out.entries.push(entry),
            Err(f) => {
                out.failures.push(f);
                if !keep_going {
                    break;
                }
            }
        }
    }
    out
}

/// Checks one row as entry `expected_seq` after a row whose hash is `prev_stored` (`None` for
/// the first row) and admits it into `out`'s view; the failure names the entry.
fn check_row(
    out: &mut Replay,
    row: &RawRow,
    expected_seq: u64,
    prev_stored: Option<&Result<[u8; 32], Corruption>>,
    parties: &Parties,
    mode: Mode,
) -> Result<Entry, (u64, Corruption)> {
    let row_seq = u64::try_from(row.seq).unwrap_or(0);
    if row_seq != expected_seq {
        return Err(if row_seq > expected_seq {
            (expected_seq, Corruption::Missing { next: row.seq })
        } else {
            (expected_seq, Corruption::OutOfOrder { seq: row.seq })
        });
    }
    let seq = row_seq;
    let fail = |reason: Corruption| (seq, reason);
    let entry = decode_row(row).map_err(fail)?;
    let expected_prev = match prev_stored {
        None => Ok([0u8; 32]),
        Some(p) => p.clone(),
    };
    match expected_prev {
        Ok(p) if p == entry.prev_hash => {}
        Ok(hash) => {
            return Err(fail(Corruption::BrokenLink {
                prev_hash: entry.prev_hash,
                previous: seq - 1,
                hash,
            }))
        }
        Err(_) => return Err(fail(Corruption::UnreadablePrevious { previous: seq - 1 })),
    }
    let computed = entry.compute_hash();
    if computed != entry.hash {
        return Err(fail(Corruption::HashMismatch {
            stored: entry.hash,
            computed,
        }));
    }
    if mode != Mode::Trusting {
        check_signatures(&entry.body, &entry.signatures, parties)
            .map_err(|r| fail(Corruption::Signatures(r)))?;
    }
    let deferred = admit(&mut out.view, seq, &entry.body, mode == Mode::Full).map_err(|rule| {
        fail(Corruption::Rule {
            kind: entry.body.kind(),
            rule: Box::new(rule),
        })
    })?;
    if matches!(
        entry.body,
        Body::InvoiceProved { .. } | Body::InvoicePartial { .. }
    ) {
        out.proofs += 1;
    }
    if let (Some(d), Mode::Deferred) = (deferred, mode) {
        out.deferred.push((seq, d));
    }
    Ok(entry)
}
