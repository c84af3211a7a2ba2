//! The Buyer's receiving service: the MEF 141 `customerBillCreateEvent` listener, which fetches
//! each announced bill from the Seller, checks it against the Buyer's anchor log (and records the
//! decision there) or against the bilateral's anchor contract on a chain; the record of every
//! received bill; and a check-only endpoint.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, rejection::QueryRejection, Path as UrlPath, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use zkinvoice_anchors::{AnchorLog, Body, InvoiceStatus, PartySecret, Proposal, Role, View};
#[cfg(feature = "chain")]
use zkinvoice_check::chain::{ChainFacts, ChainTarget};
use zkinvoice_check::{check_anchored, Received as ReceivedBill, Rejection};
use zkinvoice_circuits::Msa;
use zkinvoice_mef141::{CustomerBill, CustomerBillEvent, CREATE_EVENT};
use zkinvoice_verifier::fr_to_hex;

use crate::{
    api::{json_ok, parse_body, ApiError},
    auth::{body_or_error, harden},
    clock::now_text,
    feed::anchors_after,
    store::Db,
    ServiceError, LISTENER_BASE, MEF_BASE,
};

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

    fn put(&self, record: &Received, bill: &str) -> Result<(), ServiceError> {
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

/// Where the Buyer's service finds what is anchored.
#[derive(Debug)]
pub enum BuyerAnchors {
    /// The Buyer's copy of the anchor log (SQLite; must exist): the Seller's new entries are pulled
    /// (`GET /anchors` of the Seller) before each check, and decisions are anchored there with the
    /// Buyer's key.
    Log(PathBuf),
    /// The bilateral's anchor contract on a chain, read over JSON-RPC for each check (the MSA, the
    /// period's usage, the current state, the invoice's `InvoiceSubmitted` event). The contract
    /// records no decisions: they are kept in the service's store.
    #[cfg(feature = "chain")]
    Chain(Box<ChainTarget>),
}

/// How the Buyer's service runs.
pub struct BuyerConfig {
    /// Where what is anchored is read.
    pub anchors: BuyerAnchors,
    /// The Seller's base URL (its MEF 141 API is under [`MEF_BASE`] there; its anchor log at
    /// `/anchors`).
    pub seller_url: String,
    /// The bearer token to present to the Seller.
    pub seller_token: Option<String>,
    /// The bearer token callers must present (none: no authentication).
    pub token: Option<String>,
    /// The Buyer's signing key: with it, decisions are anchored (`invoice-accepted` /
    /// `invoice-rejected`) in the anchor log; without it they are only recorded here. Not used
    /// with an anchor contract.
    pub key: Option<PartySecret>,
    /// The MSA, to check the bills' descriptive fields (names, units, order references, unit
    /// rates) too.
    pub msa: Option<Msa>,
    /// How long a request to the Seller may take.
    pub timeout: Duration,
}

impl std::fmt::Debug for BuyerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuyerConfig")
            .field("anchors", &self.anchors)
            .field("seller_url", &self.seller_url)
            .field("signs", &self.key.is_some())
            .finish_non_exhaustive()
    }
}

/// The Buyer's anchor log.
struct LogBackend {
    log: Mutex<AnchorLog>,
    /// The log's view, with the number of entries it was built from.
    view: Mutex<Option<(u64, Arc<View>)>>,
    path: PathBuf,
}

enum Backend {
    Log(Box<LogBackend>),
    #[cfg(feature = "chain")]
    Chain(Box<ChainTarget>),
}

struct BuyerState {
    store: BuyerStore,
    backend: Backend,
    client: reqwest::Client,
    seller_url: String,
    seller_token: Option<String>,
    key: Option<PartySecret>,
    msa: Option<Msa>,
}

/// A running Buyer service.
pub struct Buyer {
    state: Arc<BuyerState>,
    addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Buyer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Buyer").field("addr", &self.addr).finish()
    }
}

