//! The SQLite anchor log.

use std::fs;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rand::RngCore;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OpenFlags, Transaction, TransactionBehavior};
use zkinvoice_verifier::{verify, verify_batch, Fr, VerifyError};

use crate::body::{check_signatures, Body, Proposal, Signature};
use crate::entry::{signatures_json, Entry};
use crate::error::AnchorError;
use crate::keys::{Parties, PartyPublic};
use crate::view::{Deferred, View};

/// The format version recorded in `meta`.
pub const FORMAT: &str = "zkinvoice-anchors/v1";

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE entries (
    seq INTEGER PRIMARY KEY,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    signatures TEXT NOT NULL
);
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN SELECT RAISE(ABORT, 'the anchor log is append-only: UPDATE of entries refused'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN SELECT RAISE(ABORT, 'the anchor log is append-only: DELETE of entries refused'); END;
CREATE TRIGGER entries_in_order BEFORE INSERT ON entries
WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
BEGIN SELECT RAISE(ABORT, 'the anchor log is append-only: entries are inserted at the next seq'); END;
CREATE TRIGGER meta_no_update BEFORE UPDATE ON meta
BEGIN SELECT RAISE(ABORT, 'the anchor log''s meta data is immutable: UPDATE refused'); END;
CREATE TRIGGER meta_no_delete BEFORE DELETE ON meta
BEGIN SELECT RAISE(ABORT, 'the anchor log''s meta data is immutable: DELETE refused'); END;
";

/// The last entry of a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// Its `seq` (the log's length).
    pub seq: u64,
    /// Its hash.
    pub hash: [u8; 32],
}

/// What [`AnchorLog::import_jsonl`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Entries appended.
    pub appended: u64,
    /// Lines identical to an entry already in the log.
    pub already_present: u64,
}

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

/// How [`AnchorLog::audit_with`] checks the proofs.
#[derive(Default)]
pub struct AuditOptions<'a> {
    /// Verify proofs one at a time instead of in one batch per MSA.
    pub one_by_one: bool,
    /// Called with `(done, total)` units of work: one per entry, then one per proof.
    pub progress: Option<&'a mut dyn FnMut(u64, u64)>,
}

impl std::fmt::Debug for AuditOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditOptions")
            .field("one_by_one", &self.one_by_one)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What [`AnchorLog::audit`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditReport {
    /// Entries read.
    pub entries: u64,
    /// Anchored MSAs.
    pub msas: u64,
    /// Proofs checked.
    pub proofs: u64,
    /// Every entry that does not check, with the reason, in `seq` order (at most one per entry).
    pub failures: Vec<(u64, String)>,
    /// The time spent checking proofs.
    pub proof_time: Duration,
    /// The whole audit's time.
    pub elapsed: Duration,
}

impl AuditReport {
    /// Whether nothing failed.
    pub fn is_clean(&self) -> bool {
        self.failures.is_empty()
    }
}

/// The embedded, append-only, hash-chained, signed anchor log of one bilateral, in a SQLite file.
///
/// Writers take SQLite's write lock for the whole of [`AnchorLog::append`] or
/// [`AnchorLog::import_jsonl`] (`BEGIN IMMEDIATE`), so several processes can append to one file;
/// the file is in WAL mode with `synchronous=FULL`, so a committed entry survives a crash and an
/// interrupted one leaves no trace.
pub struct AnchorLog {
    conn: Connection,
    path: PathBuf,
    parties: Parties,
}

impl std::fmt::Debug for AnchorLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnchorLog")
            .field("path", &self.path)
            .field("parties", &self.parties)
            .finish()
    }
}

/// Which checks a replay makes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Chain and rules, trusting the signatures and proofs checked on insertion.
    Trusting,
    /// Everything, proofs one by one.
    Full,
    /// Everything, proofs deferred.
    Deferred,
}

/// One stored row, each column's bytes (or why they cannot be read).
struct RawRow {
    seq: i64,
    prev_hash: Result<Vec<u8>, String>,
    hash: Result<Vec<u8>, String>,
    kind: Result<Vec<u8>, String>,
    body: Result<Vec<u8>, String>,
    signatures: Result<Vec<u8>, String>,
}

fn column(v: ValueRef<'_>, name: &str) -> Result<Vec<u8>, String> {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => Ok(b.to_vec()),
        ValueRef::Null => Err(format!("{name} is NULL")),
        ValueRef::Integer(_) | ValueRef::Real(_) => Err(format!("{name} is a number, not text or bytes")),
    }
}

