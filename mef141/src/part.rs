//! A disputed period's bills (`docs/lifecycle.md`, "Partial and final invoices"): the partial
//! invoice's bill (`zkPart` `interim`) and the final invoice's (`zkPart` `final`), whose
//! `amountDue` is its total less the partial invoice's, with the partial invoice's opening as the
//! extra top-level property `zkPartial`. Their `category` stays `normal`: MEF 141's
//! `CustomerBillCategory` is `normal`, `duplicate` or `trial`, so the part is an extra property.

use zkinvoice_circuits::{model::invoice::InvoiceDoc, Currency, Error};

use crate::{CustomerBill, Money};

/// The part of a bill of a whole period ([`CustomerBill::part`]; no `zkPart`), and every bill's
/// `category`.
pub const NORMAL: &str = "normal";
/// The `zkPart` of a disputed period's partial invoice's bill.
pub const INTERIM: &str = "interim";
/// The `zkPart` of the final invoice's bill of a period invoiced in part.
pub const FINAL: &str = "final";

impl CustomerBill {
    /// The part of its period the bill says it is of: its `zkPart`, or [`NORMAL`] without one.
    pub fn part(&self) -> &str {
        self.zk_part.as_deref().unwrap_or(NORMAL)
    }

    /// This bill as a disputed period's partial invoice's: `zkPart` `interim`.
    pub fn interim(&self) -> CustomerBill {
        let mut b = self.clone();
        b.zk_part = Some(INTERIM.into());
        b
    }

    /// This bill as the final invoice of a period whose partial invoice is `partial` (the
    /// partial invoice with its commitment's opening, as its proof envelope holds it):
    /// `zkPart` `final`, `zkPartial` the partial invoice, `amountDue` and `remainingAmount`
    /// what was due less the partial invoice's total. Refuses a partial invoice of another
    /// currency or period, or whose total exceeds what is due.
    pub fn finalised(&self, partial: InvoiceDoc) -> Result<CustomerBill, Error> {
        let c =
            Currency::from_code(&self.amount_due.unit).map_err(|r| Error::invalid("amountDue.unit", r))?;
        let earlier = self.partial_total(c, &partial)?;
        let due = self
            .amount_due
            .to_minor("amountDue", c)?
            .checked_sub(earlier)
            .ok_or_else(|| Error::invalid("zkPartial.total", "exceeds what the bill's total leaves due"))?;
        let mut b = self.clone();
        b.zk_part = Some(FINAL.into());
        b.amount_due = Money::minor(c, due);
        b.remaining_amount = Money::minor(c, due);
        b.zk_partial = Some(partial);
        Ok(b)
    }

    /// The total (minor units) of the partial invoice `partial`, which must be of this bill's
    /// currency and period.
    pub(crate) fn partial_total(&self, c: Currency, partial: &InvoiceDoc) -> Result<u64, Error> {
        if partial.currency != c.code() {
            return Err(Error::invalid(
                "zkPartial.currency",
                format!("is {:?}, the bill's is {:?}", partial.currency, c.code()),
            ));
        }
        let period = format!("{}..{}", partial.period.start, partial.period.end);
        if period != self.bill_cycle {
            return Err(Error::invalid(
                "zkPartial.period",
                format!("is {period}, the bill's is {}", self.bill_cycle),
            ));
        }
        c.parse_minor(&partial.total)
            .map_err(|r| Error::invalid("zkPartial.total", r))
    }
}