impl Buyer {
    /// Starts the service on `listener` with the store at `store` (created if needed). Must be
    /// called within a Tokio runtime.
    pub fn start(listener: TcpListener, store: &Path, config: BuyerConfig) -> Result<Self, ServiceError> {
        let addr = listener.local_addr().map_err(|source| ServiceError::Io {
            what: "the listening address".into(),
            source,
        })?;
        reqwest::Url::parse(&config.seller_url)
            .map_err(|e| ServiceError::Config(format!("seller URL {:?}: {e}", config.seller_url)))?;
        let backend = match config.anchors {
            BuyerAnchors::Log(path) => {
                let log = AnchorLog::open(&path)?;
                if let Some(key) = &config.key {
                    if log.parties().key(Role::Buyer) != &key.public() {
                        return Err(ServiceError::Config(format!(
                            "the signing key is not the Buyer's key of the anchor log {}",
                            path.display()
                        )));
                    }
                }
                Backend::Log(Box::new(LogBackend {
                    log: Mutex::new(log),
                    view: Mutex::new(None),
                    path,
                }))
            }
            #[cfg(feature = "chain")]
            BuyerAnchors::Chain(target) => {
                if config.key.is_some() {
                    return Err(ServiceError::Config(
                        "the anchor contract records no decisions: no signing key is used with it".into(),
                    ));
                }
                // The contract must be there with a verifier for the key. The client blocks on
                // its own runtime: off this (asynchronous) thread.
                let t = target.clone();
                std::thread::spawn(move || t.check())
                    .join()
                    .map_err(|_| ServiceError::Config("the anchor contract check failed".into()))??;
                Backend::Chain(target)
            }
        };
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| ServiceError::Client(e.to_string()))?;
        let state = Arc::new(BuyerState {
            store: BuyerStore::open(store)?,
            backend,
            client,
            seller_url: config.seller_url.trim_end_matches('/').to_string(),
            seller_token: config.seller_token,
            key: config.key,
            msa: config.msa,
        });
        let app = router(state.clone(), config.token);
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("zkinvoice buyer: {e}");
            }
        });
        Ok(Self { state, addr, server })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its store.
    pub fn store(&self) -> &BuyerStore {
        &self.state.store
    }

    /// Stops serving.
    pub fn stop(self) {
        self.server.abort();
    }

    /// Waits until the server ends (it does not, unless it fails).
    pub async fn wait(self) {
        let _ = self.server.await;
    }
}

fn router(state: Arc<BuyerState>, token: Option<String>) -> Router {
    let app = Router::new()
        .route(
            &format!("{LISTENER_BASE}/listener/{CREATE_EVENT}"),
            post(listen_create),
        )
        .route("/received", get(list_received))
        .route("/received/{id}", get(get_received))
        .route("/verify", post(verify_only))
        .route("/anchors", get(anchors))
        .with_state(state);
    harden(app, token)
}

impl LogBackend {
    fn log(&self) -> MutexGuard<'_, AnchorLog> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The log's view, rebuilt when the log has grown.
    fn view(&self) -> Result<Arc<View>, ServiceError> {
        let log = self.log();
        let len = log.len()?;
        let mut cached = self.view.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((n, view)) = cached.as_ref() {
            if *n == len {
                return Ok(view.clone());
            }
        }
        let view = Arc::new(log.view()?);
        *cached = Some((len, view.clone()));
        Ok(view)
    }
}

impl BuyerState {
    /// The anchor log, unless the service reads an anchor contract.
    fn log_backend(&self) -> Option<&LogBackend> {
        match &self.backend {
            Backend::Log(l) => Some(l),
            #[cfg(feature = "chain")]
            Backend::Chain(_) => None,
        }
    }

