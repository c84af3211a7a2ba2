//! The Seller's store: the schema, publishing a bill (its items and one event per listener that
//! wants it, in one transaction), reading bills and items back, listener (hub) rows and outbox rows.
//! Relies on [`crate::store::Db`] for the connection and on [`super::subscription`] to tell which
//! listeners want an event.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use zkinvoice_mef141::{CustomerBill, STATE_CHANGE_EVENT};

use super::subscription::wants;
use crate::{
    api::{EventSubscription, EventSubscriptionInput, CREATE_EVENT},
    clock::{now_ms, now_text},
    store::Db,
    ServiceError,
};

/// The Seller's store (SQLite, WAL): published bills and their items, registered listeners and
/// the outbox of events. Several processes may use it at once (`zkinvoice publish` writes into the
/// store of a running `zkinvoice serve --role seller`).
pub struct SellerStore {
    db: Db,
}

impl std::fmt::Debug for SellerStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SellerStore").field("db", &self.db).finish()
    }
}

/// What [`SellerStore::publish`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The bill's id.
    pub id: String,
    /// Whether the same bill was already published (nothing was changed).
    pub already: bool,
    /// How many events were queued (one per registered listener that wants them).
    pub events: usize,
}

/// One event in the outbox, as [`SellerStore::outbox`] lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The event's id.
    pub event_id: String,
    /// The listener's subscription.
    pub hub_id: String,
    /// The bill.
    pub bill_id: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Whether the listener took it.
    pub delivered: bool,
    /// The last failure.
    pub last_error: Option<String>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS bill (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    json TEXT NOT NULL,
    published_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bill_item (
    id TEXT PRIMARY KEY,
    bill_id TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hub (
    id TEXT PRIMARY KEY,
    callback TEXT NOT NULL,
    query TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    hub_id TEXT NOT NULL,
    bill_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_time TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    delivered_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (hub_id, seq) WHERE delivered_at IS NULL;
";

/// A fresh random id: 32 hex digits.
fn random_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// One event due for delivery (an outbox row with its listener's callback).
pub(crate) struct Due {
    pub seq: i64,
    pub event_id: String,
    pub event_type: String,
    pub event_time: String,
    pub bill_id: String,
    pub callback: String,
    pub attempts: u32,
}

impl SellerStore {
    /// Opens the store at `path`, creating it if needed.
    pub fn open(path: &Path) -> Result<Self, ServiceError> {
        Ok(Self {
            db: Db::open(path, SCHEMA)?,
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.conn()
    }

    fn err(&self, source: rusqlite::Error) -> ServiceError {
        self.db.err(source)
    }

    /// Publishes a bill: stores it and its items and queues a `customerBillCreateEvent` for every
    /// registered listener, in one transaction. Publishing the same bill again changes nothing;
    /// the published bill settled ([`CustomerBill::settled`]: its payment received) replaces it
    /// and queues a `customerBillStateChangeEvent` for every listener that wants one; any other
    /// bill under a used bill or item id is refused.
    pub fn publish(&self, bill: &CustomerBill) -> Result<Published, ServiceError> {
        let refuse = |reason: String| ServiceError::Bill {
            id: bill.id.clone(),
            reason,
        };
        if bill.id.is_empty() || bill.customer_bill_item.iter().any(|i| i.id.is_empty()) {
            return Err(refuse("the bill and each of its items need an id".into()));
        }
        let json = serde_json::to_string(bill).map_err(|e| refuse(e.to_string()))?;
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let existing: Option<String> = tx
            .query_row("SELECT json FROM bill WHERE id = ?1", [&bill.id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))?;
        let now = now_text();
        if let Some(existing) = existing {
            if existing == json {
                return Ok(Published {
                    id: bill.id.clone(),
                    already: true,
                    events: 0,
                });
            }
            // The only changes a published bill takes: a credit note applied, its payment
            // received (settled).
            let follows = serde_json::from_str::<CustomerBill>(&existing)
                .ok()
                .is_some_and(|was| was.takes(bill));
            if !follows {
                return Err(refuse(
                    "another bill with this id is already published (the only changes a published bill takes are a credit note and its settlement: CustomerBill::credited, ::settled)".into(),
                ));
            }
            tx.execute("UPDATE bill SET json = ?2 WHERE id = ?1", params![bill.id, json])
                .map_err(|e| self.err(e))?;
            let events = self.queue(&tx, &bill.id, STATE_CHANGE_EVENT, &now)?;
            tx.commit().map_err(|e| self.err(e))?;
            return Ok(Published {
                id: bill.id.clone(),
                already: false,
                events,
            });
        }
        tx.execute(
            "INSERT INTO bill (id, json, published_at) VALUES (?1, ?2, ?3)",
            params![bill.id, json, now],
        )
        .map_err(|e| self.err(e))?;
        for item in &bill.customer_bill_item {
            let item_json = serde_json::to_string(item).map_err(|e| refuse(e.to_string()))?;
            let inserted = tx
                .execute(
                    "INSERT OR IGNORE INTO bill_item (id, bill_id, json) VALUES (?1, ?2, ?3)",
                    params![item.id, bill.id, item_json],
                )
                .map_err(|e| self.err(e))?;
            if inserted == 0 {
                return Err(refuse(format!("bill item id {:?} is already used", item.id)));
            }
        }
        let events = self.queue(&tx, &bill.id, CREATE_EVENT, &now)?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(Published {
            id: bill.id.clone(),
            already: false,
            events,
        })
    }

    /// Queues an `event` (its type) about `bill` for every listener that wants it: how many.
    fn queue(&self, tx: &Transaction<'_>, bill: &str, event: &str, now: &str) -> Result<usize, ServiceError> {
        let mut stmt = tx
            .prepare("SELECT id, query FROM hub ORDER BY created_at, id")
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)));
        let hubs: Vec<(String, Option<String>)> =
            rows.and_then(Iterator::collect).map_err(|e| self.err(e))?;
        let mut events = 0;
        for (hub, _) in hubs.iter().filter(|(_, q)| wants(q.as_deref(), event)) {
            tx.execute(
                "INSERT INTO outbox (event_id, hub_id, bill_id, event_type, event_time, next_attempt_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![random_id(), hub, bill, event, now, now_ms()],
            )
            .map_err(|e| self.err(e))?;
            events += 1;
        }
        Ok(events)
    }

    /// A published bill (its stored JSON).
    pub fn bill(&self, id: &str) -> Result<Option<String>, ServiceError> {
        self.conn()
            .query_row("SELECT json FROM bill WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// A published bill item (its stored JSON).
    pub fn item(&self, id: &str) -> Result<Option<String>, ServiceError> {
        self.conn()
            .query_row("SELECT json FROM bill_item WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every published bill, in publishing order.
    pub fn bills(&self) -> Result<Vec<CustomerBill>, ServiceError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT json FROM bill ORDER BY seq")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        let mut bills = Vec::new();
        for row in rows {
            let json = row.map_err(|e| self.err(e))?;
            bills.push(serde_json::from_str(&json).map_err(|e| self.db.corrupt(e))?);
        }
        Ok(bills)
    }

    /// Registers a listener.
    pub fn add_hub(&self, input: &EventSubscriptionInput) -> Result<EventSubscription, ServiceError> {
        let id = random_id();
        self.conn()
            .execute(
                "INSERT INTO hub (id, callback, query, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, input.callback, input.query, now_text()],
            )
            .map_err(|e| self.err(e))?;
        Ok(EventSubscription {
            id,
            callback: input.callback.clone(),
            query: input.query.clone(),
        })
    }

    /// A registered listener.
    pub fn hub(&self, id: &str) -> Result<Option<EventSubscription>, ServiceError> {
        self.conn()
            .query_row("SELECT id, callback, query FROM hub WHERE id = ?1", [id], |r| {
                Ok(EventSubscription {
                    id: r.get(0)?,
                    callback: r.get(1)?,
                    query: r.get(2)?,
                })
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Unregisters a listener and drops its undelivered events; false if there was none.
    pub fn delete_hub(&self, id: &str) -> Result<bool, ServiceError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let n = tx
            .execute("DELETE FROM hub WHERE id = ?1", [id])
            .map_err(|e| self.err(e))?;
        tx.execute(
            "DELETE FROM outbox WHERE hub_id = ?1 AND delivered_at IS NULL",
            [id],
        )
        .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(n > 0)
    }

    /// Every event in the outbox, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>, ServiceError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT event_id, hub_id, bill_id, attempts, delivered_at IS NOT NULL, last_error
                 FROM outbox ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(OutboxEntry {
                    event_id: r.get(0)?,
                    hub_id: r.get(1)?,
                    bill_id: r.get(2)?,
                    attempts: r.get(3)?,
                    delivered: r.get(4)?,
                    last_error: r.get(5)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The events due at `now`: per listener, its oldest undelivered event, if its time has come
    /// (so each listener gets its events in order).
    pub(crate) fn due(&self, now: i64) -> Result<Vec<Due>, ServiceError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT o.seq, o.event_id, o.event_type, o.event_time, o.bill_id, h.callback, o.attempts
                 FROM outbox o JOIN hub h ON h.id = o.hub_id
                 WHERE o.delivered_at IS NULL AND o.next_attempt_ms <= ?1
                   AND o.seq = (SELECT MIN(seq) FROM outbox WHERE hub_id = o.hub_id AND delivered_at IS NULL)
                 ORDER BY o.seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([now], |r| {
                Ok(Due {
                    seq: r.get(0)?,
                    event_id: r.get(1)?,
                    event_type: r.get(2)?,
                    event_time: r.get(3)?,
                    bill_id: r.get(4)?,
                    callback: r.get(5)?,
                    attempts: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// When the next undelivered event is due (ms since the epoch).
    pub(crate) fn next_due(&self) -> Result<Option<i64>, ServiceError> {
        self.conn()
            .query_row(
                "SELECT MIN(next_attempt_ms) FROM outbox WHERE delivered_at IS NULL",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    pub(crate) fn delivered(&self, seq: i64) -> Result<(), ServiceError> {
        self.conn()
            .execute(
                "UPDATE outbox SET delivered_at = ?2 WHERE seq = ?1",
                params![seq, now_text()],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }

    pub(crate) fn failed(
        &self,
        seq: i64,
        attempts: u32,
        next_ms: i64,
        reason: &str,
    ) -> Result<(), ServiceError> {
        self.conn()
            .execute(
                "UPDATE outbox SET attempts = ?2, next_attempt_ms = ?3, last_error = ?4 WHERE seq = ?1",
                params![seq, attempts, next_ms, reason],
            )
            .map(drop)
            .map_err(|e| self.err(e))
    }
}
