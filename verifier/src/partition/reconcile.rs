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

use ark_ff::{AdditiveGroup, Zero};
use serde::{Deserialize, Serialize};

use super::{invoice_top, msa_top, public::hex_frs, PartitionSizes, Parts};
use crate::Fr;

/// Public inputs of the reconciliation's block statement, in circuit order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReconcileBlockPublicInputs {
    /// The block's MSA part.
    pub msa_block: Fr,
    /// The block's part of the Seller's invoice.
    pub seller_block: Fr,
    /// The block's part of the Buyer's invoice.
    pub buyer_block: Fr,
    /// The block's index `j`.
    pub index: Fr,
    /// The commitment to the thresholds' chain before the block's products.
    pub chain_in: Fr,
    /// The commitment to the thresholds' chain after them.
    pub chain_out: Fr,
    /// The mask seed's commitment.
    pub seed: Fr,
    /// The masked shares of the four sums: the Seller's usage and recurring charges, the Buyer's.
    pub sums: [Fr; 4],
    /// The block's products over their thresholds: bit `i` product slot `j·Pb + i`.
    pub over: Fr,
}

impl ReconcileBlockPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 12;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.msa_block,
            self.seller_block,
            self.buyer_block,
            self.index,
            self.chain_in,
            self.chain_out,
            self.seed,
            self.sums[0],
            self.sums[1],
            self.sums[2],
            self.sums[3],
            self.over,
        ]
    }
}

/// Public inputs of the reconciliation's link statement, in circuit order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReconcileLinkPublicInputs {
    /// The MSA header's commitment (with the terms and the thresholds).
    pub msa_head: Fr,
    /// The Seller's invoice header's commitment.
    pub seller_head: Fr,
    /// The Buyer's invoice header's commitment.
    pub buyer_head: Fr,
    /// The commitment to the thresholds' chain after the last block.
    pub chain: Fr,
    /// The mask seed's commitment.
    pub seed: Fr,
    /// `nb`.
    pub blocks: Fr,
    /// The link's masked shares of the four sums (minus each sum).
    pub sums: [Fr; 4],
    /// Over the usage charges' threshold (bit 0), the recurring charges' (bit 1), the invoice's
    /// (bit 2).
    pub over: Fr,
    /// The period's first day (days since 1970-01-01).
    pub period_start: Fr,
    /// The first day after it.
    pub period_end: Fr,
}

impl ReconcileLinkPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 13;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.msa_head,
            self.seller_head,
            self.buyer_head,
            self.chain,
            self.seed,
            self.blocks,
            self.sums[0],
            self.sums[1],
            self.sums[2],
            self.sums[3],
            self.over,
            self.period_start,
            self.period_end,
        ]
    }
}

/// The reconciliation's block statement (`zkinvoice/reconcile-block/v2`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReconcileBlockStatement;

/// The reconciliation's link statement (`zkinvoice/reconcile-link/v2`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReconcileLinkStatement;

impl crate::Statement for ReconcileBlockStatement {
    const ID: &'static str = "zkinvoice/reconcile-block/v2";
    const INPUTS: usize = ReconcileBlockPublicInputs::COUNT;
    type Inputs = ReconcileBlockPublicInputs;
}

impl crate::Statement for ReconcileLinkStatement {
    const ID: &'static str = "zkinvoice/reconcile-link/v2";
    const INPUTS: usize = ReconcileLinkPublicInputs::COUNT;
    type Inputs = ReconcileLinkPublicInputs;
}

impl crate::PublicInputs for ReconcileBlockPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        ReconcileBlockPublicInputs::to_field_elements(self).to_vec()
    }
}

impl crate::PublicInputs for ReconcileLinkPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        ReconcileLinkPublicInputs::to_field_elements(self).to_vec()
    }
}

/// The names of the four rings, in the order of [`ReconcileBlockPublicInputs::sums`].
pub const RINGS: [&str; 4] = [
    "the Seller's usage charges",
    "the Seller's recurring charges",
    "the Buyer's usage charges",
    "the Buyer's recurring charges",
];

