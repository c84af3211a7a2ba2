//! The JSON bodies the services parse, through `zkinvoice_service::api::parse_body` as the
//! handlers call it: the options byte picks the body, the rest is the body itself.
//!
//! * 0: `CustomerBillEvent` (the Buyer's listeners), checked as each listener checks it
//!   (`zkinvoice_service::buyer::fuzzing::event_body`, hidden, for these targets only);
//! * 1: `EventSubscriptionInput` (the Seller's `POST /hub`), checked as the hub checks it (the
//!   callback an http(s) URL, the query one the Seller understands: `seller::fuzzing::hub_body`);
//! * 2: `CustomerBill` (the Buyer's `POST /verify`, a bill fetched from the Seller), read into
//!   the invoice it states against the example MSA, and opened as the Buyer's check opens it;
//! * 3: a proof envelope (the Buyer's `POST /measurements`), read into the `usage-measured` entry
//!   the handler anchors (`buyer::fuzzing::measurement_body`), which must survive its canonical
//!   JSON;
//! * 4: a reconciliation envelope (the Buyer's `POST /reconciliations`), read into
//!   `usage-reconciled` (when its `over` is zero) or `dispute-opened` (otherwise).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_anchors::Body;
use zkinvoice_check::Received;
use zkinvoice_fuzz::msa;
use zkinvoice_mef141::{CustomerBill, CREATE_EVENT};
use zkinvoice_service::{
    api::parse_body,
    buyer::fuzzing::{event_body, measurement_body, reconciliation_body, STATE_CHANGE_EVENT},
    seller::fuzzing::{hub_body, hub_query},
};

/// The entry's body reads back from its canonical JSON as itself.
fn round_trip(body: &Body) {
    let text = serde_json::to_string(body).expect("a body serialises");
    let back: Body = serde_json::from_str(&text).expect("a body reads back");
    assert_eq!(&back, body);
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    match mode % 5 {
        0 => {
            for listener in [CREATE_EVENT, STATE_CHANGE_EVENT] {
                if let Ok(event) = event_body(body, listener) {
                    assert_eq!(event.event_type, listener, "a listener took another event type");
                    assert!(
                        !event.event.id.is_empty(),
                        "a listener took an event naming no bill"
                    );
                }
            }
        }
        1 => {
            if let Ok(input) = hub_body(body) {
                if let Some(q) = &input.query {
                    let _ = hub_query(q, CREATE_EVENT);
                }
            }
        }
        2 => {
            if let Ok(bill) = parse_body::<CustomerBill>(body, "CustomerBill") {
                let _ = bill.to_invoice(msa());
                let _ = Received::of_bill(&bill, msa()).opened();
            }
        }
        3 => {
            if let Ok(entry) = measurement_body(body) {
                assert_eq!(entry.kind(), "usage-measured");
                round_trip(&entry);
            }
        }
        _ => {
            if let Ok(entry) = reconciliation_body(body) {
                let zero = zkinvoice_verifier::Fr::from(0u64);
                match &entry {
                    Body::UsageReconciled { .. } => {}
                    Body::DisputeOpened { over, .. } => assert_ne!(*over, zero, "a dispute over nothing"),
                    other => panic!("a reconciliation read as {}", other.kind()),
                }
                round_trip(&entry);
            }
        }
    }
});
