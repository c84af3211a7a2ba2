//! The reconciliation over HTTP (issue 16): the Buyer's service anchors its measurement and its
//! reconciliation or dispute and delivers each entry to the Seller's copy, which lists the
//! dispute at `GET /disputes`; either copy takes the other's entries at `POST /anchors`, refusing
//! what does not follow it or what the log's rules refuse, with nothing written.

mod common;

use std::path::Path;

use common::{start_both, world};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::net::TcpListener;
use zkinvoice_anchors::{AnchorLog, Entry, PartySecret};
use zkinvoice_service::{
    buyer::{Anchored, Buyer},
    disputes::Dispute,
    seller::{Seller, SellerConfig},
    Imported, LENGTH_HEADER,
};
use zkinvoice_testkit::reconciled::reconciled;

async fn bind() -> TcpListener {
    TcpListener::bind("127.0.0.1:0").await.expect("binds on loopback")
}

/// The Seller's copy holds the agreed entries, the reconciliation key and the Seller's
/// measurements of December and January; the Buyer's only the agreed entries (it pulls the rest).
struct Parties {
    dir: TempDir,
    seller: Seller,
    buyer: Buyer,
}

fn seller_log(dir: &Path) -> AnchorLog {
    AnchorLog::open(&dir.join("seller-anchors.db")).expect("the Seller's log")
}

fn buyer_log(dir: &Path) -> AnchorLog {
    AnchorLog::open(&dir.join("buyer-anchors.db")).expect("the Buyer's log")
}

async fn parties(buyer_key: Option<PartySecret>) -> Parties {
    let (w, r) = (world(), reconciled());
    let dir = tempfile::tempdir().expect("temp dir");
    let log = w.log(&dir.path().join("seller-anchors.db"));
    // The key, December's and January's measurements by the Seller.
    for i in [0, 1, 5] {
        log.append(r.proposals[i].clone()).expect("the Seller's entries");
    }
    w.log(&dir.path().join("buyer-anchors.db"));
    let (seller, buyer) = start_both(dir.path(), buyer_key).await;
    Parties { dir, seller, buyer }
}

async fn post(url: String, body: String) -> reqwest::Response {
    Client::new().post(url).body(body).send().await.expect("POST")
}

/// Posts `body` to the Buyer's `path`: the answer's status and JSON.
async fn to_buyer(p: &Parties, path: &str, body: &impl serde::Serialize) -> (StatusCode, Value) {
    let r = post(
        format!("http://{}{path}", p.buyer.addr()),
        serde_json::to_string(body).expect("JSON"),
    )
    .await;
    (r.status(), r.json().await.expect("a JSON answer"))
}

async fn disputes(addr: std::net::SocketAddr) -> Vec<Dispute> {
    let r = reqwest::get(format!("http://{addr}/disputes"))
        .await
        .expect("GET /disputes");
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("disputes")
}

/// Both copies hold the same entries.
fn same_copies(p: &Parties) -> Vec<Entry> {
    let (s, b) = (
        seller_log(p.dir.path()).entries().expect("entries"),
        buyer_log(p.dir.path()).entries().expect("entries"),
    );
    let hashes = |es: &[Entry]| es.iter().map(|e| hex::encode(e.hash)).collect::<Vec<_>>();
    assert_eq!(hashes(&s), hashes(&b), "the two copies differ");
    s
}