fn hash32(col: &Result<Vec<u8>, String>, name: &str) -> Result<[u8; 32], String> {
    let bytes = col.as_ref().map_err(Clone::clone)?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| format!("{name} has {} bytes, not 32", bytes.len()))
}

fn utf8<'a>(col: &'a Result<Vec<u8>, String>, name: &str) -> Result<&'a str, String> {
    let bytes = col.as_ref().map_err(Clone::clone)?;
    std::str::from_utf8(bytes).map_err(|e| format!("{name} is not UTF-8 ({e})"))
}

/// Decodes a stored row: every column well-formed and canonical. The caller checks the chain.
fn decode_row(row: &RawRow) -> Result<Entry, String> {
    let seq = u64::try_from(row.seq).map_err(|_| format!("seq {} is not positive", row.seq))?;
    let prev_hash = hash32(&row.prev_hash, "prev_hash")?;
    let hash = hash32(&row.hash, "hash")?;
    let text = utf8(&row.body, "body")?;
    let body: Body = serde_json::from_str(text).map_err(|e| format!("body does not parse ({e})"))?;
    if body.canonical_json() != text {
        return Err("body is not in canonical form (the stored text was altered)".into());
    }
    let kind = utf8(&row.kind, "kind")?;
    if kind != body.kind() {
        return Err(format!("kind {kind:?} is not the body's kind {:?}", body.kind()));
    }
    let text = utf8(&row.signatures, "signatures")?;
    let signatures: Vec<Signature> =
        serde_json::from_str(text).map_err(|e| format!("signatures do not parse ({e})"))?;
    if signatures_json(&signatures) != text {
        return Err("signatures are not in canonical form (the stored text was altered)".into());
    }
    Ok(Entry {
        seq,
        prev_hash,
        body,
        signatures,
        hash,
    })
}

/// The outcome of replaying stored rows.
struct Replay {
    view: View,
    head: Option<Head>,
    entries: Vec<Entry>,
    deferred: Vec<(u64, Deferred)>,
    failures: Vec<(u64, String)>,
    proofs: u64,
}

