//! # zkinvoice-check
//!
//! The Buyer's check of a received invoice, in one place for the CLI and the services: an invoice
//! arrives as a proof envelope or as an MEF 141 `CustomerBill` with its `zkProof`
//! ([`Received`]); it is valid only if
//!
//! 1. it is proved under this scheme and statement and the verifying key held for it;
//! 2. the invoice it states opens the proven invoice commitment (it is the invoice the proof is
//!    about, not one edited after proving);
//! 3. the proof's public inputs are the agreed commitments: from the Buyer's anchor log or the
//!    anchor contract on a chain ([`Anchored`], [`check_anchored`]), or given explicitly
//!    ([`Agreed`], [`check`]);
//! 4. the Groth16 proof verifies.
//!
//! Every refusal is a [`Rejection`] whose variants carry values; the CLI and the services turn
//! them into exit codes, messages and MEF error bodies. With the `chain` feature (default),
//! [`chain`] reads what an anchor contract holds for one invoice over JSON-RPC.
//!
//! Relies on `zkinvoice-verifier` for the proof, `zkinvoice-circuits` for the invoice
//! commitment, `zkinvoice-mef141` to read a bill and `zkinvoice-anchors` for the log's view.
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

mod agreed;
mod anchored;
mod carried;
#[cfg(feature = "chain")]
pub mod chain;
mod part;
mod received;
mod rejection;
mod steps;

pub use agreed::Agreed;
pub use anchored::Anchored;
pub use part::Stated;
pub use received::{Form, Opened, Received};
pub use rejection::{Commitments, Rejection};
pub use steps::{check, check_anchored, check_before_proof};
