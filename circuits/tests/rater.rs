//! Properties of the reference rater.

mod common;

use common::*;
use proptest::prelude::*;
use zkinvoice_circuits::{
    model::{msa::PricingModel, usage::RecordDoc},
    rate, Usage, VolumeState,
};

/// A tier table: thresholds from 0 with gaps 1..40, prices 0..2000 nano-units.
fn tiers() -> impl Strategy<Value = Vec<(u64, u64)>> {
    prop::collection::vec((1u64..40, 0u64..2000), 1..6).prop_map(|v| {
        let mut t = 0;
        v.into_iter()
            .enumerate()
            .map(|(j, (gap, price))| {
                if j > 0 {
                    t += gap;
                }
                (t, price)
            })
            .collect()
    })
}

fn price_of_unit(tiers: &[(u64, u64)], u: u64) -> u128 {
    u128::from(
        tiers
            .iter()
            .rev()
            .find(|t| t.0 <= u)
            .expect("tier 0 starts at 0")
            .1,
    )
}

fn rate_one(
    model: PricingModel,
    tiers: &[(u64, u64)],
    v0: u64,
    quantities: &[u64],
) -> zkinvoice_circuits::Rated {
    let msa = msa_with(vec![product("p", model, tiers, None)]);
    let records: Vec<(usize, u64)> = quantities.iter().map(|&q| (0, q)).collect();
    let usage = usage(&msa, october(), &records);
    let before = VolumeState {
        index: 3,
        volumes: vec![v0],
    };
    rate(&msa, &usage, &before, "INV-1").expect("rates")
}

proptest! {
    #[test]
    fn graduated_equals_unit_by_unit(t in tiers(), v0 in 0u64..200, qs in prop::collection::vec(0u64..60, 0..5)) {
        let rated = rate_one(PricingModel::Graduated, &t, v0, &qs);
        let q: u64 = qs.iter().sum();
        let expect: u128 = (v0..v0 + q).map(|u| price_of_unit(&t, u)).sum();
        prop_assert_eq!(rated.charges[0].usage_nano, expect);
        prop_assert_eq!(rated.after.volumes[0], v0 + q);
        prop_assert_eq!(rated.after.index, 4);
        let tier_units: u64 = rated.charges[0].tiers.iter().map(|u| u.quantity).sum();
        prop_assert_eq!(tier_units, q);
    }

    #[test]
    fn all_units_uses_the_tier_of_the_cumulative_volume(t in tiers(), v0 in 0u64..200, qs in prop::collection::vec(0u64..60, 0..5)) {
        let rated = rate_one(PricingModel::Volume, &t, v0, &qs);
        let q: u64 = qs.iter().sum();
        prop_assert_eq!(rated.charges[0].usage_nano, price_of_unit(&t, v0 + q) * u128::from(q));
    }

    #[test]
    fn independent_of_record_order(seed in any::<u64>(), qs in prop::collection::vec((0usize..4, 0u64..100_000), 0..40)) {
        let msa = example_msa();
        let docs: Vec<(String, RecordDoc)> = qs
            .iter()
            .enumerate()
            .filter(|(_, (slot, _))| msa.products[*slot].model != PricingModel::None)
            .map(|(i, &(slot, q))| (format!("records[{i}]"), RecordDoc {
                id: format!("cdr-{i}"),
                product: msa.products[slot].id.clone(),
                quantity: q.into(),
                start: "2026-10-05T10:00:00Z".into(),
                end: "2026-10-05T11:00:00Z".into(),
                source: "both".into(),
            }))
            .collect();
        let mut shuffled = docs.clone();
        // A seeded Fisher-Yates shuffle.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let a = Usage::from_rows(october(), docs, &msa).unwrap();
        let b = Usage::from_rows(october(), shuffled, &msa).unwrap();
        prop_assert_eq!(&a, &b);
        let before = VolumeState::initial(&msa);
        prop_assert_eq!(rate(&msa, &a, &before, "INV").unwrap(), rate(&msa, &b, &before, "INV").unwrap());
    }

    #[test]
    fn splitting_a_period_keeps_the_graduated_charge(t in tiers(), v0 in 0u64..200, qs in prop::collection::vec(0u64..60, 0..8), cut in 0usize..8) {
        let cut = cut.min(qs.len());
        let whole = rate_one(PricingModel::Graduated, &t, v0, &qs);
        let first = rate_one(PricingModel::Graduated, &t, v0, &qs[..cut]);
        let second = rate_one(PricingModel::Graduated, &t, first.after.volumes[0], &qs[cut..]);
        prop_assert_eq!(first.charges[0].usage_nano + second.charges[0].usage_nano, whole.charges[0].usage_nano);
        prop_assert_eq!(second.after.volumes[0], whole.after.volumes[0]);
        // Up to per-line rounding: at most one minor unit apart.
        let split = i128::from(first.invoice.lines[0].amount) + i128::from(second.invoice.lines[0].amount);
        prop_assert!((split - i128::from(whole.invoice.lines[0].amount)).abs() <= 1);
    }
}

