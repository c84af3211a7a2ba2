//! # zkinvoice-prover
//!
//! The Seller's prover:
//! * [`keys`]: Groth16 key generation per shape, key files with a manifest (sizes, SHA-256,
//!   constraint count, circuit digest), and loading that checks the hash before an unchecked
//!   deserialisation;
//! * [`groth16`]: the Groth16 prover: matrices built once, witness-only synthesis, a filtered
//!   key read as a stream, blst's multi-scalar multiplication;
//! * [`prove`](mod@prove): rating, witness building and proving one invoice or a batch in parallel, with a
//!   self-check so that inconsistent inputs give an error, never a silently bad proof;
//! * [`envelope`]: the proof envelope a Seller sends and anchors;
//! * [`partition`]: protocol v2: the keys of a partition shape and a partitioned invoice proven in
//!   parallel;
//! * [`lifecycle`]: the keys of the statements after the invoice (issue 16): [`reconcile`], the
//!   reconciliation statement's proofs, [`netting`], the netting statement's, and [`credit`], the
//!   credit-note statement's (SLA credits).
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

pub mod credit;
pub mod envelope;
mod error;
pub mod files;
pub mod groth16;
pub mod keys;
pub mod lifecycle;
pub mod netting;
pub mod partition;
pub mod prove;
pub mod reconcile;

pub use envelope::ProofEnvelope;
pub use error::ProverError;
pub use files::CeremonyRecord;
pub use keys::{InvoiceKeys, InvoiceProvingKey, KeyManifest};
pub use prove::{prove, prove_batch, ProveRequest, Proved};
