//! The reconciliation of two partitioned (v2) invoices (issue 16): a block statement per block of
//! products and a link statement, tied by the thresholds' chain commitments and four masked rings
//! (`zkinvoice/reconcile-block/v2`, `zkinvoice/reconcile-link/v2`). The honest witnesses satisfy
//! every proof with the native verdict and cost what `cost` says; any other verdict, any changed
//! public input or witness value (but the unused slots' thresholds, which nothing reads), and
//! thresholds other than the MSA's are refused; the public check refuses parts of other documents
//! and rings that do not vanish.

mod common;

use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystem};
use common::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rayon::prelude::*;
use zkinvoice_circuits::{
    encoding::{tag, tag_fe},
    model::msa::Threshold,
    native::{poseidon, reconcile::reconcile},
    partition::{
        parts::{invoice_commitment, msa_commitment},
        PartitionShape,
    },
    statement::reconcile::{
        block::{self, ReconcileBlockCircuit},
        link::{self, ReconcileLinkCircuit},
        PartitionedReconcile, PartitionedReconcileOpening,
    },
    Error, Fr, Invoice, Msa, Salt,
};
use zkinvoice_verifier::partition::reconcile::{ReconcileRefusal, ReconcileTops};

const PS: PartitionShape = PartitionShape::PS;

fn salt(seed: u64) -> Salt {
    Salt::random(&mut ChaCha20Rng::seed_from_u64(seed))
}

fn msa() -> Msa {
    let msa = thresholded_partitioned_msa();
    let ids: Vec<&str> = msa.products.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        ["grad", "rec", "voice-0", "voice-1", "voice-2", "voice-3", "voice-4", "voice-5", "vol"]
    );
    msa
}

const SELLER: [(usize, u64); 5] = PARTITIONED_SELLER;
const OVER: [(usize, u64); 5] = PARTITIONED_OVER;
const WITHIN: [(usize, u64); 5] = PARTITIONED_WITHIN;

struct Case {
    msa: Msa,
    invoices: [Invoice; 2],
}

impl Case {
    fn new(buyer: &[(usize, u64)]) -> Self {
        let msa = msa();
        let invoices = [
            october_invoice(&msa, &SELLER, "INV-1"),
            october_invoice(&msa, buyer, "INV-1-B"),
        ];
        Self { msa, invoices }
    }

    fn salts() -> [Salt; 3] {
        [salt(1), salt(2), salt(3)]
    }

    fn build_with(&self, msa: &Msa) -> Result<PartitionedReconcile, Error> {
        let s = Self::salts();
        PartitionedReconcileOpening {
            shape: PS,
            msa,
            msa_salt: &s[0],
            seller: (&self.invoices[0], &s[1]),
            buyer: (&self.invoices[1], &s[2]),
            seed: Fr::from(0x5eed_u64),
        }
        .build()
    }

    fn build(&self) -> PartitionedReconcile {
        self.build_with(&self.msa).expect("reconciles")
    }

    /// The anchored commitments.
    fn tops(&self) -> ReconcileTops {
        let s = Self::salts();
        ReconcileTops {
            msa: msa_commitment(&self.msa, PS, &s[0]).unwrap().0,
            seller: invoice_commitment(&self.invoices[0], PS, &s[1]).unwrap().0,
            buyer: invoice_commitment(&self.invoices[1], PS, &s[2]).unwrap().0,
        }
    }
}

/// Constraints and whether they are satisfied.
fn synthesize(c: impl ConstraintSynthesizer<Fr>) -> (usize, bool) {
    let cs = ConstraintSystem::<Fr>::new_ref();
    c.generate_constraints(cs.clone()).expect("synthesises");
    (cs.num_constraints(), cs.is_satisfied().expect("checkable"))
}

fn block_ok(c: &ReconcileBlockCircuit) -> bool {
    synthesize(c.clone()).1
}

fn link_ok(c: &ReconcileLinkCircuit) -> bool {
    synthesize(c.clone()).1
}