    fn get(&self, path: &str) -> reqwest::RequestBuilder {
        let r = self.client.get(format!("{}{path}", self.seller_url));
        match &self.seller_token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    /// Imports the Seller's anchor entries this log lacks. A Seller without a log (404) is fine;
    /// a refused import is reported and the check goes on against what this log holds.
    async fn pull_anchors(&self) -> Result<(), String> {
        let Some(backend) = self.log_backend() else {
            return Ok(());
        };
        let after = backend.log().len().map_err(|e| e.to_string())?;
        let r = self
            .get(&format!("/anchors?after={after}"))
            .send()
            .await
            .map_err(|e| format!("the Seller's anchors: {e}"))?;
        if r.status() == StatusCode::NOT_FOUND {
            return Ok(());
        }
        if !r.status().is_success() {
            return Err(format!("the Seller's anchors: HTTP {}", r.status()));
        }
        let body = r
            .bytes()
            .await
            .map_err(|e| format!("the Seller's anchors: {e}"))?;
        if body.is_empty() {
            return Ok(());
        }
        let log = backend.log();
        if let Err(e) = log.import_jsonl(&mut &body[..]) {
            eprintln!("zkinvoice buyer: the Seller's anchor entries were refused: {e}");
        }
        Ok(())
    }
}

/// Why fetching a bill failed: the Seller is unreachable (retry later) or answered for good.
enum Fetch {
    Unreachable(String),
    Refused(String),
}

async fn fetch_bill(s: &BuyerState, id: &str) -> Result<(CustomerBill, String), Fetch> {
    let path = format!("{MEF_BASE}/customerBill/{}", urlencode(id));
    let r = s
        .get(&path)
        .send()
        .await
        .map_err(|e| Fetch::Unreachable(format!("GET {path}: {e}")))?;
    let status = r.status();
    if status.is_server_error() || status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return Err(Fetch::Unreachable(format!("GET {path}: HTTP {status}")));
    }
    if !status.is_success() {
        return Err(Fetch::Refused(format!(
            "the Seller answers HTTP {status} for bill {id:?}"
        )));
    }
    let text = r
        .text()
        .await
        .map_err(|e| Fetch::Unreachable(format!("GET {path}: {e}")))?;
    let bill: CustomerBill = serde_json::from_str(&text)
        .map_err(|e| Fetch::Refused(format!("the Seller's bill {id:?} is not a CustomerBill: {e}")))?;
    if bill.id != id {
        return Err(Fetch::Refused(format!(
            "the Seller answered bill {:?} for {id:?}",
            bill.id
        )));
    }
    for item in &bill.customer_bill_item {
        let path = format!("{MEF_BASE}/customerBillItem/{}", urlencode(&item.id));
        let r = s
            .get(&path)
            .send()
            .await
            .map_err(|e| Fetch::Unreachable(format!("GET {path}: {e}")))?;
        if r.status().is_server_error() {
            return Err(Fetch::Unreachable(format!("GET {path}: HTTP {}", r.status())));
        }
        if !r.status().is_success() {
            return Err(Fetch::Refused(format!(
                "the Seller answers HTTP {} for bill item {:?}",
                r.status(),
                item.id
            )));
        }
        let served: serde_json::Value = r
            .json()
            .await
            .map_err(|e| Fetch::Refused(format!("bill item {:?}: {e}", item.id)))?;
        if serde_json::to_value(item).ok() != Some(served) {
            return Err(Fetch::Refused(format!(
                "the Seller's customerBillItem {:?} differs from the one in bill {id:?}",
                item.id
            )));
        }
    }
    Ok((bill, text))
}

/// Percent-encodes a path segment.
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A bill checked: the verdict (the total, or why it is refused) and, on a chain, whether the
/// contract has accepted the invoice, or why it does not count yet (confirmations asked).
struct Checked {
    bill: CustomerBill,
    verdict: Result<String, Rejection>,
    submitted: Option<bool>,
    unconfirmed: Option<Rejection>,
}

