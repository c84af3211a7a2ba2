//! The netting statement's public inputs (`zkinvoice/netting/v1`, `docs/lifecycle.md`): two
//! invoices of one period in opposite directions between the same two parties, the commitment of
//! their net amount, who pays it, and the period.

use serde::{Deserialize, Serialize};

use crate::{
    inputs::{fr_to_hex, parse_fr},
    statement::PublicInputs,
    Fr, Statement,
};

/// The netting statement's public inputs.
///
/// Serialised as a JSON object with camelCase keys (`firstInvoice`, `secondInvoice`,
/// `netCommitment`, `payer`, `periodStart`, `periodEnd`), each value `0x` and 64 hex digits of a
/// canonical field element, as the invoice statement's. Unknown keys are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HexInputs", into = "HexInputs")]
pub struct NettingPublicInputs {
    /// The first invoice's commitment (the smaller of the two as an integer: both logs order
    /// them alike).
    pub first_invoice: Fr,
    /// The second invoice's commitment.
    pub second_invoice: Fr,
    /// The commitment of the net amount (`net_commitment`: the amount, the currency and the two
    /// invoice commitments, salted).
    pub net_commitment: Fr,
    /// Who pays the net: 0 the first invoice's buyer (also when the totals are equal), 1 the
    /// second invoice's buyer.
    pub payer: Fr,
    /// The period's first day: days since 1970-01-01 ([`crate::day_number`]).
    pub period_start: Fr,
    /// The first day after it.
    pub period_end: Fr,
}

impl NettingPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 6;

    /// Two invoice commitments in the statement's order: the smaller integer first, so that both
    /// parties' logs name the same proof alike.
    pub fn ordered(a: Fr, b: Fr) -> [Fr; 2] {
        if a <= b {
            [a, b]
        } else {
            [b, a]
        }
    }

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.first_invoice,
            self.second_invoice,
            self.net_commitment,
            self.payer,
            self.period_start,
            self.period_end,
        ]
    }
}

/// The serde form: six hex strings.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HexInputs {
    first_invoice: String,
    second_invoice: String,
    net_commitment: String,
    payer: String,
    period_start: String,
    period_end: String,
}

impl From<NettingPublicInputs> for HexInputs {
    fn from(x: NettingPublicInputs) -> Self {
        Self {
            first_invoice: fr_to_hex(&x.first_invoice),
            second_invoice: fr_to_hex(&x.second_invoice),
            net_commitment: fr_to_hex(&x.net_commitment),
            payer: fr_to_hex(&x.payer),
            period_start: fr_to_hex(&x.period_start),
            period_end: fr_to_hex(&x.period_end),
        }
    }
}

impl TryFrom<HexInputs> for NettingPublicInputs {
    type Error = crate::VerifyError;

    fn try_from(x: HexInputs) -> Result<Self, crate::VerifyError> {
        Ok(Self {
            first_invoice: parse_fr(&x.first_invoice, "publicInputs.firstInvoice")?,
            second_invoice: parse_fr(&x.second_invoice, "publicInputs.secondInvoice")?,
            net_commitment: parse_fr(&x.net_commitment, "publicInputs.netCommitment")?,
            payer: parse_fr(&x.payer, "publicInputs.payer")?,
            period_start: parse_fr(&x.period_start, "publicInputs.periodStart")?,
            period_end: parse_fr(&x.period_end, "publicInputs.periodEnd")?,
        })
    }
}

impl PublicInputs for NettingPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        NettingPublicInputs::to_field_elements(self).to_vec()
    }
}

/// The netting statement (`zkinvoice/netting/v1`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NettingStatement;

impl Statement for NettingStatement {
    const ID: &'static str = "zkinvoice/netting/v1";
    const INPUTS: usize = NettingPublicInputs::COUNT;
    type Inputs = NettingPublicInputs;
}
