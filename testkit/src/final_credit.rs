//! January's final invoice credited (seeded; `docs/lifecycle.md`, "Partial and final
//! invoices"): January was invoiced in part ([`crate::partial`]), then finally from the Seller's
//! measurement ([`crate::reconciled`]); its SLA performance (the Ethernet line at 99.99 percent,
//! within its level; IP transit at 99.8, below its 99.9 band: 10 percent of its charge, which the
//! partial invoice left out, so the credit stays within what the final invoice leaves due) and
//! the credit note of the final invoice proved under [`crate::credited`]'s keys.

use std::sync::OnceLock;

use chrono::NaiveDate;
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use zkinvoice_anchors::{Body, Proposal, Role};
use zkinvoice_circuits::{commit::sla::sla_commitment, Invoice, Salt, Shape};
use zkinvoice_prover::credit::{CreditEnvelope, CreditInputs, ProvedCredit};

use crate::{bilateral::bilateral, credited::credited, model::sla, reconciled::reconciled};

/// The credit note of January's final invoice.
pub struct FinalCredit {
    /// January's `sla-agreed` body.
    pub sla_agreed: Body,
    /// The credit note of the final invoice, proved (`CN-2027-01`).
    pub proved: ProvedCredit,
    /// Its envelope.
    pub envelope: CreditEnvelope,
}

impl FinalCredit {
    /// January's `sla-agreed`, signed by both parties.
    pub fn sla_proposal(&self) -> Proposal {
        let w = bilateral();
        Proposal::new(self.sla_agreed.clone())
            .signed(Role::Seller, &w.seller)
            .signed(Role::Buyer, &w.buyer)
    }

    /// The `credit-note` of the final invoice, signed by the Seller.
    pub fn note_proposal(&self) -> Proposal {
        let e = &self.envelope;
        let body = Body::credit_note(
            &e.public_inputs,
            (e.period.start.clone(), e.period.end.clone()),
            &e.proof,
        );
        Proposal::new(body).signed(Role::Seller, &bilateral().seller)
    }
}

/// The test binary's [`FinalCredit`], made once.
pub fn final_credit() -> &'static FinalCredit {
    static C: OnceLock<FinalCredit> = OnceLock::new();
    C.get_or_init(build)
}

fn build() -> FinalCredit {
    let (w, c) = (bilateral(), credited());
    let january = &reconciled().january;
    let mut rng = ChaCha20Rng::seed_from_u64(8_6_4_1);
    let performance = sla(
        &w.msa,
        january.period,
        &[("eline-ovc-1g", "99.99"), ("ip-transit", "99.8")],
    );
    let sla_salt = Salt::random(&mut rng);
    let commitment =
        sla_commitment(w.msa_commitment, &w.msa, &performance, Shape::S, &sla_salt).expect("commits");
    let env = &january.seller;
    let invoice = Invoice::from_doc(&env.invoice).expect("the final invoice");
    let invoice_salt = crate::bilateral::invoice_salt(env);
    let inputs = CreditInputs {
        msa: (&w.msa, &w.msa_salt),
        invoice: (&invoice, &invoice_salt),
        sla: (&performance, &sla_salt),
    };
    let day = NaiveDate::from_ymd_opt(2027, 2, 3).expect("a day");
    let proved = c
        .keys
        .prove(inputs, ("CN-2027-01", day), &mut rng)
        .expect("credits");
    FinalCredit {
        sla_agreed: Body::SlaAgreed {
            msa_commitment: w.msa_commitment.0,
            period_start: january.period.start.to_string(),
            period_end: january.period.end.to_string(),
            sla_commitment: commitment.0,
        },
        envelope: CreditEnvelope::new(&proved, &c.keys),
        proved,
    }
}
