//! The reconciliation statement (issue 16): the Seller's invoice and the one rated from the
//! Buyer's measurement, compared against the MSA's dispute thresholds. The honest witness
//! satisfies it with the native verdict and costs what `cost` says; any other verdict, any changed
//! witness value (but the thresholds of unused slots, which nothing reads), invoices of different
//! periods or of another MSA's products are refused.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    commit::{commit_fields, Salt},
    encoding::tag,
    model::msa::Threshold,
    native::reconcile::{reconcile, Reconciliation},
    statement::reconcile::{cost, ReconcileAssignment, ReconcileCircuit},
    Error, Fr, Msa, Shape,
};
use zkinvoice_verifier::ReconcilePublicInputs;

fn salt(seed: u64) -> Salt {
    Salt::random(&mut ChaCha20Rng::seed_from_u64(seed))
}

/// The Seller's measurement: slots compute-vcpu 0, ip-transit 2, voice-termination 3.
const SELLER: [(usize, u64); 4] = [(0, 40_000), (2, 120_000), (2, 30_000), (3, 900_000)];

/// Whether the circuit is satisfied, and its constraint count.
fn satisfied(assignment: ReconcileAssignment, public: ReconcilePublicInputs) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    ReconcileCircuit { public, assignment }
        .generate_constraints(cs.clone())
        .expect("synthesises");
    (cs.is_satisfied().expect("checkable"), cs.num_constraints())
}

/// The assignment, public inputs and `over` bits of reconciling [`SELLER`] with `buyer`.
fn build(buyer: &[(usize, u64)]) -> (ReconcileAssignment, ReconcilePublicInputs, u128, Msa) {
    let msa = example_msa();
    let (s, b) = (
        october_invoice(&msa, &SELLER, "INV-1"),
        october_invoice(&msa, buyer, "INV-1-B"),
    );
    let (a, p, v) = ReconcileAssignment::new(&msa, Shape::S, &salt(1), (&s, &salt(2)), (&b, &salt(3)))
        .expect("reconciles");
    let bits = v.over_bits(Shape::S.products);
    assert_eq!(p.over, Fr::from(bits));
    (a, p, bits, msa)
}

#[test]
fn within_the_thresholds_nothing_is_over() {
    // 40 minutes of voice and 1,000 GB less: within 250.00 and 100.00 or 1.5%.
    let (a, p, bits, _) = build(&[(0, 40_000), (2, 119_000), (2, 30_000), (3, 899_960)]);
    assert_eq!(bits, 0);
    let (ok, n) = satisfied(a, p);
    assert!(ok);
    assert_eq!(n, cost(Shape::S).total(), "{:?}", cost(Shape::S));
}

#[test]
fn over_a_products_threshold_it_is_named_and_proven() {
    // 100,000 GB of IP transit less: 1,500.00 of 3,000.00 (the tier of 0.02/GB) is over both
    // 100.00 and 1.5%; the usage sums differ by 50% of the larger (over 2%); the invoice by more
    // than 500.00 and 1%.
    let (a, p, bits, msa) = build(&[(0, 40_000), (2, 20_000), (2, 30_000), (3, 900_000)]);
    let v = reconcile(
        &msa,
        &october_invoice(&msa, &SELLER, "INV-1"),
        &october_invoice(&msa, &[(0, 40_000), (2, 20_000), (2, 30_000), (3, 900_000)], "B"),
    )
    .unwrap();
    assert_eq!(v.products_over(&msa), ["ip-transit"]);
    assert!(v.usage && v.invoice && !v.recurring, "{v:?}");
    assert!(!v.within());
    let s = Shape::S.products;
    assert_eq!(bits, (1 << 2) | (1 << s) | (1 << (s + 2)), "{bits:b}");
    assert!(satisfied(a.clone(), p).0);
    // Any other verdict is refused: each bit flipped, and all clear.
    for i in 0..s + 3 {
        let mut q = p;
        q.over = Fr::from(bits ^ (1 << i));
        assert!(!satisfied(a.clone(), q).0, "bit {i} flipped");
    }
    let mut q = p;
    q.over = Fr::from(0u64);
    assert!(!satisfied(a, q).0, "all within");
}

#[test]
fn the_public_over_reads_back_as_the_verdict() {
    let msa = example_msa();
    let seller = october_invoice(&msa, &SELLER, "INV-1");
    let buyer = october_invoice(&msa, &[(0, 40_000), (2, 20_000), (2, 30_000), (3, 900_000)], "B");
    let v = reconcile(&msa, &seller, &buyer).unwrap();
    let s = Shape::S.products;
    let read = Reconciliation::from_over(&Fr::from(v.over_bits(s)), s).expect("a verdict");
    assert_eq!(read.slots_over(), [2]);
    assert_eq!(read.products_over(&msa), ["ip-transit"]);
    assert_eq!(
        (read.usage, read.recurring, read.invoice),
        (v.usage, v.recurring, v.invoice)
    );
    assert_eq!(read.over_bits(s), v.over_bits(s));
    assert!(Reconciliation::from_over(&Fr::from(0u64), s).unwrap().within());
    // A bit past the total's is no verdict of the statement.
    assert!(Reconciliation::from_over(&Fr::from(1u64 << (s + 3)), s).is_none());
    assert!(Reconciliation::from_over(&-Fr::from(1u64), s).is_none());
}