#[test]
fn the_honest_witnesses_satisfy_every_proof_with_the_native_verdict_at_the_documented_counts() {
    let case = Case::new(&OVER);
    let r = case.build();
    let v = reconcile(&case.msa, &case.invoices[0], &case.invoices[1]).unwrap();
    assert_eq!(r.verdict, v);
    assert_eq!(v.slots_over(), [6, 8], "{v:?}");
    assert!(v.usage && !v.recurring && !v.invoice, "{v:?}");
    let p = &r.public;
    assert_eq!(p.blocks(), 3);
    assert_eq!(p.check(&case.tops()), Ok(()));
    let over: Vec<usize> = (0..12).filter(|&i| p.products_over[i]).collect();
    assert_eq!(over, [6, 8]);
    assert!((p.usage_over, p.recurring_over, p.total_over) == (true, false, false));
    assert!(!p.within());
    for (j, b) in r.blocks.iter().enumerate() {
        assert_eq!(
            synthesize(b.clone()),
            (block::cost(PS).total(), true),
            "block {j}"
        );
    }
    assert_eq!(synthesize(r.link.clone()), (link::cost().total(), true));
    // Block 1 states slot 6 (its bit 2), block 2 slot 8 (its bit 0); the link the usage (bit 0).
    let bits: Vec<Fr> = r.blocks.iter().map(|b| b.public.over).collect();
    assert_eq!(bits, [Fr::from(0u64), Fr::from(4u64), Fr::from(1u64)]);
    assert_eq!(r.link.public.over, Fr::from(1u64));
    // The documented counts (docs/lifecycle.md; params/reconcile-costs.csv).
    assert_eq!(
        [
            block::cost(PS).total(),
            block::cost(PartitionShape::PM).total(),
            link::cost().total()
        ],
        [10_747, 80_343, 7_449]
    );
}

#[test]
fn within_every_threshold_nothing_is_over() {
    let case = Case::new(&WITHIN);
    let r = case.build();
    assert!(r.verdict.within() && r.public.within(), "{:?}", r.verdict);
    assert_eq!(r.public.check(&case.tops()), Ok(()));
    assert!(r.blocks.iter().all(block_ok));
    assert!(link_ok(&r.link));
}

#[test]
fn any_other_verdict_is_refused() {
    let r = Case::new(&OVER).build();
    let bits = [0u64, 4, 1];
    for (j, b) in r.blocks.iter().enumerate() {
        for i in 0..PS.block_products {
            let mut c = b.clone();
            c.public.over = Fr::from(bits[j] ^ (1 << i));
            assert!(!block_ok(&c), "block {j}: slot {i}'s bit flipped");
        }
        let mut c = b.clone();
        c.public.over = Fr::from(bits[j] | 1 << PS.block_products);
        assert!(!block_ok(&c), "block {j}: a bit past its slots");
    }
    for over in 0..8u64 {
        let mut c = r.link.clone();
        c.public.over = Fr::from(over);
        assert_eq!(link_ok(&c), over == 1, "link over {over:03b}");
    }
}

#[test]
fn any_changed_public_input_is_refused() {
    let r = Case::new(&OVER).build();
    for (j, b) in r.blocks.iter().enumerate() {
        for k in 0..12 {
            let mut c = b.clone();
            let p = &mut c.public;
            let field = [
                &mut p.msa_block,
                &mut p.seller_block,
                &mut p.buyer_block,
                &mut p.index,
                &mut p.chain_in,
                &mut p.chain_out,
                &mut p.seed,
            ]
            .into_iter()
            .chain(p.sums.iter_mut())
            .chain([&mut p.over])
            .nth(k)
            .expect("12 inputs");
            *field += Fr::from(1u64);
            assert!(!block_ok(&c), "block {j}: input {k} changed");
        }
    }
    for k in 0..13 {
        let mut c = r.link.clone();
        let p = &mut c.public;
        let field = [
            &mut p.msa_head,
            &mut p.seller_head,
            &mut p.buyer_head,
            &mut p.chain,
            &mut p.seed,
            &mut p.blocks,
        ]
        .into_iter()
        .chain(p.sums.iter_mut())
        .chain([&mut p.over, &mut p.period_start, &mut p.period_end])
        .nth(k)
        .expect("13 inputs");
        *field += Fr::from(1u64);
        assert!(!link_ok(&c), "link: input {k} changed");
    }
}

