//! The SLA performance commitment (a period's measured availability per product) and the
//! credit-note commitment (the SLA credits of one invoice), issue 16 step 4.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::scheme::{commit_fields, Commitment, Salt};
use crate::{
    encoding::{day_number, id_fe, int_fe, tag},
    model::{msa::Msa, performance::Sla, period::PeriodDoc},
    native::credit::CreditNote,
    Error, Fr, Shape,
};

/// Fields of the SLA body of `shape`: the MSA commitment, the period (2) and one availability
/// per product slot.
pub const fn sla_body_len(shape: Shape) -> usize {
    3 + shape.products
}

/// The SLA body: the MSA commitment, the period, then per product slot its measured
/// availability in ppm (0 for a product without a service level, and for padding slots).
pub fn sla_fields(msa_commitment: Fr, sla: &Sla, shape: Shape) -> Vec<Fr> {
    let mut out = vec![
        msa_commitment,
        int_fe(day_number(sla.period.start)),
        int_fe(day_number(sla.period.end)),
    ];
    out.extend((0..shape.products).map(|i| int_fe(sla.availability.get(i).copied().flatten().unwrap_or(0))));
    out
}

/// `sla_commitment`: the MSA commitment, the period and each product's measured availability.
pub fn sla_commitment(
    msa_commitment: Commitment,
    msa: &Msa,
    sla: &Sla,
    shape: Shape,
    salt: &Salt,
) -> Result<Commitment, Error> {
    shape.check(msa.need(0))?;
    Ok(commit_fields(
        tag::SLA,
        &sla_fields(msa_commitment.0, sla, shape),
        salt,
    ))
}

/// Fields of the credit-note body of `shape`: the invoice commitment, the note's number and
/// date, one credit per product slot, subtotal, tax and total.
pub const fn credit_body_len(shape: Shape) -> usize {
    3 + shape.products + 3
}

/// What the credit-note commitment binds besides the invoice commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditBody {
    /// The note's number.
    pub number: String,
    /// The note's date.
    pub issue_date: NaiveDate,
    /// The credit per product slot of the shape (0 where none), minor units.
    pub slot_credits: Vec<u64>,
    /// Sum of the credits.
    pub subtotal: u64,
    /// Tax on it.
    pub tax: u64,
    /// Subtotal plus tax.
    pub total: u64,
}

impl CreditBody {
    /// The body of `note` at `shape`.
    pub fn of(note: &CreditNote, shape: Shape) -> Self {
        Self {
            number: note.number.clone(),
            issue_date: note.issue_date,
            slot_credits: note.slot_credits(shape.products),
            subtotal: note.subtotal,
            tax: note.tax,
            total: note.total,
        }
    }
}

/// The credit-note body ([`credit_body_len`] fields at the shape of `body.slot_credits`). The
/// invoice commitment binds the parties, the agreement, the invoice's number, period, currency
/// and tax rate.
pub fn credit_fields(body: &CreditBody, invoice_commitment: Fr) -> Vec<Fr> {
    let mut out = vec![
        invoice_commitment,
        id_fe(&body.number),
        int_fe(day_number(body.issue_date)),
    ];
    out.extend(body.slot_credits.iter().copied().map(int_fe));
    out.extend([int_fe(body.subtotal), int_fe(body.tax), int_fe(body.total)]);
    out
}

/// `credit_commitment`: the credit note (its body) of the invoice committed as
/// `invoice_commitment`.
pub fn credit_commitment(body: &CreditBody, invoice_commitment: Commitment, salt: &Salt) -> Commitment {
    commit_fields(tag::CREDIT_NOTE, &credit_fields(body, invoice_commitment.0), salt)
}

/// The output of `zkinvoice sla commit`: what both parties sign into the `sla-agreed` anchor.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlaCommitDoc {
    /// Shape name.
    pub shape: String,
    /// The MSA commitment the records are bound to.
    pub msa_commitment: Commitment,
    /// The period.
    pub period: PeriodDoc,
    /// `sla_commitment`.
    pub commitment: Commitment,
    /// Its salt (hex). Secret to the two parties.
    pub salt: String,
}
