//! The Seller's service: its proved bills over the MEF 141 Billing Management API, listener
//! registration (`/hub`) and the outbox that notifies listeners.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
};

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, rejection::QueryRejection, Path as UrlPath, Query, State},
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use chrono::{DateTime, FixedOffset};
use rusqlite::{params, Connection, OptionalExtension};
use tokio::{net::TcpListener, sync::Notify};
use zkinvoice_mef141::CustomerBill;

use crate::{
    api::{
        json_ok, json_response, parse_body, ApiError, CustomerBillFind, EventSubscription,
        EventSubscriptionInput, CREATE_EVENT,
    },
    auth::{body_or_error, harden},
    clock::{now_ms, now_text},
    feed::anchors_after,
    outbox::{dispatch, Due, RetryPolicy},
    store::Db,
    ServiceError, MEF_BASE,
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
pub(crate) fn random_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

fn wants(query: Option<&str>, event_type: &str) -> bool {
    let Some(q) = query.map(str::trim).filter(|q| !q.is_empty()) else {
        return true;
    };
    q.split_once('=')
        .is_some_and(|(k, v)| k.trim() == "eventType" && v.split(',').any(|t| t.trim() == event_type))
}

fn valid_query(query: &str) -> bool {
    let q = query.trim();
    q.is_empty()
        || q.split_once('=').is_some_and(|(k, v)| {
            k.trim() == "eventType"
                && v.split(',').all(|t| {
                    matches!(
                        t.trim(),
                        "customerBillCreateEvent" | "customerBillStateChangeEvent"
                    )
                })
        })
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
    /// another bill under a used bill or item id is refused.
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
        if let Some(existing) = existing {
            return if existing == json {
                Ok(Published {
                    id: bill.id.clone(),
                    already: true,
                    events: 0,
                })
            } else {
                Err(refuse("another bill with this id is already published".into()))
            };
        }
        let now = now_text();
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
        let hubs: Vec<(String, Option<String>)> = {
            let mut stmt = tx
                .prepare("SELECT id, query FROM hub ORDER BY created_at, id")
                .map_err(|e| self.err(e))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(|e| self.err(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.err(e))?
        };
        let mut events = 0;
        for (hub, _) in hubs.iter().filter(|(_, q)| wants(q.as_deref(), CREATE_EVENT)) {
            tx.execute(
                "INSERT INTO outbox (event_id, hub_id, bill_id, event_type, event_time, next_attempt_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![random_id(), hub, bill.id, CREATE_EVENT, now, now_ms()],
            )
            .map_err(|e| self.err(e))?;
            events += 1;
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(Published {
            id: bill.id.clone(),
            already: false,
            events,
        })
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

/// How the Seller's service runs.
#[derive(Clone, Debug, Default)]
pub struct SellerConfig {
    /// The bearer token callers must present (none: no authentication).
    pub token: Option<String>,
    /// The bearer token to present to listeners.
    pub listener_token: Option<String>,
    /// The Seller's anchor log, served at `GET /anchors`.
    pub anchors: Option<PathBuf>,
    /// The URL the service is reached at (for `href`s in events).
    pub public_url: Option<String>,
    /// How undelivered events are retried.
    pub retry: RetryPolicy,
}

/// What the Seller's handlers share.
pub(crate) struct SellerState {
    pub store: SellerStore,
    pub anchors: Option<PathBuf>,
    pub public_url: Option<String>,
    pub listener_token: Option<String>,
    pub retry: RetryPolicy,
    /// Wakes the outbox (a bill was published, a listener registered).
    pub wake: Notify,
}

/// A running Seller service.
pub struct Seller {
    state: Arc<SellerState>,
    addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
    outbox: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Seller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seller").field("addr", &self.addr).finish()
    }
}

impl Seller {
    /// Starts the service on `listener` with the store at `store` (created if needed), and its
    /// outbox. Must be called within a Tokio runtime.
    pub fn start(listener: TcpListener, store: &Path, config: SellerConfig) -> Result<Self, ServiceError> {
        let addr = listener.local_addr().map_err(|source| ServiceError::Io {
            what: "the listening address".into(),
            source,
        })?;
        let state = Arc::new(SellerState {
            store: SellerStore::open(store)?,
            anchors: config.anchors,
            public_url: config.public_url,
            listener_token: config.listener_token,
            retry: config.retry,
            wake: Notify::new(),
        });
        let client = reqwest::Client::builder()
            .build()
            .map_err(|e| ServiceError::Client(e.to_string()))?;
        let app = router(state.clone(), config.token);
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("zkinvoice seller: {e}");
            }
        });
        let outbox = tokio::spawn(dispatch(state.clone(), client));
        Ok(Self {
            state,
            addr,
            server,
            outbox,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its store.
    pub fn store(&self) -> &SellerStore {
        &self.state.store
    }

    /// Publishes a bill (see [`SellerStore::publish`]) and wakes the outbox.
    pub fn publish(&self, bill: &CustomerBill) -> Result<Published, ServiceError> {
        let p = self.state.store.publish(bill)?;
        self.state.wake.notify_one();
        Ok(p)
    }

    /// Stops serving and sending (undelivered events stay in the store).
    pub fn stop(self) {
        self.server.abort();
        self.outbox.abort();
    }

    /// Waits until the server ends (it does not, unless it fails).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

/// The Seller's routes.
fn router(state: Arc<SellerState>, token: Option<String>) -> Router {
    let mef = Router::new()
        .route("/customerBill", get(list_bills))
        .route("/customerBill/{id}", get(get_bill))
        .route("/customerBillItem/{id}", get(get_item))
        .route("/hub", axum::routing::post(add_hub))
        .route("/hub/{id}", get(get_hub).delete(delete_hub));
    let app = Router::new()
        .nest(MEF_BASE, mef)
        .route("/anchors", get(anchors))
        .with_state(state);
    harden(app, token)
}

fn stored(json: Option<String>, what: &str, id: &str) -> Response {
    match json {
        Some(json) => json_response(StatusCode::OK, json.into_bytes()),
        None => ApiError::not_found(format!("no {what} {id:?}")).into_response(),
    }
}

async fn get_bill(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.bill(&id) {
        Ok(json) => stored(json, "customerBill", &id),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn get_item(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.item(&id) {
        Ok(json) => stored(json, "customerBillItem", &id),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The filters of `GET /customerBill`.
#[derive(Default)]
struct Filter {
    account: Option<String>,
    start_lt: Option<DateTime<FixedOffset>>,
    start_gt: Option<DateTime<FixedOffset>>,
    end_lt: Option<DateTime<FixedOffset>>,
    end_gt: Option<DateTime<FixedOffset>>,
    category: Option<String>,
    state: Option<String>,
    offset: usize,
    limit: usize,
}

/// The most bills one page holds.
pub const PAGE_MAX: usize = 100;

impl Filter {
    fn parse(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let mut f = Filter {
            limit: PAGE_MAX,
            ..Filter::default()
        };
        let time = |k: &str, v: &str| {
            DateTime::parse_from_rfc3339(v).map_err(|e| {
                ApiError::invalid_query(format!("{k}: {v:?} is not an RFC 3339 date-time ({e})"))
            })
        };
        let count = |k: &str, v: &str| {
            v.parse::<usize>()
                .map_err(|_| ApiError::invalid_query(format!("{k}: {v:?} is not a non-negative integer")))
        };
        for (k, v) in pairs {
            match k.as_str() {
                "billingAccount.id" => f.account = Some(v.clone()),
                "billingPeriod.startDateTime.lt" => f.start_lt = Some(time(k, v)?),
                "billingPeriod.startDateTime.gt" => f.start_gt = Some(time(k, v)?),
                "billingPeriod.endDateTime.lt" => f.end_lt = Some(time(k, v)?),
                "billingPeriod.endDateTime.gt" => f.end_gt = Some(time(k, v)?),
                "category" if matches!(v.as_str(), "normal" | "duplicate" | "trial") => {
                    f.category = Some(v.clone())
                }
                "state" if matches!(v.as_str(), "generated" | "paymentDue" | "settled") => {
                    f.state = Some(v.clone())
                }
                "category" | "state" => {
                    return Err(ApiError::invalid_query(format!(
                        "{k}: {v:?} is not one of the allowed values"
                    )))
                }
                "offset" => f.offset = count(k, v)?,
                "limit" => f.limit = count(k, v)?,
                "buyerId" | "sellerId" => {}
                _ => return Err(ApiError::invalid_query(format!("unknown query parameter {k:?}"))),
            }
        }
        Ok(f)
    }

    fn matches(&self, b: &CustomerBill) -> bool {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).ok();
        let (start, end) = (
            t(&b.billing_period.start_date_time),
            t(&b.billing_period.end_date_time),
        );
        let before = |x: Option<DateTime<FixedOffset>>, bound: Option<DateTime<FixedOffset>>| match bound {
            None => true,
            Some(bound) => x.is_some_and(|x| x < bound),
        };
        let after = |x: Option<DateTime<FixedOffset>>, bound: Option<DateTime<FixedOffset>>| match bound {
            None => true,
            Some(bound) => x.is_some_and(|x| x > bound),
        };
        self.account.as_ref().is_none_or(|a| *a == b.billing_account.id)
            && self.category.as_ref().is_none_or(|c| *c == b.category)
            && self.state.as_ref().is_none_or(|s| *s == b.state)
            && before(start, self.start_lt)
            && after(start, self.start_gt)
            && before(end, self.end_lt)
            && after(end, self.end_gt)
    }
}

async fn list_bills(
    State(s): State<Arc<SellerState>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let pairs = match query {
        Ok(Query(pairs)) => pairs,
        Err(e) => return ApiError::invalid_query(e.body_text()).into_response(),
    };
    let filter = match Filter::parse(&pairs) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let bills = match s.store.bills() {
        Ok(b) => b,
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let matching: Vec<&CustomerBill> = bills.iter().filter(|b| filter.matches(b)).collect();
    let throttled = filter.limit > PAGE_MAX;
    let page: Vec<CustomerBillFind> = matching
        .iter()
        .skip(filter.offset)
        .take(filter.limit.min(PAGE_MAX))
        .map(|b| CustomerBillFind {
            id: b.id.clone(),
            billing_account: serde_json::json!({ "id": b.billing_account.id }),
            bill_no: b.bill_no.clone(),
            billing_period: serde_json::json!({
                "startDateTime": b.billing_period.start_date_time,
                "endDateTime": b.billing_period.end_date_time,
            }),
            category: b.category.clone(),
            state: b.state.clone(),
        })
        .collect();
    let mut r = json_ok(&page);
    let h = r.headers_mut();
    h.insert("X-Total-Count", HeaderValue::from(matching.len()));
    h.insert("X-Result-Count", HeaderValue::from(page.len()));
    if throttled {
        h.insert("X-Pagination-Throttled", HeaderValue::from_static("true"));
    }
    r
}

async fn add_hub(State(s): State<Arc<SellerState>>, body: Result<Bytes, BytesRejection>) -> Response {
    let input: EventSubscriptionInput =
        match body_or_error(body).and_then(|b| parse_body(&b, "EventSubscriptionInput")) {
            Ok(i) => i,
            Err(e) => return e.into_response(),
        };
    match reqwest::Url::parse(&input.callback) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
        _ => {
            return ApiError::invalid_body(format!("callback: {:?} is not an http(s) URL", input.callback))
                .into_response()
        }
    }
    if let Some(q) = input.query.as_deref().filter(|q| !valid_query(q)) {
        return ApiError::invalid_body(format!(
            "query: {q:?} is not eventType=<customerBillCreateEvent|customerBillStateChangeEvent,...>"
        ))
        .into_response();
    }
    match s.store.add_hub(&input) {
        Ok(sub) => {
            s.wake.notify_one();
            let mut r = json_ok(&sub);
            *r.status_mut() = StatusCode::CREATED;
            r
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn get_hub(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.hub(&id) {
        Ok(Some(sub)) => json_ok(&sub),
        Ok(None) => ApiError::not_found(format!("no hub {id:?}")).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn delete_hub(State(s): State<Arc<SellerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.delete_hub(&id) {
        Ok(true) => StatusCode::NO_CONTENT.into_response(),
        Ok(false) => ApiError::not_found(format!("no hub {id:?}")).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn anchors(
    State(s): State<Arc<SellerState>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    anchors_after(s.anchors.as_deref(), query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscription_queries() {
        assert!(wants(None, CREATE_EVENT));
        assert!(wants(Some(""), CREATE_EVENT));
        assert!(wants(Some("eventType=customerBillCreateEvent"), CREATE_EVENT));
        assert!(wants(
            Some("eventType = customerBillStateChangeEvent, customerBillCreateEvent"),
            CREATE_EVENT
        ));
        assert!(!wants(
            Some("eventType=customerBillStateChangeEvent"),
            CREATE_EVENT
        ));
        assert!(valid_query(
            "eventType=customerBillCreateEvent,customerBillStateChangeEvent"
        ));
        assert!(!valid_query("eventType=somethingElse"));
        assert!(!valid_query("state=generated"));
    }
}
