//! Builders shared by the circuits crate's integration tests.
#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use zkinvoice_circuits::{
    model::msa::{PricingModel, Product, Recurring, Tier},
    Msa, Period, Usage, UsageRecord,
};

/// The example MSA shipped in `examples/`.
pub fn example_msa() -> Msa {
    Msa::from_json(include_str!("../../../examples/msa.json")).expect("the example MSA is valid")
}

/// October 2026.
pub fn october() -> Period {
    "2026-10-01..2026-11-01".parse().expect("valid period")
}

/// A product with the given tiers `(threshold, nano price)`.
pub fn product(
    id: &str,
    model: PricingModel,
    tiers: &[(u64, u64)],
    recurring: Option<(u64, u64)>,
) -> Product {
    Product {
        id: id.into(),
        name: format!("product {id}"),
        unit: "unit".into(),
        model,
        tiers: tiers
            .iter()
            .map(|&(threshold, price_nano)| Tier {
                threshold,
                price_nano,
            })
            .collect(),
        recurring: recurring.map(|(fee_nano, ordered_quantity)| Recurring {
            fee_nano,
            ordered_quantity,
        }),
        order_reference: format!("PO-{id}"),
    }
}

/// The example MSA's parties and terms with `products` (sorted into slot order).
pub fn msa_with(mut products: Vec<Product>) -> Msa {
    products.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    Msa {
        products,
        ..example_msa()
    }
}

/// Usage of `period` with records `(slot, quantity)`, ids in the given order.
pub fn usage(msa: &Msa, period: Period, records: &[(usize, u64)]) -> Usage {
    let start = Utc.from_utc_datetime(&period.start.and_hms_opt(0, 0, 0).expect("valid"));
    let mut records: Vec<UsageRecord> = records
        .iter()
        .enumerate()
        .map(|(i, &(slot, quantity))| {
            assert_ne!(
                msa.products[slot].model,
                PricingModel::None,
                "usage of a recurring-only product"
            );
            UsageRecord {
                id: format!("r{i:06}"),
                product: msa.products[slot].id.clone(),
                slot,
                quantity,
                start,
                end: start,
                source: "seller".into(),
            }
        })
        .collect();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    Usage { period, records }
}
