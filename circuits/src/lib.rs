//! # zkinvoice-circuits
//!
//! The commercial model of zkinvoice and everything that must be computed identically by the
//! Seller, the Buyer and the circuit:
//!
//! * [`model`]: the Master Services Agreement ([`Msa`]), usage records ([`Usage`]) and invoices
//!   ([`Invoice`]), each parsed from a documented JSON (or CSV) format and validated into exact
//!   integer values;
//! * [`money`]: exact decimal prices (nano-units), minor units, and the half-up rounding rule;
//! * [`shape`]: the fixed circuit sizes ([`Shape::S`], [`Shape::M`]) inputs are padded to;
//! * [`encoding`] and [`poseidon`]: the canonical field encoding and the Poseidon sponge;
//! * [`commit`]: the hiding (salted) commitments anchored on the bilateral ledger;
//! * [`rater`]: the native reference rater the invoice statement mirrors.
//!
//! The arithmetic is specified in `docs/protocol.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod commit;
pub mod encoding;
mod error;
pub mod gadgets;
pub mod model;
pub mod money;
pub mod poseidon;
pub mod rater;
pub mod shape;
pub mod statement;

pub use ark_bls12_381::Fr;
pub use commit::{Commitment, Salt};
pub use error::Error;
pub use model::{
    invoice::{Invoice, InvoiceLine, LineKind},
    msa::{Msa, PricingModel, Product, Tier},
    period::Period,
    state::VolumeState,
    usage::{Usage, UsageFormat, UsageRecord},
};
pub use money::Currency;
pub use rater::{rate, Rated};
pub use shape::Shape;

/// Result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