/// Every public value of the reconciliation of two partitioned invoices.
///
/// JSON: an object with camelCase keys (`sizes`, `msa`, `seller`, `buyer` as [`Parts`], `chains`,
/// `seed`, `sums`, `productsOver`, `usageOver`, `recurringOver`, `totalOver`, `periodStart`,
/// `periodEnd`); field elements are `0x` and 64 hex digits; unknown keys are refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartitionedReconcilePublic {
    /// The partition shape's sizes.
    pub sizes: PartitionSizes,
    /// `msa_head` and `msa_block_j`.
    pub msa: Parts,
    /// The Seller's `invoice_head` and `invoice_block_j`.
    pub seller: Parts,
    /// The Buyer's `invoice_head` and `invoice_block_j`.
    pub buyer: Parts,
    /// The `nb + 1` commitments to the thresholds' chain: before block 0, after each block.
    #[serde(with = "hex_frs")]
    pub chains: Vec<Fr>,
    /// The mask seed's commitment.
    #[serde(with = "super::public::hex_fr")]
    pub seed: Fr,
    /// Per ring ([`RINGS`]) its `nb + 1` masked shares: the blocks', then the link's.
    pub sums: [Shares; 4],
    /// Per product slot (`nb · Pb` of them) whether the two invoices' amounts of the product are
    /// over its threshold.
    pub products_over: Vec<bool>,
    /// The usage charges' sums are over their threshold.
    pub usage_over: bool,
    /// The recurring charges' sums are over theirs.
    pub recurring_over: bool,
    /// The totals are over the invoice's threshold.
    pub total_over: bool,
    /// The period's first day (days since 1970-01-01).
    pub period_start: u64,
    /// The first day after it.
    pub period_end: u64,
}

/// One ring's masked shares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Shares(#[serde(with = "hex_frs")] pub Vec<Fr>);

/// The three anchored commitments a reconciliation of partitioned invoices opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReconcileTops {
    /// `msa_commitment`.
    pub msa: Fr,
    /// The Seller's `invoice_commitment`.
    pub seller: Fr,
    /// The Buyer's `invoice_commitment`.
    pub buyer: Fr,
}

/// Why the public values of a reconciliation of partitioned invoices do not hold together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReconcileRefusal {
    /// The MSA has no block.
    Empty,
    /// A list has `found` entries where `expected` were due.
    Count {
        /// Which list.
        what: &'static str,
        /// Entries due.
        expected: usize,
        /// Entries found.
        found: usize,
    },
    /// A top recomputed from the parts is not the anchored commitment.
    Top(&'static str),
    /// A ring's shares do not sum to zero: the blocks' sums are not the link's.
    Ring(&'static str),
}

impl std::fmt::Display for ReconcileRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty => f.write_str("a partitioned MSA has at least one block"),
            Self::Count {
                what,
                expected,
                found,
            } => write!(f, "{what} has {found} entries, {expected} expected"),
            Self::Top(what) => write!(f, "the parts do not open the anchored {what}"),
            Self::Ring(what) => write!(
                f,
                "the shares of {what} do not sum to zero (the blocks' sums are not the link's)"
            ),
        }
    }
}

impl std::error::Error for ReconcileRefusal {}

impl PartitionedReconcilePublic {
    /// `nb`.
    pub fn blocks(&self) -> usize {
        self.msa.parts.len()
    }