/// Checks a bill against the log or the anchor contract (off the async threads). An anchor
/// contract that cannot be read is an internal error (the listener answers 500: the Seller sends
/// the event again).
async fn check(s: &Arc<BuyerState>, bill: CustomerBill) -> Result<Checked, ApiError> {
    let s = s.clone();
    tokio::task::spawn_blocking(move || {
        let msa = s.msa.as_ref();
        let (verdict, submitted, unconfirmed) = match &s.backend {
            Backend::Log(l) => {
                let view = l.view().map_err(ApiError::internal)?;
                (
                    check_anchored(view.as_ref(), &ReceivedBill::of_bill(&bill, msa)),
                    None,
                    None,
                )
            }
            #[cfg(feature = "chain")]
            Backend::Chain(target) => {
                // The period to read the usage of is the bill's (a bill that does not read as an
                // invoice is refused by the check itself).
                let period = bill.to_invoice(msa).ok().map(|(i, _)| i.period.to_doc());
                let facts = ChainFacts::read(
                    target,
                    period.as_ref(),
                    &bill.zk_proof.public_inputs.invoice_commitment,
                )
                .map_err(ApiError::internal)?;
                (
                    check_anchored(&facts, &ReceivedBill::of_bill(&bill, msa)),
                    Some(facts.is_submitted()),
                    facts.unconfirmed(),
                )
            }
        };
        let verdict = verdict.map(|invoice| {
            format!(
                "{} {}",
                invoice.currency.format_minor(invoice.total),
                invoice.currency
            )
        });
        Ok(Checked {
            bill,
            verdict,
            submitted,
            unconfirmed,
        })
    })
    .await
    .map_err(ApiError::internal)?
}

/// Anchors the decision on a bill, where one can be: in an anchor log, the invoice must be
/// anchored as proved and not yet decided, the Buyer's key at hand, and a rejection about the
/// invoice itself. Returns the entry, or why none was appended.
fn anchor_decision(s: &BuyerState, checked: &Checked) -> Result<u64, String> {
    let (bill, verdict) = (&checked.bill, &checked.verdict);
    let p = &bill.zk_proof.public_inputs;
    if let Err(r) = verdict {
        if !r.is_about_the_invoice() {
            return Err("the bill is not the invoice its proof commits to".into());
        }
    }
    let Some(backend) = s.log_backend() else {
        return Err(format!(
            "the anchor contract records no decisions (this record is the Buyer's); the invoice is {}",
            if checked.submitted == Some(true) {
                "accepted by the contract"
            } else {
                "not submitted to the contract yet"
            }
        ));
    };
    let view = backend.view().map_err(|e| e.to_string())?;
    match view.invoice_status(&p.invoice_commitment) {
        None => return Err("the invoice is not anchored".into()),
        Some(InvoiceStatus::Accepted { decided, .. }) | Some(InvoiceStatus::Rejected { decided, .. }) => {
            return match verdict {
                Ok(_) => Ok(*decided),
                Err(_) => Err(format!("the invoice was already decided at entry {decided}")),
            }
        }
        Some(InvoiceStatus::Proved { .. }) => {}
    }
    let Some(key) = &s.key else {
        return Err("this service has no signing key".into());
    };
    let body = match verdict {
        Ok(_) => Body::InvoiceAccepted {
            msa_commitment: p.msa_commitment,
            invoice_commitment: p.invoice_commitment,
        },
        Err(r) => Body::InvoiceRejected {
            msa_commitment: p.msa_commitment,
            invoice_commitment: p.invoice_commitment,
            reason: r.to_string(),
        },
    };
    let entry = backend
        .log()
        .append(Proposal::new(body).signed(Role::Buyer, key))
        .map_err(|e| e.to_string())?;
    Ok(entry.seq)
}