/// Replays `rows` in order. With `keep_going` false it stops at the first failure.
fn replay(
    rows: &[RawRow],
    parties: &Parties,
    mode: Mode,
    keep_going: bool,
    progress: &mut dyn FnMut(u64),
) -> Replay {
    let mut out = Replay {
        view: View::new(),
        head: None,
        entries: Vec::with_capacity(rows.len()),
        deferred: Vec::new(),
        failures: Vec::new(),
        proofs: 0,
    };
    let mut expected_seq = 1u64;
    let mut prev_stored: Option<Result<[u8; 32], String>> = None;
    for (i, row) in rows.iter().enumerate() {
        progress(i as u64 + 1);
        let row_seq = u64::try_from(row.seq).unwrap_or(0);
        let failure = (|| -> Result<Option<Entry>, (u64, String)> {
            if row_seq != expected_seq {
                return Err(if row_seq > expected_seq {
                    (
                        expected_seq,
                        format!("missing: the next stored entry is {}", row.seq),
                    )
                } else {
                    (expected_seq, format!("seq {} is out of order", row.seq))
                });
            }
            let seq = row_seq;
            let entry = decode_row(row).map_err(|r| (seq, r))?;
            let expected_prev = match &prev_stored {
                None => Ok([0u8; 32]),
                Some(p) => p.clone(),
            };
            match expected_prev {
                Ok(p) if p == entry.prev_hash => {}
                Ok(p) => {
                    return Err((
                        seq,
                        format!(
                            "prev_hash {} does not link to entry {}'s hash {}",
                            hex::encode(entry.prev_hash),
                            seq - 1,
                            hex::encode(p)
                        ),
                    ))
                }
                Err(_) => return Err((seq, format!("entry {} before it has no readable hash", seq - 1))),
            }
            let computed = entry.compute_hash();
            if computed != entry.hash {
                return Err((
                    seq,
                    format!(
                        "the stored hash {} does not recompute ({})",
                        hex::encode(entry.hash),
                        hex::encode(computed)
                    ),
                ));
            }
            if mode != Mode::Trusting {
                check_signatures(&entry.body, &entry.signatures, parties)
                    .map_err(|r| (seq, format!("signatures: {r}")))?;
            }
            let deferred = out
                .view
                .admit(seq, &entry.body, mode == Mode::Full)
                .map_err(|r| (seq, format!("{} breaks a rule: {r}", entry.body.kind())))?;
            if matches!(entry.body, Body::InvoiceProved { .. }) {
                out.proofs += 1;
            }
            if let (Some(d), Mode::Deferred) = (deferred, mode) {
                out.deferred.push((seq, d));
            }
            Ok(Some(entry))
        })();
        prev_stored = Some(hash32(&row.hash, "hash"));
        expected_seq = expected_seq.max(row_seq.saturating_add(1));
        match failure {
            Ok(Some(entry)) => {
                out.head = Some(Head {
                    seq: entry.seq,
                    hash: entry.hash,
                });
                out.entries.push(entry);
            }
            Ok(None) => {}
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

impl AnchorLog {
    /// Creates a new log for the two parties, refusing to replace an existing file.
    pub fn create(path: &Path, seller: &PartyPublic, buyer: &PartyPublic) -> Result<Self, AnchorError> {
        if seller == buyer {
            return Err(AnchorError::Key {
                reason: "the Seller and the Buyer must have different keys".into(),
            });
        }
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    AnchorError::io(path, "already exists; an anchor log is never replaced")
                } else {
                    AnchorError::io(path, e)
                }
            })?;
        let made = (|| {
            let conn = connect(path)?;
            let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)
                .map_err(|e| AnchorError::db("create the schema", e))?;
            tx.execute_batch(SCHEMA)
                .map_err(|e| AnchorError::db("create the schema", e))?;
            for (k, v) in [
                ("format", FORMAT.to_string()),
                ("seller", seller.to_hex()),
                ("buyer", buyer.to_hex()),
            ] {
                tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![k, v])
                    .map_err(|e| AnchorError::db("write the meta data", e))?;
            }
            tx.commit().map_err(|e| AnchorError::db("create the schema", e))?;
            Ok(Self {
                conn,
                path: path.to_path_buf(),
                parties: Parties {
                    seller: *seller,
                    buyer: *buyer,
                },
            })
        })();
        if made.is_err() {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.as_os_str().to_owned();
                p.push(suffix);
                let _ = fs::remove_file(PathBuf::from(p));
            }
        }
        made
    }

    /// Opens an existing log.
    pub fn open(path: &Path) -> Result<Self, AnchorError> {
        if !path.is_file() {
            return Err(AnchorError::io(path, "no such anchor log"));
        }
        let conn = connect(path)?;
        let not_a_log = |reason: String| AnchorError::NotALog {
            path: path.to_path_buf(),
            reason,
        };
        let meta = |key: &str| -> Result<String, AnchorError> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
                r.get::<_, String>(0)
            })
            .map_err(|e| not_a_log(format!("meta {key:?}: {e}")))
        };
        let format = meta("format")?;
        if format != FORMAT {
            return Err(not_a_log(format!(
                "format {format:?}, this build reads {FORMAT:?}"
            )));
        }
        let seller =
            PartyPublic::from_hex(&meta("seller")?).map_err(|e| not_a_log(format!("seller: {e}")))?;
        let buyer = PartyPublic::from_hex(&meta("buyer")?).map_err(|e| not_a_log(format!("buyer: {e}")))?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            parties: Parties { seller, buyer },
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The two parties' keys.
    pub fn parties(&self) -> Parties {
        self.parties
    }

    /// Appends a proposal as the next entry, in one `BEGIN IMMEDIATE` transaction: replays the
    /// log, checks the signatures (exactly the roles the kind requires, by the log's keys) and the
    /// rules, then inserts. On refusal ([`AnchorError::Refused`], naming the `seq` it would have
    /// had) nothing is written.
    pub fn append(&self, proposal: Proposal) -> Result<Entry, AnchorError> {
        let tx = self.begin_write("append")?;
        let rows = read_rows(&tx)?;
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        if let Some((seq, reason)) = r.failures.pop() {
            return Err(AnchorError::Corrupt {
                seq,
                reason: format!("{reason} (nothing appended; run verify)"),
            });
        }
        let seq = r.head.map_or(1, |h| h.seq + 1);
        let prev_hash = r.head.map_or([0u8; 32], |h| h.hash);
        let Proposal { body, mut signatures } = proposal;
        signatures.sort_by_key(|s| s.role);
        let refused = |reason: String| AnchorError::Refused {
            seq,
            kind: body.kind().into(),
            reason,
        };
        check_signatures(&body, &signatures, &self.parties)
            .map_err(|e| refused(format!("signatures: {e}")))?;
        r.view.admit(seq, &body, true).map_err(refused)?;
        let entry = Entry::seal(seq, prev_hash, body, signatures);
        insert(&tx, &entry)?;
        tx.commit().map_err(|e| AnchorError::db("commit the append", e))?;
        Ok(entry)
    }

    /// Every entry, in order, after checking the chain (hashes and links; not signatures or rules,
    /// see [`AnchorLog::verify_log`]).
    pub fn entries(&self) -> Result<Vec<Entry>, AnchorError> {
        let tx = self.begin_read()?;
        let rows = read_rows(&tx)?;
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        match r.failures.pop() {
            Some((seq, reason)) => Err(AnchorError::Corrupt { seq, reason }),
            None => Ok(r.entries),
        }
    }

    /// The view of the log: its MSAs, states, usage and invoices.
    pub fn view(&self) -> Result<View, AnchorError> {
        let tx = self.begin_read()?;
        let rows = read_rows(&tx)?;
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        match r.failures.pop() {
            Some((seq, reason)) => Err(AnchorError::Corrupt { seq, reason }),
            None => Ok(r.view),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> Result<u64, AnchorError> {
        Ok(self.head()?.map_or(0, |h| h.seq))
    }

    /// Whether the log has no entry.
    pub fn is_empty(&self) -> Result<bool, AnchorError> {
        Ok(self.head()?.is_none())
    }

    /// The last entry's `seq` and stored hash, as stored (not checked).
    pub fn head(&self) -> Result<Option<Head>, AnchorError> {
        let row = self.conn.query_row(
            "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
        );
        match row {
            Ok((seq, hash)) => {
                let seq = u64::try_from(seq).map_err(|_| AnchorError::Corrupt {
                    seq: 0,
                    reason: format!("seq {seq} is not positive"),
                })?;
                let hash = <[u8; 32]>::try_from(hash.as_slice()).map_err(|_| AnchorError::Corrupt {
                    seq,
                    reason: format!("hash has {} bytes, not 32", hash.len()),
                })?;
                Ok(Some(Head { seq, hash }))
            }
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(AnchorError::db("read the head", e)),
        }
    }

    /// The latest anchored state of an MSA, if it is anchored.
    pub fn latest_state(&self, msa: &Fr) -> Result<Option<Fr>, AnchorError> {
        Ok(self.view()?.latest_state(msa))
    }

    /// Writes every entry as one JSON line ([`Entry::to_json_line`]).
    pub fn export_jsonl(&self, writer: &mut dyn Write) -> Result<u64, AnchorError> {
        let entries = self.entries()?;
        for e in &entries {
            writeln!(writer, "{}", e.to_json_line()).map_err(|e| AnchorError::io("export", e))?;
        }
        writer.flush().map_err(|e| AnchorError::io("export", e))?;
        Ok(entries.len() as u64)
    }

    /// Imports another copy's export, in one transaction. Each line must either be identical (same
    /// hash) to the local entry at its `seq`, or be the next entry: linked to the local head, its
    /// hash recomputing, its signatures and the rules holding (proofs verified). A line whose `seq`
    /// holds another entry locally is a fork ([`AnchorError::Fork`]); a gap, a bad line or a
    /// refused entry is [`AnchorError::Import`]. On any refusal nothing is imported.
    pub fn import_jsonl(&self, reader: &mut dyn BufRead) -> Result<ImportReport, AnchorError> {
        let mut lines = Vec::new();
        for (i, line) in reader.lines().enumerate() {
            let line_no = i + 1;
            let text = line.map_err(|e| AnchorError::Import {
                line: line_no,
                seq: None,
                reason: format!("cannot be read ({e})"),
            })?;
            if text.trim().is_empty() {
                continue;
            }
            let entry: Entry = serde_json::from_str(&text).map_err(|e| AnchorError::Import {
                line: line_no,
                seq: None,
                reason: format!("not an entry ({e})"),
            })?;
            let computed = entry.compute_hash();
            if computed != entry.hash {
                return Err(AnchorError::Import {
                    line: line_no,
                    seq: Some(entry.seq),
                    reason: format!(
                        "its hash {} does not recompute ({})",
                        hex::encode(entry.hash),
                        hex::encode(computed)
                    ),
                });
            }
            lines.push((line_no, entry));
        }
        let tx = self.begin_write("import")?;
        let rows = read_rows(&tx)?;
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        if let Some((seq, reason)) = r.failures.pop() {
            return Err(AnchorError::Corrupt {
                seq,
                reason: format!("{reason} (nothing imported; run verify)"),
            });
        }
        let mut hashes: Vec<[u8; 32]> = r.entries.iter().map(|e| e.hash).collect();
        let mut report = ImportReport::default();
        for (line, entry) in lines {
            let seq = entry.seq;
            let fail = |reason: String| AnchorError::Import {
                line,
                seq: Some(seq),
                reason,
            };
            let len = hashes.len() as u64;
            if seq == 0 {
                return Err(fail("seq 0: entries are numbered from 1".into()));
            }
            if seq <= len {
                let local = hashes[(seq - 1) as usize];
                if local == entry.hash {
                    report.already_present += 1;
                    continue;
                }
                return Err(AnchorError::Fork {
                    seq,
                    local: hex::encode(local),
                    imported: hex::encode(entry.hash),
                });
            }
            if seq > len + 1 {
                return Err(fail(format!(
                    "a gap: the log ends at entry {len}, so the next entry is {}; import the entries in order",
                    len + 1
                )));
            }
            let head = hashes.last().copied().unwrap_or([0u8; 32]);
            if entry.prev_hash != head {
                return Err(fail(format!(
                    "prev_hash {} does not link to the local head {}",
                    hex::encode(entry.prev_hash),
                    hex::encode(head)
                )));
            }
            check_signatures(&entry.body, &entry.signatures, &self.parties)
                .map_err(|e| fail(format!("signatures: {e}")))?;
            r.view
                .admit(seq, &entry.body, true)
                .map_err(|e| fail(format!("{} refused: {e}", entry.body.kind())))?;
            insert(&tx, &entry)?;
            hashes.push(entry.hash);
            report.appended += 1;
        }
        tx.commit().map_err(|e| AnchorError::db("commit the import", e))?;
        Ok(report)
    }

    /// Checks every stored row: it decodes in canonical form, its `seq` is the next, its
    /// `prev_hash` links to the previous row's hash, its hash recomputes, its signatures are valid
    /// and the rules hold on replay (every proof verified). Returns the first bad entry as
    /// [`AnchorError::Corrupt`] with its `seq` and the reason.
    pub fn verify_log(&self) -> Result<VerifyReport, AnchorError> {
        let tx = self.begin_read()?;
        let rows = read_rows(&tx)?;
        let mut r = replay(&rows, &self.parties, Mode::Full, false, &mut |_| {});
        if let Some((seq, reason)) = r.failures.pop() {
            return Err(AnchorError::Corrupt { seq, reason });
        }
        Ok(VerifyReport {
            entries: r.entries.len() as u64,
            head: r.head,
            msas: count_msas(&r.entries),
            proofs: r.proofs,
        })
    }

    /// [`AnchorLog::audit_with`] with proofs batched per MSA and no progress report.
    pub fn audit<R: RngCore + ?Sized>(&self, rng: &mut R) -> Result<AuditReport, AnchorError> {
        self.audit_with(rng, AuditOptions::default())
    }

    /// The checks of [`AnchorLog::verify_log`], continuing past failures where possible, with
    /// every proof verified by [`verify_batch`] per MSA (or one by one), the bad ones named.
    /// Returns an error only when the log cannot be read at all.
    pub fn audit_with<R: RngCore + ?Sized>(
        &self,
        rng: &mut R,
        mut options: AuditOptions<'_>,
    ) -> Result<AuditReport, AnchorError> {
        let start = Instant::now();
        let tx = self.begin_read()?;
        let rows = read_rows(&tx)?;
        drop(tx);
        let estimated_proofs = rows
            .iter()
            .filter(|r| r.kind.as_deref() == Ok(b"invoice-proved".as_slice()))
            .count() as u64;
        let rows_n = rows.len() as u64;
        let mut total = rows_n + estimated_proofs;
        let mut report = |done: u64, total: u64| {
            if let Some(p) = options.progress.as_mut() {
                p(done, total);
            }
        };
        let r = replay(&rows, &self.parties, Mode::Deferred, true, &mut |d| {
            report(d, total)
        });
        let mut failures = r.failures;
        total = rows_n + r.deferred.len() as u64;
        let proof_start = Instant::now();
        let mut done = rows_n;
        // Group the deferred proofs by MSA, keeping log order.
        let mut groups: Vec<(Fr, Vec<&(u64, Deferred)>)> = Vec::new();
        for d in &r.deferred {
            match groups.iter_mut().find(|(m, _)| *m == d.1.msa) {
                Some((_, g)) => g.push(d),
                None => groups.push((d.1.msa, vec![d])),
            }
        }
        for (msa, group) in &groups {
            let Some(key) = r.view.verifying_key(msa) else {
                continue;
            };
            let bad_proof = |seq: u64| {
                (
                    seq,
                    format!(
                        "invoice-proved: the proof does not verify under the MSA's verifying key {}",
                        crate::body::short(&key.hash_hex())
                    ),
                )
            };
            if options.one_by_one {
                for (seq, d) in group {
                    if verify(key, &d.proof, &d.inputs).is_err() {
                        failures.push(bad_proof(*seq));
                    }
                    done += 1;
                    report(done, total);
                }
            } else {
                for chunk in group.chunks(64) {
                    let items: Vec<_> = chunk.iter().map(|(_, d)| (&d.proof, &d.inputs)).collect();
                    match verify_batch(key, &items, rng) {
                        Ok(()) => {}
                        Err(VerifyError::BatchInvalid { invalid }) => failures.extend(
                            invalid
                                .iter()
                                .filter_map(|&i| chunk.get(i))
                                .map(|(s, _)| bad_proof(*s)),
                        ),
                        Err(e) => {
                            failures.extend(chunk.iter().map(|(s, _)| (*s, format!("invoice-proved: {e}"))))
                        }
                    }
                    done += chunk.len() as u64;
                    report(done, total);
                }
            }
        }
        let proof_time = proof_start.elapsed();
        report(total, total);
        failures.sort_by_key(|(seq, _)| *seq);
        Ok(AuditReport {
            entries: rows_n,
            msas: count_msas(&r.entries),
            proofs: r.deferred.len() as u64,
            failures,
            proof_time,
            elapsed: start.elapsed(),
        })
    }

    fn begin_write(&self, what: &str) -> Result<Transaction<'_>, AnchorError> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(|e| AnchorError::db(format!("{what}: take the write lock"), e))
    }

    fn begin_read(&self) -> Result<Transaction<'_>, AnchorError> {
        Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(|e| AnchorError::db("begin a read", e))
    }
}