#[test]
fn any_changed_witness_value_is_refused_but_unused_slots_thresholds() {
    let (a, p, _, msa) = build(&[(0, 40_000), (2, 20_000), (2, 30_000), (3, 900_000)]);
    let used = msa.products.len();
    let labels: Vec<String> = a.clone().values_mut().into_iter().map(|(l, _)| l).collect();
    // On every core: each value is a synthesis of the whole statement.
    let tried = labels
        .par_iter()
        .enumerate()
        .map(|(k, label)| {
            let mut b = a.clone();
            let mut values = b.values_mut();
            *values[k].1 += Fr::from(1u64);
            drop(values);
            // Not read: the unused slots' thresholds.
            let free =
                (used..Shape::S.products).any(|i| label.starts_with(&format!("product threshold {i}.")));
            let (ok, _) = satisfied(b, p);
            assert_eq!(ok, free, "{label} changed");
        })
        .count();
    assert!(tried > 200, "{tried}");
}

#[test]
fn invoices_of_different_periods_or_misaligned_slots_are_refused() {
    let (a, p, _, _) = build(&SELLER);
    // The Buyer's invoice a day later, its commitment recomputed: only the period check refuses.
    let recommitted = |f: &dyn Fn(&mut Vec<Fr>)| {
        let mut b = a.clone();
        f(&mut b.invoices[1]);
        let c = commit_fields(tag::INVOICE, &b.invoices[1], &salt(3));
        let mut q = p;
        q.buyer_invoice = c.0;
        (b, q)
    };
    let (b, q) = recommitted(&|body| body[5] += Fr::from(1u64));
    assert!(!satisfied(b, q).0, "another period");
    // Its first two slots' product ids swapped.
    let (b, q) = recommitted(&|body| body.swap(11, 14));
    assert!(!satisfied(b, q).0, "slots out of order");
    // Sanity: recommitting unchanged is satisfied.
    let (b, q) = recommitted(&|_| {});
    assert!(satisfied(b, q).0);
}

/// The period is public (days since 1970-01-01, `zkinvoice_verifier::day_number`): the proof
/// names the period both invoices bill, and no other; both invoices of another period, with their
/// commitments recomputed, are refused against the first period.
#[test]
fn the_public_period_is_the_one_both_invoices_bill() {
    let (a, p, _, _) = build(&SELLER);
    let [start, end] = ReconcilePublicInputs::period("2026-10-01", "2026-11-01").unwrap();
    assert_eq!((p.period_start, p.period_end), (start, end));
    for (what, change) in [
        ("start", (Fr::from(1u64), Fr::from(0u64))),
        ("end", (Fr::from(0u64), Fr::from(1u64))),
        ("both a month later", (Fr::from(31u64), Fr::from(30u64))),
    ] {
        let mut q = p;
        q.period_start += change.0;
        q.period_end += change.1;
        assert!(!satisfied(a.clone(), q).0, "the period's {what} changed");
    }
    // Both invoices a day later, recommitted: satisfied only against their own period.
    let mut b = a.clone();
    let mut q = p;
    for (k, body) in b.invoices.iter_mut().enumerate() {
        body[5] += Fr::from(1u64);
        let c = commit_fields(tag::INVOICE, body, &salt(2 + k as u64));
        if k == 0 {
            q.seller_invoice = c.0;
        } else {
            q.buyer_invoice = c.0;
        }
    }
    assert!(!satisfied(b.clone(), q).0, "against the first period");
    q.period_end += Fr::from(1u64);
    assert!(satisfied(b, q).0, "against their own");
}

#[test]
fn the_native_reconciliation_refuses_what_it_cannot_compare() {
    let msa = example_msa();
    let s = october_invoice(&msa, &SELLER, "INV-1");
    let mut bare = msa.clone();
    bare.terms.dispute_thresholds = None;
    let field = |r: Result<_, Error>| match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(field(reconcile(&bare, &s, &s)), "disputeThresholds");
    let mut other = s.clone();
    other.period = "2026-11-01..2026-12-01".parse().unwrap();
    assert_eq!(field(reconcile(&msa, &s, &other)), "buyer's invoice");
    let mut short = s.clone();
    short.lines.pop();
    assert_eq!(field(reconcile(&msa, &short, &s)), "seller's invoice");
    // A threshold of 0.00 flags any difference; none at all is not checked.
    let mut strict = msa.clone();
    let d = strict.terms.dispute_thresholds.as_mut().unwrap();
    d.products[0] = Some(Threshold {
        amount_minor: Some(0),
        share_ppm: None,
    });
    let b = october_invoice(&msa, &[(0, 40_001), (2, 120_000), (2, 30_000), (3, 900_000)], "B");
    assert_eq!(
        reconcile(&strict, &s, &b).unwrap().products_over(&strict),
        ["compute-vcpu"]
    );
    assert!(
        reconcile(&msa, &s, &b).unwrap().within(),
        "compute-vcpu has no threshold"
    );
}

/// The verifier's day numbers (what the log computes from an entry's dates) are the circuits'
/// encoding of dates, for every day from 1970 to 2199.
#[test]
fn the_verifiers_day_numbers_are_the_circuits_encoding_of_dates() {
    use chrono::NaiveDate;
    use zkinvoice_circuits::encoding::day_number;
    let mut date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2200, 1, 1).unwrap();
    while date < end {
        let text = date.format("%Y-%m-%d").to_string();
        assert_eq!(
            zkinvoice_verifier::day_number(&text).unwrap(),
            day_number(date),
            "{text}"
        );
        date = date.succ_opt().unwrap();
    }
}
