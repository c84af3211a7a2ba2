//! The JSON bodies the services parse, through `zkinvoice_service::api::parse_body` as the
//! handlers call it: the options byte picks the body, the rest is the body itself.
//!
//! * 0: `CustomerBillEvent` (the Buyer's listener), and the listener's checks of it;
//! * 1: `EventSubscriptionInput` (the Seller's `POST /hub`), and the hub's checks of it (the
//!   callback an http(s) URL, the query one the Seller understands);
//! * 2: `CustomerBill` (the Buyer's `POST /verify`, a bill fetched from the Seller), read into
//!   the invoice it states with and without the example MSA.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_fuzz::msa;
use zkinvoice_mef141::{CustomerBill, CustomerBillEvent, EventSubscriptionInput, CREATE_EVENT};
use zkinvoice_service::{api::parse_body, seller::fuzzing::hub_query};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            if let Ok(event) = parse_body::<CustomerBillEvent>(body, "CustomerBillEvent") {
                let _announces = event.event_type == CREATE_EVENT && !event.event.id.is_empty();
            }
        }
        1 => {
            if let Ok(input) = parse_body::<EventSubscriptionInput>(body, "EventSubscriptionInput") {
                let _url = reqwest::Url::parse(&input.callback)
                    .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
                if let Some(q) = &input.query {
                    let _ = hub_query(q, CREATE_EVENT);
                }
            }
        }
        _ => {
            if let Ok(bill) = parse_body::<CustomerBill>(body, "CustomerBill") {
                let _ = bill.to_invoice(Some(msa()));
                let _ = bill.to_invoice(None);
            }
        }
    }
});
