//! Protocol v2: the block, chunk and link statements of a partitioned invoice, and the whole
//! invoice's public check. Satisfied by the reference rater's invoice and by nothing else.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_circuits::{
    partition::{PartitionCircuit, PartitionId, PartitionShape, PartitionedOpening},
    rate,
    statement::{block, chunk, link, InvoiceOpening},
    Fr, Invoice, Msa, Salt, Usage, VolumeState,
};
use zkinvoice_verifier::partition::{PartitionRefusal, PartitionedPublic, Tops};

const SHAPE: PartitionShape = PartitionShape::PS;

/// The salts of one invoice: MSA, usage, state before, invoice, state after.
struct Salts([Salt; 5]);

impl Salts {
    fn new(rng: &mut ChaCha20Rng) -> Self {
        Self(std::array::from_fn(|_| Salt::random(rng)))
    }
}

struct Case {
    msa: Msa,
    usage: Usage,
    before: VolumeState,
    invoice: Invoice,
    after: VolumeState,
    salts: Salts,
}

impl Case {
    fn opening(&self) -> PartitionedOpening<'_> {
        PartitionedOpening {
            shape: SHAPE,
            of: InvoiceOpening {
                msa: &self.msa,
                msa_salt: &self.salts.0[0],
                usage: &self.usage,
                usage_salt: &self.salts.0[1],
                before: &self.before,
                before_salt: &self.salts.0[2],
                invoice: &self.invoice,
                invoice_salt: &self.salts.0[3],
                after: &self.after,
                after_salt: &self.salts.0[4],
            },
        }
    }

    /// The public values, `z`, and every partition's circuit.
    fn circuits(&self) -> (PartitionedPublic, Fr, Vec<(PartitionId, PartitionCircuit)>) {
        let o = self.opening();
        let (public, z) = o.public().expect("commits");
        let q = o.quantities();
        let circuits = o
            .partitions()
            .into_iter()
            .map(|id| (id, o.circuit(&public, z, &q, id)))
            .collect();
        (public, z, circuits)
    }
}

fn synthesize(c: PartitionCircuit) -> (usize, bool) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    match c {
        PartitionCircuit::Block(c) => c.generate_constraints(cs.clone()),
        PartitionCircuit::Chunk(c) => c.generate_constraints(cs.clone()),
        PartitionCircuit::Link(c) => c.generate_constraints(cs.clone()),
    }
    .expect("synthesises");
    (cs.num_constraints(), cs.is_satisfied().expect("checkable"))
}

fn satisfied(c: &PartitionCircuit) -> bool {
    synthesize(c.clone()).1
}

/// The testkit's bilateral of three blocks and three chunks, rated.
fn scenario(rng: &mut ChaCha20Rng) -> Case {
    let (msa, usage, before) = partitioned_bilateral(rng);
    let rated = rate(&msa, &usage, &before, "INV-1").unwrap();
    Case {
        msa,
        usage,
        before,
        invoice: rated.invoice,
        after: rated.after,
        salts: Salts::new(rng),
    }
}

#[test]
fn the_rater_s_invoice_satisfies_every_partition_and_the_counts_are_as_documented() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let case = scenario(&mut rng);
    let (public, z, circuits) = case.circuits();
    assert_eq!((public.blocks(), public.chunks()), (3, 3));
    assert_eq!(public.check(&public.tops()), Ok(z));
    for (id, c) in circuits {
        let (n, sat) = synthesize(c);
        assert!(sat, "{id} is satisfied");
        let expected = match id {
            PartitionId::Block(_) => block::cost(SHAPE).total(SHAPE),
            PartitionId::Chunk(_) => chunk::cost(SHAPE).total(SHAPE),
            PartitionId::Link => link::cost(SHAPE).total(),
        };
        assert_eq!(
            n,
            expected,
            "{id}: {:?} {:?} {:?}",
            block::cost(SHAPE),
            chunk::cost(SHAPE),
            link::cost(SHAPE)
        );
    }
    // The blank circuits key generation uses have the same counts.
    let blank = |c| synthesize(c).0;
    assert_eq!(
        blank(PartitionCircuit::Block(block::BlockCircuit::blank(SHAPE))),
        block::cost(SHAPE).total(SHAPE)
    );
    assert_eq!(
        blank(PartitionCircuit::Chunk(chunk::ChunkCircuit::blank(SHAPE))),
        chunk::cost(SHAPE).total(SHAPE)
    );
    assert_eq!(
        blank(PartitionCircuit::Link(link::LinkCircuit::blank())),
        link::cost(SHAPE).total()
    );
}

