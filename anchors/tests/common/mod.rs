//! Shared fixtures: the example bilateral on a tiny shape, two proved months, seeded party keys.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{AnchorLog, Body, Fr, KeySetup, PartySecret, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Msa, Salt, Shape, Usage, UsageFormat, VolumeState,
};
use zkinvoice_prover::{prove, InvoiceKeys, ProveRequest};
use zkinvoice_verifier::InvoiceVerifyingKey;

pub const TINY: Shape = Shape {
    name: "tiny",
    products: 4,
    tiers: 4,
    records: 15,
};

/// One proved month.
pub struct Month {
    pub start: String,
    pub end: String,
    pub usage_commitment: Fr,
    pub detail_root: String,
    pub number: String,
    /// The `invoice-proved` body.
    pub proved: Body,
    pub invoice_commitment: Fr,
    pub state_after: Fr,
}

pub struct Fixture {
    pub vk: InvoiceVerifyingKey,
    pub msa_id: String,
    pub msa_commitment: Fr,
    pub state0: Fr,
    pub months: Vec<Month>,
}

pub fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(make_fixture)
}

/// Only the verifying key (no proofs): for tests that anchor an MSA but prove nothing.
pub fn vk_only() -> &'static InvoiceVerifyingKey {
    static VK: OnceLock<InvoiceVerifyingKey> = OnceLock::new();
    VK.get_or_init(|| {
        InvoiceKeys::setup(TINY, &mut ChaCha20Rng::seed_from_u64(11))
            .unwrap()
            .verifying
    })
}

fn make_fixture() -> Fixture {
    let keys = InvoiceKeys::setup(TINY, &mut ChaCha20Rng::seed_from_u64(11)).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let msa = Msa::from_json(include_str!("../../../examples/msa.json")).unwrap();
    let oct = Usage::parse(
        include_str!("../../../examples/usage-2026-10.json"),
        UsageFormat::Json,
        &msa,
        None,
    )
    .unwrap();
    let nov = Usage::parse(
        include_str!("../../../examples/usage-2026-11.csv"),
        UsageFormat::Csv,
        &msa,
        Some("2026-11-01..2026-12-01".parse().unwrap()),
    )
    .unwrap();
    let msa_salt = Salt::random(&mut rng);
    let msa_c = commit::msa_commitment(&msa, TINY, &msa_salt).unwrap();
    let state0 = StateOpening::new(msa_c, VolumeState::initial(&msa), TINY, Salt::random(&mut rng)).unwrap();
    let mut before = state0.clone();
    let mut months = Vec::new();
    for (usage, number) in [(oct, "INV-2026-10"), (nov, "INV-2026-11")] {
        let usage = usage.aggregated(7).unwrap();
        let salt = Salt::random(&mut rng);
        let usage_c = commit::usage_commitment(msa_c, &msa, &usage, TINY, &salt).unwrap();
        let root = commit::usage_detail_root(&usage, &salt);
        let proved = prove(
            &keys,
            &ProveRequest {
                msa: &msa,
                msa_salt: &msa_salt,
                usage: &usage,
                usage_salt: &salt,
                expected_usage: Some(usage_c),
                before: &before,
                invoice_number: number,
            },
            &mut rng,
        )
        .unwrap();
        let e = &proved.envelope;
        months.push(Month {
            start: usage.period.start.to_string(),
            end: usage.period.end.to_string(),
            usage_commitment: usage_c.0,
            detail_root: hex::encode(root),
            number: number.into(),
            proved: Body::invoice_proved(
                &e.public_inputs,
                number,
                usage.period.start.to_string(),
                usage.period.end.to_string(),
                &e.proof,
            ),
            invoice_commitment: e.public_inputs.invoice_commitment,
            state_after: e.public_inputs.state_after,
        });
        before = proved.after;
    }
    Fixture {
        vk: keys.verifying.clone(),
        msa_id: msa.id.clone(),
        msa_commitment: msa_c.0,
        state0: state0.commitment.0,
        months,
    }
}

/// Seeded keys: the Seller, the Buyer and a third party.
pub fn parties() -> (PartySecret, PartySecret, PartySecret) {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let mut key = || {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        PartySecret::from_bytes(&b)
    };
    (key(), key(), key())
}

pub fn seller() -> PartySecret {
    parties().0
}

pub fn buyer() -> PartySecret {
    parties().1
}

pub fn third() -> PartySecret {
    parties().2
}

/// A new log of the Seller and the Buyer.
pub fn new_log(path: &Path) -> AnchorLog {
    AnchorLog::create(path, &seller().public(), &buyer().public()).unwrap()
}

/// Signed by the roles `body` requires.
pub fn signed(body: Body) -> Proposal {
    let mut p = Proposal::new(body);
    for role in p.body.required_roles().to_vec() {
        let secret = match role {
            Role::Seller => seller(),
            Role::Buyer => buyer(),
        };
        p.sign(role, &secret);
    }
    p
}

pub fn msa_body_with(vk: &InvoiceVerifyingKey, msa: Fr, state0: Fr) -> Body {
    Body::msa_agreed(
        "MSA-2026-0042",
        msa,
        state0,
        "tiny",
        &vk.clone().into(),
        KeySetup::SingleParty,
    )
}

pub fn msa_body() -> Body {
    let f = fixture();
    msa_body_with(&f.vk, f.msa_commitment, f.state0)
}

pub fn usage_body(month: usize) -> Body {
    let f = fixture();
    let m = &f.months[month];
    Body::UsageAgreed {
        msa_commitment: f.msa_commitment,
        period_start: m.start.clone(),
        period_end: m.end.clone(),
        usage_commitment: m.usage_commitment,
        usage_detail_root: m.detail_root.clone(),
    }
}

/// A usage agreement for month `i` (from 3000-01) with a made-up commitment.
pub fn synthetic_usage(msa: Fr, i: u64) -> Body {
    let (y, m) = (3000 + i / 12, 1 + i % 12);
    let (y2, m2) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Body::UsageAgreed {
        msa_commitment: msa,
        period_start: format!("{y:04}-{m:02}-01"),
        period_end: format!("{y2:04}-{m2:02}-01"),
        usage_commitment: Fr::from(1_000_000 + i),
        usage_detail_root: hex::encode([i as u8; 32]),
    }
}

pub fn accepted(month: usize) -> Body {
    let f = fixture();
    Body::InvoiceAccepted {
        msa_commitment: f.msa_commitment,
        invoice_commitment: f.months[month].invoice_commitment,
    }
}

pub fn rejected(month: usize, reason: &str) -> Body {
    let f = fixture();
    Body::InvoiceRejected {
        msa_commitment: f.msa_commitment,
        invoice_commitment: f.months[month].invoice_commitment,
        reason: reason.into(),
    }
}

/// The whole two-month flow: MSA, usage and invoice per month, October accepted, November
/// rejected: 7 entries.
pub fn full_flow() -> Vec<Proposal> {
    let f = fixture();
    vec![
        signed(msa_body()),
        signed(usage_body(0)),
        signed(f.months[0].proved.clone()),
        signed(accepted(0)),
        signed(usage_body(1)),
        signed(f.months[1].proved.clone()),
        signed(rejected(1, "disputed volume on ip-transit")),
    ]
}

/// `(len, head hash)`.
pub fn state(log: &AnchorLog) -> (u64, Option<[u8; 32]>) {
    (log.len().unwrap(), log.head().unwrap().map(|h| h.hash))
}
