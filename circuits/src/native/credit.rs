//! SLA credits (MEF 114 §8.4, §8.6.4; issue 16 step 4): the credit note of an invoice, from the
//! MSA's service levels and the period's agreed SLA performance. The native twin of
//! [`crate::statement::credit`].
//!
//! Per product with a service level: its charge `c` (usage plus recurring amount, minor units),
//! the share `s` (ppm) of the band its measured availability falls in
//! ([`crate::model::sla::ServiceLevel::credit_ppm`]), and the credit `round_half_up(c * s / 10^6)`. The note's
//! `subtotal` is the credits' sum, `tax = round_half_up(subtotal * tax_ppm / 10^6)` (the invoice's
//! rule) and `total = subtotal + tax`. A credit never exceeds its product's charge, so a note
//! never exceeds its invoice.

use chrono::NaiveDate;

use super::{reconcile::slot_amounts, round::round_half_up_div};
use crate::{
    model::{check_id, invoice::Invoice, msa::Msa, performance::Sla, period::Period},
    money::{Currency, PPM},
    Error,
};

/// One product's credit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditLine {
    /// The product's slot in the MSA.
    pub slot: usize,
    /// The product's id.
    pub product: String,
    /// Its measured availability (ppm).
    pub availability_ppm: u32,
    /// The credit's share of its charge (ppm; 0 when the availability met every band).
    pub credit_ppm: u32,
    /// Its charge on the invoice: usage plus recurring amount (minor units).
    pub charge: u128,
    /// The credit (minor units).
    pub amount: u64,
}

/// A credit note: the SLA credits of one invoice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditNote {
    /// The credit note's number.
    pub number: String,
    /// Its date.
    pub issue_date: NaiveDate,
    /// The invoice it credits.
    pub invoice_number: String,
    /// The MSA.
    pub msa_id: String,
    /// The Seller (who grants the credit).
    pub seller_id: String,
    /// The Buyer.
    pub buyer_id: String,
    /// The period.
    pub period: Period,
    /// Currency.
    pub currency: Currency,
    /// Tax rate (ppm), the invoice's.
    pub tax_ppm: u32,
    /// One line per product with a service level, in slot order.
    pub lines: Vec<CreditLine>,
    /// Sum of the credits (minor units).
    pub subtotal: u64,
    /// Tax on it (minor units).
    pub tax: u64,
    /// Subtotal plus tax (minor units).
    pub total: u64,
}

impl CreditNote {
    /// The credit of each of `slots` product slots (0 for a slot without a line).
    pub fn slot_credits(&self, slots: usize) -> Vec<u64> {
        let mut out = vec![0; slots];
        for l in &self.lines {
            out[l.slot] = l.amount;
        }
        out
    }
}

/// The credit note numbered `number`, dated `issue_date`, of `invoice` under `msa` with the
/// period's SLA performance `sla`. Refuses an invoice of another MSA or one that does not bill
/// each of its products in slot order, SLA records of another period or MSA, an MSA without
/// service levels, and amounts beyond `2^64` minor units.
pub fn credit_note(
    msa: &Msa,
    invoice: &Invoice,
    sla: &Sla,
    number: &str,
    issue_date: NaiveDate,
) -> Result<CreditNote, Error> {
    check_id("number", number)?;
    let Some(levels) = &msa.terms.service_levels else {
        return Err(Error::invalid(
            "serviceLevels",
            "the MSA sets none: there is no credit to compute",
        ));
    };
    let amounts = slot_amounts("invoice", msa, invoice)?;
    if sla.period != invoice.period {
        return Err(Error::invalid(
            "sla.period",
            format!("is {}, the invoice's period is {}", sla.period, invoice.period),
        ));
    }
    if sla.availability.len() != msa.products.len() {
        return Err(Error::invalid("sla", "is not of the MSA's products"));
    }
    let over = |what: &str| Error::invalid(what, "exceeds 2^64 - 1 minor units");
    let mut lines = Vec::new();
    for (slot, level) in levels.products.iter().enumerate() {
        let (Some(level), Some(availability)) = (level, sla.availability[slot]) else {
            continue;
        };
        let (usage, recurring) = amounts[slot];
        let charge = u128::from(usage) + u128::from(recurring);
        let credit_ppm = level.credit_ppm(availability);
        let amount = round_half_up_div(charge * u128::from(credit_ppm), u128::from(PPM));
        lines.push(CreditLine {
            slot,
            product: msa.products[slot].id.clone(),
            availability_ppm: availability,
            credit_ppm,
            charge,
            amount: u64::try_from(amount).map_err(|_| over("credit"))?,
        });
    }
    let subtotal = lines
        .iter()
        .try_fold(0u64, |s, l| s.checked_add(l.amount))
        .ok_or_else(|| over("subtotal"))?;
    let tax = round_half_up_div(u128::from(subtotal) * u128::from(msa.tax_ppm), u128::from(PPM));
    let tax = u64::try_from(tax).map_err(|_| over("tax"))?;
    let total = subtotal.checked_add(tax).ok_or_else(|| over("total"))?;
    Ok(CreditNote {
        number: number.to_owned(),
        issue_date,
        invoice_number: invoice.number.clone(),
        msa_id: msa.id.clone(),
        seller_id: msa.seller.id.clone(),
        buyer_id: msa.buyer.id.clone(),
        period: invoice.period,
        currency: msa.currency,
        tax_ppm: msa.tax_ppm,
        lines,
        subtotal,
        tax,
        total,
    })
}