#[test]
fn targets_per_record_and_per_slot_hold_with_every_commitment_share() {
    // Issue 14's targets at 8 tiers: at most 80 constraints per record and 2,000 per product
    // slot, here even with each one's share of the partition's fixed cost (issue 13 asked for
    // 110 and 2,600).
    let s = PartitionShape::PM;
    let b = block::cost(s);
    let c = chunk::cost(s);
    let per_slot = b.total(s) as f64 / s.block_products as f64;
    let per_record = c.total(s) as f64 / s.chunk_records as f64;
    // The documented counts (docs/protocol.md); update them on purpose.
    assert_eq!(
        [b.total(s), c.total(s), link::cost(s).total()],
        [61_144, 65_326, 3_926],
        "PM: {b:?} {c:?} {:?}",
        link::cost(s)
    );
    let ps = PartitionShape::PS;
    assert_eq!(
        [
            block::cost(ps).total(ps),
            chunk::cost(ps).total(ps),
            link::cost(ps).total()
        ],
        [8_635, 2_310, 3_926]
    );
    assert!(per_slot <= 2000.0, "per slot {per_slot}: {b:?}");
    assert!(per_record <= 80.0, "per record {per_record}: {c:?}");
    // PM's chunk holds as many records as keep it within a domain of 2^16 (constraints and
    // inputs): four more would not fit. The prover's FFTs and its largest MSM are the domain's
    // size, so a chunk that spilled over would pay for 2^17.
    let domain = |constraints: usize, inputs: usize| (constraints + inputs + 1).next_power_of_two();
    assert_eq!(domain(c.total(s), 6), 1 << 16);
    let more = PartitionShape {
        chunk_records: s.chunk_records + 4,
        ..s
    };
    assert_eq!(domain(chunk::cost(more).total(more), 6), 1 << 17);
    assert_eq!(domain(b.total(s), 10), 1 << 16);
}

#[test]
fn changing_any_one_witness_value_or_public_input_leaves_a_partition_unsatisfied() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let case = scenario(&mut rng);
    let (_, _, circuits) = case.circuits();
    // One of each kind (the others are the same circuits with other values): the last block and
    // chunk (real and padding slots and records), the first chunk, the link.
    let walked = [
        PartitionId::Block(2),
        PartitionId::Chunk(0),
        PartitionId::Chunk(2),
        PartitionId::Link,
    ];
    for (id, honest) in circuits.into_iter().filter(|(id, _)| walked.contains(id)) {
        let n = match &honest {
            PartitionCircuit::Block(c) => c.assignment.clone().values_mut().len(),
            PartitionCircuit::Chunk(c) => c.assignment.clone().values_mut().len(),
            PartitionCircuit::Link(c) => c.assignment.clone().values_mut().len(),
        };
        for i in 0..n {
            let mut c = honest.clone();
            let label = match &mut c {
                PartitionCircuit::Block(c) => bump(c.assignment.values_mut(), i),
                PartitionCircuit::Chunk(c) => bump(c.assignment.values_mut(), i),
                PartitionCircuit::Link(c) => bump(c.assignment.values_mut(), i),
            };
            // The header's text and identifiers of the block are opened but only the digits are
            // used: they are still bound by `msa_head`.
            assert!(!satisfied(&c), "{id}: changing {label} still satisfies");
        }
        let inputs = match &honest {
            PartitionCircuit::Block(c) => c.public.to_field_elements().len(),
            PartitionCircuit::Chunk(c) => c.public.to_field_elements().len(),
            PartitionCircuit::Link(c) => c.public.to_field_elements().len(),
        };
        for i in 0..inputs {
            let mut c = honest.clone();
            bump_public(&mut c, i);
            assert!(!satisfied(&c), "{id}: public input {i} + 1 still satisfies");
        }
    }
}

