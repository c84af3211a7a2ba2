//! # zkinvoice-verifier
//!
//! The Buyer's and the auditor's light verifier: checks invoice proofs (Groth16 over BLS12-381)
//! against anchored public inputs, one by one or in batches, without the circuit code.
//!
//! - [`InvoicePublicInputs`]: the statement's five public inputs, in circuit order, with their JSON
//!   form;
//! - [`InvoiceVerifyingKey`] / [`PreparedInvoiceKey`]: decoding, hashing (SHA-256 of the compressed
//!   encoding) and preparing the verifying key;
//! - [`InvoiceProof`]: decoding a proof from bytes or base64;
//! - [`verify`] and [`verify_batch`];
//! - [`VerifyError`]: every refusal.
//!
//! ```no_run
//! # fn main() -> Result<(), zkinvoice_verifier::VerifyError> {
//! # let (vk_bytes, proof_b64, inputs_json) = (vec![0u8; 0], "", "");
//! use zkinvoice_verifier::{verify, InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKey};
//! let key = InvoiceVerifyingKey::from_bytes(&vk_bytes)?.prepare();
//! let proof = InvoiceProof::from_base64(proof_b64)?;
//! let inputs = InvoicePublicInputs::from_json(inputs_json)?;
//! verify(&key, &proof, &inputs)?;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

mod batch;
mod codec;
mod error;
mod inputs;
mod key;
pub mod partition;
mod proof;
mod verify;

/// The BLS12-381 scalar field: the type of every public input.
pub use ark_bls12_381::Fr;

pub use batch::verify_batch;
pub use error::VerifyError;
pub use inputs::{fr_from_hex, fr_to_hex, InvoicePublicInputs, PUBLIC_INPUT_COUNT};
pub use key::{InvoiceVerifyingKey, PreparedInvoiceKey};
pub use proof::{InvoiceProof, PROOF_BYTES};
pub use verify::verify;

/// The proof scheme every envelope and bill names: Groth16 over BLS12-381.
pub const SCHEME: &str = "groth16-bls12-381";
