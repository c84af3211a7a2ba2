//! The reconciliation statement's public inputs (`zkinvoice/reconcile/v1`, `docs/lifecycle.md`):
//! two invoices of one period under one MSA, the Seller's and the one the Buyer rated from its own
//! measurement, and which of the MSA's dispute thresholds their amounts are over.

use crate::{statement::PublicInputs, Fr, Statement};

/// The reconciliation statement's public inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReconcilePublicInputs {
    /// The MSA commitment (`msa-agreed`).
    pub msa_commitment: Fr,
    /// The Seller's invoice commitment (rated from the Seller's usage).
    pub seller_invoice: Fr,
    /// The Buyer's invoice commitment (rated from the Buyer's usage).
    pub buyer_invoice: Fr,
    /// Which thresholds the two are over, as bits: bit `i` product slot `i`, then (at `P`,
    /// `P + 1`, `P + 2` for the shape's `P` slots) the usage charges, the recurring charges and the
    /// invoice's total. Zero: the two are within every threshold.
    pub over: Fr,
}

impl ReconcilePublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 4;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.msa_commitment,
            self.seller_invoice,
            self.buyer_invoice,
            self.over,
        ]
    }
}

impl PublicInputs for ReconcilePublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        ReconcilePublicInputs::to_field_elements(self).to_vec()
    }
}

/// The reconciliation statement (`zkinvoice/reconcile/v1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReconcileStatement;

impl Statement for ReconcileStatement {
    const ID: &'static str = "zkinvoice/reconcile/v1";
    const INPUTS: usize = ReconcilePublicInputs::COUNT;
    type Inputs = ReconcilePublicInputs;
}
