//! The invoice statement: satisfied by the reference rater's invoice and by nothing else.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    gadgets::poseidon::PERMUTATION_COST,
    model::msa::PricingModel,
    native::poseidon::RATE,
    rate,
    statement::{InvoiceAssignment, InvoiceCircuit, InvoiceCost, InvoiceOpening},
    Fr, Invoice, Msa, Salt, Shape, Usage, VolumeState,
};

/// The salts of one proof.
struct Salts([Salt; 5]);

impl Salts {
    fn new(rng: &mut ChaCha20Rng) -> Self {
        Self(std::array::from_fn(|_| Salt::random(rng)))
    }
}

fn circuit(
    shape: Shape,
    msa: &Msa,
    usage: &Usage,
    before: &VolumeState,
    invoice: &Invoice,
    after: &VolumeState,
    s: &Salts,
) -> InvoiceCircuit {
    let opening = InvoiceOpening {
        msa,
        msa_salt: &s.0[0],
        usage,
        usage_salt: &s.0[1],
        before,
        before_salt: &s.0[2],
        invoice,
        invoice_salt: &s.0[3],
        after,
        after_salt: &s.0[4],
    };
    InvoiceCircuit {
        public: opening.public_inputs(shape).expect("commits"),
        assignment: InvoiceAssignment::new(shape, &opening).expect("assigns"),
    }
}

fn satisfied(c: InvoiceCircuit) -> bool {
    let cs = ConstraintSystem::<Fr>::new_ref();
    c.generate_constraints(cs.clone()).expect("synthesises");
    cs.is_satisfied().expect("checkable")
}

fn count(c: InvoiceCircuit) -> usize {
    let cs = ConstraintSystem::<Fr>::new_ref();
    c.generate_constraints(cs.clone()).expect("synthesises");
    cs.num_constraints()
}

/// A small bilateral: graduated, all-units and recurring products, some usage, a non-zero state.
fn scenario() -> (Msa, Usage, VolumeState) {
    let msa = msa_with(three_kinds());
    let usage = usage(
        &msa,
        october(),
        &[(0, 700), (2, 900), (0, 450), (2, 1500), (0, 3)],
    );
    let before = VolumeState {
        index: 4,
        volumes: vec![600, 0, 100],
    };
    (msa, usage, before)
}

#[test]
fn the_rater_s_invoice_satisfies_and_the_count_is_as_documented() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let (msa, usage, before) = scenario();
    let rated = rate(&msa, &usage, &before, "INV-1").unwrap();
    let s = Salts::new(&mut rng);
    let c = circuit(Shape::S, &msa, &usage, &before, &rated.invoice, &rated.after, &s);
    assert!(satisfied(c.clone()));
    let expected = InvoiceCost::of(Shape::S).total(Shape::S);
    assert_eq!(count(c), expected, "shape S: {:?}", InvoiceCost::of(Shape::S));
    assert_eq!(expected, 18_640, "update the documented count on purpose");
    // The blank circuit used for key generation has the same shape.
    assert_eq!(count(InvoiceCircuit::blank(Shape::S)), expected);
}

#[test]
fn constraint_count_of_shape_m_is_as_documented() {
    let cost = InvoiceCost::of(Shape::M);
    assert_eq!(count(InvoiceCircuit::blank(Shape::M)), cost.total(Shape::M));
    assert_eq!(
        cost.total(Shape::M),
        128_791,
        "update the documented count on purpose: {cost:?}"
    );
    // Issue 14's targets: at most 80 per record and 2,000 per product slot at T = 8, each with
    // its share of the commitments (a record is a quarter of a usage element; a slot has 4 + 2T
    // MSA elements, a quarter of an element in each state, three invoice elements and one share
    // of the aggregation). `params/marginal-costs.csv` measures the same.
    let per_element = PERMUTATION_COST as f64 / RATE as f64;
    assert!(cost.per_record as f64 + per_element / 4.0 <= 80.0);
    assert!(cost.per_slot as f64 + per_element * (4.0 + 16.0 + 0.5 + 3.0) + 1.0 <= 2000.0);
}