fn count_msas(entries: &[Entry]) -> u64 {
    entries
        .iter()
        .filter(|e| matches!(e.body, Body::MsaAgreed { .. }))
        .count() as u64
}

/// Opens the database and sets WAL, `synchronous=FULL` and the busy timeout.
fn connect(path: &Path) -> Result<Connection, AnchorError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| AnchorError::db(format!("open {}", path.display()), e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| AnchorError::db("set the busy timeout", e))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(|e| AnchorError::NotALog {
            path: path.to_path_buf(),
            reason: format!("cannot switch to WAL ({e})"),
        })?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(AnchorError::NotALog {
            path: path.to_path_buf(),
            reason: format!("journal mode {mode:?}, not WAL"),
        });
    }
    conn.execute_batch("PRAGMA synchronous=FULL;")
        .map_err(|e| AnchorError::db("set synchronous=FULL", e))?;
    Ok(conn)
}

fn read_rows(conn: &Connection) -> Result<Vec<RawRow>, AnchorError> {
    let mut stmt = conn
        .prepare("SELECT seq, prev_hash, hash, kind, body, signatures FROM entries ORDER BY seq")
        .map_err(|e| AnchorError::db("read the entries", e))?;
    let rows = stmt
        .query_map([], |r| {
            Ok(RawRow {
                seq: r.get(0)?,
                prev_hash: column(r.get_ref(1)?, "prev_hash"),
                hash: column(r.get_ref(2)?, "hash"),
                kind: column(r.get_ref(3)?, "kind"),
                body: column(r.get_ref(4)?, "body"),
                signatures: column(r.get_ref(5)?, "signatures"),
            })
        })
        .map_err(|e| AnchorError::db("read the entries", e))?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| AnchorError::db("read the entries", e))
}

fn insert(conn: &Connection, entry: &Entry) -> Result<(), AnchorError> {
    conn.execute(
        "INSERT INTO entries (seq, prev_hash, hash, kind, body, signatures) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            entry.seq as i64,
            entry.prev_hash.as_slice(),
            entry.hash.as_slice(),
            entry.body.kind(),
            entry.body.canonical_json(),
            entry.signatures_json(),
        ],
    )
    .map_err(|e| AnchorError::db(format!("insert entry {}", entry.seq), e))?;
    Ok(())
}