/// `POST .../listener/customerBillCreateEvent`: fetch, check, record. Answers 204 once the bill
/// is decided (accepted or rejected), 400 for a malformed event, 500 when the Seller cannot be
/// reached (so the Seller sends the event again later).
async fn listen_create(State(s): State<Arc<BuyerState>>, body: Result<Bytes, BytesRejection>) -> Response {
    let event: CustomerBillEvent = match body_or_error(body).and_then(|b| parse_body(&b, "CustomerBillEvent"))
    {
        Ok(e) => e,
        Err(e) => return e.into_response(),
    };
    if event.event_type != CREATE_EVENT {
        return ApiError::invalid_body(format!("eventType: {:?} is not {CREATE_EVENT}", event.event_type))
            .into_response();
    }
    if event.event.id.is_empty() {
        return ApiError::invalid_body("event.id: empty").into_response();
    }
    let id = event.event.id;
    if let Err(e) = s.pull_anchors().await {
        eprintln!("zkinvoice buyer: {e}");
    }
    let (bill, text) = match fetch_bill(&s, &id).await {
        Ok(b) => b,
        Err(Fetch::Unreachable(reason)) => {
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internalError",
                format!("cannot fetch the bill from the Seller now ({reason}); send the event again"),
            )
            .into_response()
        }
        Err(Fetch::Refused(reason)) => {
            let record = Received {
                id: id.clone(),
                bill_no: String::new(),
                status: "rejected".into(),
                code: Some("notFound".into()),
                reason: Some(reason),
                invoice_commitment: None,
                total: None,
                anchor_entry: None,
                not_anchored: Some("no bill to decide on".into()),
                checked_at: now_text(),
            };
            return match s.store.put(&record, "") {
                Ok(()) => StatusCode::NO_CONTENT.into_response(),
                Err(e) => ApiError::internal(e).into_response(),
            };
        }
    };
    if let Ok(Some((_, seen))) = s.store.get(&id) {
        if seen == text {
            // The same bill again (a repeated event): already decided.
            return StatusCode::NO_CONTENT.into_response();
        }
    }
    let checked = match check(&s, bill).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    if let Some(why) = checked.unconfirmed {
        return ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internalError",
            format!("bill {id:?}: {why}; send the event again"),
        )
        .into_response();
    }
    let s2 = s.clone();
    let decided = tokio::task::spawn_blocking(move || {
        let anchored = anchor_decision(&s2, &checked);
        (checked, anchored)
    })
    .await;
    let (Checked { bill, verdict, .. }, anchored) = match decided {
        Ok(d) => d,
        Err(e) => return ApiError::internal(e).into_response(),
    };
    let record = Received {
        id: bill.id.clone(),
        bill_no: bill.bill_no.clone(),
        status: if verdict.is_ok() { "accepted" } else { "rejected" }.into(),
        code: verdict.as_ref().err().map(|r| r.code().to_string()),
        reason: verdict.as_ref().err().map(|r| r.to_string()),
        invoice_commitment: Some(fr_to_hex(&bill.zk_proof.public_inputs.invoice_commitment)),
        total: verdict.as_ref().ok().cloned(),
        anchor_entry: anchored.as_ref().ok().copied(),
        not_anchored: anchored.err(),
        checked_at: now_text(),
    };
    match s.store.put(&record, &text) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn get_received(State(s): State<Arc<BuyerState>>, UrlPath(id): UrlPath<String>) -> Response {
    match s.store.get(&id) {
        Ok(Some((record, _))) => json_ok(&record),
        Ok(None) => ApiError::not_found(format!("no bill {id:?} was received")).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

async fn list_received(State(s): State<Arc<BuyerState>>) -> Response {
    match s.store.all() {
        Ok(all) => json_ok(&all),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The answer of `POST /verify` for a bill that verifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verified {
    /// The bill's id.
    pub id: String,
    /// The bill number.
    pub bill_no: String,
    /// The total, `"<decimal> <currency>"`.
    pub total: String,
    /// The invoice commitment.
    pub invoice_commitment: String,
}

/// `POST /verify`: checks a `CustomerBill` against the log without recording anything: 200 with
/// [`Verified`], 422 with the reason, 400 for a body that is not a `CustomerBill`.
async fn verify_only(State(s): State<Arc<BuyerState>>, body: Result<Bytes, BytesRejection>) -> Response {
    let bill: CustomerBill = match body_or_error(body).and_then(|b| parse_body(&b, "CustomerBill")) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let checked = check(&s, bill).await.map(|c| match c.unconfirmed {
        Some(why) => (c.bill, Err(why)),
        None => (c.bill, c.verdict),
    });
    match checked {
        Ok((bill, Ok(total))) => json_ok(&Verified {
            id: bill.id.clone(),
            bill_no: bill.bill_no.clone(),
            total,
            invoice_commitment: fr_to_hex(&bill.zk_proof.public_inputs.invoice_commitment),
        }),
        Ok((_, Err(r))) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, r.code(), r.to_string()).into_response()
        }
        Err(e) => e.into_response(),
    }
}

async fn anchors(
    State(s): State<Arc<BuyerState>>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    anchors_after(s.log_backend().map(|l| l.path.as_path()), query)
}
