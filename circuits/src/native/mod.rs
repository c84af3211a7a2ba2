//! Native arithmetic that the R1CS gadgets mirror, each at the path of its in-circuit twin:
//! `native/round.rs` beside `gadgets/round.rs`, and so on. The gadgets' tests compare each gadget
//! with its twin here, so the Seller's rater, the Buyer's check and the circuit compute the same
//! values.
//!
//! * [`poseidon`]: the sponge every commitment and identifier hash uses;
//! * [`round`]: half-up rounding of a division;
//! * [`tier`]: cumulative tier prices and the graduated price `F(V)`;
//! * [`aggregate`]: the per-product totals of a period and the aggregation challenge;
//! * [`rate`]: the reference rater, which the invoice statement proves as a whole;
//! * [`reconcile`]: the reference reconciliation of two invoices of a period, which the
//!   reconciliation statement proves;
//! * [`netting`]: the net amount of two invoices in opposite directions, which the netting
//!   statement proves;
//! * [`multiset`]: the record and product shares of a partitioned invoice's aggregation;
//! * [`ring`]: the masks that hide each partition's share;
//! * [`threshold`]: whether two parties' amounts differ by more than a dispute threshold allows.
//!
//! Range checks have no module here: their native twin is an integer comparison.

pub mod aggregate;
pub mod credit;
pub mod multiset;
pub mod netting;
pub mod poseidon;
pub mod rate;
pub mod reconcile;
pub mod ring;
pub mod round;
pub mod threshold;
pub mod tier;
