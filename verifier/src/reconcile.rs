//! The reconciliation statement's public inputs (`zkinvoice/reconcile/v1`, `docs/lifecycle.md`):
//! two invoices of one period under one MSA, the Seller's and the one the Buyer rated from its own
//! measurement, which of the MSA's dispute thresholds their amounts are over, and the period.

use serde::{Deserialize, Serialize};

use crate::{
    inputs::{fr_to_hex, parse_fr},
    statement::PublicInputs,
    Fr, Statement, VerifyError,
};

/// The reconciliation statement's public inputs.
///
/// Serialised as a JSON object with camelCase keys (`msaCommitment`, `sellerInvoice`,
/// `buyerInvoice`, `over`, `periodStart`, `periodEnd`), each value `0x` and 64 hex digits of a
/// canonical field element, as the invoice statement's. Unknown keys are refused.
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
    /// The period's first day, as the invoices encode it: days since 1970-01-01
    /// ([`day_number`]).
    pub period_start: Fr,
    /// The first day after it.
    pub period_end: Fr,
}

impl ReconcilePublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 6;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.msa_commitment,
            self.seller_invoice,
            self.buyer_invoice,
            self.over,
            self.period_start,
            self.period_end,
        ]
    }

    /// The period inputs of `start..end` (`YYYY-MM-DD` dates, as the anchored entries name them).
    pub fn period(start: &str, end: &str) -> Result<[Fr; 2], VerifyError> {
        Ok([Fr::from(day_number(start)?), Fr::from(day_number(end)?)])
    }
}

/// The serde form: six hex strings.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HexInputs {
    msa_commitment: String,
    seller_invoice: String,
    buyer_invoice: String,
    over: String,
    period_start: String,
    period_end: String,
}

impl From<ReconcilePublicInputs> for HexInputs {
    fn from(x: ReconcilePublicInputs) -> Self {
        Self {
            msa_commitment: fr_to_hex(&x.msa_commitment),
            seller_invoice: fr_to_hex(&x.seller_invoice),
            buyer_invoice: fr_to_hex(&x.buyer_invoice),
            over: fr_to_hex(&x.over),
            period_start: fr_to_hex(&x.period_start),
            period_end: fr_to_hex(&x.period_end),
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
            period_start: parse_fr(&x.period_start, "publicInputs.periodStart")?,
            period_end: parse_fr(&x.period_end, "publicInputs.periodEnd")?,
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

/// The circuits' encoding of a date `YYYY-MM-DD` (proleptic Gregorian, from 1970-01-01): days
/// since 1970-01-01. A text that is not such a date is [`VerifyError::Malformed`].
pub fn day_number(date: &str) -> Result<u64, VerifyError> {
    let bad = || VerifyError::malformed("date", format!("{date:?} is not a date YYYY-MM-DD from 1970"));
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64, VerifyError> {
        let s = &date[r];
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if y < 1970 || d == 0 || d > days_in_month {
        return Err(bad());
    }
    // Days from civil (H. Hinnant's algorithm): March-based years, 400-year eras.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    u64::try_from(era * 146_097 + doe - 719_468).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::day_number;

    #[test]
    fn day_numbers_count_days_from_1970() {
        for (date, days) in [
            ("1970-01-01", 0),
            ("1970-01-02", 1),
            ("1970-03-01", 59),
            ("2000-02-29", 11_016),
            ("2000-03-01", 11_017),
            ("2026-12-01", 20_788),
            ("2027-01-01", 20_819),
        ] {
            assert_eq!(day_number(date).expect(date), days, "{date}");
        }
        for bad in ["1969-12-31", "2026-02-29", "2026-13-01", "2026-1-01", "x"] {
            assert!(day_number(bad).is_err(), "{bad}");
        }
    }
}