/// Changes each of `honest`'s witness values by one, on every core, and asks `refused` whether
/// the changed circuit is refused as it must be (`labels` names each value). Returns how many.
fn walk<C: Clone + Sync>(
    honest: &C,
    labels: Vec<String>,
    change: impl Fn(&mut C, usize) + Sync,
    check: impl Fn(&C, &str) + Sync,
) -> usize {
    labels
        .par_iter()
        .enumerate()
        .map(|(k, label)| {
            let mut c = honest.clone();
            change(&mut c, k);
            check(&c, label);
        })
        .count()
}

fn labels(mut values: Vec<(String, &mut Fr)>) -> Vec<String> {
    values.drain(..).map(|(l, _)| l).collect()
}

#[test]
fn any_changed_witness_value_is_refused_but_unused_slots_thresholds() {
    let r = Case::new(&OVER).build();
    // The first block (all slots used) and the last (slot 8 used, three empty).
    for j in [0, 2] {
        let honest = &r.blocks[j];
        let tried = walk(
            honest,
            labels(honest.assignment.clone().values_mut()),
            |c: &mut ReconcileBlockCircuit, k| *c.assignment.values_mut()[k].1 += Fr::from(1u64),
            |c, label| {
                let free = j == 2 && (1..4).any(|i| label.starts_with(&format!("threshold {i}.")));
                assert_eq!(block_ok(c), free, "block {j}: {label} changed");
            },
        );
        assert!(tried > 80, "{tried}");
    }
    let tried = walk(
        &r.link,
        labels(r.link.assignment.clone().values_mut()),
        |c: &mut ReconcileLinkCircuit, k| *c.assignment.values_mut()[k].1 += Fr::from(1u64),
        |c, label| assert!(!link_ok(c), "link: {label} changed"),
    );
    assert!(tried > 50, "{tried}");
}

#[test]
fn thresholds_other_than_the_msa_s_are_refused() {
    // A prover who loosens voice-4's threshold (block 1) to 50% and proves every block from it:
    // the blocks hold, but its chain is not the one in the anchored MSA's head.
    let case = Case::new(&OVER);
    let mut loose = case.msa.clone();
    loose.terms.dispute_thresholds.as_mut().unwrap().products[6] = Some(Threshold {
        amount_minor: None,
        share_ppm: Some(500_000),
    });
    let cheat = case.build_with(&loose).expect("reconciles");
    assert_eq!(cheat.verdict.slots_over(), [8]);
    assert!(cheat.blocks.iter().all(block_ok));
    assert!(link_ok(&cheat.link), "it holds against its own MSA's head");
    // The public check: the MSA's head is not the anchored one.
    assert_eq!(
        cheat.public.check(&case.tops()),
        Err(ReconcileRefusal::Top("MSA commitment"))
    );
    // With the anchored head in its link, the link cannot open the loosened chain.
    let honest = case.build();
    let mut link = cheat.link.clone();
    link.public.msa_head = honest.public.msa.head;
    assert!(!link_ok(&link));
    // Nor can the honest link take the loosened chain's commitment.
    let mut link = honest.link.clone();
    link.public.chain = cheat.public.chains[3];
    assert!(!link_ok(&link));
    // A block cannot start from another point of the chain: block 1 from the chain's start.
    let mut b = honest.blocks[1].clone();
    b.public.chain_in = honest.public.chains[0];
    assert!(!block_ok(&b));
    // Block 0 must start at the chain's start: from any other value, with both chain
    // commitments made for it, it is refused (block 1 is satisfied from its own start).
    let commit =
        |c: Fr, salt: Fr| poseidon::hash(&[tag_fe(tag::MSA_THRESHOLD_CHAIN), Fr::from(1u64), c, salt]);
    for j in [0, 1] {
        let mut b = honest.blocks[j].clone();
        assert_eq!(
            commit(b.assignment.chain_in, b.assignment.chain_salts[0]),
            b.public.chain_in
        );
        let start = Fr::from(12_345u64);
        let end = b
            .assignment
            .thresholds
            .iter()
            .fold(start, |c, [x, y, z]| poseidon::hash(&[c, *x, *y, *z]));
        b.assignment.chain_in = start;
        b.public.chain_in = commit(start, b.assignment.chain_salts[0]);
        b.public.chain_out = commit(end, b.assignment.chain_salts[1]);
        assert_eq!(block_ok(&b), j == 1, "block {j} from another start");
    }
}

