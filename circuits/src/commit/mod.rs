//! Native commitments: hiding (salted), binding Poseidon commitments to the MSA, the usage of a
//! period, a cumulative-volume state and an invoice; and the SHA-256 Merkle root of the usage
//! record details.
//!
//! Every commitment is `Poseidon(tag, n, body[0..n], salt)`: a domain tag distinct per kind, the
//! body's length, the canonical body, and last a 248-bit random salt, so a low-entropy value cannot
//! be brute-forced from its commitment.
//!
//! The scheme itself (the salt, the commitment value and [`commit_fields`]) is in [`scheme`]. Each
//! commitment's body is encoded in its own module ([`msa`], [`usage`], [`state`], [`invoice`])
//! from the primitives of [`crate::encoding`], beside the commitment and the file that carries it.
//! The in-circuit twin of [`commit_fields`] is [`crate::gadgets::poseidon::commit`].

pub mod detail;
pub mod invoice;
pub mod msa;
pub mod scheme;
pub mod state;
pub mod usage;

pub use detail::{leaf_salt, usage_detail_root};
pub use invoice::invoice_commitment;
pub use msa::{msa_commitment, MsaCommitDoc};
pub use scheme::{commit_fields, Commitment, Salt, SALT_BYTES};
pub use state::{state_commitment, StateDoc, StateOpening};
pub use usage::{usage_commitment, UsageCommitDoc};
