//! The example bilateral as the services see it (seeded): keys of shape S, the example MSA, both
//! parties' signing keys, the entries both hold before any invoice (msa-agreed and two months'
//! usage-agreed), and October and November proved as `invoice-proved` proposals and MEF 141
//! bills.

use std::{path::Path, sync::OnceLock};

use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use zkinvoice_anchors::{AnchorLog, Body, KeySetup, PartySecret, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Commitment, Msa, Salt, Shape, Usage, VolumeState,
};
use zkinvoice_mef141::{CustomerBill, ZkProof};
use zkinvoice_prover::{InvoiceKeys, ProofEnvelope, ProveRequest, Proved};
use zkinvoice_verifier::InvoiceVerifyingKey;

use crate::examples::{weekly_usage, MSA};

/// The proved bilateral.
pub struct Bilateral {
    /// The example MSA.
    pub msa: Msa,
    /// Its salt.
    pub msa_salt: Salt,
    /// Its commitment (shape S).
    pub msa_commitment: Commitment,
    /// The verifying key (shape S).
    pub vk: InvoiceVerifyingKey,
    /// The keys (shape S).
    pub keys: InvoiceKeys,
    /// `state_0`, opened.
    pub state0: StateOpening,
    /// The Seller's signing key.
    pub seller: PartySecret,
    /// The Buyer's signing key.
    pub buyer: PartySecret,
    /// The entries both parties hold before any invoice: msa-agreed and both months' usage-agreed.
    pub agreed: Vec<u8>,
    /// October's invoice-proved entry (signed by the Seller), as a proposal.
    pub october_proved: Proposal,
    /// November's, proved from October's state after.
    pub november_proved: Proposal,
    /// October's bill.
    pub october: CustomerBill,
    /// November's bill.
    pub november: CustomerBill,
    /// October's proof envelope.
    pub october_envelope: ProofEnvelope,
    /// November's proof envelope.
    pub november_envelope: ProofEnvelope,
}

/// The test binary's [`Bilateral`], made once.
pub fn bilateral() -> &'static Bilateral {
    static WORLD: OnceLock<Bilateral> = OnceLock::new();
    WORLD.get_or_init(build)
}

/// The salt of an envelope's invoice commitment (its opening).
pub fn invoice_salt(env: &ProofEnvelope) -> Salt {
    env.invoice
        .commitment
        .as_ref()
        .expect("an opening")
        .salt
        .parse()
        .expect("a salt")
}

/// A proved invoice's bill, and its `invoice-proved` proposal signed by the Seller.
fn bill_and_proposal(proved: &Proved, msa: &Msa, seller: &PartySecret) -> (CustomerBill, Proposal) {
    let env = &proved.envelope;
    let salt = invoice_salt(env);
    let zk = ZkProof::of_envelope(env, &salt);
    let bill = CustomerBill::from_proved(&proved.rated.invoice, msa, &proved.after.state, zk).expect("bill");
    let body = Body::invoice_proved(
        &env.public_inputs,
        &env.invoice.number,
        &env.invoice.period.start,
        &env.invoice.period.end,
        &env.proof,
    );
    (bill, Proposal::new(body).signed(Role::Seller, seller))
}

/// Both parties agree each month's usage in `log`: the salts and commitments.
pub(crate) fn agree_usages(
    log: &AnchorLog,
    both: &dyn Fn(Body) -> Proposal,
    msa: &Msa,
    msa_commitment: Commitment,
    usages: &[Usage],
    rng: &mut ChaCha20Rng,
) -> Vec<(Salt, Commitment)> {
    let mut salts = Vec::new();
    for usage in usages {
        let salt = Salt::random(rng);
        let uc = commit::usage_commitment(msa_commitment, msa, usage, Shape::S, &salt).expect("usage");
        log.append(both(Body::UsageAgreed {
            msa_commitment: msa_commitment.0,
            period_start: usage.period.start.to_string(),
            period_end: usage.period.end.to_string(),
            usage_commitment: uc.0,
            usage_detail_root: hex::encode(commit::usage_detail_root(usage, &salt)),
        }))
        .expect("usage-agreed");
        salts.push((salt, uc));
    }
    salts
}

fn build() -> Bilateral {
    let mut rng = ChaCha20Rng::seed_from_u64(141);
    let shape = Shape::S;
    let msa = Msa::from_json(MSA).expect("example MSA");
    let keys = crate::keycache::setup("bilateral", shape, &mut rng, |r| InvoiceKeys::setup(shape, r)).keys;
    let (seller, buyer) = (
        PartySecret::from_bytes(&[1; 32]),
        PartySecret::from_bytes(&[2; 32]),
    );
    let msa_salt = Salt::random(&mut rng);
    let msa_commitment = commit::msa_commitment(&msa, shape, &msa_salt).expect("commits");
    let state0 = StateOpening::new(
        msa_commitment,
        VolumeState::initial(&msa),
        shape,
        Salt::random(&mut rng),
    )
    .expect("state");
    let dir = tempfile::tempdir().expect("temp dir");
    let log = AnchorLog::create(&dir.path().join("a.db"), &seller.public(), &buyer.public()).expect("log");
    let both = |b: Body| {
        Proposal::new(b)
            .signed(Role::Seller, &seller)
            .signed(Role::Buyer, &buyer)
    };
    log.append(both(Body::msa_agreed(
        &msa.id,
        msa_commitment.0,
        state0.commitment.0,
        shape.name,
        &keys.verifying.clone().into(),
        KeySetup::SingleParty,
    )))
    .expect("msa-agreed");
    let usages = weekly_usage(&msa);
    let salts = agree_usages(&log, &both, &msa, msa_commitment, &usages, &mut rng);
    let mut agreed = Vec::new();
    log.export_jsonl(&mut agreed).expect("exports");
    let mut before = state0.clone();
    let mut out = Vec::new();
    for (k, (usage, (salt, uc))) in usages.iter().zip(&salts).enumerate() {
        let number = format!("INV-{}-{:04}", usage.period.start.format("%Y%m"), k + 1);
        let proved = zkinvoice_prover::prove(
            &keys,
            &ProveRequest {
                msa: &msa,
                msa_salt: &msa_salt,
                usage,
                usage_salt: salt,
                expected_usage: Some(*uc),
                before: &before,
                invoice_number: &number,
            },
            &mut rng,
        )
        .expect("proves");
        let (bill, proposal) = bill_and_proposal(&proved, &msa, &seller);
        out.push((bill, proposal, proved.envelope.clone()));
        before = proved.after;
    }
    let (november, november_proved, november_envelope) = out.pop().expect("two");
    let (october, october_proved, october_envelope) = out.pop().expect("two");
    Bilateral {
        msa,
        msa_salt,
        msa_commitment,
        vk: keys.verifying.clone(),
        keys,
        state0,
        seller,
        buyer,
        agreed,
        october_proved,
        october_envelope,
        november_proved,
        november_envelope,
        october,
        november,
    }
}

impl Bilateral {
    /// A new anchor log at `path` holding the agreed entries.
    pub fn log(&self, path: &Path) -> AnchorLog {
        let log = AnchorLog::create(path, &self.seller.public(), &self.buyer.public()).expect("log");
        log.import_jsonl(&mut &self.agreed[..]).expect("imports");
        log
    }
}
