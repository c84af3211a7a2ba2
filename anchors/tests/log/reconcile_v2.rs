//! The reconciliation of partitioned invoices in the log (partition shape PS): the testkit's nine
//! products with thresholds in each block anchored with its partition key set; the reconciliation
//! key set agreed (`statement-key-agreed` of `zkinvoice/reconcile/v2`; v1's key refused for a
//! partitioned MSA, a key set of another hash refused); both parties' measurements of October
//! proven as partitioned invoices (`usage-measured`); their reconciliation, over on two products
//! and the usage charges, anchored as `dispute-opened` naming its verdict's digest, and refused
//! as `usage-reconciled`, with another `over`, of another period, of another Buyer invoice, with a
//! block's proof swapped or a malformed proof; the audit replays it. A measurement within every
//! threshold is anchored as `usage-reconciled` and refused as a dispute.

use std::sync::OnceLock;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{Body, Fr, KeySetup, Proposal, ReconcileRule, Role, Rule};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    partition::PartitionShape,
    rate, Invoice, Layout, Msa, Salt, VolumeState,
};
use zkinvoice_prover::{
    partition::{self, NoStore, PartitionKeys},
    reconcile::partitioned::PartitionedReconcileKeys,
    ProveRequest,
};
use zkinvoice_testkit::model::{
    october, thresholded_partitioned_msa, usage, PARTITIONED_OVER, PARTITIONED_SELLER, PARTITIONED_WITHIN,
};
use zkinvoice_verifier::{
    partition::reconcile::{PartitionedReconcileProof, ReconcileProofError, ReconcileRefusal},
    InvoiceVerifyingKeys,
};

use crate::assert_refused;
use crate::common::*;

const START: &str = "2026-10-01";
const END: &str = "2026-11-01";

/// The bilateral, its keys and bodies.
struct World {
    msa_agreed: Body,
    keys_agreed: Body,
    /// `statement-key-agreed` of a v1 reconciliation key, for the same MSA.
    v1_key: Body,
    /// The measurements: the Seller's, the Buyer's over, the Buyer's within.
    measured: [Body; 3],
    /// The reconciliations of the Seller's with each Buyer's measurement.
    over: PartitionedReconcileProof,
    within: PartitionedReconcileProof,
}

