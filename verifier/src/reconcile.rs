//! The reconciliation statement's public inputs (`zkinvoice/reconcile/v1`, `docs/lifecycle.md`):
//! two invoices of one period under one MSA, the Seller's and the one the Buyer rated from its own
//! measurement, and which of the MSA's dispute thresholds their amounts are over.

use serde::{Deserialize, Serialize};

use crate::{
    inputs::{fr_to_hex, parse_fr},
    statement::PublicInputs,
    Fr, Statement, VerifyError,
};

/// The reconciliation statement's public inputs.
///
/// Serialised as a JSON object with camelCase keys (`msaCommitment`, `sellerInvoice`,
/// `buyerInvoice`, `over`), each value `0x` and 64 hex digits of a canonical field element, as
/// the invoice statement's. Unknown keys are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HexInputs", into = "HexInputs")]
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

/// The serde form: four hex strings.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HexInputs {
    msa_commitment: String,
    seller_invoice: String,
    buyer_invoice: String,
    over: String,
}

impl From<ReconcilePublicInputs> for HexInputs {
    fn from(x: ReconcilePublicInputs) -> Self {
        Self {
            msa_commitment: fr_to_hex(&x.msa_commitment),
            seller_invoice: fr_to_hex(&x.seller_invoice),
            buyer_invoice: fr_to_hex(&x.buyer_invoice),
            over: fr_to_hex(&x.over),
        }
    }
}

impl TryFrom<HexInputs> for ReconcilePublicInputs {
    type Error = VerifyError;

    fn try_from(x: HexInputs) -> Result<Self, VerifyError> {
        Ok(Self {
            msa_commitment: parse_fr(&x.msa_commitment, "publicInputs.msaCommitment")?,
            seller_invoice: parse_fr(&x.seller_invoice, "publicInputs.sellerInvoice")?,
            buyer_invoice: parse_fr(&x.buyer_invoice, "publicInputs.buyerInvoice")?,
            over: parse_fr(&x.over, "publicInputs.over")?,
        })
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
