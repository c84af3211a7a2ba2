//! Credits carried forward over HTTP (`docs/lifecycle.md`, "Credits carried forward"): October
//! paid and received, then credited; October published settled in full; the note carried to
//! November (`credit-carried`, both sign): the Seller's service publishes November with the note
//! (`zkCarried`) only once its log carries it, and the Buyer's service, its log holding the
//! same entries, checks it and records the note's number.

use super::{accepted, log, pay, record, Parties, REF};
use crate::common::{eventually, world};
use zkinvoice_anchors::{Body, CreditCarried, Proposal, Role};
use zkinvoice_prover::credit::CreditOpening;
use zkinvoice_testkit::credited::credited;

/// The Buyer's record of November once `f` holds of it.
async fn november<T>(p: &Parties, f: impl Fn(&zkinvoice_service::buyer::Received) -> Option<T>) -> T {
    let store = p.buyer.store();
    eventually("the Buyer's record of November", || {
        store
            .get(&world().november.id)
            .expect("store")
            .and_then(|(r, _)| f(&r))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_carried_to_november_is_published_checked_and_recorded() {
    let (w, c, p) = (world(), credited(), accepted().await);
    pay(&p, true).await;
    p.seller.publish(&w.october.settled(REF)).expect("settled");
    assert_eq!(record(&p, |r| r.settled.clone()).await, REF);
    // Credited after the payment: October stays settled in full; November is proved.
    let seller_log = log(&p, "seller");
    seller_log.append(c.key_agreed()).expect("credit key");
    seller_log.append(c.sla_agreed()).expect("sla-agreed");
    seller_log
        .append(Proposal::new(c.note_body()).signed(Role::Seller, &w.seller))
        .expect("credited after the payment");
    seller_log
        .append(w.november_proved.clone())
        .expect("november proved");
    p.seller.publish(&w.november).expect("november");
    assert!(november(&p, |r| Some(r.clone())).await.is_accepted());

    let carried = w
        .november
        .carried(vec![CreditOpening::of(&c.proved)])
        .expect("carried");
    let e = p
        .seller
        .publish(&carried)
        .expect_err("refused before the note is carried");
    assert!(e.to_string().contains("does not carry"), "{e}");
    let body = Body::CreditCarried(CreditCarried {
        msa_commitment: w.msa_commitment.0,
        credit_commitment: c.envelope.public_inputs.credit_commitment,
        invoice_commitment: w.november.zk_proof.public_inputs.invoice_commitment,
    });
    seller_log
        .append(
            Proposal::new(body)
                .signed(Role::Seller, &w.seller)
                .signed(Role::Buyer, &w.buyer),
        )
        .expect("carried");
    let mut entries = Vec::new();
    seller_log.export_jsonl(&mut entries).expect("exports");
    log(&p, "buyer").import_jsonl(&mut &entries[..]).expect("imports");
    let published = p.seller.publish(&carried).expect("carried");
    assert!(!published.already && published.events == 1, "{published:?}");
    assert_eq!(november(&p, |r| r.credited.clone()).await, c.proved.note.number);
    let r = november(&p, |r| Some(r.clone())).await;
    assert!(r.change_refused.is_none(), "{r:?}");
}