#[test]
fn changing_any_one_witness_value_leaves_the_circuit_unsatisfied() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let (msa, usage, before) = scenario();
    let rated = rate(&msa, &usage, &before, "INV-1").unwrap();
    let s = Salts::new(&mut rng);
    let honest = circuit(Shape::S, &msa, &usage, &before, &rated.invoice, &rated.after, &s);
    assert!(satisfied(honest.clone()), "the honest witness satisfies");
    let n = honest.assignment.clone().values_mut().len();
    // Every value of the used slots, the header and the real records, and a sample of padding;
    // the sample drawn first, the values then changed on every core.
    let labels: Vec<String> = honest
        .assignment
        .clone()
        .values_mut()
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(labels.len(), n);
    let walked: Vec<usize> = (0..n)
        .filter(|&i| {
            let label = &labels[i];
            let padding = (label.starts_with("slot ")
                && !["slot 0 ", "slot 1 ", "slot 2 "]
                    .iter()
                    .any(|p| label.starts_with(p)))
                || (label.starts_with("record ")
                    && label[7..].split(' ').next().unwrap().parse::<usize>().unwrap() > usage.records.len());
            !padding || rng.gen_range(0..16) == 0
        })
        .collect();
    walked.par_iter().for_each(|&i| {
        let mut c = honest.clone();
        let mut values = c.assignment.values_mut();
        *values[i].1 += Fr::from(1u64);
        drop(values);
        assert!(
            !satisfied(c),
            "changing {} still satisfies the circuit",
            labels[i]
        );
    });
    // And each public input.
    for i in 0..5 {
        let mut c = honest.clone();
        let mut p = c.public.to_field_elements();
        p[i] += Fr::from(1u64);
        c.public = zkinvoice_verifier::InvoicePublicInputs {
            msa_commitment: p[0],
            usage_commitment: p[1],
            state_before: p[2],
            state_after: p[3],
            invoice_commitment: p[4],
        };
        assert!(
            !satisfied(c),
            "changing public input {i} still satisfies the circuit"
        );
    }
}

/// Satisfied exactly when the claimed invoice and state after are the rater's for the inputs.
fn agrees_with_rater(
    msa: &Msa,
    usage: &Usage,
    before: &VolumeState,
    invoice: &Invoice,
    after: &VolumeState,
    s: &Salts,
) -> (bool, bool) {
    let expected =
        rate(msa, usage, before, &invoice.number).is_ok_and(|r| r.invoice == *invoice && r.after == *after);
    (
        satisfied(circuit(Shape::S, msa, usage, before, invoice, after, s)),
        expected,
    )
}

