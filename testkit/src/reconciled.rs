//! The example bilateral's reconciliations (seeded; `docs/lifecycle.md`): after the entries of
//! [`crate::bilateral`], the parties agree a reconciliation key (shape S, a single-party setup),
//! both measure December (each proving the invoice it rates from its measurement from `state_0`),
//! within every threshold, and reconcile it, then agree the Seller's usage;
//! both measure January, the Buyer's IP transit a third of the Seller's, and the Buyer opens a
//! dispute over `ip-transit`, which both resolve on the Seller's usage, then agree it.

use std::sync::OnceLock;

use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use zkinvoice_anchors::{Body, KeySetup, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Commitment, Msa, Period, Salt, Shape, Usage,
};
use zkinvoice_prover::{
    reconcile::{ProvedReconciliation, ReconcileEnvelope, ReconcileKeys, ReconcileVerifyingKey},
    InvoiceKeys, ProofEnvelope, ProveRequest, Proved,
};
use zkinvoice_verifier::{InvoiceProof, ReconcilePublicInputs};

use crate::bilateral::{bilateral, Bilateral};
use crate::model::usage;

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
    /// The Seller's measurement proven with the invoice statement from `state_0`.
    pub seller: ProofEnvelope,
    /// The Buyer's.
    pub buyer: ProofEnvelope,
    /// The reconciliation's public inputs.
    pub public: ReconcilePublicInputs,
    /// Its proof.
    pub proof: InvoiceProof,
}

impl Measured {
    /// The reconciliation envelope of this period's proof (what `zkinvoice reconcile --prove`
    /// writes), under `key`.
    pub fn envelope(&self, key: &ReconcileVerifyingKey) -> ReconcileEnvelope {
        ReconcileEnvelope {
            scheme: zkinvoice_verifier::SCHEME.into(),
            statement: zkinvoice_circuits::statement::reconcile::STATEMENT.into(),
            shape: Shape::S.name.into(),
            vk_hash: key.hash_hex(),
            period: self.period.to_doc(),
            public_inputs: self.public,
            proof: self.proof.clone(),
        }
    }
}

/// The reconciliations of the example bilateral.
pub struct Reconciled {
    /// The reconciliation statement's verifying key.
    pub key: ReconcileVerifyingKey,
    /// The directory of its key files (`reconcile-S.vk`, [`crate::keycache`]).
    pub key_files: std::path::PathBuf,
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

/// A party's measurement, proven.
pub struct Measurement {
    /// The usage commitment.
    pub usage: Commitment,
    /// Its salt.
    pub usage_salt: Salt,
    /// The invoice rated from it, proven.
    pub proved: Proved,
    /// The salt of the invoice's commitment.
    pub invoice_salt: Salt,
}

/// A party's measurement `usage` committed under `msa` and proven with the invoice statement
/// from `before` (as `usage-measured` carries it).
pub fn prove_measurement(
    keys: &InvoiceKeys,
    (msa, msa_salt): (&Msa, &Salt),
    before: &StateOpening,
    usage: &Usage,
    number: &str,
    rng: &mut ChaCha20Rng,
) -> Measurement {
    let salt = Salt::random(rng);
    let uc =
        commit::usage_commitment(before.msa_commitment, msa, usage, keys.shape(), &salt).expect("commits");
    let proved = zkinvoice_prover::prove(
        keys,
        &ProveRequest {
            msa,
            msa_salt,
            usage,
            usage_salt: &salt,
            expected_usage: Some(uc),
            before,
            invoice_number: number,
        },
        rng,
    )
    .expect("proves the measurement");
    let invoice_salt = crate::bilateral::invoice_salt(&proved.envelope);
    Measurement {
        usage: uc,
        usage_salt: salt,
        proved,
        invoice_salt,
    }
}

/// A period's two measurements, proven from `state_0`, and the proof of their reconciliation;
/// the Seller's usage and its salt.
fn measure(
    w: &Bilateral,
    keys: &ReconcileKeys,
    period: &str,
    buyer: &[(usize, u64)],
    rng: &mut ChaCha20Rng,
) -> (Measured, Usage, Salt) {
    let period: Period = period.parse().expect("a period");
    let su = usage(&w.msa, period, SELLER_RECORDS);
    let bu = usage(&w.msa, period, buyer);
    let msa = (&w.msa, &w.msa_salt);
    let s = prove_measurement(&w.keys, msa, &w.state0, &su, "S-1", rng);
    let b = prove_measurement(&w.keys, msa, &w.state0, &bu, "B-1", rng);
    let proved: ProvedReconciliation = keys
        .prove(
            &w.msa,
            &w.msa_salt,
            (&s.proved.rated.invoice, &s.invoice_salt),
            (&b.proved.rated.invoice, &b.invoice_salt),
            rng,
        )
        .expect("proves");
    let measured = Measured {
        period,
        seller_usage: s.usage,
        buyer_usage: b.usage,
        seller: s.proved.envelope,
        buyer: b.proved.envelope,
        public: proved.public,
        proof: proved.proof,
    };
    (measured, su, s.usage_salt)
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
/// resolution on the Seller's usage (over), and the agreed usage (the Seller's, committed with
/// `salt`).
fn period_proposals(w: &Bilateral, m: &Measured, usage: &Usage, salt: &Salt) -> Vec<Proposal> {
    let msa = w.msa_commitment.0;
    let (start, end) = (m.period.start.to_string(), m.period.end.to_string());
    let measured = |role: Role, env: &ProofEnvelope| {
        let body = Body::usage_measured(&env.public_inputs, start.clone(), end.clone(), role, &env.proof);
        by(w, role, body)
    };
    let mut out = vec![measured(Role::Seller, &m.seller), measured(Role::Buyer, &m.buyer)];
    // Within, the Seller proves the reconciliation; over, the Buyer opens the dispute.
    let within = m.public.over == zkinvoice_verifier::Fr::from(0u64);
    let prover = if within { Role::Seller } else { Role::Buyer };
    let body = Body::reconciliation(&m.public, start.clone(), end.clone(), prover, &m.proof);
    out.push(by(w, prover, body));
    if !within {
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
    let made = crate::keycache::setup("reconciled", Shape::S, &mut rng, |r| {
        ReconcileKeys::generate(Shape::S, r)
    });
    let (keys, key_files) = (made.keys, made.dir);
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
        key_files,
        december,
        january,
        proposals,
    }
}
