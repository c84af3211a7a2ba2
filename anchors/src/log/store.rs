//! The SQLite file: its schema (append-only by triggers), the connection's settings, and stored
//! rows read back and decoded.
//!
//! Relies on the entries and bodies (what a row decodes to) and the error types; it checks each
//! row on its own, not the chain (`replay` does).

use std::path::Path;

use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OpenFlags, Transaction};

use crate::body::{Body, Signature};
use crate::entry::{signatures_json, Entry};
use crate::error::{AnchorError, Corruption};
use crate::keys::{Parties, PartyPublic};

use super::busy::BUSY_TIMEOUT;

/// The format version recorded in `meta`.
pub const FORMAT: &str = "zkinvoice-anchors/v1";

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

/// The record of every entry written (its `seq` and hash), kept apart from the entries: rows
/// deleted from `entries` behind the log's back (the last ones, say) leave their record here, so
/// the copy knows it had them ([`crate::Corruption::Removed`]), refuses to append after them, and
/// takes them back on import only as they were. Created by the first write of a log made before
/// it (and filled from its entries then).
const WRITTEN: &str = "
CREATE TABLE IF NOT EXISTS written (
    seq INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);
CREATE TRIGGER IF NOT EXISTS written_no_update BEFORE UPDATE ON written
BEGIN SELECT RAISE(ABORT, 'the anchor log''s record of written entries is append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS written_no_delete BEFORE DELETE ON written
BEGIN SELECT RAISE(ABORT, 'the anchor log''s record of written entries is append-only: DELETE refused'); END;
INSERT INTO written (seq, hash)
    SELECT seq, hash FROM entries WHERE seq > (SELECT COALESCE(MAX(seq), 0) FROM written) ORDER BY seq;
";

/// The last entry of a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// Its `seq` (the log's length).
    pub seq: u64,
    /// Its hash.
    pub hash: [u8; 32],
}

/// One stored row, each column's bytes (or why they cannot be read).
pub(crate) struct RawRow {
    pub seq: i64,
    pub prev_hash: Result<Vec<u8>, Corruption>,
    pub hash: Result<Vec<u8>, Corruption>,
    pub kind: Result<Vec<u8>, Corruption>,
    pub body: Result<Vec<u8>, Corruption>,
    pub signatures: Result<Vec<u8>, Corruption>,
}

fn column(v: ValueRef<'_>, column: &'static str) -> Result<Vec<u8>, Corruption> {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => Ok(b.to_vec()),
        ValueRef::Null => Err(Corruption::Null { column }),
        ValueRef::Integer(_) | ValueRef::Real(_) => Err(Corruption::Number { column }),
    }
}

/// A hash column's 32 bytes.
pub(crate) fn hash32(
    col: &Result<Vec<u8>, Corruption>,
    column: &'static str,
) -> Result<[u8; 32], Corruption> {
    let bytes = col.as_ref().map_err(Clone::clone)?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| Corruption::HashLength {
        column,
        len: bytes.len(),
    })
}

fn utf8<'a>(col: &'a Result<Vec<u8>, Corruption>, column: &'static str) -> Result<&'a str, Corruption> {
    let bytes = col.as_ref().map_err(Clone::clone)?;
    std::str::from_utf8(bytes).map_err(|reason| Corruption::NotUtf8 { column, reason })
}

/// Decodes a stored row: every column well-formed and canonical. The caller checks the chain.
pub(crate) fn decode_row(row: &RawRow) -> Result<Entry, Corruption> {
    let seq = u64::try_from(row.seq).map_err(|_| Corruption::SeqNotPositive { seq: row.seq })?;
    let prev_hash = hash32(&row.prev_hash, "prev_hash")?;
    let hash = hash32(&row.hash, "hash")?;
    let text = utf8(&row.body, "body")?;
    let body: Body = serde_json::from_str(text).map_err(|e| Corruption::BodyDoesNotParse {
        reason: e.to_string(),
    })?;
    if body.canonical_json() != text {
        return Err(Corruption::BodyNotCanonical);
    }
    let kind = utf8(&row.kind, "kind")?;
    if kind != body.kind() {
        return Err(Corruption::KindMismatch {
            kind: kind.into(),
            body: body.kind(),
        });
    }
    let text = utf8(&row.signatures, "signatures")?;
    let signatures: Vec<Signature> =
        serde_json::from_str(text).map_err(|e| Corruption::SignaturesDoNotParse {
            reason: e.to_string(),
        })?;
    if signatures_json(&signatures) != text {
        return Err(Corruption::SignaturesNotCanonical);
    }
    Ok(Entry {
        seq,
        prev_hash,
        body,
        signatures,
        hash,
    })
}