#[test]
fn a_wrong_invoice_or_input_cannot_be_proven() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let (msa, usage, before) = scenario();
    let r = rate(&msa, &usage, &before, "INV-1").unwrap();
    let s = Salts::new(&mut rng);
    type Case = (&'static str, Msa, Usage, VolumeState, Invoice, VolumeState);
    let mut cases: Vec<Case> = Vec::new();
    let mut case =
        |name, f: &dyn Fn(&mut Msa, &mut Usage, &mut VolumeState, &mut Invoice, &mut VolumeState)| {
            let (mut m, mut u, mut b, mut i, mut a) = (
                msa.clone(),
                usage.clone(),
                before.clone(),
                r.invoice.clone(),
                r.after.clone(),
            );
            f(&mut m, &mut u, &mut b, &mut i, &mut a);
            cases.push((name, m, u, b, i, a));
        };
    case("line quantity", &|_, _, _, i, _| i.lines[0].quantity += 1);
    case("line amount", &|_, _, _, i, _| i.lines[0].amount += 1);
    case("recurring amount", &|_, _, _, i, _| i.lines[1].amount -= 1);
    case("subtotal", &|_, _, _, i, _| i.subtotal += 1);
    case("tax", &|_, _, _, i, _| i.tax += 1);
    case("total", &|_, _, _, i, _| i.total += 1);
    case("subtotal and total", &|_, _, _, i, _| {
        i.subtotal += 1;
        i.total += 1;
    });
    case("due date", &|_, _, _, i, _| {
        i.due_date = i.due_date.succ_opt().unwrap()
    });
    case("a price", &|m, _, _, _, _| {
        m.products[0].tiers[1].price_nano += 1_000_000
    });
    case("a tier threshold", &|m, _, _, _, _| {
        m.products[0].tiers[1].threshold -= 1
    });
    case("the pricing model", &|m, _, _, _, _| {
        m.products[0].model = PricingModel::Volume
    });
    case("a recurring fee", &|m, _, _, _, _| {
        m.products[1].recurring.as_mut().unwrap().fee_nano += 10_000_000
    });
    case("the tax rate", &|m, _, _, _, _| m.tax_ppm += 10_000);
    case("the payment terms", &|m, _, _, _, _| m.net_days += 1);
    case("a usage quantity", &|_, u, _, _, _| u.records[0].quantity += 1);
    case("a usage record's product", &|m, u, _, _, _| {
        u.records[0].slot = 2;
        u.records[0].product = m.products[2].id.clone();
    });
    case("a usage record dropped", &|_, u, _, _, _| {
        u.records.remove(1);
    });
    case("a usage record duplicated", &|_, u, _, _, _| {
        let mut d = u.records[1].clone();
        d.id.push_str("-dup");
        u.records.push(d);
        u.records.sort_by(|a, b| a.id.cmp(&b.id));
    });
    case("the cumulative volume before", &|_, _, b, _, _| {
        b.volumes[0] += 500
    });
    case("the cumulative volume after", &|_, _, _, _, a| a.volumes[0] += 1);
    case("the state index after", &|_, _, _, _, a| a.index += 1);
    case("the period", &|_, u, _, _, _| {
        u.period.end = u.period.end.succ_opt().unwrap()
    });
    for (name, m, u, b, i, a) in cases {
        let (sat, expected) = agrees_with_rater(&m, &u, &b, &i, &a, &s);
        assert!(
            !expected,
            "{name}: the case does not change the rating; pick one that does"
        );
        assert!(!sat, "changing {name} still satisfies the circuit");
    }
}

#[test]
fn differential_against_the_rater_on_random_bilaterals() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    for round in 0..4 {
        // A random MSA of up to 8 products with up to 4 tiers, random usage and state.
        let (msa, u, before) = random_bilateral(&mut rng, 1..=8, 0..=64, round);
        let r = rate(&msa, &u, &before, "INV").unwrap();
        let s = Salts::new(&mut rng);
        assert_eq!(
            agrees_with_rater(&msa, &u, &before, &r.invoice, &r.after, &s),
            (true, true),
            "round {round}"
        );
        // Every other invoice tried: each amount and quantity one off, in both directions.
        for line in 0..r.invoice.lines.len() {
            for delta in [1i64, -1] {
                for field in 0..2 {
                    let mut i = r.invoice.clone();
                    let v = if field == 0 {
                        &mut i.lines[line].amount
                    } else {
                        &mut i.lines[line].quantity
                    };
                    let Some(nv) = v.checked_add_signed(delta) else {
                        continue;
                    };
                    *v = nv;
                    assert!(
                        !agrees_with_rater(&msa, &u, &before, &i, &r.after, &s).0,
                        "round {round} line {line}"
                    );
                }
            }
        }
    }
}

/// `params/shapes.json` records each shape's constraint count and circuit digest: a change to
/// the circuit shows here and must be made on purpose (and keys made again).
#[test]
fn params_shapes_json_matches_the_circuit() {
    let text = include_str!("../../params/shapes.json");
    let shapes: serde_json::Value = serde_json::from_str(text).unwrap();
    for shape in Shape::ALL {
        let entry = &shapes["shapes"][shape.name];
        let cost = InvoiceCost::of(shape);
        if std::env::var_os("ZKINVOICE_BLESS").is_some() {
            let digest = zkinvoice_circuits::statement::circuit_digest(shape).unwrap();
            println!(
                "{}: constraints {} circuitDigest {}",
                shape.name,
                cost.total(shape),
                hex::encode(digest)
            );
            continue;
        }
        assert_eq!(
            entry["constraints"].as_u64().unwrap() as usize,
            cost.total(shape),
            "{}",
            shape.name
        );
        assert_eq!(
            entry["circuitDigest"].as_str().unwrap(),
            hex::encode(zkinvoice_circuits::statement::circuit_digest(shape).unwrap()),
            "{}: the circuit changed; update params/shapes.json on purpose",
            shape.name
        );
        assert_eq!(entry["products"].as_u64().unwrap() as usize, shape.products);
        assert_eq!(entry["tiers"].as_u64().unwrap() as usize, shape.tiers);
        assert_eq!(entry["records"].as_u64().unwrap() as usize, shape.records);
    }
}

