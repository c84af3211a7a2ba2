//! The netting statement's public inputs (`zkinvoice/netting/v1`, `docs/lifecycle.md`): two
//! invoices of one period in opposite directions between the same two parties, the commitment of
//! their net amount, who pays it, and the period; and those of the netting of two partitioned
//! invoices (`zkinvoice/netting/v2`), which add the two invoices' heads.

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

/// The netting statement of two partitioned (v2) invoices' public inputs (`zkinvoice/netting/v2`):
/// the v1 statement's six, then the two invoices' `invoice_head` parts in the same order.
///
/// The circuit opens the heads (a v2 invoice's totals, parties, agreement, currency and period
/// are all in its head) and binds `firstInvoice` and `secondInvoice` (the anchored v2 invoice
/// commitments, SHA-256 tops the circuit cannot recompute) only into the net commitment: a
/// verifier holds each invoice's parts and checks that each top is
/// [`crate::partition::invoice_top`] of its head and blocks ([`Self::check_tops`]).
///
/// Serialised as the v1 inputs' JSON object with `firstHead` and `secondHead` added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HexHeadsInputs", into = "HexHeadsInputs")]
pub struct NettingHeadsPublicInputs {
    /// The v1 statement's inputs: the anchored invoice commitments (tops), the net commitment
    /// over them, the payer and the period.
    pub netting: NettingPublicInputs,
    /// `invoice_head` of the first invoice.
    pub first_head: Fr,
    /// `invoice_head` of the second invoice.
    pub second_head: Fr,
}

impl NettingHeadsPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = NettingPublicInputs::COUNT + 2;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        let [a, b, c, d, e, f] = self.netting.to_field_elements();
        [a, b, c, d, e, f, self.first_head, self.second_head]
    }

    /// Whether each invoice commitment is the top of its head and of its `blocks`
    /// (`invoice_block_j`, as the invoice's anchored public values give them): `[first, second]`.
    pub fn check_tops(&self, blocks: [&[Fr]; 2]) -> bool {
        let top = crate::partition::invoice_top;
        top(self.first_head, blocks[0]) == self.netting.first_invoice
            && top(self.second_head, blocks[1]) == self.netting.second_invoice
    }
}

/// The serde form: eight hex strings.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HexHeadsInputs {
    first_invoice: String,
    second_invoice: String,
    net_commitment: String,
    payer: String,
    period_start: String,
    period_end: String,
    first_head: String,
    second_head: String,
}

impl From<NettingHeadsPublicInputs> for HexHeadsInputs {
    fn from(x: NettingHeadsPublicInputs) -> Self {
        let n = HexInputs::from(x.netting);
        Self {
            first_invoice: n.first_invoice,
            second_invoice: n.second_invoice,
            net_commitment: n.net_commitment,
            payer: n.payer,
            period_start: n.period_start,
            period_end: n.period_end,
            first_head: fr_to_hex(&x.first_head),
            second_head: fr_to_hex(&x.second_head),
        }
    }
}

impl TryFrom<HexHeadsInputs> for NettingHeadsPublicInputs {
    type Error = crate::VerifyError;

    fn try_from(x: HexHeadsInputs) -> Result<Self, crate::VerifyError> {
        Ok(Self {
            netting: NettingPublicInputs::try_from(HexInputs {
                first_invoice: x.first_invoice,
                second_invoice: x.second_invoice,
                net_commitment: x.net_commitment,
                payer: x.payer,
                period_start: x.period_start,
                period_end: x.period_end,
            })?,
            first_head: parse_fr(&x.first_head, "publicInputs.firstHead")?,
            second_head: parse_fr(&x.second_head, "publicInputs.secondHead")?,
        })
    }
}

impl PublicInputs for NettingHeadsPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        NettingHeadsPublicInputs::to_field_elements(self).to_vec()
    }
}

/// The netting statement of two partitioned invoices (`zkinvoice/netting/v2`): one key for every
/// partition shape, as the heads have one size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct NettingHeadsStatement;

impl Statement for NettingHeadsStatement {
    const ID: &'static str = "zkinvoice/netting/v2";
    const INPUTS: usize = NettingHeadsPublicInputs::COUNT;
    type Inputs = NettingHeadsPublicInputs;
}
