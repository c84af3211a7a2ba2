//! A disputed period's bills over HTTP (`docs/lifecycle.md`, "Partial and final invoices"), on
//! the example's January (`zkinvoice_testkit::partial`): the Seller's service publishes the
//! partial invoice's bill `interim` once its log records the `invoice-partial`, and the Buyer's
//! service (pulling the Seller's entries) checks and accepts it; once the dispute is resolved the
//! final invoice's bill, `final` less the partial invoice, the same. A bill whose `zkPart` is not
//! the one the Seller's log records is refused by the Seller's service.

use crate::common::{eventually, start_both, world};
use reqwest::{Client, StatusCode};
use serde_json::json;
use zkinvoice_anchors::AnchorLog;
use zkinvoice_mef141::CustomerBill;
use zkinvoice_service::{buyer::Buyer, MEF_BASE};
use zkinvoice_testkit::{
    partial::{bill, partial},
    reconciled::reconciled,
};

/// Waits until the Buyer's service has accepted bill `id`.
async fn accepted(buyer: &Buyer, id: &str) {
    eventually(&format!("the Buyer's acceptance of {id}"), || {
        buyer
            .store()
            .get(id)
            .expect("store")
            .filter(|(r, _)| r.is_accepted())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_interim_and_the_final_bill_are_published_checked_and_accepted() {
    let (w, r, p) = (world(), reconciled(), partial());
    let dir = tempfile::tempdir().expect("temp dir");
    let (sl, bl) = (
        dir.path().join("seller-anchors.db"),
        dir.path().join("buyer-anchors.db"),
    );
    // Both copies up to January's dispute; the Seller's with the partial usage and invoice (the
    // Buyer's service pulls them).
    for path in [&sl, &bl] {
        let log = w.log(path);
        for e in &r.proposals[..8] {
            log.append(e.clone()).expect("the entries before");
        }
    }
    let seller_log = AnchorLog::open(&sl).expect("the Seller's log");
    seller_log.append(p.usage_proposal()).expect("partial usage");
    seller_log
        .append(p.proposal(&p.invoice))
        .expect("partial invoice");
    let (seller, buyer) = start_both(dir.path(), Some(w.buyer.clone())).await;
    let hub = Client::new()
        .post(format!("http://{}{MEF_BASE}/hub", seller.addr()))
        .json(&json!({"callback": format!("http://{}", buyer.addr()),
            "query": "eventType=customerBillCreateEvent"}))
        .send()
        .await
        .expect("POST /hub");
    assert_eq!(hub.status(), StatusCode::CREATED);

    // The partial invoice: refused as a normal bill, published interim and accepted.
    let interim = bill(&p.invoice).interim();
    let e = seller.publish(&bill(&p.invoice)).expect_err("not normal");
    assert!(e.to_string().contains("zkPart"), "{e}");
    seller.publish(&interim).expect("the interim bill");
    accepted(&buyer, &interim.id).await;

    // Resolved and agreed; the final invoice from the same state.
    for i in [8, 9] {
        seller_log
            .append(r.proposals[i].clone())
            .expect("resolved and agreed");
    }
    seller_log.append(p.final_proposal()).expect("the final invoice");
    let s = &r.january.seller;
    let whole: CustomerBill = bill(s);
    let e = seller.publish(&whole).expect_err("not normal");
    assert!(e.to_string().contains("zkPart"), "{e}");
    let other = whole.finalised(p.again.invoice.clone()).expect("final");
    assert!(
        seller.publish(&other).is_err(),
        "another partial invoice deducted"
    );
    let final_bill = whole.finalised(p.invoice.invoice.clone()).expect("final");
    seller.publish(&final_bill).expect("the final bill");
    accepted(&buyer, &final_bill.id).await;
    seller.stop();
    buyer.stop();
}
