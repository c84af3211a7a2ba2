//! The Seller and Buyer services on loopback: the MEF 141 flow end to end, tampered bills, bad
//! requests, a listener that is down, tokens; every payload checked against the MEF 141 schemas.

mod common;

use std::{path::Path, time::Duration};

use common::{assert_valid, eventually, world};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::net::TcpListener;
use zkinvoice_anchors::{AnchorLog, Body, InvoiceStatus, PartySecret};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_service::{
    api::CustomerBillEvent,
    buyer::{Buyer, BuyerAnchors, BuyerConfig, Received},
    seller::{Seller, SellerConfig},
    RetryPolicy, LISTENER_BASE, MAX_BODY, MEF_BASE,
};

async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("binds on loopback")
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        first: Duration::from_millis(50),
        max: Duration::from_millis(200),
        timeout: Duration::from_secs(10),
    }
}

/// Two parties: the Seller's log holds the agreed entries and both invoices proved; the Buyer's
/// only the agreed entries (it pulls the rest).
struct Parties {
    dir: TempDir,
    seller: Seller,
    buyer: Buyer,
}

struct Options {
    seller_token: Option<String>,
    buyer_token: Option<String>,
    buyer_key: Option<PartySecret>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seller_token: None,
            buyer_token: None,
            buyer_key: Some(world().buyer.clone()),
        }
    }
}

fn seller_log(dir: &Path) -> AnchorLog {
    let w = world();
    let log = w.log(&dir.join("seller-anchors.db"));
    log.append(w.october_proved.clone()).expect("october proved");
    log.append(w.november_proved.clone()).expect("november proved");
    log
}

async fn buyer_on(listener: TcpListener, dir: &Path, seller: &Seller, o: &Options) -> Buyer {
    let anchors = dir.join("buyer-anchors.db");
    if !anchors.exists() {
        world().log(&anchors);
    }
    Buyer::start(
        listener,
        &dir.join("buyer.db"),
        BuyerConfig {
            anchors: BuyerAnchors::Log(anchors),
            seller_url: format!("http://{}", seller.addr()),
            seller_token: o.seller_token.clone(),
            token: o.buyer_token.clone(),
            key: o.buyer_key.clone(),
            msa: world().msa.clone(),
            timeout: Duration::from_secs(10),
        },
    )
    .expect("buyer starts")
}

async fn parties(o: Options) -> Parties {
    let dir = tempfile::tempdir().expect("temp dir");
    seller_log(dir.path());
    let seller = Seller::start(
        bind().await,
        &dir.path().join("seller.db"),
        SellerConfig {
            token: o.seller_token.clone(),
            listener_token: o.buyer_token.clone(),
            anchors: Some(dir.path().join("seller-anchors.db")),
            msa: None,
            public_url: None,
            retry: fast_retry(),
        },
    )
    .expect("seller starts");
    let buyer = buyer_on(bind().await, dir.path(), &seller, &o).await;
    Parties { dir, seller, buyer }
}

fn seller_url(p: &Parties, path: &str) -> String {
    format!("http://{}{MEF_BASE}{path}", p.seller.addr())
}

fn buyer_url(p: &Parties, path: &str) -> String {
    format!("http://{}{path}", p.buyer.addr())
}

/// Registers the Buyer as a listener (with `token` for the Seller).
async fn subscribe(p: &Parties, token: Option<&str>) -> Value {
    let mut r = Client::new()
        .post(seller_url(p, "/hub"))
        .json(&json!({"callback": format!("http://{}", p.buyer.addr()), "query": "eventType=customerBillCreateEvent"}));
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.expect("POST /hub");
    assert_eq!(r.status(), StatusCode::CREATED);
    let sub: Value = r.json().await.expect("JSON");
    assert_valid(false, "EventSubscription", &sub);
    sub
}

async fn received(p: &Parties, id: &str) -> Received {
    let store = p.buyer.store();
    eventually(&format!("bill {id} to be decided"), || {
        store.get(id).expect("store").map(|(r, _)| r)
    })
    .await
}

fn buyer_log(p: &Parties) -> AnchorLog {
    AnchorLog::open(&p.dir.path().join("buyer-anchors.db")).expect("buyer log")
}

async fn error_body(r: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(
        r.headers()["content-type"],
        "application/json;charset=utf-8",
        "MEF content type"
    );
    let body: Value = r.json().await.expect("a JSON error body");
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["reason"]
            .as_str()
            .is_some_and(|s| !s.is_empty() && s.len() <= 255),
        "{body}"
    );
    body
}

