//! The typed public inputs of the reconciliation's block and link statements, and the statements
//! as the generic verifier knows them.

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