/// The measurement of `records` by `by`, proven as a partitioned invoice from `state_0`: its
/// `usage-measured` body, the invoice and its salt.
fn measure(
    keys: &PartitionKeys,
    (msa, msa_salt, before): (&Msa, &Salt, &StateOpening),
    records: &[(usize, u64)],
    by: Role,
    rng: &mut ChaCha20Rng,
) -> (Body, Invoice, Salt) {
    let layout = Layout::Partitioned(keys.shape);
    let u = usage(msa, october(), records);
    let usage_salt = Salt::random(rng);
    let uc = commit::usage_commitment(before.msa_commitment, msa, &u, layout, &usage_salt).unwrap();
    let number = format!("M-{}", by.as_str());
    let run = partition::Run {
        invoice_salt: Salt::random(rng),
        after_salt: Salt::random(rng),
        store: &NoStore,
        only: None,
    };
    let req = ProveRequest {
        msa,
        msa_salt,
        usage: &u,
        usage_salt: &usage_salt,
        expected_usage: Some(uc),
        before,
        invoice_number: &number,
    };
    let env = partition::prove(keys, &req, &run, rng, &|_| {}, &|_| {})
        .unwrap()
        .unwrap()
        .envelope;
    let invoice = rate(msa, &u, &before.state, &number).unwrap().invoice;
    let body = Body::usage_measured(&env.public_inputs, START, END, by, &env.proof);
    (body, invoice, run.invoice_salt)
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(1616);
        let shape = PartitionShape::PS;
        let layout = Layout::Partitioned(shape);
        let pk = PartitionKeys::generate(shape, &mut rng).unwrap();
        let rk = PartitionedReconcileKeys::generate(shape, &mut rng).unwrap();
        let msa = thresholded_partitioned_msa();
        let msa_salt = Salt::random(&mut rng);
        let msa_c = commit::msa_commitment(&msa, layout, &msa_salt).unwrap();
        let before =
            StateOpening::new(msa_c, VolumeState::initial(&msa), layout, Salt::random(&mut rng)).unwrap();
        let opening = (&msa, &msa_salt, &before);
        let (s, s_inv, s_salt) = measure(&pk, opening, &PARTITIONED_SELLER, Role::Seller, &mut rng);
        let (b, b_inv, b_salt) = measure(&pk, opening, &PARTITIONED_OVER, Role::Buyer, &mut rng);
        let (w, w_inv, w_salt) = measure(&pk, opening, &PARTITIONED_WITHIN, Role::Buyer, &mut rng);
        let mut reconcile = |buyer: (&Invoice, &Salt)| {
            let p = rk
                .prove(&msa, &msa_salt, (&s_inv, &s_salt), buyer, &mut rng)
                .unwrap();
            PartitionedReconcileProof {
                public: p.public,
                proofs: p.proofs,
            }
        };
        let over = reconcile((&b_inv, &b_salt));
        let within = reconcile((&w_inv, &w_salt));
        let mut rng1 = ChaCha20Rng::seed_from_u64(1617);
        let v1 =
            zkinvoice_prover::reconcile::ReconcileKeys::generate(zkinvoice_circuits::Shape::S, &mut rng1)
                .unwrap();
        World {
            msa_agreed: Body::msa_agreed(
                &msa.id,
                msa_c.0,
                before.commitment.0,
                "PS",
                &InvoiceVerifyingKeys::from(pk.key_set().unwrap()),
                KeySetup::SingleParty,
            ),
            keys_agreed: Body::reconcile_keys_agreed(msa_c.0, &rk.key_set(), KeySetup::SingleParty),
            v1_key: Body::statement_key_agreed(msa_c.0, v1.verifying_key(), KeySetup::SingleParty),
            measured: [s, b, w],
            over,
            within,
        }
    })
}

fn by(body: Body, role: Role) -> Proposal {
    let secret = match role {
        Role::Seller => seller(),
        Role::Buyer => buyer(),
    };
    Proposal::new(body).signed(role, &secret)
}

/// A log with the MSA, its reconciliation keys and the Seller's and `buyer`'s measurements.
fn measured_log(dir: &std::path::Path, buyer: usize) -> zkinvoice_anchors::AnchorLog {
    let w = world();
    let log = new_log(&dir.join("log.db"));
    log.append(signed(w.msa_agreed.clone())).unwrap();
    log.append(signed(w.keys_agreed.clone())).unwrap();
    log.append(by(w.measured[0].clone(), Role::Seller)).unwrap();
    log.append(by(w.measured[buyer].clone(), Role::Buyer)).unwrap();
    log
}

fn dispute(p: &PartitionedReconcileProof) -> Body {
    Body::partitioned_reconciliation(p, START, END, Role::Buyer)
}

#[test]
fn only_the_partitioned_key_set_of_its_hash_is_agreed() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let log = new_log(&dir.path().join("log.db"));
    log.append(signed(w.msa_agreed.clone())).unwrap();
    assert_refused!(
        &log,
        signed(w.v1_key.clone()),
        (
            2,
            Rule::Reconcile(ReconcileRule::ReconcileKeyOfAnotherProtocol {
                partitioned: true,
                ..
            })
        )
    );
    let mut bad = w.keys_agreed.clone();
    if let Body::StatementKeyAgreed { vk_hash, .. } = &mut bad {
        *vk_hash = "00".repeat(32);
    }
    assert_refused!(&log, signed(bad), (2, Rule::VkHashMismatch { .. }));
    log.append(signed(w.keys_agreed.clone())).unwrap();
    assert_refused!(
        &log,
        signed(w.keys_agreed.clone()),
        (
            3,
            Rule::Reconcile(ReconcileRule::StatementKeyAlreadyAgreed { seq: 2, .. })
        )
    );
}

