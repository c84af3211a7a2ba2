//! Every public value of a reconciliation of partitioned invoices, its JSON form, and the check
//! that the values hold together and open the anchored commitments.

use ark_ff::{AdditiveGroup, Zero};
use serde::{Deserialize, Serialize};

use super::{ReconcileBlockPublicInputs, ReconcileLinkPublicInputs};
use crate::{
    partition::{invoice_top, msa_top, public::hex_frs, PartitionSizes, Parts},
    Fr,
};

/// The domain tag of [`PartitionedReconcilePublic::over_digest`].
pub const OVER_TAG: &str = "zkinvoice/reconcile-over/v2";

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
    #[serde(with = "crate::partition::public::hex_fr")]
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

    /// The verdict as one field element, what a `dispute-opened` entry of partitioned invoices
    /// names as its `over`: `top("zkinvoice/reconcile-over/v2", [kinds, products ..])`, `kinds`
    /// bit 0 the usage charges, 1 the recurring charges, 2 the total, then the products' bits
    /// (slot `i` at bit `i % 248` of element `i / 248`). Never zero (but with negligible chance).
    pub fn over_digest(&self) -> Fr {
        let kinds = u64::from(self.usage_over)
            | u64::from(self.recurring_over) << 1
            | u64::from(self.total_over) << 2;
        let mut words = vec![Fr::from(kinds)];
        for chunk in self.products_over.chunks(248) {
            words.push(
                chunk
                    .iter()
                    .rev()
                    .fold(Fr::zero(), |acc, &o| acc.double() + Fr::from(o)),
            );
        }
        crate::partition::top(OVER_TAG, &words)
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
