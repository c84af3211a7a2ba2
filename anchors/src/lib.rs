//! # zkinvoice-anchors
//!
//! The embedded anchor log of one bilateral (MEF 114 "Smart Bilateral"): an append-only,
//! hash-chained, signed log in a SQLite file that each party keeps a copy of, exchanged as JSON
//! lines.
//!
//! - [`PartySecret`] / [`PartyPublic`]: the Seller's and the Buyer's Ed25519 keys;
//! - [`Body`]: what an entry anchors (`msa-agreed`, `usage-agreed`, `invoice-proved`,
//!   `invoice-accepted`, `invoice-rejected`), signed as its digest
//!   `SHA-256("zkinvoice/anchor-body/v1" || canonical JSON)`;
//! - [`Proposal`]: a body with the signatures collected so far, passed between the parties;
//! - [`Entry`]: an anchored body with its `seq`, `prev_hash` and hash;
//! - [`AnchorLog`]: the SQLite log: append (one transaction, every rule checked, proofs verified),
//!   export and import, verify, audit;
//! - [`View`]: what the entries establish (the rules' state machine);
//! - [`AnchorError`]: every refusal, naming the entry and the reason.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod body;
mod entry;
mod error;
mod keys;
mod log;
mod view;

pub use body::{Body, Proposal, Signature, BODY_DOMAIN};
pub use entry::{entry_hash, Entry, ENTRY_DOMAIN};
pub use error::AnchorError;
pub use keys::{write_secret_file, Parties, PartyPublic, PartySecret, Role};
pub use log::{AnchorLog, AuditOptions, AuditReport, Head, ImportReport, VerifyReport, BUSY_TIMEOUT, FORMAT};
pub use view::{InvoiceStatus, View};
pub use zkinvoice_verifier::Fr;