/// `params/shapes.json` pins each partition shape's block, chunk and link statements the same
/// way: their constraint counts and circuit digests (which key loading checks manifests against,
/// without synthesising anything).
#[test]
fn params_shapes_json_pins_the_partition_statements() {
    use zkinvoice_circuits::{
        partition::PartitionShape,
        statement::{
            block::{self, BlockCircuit},
            chunk::{self, ChunkCircuit},
            digest,
            link::{self, LinkCircuit},
        },
    };
    let shapes: serde_json::Value = serde_json::from_str(include_str!("../../params/shapes.json")).unwrap();
    let bless = std::env::var_os("ZKINVOICE_BLESS").is_some();
    for shape in PartitionShape::ALL {
        let found = [
            (
                "block",
                block::STATEMENT,
                block::cost(shape).total(shape),
                digest(block::STATEMENT, BlockCircuit::blank(shape)).unwrap(),
            ),
            (
                "chunk",
                chunk::STATEMENT,
                chunk::cost(shape).total(shape),
                digest(chunk::STATEMENT, ChunkCircuit::blank(shape)).unwrap(),
            ),
            (
                "link",
                link::STATEMENT,
                link::cost(shape).total(),
                digest(link::STATEMENT, LinkCircuit::blank()).unwrap(),
            ),
        ];
        for (name, id, constraints, digest) in found {
            let entry = &shapes["partitions"][shape.name][name];
            let want = serde_json::json!({
                "statement": id,
                "constraints": constraints,
                "circuitDigest": hex::encode(digest),
            });
            if bless {
                println!("{} {name}: {want}", shape.name);
            } else {
                assert_eq!(
                    entry, &want,
                    "{} {name}: the circuit changed; update params/shapes.json on purpose",
                    shape.name
                );
            }
        }
    }
}

/// Records are packed four to an element and volumes four to an element, so a prover could try to
/// open the same committed elements with other values: a record's slot plus `2^16` and its
/// quantity less one, or a quantity plus `2^47` and the next record's slot less one (the same
/// packed element); a volume plus `2^63` and the next volume less one (the same packed state).
/// The range checks and the tier lookups refuse each.
#[test]
fn the_same_packed_elements_opened_with_other_values_are_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let (msa, usage, before) = scenario();
    let rated = rate(&msa, &usage, &before, "INV-1").unwrap();
    let s = Salts::new(&mut rng);
    let honest = circuit(Shape::S, &msa, &usage, &before, &rated.invoice, &rated.after, &s);
    assert!(satisfied(honest.clone()));
    let pow = zkinvoice_circuits::encoding::shift;
    let one = Fr::from(1u64);
    // The first packed element of the records and of the volumes before and after, as the
    // circuit forms them: each change below keeps all three.
    let packed = |c: &InvoiceCircuit| {
        let a = &c.assignment;
        let records: Fr = (0..4)
            .map(|i| (a.records[i].slot + a.records[i].quantity * pow(16)) * pow(63 * i as u32))
            .sum();
        let before: Fr = (0..4)
            .map(|i| a.slots[i].volume_before * pow(63 * i as u32))
            .sum();
        let after: Fr = (0..4)
            .map(|i| (a.slots[i].volume_before + a.slots[i].quantity) * pow(63 * i as u32))
            .sum();
        [records, before, after]
    };

    let mut c = honest.clone();
    let r = &mut c.assignment.records[0];
    assert_ne!(r.quantity, Fr::from(0u64));
    r.slot += pow(16);
    r.quantity -= one;
    assert_eq!(packed(&c), packed(&honest));
    assert!(!satisfied(c), "slot + 2^16, quantity - 1");

    let mut c = honest.clone();
    assert_ne!(c.assignment.records[1].slot, Fr::from(0u64));
    c.assignment.records[0].quantity += pow(47);
    c.assignment.records[1].slot -= one;
    assert_eq!(packed(&c), packed(&honest));
    assert!(!satisfied(c), "quantity + 2^47, next slot - 1");

    let mut c = honest.clone();
    assert_ne!(c.assignment.slots[2].volume_before, Fr::from(0u64));
    c.assignment.slots[1].volume_before += pow(63);
    c.assignment.slots[2].volume_before -= one;
    assert_eq!(packed(&c), packed(&honest));
    assert!(!satisfied(c), "volume + 2^63, next volume - 1");
}

