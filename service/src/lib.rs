//! # zkinvoice-service
//!
//! zkinvoice over HTTP (MEF 141, LSO Sonata Billing Management, based on TMF678):
//!
//! - the **Seller** serves its proved bills under [`MEF_BASE`]: `GET /customerBill` (filters,
//!   pagination), `GET /customerBill/{id}`, `GET /customerBillItem/{id}`, `POST /hub`,
//!   `GET /hub/{id}`, `DELETE /hub/{id}`; every bill published into its store
//!   ([`seller::SellerStore::publish`]) becomes a `customerBillCreateEvent` for each registered
//!   listener, kept in an outbox and retried with exponential back-off until the listener takes it;
//!   the bill published again settled (its payment received) replaces it and becomes a
//!   `customerBillStateChangeEvent`;
//! - the **Buyer** listens at [`LISTENER_BASE`]`/listener/customerBillCreateEvent`: it pulls the
//!   Seller's new anchor entries, fetches the bill and its items, checks them against its own anchor
//!   log (`zkinvoice_check::check_anchored`) and records `invoice-accepted` or `invoice-rejected`
//!   there, signed with its key; or, with the `chain` feature, it checks them against the
//!   bilateral's anchor contract on an EVM chain (`buyer::BuyerAnchors::Chain`);
//!   `GET /received/{id}` tells what became of a bill (and whether it came back credited or
//!   settled: the `customerBillStateChangeEvent` listener checks the changed bill against the
//!   log),
//!   `POST /verify` checks a bill without recording anything;
//! - the Buyer also anchors what its billing system proved of the reconciliation
//!   (`POST /measurements`, `POST /reconciliations`: `usage-measured`, `usage-reconciled` or
//!   `dispute-opened`, signed with its key), and delivers each entry it anchors, decisions
//!   included, to the Seller's copy (`POST /anchors` there).
//!
//! Both answer errors with MEF error bodies (`{"code", "reason", "message"}`: 400 malformed,
//! 401 credentials, 404 unknown, 409 conflict, 413 too large, 422 refused), refuse bodies over
//! [`MAX_BODY`] bytes, take an optional bearer token, serve their anchor log as JSON lines at
//! `GET /anchors?after=N` (its length in [`LENGTH_HEADER`]) so the other party can import what it
//! lacks, take the other party's entries at `POST /anchors` (every rule checked, all or
//! nothing: [`Imported`]) and list their log's disputes at `GET /disputes`
//! ([`disputes::Dispute`]). State is in SQLite.
//!
//! Where things are: [`seller`] and [`buyer`] each start their service and route its requests,
//! with one file per part (store, handlers by resource, the Seller's outbox, the Buyer's check and
//! decision); what both use is beside them: [`api`] (MEF error bodies and JSON responses), `auth`
//! (bearer token, body limit, fallbacks), `feed` (`GET` and `POST /anchors`), [`disputes`]
//! (`GET /disputes`), `store` (the SQLite
//! connection), `clock` (timestamps) and `error` ([`ServiceError`]). The roles never import each
//! other.
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

pub mod api;
mod auth;
pub mod buyer;
mod clock;
pub mod disputes;
mod error;
mod feed;
pub mod seller;
mod store;

pub use error::ServiceError;
pub use feed::{Imported, LENGTH_HEADER};
pub use seller::retry::RetryPolicy;
pub use zkinvoice_mef141::{LISTENER_BASE, MEF_BASE};
/// The largest request body either service accepts (1 MiB): a bill of shape M is about 20 KiB.
pub const MAX_BODY: usize = 1 << 20;
/// The `Content-Type` of every JSON response, as MEF 141 declares it.
pub const JSON: &str = "application/json;charset=utf-8";
