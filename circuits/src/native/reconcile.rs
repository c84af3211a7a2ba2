//! The reference reconciliation, which the reconciliation statement
//! ([`crate::statement::reconcile`]) proves: two invoices of one period under one MSA (the
//! Seller's, and the one rated from the Buyer's own measurement) compared per product, per charge
//! kind and in total against the MSA's dispute thresholds (`docs/lifecycle.md`).

use ark_ff::{BigInteger, PrimeField};

use super::threshold::over;
use crate::{
    model::{invoice::Invoice, msa::Msa},
    Error, Fr,
};

/// Which thresholds two invoices are over. A level the MSA sets no threshold for is never over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// Per product slot (the MSA's products in slot order): the product's amounts (usage plus
    /// recurring) are over its threshold.
    pub products: Vec<bool>,
    /// The sums of the usage charges are over the usage threshold.
    pub usage: bool,
    /// The sums of the recurring charges are over the recurring threshold.
    pub recurring: bool,
    /// The totals are over the invoice's threshold.
    pub invoice: bool,
}

impl Reconciliation {
    /// Whether the two invoices are within every threshold (nothing to dispute).
    pub fn within(&self) -> bool {
        !self.usage && !self.recurring && !self.invoice && !self.products.contains(&true)
    }

    /// The verdict as the statement's public `over` bits for a shape of `slots` product slots:
    /// bit `i` product slot `i`, then the usage charges, the recurring charges and the total.
    pub fn over_bits(&self, slots: usize) -> u128 {
        let mut bits = 0u128;
        for (i, &o) in self.products.iter().enumerate() {
            bits |= u128::from(o) << i;
        }
        for (i, o) in [self.usage, self.recurring, self.invoice].into_iter().enumerate() {
            bits |= u128::from(o) << (slots + i);
        }
        bits
    }

    /// The verdict of the statement's public `over` for a shape of `slots` product slots (what
    /// [`Reconciliation::over_bits`] gives), or `None` when `over` sets a bit past the total's
    /// (no proof of the statement has such an `over`).
    pub fn from_over(over: &Fr, slots: usize) -> Option<Self> {
        let bytes = over.into_bigint().to_bytes_le();
        let bit = |i: usize| bytes.get(i / 8).is_some_and(|b| b >> (i % 8) & 1 == 1);
        if (slots + 3..bytes.len() * 8).any(bit) {
            return None;
        }
        Some(Self {
            products: (0..slots).map(bit).collect(),
            usage: bit(slots),
            recurring: bit(slots + 1),
            invoice: bit(slots + 2),
        })
    }

    /// The slots of the products over their thresholds, in order.
    pub fn slots_over(&self) -> Vec<usize> {
        (0..self.products.len()).filter(|&i| self.products[i]).collect()
    }

    /// The ids of the products over their thresholds, in slot order.
    pub fn products_over<'a>(&self, msa: &'a Msa) -> Vec<&'a str> {
        msa.products
            .iter()
            .zip(&self.products)
            .filter(|(_, &o)| o)
            .map(|(p, _)| p.id.as_str())
            .collect()
    }
}

/// The per-slot amounts of an invoice of `msa`: usage and recurring amount of each product, in
/// slot order. Refuses an invoice of another MSA, parties or currency, or one that does not bill
/// each of the MSA's products in slot order (as the rater's invoices do).
pub(crate) fn slot_amounts(field: &str, msa: &Msa, inv: &Invoice) -> Result<Vec<(u64, u64)>, Error> {
    let differs = |what: &str| Error::invalid(field, format!("is not an invoice of the MSA's {what}"));
    if inv.msa_id != msa.id {
        return Err(differs("id"));
    }
    if inv.seller_id != msa.seller.id || inv.buyer_id != msa.buyer.id {
        return Err(differs("parties"));
    }
    if inv.currency != msa.currency {
        return Err(differs("currency"));
    }
    let slots = inv.slots()?;
    let ids: Vec<&str> = slots.iter().map(|s| s.product.as_str()).collect();
    let want: Vec<&str> = msa.products.iter().map(|p| p.id.as_str()).collect();
    if ids != want {
        return Err(Error::invalid(
            field,
            "does not bill each of the MSA's products in slot order (rate it with `zkinvoice rate`)",
        ));
    }
    Ok(slots
        .iter()
        .map(|s| (s.usage_amount, s.recurring_amount))
        .collect())
}

/// Compares the Seller's invoice with the Buyer's of the same period against `msa`'s dispute
/// thresholds: per product `|a - b|` of the product's amounts (usage plus recurring), per charge
/// kind of the sums, and of the totals, each on the reference amount `max(a, b)`
/// ([`super::threshold::over`]).
pub fn reconcile(msa: &Msa, seller: &Invoice, buyer: &Invoice) -> Result<Reconciliation, Error> {
    let Some(t) = &msa.terms.dispute_thresholds else {
        return Err(Error::invalid(
            "disputeThresholds",
            "the MSA sets none: there is nothing to reconcile against",
        ));
    };
    let a = slot_amounts("seller's invoice", msa, seller)?;
    let b = slot_amounts("buyer's invoice", msa, buyer)?;
    if seller.period != buyer.period {
        return Err(Error::invalid(
            "buyer's invoice",
            format!(
                "is of period {}, not the Seller's {}",
                buyer.period, seller.period
            ),
        ));
    }
    let sum = |v: &[(u64, u64)], f: fn(&(u64, u64)) -> u64| v.iter().map(|x| u128::from(f(x))).sum::<u128>();
    let products = a
        .iter()
        .zip(&b)
        .zip(&t.products)
        .map(|((x, y), th)| {
            over(
                u128::from(x.0) + u128::from(x.1),
                u128::from(y.0) + u128::from(y.1),
                *th,
            )
        })
        .collect();
    Ok(Reconciliation {
        products,
        usage: over(sum(&a, |x| x.0), sum(&b, |x| x.0), t.usage),
        recurring: over(sum(&a, |x| x.1), sum(&b, |x| x.1), t.recurring),
        invoice: over(seller.total.into(), buyer.total.into(), t.invoice),
    })
}
