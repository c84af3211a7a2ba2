//! # zkinvoice-circuits
//!
//! The commercial model of zkinvoice and everything that must be computed identically by the
//! Seller, the Buyer and the circuit:
//!
//! * [`model`]: the Master Services Agreement ([`Msa`]), usage records ([`Usage`]) and invoices
//!   ([`Invoice`]), each parsed from a documented JSON (or CSV) format and validated into exact
//!   integer values;
//! * [`money`]: exact decimal prices (nano-units) and minor units;
//! * [`shape`]: the fixed circuit sizes ([`Shape::S`], [`Shape::M`]) inputs are padded to, and
//!   [`layout`]: a v1 shape or a v2 partition shape, as files name them;
//! * [`encoding`]: the canonical field encoding's primitives (tags, identifiers, packing);
//! * [`commit`]: the hiding (salted) commitments anchored on the bilateral ledger, each with the
//!   encoding of its body;
//! * [`native`]: the native arithmetic the gadgets mirror (Poseidon, rounding, tiers,
//!   aggregation) and the reference rater the invoice statement proves;
//! * [`gadgets`] and [`statement`]: the in-circuit twins and the statements (v1: the invoice
//!   statement; v2: the block, chunk and link statements of a partitioned invoice);
//! * [`partition`]: protocol v2 natively: partition shapes, part commitments, and each
//!   partition's witness.
//!
//! The arithmetic is specified in `docs/protocol.md`. No two modules import each other, directly
//! or through others: the encoding's primitives know nothing of the model, each commitment encodes
//! its own body, and the statement sits on top of the commitments, the gadgets and their native
//! twins.
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]
#![warn(missing_docs)]

pub mod commit;
pub mod encoding;
mod error;
pub mod gadgets;
pub mod layout;
pub mod model;
pub mod money;
pub mod native;
pub mod partition;
pub mod shape;
pub mod statement;

pub use ark_bls12_381::Fr;
pub use commit::{Commitment, Salt};
pub use error::Error;
pub use layout::Layout;
pub use model::{
    invoice::{Invoice, InvoiceLine, LineKind},
    msa::{Msa, PricingModel, Product, Tier},
    period::Period,
    state::VolumeState,
    usage::{Usage, UsageFormat, UsageRecord},
};
pub use money::Currency;
/// The reference rater, at the path other crates know it by: [`native::rate`].
pub use native::rate as rater;
pub use native::rate::{rate, Rated};
pub use shape::Shape;

/// Result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
