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
//! - [`KeySetup`]: how an MSA's verifying keys were made (a multi-party ceremony, or a
//!   single-party setup both parties accept), signed in `msa-agreed`;
//! - [`Proposal`]: a body with the signatures collected so far, passed between the parties;
//! - [`Entry`]: an anchored body with its `seq`, `prev_hash` and hash;
//! - [`AnchorLog`]: the SQLite log: append (one transaction, every rule checked, proofs verified,
//!   retried with back-off while another process holds the file), export and import, verify,
//!   compare with the other party's copy (entries removed from either named), audit;
//! - [`View`]: what the entries establish, the state the rules (one per body kind) check a new
//!   entry against;
//! - [`AnchorError`]: every refusal, naming the entry and the reason, typed: the [`Rule`] an entry
//!   breaks, the [`SignatureError`], the [`Corruption`] of a stored entry, the [`ImportError`] of
//!   an import line.
//!
//! The modules depend one way: `role`, `short` and `setup` (leaves) <- `error` <- `keys` <- `body` <-
//! `entry`; `view` (a leaf); `rules` (on `view`, `body`, `keys`, `error`) <- `proposal`, `log`.
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

mod body;
mod entry;
mod error;
mod keys;
mod log;
mod proposal;
mod role;
mod rules;
mod setup;
mod short;
mod view;

pub use body::{Body, CreditCarried, NettedParts, Signature, BODY_DOMAIN};
pub use entry::{entry_hash, Entry, ENTRY_DOMAIN};
pub use error::{
    AnchorError, Attempt, Corruption, CreditRule, ImportError, NetRule, PartialRule, ReconcileRule, Rule,
    SettleRule, SignatureError,
};
pub use keys::{write_secret_file, Parties, PartyPublic, PartySecret};
pub use log::audit::{AuditOptions, AuditReport, SettlementCounts};
pub use log::busy::{BUSY_PATIENCE, BUSY_TIMEOUT, FIRST_PAUSE, MAX_PAUSE};
pub use log::exchange::ImportReport;
pub use log::store::{Head, FORMAT};
pub use log::verify::VerifyReport;
pub use log::AnchorLog;
pub use proposal::Proposal;
pub use role::Role;
pub use setup::KeySetup;
pub use view::{CarriedView, CreditView, InvoiceStatus, NetView, Part, Settlement, View};
pub use zkinvoice_verifier::Fr;