#[test]
fn the_public_check_refuses_other_documents_parts_and_rings_that_do_not_vanish() {
    let case = Case::new(&OVER);
    let r = case.build();
    let tops = case.tops();
    let refused = |f: &dyn Fn(&mut zkinvoice_verifier::partition::reconcile::PartitionedReconcilePublic)| {
        let mut p = r.public.clone();
        f(&mut p);
        p.check(&tops).unwrap_err()
    };
    assert_eq!(
        refused(&|p| p.msa.parts.swap(0, 1)),
        ReconcileRefusal::Top("MSA commitment")
    );
    assert_eq!(
        refused(&|p| std::mem::swap(&mut p.seller, &mut p.buyer)),
        ReconcileRefusal::Top("Seller's invoice commitment")
    );
    assert_eq!(
        refused(&|p| p.buyer.parts[2] += Fr::from(1u64)),
        ReconcileRefusal::Top("Buyer's invoice commitment")
    );
    for ring in 0..4 {
        let got = refused(&|p| p.sums[ring].0[1] += Fr::from(1u64));
        assert!(matches!(got, ReconcileRefusal::Ring(_)), "ring {ring}: {got:?}");
    }
    assert!(matches!(
        refused(&|p| {
            p.chains.pop();
        }),
        ReconcileRefusal::Count {
            what: "chains",
            expected: 4,
            found: 3
        }
    ));
    assert!(matches!(
        refused(&|p| p.products_over.push(false)),
        ReconcileRefusal::Count {
            what: "productsOver",
            ..
        }
    ));
    assert_eq!(refused(&|p| p.msa.parts.clear()), ReconcileRefusal::Empty);
    // Another invoice in the Buyer's place (another number, the same usage): its parts are not
    // the anchored ones.
    let other = Case {
        msa: case.msa.clone(),
        invoices: [
            case.invoices[0].clone(),
            october_invoice(&case.msa, &OVER, "INV-2-B"),
        ],
    };
    assert_eq!(
        other.build().public.check(&tops),
        Err(ReconcileRefusal::Top("Buyer's invoice commitment"))
    );
    // The JSON form reads back, and refuses unknown keys.
    let text = serde_json::to_string(&r.public).unwrap();
    assert_eq!(
        serde_json::from_str::<zkinvoice_verifier::partition::reconcile::PartitionedReconcilePublic>(&text)
            .unwrap(),
        r.public
    );
    let extra = text.replacen('{', "{\"extra\":1,", 1);
    assert!(
        serde_json::from_str::<zkinvoice_verifier::partition::reconcile::PartitionedReconcilePublic>(&extra)
            .is_err()
    );
}

#[test]
fn the_builder_refuses_what_the_native_reconciliation_refuses() {
    let case = Case::new(&OVER);
    let mut bare = case.msa.clone();
    bare.terms.dispute_thresholds = None;
    assert!(case.build_with(&bare).is_err(), "no thresholds");
    let mut later = case.invoices[1].clone();
    later.period.start = later.period.start.succ_opt().unwrap();
    let other = Case {
        msa: case.msa.clone(),
        invoices: [case.invoices[0].clone(), later],
    };
    assert!(other.build_with(&other.msa).is_err(), "another period");
    let mut stranger = case.invoices[1].clone();
    stranger.buyer_id = "someone-else".into();
    let other = Case {
        msa: case.msa.clone(),
        invoices: [case.invoices[0].clone(), stranger],
    };
    assert!(other.build_with(&other.msa).is_err(), "another buyer");
}

