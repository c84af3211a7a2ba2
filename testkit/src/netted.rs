//! Two bilaterals in opposite directions between the same parties, for netting (seeded): the
//! example bilateral ([`crate::bilateral`], October's invoice) and the reverse MSA's
//! (`examples/msa-reverse.json`: the Buyer sells to the Seller, with the same two signing keys),
//! October's reverse invoice proved and accepted; the netting key of shape S agreed in both logs,
//! and the netting of the two October invoices proved.

use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};

use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use zkinvoice_anchors::{AnchorLog, Body, KeySetup, PartySecret, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Commitment, Msa, Salt, Shape, VolumeState,
};
use zkinvoice_prover::{
    netting::{NettingEnvelope, NettingKeys, ProvedNetting},
    ProofEnvelope, ProveRequest,
};
use zkinvoice_verifier::Fr;

use crate::{
    bilateral::{agree_usages, bilateral, Bilateral},
    keycache::Made,
    model::{october, reverse_msa, usage},
};

/// The reverse bilateral and the netting.
pub struct Netted {
    /// The reverse MSA.
    pub msa: Msa,
    /// Its commitment (shape S).
    pub msa_commitment: Commitment,
    /// The reverse log's entries: msa-agreed, October's usage-agreed, invoice-proved and
    /// invoice-accepted (signed by the example's Seller as this log's Buyer), and the netting key.
    pub entries: Vec<u8>,
    /// October's reverse invoice envelope.
    pub envelope: ProofEnvelope,
    /// The netting keys (shape S).
    pub keys: NettingKeys,
    /// The directory of their files ([`crate::keycache`]).
    pub key_files: PathBuf,
    /// The netting of the example's October invoice and the reverse one.
    pub proved: ProvedNetting,
    /// Its envelope.
    pub netting: NettingEnvelope,
}

impl Netted {
    /// The reverse invoice's commitment.
    pub fn invoice(&self) -> Fr {
        self.envelope.public_inputs.invoice_commitment
    }

    /// A new reverse log at `path` (its Seller the example's Buyer) with [`Self::entries`].
    pub fn log(&self, path: &Path) -> AnchorLog {
        let w = bilateral();
        let log = AnchorLog::create(path, &w.buyer.public(), &w.seller.public()).expect("log");
        log.import_jsonl(&mut &self.entries[..]).expect("imports");
        log
    }

    /// The `statement-key-agreed` of the netting key for `msa`, signed by both parties of a log
    /// whose Seller is `seller_is_example_seller`'s.
    pub fn key_agreed(&self, msa: Fr, seller_is_example_seller: bool) -> Proposal {
        let w = bilateral();
        let (s, b) = if seller_is_example_seller {
            (&w.seller, &w.buyer)
        } else {
            (&w.buyer, &w.seller)
        };
        Proposal::new(Body::statement_key_agreed(
            msa,
            self.keys.verifying_key(),
            KeySetup::SingleParty,
        ))
        .signed(Role::Seller, s)
        .signed(Role::Buyer, b)
    }
}

/// The test binary's [`Netted`], made once.
pub fn netted() -> &'static Netted {
    static WORLD: OnceLock<Netted> = OnceLock::new();
    WORLD.get_or_init(build)
}

/// The netting keys, and the netting of the example's October invoice with `reverse` proved.
fn net(
    reverse: &ProofEnvelope,
    rng: &mut ChaCha20Rng,
) -> (Made<NettingKeys>, ProvedNetting, NettingEnvelope) {
    let made = crate::keycache::setup("netted", Shape::S, rng, |r| NettingKeys::generate(Shape::S, r));
    let keys = &made.keys;
    let forward = &bilateral().october_envelope;
    let invoice = |e: &ProofEnvelope| zkinvoice_circuits::Invoice::from_doc(&e.invoice).expect("invoice");
    let (fi, ri) = (invoice(forward), invoice(reverse));
    let proved = keys
        .prove(
            (&fi, &crate::bilateral::invoice_salt(forward)),
            (&ri, &crate::bilateral::invoice_salt(reverse)),
            rng,
        )
        .expect("nets");
    let period = zkinvoice_circuits::model::period::PeriodDoc {
        start: "2026-10-01".into(),
        end: "2026-11-01".into(),
    };
    let envelope = NettingEnvelope::new(&proved, period, keys);
    (made, proved, envelope)
}

/// `env`'s `invoice-proved` (by `parties.0`, the Seller) and `invoice-accepted` (by the Buyer)
/// appended to `log`.
fn proved_and_accepted(log: &AnchorLog, env: &ProofEnvelope, parties: (&PartySecret, &PartySecret)) {
    let (seller, buyer) = parties;
    let i = &env.invoice;
    let body = Body::invoice_proved(
        &env.public_inputs,
        &i.number,
        &i.period.start,
        &i.period.end,
        &env.proof,
    );
    log.append(Proposal::new(body).signed(Role::Seller, seller))
        .expect("invoice-proved");
    log.append(
        Proposal::new(Body::InvoiceAccepted {
            msa_commitment: env.public_inputs.msa_commitment,
            invoice_commitment: env.public_inputs.invoice_commitment,
        })
        .signed(Role::Buyer, buyer),
    )
    .expect("accepted");
}

fn build() -> Netted {
    let w: &Bilateral = bilateral();
    let mut rng = ChaCha20Rng::seed_from_u64(8_6_3);
    let shape = Shape::S;
    let msa = reverse_msa();
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
    // The reverse log: its Seller is the example's Buyer.
    let (seller, buyer) = (&w.buyer, &w.seller);
    let log = AnchorLog::create(&dir.path().join("r.db"), &seller.public(), &buyer.public()).expect("log");
    let both = |b: Body| {
        Proposal::new(b)
            .signed(Role::Seller, seller)
            .signed(Role::Buyer, buyer)
    };
    log.append(both(Body::msa_agreed(
        &msa.id,
        msa_commitment.0,
        state0.commitment.0,
        shape.name,
        &w.keys.verifying.clone().into(),
        KeySetup::SingleParty,
    )))
    .expect("msa-agreed");
    let used = usage(&msa, october(), &[(0, 61_250)]);
    let (usage_salt, uc) = agree_usages(
        &log,
        &both,
        &msa,
        msa_commitment,
        std::slice::from_ref(&used),
        &mut rng,
    )
    .pop()
    .expect("one");
    let proved = zkinvoice_prover::prove(
        &w.keys,
        &ProveRequest {
            msa: &msa,
            msa_salt: &msa_salt,
            usage: &used,
            usage_salt: &usage_salt,
            expected_usage: Some(uc),
            before: &state0,
            invoice_number: "GX-2026-10",
        },
        &mut rng,
    )
    .expect("proves");
    let env = proved.envelope;
    proved_and_accepted(&log, &env, (seller, buyer));
    let (Made { keys, dir: key_files }, proved_net, netting) = net(&env, &mut rng);
    let mut out = Netted {
        msa,
        msa_commitment,
        entries: Vec::new(),
        envelope: env,
        keys,
        key_files,
        proved: proved_net,
        netting,
    };
    log.append(out.key_agreed(msa_commitment.0, false))
        .expect("netting key");
    log.export_jsonl(&mut out.entries).expect("exports");
    out
}
