//! A bill settled over HTTP (`docs/lifecycle.md`, "Settlement"): the Buyer accepts October, pays
//! it (`payment`, delivered to the Seller's copy), the Seller anchors the receipt and publishes
//! the bill settled; its `customerBillStateChangeEvent` makes the Buyer fetch the bill again and
//! check it against its log, and the record says settled. A bill settled under another reference
//! than the payment's, or before the receipt is anchored, is refused by the Seller's service
//! against its own log and, published into its store anyway, by the Buyer, whose record keeps the
//! bill it had; the Seller's store takes no other change of a published bill.

mod common;

use common::{eventually, start_both, world};
use reqwest::{Client, StatusCode};
use serde_json::json;
use tempfile::TempDir;
use zkinvoice_anchors::{AnchorLog, Body, Proposal, Role};
use zkinvoice_service::{
    buyer::{Buyer, Received},
    seller::Seller,
    MEF_BASE,
};

const REF: &str = "SEPA 2026-12-01 globex-cloud/INV-2026-10";

struct Parties {
    dir: TempDir,
    seller: Seller,
    buyer: Buyer,
}

/// Both services, the Buyer subscribed to both events, October published and accepted.
async fn accepted() -> Parties {
    let w = world();
    let dir = tempfile::tempdir().expect("temp dir");
    let (sl, bl) = (
        dir.path().join("seller-anchors.db"),
        dir.path().join("buyer-anchors.db"),
    );
    w.log(&sl)
        .append(w.october_proved.clone())
        .expect("october proved");
    w.log(&bl);
    let (seller, buyer) = start_both(dir.path(), Some(w.buyer.clone())).await;
    let r = Client::new()
        .post(format!("http://{}{MEF_BASE}/hub", seller.addr()))
        .json(&json!({"callback": format!("http://{}", buyer.addr()),
            "query": "eventType=customerBillCreateEvent,customerBillStateChangeEvent"}))
        .send()
        .await
        .expect("POST /hub");
    assert_eq!(r.status(), StatusCode::CREATED);
    seller.publish(&w.october).expect("publishes");
    let p = Parties { dir, seller, buyer };
    assert!(record(&p, |r| Some(r.clone())).await.is_accepted());
    p
}

/// Waits for the Buyer's record of October to satisfy `f`.
async fn record<T>(p: &Parties, f: impl Fn(&Received) -> Option<T>) -> T {
    let store = p.buyer.store();
    eventually("the Buyer's record", || {
        store
            .get(&world().october.id)
            .expect("store")
            .and_then(|(r, _)| f(&r))
    })
    .await
}

/// The Buyer's record of October and the bill it keeps.
fn stored(p: &Parties) -> (Received, String) {
    p.buyer
        .store()
        .get(&world().october.id)
        .expect("store")
        .expect("a record")
}

fn log(p: &Parties, whose: &str) -> AnchorLog {
    AnchorLog::open(&p.dir.path().join(format!("{whose}-anchors.db"))).expect("a log")
}

