//! The reference netting, which the netting statement ([`crate::statement::netting`]) proves:
//! two invoices of one period in opposite directions between the same two parties (MEF 114
//! §8.6.3, CR22) give one net amount and the party that pays it (`docs/lifecycle.md`).

use crate::{model::invoice::Invoice, Error};

/// Who pays the net amount of two invoices, `first` and `second` in the statement's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payer {
    /// The first invoice's buyer (the second's seller) pays the first's seller: the first's
    /// total is at least the second's. Also the verdict of equal totals (a net of zero).
    FirstBuyer,
    /// The second invoice's buyer (the first's seller) pays: the second's total is larger.
    SecondBuyer,
}

impl Payer {
    /// The statement's public `payer` bit: 0 the first invoice's buyer, 1 the second's.
    pub fn bit(self) -> u64 {
        match self {
            Payer::FirstBuyer => 0,
            Payer::SecondBuyer => 1,
        }
    }
}

/// The netting of two invoices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Netting {
    /// Who pays.
    pub payer: Payer,
    /// The net amount in minor units: the larger total less the smaller.
    pub net: u64,
}

/// Nets `first` against `second`: both of one period and currency, the first's seller the
/// second's buyer and the first's buyer the second's seller, of different agreements. The net
/// is the difference of the totals, paid by the buyer of the larger ([`Payer`]).
pub fn net(first: &Invoice, second: &Invoice) -> Result<Netting, Error> {
    let refuse = |reason: String| Err(Error::invalid("second invoice", reason));
    if first.seller_id != second.buyer_id || first.buyer_id != second.seller_id {
        return refuse(format!(
            "is from {} to {}, not the other way of the first ({} to {})",
            second.seller_id, second.buyer_id, first.seller_id, first.buyer_id
        ));
    }
    if first.msa_id == second.msa_id {
        return refuse(format!(
            "is of the first's agreement {}: netting takes two bilaterals",
            first.msa_id
        ));
    }
    if first.currency != second.currency {
        return refuse(format!(
            "is in {}, the first in {}",
            second.currency.code(),
            first.currency.code()
        ));
    }
    if first.period != second.period {
        return refuse(format!(
            "is of period {}, the first of {}",
            second.period, first.period
        ));
    }
    Ok(if first.total >= second.total {
        Netting {
            payer: Payer::FirstBuyer,
            net: first.total - second.total,
        }
    } else {
        Netting {
            payer: Payer::SecondBuyer,
            net: second.total - first.total,
        }
    })
}