/// A bill with the total edited after proving.
fn edited_amount(bill: &CustomerBill) -> CustomerBill {
    let mut v = serde_json::to_value(bill).expect("bill");
    let total = v["taxIncludedAmount"]["value"].as_f64().expect("a number");
    for field in ["taxIncludedAmount", "amountDue", "remainingAmount"] {
        v[field]["value"] = json!(total - 100.0);
    }
    serde_json::from_value(v).expect("still a bill")
}

/// The bill with another valid proof (November's): the bill opens its commitment, the proof fails.
fn other_proof(bill: &CustomerBill, proof_of: &CustomerBill) -> CustomerBill {
    let mut b = bill.clone();
    b.zk_proof.proof = proof_of.zk_proof.proof.clone();
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accepted_flow_over_mef_141() {
    let w = world();
    let p = parties(Options::default()).await;
    let sub = subscribe(&p, None).await;
    let published = p.seller.publish(&w.october).expect("publishes");
    assert_eq!(published.events, 1);
    let again = p.seller.publish(&w.october).expect("the same bill again");
    assert!(again.already && again.events == 0, "{again:?}");
    let mut other = w.october.clone();
    other.bill_date = "2026-12-31T00:00:00Z".into();
    assert!(
        p.seller.publish(&other).is_err(),
        "another bill under a used id is refused"
    );
    let r = received(&p, &w.october.id).await;
    assert!(r.is_accepted(), "{r:?}");
    assert_eq!(r.bill_no, w.october.bill_no);
    let entry = r.anchor_entry.expect("anchored");
    let log = buyer_log(&p);
    assert!(matches!(
        log.view().expect("view").invoice_status(&w.october.zk_proof.public_inputs.invoice_commitment),
        Some(InvoiceStatus::Accepted { decided, .. }) if *decided == entry
    ));
    assert!(matches!(
        log.entries().expect("entries")[entry as usize - 1].body,
        Body::InvoiceAccepted { .. }
    ));
    // The decision was delivered to the Seller's copy (POST /anchors there) before it was
    // recorded: both copies hold the same entries.
    let seller_copy = AnchorLog::open(&p.dir.path().join("seller-anchors.db")).expect("seller log");
    assert_eq!(
        seller_copy.entries().expect("entries"),
        log.entries().expect("entries")
    );
    // The outbox says delivered (once the Seller has the Buyer's 204), at the first attempt.
    let outbox = eventually("the event marked delivered", || {
        let o = p.seller.store().outbox().expect("outbox");
        o.iter().all(|e| e.delivered).then_some(o)
    })
    .await;
    assert_eq!(outbox.len(), 1);
    assert!(outbox[0].delivered && outbox[0].attempts == 0, "{outbox:?}");

    // GET /received/{id} over HTTP.
    let got: Received = Client::new()
        .get(buyer_url(&p, &format!("/received/{}", w.october.id)))
        .send()
        .await
        .expect("GET /received")
        .json()
        .await
        .expect("JSON");
    assert_eq!(got, r);

    // The Seller's API: the bill, its items, the list, the hub; every payload schema-valid.
    let client = Client::new();
    let bill: Value = client
        .get(seller_url(&p, &format!("/customerBill/{}", w.october.id)))
        .send()
        .await
        .expect("GET bill")
        .json()
        .await
        .expect("JSON");
    assert_valid(false, "CustomerBill", &bill);
    assert_eq!(bill, serde_json::to_value(&w.october).expect("bill"));
    for item in &w.october.customer_bill_item {
        let r = client
            .get(seller_url(&p, &format!("/customerBillItem/{}", item.id)))
            .send()
            .await
            .expect("GET item");
        assert_eq!(r.status(), StatusCode::OK);
        let v: Value = r.json().await.expect("JSON");
        assert_valid(false, "CustomerBillItem", &v);
    }
    p.seller.publish(&w.november).expect("publishes");
    assert!(received(&p, &w.november.id).await.is_accepted());
    let list = client
        .get(seller_url(&p, "/customerBill?limit=1&offset=1"))
        .send()
        .await
        .expect("list");
    assert_eq!(list.headers()["x-total-count"], "2");
    assert_eq!(list.headers()["x-result-count"], "1");
    let page: Value = list.json().await.expect("JSON");
    assert_eq!(page[0]["id"], w.november.id);
    for found in page.as_array().expect("array") {
        assert_valid(false, "CustomerBill_Find", found);
    }
    let filtered: Value = client
        .get(seller_url(
            &p,
            "/customerBill?billingPeriod.startDateTime.lt=2026-10-15T00:00:00Z&state=generated&category=normal",
        ))
        .send()
        .await
        .expect("filtered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(filtered.as_array().map(Vec::len), Some(1));
    assert_eq!(filtered[0]["id"], w.october.id);
    let none: Value = client
        .get(seller_url(&p, "/customerBill?billingAccount.id=nobody"))
        .send()
        .await
        .expect("filtered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(none, json!([]));
    // offset and limit are integers of any size (schemathesis): past usize, more than there is.
    let all = client
        .get(seller_url(&p, "/customerBill?limit=73252825202742910976"))
        .send()
        .await
        .expect("list");
    assert_eq!(all.status(), StatusCode::OK);
    assert_eq!(all.headers()["x-result-count"], "2");
    assert_eq!(all.headers()["x-pagination-throttled"], "true");
    let past: Value = client
        .get(seller_url(&p, "/customerBill?offset=18446744073709551616"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON");
    assert_eq!(past, json!([]));
    let hub_url = seller_url(&p, &format!("/hub/{}", sub["id"].as_str().expect("id")));
    let hub: Value = client
        .get(&hub_url)
        .send()
        .await
        .expect("GET hub")
        .json()
        .await
        .expect("JSON");
    assert_eq!(hub, sub);
    assert_eq!(
        client.delete(&hub_url).send().await.expect("DELETE").status(),
        StatusCode::NO_CONTENT
    );
    error_body(
        client.get(&hub_url).send().await.expect("GET"),
        StatusCode::NOT_FOUND,
        "notFound",
    )
    .await;
    error_body(
        client.delete(&hub_url).send().await.expect("DELETE"),
        StatusCode::NOT_FOUND,
        "notFound",
    )
    .await;
    // The events the outbox sends are schema-valid too (with and without an href).
    for href in [
        None,
        Some(format!(
            "http://seller.example{MEF_BASE}/customerBill/{}",
            w.october.id
        )),
    ] {
        let event = CustomerBillEvent::created("e1", "2026-11-23T10:00:00.000Z", &w.october.id, href);
        assert_valid(
            true,
            "CustomerBillEvent",
            &serde_json::to_value(&event).expect("JSON"),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_edited_after_proving_is_rejected_and_not_anchored() {
    let w = world();
    let p = parties(Options::default()).await;
    subscribe(&p, None).await;
    let edited = edited_amount(&w.october);
    p.seller.publish(&edited).expect("publishes");
    let r = received(&p, &edited.id).await;
    assert!(!r.is_accepted());
    assert_eq!(r.code.as_deref(), Some("invalidBill"));
    assert!(
        r.reason
            .as_deref()
            .is_some_and(|m| m.contains("changed after proving")),
        "{r:?}"
    );
    assert_eq!(r.anchor_entry, None);
    assert!(
        r.not_anchored
            .as_deref()
            .is_some_and(|m| m.contains("not the invoice")),
        "{r:?}"
    );
    // Nothing was anchored against the genuine invoice: it still verifies.
    let r = Client::new()
        .post(buyer_url(&p, "/verify"))
        .json(&w.october)
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_with_a_tampered_proof_is_rejected_on_the_log() {
    let w = world();
    let p = parties(Options::default()).await;
    subscribe(&p, None).await;
    let tampered = other_proof(&w.october, &w.november);
    p.seller.publish(&tampered).expect("publishes");
    let r = received(&p, &tampered.id).await;
    assert!(!r.is_accepted());
    assert_eq!(r.code.as_deref(), Some("invalidProof"), "{r:?}");
    let entry = r.anchor_entry.expect("the rejection is anchored");
    let log = buyer_log(&p);
    assert!(matches!(
        &log.entries().expect("entries")[entry as usize - 1].body,
        Body::InvoiceRejected { reason, .. } if reason.contains("does not verify")
    ));
    log.verify_log().expect("the log stays valid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_only_endpoint_answers_200_or_422() {
    let w = world();
    let p = parties(Options::default()).await;
    // The Buyer holds October's invoice-proved only after a pull; /verify checks against the latest
    // state, which October starts from.
    let client = Client::new();
    let ok = client
        .post(buyer_url(&p, "/verify"))
        .json(&w.october)
        .send()
        .await
        .expect("POST");
    assert_eq!(ok.status(), StatusCode::OK);
    let v: Value = ok.json().await.expect("JSON");
    assert_eq!(v["billNo"], w.october.bill_no);
    for (bill, code) in [
        (edited_amount(&w.october), "invalidBill"),
        (other_proof(&w.october, &w.november), "invalidProof"),
        // November starts from October's state after, which is not anchored yet.
        (w.november.clone(), "invalidBill"),
    ] {
        let r = client
            .post(buyer_url(&p, "/verify"))
            .json(&bill)
            .send()
            .await
            .expect("POST");
        error_body(r, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    }
    let mut other_key = w.october.clone();
    other_key.zk_proof.vk_hash = "ab".repeat(32);
    let r = client
        .post(buyer_url(&p, "/verify"))
        .json(&other_key)
        .send()
        .await
        .expect("POST");
    error_body(r, StatusCode::UNPROCESSABLE_ENTITY, "keyMismatch").await;
    assert!(
        p.buyer.store().all().expect("store").is_empty(),
        "/verify records nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_ids_malformed_and_oversized_requests_get_mef_errors() {
    let w = world();
    let p = parties(Options::default()).await;
    let c = Client::new();
    for path in [
        "/customerBill/NOPE",
        "/customerBillItem/NOPE",
        "/hub/NOPE",
        "/nothing/here",
    ] {
        let r = c.get(seller_url(&p, path)).send().await.expect("GET");
        let body = error_body(r, StatusCode::NOT_FOUND, "notFound").await;
        assert_valid(false, "Error404", &body);
    }
    let r = c.get(buyer_url(&p, "/received/NOPE")).send().await.expect("GET");
    error_body(r, StatusCode::NOT_FOUND, "notFound").await;
    for query in [
        "state=paid",
        "category=x",
        "limit=-1",
        "offset=x",
        "billingPeriod.startDateTime.gt=yesterday",
        "colour=blue",
    ] {
        let r = c
            .get(seller_url(&p, &format!("/customerBill?{query}")))
            .send()
            .await
            .expect("GET");
        let body = error_body(r, StatusCode::BAD_REQUEST, "invalidQuery").await;
        assert_valid(false, "Error400", &body);
    }
    for body in [
        "{",
        "[]",
        "{\"query\": \"eventType=customerBillCreateEvent\"}",
        "{\"callback\": \"not a url\"}",
        "{\"callback\": \"http://x\", \"query\": \"state=1\"}",
    ] {
        let r = c
            .post(seller_url(&p, "/hub"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("POST");
        error_body(r, StatusCode::BAD_REQUEST, "invalidBody").await;
    }
    let listener = buyer_url(&p, &format!("{LISTENER_BASE}/listener/customerBillCreateEvent"));
    for body in [
        "not json".to_string(),
        "{}".to_string(),
        json!({"eventId": "1", "eventTime": "t", "eventType": "somethingElse", "event": {"id": "x"}}).to_string(),
        json!({"eventId": "1", "eventTime": "t", "eventType": "customerBillCreateEvent", "event": {"id": ""}}).to_string(),
    ] {
        let r = c.post(&listener).body(body).send().await.expect("POST");
        error_body(r, StatusCode::BAD_REQUEST, "invalidBody").await;
    }
    // The state change listener acknowledges a well-formed event (and only that).
    let changed = buyer_url(
        &p,
        &format!("{LISTENER_BASE}/listener/customerBillStateChangeEvent"),
    );
    let event = |kind: &str| json!({"eventId": "2", "eventTime": "2026-11-23T10:00:00Z", "eventType": kind, "event": {"id": "INV-NONE"}});
    let r = c
        .post(&changed)
        .json(&event("customerBillStateChangeEvent"))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = c
        .post(&changed)
        .json(&event("customerBillCreateEvent"))
        .send()
        .await
        .expect("POST");
    error_body(r, StatusCode::BAD_REQUEST, "invalidBody").await;
    let r = c
        .post(buyer_url(&p, "/verify"))
        .body("{\"id\": 1}")
        .send()
        .await
        .expect("POST");
    error_body(r, StatusCode::BAD_REQUEST, "invalidBody").await;
    let big = vec![b' '; MAX_BODY + 1];
    for url in [buyer_url(&p, "/verify"), listener.clone(), seller_url(&p, "/hub")] {
        let r = c.post(&url).body(big.clone()).send().await.expect("POST");
        error_body(r, StatusCode::PAYLOAD_TOO_LARGE, "invalidBody").await;
    }
    let r = c.put(seller_url(&p, "/customerBill")).send().await.expect("PUT");
    error_body(r, StatusCode::METHOD_NOT_ALLOWED, "methodNotAllowed").await;
    // An event for a bill the Seller does not have: recorded as rejected, no anchor.
    let r = c
        .post(&listener)
        .json(&json!({"eventId": "1", "eventTime": "2026-11-23T10:00:00Z", "eventType": "customerBillCreateEvent", "event": {"id": "INV-NONE"}}))
        .send()
        .await
        .expect("POST");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let rec = received(&p, "INV-NONE").await;
    assert_eq!(rec.code.as_deref(), Some("notFound"));
    // Nothing above disturbed either service.
    p.seller.publish(&w.october).expect("publishes");
    subscribe(&p, None).await;
    p.seller.publish(&w.november).expect("publishes");
    assert!(received(&p, &w.november.id).await.is_accepted());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_that_is_down_gets_every_event_once_it_is_back() {
    let w = world();
    let dir = tempfile::tempdir().expect("temp dir");
    seller_log(dir.path());
    let start_seller = |listener| {
        Seller::start(
            listener,
            &dir.path().join("seller.db"),
            SellerConfig {
                anchors: Some(dir.path().join("seller-anchors.db")),
                retry: fast_retry(),
                ..SellerConfig::default()
            },
        )
        .expect("seller starts")
    };
    let seller = start_seller(bind().await);
    // A port with nobody listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
        l.local_addr().expect("addr").port()
    };
    let r = Client::new()
        .post(format!("http://{}{MEF_BASE}/hub", seller.addr()))
        .json(&json!({"callback": format!("http://127.0.0.1:{port}")}))
        .send()
        .await
        .expect("POST /hub");
    assert_eq!(r.status(), StatusCode::CREATED);
    seller.publish(&w.october).expect("publishes");
    seller.publish(&w.november).expect("publishes");
    let store = seller.store();
    eventually("three failed attempts", || {
        let o = store.outbox().expect("outbox");
        (o[0].attempts >= 3).then_some(())
    })
    .await;
    let o = store.outbox().expect("outbox");
    assert!(o.iter().all(|e| !e.delivered), "{o:?}");
    assert!(o[0].last_error.is_some());
    assert_eq!(
        o[1].attempts, 0,
        "events stay in order: November waits behind October"
    );
    // The Seller restarts: its outbox is in its store.
    seller.stop();
    let seller = start_seller(bind().await);
    let store = seller.store();
    // The Buyer comes up on that port.
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("rebinds the port");
    let buyer = buyer_on(listener, dir.path(), &seller, &Options::default()).await;
    for bill in [&w.october, &w.november] {
        let r = eventually("the bill decided", || buyer.store().get(&bill.id).expect("store"))
            .await
            .0;
        assert!(r.is_accepted(), "{r:?}");
    }
    // The Buyer records a bill before it answers 204, and the Seller marks the event delivered
    // only on that answer: wait for it.
    eventually("every event marked delivered", || {
        let o = store.outbox().expect("outbox");
        o.iter().all(|e| e.delivered).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_are_required_when_set() {
    let w = world();
    let p = parties(Options {
        seller_token: Some("seller-secret".into()),
        buyer_token: Some("buyer-secret".into()),
        ..Options::default()
    })
    .await;
    let c = Client::new();
    let url = seller_url(&p, "/customerBill");
    error_body(
        c.get(&url).send().await.expect("GET"),
        StatusCode::UNAUTHORIZED,
        "missingCredentials",
    )
    .await;
    error_body(
        c.get(&url).bearer_auth("wrong").send().await.expect("GET"),
        StatusCode::UNAUTHORIZED,
        "invalidCredentials",
    )
    .await;
    assert_eq!(
        c.get(&url)
            .bearer_auth("seller-secret")
            .send()
            .await
            .expect("GET")
            .status(),
        StatusCode::OK
    );
    error_body(
        c.get(buyer_url(&p, "/received")).send().await.expect("GET"),
        StatusCode::UNAUTHORIZED,
        "missingCredentials",
    )
    .await;
    // With the tokens configured on both sides, the flow goes through.
    subscribe(&p, Some("seller-secret")).await;
    p.seller.publish(&w.october).expect("publishes");
    assert!(received(&p, &w.october.id).await.is_accepted());
}