/// The Buyer pays October and delivers the entry to the Seller's copy; with `received`, the
/// Seller anchors the receipt.
async fn pay(p: &Parties, received: bool) {
    let w = world();
    let i = &w.october.zk_proof.public_inputs;
    let (msa_commitment, invoice_commitment) = (i.msa_commitment, i.invoice_commitment);
    let paid = Body::Payment {
        msa_commitment,
        invoice_commitment,
        paid_on: "2026-12-01".into(),
        reference: REF.into(),
    };
    let entry = log(p, "buyer")
        .append(Proposal::new(paid).signed(Role::Buyer, &w.buyer))
        .expect("paid");
    let r = Client::new()
        .post(format!("http://{}/anchors", p.seller.addr()))
        .body(format!("{}\n", entry.to_json_line()))
        .send()
        .await
        .expect("POST /anchors");
    assert_eq!(r.status(), StatusCode::OK);
    if received {
        let body = Body::PaymentReceived {
            msa_commitment,
            invoice_commitment,
            received_on: "2026-12-02".into(),
            reference: REF.into(),
        };
        log(p, "seller")
            .append(Proposal::new(body).signed(Role::Seller, &w.seller))
            .expect("received");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_settled_after_its_receipt_is_anchored_is_recorded_settled() {
    let (w, p) = (world(), accepted().await);
    pay(&p, true).await;
    let settled = w.october.settled(REF);
    let published = p.seller.publish(&settled).expect("the settled bill replaces it");
    assert!(!published.already && published.events == 1, "{published:?}");
    let reference = record(&p, |r| r.settled.clone()).await;
    assert_eq!(reference, REF);
    let (r, text) = stored(&p);
    assert!(r.is_accepted() && r.change_refused.is_none(), "{r:?}");
    assert_eq!(
        text,
        serde_json::to_string(&settled).expect("JSON"),
        "the settled bill kept"
    );
    // The same again changes nothing; no other change is taken, the issued bill neither.
    assert!(p.seller.publish(&settled).expect("again").already);
    for other in [w.october.settled("SEPA 1"), w.october.clone()] {
        assert!(p.seller.publish(&other).is_err(), "a settled bill changed again");
    }
    let served: zkinvoice_mef141::CustomerBill = Client::new()
        .get(format!(
            "http://{}{MEF_BASE}/customerBill/{}",
            p.seller.addr(),
            w.october.id
        ))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("a bill");
    assert_eq!(served, settled);
    common::assert_valid(
        false,
        "CustomerBill",
        &serde_json::to_value(&served).expect("JSON"),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bill_settled_before_its_receipt_or_under_another_reference_is_refused() {
    let w = world();
    for (received, reference, why) in [
        (false, REF, "its receipt is not anchored"),
        (true, "SEPA 1", "is not the payment anchored as received"),
    ] {
        let p = accepted().await;
        pay(&p, received).await;
        // The Seller's service refuses it against its own log; its store (as `zkinvoice
        // publish` writes it) takes it, and the Buyer refuses it.
        let bad = w.october.settled(reference);
        let e = p
            .seller
            .publish(&bad)
            .expect_err("refused against the Seller's log");
        assert!(e.to_string().contains("does not record payment"), "{e}");
        p.seller.store().publish(&bad).expect("the store takes it");
        let refused = record(&p, |r| r.change_refused.clone()).await;
        assert!(refused.contains(why), "{refused}");
        let (r, text) = stored(&p);
        assert!(r.settled.is_none() && r.is_accepted(), "{r:?}");
        assert_eq!(
            text,
            serde_json::to_string(&w.october).expect("JSON"),
            "the issued bill kept"
        );
    }
}

/// A credited bill (`docs/lifecycle.md`, "SLA credits"): the Seller's service publishes October
/// with its credit note applied only once its log records the note, then settled for the rest
/// once the receipt is anchored; the Buyer fetches it, checks the note against its log and records
/// it settled. The bill is valid MEF 141.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credited_bill_is_published_once_its_note_is_anchored_and_settles_for_the_rest() {
    use zkinvoice_prover::credit::CreditOpening;
    use zkinvoice_testkit::credited::credited;
    let (w, c, p) = (world(), credited(), accepted().await);
    let credited_bill = w
        .october
        .credited(CreditOpening::of(&c.proved))
        .expect("credited");
    let seller_log = log(&p, "seller");
    seller_log.append(c.key_agreed()).expect("credit key");
    seller_log.append(c.sla_agreed()).expect("sla-agreed");
    let settled = credited_bill.settled(REF);
    let e = p
        .seller
        .publish(&settled)
        .expect_err("refused before the note is anchored");
    assert!(e.to_string().contains("does not record credit note"), "{e}");
    seller_log
        .append(Proposal::new(c.note_body()).signed(Role::Seller, &w.seller))
        .expect("credited");
    // The Buyer's copy takes the three entries before it pays.
    let mut entries = Vec::new();
    seller_log.export_jsonl(&mut entries).expect("exports");
    log(&p, "buyer").import_jsonl(&mut &entries[..]).expect("imports");
    // Credited before it is paid: the Buyer records the note.
    let published = p.seller.publish(&credited_bill).expect("credited");
    assert!(!published.already && published.events == 1, "{published:?}");
    assert_eq!(record(&p, |r| r.credited.clone()).await, c.proved.note.number);
    pay(&p, true).await;
    let published = p.seller.publish(&settled).expect("credited and settled");
    assert!(!published.already && published.events == 1, "{published:?}");
    assert_eq!(record(&p, |r| r.settled.clone()).await, REF);
    let (r, text) = stored(&p);
    assert!(r.change_refused.is_none() && r.credited.is_some(), "{r:?}");
    assert_eq!(text, serde_json::to_string(&settled).expect("JSON"));
    // Settled, it takes no other change: not the whole total applied, not another note.
    assert!(p.seller.publish(&w.october.settled(REF)).is_err());
    common::assert_valid(
        false,
        "CustomerBill",
        &serde_json::to_value(&settled).expect("JSON"),
    );
}

/// A disputed period's bills over HTTP: a module of this binary (one link fewer).
#[path = "settle/partial.rs"]
mod partial;

/// Credits carried forward over HTTP: a module of this binary (one link fewer).
#[path = "settle/carried.rs"]
mod carried;
