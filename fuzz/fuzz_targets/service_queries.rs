//! The query strings the services parse: the options byte picks the parser, the rest is the
//! query.
//!
//! * 0: the Seller's `GET /customerBill?...`: decoded as axum's `Query` decodes a request's
//!   (`Query::try_from_uri`), then the Seller's filter parser, matched against the fixture bill
//!   (`zkinvoice_service::seller::fuzzing::customer_bill_query`);
//! * 1: a listener's subscription query (`POST /hub` `{"query": ...}`): valid, and which event
//!   types it wants (`zkinvoice_service::seller::fuzzing::hub_query`); a valid non-empty query
//!   wants at least one of the two billing event types.
#![no_main]

use axum::{extract::Query, http::Uri};
use libfuzzer_sys::fuzz_target;
use zkinvoice_fuzz::{bill, options_and_text};
use zkinvoice_service::seller::fuzzing::{customer_bill_query, hub_query};

const STATE_CHANGE_EVENT: &str = "customerBillStateChangeEvent";

fuzz_target!(|data: &[u8]| {
    let Some((options, text)) = options_and_text(data) else {
        return;
    };
    if options & 1 == 0 {
        let Ok(uri) = format!("/customerBill?{text}").parse::<Uri>() else {
            return;
        };
        let Ok(Query(pairs)) = Query::<Vec<(String, String)>>::try_from_uri(&uri) else {
            return;
        };
        let _ = customer_bill_query(&pairs, std::slice::from_ref(bill()));
    } else {
        let (valid, create) = hub_query(text, zkinvoice_mef141::CREATE_EVENT);
        let (_, state_change) = hub_query(text, STATE_CHANGE_EVENT);
        if valid && !text.trim().is_empty() {
            assert!(create || state_change, "a valid query {text:?} wants no event");
        }
    }
});