fn bump(mut values: Vec<(String, &mut Fr)>, i: usize) -> String {
    let (label, v) = &mut values[i];
    **v += Fr::from(1u64);
    label.clone()
}

fn bump_public(c: &mut PartitionCircuit, i: usize) {
    let one = Fr::from(1u64);
    match c {
        PartitionCircuit::Block(c) => {
            let p = &mut c.public;
            let fields = [
                &mut p.msa_head,
                &mut p.msa_block,
                &mut p.state_before,
                &mut p.state_after,
                &mut p.invoice_block,
                &mut p.z,
                &mut p.seed,
                &mut p.index,
                &mut p.y,
                &mut p.w,
            ];
            bump_one(fields, i, one);
        }
        PartitionCircuit::Chunk(c) => {
            let p = &mut c.public;
            let fields = [
                &mut p.usage_chunk,
                &mut p.z,
                &mut p.seed,
                &mut p.position,
                &mut p.next,
                &mut p.y,
            ];
            bump_one(fields, i, one);
        }
        PartitionCircuit::Link(c) => {
            let p = &mut c.public;
            let fields = [
                &mut p.msa_head,
                &mut p.usage_head,
                &mut p.invoice_head,
                &mut p.seed,
                &mut p.blocks,
                &mut p.w,
            ];
            bump_one(fields, i, one);
        }
    }
}

fn bump_one<const N: usize>(fields: [&mut Fr; N], i: usize, by: Fr) {
    for (k, f) in fields.into_iter().enumerate() {
        if k == i {
            *f += by;
        }
    }
}

/// The whole invoice's public check refuses partitions dropped, duplicated, reordered or taken
/// from another invoice, and shares changed.
#[test]
fn the_public_check_refuses_partitions_that_do_not_belong() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let case = scenario(&mut rng);
    let (public, _, _) = case.circuits();
    let anchored: Tops = public.tops();
    assert!(public.check(&anchored).is_ok());
    let refused = |p: &PartitionedPublic| public_refusal(p, &anchored);

    // Dropped and duplicated parts: the lists' lengths or the tops change.
    let mut p = public.clone();
    p.usage.parts.pop();
    p.y.remove(p.blocks());
    assert_eq!(refused(&p), Some(PartitionRefusal::Top("usage commitment")));
    let mut p = public.clone();
    p.y.pop();
    assert!(matches!(
        refused(&p),
        Some(PartitionRefusal::Count { what: "y", .. })
    ));
    let mut p = public.clone();
    let dup = p.usage.parts[0];
    p.usage.parts[1] = dup;
    assert_eq!(refused(&p), Some(PartitionRefusal::Top("usage commitment")));
    let mut p = public.clone();
    p.msa.parts.swap(0, 1);
    assert_eq!(refused(&p), Some(PartitionRefusal::Top("MSA commitment")));
    let mut p = public.clone();
    p.state_after.swap(1, 2);
    assert_eq!(refused(&p), Some(PartitionRefusal::Top("state after")));
    let mut p = public.clone();
    p.invoice.parts.swap(0, 2);
    assert_eq!(refused(&p), Some(PartitionRefusal::Top("invoice commitment")));
    let mut p = public.clone();
    p.index += 1;
    assert_eq!(refused(&p), Some(PartitionRefusal::Top("state before")));

    // Another invoice of the same bilateral (other salts): none of its parts fit this one.
    let other = Case {
        salts: Salts::new(&mut rng),
        ..scenario(&mut ChaCha20Rng::seed_from_u64(3))
    };
    let (theirs, _, _) = other.circuits();
    type Swap = fn(&mut PartitionedPublic, &PartitionedPublic);
    let swaps: [(&str, Swap); 4] = [
        ("invoice commitment", |p, t| {
            p.invoice.parts[1] = t.invoice.parts[1]
        }),
        ("usage commitment", |p, t| p.usage.parts[2] = t.usage.parts[2]),
        ("state after", |p, t| p.state_after[0] = t.state_after[0]),
        ("MSA commitment", |p, t| p.msa.head = t.msa.head),
    ];
    for (what, swap) in swaps {
        let mut p = public.clone();
        swap(&mut p, &theirs);
        assert_eq!(refused(&p), Some(PartitionRefusal::Top(what)), "{what}");
    }

    // A share changed by one: the masked sums no longer vanish.
    for i in 0..public.y.len() {
        let mut p = public.clone();
        p.y[i] += Fr::from(1u64);
        assert_eq!(refused(&p), Some(PartitionRefusal::Aggregation), "y {i}");
    }
    for i in 0..public.w.len() {
        let mut p = public.clone();
        p.w[i] += Fr::from(1u64);
        assert_eq!(refused(&p), Some(PartitionRefusal::Subtotal), "w {i}");
    }
}

