//! The example bilateral's reconciliations (seeded; `docs/lifecycle.md`): after the entries of
//! [`crate::bilateral`], the parties agree a reconciliation key (shape S, a single-party setup),
//! both measure December, within every threshold, and reconcile it, then agree the Seller's usage;
//! both measure January, the Buyer's IP transit a third of the Seller's, and the Buyer opens a
//! dispute over `ip-transit`, which both resolve on the Seller's usage, then agree it.

use std::sync::OnceLock;

use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use zkinvoice_anchors::{Body, KeySetup, Proposal, Role};
use zkinvoice_circuits::{commit, Commitment, Period, Salt, Shape, Usage};
use zkinvoice_prover::reconcile::{ProvedReconciliation, ReconcileKeys, ReconcileVerifyingKey};
use zkinvoice_verifier::{InvoiceProof, ReconcilePublicInputs};

use crate::bilateral::{bilateral, Bilateral};
use crate::model::rated;

/// The Seller's measurement of each period: `(slot, quantity)`.
pub const SELLER_RECORDS: &[(usize, u64)] = &[(0, 40_000), (2, 150_000), (3, 900_000)];
/// The Buyer's measurement of December: within every threshold of the Seller's.
pub const BUYER_DECEMBER: &[(usize, u64)] = &[(0, 40_000), (2, 149_000), (3, 899_960)];
/// The Buyer's measurement of January: a third of the Seller's IP transit (over its threshold).
pub const BUYER_JANUARY: &[(usize, u64)] = &[(0, 40_000), (2, 50_000), (3, 900_000)];

/// One period's measurements and their reconciliation proof.
pub struct Measured {
    /// The period.
    pub period: Period,
    /// The Seller's usage commitment.
    pub seller_usage: Commitment,
    /// The Buyer's.
    pub buyer_usage: Commitment,
    /// The reconciliation's public inputs.
    pub public: ReconcilePublicInputs,
    /// Its proof.
    pub proof: InvoiceProof,
}

/// The reconciliations of the example bilateral.
pub struct Reconciled {
    /// The reconciliation statement's verifying key.
    pub key: ReconcileVerifyingKey,
    /// December: within.
    pub december: Measured,
    /// January: over `ip-transit`.
    pub january: Measured,
    /// The proposals after the bilateral's agreed entries, in order, each signed as its kind
    /// requires: statement-key-agreed; December's two usage-measured, usage-reconciled (by the
    /// Seller) and usage-agreed (the Seller's usage); January's two usage-measured,
    /// dispute-opened (by the Buyer), dispute-resolved and usage-agreed (the resolved usage).
    pub proposals: Vec<Proposal>,
}

/// The test binary's [`Reconciled`], made once.
pub fn reconciled() -> &'static Reconciled {
    static WORLD: OnceLock<Reconciled> = OnceLock::new();
    WORLD.get_or_init(build)
}

/// A period's two measurements, rated and committed, and the proof of their reconciliation; the
/// Seller's usage and its salt.
fn measure(
    w: &Bilateral,
    keys: &ReconcileKeys,
    period: &str,
    buyer: &[(usize, u64)],
    rng: &mut ChaCha20Rng,
) -> (Measured, Usage, Salt) {
    let period: Period = period.parse().expect("a period");
    let (su, si) = rated(&w.msa, period, SELLER_RECORDS, "S-1");
    let (bu, bi) = rated(&w.msa, period, buyer, "B-1");
    let [s0, s1, s2, s3] = [0; 4].map(|_| Salt::random(rng));
    let uc = |u: &Usage, s: &Salt| {
        commit::usage_commitment(w.msa_commitment, &w.msa, u, Shape::S, s).expect("commits")
    };
    let proved: ProvedReconciliation = keys
        .prove(&w.msa, &w.msa_salt, (&si, &s2), (&bi, &s3), rng)
        .expect("proves");
    let measured = Measured {
        period,
        seller_usage: uc(&su, &s0),
        buyer_usage: uc(&bu, &s1),
        public: proved.public,
        proof: proved.proof,
    };
    (measured, su, s0)
}

