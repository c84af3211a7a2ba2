//! October's invoice of the example bilateral ([`crate::bilateral`]) credited (seeded): the
//! credit-note keys of shape S, October's SLA performance (the Ethernet line at 99.42 percent,
//! below its 99.5 band: 25 percent of its charge; IP transit at 99.95, within its level), its
//! commitment, and the credit note proved.

use std::{path::PathBuf, sync::OnceLock};

use chrono::NaiveDate;
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use zkinvoice_anchors::{Body, KeySetup, Proposal, Role};
use zkinvoice_circuits::{
    commit::sla::sla_commitment, model::performance::Sla, Commitment, Invoice, Salt, Shape,
};
use zkinvoice_prover::credit::{CreditEnvelope, CreditInputs, CreditKeys, ProvedCredit};

use crate::{
    bilateral::bilateral,
    model::{october, sla},
};

/// The credit of October's invoice.
pub struct Credited {
    /// October's SLA performance.
    pub sla: Sla,
    /// Its salt.
    pub sla_salt: Salt,
    /// Its commitment (shape S).
    pub sla_commitment: Commitment,
    /// The credit-note keys (shape S).
    pub keys: CreditKeys,
    /// The directory of their files ([`crate::keycache`]).
    pub key_files: PathBuf,
    /// The credit note of October's invoice, proved.
    pub proved: ProvedCredit,
    /// Its envelope.
    pub envelope: CreditEnvelope,
}

impl Credited {
    /// The `statement-key-agreed` of the credit key, signed by both parties.
    pub fn key_agreed(&self) -> Proposal {
        let w = bilateral();
        Proposal::new(Body::statement_key_agreed(
            w.msa_commitment.0,
            self.keys.verifying_key(),
            KeySetup::SingleParty,
        ))
        .signed(Role::Seller, &w.seller)
        .signed(Role::Buyer, &w.buyer)
    }

    /// October's `sla-agreed`, signed by both parties.
    pub fn sla_agreed(&self) -> Proposal {
        let w = bilateral();
        Proposal::new(self.sla_body())
            .signed(Role::Seller, &w.seller)
            .signed(Role::Buyer, &w.buyer)
    }

    /// October's `sla-agreed` body.
    pub fn sla_body(&self) -> Body {
        Body::SlaAgreed {
            msa_commitment: bilateral().msa_commitment.0,
            period_start: "2026-10-01".into(),
            period_end: "2026-11-01".into(),
            sla_commitment: self.sla_commitment.0,
        }
    }

    /// The `credit-note` body of October's invoice.
    pub fn note_body(&self) -> Body {
        let e = &self.envelope;
        Body::credit_note(
            &e.public_inputs,
            (e.period.start.clone(), e.period.end.clone()),
            &e.proof,
        )
    }
}

/// The test binary's [`Credited`], made once.
pub fn credited() -> &'static Credited {
    static WORLD: OnceLock<Credited> = OnceLock::new();
    WORLD.get_or_init(build)
}

fn build() -> Credited {
    let w = bilateral();
    let mut rng = ChaCha20Rng::seed_from_u64(8_6_4);
    let made = crate::keycache::setup("credited", Shape::S, &mut rng, |r| {
        CreditKeys::generate(Shape::S, r)
    });
    let (keys, key_files) = (made.keys, made.dir);
    let performance = sla(
        &w.msa,
        october(),
        &[("eline-ovc-1g", "99.42"), ("ip-transit", "99.95")],
    );
    let sla_salt = Salt::random(&mut rng);
    let sla_c = sla_commitment(w.msa_commitment, &w.msa, &performance, Shape::S, &sla_salt).expect("commits");
    let env = &w.october_envelope;
    let invoice = Invoice::from_doc(&env.invoice).expect("invoice");
    let invoice_salt = crate::bilateral::invoice_salt(env);
    let inputs = CreditInputs {
        msa: (&w.msa, &w.msa_salt),
        invoice: (&invoice, &invoice_salt),
        sla: (&performance, &sla_salt),
    };
    let day = NaiveDate::from_ymd_opt(2026, 11, 2).expect("a day");
    let proved = keys
        .prove(inputs, ("CN-2026-10", day), &mut rng)
        .expect("credits");
    let envelope = CreditEnvelope::new(&proved, &keys);
    Credited {
        sla: performance,
        sla_salt,
        sla_commitment: sla_c,
        keys,
        key_files,
        proved,
        envelope,
    }
}
