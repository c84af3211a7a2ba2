//! Builders of the commercial model for tests: the example MSA, products, MSAs and usage made of
//! them, and a bilateral large enough to span several partitions.

use chrono::{TimeZone, Utc};
use zkinvoice_circuits::{
    model::msa::{PricingModel, Product, Recurring, Tier},
    rate, Invoice, Msa, Period, Usage, UsageRecord, VolumeState,
};

/// The example MSA shipped in `examples/`.
pub fn example_msa() -> Msa {
    Msa::from_json(include_str!("../../examples/msa.json")).expect("the example MSA is valid")
}

/// The example MSA of the opposite direction (`examples/msa-reverse.json`): the example's Buyer
/// sells to its Seller, for netting.
pub fn reverse_msa() -> Msa {
    Msa::from_json(include_str!("../../examples/msa-reverse.json")).expect("the reverse MSA is valid")
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

/// The invoice of `msa` for `period` numbered `number`, rated from records `(slot, quantity)`
/// from the initial state, and the usage it is rated from.
pub fn rated(msa: &Msa, period: Period, records: &[(usize, u64)], number: &str) -> (Usage, Invoice) {
    let usage = usage(msa, period, records);
    let invoice = rate(msa, &usage, &VolumeState::initial(msa), number)
        .expect("rates")
        .invoice;
    (usage, invoice)
}

/// October's invoice of `msa` numbered `number`, rated from records `(slot, quantity)` from the
/// initial state (as each party rates its own measurement before a reconciliation).
pub fn october_invoice(msa: &Msa, records: &[(usize, u64)], number: &str) -> Invoice {
    rated(msa, october(), records, number).1
}

/// The example MSA's parties and terms with `products` (sorted into slot order), and no
/// per-product dispute thresholds or service levels (the example's name its own products).
pub fn msa_with(mut products: Vec<Product>) -> Msa {
    products.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    let mut msa = example_msa();
    if let Some(d) = &mut msa.terms.dispute_thresholds {
        d.products = vec![None; products.len()];
    }
    msa.terms.service_levels = None;
    Msa { products, ..msa }
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

/// Three products, one of each kind of pricing: graduated (`grad`, three tiers), all-units with a
/// recurring fee (`vol`, two tiers) and recurring only (`rec`).
pub fn three_kinds() -> Vec<Product> {
    vec![
        product(
            "grad",
            PricingModel::Graduated,
            &[(0, 20_000_000), (1000, 15_000_000), (5000, 10_000_000)],
            None,
        ),
        product(
            "vol",
            PricingModel::Volume,
            &[(0, 12_000_000), (2000, 9_500_000)],
            Some((3_000_000_000, 2)),
        ),
        product("rec", PricingModel::None, &[], Some((1_450_000_000_000, 3))),
    ]
}

/// A random bilateral for differential tests (round `round` picks the currency: USD, JPY, BHD):
/// `products` products of random pricing (graduated, all-units or recurring only, up to four tiers,
/// some with a recurring fee), a random tax rate, `records` records of random priced products
/// (none if no product is priced) and a random state.
pub fn random_bilateral(
    rng: &mut impl rand::Rng,
    products: std::ops::RangeInclusive<usize>,
    records: std::ops::RangeInclusive<usize>,
    round: usize,
) -> (Msa, Usage, VolumeState) {
    let n = rng.gen_range(products);
    let list: Vec<_> = (0..n)
        .map(|i| {
            let model =
                [PricingModel::Graduated, PricingModel::Volume, PricingModel::None][rng.gen_range(0..3)];
            let tiers: Vec<(u64, u64)> = if model == PricingModel::None {
                vec![]
            } else {
                let mut t = 0;
                (0..rng.gen_range(1..=4))
                    .map(|j| {
                        if j > 0 {
                            t += rng.gen_range(1..10_000);
                        }
                        (t, rng.gen_range(0..50_000_000))
                    })
                    .collect()
            };
            let recurring = (model == PricingModel::None || rng.gen_bool(0.3))
                .then(|| (rng.gen_range(0..5_000_000_000_000), rng.gen_range(0..10)));
            product(&format!("p{i:02}"), model, &tiers, recurring)
        })
        .collect();
    let mut msa = msa_with(list);
    msa.tax_ppm = rng.gen_range(0..250_000);
    msa.currency =
        zkinvoice_circuits::Currency::from_code(["USD", "JPY", "BHD"][round % 3]).expect("a currency");
    let priced: Vec<usize> = (0..n)
        .filter(|&s| msa.products[s].model != PricingModel::None)
        .collect();
    let recs: Vec<(usize, u64)> = if priced.is_empty() {
        vec![]
    } else {
        (0..rng.gen_range(records))
            .map(|_| (priced[rng.gen_range(0..priced.len())], rng.gen_range(0..5_000)))
            .collect()
    };
    let u = usage(&msa, october(), &recs);
    let before = VolumeState {
        index: rng.gen_range(0..100),
        volumes: (0..n).map(|_| rng.gen_range(0..20_000)).collect(),
    };
    (msa, u, before)
}

/// A bilateral of nine products (the three kinds of pricing and six voice destinations) and 30
/// records of random priced products with quantities below 900, from a state at index 4 with
/// volumes `100 · slot`: three blocks and three chunks at partition shape `PS`.
pub fn partitioned_bilateral(rng: &mut impl rand::Rng) -> (Msa, Usage, VolumeState) {
    let mut products = three_kinds();
    for i in 0..6u64 {
        products.push(product(
            &format!("voice-{i}"),
            PricingModel::Volume,
            &[(0, 5_000_000 + i), (100, 4_000_000)],
            None,
        ));
    }
    let msa = msa_with(products);
    let priced: Vec<usize> = (0..msa.products.len())
        .filter(|&s| msa.products[s].model != PricingModel::None)
        .collect();
    let records: Vec<(usize, u64)> = (0..30)
        .map(|_| (priced[rng.gen_range(0..priced.len())], rng.gen_range(0..900)))
        .collect();
    let usage = usage(&msa, october(), &records);
    let before = VolumeState {
        index: 4,
        volumes: (0..msa.products.len() as u64).map(|i| 100 * i).collect(),
    };
    (msa, usage, before)
}

/// [`partitioned_bilateral`]'s MSA with dispute thresholds in each of its three blocks at `PS`
/// (`grad rec voice-0 voice-1`, `voice-2 .. voice-5`, `vol` and three empty slots): on `voice-1`
/// (slot 3: 1.00), `voice-4` (slot 6: 10%) and `vol` (slot 8: 5.00 or 5%), for the reconciliation
/// of partitioned invoices.
pub fn thresholded_partitioned_msa() -> Msa {
    use rand::SeedableRng;
    use zkinvoice_circuits::model::msa::Threshold;
    // The MSA does not depend on the generator (only the records do).
    let (mut msa, _, _) = partitioned_bilateral(&mut rand_chacha::ChaCha20Rng::seed_from_u64(0));
    let d = msa
        .terms
        .dispute_thresholds
        .as_mut()
        .expect("the example's thresholds");
    d.products[3] = Some(Threshold {
        amount_minor: Some(100),
        share_ppm: None,
    });
    d.products[6] = Some(Threshold {
        amount_minor: None,
        share_ppm: Some(100_000),
    });
    d.products[8] = Some(Threshold {
        amount_minor: Some(500),
        share_ppm: Some(50_000),
    });
    msa
}

/// The Seller's measurement `(slot, quantity)` of [`thresholded_partitioned_msa`]'s October.
pub const PARTITIONED_SELLER: [(usize, u64); 5] = [(0, 3_000), (3, 1_000), (4, 500), (6, 1_000), (8, 3_000)];
/// The Buyer's, over: 200 more of voice-1 (0.80, within 1.00), 200 less of voice-4 (20%, over
/// 10%), 1,000 less of vol (9.50 of 34.50, over both); the usage charges 10.7% apart (over 2%),
/// the totals within 500.00.
pub const PARTITIONED_OVER: [(usize, u64); 5] = [(0, 3_000), (3, 1_200), (4, 500), (6, 800), (8, 2_000)];
/// The Buyer's, within: 100 more of voice-1 only.
pub const PARTITIONED_WITHIN: [(usize, u64); 5] = [(0, 3_000), (3, 1_100), (4, 500), (6, 1_000), (8, 3_000)];

/// The example MSA's document with `serviceLevels` set to `levels` (JSON).
pub fn msa_doc_with_service_levels(levels: &str) -> zkinvoice_circuits::model::msa::MsaDoc {
    let mut doc: serde_json::Value =
        serde_json::from_str(include_str!("../../examples/msa.json")).expect("the example MSA is JSON");
    doc["serviceLevels"] = serde_json::from_str(levels).expect("levels are JSON");
    serde_json::from_value(doc).expect("an MSA document")
}

/// The example MSA without its service levels (as it was before issue 16's step 4).
pub fn msa_without_service_levels() -> Msa {
    let mut msa = example_msa();
    msa.terms.service_levels = None;
    msa
}

/// SLA performance of `period` under `msa`: `(product id, availability percent)` records.
pub fn sla(
    msa: &Msa,
    period: Period,
    records: &[(&str, &str)],
) -> zkinvoice_circuits::model::performance::Sla {
    let doc = zkinvoice_circuits::model::performance::SlaDoc {
        period: period.to_doc(),
        records: records
            .iter()
            .map(|(p, a)| zkinvoice_circuits::model::performance::SlaRecordDoc {
                product: (*p).into(),
                availability_percent: (*a).into(),
            })
            .collect(),
    };
    zkinvoice_circuits::model::performance::Sla::from_doc(&doc, msa).expect("valid SLA records")
}