fn public_refusal(p: &PartitionedPublic, anchored: &Tops) -> Option<PartitionRefusal> {
    p.check(anchored).err()
}

/// Attacks a prover could try with consistent commitments of its own: each leaves a partition
/// unsatisfied or the public check refusing.
#[test]
fn records_moved_volumes_swapped_and_padding_claims_are_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let case = scenario(&mut rng);
    let (public, z, circuits) = case.circuits();

    // A record moved to another chunk: the chunks then open other parts than the agreed ones.
    let mut c1 = match &circuits[3].1 {
        PartitionCircuit::Chunk(c) => c.clone(),
        _ => unreachable!("chunk 0"),
    };
    let mut c2 = match &circuits[4].1 {
        PartitionCircuit::Chunk(c) => c.clone(),
        _ => unreachable!("chunk 1"),
    };
    std::mem::swap(&mut c1.assignment.records[0], &mut c2.assignment.records[11]);
    assert!(!satisfied(&PartitionCircuit::Chunk(c1)));
    assert!(!satisfied(&PartitionCircuit::Chunk(c2)));

    // A block proven against another block's volumes.
    let o = case.opening();
    let q = o.quantities();
    let mut b0 = o.block(&public, z, &q, 0);
    let b1 = o.block(&public, z, &q, 1);
    for (s, t) in b0.assignment.slots.iter_mut().zip(&b1.assignment.slots) {
        s.volume_before = t.volume_before;
    }
    assert!(!satisfied(&PartitionCircuit::Block(b0)));
    // ... or with its public parts taken from another block.
    let mut b0 = o.block(&public, z, &q, 0);
    b0.public.state_before = b1.public.state_before;
    assert!(!satisfied(&PartitionCircuit::Block(b0)));

    // Padding that claims a total: the last chunk's padding record given a quantity, and the last
    // block's padding slot given usage.
    let mut last = o.chunk(&public, z, 2);
    last.assignment.records[11].quantity = Fr::from(5u64);
    assert!(!satisfied(&PartitionCircuit::Chunk(last)));
    let mut lastb = o.block(&public, z, &q, 2);
    lastb.assignment.slots[3].quantity = Fr::from(5u64);
    assert!(!satisfied(&PartitionCircuit::Block(lastb)));
}