#[test]
fn the_partitioned_verdict_is_the_v1_verdict_of_the_same_invoices() {
    // The example MSA (four products, one block at PS) and the v1 reconciliation's measurements.
    let msa = example_msa();
    let seller = october_invoice(
        &msa,
        &[(0, 40_000), (2, 120_000), (2, 30_000), (3, 900_000)],
        "INV-1",
    );
    for buyer in [
        [(0, 40_000), (2, 119_000), (2, 30_000), (3, 899_960)],
        [(0, 40_000), (2, 20_000), (2, 30_000), (3, 900_000)],
    ] {
        let buyer = october_invoice(&msa, &buyer, "B");
        let (s0, s1, s2) = (salt(1), salt(2), salt(3));
        let r = PartitionedReconcileOpening {
            shape: PS,
            msa: &msa,
            msa_salt: &s0,
            seller: (&seller, &s1),
            buyer: (&buyer, &s2),
            seed: Fr::from(7u64),
        }
        .build()
        .unwrap();
        let v1 = reconcile(&msa, &seller, &buyer).unwrap();
        assert_eq!(r.verdict, v1);
        assert_eq!(r.public.products_over[..4], v1.products[..]);
        assert!(r.blocks.iter().all(block_ok) && link_ok(&r.link));
    }
}

/// `Poseidon(tag, len, body, salt)`: a part's commitment, recomputed for a changed body.
fn recommit(tag: &str, body: &[Fr], salt: Fr) -> Fr {
    let mut input = vec![tag_fe(tag), Fr::from(body.len() as u64)];
    input.extend_from_slice(body);
    input.push(salt);
    poseidon::hash(&input)
}

#[test]
fn invoices_of_other_products_or_parties_or_billing_an_empty_slot_are_refused() {
    let r = Case::new(&OVER).build();
    // The Buyer's block 0 bills voice-0's amounts as `rec` (slot 1's id in slot 2), recommitted.
    let honest = &r.blocks[0];
    let a = &honest.assignment;
    assert_eq!(
        recommit(tag::INVOICE_BLOCK, &a.invoices[1], a.invoice_salts[1]),
        honest.public.buyer_block
    );
    let mut c = honest.clone();
    c.assignment.invoices[1][6] = c.assignment.invoices[1][3];
    c.public.buyer_block = recommit(tag::INVOICE_BLOCK, &c.assignment.invoices[1], a.invoice_salts[1]);
    assert!(!block_ok(&c), "another product's id");
    // The Buyer's block 2 bills 1 minor unit of usage in empty slot 1, recommitted, its usage
    // share made to match.
    let mut c = r.blocks[2].clone();
    c.assignment.invoices[1][5] += Fr::from(1u64);
    c.public.buyer_block = recommit(
        tag::INVOICE_BLOCK,
        &c.assignment.invoices[1],
        c.assignment.invoice_salts[1],
    );
    c.public.sums[2] += Fr::from(1u64);
    assert!(!block_ok(&c), "an empty slot billed");
    // The Buyer's head names another buyer, agreement, currency or its digits, recommitted.
    let honest = &r.link;
    let a = &honest.assignment;
    assert_eq!(
        recommit(tag::INVOICE_HEAD, &a.invoices[1], a.invoice_salts[1]),
        honest.public.buyer_head
    );
    for (field, what) in [
        (0, "seller"),
        (1, "buyer"),
        (2, "agreement"),
        (8, "currency"),
        (9, "digits"),
    ] {
        let mut c = honest.clone();
        c.assignment.invoices[1][field] += Fr::from(1u64);
        c.public.buyer_head = recommit(tag::INVOICE_HEAD, &c.assignment.invoices[1], a.invoice_salts[1]);
        assert!(!link_ok(&c), "another {what}");
    }
}
