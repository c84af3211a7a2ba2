//! The netting statement of two partitioned (v2) invoices (issue 16, `zkinvoice/netting/v2`): the
//! honest witness satisfies it with the native netting, costs what `heads_cost` says, and nets
//! invoices of different partition shapes under one circuit; another payer, net, period, heads or
//! tops, any changed witness value, and invoices that do not net are refused; the tops, which the
//! circuit only binds into the net commitment, are checked natively against each invoice's parts.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    commit::{netting::net_commitment, Salt},
    native::netting::{Netting, Payer},
    partition::{parts::invoice_parts, PartitionShape},
    statement::netting::{heads_cost, HeadsNettingAssignment, HeadsNettingCircuit},
    Currency, Fr, Invoice,
};
use zkinvoice_verifier::{NettingHeadsPublicInputs, NettingPublicInputs};

fn salt(seed: u64) -> Salt {
    Salt::random(&mut ChaCha20Rng::seed_from_u64(seed))
}

/// Whether the circuit is satisfied, and its constraint count.
fn satisfied(assignment: HeadsNettingAssignment, public: NettingHeadsPublicInputs) -> (bool, usize) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    HeadsNettingCircuit { public, assignment }
        .generate_constraints(cs.clone())
        .expect("synthesises");
    (cs.is_satisfied().expect("checkable"), cs.num_constraints())
}

/// October's invoice of the example MSA and of the reverse MSA with `cdn` GB of egress.
fn pair(cdn: u64) -> (Invoice, Invoice) {
    let forward = october_invoice(&example_msa(), &[(2, 120_000), (3, 900_000)], "INV-1");
    let reverse = october_invoice(&reverse_msa(), &[(0, cdn)], "GX-1");
    (forward, reverse)
}

const PS: PartitionShape = PartitionShape::PS;

fn build(
    first: &Invoice,
    second: &Invoice,
    shapes: [PartitionShape; 2],
) -> (HeadsNettingAssignment, NettingHeadsPublicInputs, Netting) {
    HeadsNettingAssignment::new(
        (first, shapes[0], &salt(1)),
        (second, shapes[1], &salt(2)),
        &salt(3),
    )
    .expect("nets")
}

/// The invoice blocks of `invoice` at `shape` under salt `seed`.
fn blocks(invoice: &Invoice, shape: PartitionShape, seed: u64) -> Vec<Fr> {
    invoice_parts(invoice, shape, &salt(seed)).expect("parts").parts
}

#[test]
fn the_buyer_of_the_larger_invoice_pays_the_difference_at_any_partition_shapes() {
    let (forward, reverse) = pair(10_000);
    assert!(forward.total > reverse.total);
    for shapes in [[PS, PS], [PS, PartitionShape::PM], [PartitionShape::PM, PS]] {
        let (a, p, n) = build(&forward, &reverse, shapes);
        assert_eq!(
            n,
            Netting {
                payer: Payer::FirstBuyer,
                net: forward.total - reverse.total
            }
        );
        assert_eq!(p.netting.payer, Fr::from(0u64));
        let (ok, count) = satisfied(a, p);
        assert!(ok, "{shapes:?}");
        assert_eq!(count, heads_cost().total(), "{:?}", heads_cost());
        // The tops are the invoices' anchored v2 commitments, of their heads and blocks.
        let b = [blocks(&forward, shapes[0], 1), blocks(&reverse, shapes[1], 2)];
        assert!(p.check_tops([&b[0], &b[1]]));
        assert!(!p.check_tops([&b[1], &b[0]]), "the blocks swapped");
        let mut fewer = b[0].clone();
        fewer.pop();
        assert!(!p.check_tops([&fewer, &b[1]]), "a block left out");
    }
    // In the other order the second's buyer pays the same net.
    let (a, p, m) = build(&reverse, &forward, [PS, PS]);
    assert_eq!(
        (m.payer, m.net),
        (Payer::SecondBuyer, forward.total - reverse.total)
    );
    assert_eq!(p.netting.payer, Fr::from(1u64));
    assert!(satisfied(a, p).0);
}

#[test]
fn equal_totals_net_to_zero_paid_by_the_first_buyer_only() {
    let (forward, mut reverse) = pair(10_000);
    reverse.total = forward.total;
    let (a, p, n) = build(&forward, &reverse, [PS, PS]);
    assert_eq!((n.payer, n.net), (Payer::FirstBuyer, 0));
    assert!(satisfied(a.clone(), p).0);
    let mut other = p;
    other.netting.payer = Fr::from(1u64);
    assert!(!satisfied(a, other).0, "payer 1 with a net of zero");
}

