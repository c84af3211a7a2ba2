//! A bill once it is credited or paid: MEF 141's `credits`, `amountDue` and `remainingAmount`
//! once a credit note is applied (the anchor log's `credit-note`) or carried to it
//! (`credit-carried`), and `state`, `appliedPayment`
//! and `remainingAmount` after the Buyer's payment in full is received (`payment-received`,
//! `docs/lifecycle.md`).

use zkinvoice_circuits::{Currency, Error};
use zkinvoice_prover::credit::CreditOpening;

use crate::{AppliedPayment, CustomerBill, Money, PaymentItem};

/// The state of a bill whose payment is received.
pub const SETTLED: &str = "settled";

impl CustomerBill {
    /// This bill once its payment in full, under `reference`, is received: `state` `settled`,
    /// what is due (the total, less a credit note applied) applied as the payment `reference`,
    /// nothing remaining.
    pub fn settled(&self, reference: &str) -> CustomerBill {
        let mut b = self.clone();
        b.state = SETTLED.into();
        b.applied_payment = vec![AppliedPayment {
            applied_amount: b.amount_due.clone(),
            payment: PaymentItem { id: reference.into() },
        }];
        b.remaining_amount = Money {
            unit: b.remaining_amount.unit.clone(),
            value: zero_like(&b.tax_included_amount),
        };
        b
    }

    /// This bill with the credit note `credit` applied (before it is paid): `credits` plus the
    /// note's total, `amountDue` and `remainingAmount` what was due less it (the total, or on a
    /// final bill the total less the partial invoice's: [`Self::finalised`], either first),
    /// `zkCredit` the opening. Refuses a total that is not an amount of the bill's currency or
    /// exceeds what is due (a credit note never exceeds the bill's total: each credit is a share
    /// of its product's charge; on a final bill it may exceed what the partial invoice leaves).
    pub fn credited(&self, credit: CreditOpening) -> Result<CustomerBill, Error> {
        let mut b = self.less(&credit, "zkCredit.total")?;
        b.zk_credit = Some(credit);
        Ok(b)
    }

    /// This bill with the credit notes `notes` carried to it (credits carried forward, before it
    /// is paid): `credits` plus their totals, what is due less them, `zkCarried` the openings.
    /// Refuses a total that is not an amount of the bill's currency, and notes that exceed what
    /// is due (the parties carry a note to an invoice whose due covers it).
    pub fn carried(&self, notes: Vec<CreditOpening>) -> Result<CustomerBill, Error> {
        let mut b = self.clone();
        for (i, note) in notes.iter().enumerate() {
            b = b.less(note, &format!("zkCarried[{i}].total"))?;
        }
        b.zk_carried = notes;
        Ok(b)
    }

    /// This bill with `note`'s total credited: added to `credits`, deducted from what is due and
    /// remains (`field` names the total in refusals).
    fn less(&self, note: &CreditOpening, field: &str) -> Result<CustomerBill, Error> {
        let c = Currency::from_code(&self.tax_included_amount.unit)
            .map_err(|r| Error::invalid("taxIncludedAmount.unit", r))?;
        let credit = c.parse_minor(&note.total).map_err(|r| Error::invalid(field, r))?;
        let due = self
            .amount_due
            .to_minor("amountDue", c)?
            .checked_sub(credit)
            .ok_or_else(|| Error::invalid(field, "exceeds what the bill leaves due"))?;
        let credits = self
            .credits
            .to_minor("credits", c)?
            .checked_add(credit)
            .ok_or_else(|| Error::invalid(field, "overflows the bill's credits"))?;
        let mut b = self.clone();
        b.credits = Money::minor(c, credits);
        b.amount_due = Money::minor(c, due);
        b.remaining_amount = Money::minor(c, due);
        Ok(b)
    }

    /// Whether `next` is this bill with a credit note applied ([`Self::credited`], if this bill
    /// has none), notes carried to it ([`Self::carried`], if it has none) and its payment received ([`Self::settled`], if this bill is not paid), at
    /// least one of the two: the only changes a published bill takes.
    pub fn takes(&self, next: &CustomerBill) -> bool {
        if self.paid_by().is_some() {
            return false;
        }
        let mut expected = self.clone();
        if let (None, Some(c)) = (&self.zk_credit, &next.zk_credit) {
            match self.credited(c.clone()) {
                Ok(b) => expected = b,
                Err(_) => return false,
            }
        }
        if self.zk_carried.is_empty() && !next.zk_carried.is_empty() {
            match expected.carried(next.zk_carried.clone()) {
                Ok(b) => expected = b,
                Err(_) => return false,
            }
        }
        if let Some(reference) = next.paid_by() {
            expected = expected.settled(reference);
        }
        expected == *next && expected != *self
    }

    /// The reference of the payment this bill says it applied, if it says one was.
    pub fn paid_by(&self) -> Option<&str> {
        self.applied_payment.first().map(|p| p.payment.id.as_str())
    }
}

/// Zero written with the minor digits of `like` (`0.00` for `1450.00`).
fn zero_like(like: &Money) -> crate::JsonNumber {
    let text = like.value.text();
    let digits = text.split_once('.').map_or(0, |(_, d)| d.len());
    crate::JsonNumber::decimal(if digits == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(digits))
    })
}
