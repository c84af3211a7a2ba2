//! The SQLite anchor log: the [`AnchorLog`] type, creating and opening a file, and reading it
//! back (entries, view, head).
//!
//! One file per job: `store` (schema, connection, rows, the record of written entries), `busy`
//! (retrying while another process holds the lock), `replay` (checking stored rows in order),
//! `written` (checking them against the record), `append`, `exchange` (export and import as JSON
//! lines), `compare` (this copy against another), `verify` and `audit`; the last five add methods
//! to [`AnchorLog`]. They rely on the rules (`rules`) and the view they build.

pub(crate) mod append;
pub(crate) mod audit;
pub(crate) mod busy;
pub(crate) mod compare;
pub(crate) mod exchange;
pub(crate) mod replay;
pub(crate) mod store;
pub(crate) mod verify;
pub(crate) mod written;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use zkinvoice_verifier::Fr;

use crate::entry::Entry;
use crate::error::AnchorError;
use crate::keys::{Parties, PartyPublic};
use crate::view::View;
use busy::{patiently, BUSY_PATIENCE};
use replay::{replay, Mode, Replay};
use store::{connect, read_head, read_meta, read_rows, read_written, write_schema, Head, RawRow};

/// The embedded, append-only, hash-chained, signed anchor log of one bilateral, in a SQLite file.
///
/// Writers take SQLite's write lock for the whole of [`AnchorLog::append`] or
/// [`AnchorLog::import_jsonl`] (`BEGIN IMMEDIATE`), so several processes can append to one file;
/// one that finds the file locked tries again with back-off for up to [`BUSY_PATIENCE`] (see
/// `busy`). The file is in WAL mode with `synchronous=FULL`, so a committed entry survives a
/// crash and an interrupted one leaves no trace.
pub struct AnchorLog {
    conn: Connection,
    path: PathBuf,
    parties: Parties,
    patience: Duration,
}

impl std::fmt::Debug for AnchorLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnchorLog")
            .field("path", &self.path)
            .field("parties", &self.parties)
            .field("patience", &self.patience)
            .finish()
    }
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
        let parties = Parties {
            seller: *seller,
            buyer: *buyer,
        };
        let made = patiently(path, BUSY_PATIENCE, || {
            let conn = connect(path)?;
            let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)
                .map_err(|e| AnchorError::db("create the schema", e))?;
            write_schema(&tx, &parties)?;
            tx.commit().map_err(|e| AnchorError::db("create the schema", e))?;
            Ok(Self {
                conn,
                path: path.to_path_buf(),
                parties,
                patience: BUSY_PATIENCE,
            })
        });
        // A log that could not be made leaves no file behind (nor SQLite's side files).
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
        patiently(path, BUSY_PATIENCE, || {
            let conn = connect(path)?;
            let parties = read_meta(&conn, path)?;
            Ok(Self {
                conn,
                path: path.to_path_buf(),
                parties,
                patience: BUSY_PATIENCE,
            })
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

    /// Every entry, in order, after checking the chain (hashes and links; not signatures or rules,
    /// see [`AnchorLog::verify_log`]).
    pub fn entries(&self) -> Result<Vec<Entry>, AnchorError> {
        self.replay_trusting().map(|r| r.entries)
    }

    /// The view of the log: its MSAs, states, usage and invoices.
    pub fn view(&self) -> Result<View, AnchorError> {
        self.replay_trusting().map(|r| r.view)
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
        self.patiently(|| read_head(&self.conn))
    }

    /// The latest anchored state of an MSA, if it is anchored.
    pub fn latest_state(&self, msa: &Fr) -> Result<Option<Fr>, AnchorError> {
        Ok(self.view()?.latest_state(msa))
    }

    /// The stored log replayed trusting the signatures and proofs checked on insertion; the first
    /// entry that does not check is [`AnchorError::Corrupt`].
    fn replay_trusting(&self) -> Result<Replay, AnchorError> {
        let (rows, _) = self.read_stored()?;
        let mut r = replay(&rows, &self.parties, Mode::Trusting, false, &mut |_| {});
        match r.failures.pop() {
            Some((seq, reason)) => Err(AnchorError::corrupt(seq, reason)),
            None => Ok(r),
        }
    }

    /// Every stored row and the record of written entries, read in one transaction (retried
    /// while the log is busy).
    fn read_stored(&self) -> Result<(Vec<RawRow>, Vec<[u8; 32]>), AnchorError> {
        self.patiently(|| {
            let tx = self.begin_read()?;
            Ok((read_rows(&tx)?, read_written(&tx)?))
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
