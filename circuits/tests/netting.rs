//! The netting statement (issue 16): two invoices of one period in opposite directions between
//! the same parties, the net amount and who pays it. The honest witness satisfies it with the
//! native netting and costs what `cost` says; another payer, any changed witness value, invoices
//! of one direction, of one agreement, of different periods or currencies are refused.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    commit::{netting::net_commitment, Salt},
    native::netting::{net, Netting, Payer},
    statement::netting::{cost, NettingAssignment, NettingCircuit},
    Currency, Error, Fr, Invoice, Shape,
};
use zkinvoice_verifier::NettingPublicInputs;

fn salt(seed: u64) -> Salt {
    Salt::random(&mut ChaCha20Rng::seed_from_u64(seed))
}

/// Whether the circuit is satisfied, and its constraint count.
fn satisfied(assignment: NettingAssignment, public: NettingPublicInputs) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    NettingCircuit { public, assignment }
        .generate_constraints(cs.clone())
        .expect("synthesises");
    (cs.is_satisfied().expect("checkable"), cs.num_constraints())
}

/// October's invoice of the example MSA (the Seller's direction) and of the reverse MSA with
/// `storage` TB-months ordered and `cdn` GB of egress.
fn pair(cdn: u64) -> (Invoice, Invoice) {
    let msa = example_msa();
    let forward = october_invoice(&msa, &[(2, 120_000), (3, 900_000)], "INV-1");
    let reverse = october_invoice(&reverse_msa(), &[(0, cdn)], "GX-1");
    (forward, reverse)
}

fn build(first: &Invoice, second: &Invoice) -> (NettingAssignment, NettingPublicInputs, Netting) {
    NettingAssignment::new(Shape::S, (first, &salt(1)), (second, &salt(2)), &salt(3)).expect("nets")
}

#[test]
fn the_buyer_of_the_larger_invoice_pays_the_difference() {
    let (forward, reverse) = pair(10_000);
    assert!(forward.total > reverse.total);
    let (a, p, n) = build(&forward, &reverse);
    assert_eq!(
        n,
        Netting {
            payer: Payer::FirstBuyer,
            net: forward.total - reverse.total
        }
    );
    assert_eq!(p.payer, Fr::from(0u64));
    let (ok, count) = satisfied(a, p);
    assert!(ok);
    assert_eq!(count, cost(Shape::S).total(), "{:?}", cost(Shape::S));

    // In the other order the second's buyer pays the same net.
    let (a, p, m) = build(&reverse, &forward);
    assert_eq!((m.payer, m.net), (Payer::SecondBuyer, n.net));
    assert_eq!(p.payer, Fr::from(1u64));
    assert!(satisfied(a, p).0);
}

#[test]
fn equal_totals_net_to_zero_paid_by_the_first_buyer_only() {
    let (forward, mut reverse) = pair(10_000);
    reverse.total = forward.total;
    let (a, p, n) = build(&forward, &reverse);
    assert_eq!((n.payer, n.net), (Payer::FirstBuyer, 0));
    assert!(satisfied(a.clone(), p).0);
    // `payer = 1` with a net of zero is not a verdict the statement admits.
    let other = NettingPublicInputs {
        payer: Fr::from(1u64),
        ..p
    };
    assert!(!satisfied(a, other).0);
}

#[test]
fn another_payer_net_or_commitment_is_refused() {
    let (forward, reverse) = pair(10_000);
    let (a, p, n) = build(&forward, &reverse);
    let first_c = p.first_invoice;
    let second_c = p.second_invoice;
    let usd = Currency::from_code("USD").unwrap();
    for (what, public) in [
        (
            "the other payer",
            NettingPublicInputs {
                payer: Fr::from(1u64),
                ..p
            },
        ),
        (
            "a payer of 2",
            NettingPublicInputs {
                payer: Fr::from(2u64),
                ..p
            },
        ),
        (
            "a net one more",
            NettingPublicInputs {
                net_commitment: net_commitment(n.net + 1, &usd, [first_c, second_c], &salt(3)).0,
                ..p
            },
        ),
        (
            "the invoices swapped in the commitment",
            NettingPublicInputs {
                net_commitment: net_commitment(n.net, &usd, [second_c, first_c], &salt(3)).0,
                ..p
            },
        ),
        (
            "another period",
            NettingPublicInputs {
                period_end: p.period_end + Fr::from(1u64),
                ..p
            },
        ),
        (
            "the invoices swapped",
            NettingPublicInputs {
                first_invoice: second_c,
                second_invoice: first_c,
                ..p
            },
        ),
    ] {
        assert!(!satisfied(a.clone(), public).0, "{what} is accepted");
    }
}

#[test]
fn every_witness_value_is_bound() {
    let (forward, reverse) = pair(10_000);
    let (a, p, _) = build(&forward, &reverse);
    let n = a.clone().values_mut().len();
    (0..n).into_par_iter().for_each(|i| {
        let mut changed = a.clone();
        let (label, v) = changed.values_mut().swap_remove(i);
        *v += Fr::from(1u64);
        assert!(!satisfied(changed, p).0, "{label} changed is accepted");
    });
}

#[test]
fn invoices_that_do_not_net_are_refused_natively_and_in_the_circuit() {
    let (forward, reverse) = pair(10_000);
    let refused = |first: &Invoice, second: &Invoice, needle: &str| {
        let e = net(first, second).expect_err(needle);
        assert!(
            matches!(&e, Error::Invalid { .. }) && e.to_string().contains(needle),
            "{e}"
        );
        assert!(NettingAssignment::new(Shape::S, (first, &salt(1)), (second, &salt(2)), &salt(3)).is_err());
    };
    // One direction: the Seller's invoice against itself and another of its own.
    let other = october_invoice(&example_msa(), &[(2, 1_000)], "INV-2");
    refused(&forward, &other, "not the other way");
    // Opposite parties but the same agreement.
    let mut same = reverse.clone();
    same.msa_id = forward.msa_id.clone();
    refused(&forward, &same, "netting takes two bilaterals");
    let mut euro = reverse.clone();
    euro.currency = Currency::from_code("EUR").unwrap();
    refused(&forward, &euro, "is in EUR");
    let later = rated(
        &reverse_msa(),
        "2026-11-01..2026-12-01".parse().unwrap(),
        &[(0, 10_000)],
        "GX-2",
    )
    .1;
    refused(&forward, &later, "is of period");

    // The circuit refuses the same pairs when the witness forges them past the native check.
    for forged in [other, same, euro, later] {
        let (mut a, p, _) = build(&forward, &reverse);
        let shape = Shape::S;
        let body =
            zkinvoice_circuits::commit::invoice::invoice_fields(&forged, &forged.slots().unwrap(), shape);
        let c = zkinvoice_circuits::commit::invoice::invoice_commitment(&forged, shape, &salt(2)).unwrap();
        a.invoices[1] = body;
        let p = NettingPublicInputs {
            second_invoice: c.0,
            net_commitment: net_commitment(
                forward.total.abs_diff(forged.total),
                &forward.currency,
                [p.first_invoice, c.0],
                &salt(3),
            )
            .0,
            payer: Fr::from(u64::from(forged.total > forward.total)),
            ..p
        };
        a.net = Fr::from(forward.total.abs_diff(forged.total));
        assert!(!satisfied(a, p).0, "{} {} accepted", forged.msa_id, forged.number);
    }
}
