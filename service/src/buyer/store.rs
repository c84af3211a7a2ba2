//! The Buyer's store: every received bill, as received, with the record of what became of it
//! ([`Received`]). Relies on [`crate::store::Db`] for the connection.

use std::{path::Path, sync::MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::{store::Db, ServiceError};

/// What became of a received bill (`GET /received/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    /// The bill's id.
    pub id: String,
    /// The bill number (empty if the bill could not be read).
    pub bill_no: String,
    /// `accepted` or `rejected`.
    pub status: String,
    /// For a rejection, the MEF error code (`invalidProof`, `invalidBill`, `keyMismatch`,
    /// `notFound`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For a rejection, why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The invoice commitment the bill's proof is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_commitment: Option<String>,
    /// The total the bill asks, as `"<decimal> <currency>"`, once checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<String>,
    /// The anchor log entry that records the decision (`invoice-accepted` / `invoice-rejected`),
    /// if one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_entry: Option<u64>,
    /// Why no decision was anchored, if none was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_anchored: Option<String>,
    /// When it was checked (RFC 3339).
    pub checked_at: String,
    /// The credit note's number (and those of the notes carried to the bill, `zkCarried`,
    /// separated by `, `), once the Seller sent the bill credited (`customerBillStateChangeEvent`)
    /// and the Buyer's check found the notes anchored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credited: Option<String>,
    /// The payment's reference, once the Seller sent the bill settled
    /// (`customerBillStateChangeEvent`) and the Buyer's check found its receipt anchored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled: Option<String>,
    /// Why the bill the Seller last sent as changed was refused (the record and the bill kept
    /// are the ones before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_refused: Option<String>,
}

impl Received {
    /// Whether the bill was accepted.
    pub fn is_accepted(&self) -> bool {
        self.status == "accepted"
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS received (
    id TEXT PRIMARY KEY,
    bill TEXT NOT NULL,
    record TEXT NOT NULL
);
";

/// The Buyer's store (SQLite, WAL): every received bill with the record of what became of it.
pub struct BuyerStore {
    db: Db,
}

impl std::fmt::Debug for BuyerStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuyerStore").field("db", &self.db).finish()
    }
}

impl BuyerStore {
    /// Opens the store at `path`, creating it if needed.
    pub fn open(path: &Path) -> Result<Self, ServiceError> {
        Ok(Self {
            db: Db::open(path, SCHEMA)?,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.db.conn()
    }

    fn err(&self, source: rusqlite::Error) -> ServiceError {
        self.db.err(source)
    }

    fn decode(&self, json: &str) -> Result<Received, ServiceError> {
        serde_json::from_str(json).map_err(|e| self.db.corrupt(e))
    }

    /// What became of bill `id`, with the bill as received (JSON).
    pub fn get(&self, id: &str) -> Result<Option<(Received, String)>, ServiceError> {
        let row: Option<(String, String)> = self
            .conn()
            .query_row("SELECT record, bill FROM received WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| self.err(e))?;
        row.map(|(record, bill)| Ok((self.decode(&record)?, bill)))
            .transpose()
    }

    /// Every received bill's record, by id.
    pub fn all(&self) -> Result<Vec<Received>, ServiceError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT record FROM received ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(self.decode(&row.map_err(|e| self.err(e))?)?);
        }
        Ok(out)
    }

    /// Records what became of a bill (replacing an earlier record of the same bill).
    pub(crate) fn put(&self, record: &Received, bill: &str) -> Result<(), ServiceError> {
        let json = serde_json::to_string(record).map_err(|e| self.db.corrupt(e))?;
        self.conn()
            .execute(
                "INSERT INTO received (id, bill, record) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET bill = excluded.bill, record = excluded.record",
                params![record.id, bill, json],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }
}