/// `params/shapes.json` pins the statements of issue 16 per v1 shape (their constraints and
/// circuit digests: what the ceremony names them by and key manifests must match).
#[test]
fn params_shapes_json_pins_the_reconciliation_netting_and_credit_statements() {
    use zkinvoice_circuits::statement::{
        credit::{self, CreditCircuit},
        digest,
        netting::{self, NettingCircuit},
        reconcile::{self, ReconcileCircuit},
    };
    let shapes: serde_json::Value = serde_json::from_str(include_str!("../../params/shapes.json")).unwrap();
    for shape in Shape::ALL {
        for (name, want) in [
            (
                "reconcile",
                serde_json::json!({
                    "statement": reconcile::STATEMENT,
                    "constraints": reconcile::cost(shape).total(),
                    "circuitDigest": hex::encode(digest(reconcile::STATEMENT, ReconcileCircuit::blank(shape)).unwrap()),
                }),
            ),
            (
                "netting",
                serde_json::json!({
                    "statement": netting::STATEMENT,
                    "constraints": netting::cost(shape).total(),
                    "circuitDigest": hex::encode(digest(netting::STATEMENT, NettingCircuit::blank(shape)).unwrap()),
                }),
            ),
            (
                "credit",
                serde_json::json!({
                    "statement": credit::STATEMENT,
                    "constraints": credit::cost(shape).total(),
                    "circuitDigest": hex::encode(digest(credit::STATEMENT, CreditCircuit::blank(shape)).unwrap()),
                }),
            ),
        ] {
            pinned(&shapes, name, shape.name, want);
        }
    }
    // The netting of two partitioned invoices: one circuit, pinned under `heads`.
    let want = serde_json::json!({
        "statement": netting::HEADS_STATEMENT,
        "constraints": netting::heads_cost().total(),
        "circuitDigest": hex::encode(digest(netting::HEADS_STATEMENT, netting::HeadsNettingCircuit::blank()).unwrap()),
    });
    pinned(&shapes, "netting-v2", netting::HEADS, want);
    // The reconciliation of partitioned invoices: the block statement per partition shape, the
    // link one circuit, pinned under `link`.
    use zkinvoice_circuits::{
        partition::PartitionShape,
        statement::reconcile::{block, link},
    };
    for shape in PartitionShape::ALL {
        let want = serde_json::json!({
            "statement": block::STATEMENT,
            "constraints": block::cost(shape).total(),
            "circuitDigest": hex::encode(digest(block::STATEMENT, block::ReconcileBlockCircuit::blank(shape)).unwrap()),
        });
        pinned(&shapes, "reconcile-v2-block", shape.name, want);
    }
    let want = serde_json::json!({
        "statement": link::STATEMENT,
        "constraints": link::cost().total(),
        "circuitDigest": hex::encode(digest(link::STATEMENT, link::ReconcileLinkCircuit::blank()).unwrap()),
    });
    pinned(&shapes, "reconcile-v2-link", link::LINK, want);
}

/// `shapes[name][key]` is `want` (printed instead under `ZKINVOICE_BLESS`).
fn pinned(shapes: &serde_json::Value, name: &str, key: &str, want: serde_json::Value) {
    if std::env::var_os("ZKINVOICE_BLESS").is_some() {
        println!("{name} {key}: {want}");
    } else {
        assert_eq!(
            shapes[name][key], want,
            "{name} {key}: the circuit changed; update params/shapes.json on purpose"
        );
    }
}