#[test]
fn a_dispute_over_partitioned_invoices_is_anchored_and_nothing_else_is() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let log = measured_log(dir.path(), 1);
    let p = &w.over;
    assert!(!p.public.within());
    // As a reconciliation: the proof says over.
    let mut as_within = dispute(p);
    if let Body::DisputeOpened {
        msa_commitment,
        period_start,
        period_end,
        by,
        proof,
        ..
    } = as_within.clone()
    {
        as_within = Body::UsageReconciled {
            msa_commitment,
            period_start,
            period_end,
            by,
            proof,
        };
    }
    assert_refused!(
        &log,
        by(as_within, Role::Buyer),
        (5, Rule::Reconcile(ReconcileRule::ProvenOver))
    );
    // Another `over` than the verdict's digest.
    let mut other = dispute(p);
    if let Body::DisputeOpened { over, .. } = &mut other {
        *over += Fr::from(1u64);
    }
    assert_refused!(
        &log,
        by(other, Role::Buyer),
        (5, Rule::Reconcile(ReconcileRule::OverNotTheVerdict { .. }))
    );
    // Its public values of another period.
    let mut q = p.clone();
    q.public.period_end += 1;
    assert_refused!(
        &log,
        by(dispute(&q), Role::Buyer),
        (5, Rule::Reconcile(ReconcileRule::ProofOfAnotherPeriod { .. }))
    );
    // The within reconciliation's parts (another Buyer invoice than the one measured).
    let mut q = p.clone();
    q.public.buyer = w.within.public.buyer.clone();
    assert_refused!(
        &log,
        by(dispute(&q), Role::Buyer),
        (
            5,
            Rule::Reconcile(ReconcileRule::PartitionedProofDoesNotVerify {
                error: ReconcileProofError::Public(ReconcileRefusal::Top("Buyer's invoice commitment")),
                ..
            })
        )
    );
    // Two blocks' proofs swapped.
    let mut q = p.clone();
    q.proofs.blocks.swap(0, 2);
    assert_refused!(
        &log,
        by(dispute(&q), Role::Buyer),
        (
            5,
            Rule::Reconcile(ReconcileRule::PartitionedProofDoesNotVerify {
                error: ReconcileProofError::Block(0, _),
                ..
            })
        )
    );
    // A v1 reconciliation proof's bytes.
    let mut q = dispute(p);
    if let Body::DisputeOpened { proof, .. } = &mut q {
        *proof = p.proofs.link.to_base64();
    }
    assert_refused!(&log, by(q, Role::Buyer), (5, Rule::MalformedProof(_)));

    let entry = log.append(by(dispute(p), Role::Buyer)).unwrap();
    assert_eq!(entry.seq, 5);
    let report = log.audit(&mut ChaCha20Rng::seed_from_u64(7)).unwrap();
    assert!(report.is_clean(), "{report:?}");
    // Three partitioned invoices' worth of proofs are the measurements', then the reconciliation.
    assert_refused!(
        &log,
        by(dispute(p), Role::Buyer),
        (6, Rule::Reconcile(ReconcileRule::AlreadyReconciled { .. }))
    );
}

#[test]
fn measurements_within_every_threshold_are_reconciled_not_disputed() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let log = measured_log(dir.path(), 2);
    let p = &w.within;
    assert!(p.public.within());
    let body = Body::partitioned_reconciliation(p, START, END, Role::Seller);
    assert!(matches!(body, Body::UsageReconciled { .. }));
    let Body::UsageReconciled {
        msa_commitment,
        period_start,
        period_end,
        proof,
        ..
    } = body.clone()
    else {
        unreachable!()
    };
    let as_dispute = Body::DisputeOpened {
        msa_commitment,
        period_start,
        period_end,
        by: Role::Seller,
        over: p.public.over_digest(),
        proof,
    };
    assert_refused!(
        &log,
        by(as_dispute, Role::Seller),
        (5, Rule::Reconcile(ReconcileRule::ProvenWithin))
    );
    log.append(by(body, Role::Seller)).unwrap();
    assert!(log.audit(&mut ChaCha20Rng::seed_from_u64(8)).unwrap().is_clean());
}