/// `b` signed by both parties.
fn both(w: &Bilateral, b: Body) -> Proposal {
    Proposal::new(b)
        .signed(Role::Seller, &w.seller)
        .signed(Role::Buyer, &w.buyer)
}

/// `b` signed by `role`.
fn by(w: &Bilateral, role: Role, b: Body) -> Proposal {
    let key = match role {
        Role::Seller => &w.seller,
        Role::Buyer => &w.buyer,
    };
    Proposal::new(b).signed(role, key)
}

/// A period's proposals: both measurements, the reconciliation (within) or the dispute and its
/// resolution on the Seller's usage (over), and the agreed usage (the Seller's).
fn period_proposals(w: &Bilateral, m: &Measured, usage: &Usage, salt: &Salt) -> Vec<Proposal> {
    let msa = w.msa_commitment.0;
    let (start, end) = (m.period.start.to_string(), m.period.end.to_string());
    let measured = |role: Role, usage: Commitment, invoice| {
        let body = Body::UsageMeasured {
            msa_commitment: msa,
            period_start: start.clone(),
            period_end: end.clone(),
            by: role,
            usage_commitment: usage.0,
            invoice_commitment: invoice,
        };
        by(w, role, body)
    };
    let mut out = vec![
        measured(Role::Seller, m.seller_usage, m.public.seller_invoice),
        measured(Role::Buyer, m.buyer_usage, m.public.buyer_invoice),
    ];
    if m.public.over == zkinvoice_verifier::Fr::from(0u64) {
        let body = Body::UsageReconciled {
            msa_commitment: msa,
            period_start: start.clone(),
            period_end: end.clone(),
            by: Role::Seller,
            proof: m.proof.to_base64(),
        };
        out.push(by(w, Role::Seller, body));
    } else {
        let body = Body::DisputeOpened {
            msa_commitment: msa,
            period_start: start.clone(),
            period_end: end.clone(),
            by: Role::Buyer,
            over: m.public.over,
            proof: m.proof.to_base64(),
        };
        out.push(by(w, Role::Buyer, body));
        let body = Body::DisputeResolved {
            msa_commitment: msa,
            period_start: start.clone(),
            period_end: end.clone(),
            usage_commitment: m.seller_usage.0,
            resolution: "the Buyer's probe missed two links' IP transit; the Seller's usage stands".into(),
        };
        out.push(both(w, body));
    }
    out.push(both(
        w,
        Body::UsageAgreed {
            msa_commitment: msa,
            period_start: start,
            period_end: end,
            usage_commitment: m.seller_usage.0,
            usage_detail_root: hex::encode(commit::usage_detail_root(usage, salt)),
        },
    ));
    out
}

fn build() -> Reconciled {
    let w = bilateral();
    let mut rng = ChaCha20Rng::seed_from_u64(16);
    let keys = ReconcileKeys::generate(Shape::S, &mut rng).expect("a setup");
    let mut proposals = vec![both(
        w,
        Body::statement_key_agreed(w.msa_commitment.0, keys.verifying_key(), KeySetup::SingleParty),
    )];
    let (december, dec_usage, dec_salt) =
        measure(w, &keys, "2026-12-01..2027-01-01", BUYER_DECEMBER, &mut rng);
    let (january, jan_usage, jan_salt) = measure(w, &keys, "2027-01-01..2027-02-01", BUYER_JANUARY, &mut rng);
    proposals.extend(period_proposals(w, &december, &dec_usage, &dec_salt));
    proposals.extend(period_proposals(w, &january, &jan_usage, &jan_salt));
    Reconciled {
        key: keys.verifying_key().clone(),
        december,
        january,
        proposals,
    }
}
