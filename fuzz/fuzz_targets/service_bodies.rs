//! The JSON bodies the services parse, through `zkinvoice_service::api::parse_body` as the
//! handlers call it: the options byte picks the body, the rest is the body itself.
//!
//! * 0: `CustomerBillEvent` (the Buyer's listeners), checked as each listener checks it
//!   (`zkinvoice_service::buyer::fuzzing::event_body`, hidden, for these targets only);
//! * 1: `EventSubscriptionInput` (the Seller's `POST /hub`), checked as the hub checks it (the
//!   callback an http(s) URL, the query one the Seller understands: `seller::fuzzing::hub_body`);
//! * 2: `CustomerBill` (the Buyer's `POST /verify`, a bill fetched from the Seller), read into
//!   the invoice it states against the example MSA, and opened as the Buyer's check opens it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_check::Received;
use zkinvoice_fuzz::msa;
use zkinvoice_mef141::{CustomerBill, CREATE_EVENT};
use zkinvoice_service::{
    api::parse_body,
    buyer::fuzzing::{event_body, STATE_CHANGE_EVENT},
    seller::fuzzing::{hub_body, hub_query},
};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    match mode % 3 {
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
        _ => {
            if let Ok(bill) = parse_body::<CustomerBill>(body, "CustomerBill") {
                let _ = bill.to_invoice(msa());
                let _ = Received::of_bill(&bill, msa()).opened();
            }
        }
    }
});