fn anchored(status: StatusCode, v: Value, kind: &str) -> Anchored {
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let a: Anchored = serde_json::from_value(v).expect("an Anchored answer");
    assert_eq!(a.kind, kind);
    assert!(a.delivered, "{a:?}");
    a
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buyers_measurements_reconciliation_and_dispute_reach_the_seller() {
    let r = reconciled();
    let p = parties(Some(world().buyer.clone())).await;
    let base = world().log(&p.dir.path().join("base.db")).len().expect("len");

    // December: the Buyer's measurement pulls the Seller's three entries first, then is
    // delivered.
    let (st, v) = to_buyer(&p, "/measurements", &r.december.buyer).await;
    let a = anchored(st, v, "usage-measured");
    assert_eq!(a.entry, base + 4);
    same_copies(&p);
    // The same measurement again: refused by the log's rules, nothing written on either side.
    let (st, v) = to_buyer(&p, "/measurements", &r.december.buyer).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["code"], "invalidValue");
    assert!(v["message"].as_str().unwrap().contains("already measured"), "{v}");
    assert_eq!(same_copies(&p).len() as u64, base + 4);
    // Within: usage-reconciled by the Buyer.
    let (st, v) = to_buyer(&p, "/reconciliations", &r.december.envelope(&r.key)).await;
    anchored(st, v, "usage-reconciled");
    assert!(disputes(p.seller.addr()).await.is_empty());

    // January: over ip-transit; the Buyer opens the dispute, the Seller's copy lists it.
    let (st, v) = to_buyer(&p, "/measurements", &r.january.buyer).await;
    anchored(st, v, "usage-measured");
    let (st, v) = to_buyer(&p, "/reconciliations", &r.january.envelope(&r.key)).await;
    let opened = anchored(st, v, "dispute-opened");
    same_copies(&p);
    let at_seller = disputes(p.seller.addr()).await;
    assert_eq!(at_seller.len(), 1, "{at_seller:?}");
    let d = &at_seller[0];
    assert_eq!(d.entry, opened.entry);
    assert_eq!(
        (d.period_start.as_str(), d.period_end.as_str()),
        ("2027-01-01", "2027-02-01")
    );
    assert_eq!(d.opened_by, zkinvoice_anchors::Role::Buyer);
    let verdict = d.verdict.as_ref().expect("a verdict of shape S");
    assert_eq!(verdict.product_slots, [2]);
    assert_eq!(verdict.products, None, "the Seller's service holds no MSA here");
    assert!(d.resolved.is_none());
    let at_buyer = disputes(p.buyer.addr()).await;
    assert_eq!(
        at_buyer[0].verdict.as_ref().unwrap().products,
        Some(vec!["ip-transit".to_string()])
    );

    // Both sign the resolution; the Seller delivers it to the Buyer's copy.
    let resolved = seller_log(p.dir.path())
        .append(r.proposals[8].clone())
        .expect("resolved");
    let line = format!("{}\n", resolved.to_json_line());
    let rsp = post(format!("http://{}/anchors", p.buyer.addr()), line.clone()).await;
    assert_eq!(rsp.status(), StatusCode::OK);
    let imported: Imported = rsp.json().await.expect("a report");
    assert_eq!(imported.appended, 1);
    assert_eq!(imported.length, resolved.seq);
    // Again: already there, nothing appended.
    let rsp = post(format!("http://{}/anchors", p.buyer.addr()), line).await;
    let again: Imported = rsp.json().await.expect("a report");
    assert_eq!((again.appended, again.already_present), (0, 1));
    same_copies(&p);
    for addr in [p.seller.addr(), p.buyer.addr()] {
        let d = disputes(addr).await;
        let res = d[0].resolved.as_ref().expect("resolved");
        assert_eq!(res.entry, resolved.seq);
        assert!(res.resolution.contains("the Seller's usage stands"));
    }
    // GET /anchors says how long the copy is.
    let rsp = reqwest::get(format!("http://{}/anchors?after=0", p.seller.addr()))
        .await
        .expect("GET /anchors");
    assert_eq!(rsp.headers()[LENGTH_HEADER], resolved.seq.to_string().as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_anchors_refuses_what_does_not_follow_the_copy_and_writes_nothing() {
    let r = reconciled();
    let p = parties(Some(world().buyer.clone())).await;
    let (st, v) = to_buyer(&p, "/measurements", &r.december.buyer).await;
    anchored(st, v, "usage-measured");
    let entries = same_copies(&p);
    let url = format!("http://{}/anchors", p.seller.addr());
    let last = entries.last().expect("entries").clone();
    let line = |e: &Entry| format!("{}\n", e.to_json_line());
    let next = |seq: u64, body_of: &Entry| {
        Entry::seal(seq, last.hash, body_of.body.clone(), body_of.signatures.clone())
    };
    let cases: Vec<(&str, String, StatusCode, &str)> = vec![
        (
            "not an entry",
            "{\"seq\": 1}\n".into(),
            StatusCode::BAD_REQUEST,
            "invalidBody",
        ),
        (
            "an edited entry (its hash does not recompute)",
            line(&last).replace("\"by\":\"buyer\"", "\"by\":\"seller\""),
            StatusCode::BAD_REQUEST,
            "invalidBody",
        ),
        (
            "a gap",
            line(&next(last.seq + 2, &last)),
            StatusCode::CONFLICT,
            "conflict",
        ),
        (
            "a fork: another entry at a seq this copy holds",
            line(&Entry::seal(
                last.seq,
                entries[entries.len() - 2].hash,
                entries[1].body.clone(),
                entries[1].signatures.clone(),
            )),
            StatusCode::CONFLICT,
            "conflict",
        ),
        (
            "an entry the rules refuse (the Buyer's measurement again)",
            line(&next(last.seq + 1, &last)),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalidValue",
        ),
    ];
    for (what, body, status, code) in cases {
        let rsp = post(url.clone(), body).await;
        assert_eq!(rsp.status(), status, "{what}");
        let v: Value = rsp.json().await.expect("an MEF error body");
        assert_eq!(v["code"], code, "{what}: {v}");
        assert_eq!(same_copies(&p), entries, "{what}: nothing written");
    }
    // A service without a log has nothing to import into or list.
    let dir = tempfile::tempdir().expect("temp dir");
    let bare =
        Seller::start(bind().await, &dir.path().join("s.db"), SellerConfig::default()).expect("starts");
    let rsp = post(format!("http://{}/anchors", bare.addr()), line(&last)).await;
    assert_eq!(rsp.status(), StatusCode::NOT_FOUND);
    let rsp = reqwest::get(format!("http://{}/disputes", bare.addr()))
        .await
        .expect("GET");
    assert_eq!(rsp.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buyers_posts_are_refused_with_what_is_wrong() {
    let r = reconciled();
    // Without a signing key: nothing can be anchored.
    let p = parties(None).await;
    let (st, v) = to_buyer(&p, "/measurements", &r.december.buyer).await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    assert!(v["message"].as_str().unwrap().contains("no signing key"), "{v}");
    // Not an envelope, or the other kind: 400 naming what was expected.
    let p = parties(Some(world().buyer.clone())).await;
    let before = seller_log(p.dir.path()).len().expect("len");
    for (path, body) in [
        ("/measurements", json!({"scheme": "x"})),
        (
            "/measurements",
            serde_json::to_value(r.december.envelope(&r.key)).unwrap(),
        ),
        (
            "/reconciliations",
            serde_json::to_value(&r.december.buyer).unwrap(),
        ),
    ] {
        let (st, v) = to_buyer(&p, path, &body).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{path}: {v}");
        assert_eq!(v["code"], "invalidBody");
        assert!(v["message"].as_str().unwrap().contains("envelope"), "{v}");
    }
    // A reconciliation before the Buyer measured the period.
    let (st, v) = to_buyer(&p, "/reconciliations", &r.december.envelope(&r.key)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["message"].as_str().unwrap().contains("measured"), "{v}");
    // Another verdict than the proof's: it does not verify.
    let mut env = r.december.envelope(&r.key);
    env.public_inputs.over = zkinvoice_verifier::Fr::from(4u64);
    let (st, v) = to_buyer(&p, "/measurements", &r.december.buyer).await;
    anchored(st, v, "usage-measured");
    let (st, v) = to_buyer(&p, "/reconciliations", &env).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["message"].as_str().unwrap().contains("does not verify"), "{v}");
    assert_eq!(same_copies(&p).len() as u64, before + 1, "the measurement only");
}