/// Opens the database and sets WAL, `synchronous=FULL` and the busy timeout.
pub(crate) fn connect(path: &Path) -> Result<Connection, AnchorError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| AnchorError::db(format!("open {}", path.display()), e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| AnchorError::db("set the busy timeout", e))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .map_err(|e| match AnchorError::db("", e) {
            AnchorError::Database { reason, .. } => AnchorError::NotALog {
                path: path.to_path_buf(),
                reason: format!("cannot switch to WAL ({reason})"),
            },
            busy => busy,
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

/// Creates the tables and triggers and records the format and the parties' keys, in `tx`.
pub(crate) fn write_schema(tx: &Transaction<'_>, parties: &Parties) -> Result<(), AnchorError> {
    tx.execute_batch(SCHEMA)
        .map_err(|e| AnchorError::db("create the schema", e))?;
    keep_written(tx)?;
    for (k, v) in [
        ("format", FORMAT.to_string()),
        ("seller", parties.seller.to_hex()),
        ("buyer", parties.buyer.to_hex()),
    ] {
        tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![k, v])
            .map_err(|e| AnchorError::db("write the meta data", e))?;
    }
    Ok(())
}

/// Reads the format and the parties' keys of the log at `path`: [`AnchorError::NotALog`] if the
/// format is not [`FORMAT`] or a key is missing or malformed.
pub(crate) fn read_meta(conn: &Connection, path: &Path) -> Result<Parties, AnchorError> {
    let not_a_log = |reason: String| AnchorError::NotALog {
        path: path.to_path_buf(),
        reason,
    };
    let meta = |key: &str| -> Result<String, AnchorError> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| {
            r.get::<_, String>(0)
        })
        .map_err(|e| match AnchorError::db("", e) {
            AnchorError::Database { reason, .. } => not_a_log(format!("meta {key:?}: {reason}")),
            busy => busy,
        })
    };
    let format = meta("format")?;
    if format != FORMAT {
        return Err(not_a_log(format!(
            "format {format:?}, this build reads {FORMAT:?}"
        )));
    }
    let seller = PartyPublic::from_hex(&meta("seller")?).map_err(|e| not_a_log(format!("seller: {e}")))?;
    let buyer = PartyPublic::from_hex(&meta("buyer")?).map_err(|e| not_a_log(format!("buyer: {e}")))?;
    Ok(Parties { seller, buyer })
}

/// Every stored row, in `seq` order.
pub(crate) fn read_rows(conn: &Connection) -> Result<Vec<RawRow>, AnchorError> {
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

/// The last row's `seq` and hash, as stored (not checked).
pub(crate) fn read_head(conn: &Connection) -> Result<Option<Head>, AnchorError> {
    let row = conn.query_row(
        "SELECT seq, hash FROM entries ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)),
    );
    match row {
        Ok((seq, hash)) => {
            let seq = u64::try_from(seq)
                .map_err(|_| AnchorError::corrupt(0, Corruption::SeqNotPositive { seq }))?;
            let hash = <[u8; 32]>::try_from(hash.as_slice()).map_err(|_| {
                AnchorError::corrupt(
                    seq,
                    Corruption::HashLength {
                        column: "hash",
                        len: hash.len(),
                    },
                )
            })?;
            Ok(Some(Head { seq, hash }))
        }
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(AnchorError::db("read the head", e)),
    }
}

/// Creates the record of written entries if the log has none yet, and records the entries it
/// lacks (those an older build wrote), in `tx`: the first step of every write.
pub(crate) fn keep_written(tx: &Transaction<'_>) -> Result<(), AnchorError> {
    tx.execute_batch(WRITTEN)
        .map_err(|e| AnchorError::db("keep the record of written entries", e))
}

/// The hashes of the entries written, in `seq` order (from 1), as recorded; none for a log that
/// has no record yet (made by an older build, and not written to since).
pub(crate) fn read_written(conn: &Connection) -> Result<Vec<[u8; 32]>, AnchorError> {
    let db = |e| AnchorError::db("read the record of written entries", e);
    let exists: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'written')",
            [],
            |r| r.get(0),
        )
        .map_err(db)?;
    if !exists {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare("SELECT seq, hash FROM written ORDER BY seq")
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .map_err(db)?;
    let mut hashes = Vec::new();
    for row in rows {
        let (seq, hash) = row.map_err(db)?;
        let expected = hashes.len() as i64 + 1;
        let hash = <[u8; 32]>::try_from(hash.as_slice())
            .ok()
            .filter(|_| seq == expected);
        // A record that is not a gap-free list of hashes was altered: treated as no record (the
        // entries themselves are still checked, and the other party's copy compared).
        let Some(hash) = hash else {
            return Ok(Vec::new());
        };
        hashes.push(hash);
    }
    Ok(hashes)
}

/// Inserts `entry` (the triggers refuse any `seq` but the next) and records it as written unless
/// it is recorded already (an entry restored by an import, which checked it is the same).
pub(crate) fn insert(conn: &Connection, entry: &Entry) -> Result<(), AnchorError> {
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
    conn.execute(
        "INSERT OR IGNORE INTO written (seq, hash) VALUES (?1, ?2)",
        params![entry.seq as i64, entry.hash.as_slice()],
    )
    .map_err(|e| AnchorError::db(format!("record entry {} as written", entry.seq), e))?;
    Ok(())
}
