//! The credit-note statement's public inputs (`zkinvoice/credit/v1`, `docs/lifecycle.md`, "SLA
//! credits"): the credit note of an invoice under the MSA's service levels and the period's agreed
//! SLA performance, all four committed, and the period.

use serde::{Deserialize, Serialize};

use crate::{
    inputs::{fr_to_hex, parse_fr},
    statement::PublicInputs,
    Fr, Statement,
};

/// The credit-note statement's public inputs.
///
/// Serialised as a JSON object with camelCase keys (`msaCommitment`, `invoiceCommitment`,
/// `slaCommitment`, `creditCommitment`, `periodStart`, `periodEnd`), each value `0x` and 64 hex
/// digits of a canonical field element, as the invoice statement's. Unknown keys are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HexInputs", into = "HexInputs")]
pub struct CreditPublicInputs {
    /// The MSA commitment (its service levels and tax rate).
    pub msa_commitment: Fr,
    /// The credited invoice's commitment.
    pub invoice_commitment: Fr,
    /// The period's agreed SLA performance (`sla_commitment`, bound to the MSA commitment).
    pub sla_commitment: Fr,
    /// The credit note's commitment (`credit_commitment`: the invoice commitment, the note's
    /// number and date, the credits per product, subtotal, tax and total, salted).
    pub credit_commitment: Fr,
    /// The period's first day: days since 1970-01-01 ([`crate::day_number`]).
    pub period_start: Fr,
    /// The first day after it.
    pub period_end: Fr,
}

impl CreditPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 6;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.msa_commitment,
            self.invoice_commitment,
            self.sla_commitment,
            self.credit_commitment,
            self.period_start,
            self.period_end,
        ]
    }
}

/// The serde form: six hex strings.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HexInputs {
    msa_commitment: String,
    invoice_commitment: String,
    sla_commitment: String,
    credit_commitment: String,
    period_start: String,
    period_end: String,
}

impl From<CreditPublicInputs> for HexInputs {
    fn from(x: CreditPublicInputs) -> Self {
        Self {
            msa_commitment: fr_to_hex(&x.msa_commitment),
            invoice_commitment: fr_to_hex(&x.invoice_commitment),
            sla_commitment: fr_to_hex(&x.sla_commitment),
            credit_commitment: fr_to_hex(&x.credit_commitment),
            period_start: fr_to_hex(&x.period_start),
            period_end: fr_to_hex(&x.period_end),
        }
    }
}

impl TryFrom<HexInputs> for CreditPublicInputs {
    type Error = crate::VerifyError;

    fn try_from(x: HexInputs) -> Result<Self, crate::VerifyError> {
        Ok(Self {
            msa_commitment: parse_fr(&x.msa_commitment, "publicInputs.msaCommitment")?,
            invoice_commitment: parse_fr(&x.invoice_commitment, "publicInputs.invoiceCommitment")?,
            sla_commitment: parse_fr(&x.sla_commitment, "publicInputs.slaCommitment")?,
            credit_commitment: parse_fr(&x.credit_commitment, "publicInputs.creditCommitment")?,
            period_start: parse_fr(&x.period_start, "publicInputs.periodStart")?,
            period_end: parse_fr(&x.period_end, "publicInputs.periodEnd")?,
        })
    }
}

impl PublicInputs for CreditPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        CreditPublicInputs::to_field_elements(self).to_vec()
    }
}

/// The credit-note statement (`zkinvoice/credit/v1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CreditStatement;

impl Statement for CreditStatement {
    const ID: &'static str = "zkinvoice/credit/v1";
    const INPUTS: usize = CreditPublicInputs::COUNT;
    type Inputs = CreditPublicInputs;
}