    /// Checks the values hold together and open `anchored`: every list has its due length (`nb`
    /// parts of each document, `nb + 1` chain commitments and shares per ring, `nb · Pb` product
    /// verdicts), the tops recomputed from the parts are the anchored commitments (so no part
    /// comes from another invoice or bilateral), and each ring's shares vanish. The proofs are
    /// checked separately, against the inputs [`Self::block_inputs`] and [`Self::link_inputs`]
    /// give.
    pub fn check(&self, anchored: &ReconcileTops) -> Result<(), ReconcileRefusal> {
        let nb = self.blocks();
        if nb == 0 {
            return Err(ReconcileRefusal::Empty);
        }
        let pb = usize::try_from(self.sizes.block_products).unwrap_or(usize::MAX);
        let mut lists = vec![
            ("seller", nb, self.seller.parts.len()),
            ("buyer", nb, self.buyer.parts.len()),
            ("chains", nb + 1, self.chains.len()),
            ("productsOver", nb.saturating_mul(pb), self.products_over.len()),
        ];
        for (ring, shares) in RINGS.iter().zip(&self.sums) {
            lists.push((ring, nb + 1, shares.0.len()));
        }
        for (what, expected, found) in lists {
            if expected != found {
                return Err(ReconcileRefusal::Count {
                    what,
                    expected,
                    found,
                });
            }
        }
        let tops = self.tops();
        for (what, top, want) in [
            ("MSA commitment", tops.msa, anchored.msa),
            ("Seller's invoice commitment", tops.seller, anchored.seller),
            ("Buyer's invoice commitment", tops.buyer, anchored.buyer),
        ] {
            if top != want {
                return Err(ReconcileRefusal::Top(what));
            }
        }
        for (ring, shares) in RINGS.iter().zip(&self.sums) {
            if !shares.0.iter().sum::<Fr>().is_zero() {
                return Err(ReconcileRefusal::Ring(ring));
            }
        }
        Ok(())
    }

    /// The three tops the parts make (what [`Self::check`] compares with the anchored ones).
    pub fn tops(&self) -> ReconcileTops {
        ReconcileTops {
            msa: msa_top(self.sizes, self.msa.head, &self.msa.parts),
            seller: invoice_top(self.seller.head, &self.seller.parts),
            buyer: invoice_top(self.buyer.head, &self.buyer.parts),
        }
    }

    /// Whether the two invoices are within every threshold.
    pub fn within(&self) -> bool {
        !(self.usage_over || self.recurring_over || self.total_over || self.products_over.contains(&true))
    }

    /// The public inputs of block `j` (the caller has checked the lengths).
    pub fn block_inputs(&self, j: usize) -> ReconcileBlockPublicInputs {
        let pb = self.sizes.block_products as usize;
        let over = self.products_over[j * pb..(j + 1) * pb]
            .iter()
            .rev()
            .fold(Fr::zero(), |acc, &o| acc.double() + Fr::from(o));
        ReconcileBlockPublicInputs {
            msa_block: self.msa.parts[j],
            seller_block: self.seller.parts[j],
            buyer_block: self.buyer.parts[j],
            index: Fr::from(j as u64),
            chain_in: self.chains[j],
            chain_out: self.chains[j + 1],
            seed: self.seed,
            sums: std::array::from_fn(|r| self.sums[r].0[j]),
            over,
        }
    }

    /// The public inputs of the link (the caller has checked the lengths).
    pub fn link_inputs(&self) -> ReconcileLinkPublicInputs {
        let nb = self.blocks();
        let over = u64::from(self.usage_over)
            | u64::from(self.recurring_over) << 1
            | u64::from(self.total_over) << 2;
        ReconcileLinkPublicInputs {
            msa_head: self.msa.head,
            seller_head: self.seller.head,
            buyer_head: self.buyer.head,
            chain: self.chains[nb],
            seed: self.seed,
            blocks: Fr::from(nb as u64),
            sums: std::array::from_fn(|r| self.sums[r].0[nb]),
            over: Fr::from(over),
            period_start: Fr::from(self.period_start),
            period_end: Fr::from(self.period_end),
        }
    }
}

/// The domain separator of the reconciliation's key-set hash.
pub const KEY_SET_DOMAIN: &[u8] = b"zkinvoice/reconcile-keys/v2";

/// The hash naming a partition shape's reconciliation keys (what an envelope's `vkHash` and
/// `statement-key-agreed` name): `SHA-256("zkinvoice/reconcile-keys/v2" || block key's hash ||
/// link key's hash)`, each key's hash SHA-256 of its compressed encoding.
pub fn key_set_hash(block: [u8; 32], link: [u8; 32]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(KEY_SET_DOMAIN);
    h.update(block);
    h.update(link);
    h.finalize().into()
}