#[test]
fn line_rounding_is_half_up_at_the_boundary() {
    // USD: 10^7 nano-units per cent. 15 units at 1_000_000 nano = 1.5 cents -> 2 cents;
    // 1 unit at 14_999_999 nano = 1.4999999 cents -> 1 cent; 1 unit at 5_000_000 -> 1 cent (half up).
    for (price, q, cents) in [
        (1_000_000, 15, 2),
        (14_999_999, 1, 1),
        (5_000_000, 1, 1),
        (4_999_999, 1, 0),
        (25_000_000, 1, 3),
    ] {
        let rated = rate_one(PricingModel::Volume, &[(0, price)], 0, &[q]);
        assert_eq!(rated.invoice.lines[0].amount, cents, "price {price} x {q}");
    }
}

#[test]
fn tax_rounds_half_up() {
    // Subtotal 2 cents at 25 % = 0.5 cent -> 1 cent; at 24.9999 % -> 0.
    let mut msa = msa_with(vec![product("p", PricingModel::Volume, &[(0, 10_000_000)], None)]);
    let u = usage(&msa, october(), &[(0, 2)]);
    for (ppm, tax) in [(250_000, 1), (249_999, 0), (0, 0), (1_000_000, 2)] {
        msa.tax_ppm = ppm;
        let inv = rate(&msa, &u, &VolumeState::initial(&msa), "INV")
            .unwrap()
            .invoice;
        assert_eq!((inv.subtotal, inv.tax, inv.total), (2, tax, 2 + tax), "ppm {ppm}");
    }
}

#[test]
fn recurring_is_billed_every_period_and_dates_follow_the_terms() {
    let msa = example_msa();
    let u = usage(&msa, october(), &[]);
    let inv = rate(&msa, &u, &VolumeState::initial(&msa), "INV")
        .unwrap()
        .invoice;
    // 3 x 1450.00 + 2 x 250.00, and zero-quantity usage lines for the tiered products.
    assert_eq!(inv.subtotal, 435_000 + 50_000);
    assert_eq!(inv.lines.len(), 5);
    assert_eq!(inv.issue_date.to_string(), "2026-11-01");
    assert_eq!(inv.due_date.to_string(), "2026-12-01");
}

#[test]
fn the_example_month_rates_to_known_amounts() {
    // Figures checked by hand in the foundation issue's closing note.
    let msa = example_msa();
    let u = Usage::parse(
        include_str!("../../examples/usage-2026-10.json"),
        zkinvoice_circuits::UsageFormat::Json,
        &msa,
        None,
    )
    .unwrap();
    let inv = rate(&msa, &u, &VolumeState::initial(&msa), "INV")
        .unwrap()
        .invoice;
    assert_eq!(
        (inv.subtotal, inv.tax, inv.total),
        (2_826_770, 250_876, 3_077_646)
    );
}

#[test]
fn out_of_range_volumes_and_amounts_are_refused() {
    let msa = msa_with(vec![product("p", PricingModel::Graduated, &[(0, 1)], None)]);
    let u = usage(&msa, october(), &[(0, 10)]);
    let near = VolumeState {
        index: 0,
        volumes: vec![(1 << 63) - 5],
    };
    assert!(rate(&msa, &u, &near, "INV")
        .unwrap_err()
        .to_string()
        .contains("2^63"));
    let pricey = msa_with(vec![product("p", PricingModel::Volume, &[(0, u64::MAX)], None)]);
    let lots = usage(&pricey, october(), &[(0, 1 << 40)]);
    let e = rate(&pricey, &lots, &VolumeState::initial(&pricey), "INV").unwrap_err();
    assert!(e.to_string().contains("2^64-1 minor units"), "{e}");
    let wrong = VolumeState {
        index: 0,
        volumes: vec![0, 0],
    };
    assert!(rate(&msa, &u, &wrong, "INV").is_err());
}

#[test]
fn aggregating_records_does_not_change_the_invoice() {
    let msa = example_msa();
    let u = Usage::parse(
        include_str!("../../examples/usage-2026-10.json"),
        zkinvoice_circuits::UsageFormat::Json,
        &msa,
        None,
    )
    .unwrap();
    let weekly = u.aggregated(7).unwrap();
    assert_eq!(weekly.records.len(), 15, "3 usage products x 5 buckets");
    let before = VolumeState {
        index: 0,
        volumes: vec![10, 0, 7, 0],
    };
    let a = rate(&msa, &u, &before, "INV").unwrap();
    let b = rate(&msa, &weekly, &before, "INV").unwrap();
    assert_eq!((a.invoice, a.after), (b.invoice, b.after));
    assert!(weekly.records.iter().all(|r| u.period.contains(r.start, r.end)));
    assert!(u.aggregated(0).is_err());
}

/// Found by the `state_file` fuzz target: a state at index 2^64-1 made the rater overflow its
/// index. No invoice can follow it: refused, naming the state index.
#[test]
fn fuzz_a_state_at_the_last_index_is_refused() {
    let msa = msa_with(vec![product("p", PricingModel::Graduated, &[(0, 1)], None)]);
    let u = usage(&msa, october(), &[(0, 10)]);
    let last = VolumeState {
        index: u64::MAX,
        volumes: vec![0],
    };
    let e = rate(&msa, &u, &last, "INV").unwrap_err();
    assert!(e.to_string().starts_with("state index: "), "{e}");
    let before = VolumeState {
        index: u64::MAX - 1,
        volumes: vec![0],
    };
    assert_eq!(
        rate(&msa, &u, &before, "INV").expect("rates").after.index,
        u64::MAX
    );
}
