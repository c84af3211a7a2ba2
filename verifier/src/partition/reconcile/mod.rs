//! The reconciliation of two partitioned (v2) invoices (`docs/lifecycle.md`, "The reconciliation
//! of partitioned invoices"): the public side, without circuit code.
//!
//! Two invoices of one period under one partitioned MSA (the Seller's, and the one rated from the
//! Buyer's own measurement) are compared against the MSA's dispute thresholds by `nb` **block**
//! proofs (`zkinvoice/reconcile-block/v2`, the products of block `j`) and one **link** proof
//! (`zkinvoice/reconcile-link/v2`, the charge kinds and the totals):
//!
//! - each block opens its MSA part and both invoices' parts of block `j`, and proves its products'
//!   `over` bits against their thresholds;
//! - the products' thresholds are one hash chain over the MSA's products inside its committed
//!   terms; block `j` proves the chain's step over its products from the value before it to the
//!   value after it, each published only as a salted commitment (`chains[j]`, `chains[j + 1]`),
//!   block 0 from the chain's start; the link opens `chains[nb]` as the chain inside `msa_head`'s
//!   terms. So the blocks' thresholds are the MSA's, and no chain value (a hash of thresholds)
//!   is revealed;
//! - the link compares the two invoices' usage charges, recurring charges and totals; the sums of
//!   the charges come from the blocks by four masked rings (the Seller's usage and recurring
//!   charges, the Buyer's), as the subtotal ring of an invoice: each block publishes its sum plus
//!   `M(j) - M(j + 1)`, the link minus the whole sum plus `M(nb) - M(0)`, so each ring's shares
//!   add up to zero exactly when the blocks' sums are the link's.
//!
//! [`PartitionedReconcilePublic::check`] checks what no single proof can: the parts open the three
//! anchored commitments (the MSA's and the two invoices'), every list has its length and each ring
//! vanishes.

mod codec;
mod inputs;
mod keys;
mod public;

pub use codec::{PartitionedReconcileProof, ReconcileProofError, ReconcileProofs, MAGIC as PROOF_MAGIC};

pub use inputs::{
    ReconcileBlockPublicInputs, ReconcileBlockStatement, ReconcileLinkPublicInputs, ReconcileLinkStatement,
};
pub use keys::{key_set_hash, PreparedReconcileKeys, ReconcileKeySet, KEY_SET_DOMAIN};
pub use public::{PartitionedReconcilePublic, ReconcileRefusal, ReconcileTops, Shares, OVER_TAG, RINGS};

/// The statement of an envelope or an anchor entry of the reconciliation of partitioned invoices
/// (its block proofs and the link's), and of `statement-key-agreed` of its two keys.
pub const STATEMENT: &str = "zkinvoice/reconcile/v2";
