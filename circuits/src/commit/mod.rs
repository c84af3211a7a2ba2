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
pub mod netting;
pub mod scheme;
pub mod sla;
pub mod state;
pub mod usage;

pub use detail::{leaf_salt, usage_detail_root};
pub use msa::MsaCommitDoc;
pub use scheme::{commit_fields, Commitment, Salt, SALT_BYTES};
pub use state::{StateDoc, StateOpening};
pub use usage::UsageCommitDoc;

use crate::{layout::Layout, model::invoice::Invoice, partition::parts, Error, Msa, Usage, VolumeState};

/// `msa_commitment` under `layout` (v1: [`msa::msa_commitment`]; v2: the top of its parts,
/// [`parts::msa_commitment`]).
pub fn msa_commitment(msa: &Msa, layout: impl Into<Layout>, salt: &Salt) -> Result<Commitment, Error> {
    match layout.into() {
        Layout::Single(s) => msa::msa_commitment(msa, s, salt),
        Layout::Partitioned(p) => parts::msa_commitment(msa, p, salt),
    }
}

/// `usage_commitment` under `layout`.
pub fn usage_commitment(
    msa_commitment: Commitment,
    msa: &Msa,
    usage: &Usage,
    layout: impl Into<Layout>,
    salt: &Salt,
) -> Result<Commitment, Error> {
    match layout.into() {
        Layout::Single(s) => usage::usage_commitment(msa_commitment, msa, usage, s, salt),
        Layout::Partitioned(p) => parts::usage_commitment(msa_commitment, msa, usage, p, salt),
    }
}

/// `state_k` under `layout`.
pub fn state_commitment(
    msa_commitment: Commitment,
    state: &VolumeState,
    layout: impl Into<Layout>,
    salt: &Salt,
) -> Result<Commitment, Error> {
    state.check()?;
    match layout.into() {
        Layout::Single(s) => state::state_commitment(msa_commitment, state, s, salt),
        Layout::Partitioned(p) => {
            p.check(crate::shape::Need {
                products: state.volumes.len(),
                ..Default::default()
            })?;
            Ok(parts::state_commitment(msa_commitment, state, p, salt))
        }
    }
}

/// `invoice_commitment` under `layout`.
pub fn invoice_commitment(
    invoice: &Invoice,
    layout: impl Into<Layout>,
    salt: &Salt,
) -> Result<Commitment, Error> {
    match layout.into() {
        Layout::Single(s) => invoice::invoice_commitment(invoice, s, salt),
        Layout::Partitioned(p) => parts::invoice_commitment(invoice, p, salt),
    }
}
