//! The native reference rater: MSA + cumulative volume before + usage of a period -> invoice +
//! cumulative volume after. The invoice statement ([`crate::statement::InvoiceCircuit`]) proves
//! exactly this computation; it relies on the native twins of its gadgets ([`super::aggregate`],
//! [`super::tier`], [`super::round`]).
//!
//! Arithmetic (`docs/protocol.md`):
//! * `q_p` = sum of the period's quantities of product `p`; `V1_p = V0_p + q_p < 2^63`.
//! * `F(V) = C_k + price_k * (V - t_k)` for the tier `k` with `t_k <= V < t_{k+1}`, where
//!   `C_0 = 0`, `C_j = C_{j-1} + price_{j-1} * (t_j - t_{j-1})` (nano-units).
//! * Graduated: `F(V1) - F(V0)`. All-units (volume): `price_k * q` for the tier `k` of `V1`.
//! * Recurring: `fee * ordered quantity`, every period.
//! * Each line rounds half up to minor units: `round_half_up(nano / 10^(9 - minor digits))`.
//! * `subtotal` = sum of lines; `tax = round_half_up(subtotal * tax_ppm / 10^6)`;
//!   `total = subtotal + tax`. Every amount stays below `2^64` minor units.

use chrono::Days;

use super::{aggregate, round::round_half_up_div, tier::graduated_total};
use crate::{
    encoding::PAD_THRESHOLD,
    model::{
        check_id,
        invoice::{Invoice, InvoiceLine, LineKind},
        msa::{Msa, PricingModel, Product},
        state::VolumeState,
        usage::Usage,
    },
    money::{Currency, PPM},
    Error,
};

/// The result of rating one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rated {
    /// The invoice.
    pub invoice: Invoice,
    /// Cumulative volumes after the period (`index` one more than before).
    pub after: VolumeState,
    /// How each product's charges were computed, in slot order.
    pub charges: Vec<ProductCharge>,
}

/// How one product's charges were computed (for people: tables and rendered invoices).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductCharge {
    /// Product id.
    pub product: String,
    /// Cumulative volume before the period.
    pub volume_before: u64,
    /// Quantity used in the period.
    pub quantity: u64,
    /// Cumulative volume after the period.
    pub volume_after: u64,
    /// The tiers applied: `(tier index, quantity priced at it, price in nano-units)`.
    pub tiers: Vec<TierUse>,
    /// Usage charge before rounding, in nano-units.
    pub usage_nano: u128,
    /// Recurring charge before rounding, in nano-units.
    pub recurring_nano: u128,
}

/// Quantity priced at one tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierUse {
    /// Tier index.
    pub tier: usize,
    /// Units priced at this tier.
    pub quantity: u64,
    /// Price per unit in nano-units.
    pub price_nano: u64,
}

/// The tiers a period's usage of `product` is priced at, from the cumulative volume `v0` before
/// to `v1` after (`v0 <= v1 < 2^63`): graduated, each tier the units crossed it; volume
/// (all-units), the whole quantity at the tier of `v1`; none (or no usage), nothing.
pub fn tier_uses(product: &Product, v0: u64, v1: u64) -> Vec<TierUse> {
    let q = v1 - v0;
    match product.model {
        PricingModel::None => Vec::new(),
        PricingModel::Graduated => {
            let mut uses = Vec::new();
            for (j, t) in product.tiers.iter().enumerate() {
                let hi = product
                    .tiers
                    .get(j + 1)
                    .map_or(PAD_THRESHOLD, |n| n.threshold)
                    .min(v1);
                let lo = t.threshold.max(v0);
                if hi > lo {
                    uses.push(TierUse {
                        tier: j,
                        quantity: hi - lo,
                        price_nano: t.price_nano,
                    });
                }
            }
            uses
        }
        PricingModel::Volume => match product.tier_of(v1) {
            Some(k) if q > 0 => vec![TierUse {
                tier: k,
                quantity: q,
                price_nano: product.tiers[k].price_nano,
            }],
            _ => Vec::new(),
        },
    }
}