/// The differential test: on seeded random bilaterals of several blocks and chunks, the rater's
/// invoice satisfies every partition and passes the public check; every invoice with one amount,
/// quantity, subtotal, tax or total one off does not.
#[test]
fn differential_against_the_rater_on_random_partitioned_bilaterals() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    for round in 0..3 {
        let (msa, u, before) = random_bilateral(&mut rng, 5..=11, 13..=40, round);
        let r = rate(&msa, &u, &before, "INV").unwrap();
        let case = Case {
            msa,
            usage: u,
            before,
            invoice: r.invoice.clone(),
            after: r.after.clone(),
            salts: Salts::new(&mut rng),
        };
        assert!(proves(&case), "round {round}: the rater's invoice");
        // Every other invoice tried: each line's amount and quantity, and the totals, one off.
        let mut wrong: Vec<Invoice> = Vec::new();
        for line in 0..r.invoice.lines.len() {
            for delta in [1i64, -1] {
                for field in 0..2 {
                    let mut i = r.invoice.clone();
                    let v = if field == 0 {
                        &mut i.lines[line].amount
                    } else {
                        &mut i.lines[line].quantity
                    };
                    if let Some(nv) = v.checked_add_signed(delta) {
                        *v = nv;
                        wrong.push(i);
                    }
                }
            }
        }
        for delta in [1i64, -1] {
            for field in 0..3 {
                let mut i = r.invoice.clone();
                let v = [&mut i.subtotal, &mut i.tax, &mut i.total][field].checked_add_signed(delta);
                if let Some(nv) = v {
                    *[&mut i.subtotal, &mut i.tax, &mut i.total][field] = nv;
                    wrong.push(i);
                }
            }
        }
        for (k, invoice) in wrong.into_iter().enumerate() {
            let bad = Case {
                invoice,
                salts: Salts(std::array::from_fn(|i| case.salts.0[i].clone())),
                msa: case.msa.clone(),
                usage: case.usage.clone(),
                before: case.before.clone(),
                after: case.after.clone(),
            };
            assert!(!proves(&bad), "round {round}: wrong invoice {k} proves");
        }
    }
}

/// Whether `case` passes the public check and satisfies every partition.
fn proves(case: &Case) -> bool {
    let (public, _, circuits) = case.circuits();
    public.check(&public.tops()).is_ok() && circuits.iter().all(|(_, c)| satisfied(c))
}

/// Hiding: two invoices of one bilateral from one state, whose usage differs in one quantity,
/// share no public value but the parts they must share (the MSA's and the state before's).
#[test]
fn invoices_differing_in_one_quantity_share_only_the_parts_they_must() {
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let a = scenario(&mut rng);
    let mut usage = a.usage.clone();
    usage.records[7].quantity += 1;
    let r = rate(&a.msa, &usage, &a.before, "INV-2").unwrap();
    let fresh = Salts::new(&mut rng);
    let b = Case {
        msa: a.msa.clone(),
        usage,
        before: a.before.clone(),
        invoice: r.invoice,
        after: r.after,
        // The same MSA and state before (and their salts); a fresh usage agreement, invoice and
        // state after.
        salts: Salts([
            a.salts.0[0].clone(),
            fresh.0[1].clone(),
            a.salts.0[2].clone(),
            fresh.0[3].clone(),
            fresh.0[4].clone(),
        ]),
    };
    let (pa, za, _) = a.circuits();
    let (pb, zb, _) = b.circuits();
    let values = |p: &PartitionedPublic, z: Fr| -> Vec<(String, Fr)> {
        let mut out = vec![
            ("z".to_string(), z),
            ("msa head".to_string(), p.msa.head),
            ("usage head".to_string(), p.usage.head),
            ("invoice head".to_string(), p.invoice.head),
            ("seed".to_string(), p.seed),
        ];
        let lists: [(&str, &Vec<Fr>); 7] = [
            ("msa block", &p.msa.parts),
            ("usage chunk", &p.usage.parts),
            ("state before", &p.state_before),
            ("state after", &p.state_after),
            ("invoice block", &p.invoice.parts),
            ("y", &p.y),
            ("w", &p.w),
        ];
        for (name, list) in lists {
            out.extend(list.iter().enumerate().map(|(i, v)| (format!("{name} {i}"), *v)));
        }
        let t = p.tops();
        out.extend([
            ("top msa".to_string(), t.msa),
            ("top usage".to_string(), t.usage),
            ("top state after".to_string(), t.state_after),
            ("top invoice".to_string(), t.invoice),
        ]);
        out
    };
    let theirs: Vec<Fr> = values(&pb, zb).into_iter().map(|(_, v)| v).collect();
    let shared: Vec<String> = values(&pa, za)
        .into_iter()
        .filter(|(_, v)| theirs.contains(v))
        .map(|(name, _)| name)
        .collect();
    let must: Vec<String> = [
        "msa head",
        "msa block 0",
        "msa block 1",
        "msa block 2",
        "state before 0",
        "state before 1",
        "state before 2",
        "top msa",
    ]
    .map(String::from)
    .to_vec();
    assert_eq!(shared, must);
}
