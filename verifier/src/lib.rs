//! # zkinvoice-verifier
//!
//! The Buyer's and the auditor's light verifier: checks Groth16 proofs (over BLS12-381) against
//! anchored public inputs, one by one, in batches under one key, or in mixed batches under several
//! keys, without the circuit code.
//!
//! The crate is generic over statements: protocol v1 has one (the invoice statement), protocol v2
//! adds others (block, chunk, link) defined elsewhere as markers implementing [`Statement`].
//!
//! - [`Statement`] and [`PublicInputs`]: what a statement is (its id, its number of public inputs,
//!   its typed inputs); [`InvoiceStatement`], the invoice statement (`zkinvoice/invoice/v1`);
//! - [`InvoicePublicInputs`]: the invoice statement's five public inputs, in circuit order, with
//!   their JSON form;
//! - [`VerifyingKeyOf`] / [`PreparedKeyOf`]: a statement's verifying key: decoding, hashing (SHA-256
//!   of the compressed encoding) and preparing; [`InvoiceVerifyingKey`] and [`PreparedInvoiceKey`]
//!   are the invoice statement's;
//! - [`PreparedAnyKey`]: a prepared key with its statement erased (its hash and input count kept),
//!   from [`PreparedKeyOf::erase`];
//! - [`InvoiceProof`] (also [`Proof`]): decoding a proof from bytes or base64;
//! - [`verify`] (one proof), [`verify_batch`] (many proofs under one key) and [`verify_mixed`] (many
//!   proofs under several keys, as [`MixedItem`]s): the batches are one random linear combination,
//!   one multi-Miller loop and one final exponentiation, falling back to one by one to name the bad
//!   proofs;
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
pub mod credit;
mod error;
mod inputs;
mod invoice;
mod key;
mod mixed;
pub mod netting;
pub mod pairing;
pub mod partition;
mod proof;
pub mod reconcile;
mod statement;
mod verify;

#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod test_circuit;

/// The BLS12-381 scalar field: the type of every public input.
pub use ark_bls12_381::Fr;

pub use batch::verify_batch;
pub use credit::{CreditPublicInputs, CreditStatement};
pub use error::VerifyError;
pub use inputs::{fr_from_hex, fr_to_hex, InvoicePublicInputs, PUBLIC_INPUT_COUNT};
pub use invoice::{InvoiceProofs, InvoiceVerifyingKeys, PreparedInvoiceKeys, KEY_SET_DOMAIN, PARTITIONED};
pub use key::{InvoiceVerifyingKey, PreparedAnyKey, PreparedInvoiceKey, PreparedKeyOf, VerifyingKeyOf};
pub use mixed::{verify_mixed, MixedItem};
pub use netting::{NettingHeadsPublicInputs, NettingHeadsStatement, NettingPublicInputs, NettingStatement};
pub use partition::keys::PartitionKeySet;
pub use proof::{InvoiceProof, PROOF_BYTES};
pub use reconcile::{day_number, ReconcilePublicInputs, ReconcileStatement};
pub use statement::{InvoiceStatement, PublicInputs, Statement};
pub use verify::verify;

/// A Groth16 proof of any statement (the same type as [`InvoiceProof`]).
pub type Proof = InvoiceProof;

/// The proof scheme every envelope and bill names: Groth16 over BLS12-381.
pub const SCHEME: &str = "groth16-bls12-381";