#[test]
fn another_payer_net_period_head_or_top_is_refused() {
    let (forward, reverse) = pair(10_000);
    let (a, p, n) = build(&forward, &reverse, [PS, PS]);
    let [first_c, second_c] = [p.netting.first_invoice, p.netting.second_invoice];
    let usd = Currency::from_code("USD").unwrap();
    let with = |f: &dyn Fn(&mut NettingPublicInputs)| {
        let mut q = p;
        f(&mut q.netting);
        q
    };
    let one = Fr::from(1u64);
    let cases: Vec<(&str, NettingHeadsPublicInputs)> = vec![
        ("the other payer", with(&|q| q.payer = one)),
        ("a payer of 2", with(&|q| q.payer = Fr::from(2u64))),
        (
            "a net one more",
            with(&|q| q.net_commitment = net_commitment(n.net + 1, &usd, [first_c, second_c], &salt(3)).0),
        ),
        (
            "the tops swapped in the commitment",
            with(&|q| q.net_commitment = net_commitment(n.net, &usd, [second_c, first_c], &salt(3)).0),
        ),
        ("another period", with(&|q| q.period_end += one)),
        ("another first top", with(&|q| q.first_invoice += one)),
        ("another second top", with(&|q| q.second_invoice += one)),
        (
            "the heads swapped",
            NettingHeadsPublicInputs {
                first_head: p.second_head,
                second_head: p.first_head,
                ..p
            },
        ),
        (
            "another first head",
            NettingHeadsPublicInputs {
                first_head: p.first_head + one,
                ..p
            },
        ),
    ];
    for (what, public) in cases {
        assert!(!satisfied(a.clone(), public).0, "{what} is accepted");
    }
}

#[test]
fn every_witness_value_is_bound() {
    let (forward, reverse) = pair(10_000);
    let (a, p, _) = build(&forward, &reverse, [PS, PS]);
    let n = a.clone().values_mut().len();
    assert_eq!(n, 2 * 15 + 2);
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
    let other = october_invoice(&example_msa(), &[(2, 1_000)], "INV-2");
    let mut same = reverse.clone();
    same.msa_id = forward.msa_id.clone();
    let mut euro = reverse.clone();
    euro.currency = Currency::from_code("EUR").unwrap();
    let later = rated(
        &reverse_msa(),
        "2026-11-01..2026-12-01".parse().unwrap(),
        &[(0, 10_000)],
        "GX-2",
    )
    .1;
    for forged in [other, same, euro, later] {
        let what = format!("{} {}", forged.msa_id, forged.number);
        assert!(
            HeadsNettingAssignment::new((&forward, PS, &salt(1)), (&forged, PS, &salt(2)), &salt(3)).is_err(),
            "{what} nets natively"
        );
        // The witness forges the pair past the native check: the circuit refuses it.
        let (mut a, mut p, _) = build(&forward, &reverse, [PS, PS]);
        let parts = invoice_parts(&forged, PS, &salt(2)).expect("parts");
        let top = zkinvoice_verifier::partition::invoice_top(parts.head, &parts.parts);
        let diff = forward.total.abs_diff(forged.total);
        a.heads[1] = zkinvoice_circuits::partition::parts::invoice_head_fields(&forged);
        a.net = Fr::from(diff);
        p.second_head = parts.head;
        p.netting.second_invoice = top;
        p.netting.payer = Fr::from(u64::from(forged.total > forward.total));
        p.netting.net_commitment =
            net_commitment(diff, &forward.currency, [p.netting.first_invoice, top], &salt(3)).0;
        assert!(!satisfied(a, p).0, "{what} accepted");
    }
}

#[test]
fn the_public_inputs_read_back_from_their_json_and_refuse_unknown_keys() {
    let (forward, reverse) = pair(10_000);
    let (_, p, _) = build(&forward, &reverse, [PS, PS]);
    let json = serde_json::to_value(p).expect("json");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 8, "{keys:?}");
    assert!(keys.contains(&"firstHead") && keys.contains(&"secondHead"));
    assert_eq!(
        serde_json::from_value::<NettingHeadsPublicInputs>(json.clone()).expect("reads"),
        p
    );
    let mut extra = json;
    extra["other"] = "0x00".into();
    assert!(serde_json::from_value::<NettingHeadsPublicInputs>(extra).is_err());
}