/// Rates `usage` against `msa` from the cumulative volumes `before`, producing invoice
/// `invoice_number`. Refuses volumes or amounts that leave the protocol's ranges.
pub fn rate(msa: &Msa, usage: &Usage, before: &VolumeState, invoice_number: &str) -> Result<Rated, Error> {
    check_id("invoice number", invoice_number)?;
    if before.volumes.len() != msa.products.len() {
        return Err(Error::invalid(
            "state",
            format!(
                "has {} volumes; the MSA has {} products",
                before.volumes.len(),
                msa.products.len()
            ),
        ));
    }
    let index = before.index.checked_add(1).ok_or_else(|| Error::Range {
        field: "state index".into(),
        reason: format!(
            "{} is the last index: no invoice can follow the state",
            before.index
        ),
    })?;
    let records = usage.records.iter().map(|r| (r.slot, r.quantity));
    let quantities = aggregate::totals(records, msa.products.len());
    let currency = msa.currency;
    let mut lines = Vec::new();
    let mut charges = Vec::with_capacity(msa.products.len());
    let mut after = Vec::with_capacity(msa.products.len());
    for (slot, p) in msa.products.iter().enumerate() {
        let charge = charge(p, before.volumes[slot], quantities[slot])?;
        lines.extend(product_lines(p, &charge, currency)?);
        after.push(charge.volume_after);
        charges.push(charge);
    }
    let over = |field: &str| Error::Range {
        field: field.into(),
        reason: "exceeds 2^64-1 minor units".into(),
    };
    let subtotal: u128 = lines.iter().map(|l| u128::from(l.amount)).sum();
    let subtotal = u64::try_from(subtotal).map_err(|_| over("subtotal"))?;
    let tax = round_half_up_div(u128::from(subtotal) * u128::from(msa.tax_ppm), u128::from(PPM));
    let tax = u64::try_from(tax).map_err(|_| over("tax"))?;
    let total = subtotal.checked_add(tax).ok_or_else(|| over("total"))?;
    let issue_date = usage.period.end;
    let due_date = issue_date
        .checked_add_days(Days::new(u64::from(msa.net_days)))
        .ok_or_else(|| Error::Range {
            field: "due date".into(),
            reason: "is beyond the calendar".into(),
        })?;
    Ok(Rated {
        invoice: Invoice {
            number: invoice_number.to_string(),
            msa_id: msa.id.clone(),
            seller_id: msa.seller.id.clone(),
            buyer_id: msa.buyer.id.clone(),
            period: usage.period,
            issue_date,
            due_date,
            currency,
            tax_ppm: msa.tax_ppm,
            lines,
            subtotal,
            tax,
            total,
        },
        after: VolumeState {
            index,
            volumes: after,
        },
        charges,
    })
}

/// The charges of product `p` for a period of `quantity` units from the cumulative volume `v0`,
/// before rounding. Refuses volumes that reach `2^63`.
fn charge(p: &Product, v0: u64, quantity: u128) -> Result<ProductCharge, Error> {
    if v0 >= PAD_THRESHOLD {
        return Err(Error::Range {
            field: format!("state volume of {:?}", p.id),
            reason: format!("{v0} is not below 2^63"),
        });
    }
    let v1 = u128::from(v0) + quantity;
    if v1 >= u128::from(PAD_THRESHOLD) {
        return Err(Error::Range {
            field: format!("cumulative volume of {:?}", p.id),
            reason: format!("{v1} after this period is not below 2^63"),
        });
    }
    let (v1, q) = (v1 as u64, quantity as u64);
    let (usage_nano, tiers) = match p.model {
        PricingModel::None => (0, Vec::new()),
        PricingModel::Graduated => {
            let nano = graduated_total(p, v1) - graduated_total(p, v0);
            (nano, tier_uses(p, v0, v1))
        }
        PricingModel::Volume => {
            let k = p.tier_of(v1).expect("tiered products have a tier at 0");
            let price = p.tiers[k].price_nano;
            (u128::from(price) * u128::from(q), tier_uses(p, v0, v1))
        }
    };
    let recurring_nano = p
        .recurring
        .map_or(0, |r| u128::from(r.fee_nano) * u128::from(r.ordered_quantity));
    Ok(ProductCharge {
        product: p.id.clone(),
        volume_before: v0,
        quantity: q,
        volume_after: v1,
        tiers,
        usage_nano,
        recurring_nano,
    })
}

/// The invoice lines of product `p` (usage, then recurring), each rounded half up to minor
/// units. Refuses amounts above `2^64 - 1` minor units.
fn product_lines(p: &Product, charge: &ProductCharge, currency: Currency) -> Result<Vec<InvoiceLine>, Error> {
    let minor = |nano: u128, what: &str| -> Result<u64, Error> {
        u64::try_from(currency.nano_to_minor(nano)).map_err(|_| Error::Range {
            field: format!("{what} amount of {:?}", p.id),
            reason: "exceeds 2^64-1 minor units".into(),
        })
    };
    let mut lines = Vec::with_capacity(2);
    if p.model != PricingModel::None {
        lines.push(InvoiceLine {
            product: p.id.clone(),
            kind: LineKind::Usage,
            quantity: charge.quantity,
            amount: minor(charge.usage_nano, "usage")?,
        });
    }
    if let Some(r) = p.recurring {
        lines.push(InvoiceLine {
            product: p.id.clone(),
            kind: LineKind::Recurring,
            quantity: r.ordered_quantity,
            amount: minor(charge.recurring_nano, "recurring")?,
        });
    }
    Ok(lines)
}
