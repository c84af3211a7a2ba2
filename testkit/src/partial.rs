//! The example bilateral's January invoiced in part (seeded; `docs/lifecycle.md`, "Partial and
//! final invoices"): while January's dispute over `ip-transit` is open ([`crate::reconciled`]),
//! both parties agree the Seller's January usage without IP transit, and the Seller proves its
//! invoice from `state_0` (twice, under two numbers, for tests of the once-only rule).

use std::sync::OnceLock;

use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use zkinvoice_anchors::{Body, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Invoice, Usage,
};
use zkinvoice_mef141::{CustomerBill, ZkProof};
use zkinvoice_prover::{ProofEnvelope, ProveRequest};

use crate::{
    bilateral::bilateral,
    model::usage,
    reconciled::{prove_measurement, reconciled, SELLER_RECORDS},
};

/// The slot of the product January's dispute holds open (`ip-transit`).
pub const HELD: usize = 2;

/// January's partial usage and its invoices.
pub struct Partial {
    /// The partial usage: the Seller's January records but [`HELD`]'s.
    pub usage: Usage,
    /// Its `usage-partial` body.
    pub usage_partial: Body,
    /// Its invoice (`INV-2027-01-P`), proved from `state_0`.
    pub invoice: ProofEnvelope,
    /// The same usage's invoice under another number (`INV-2027-01-Q`), from `state_0`.
    pub again: ProofEnvelope,
}

impl Partial {
    /// The `invoice-partial` of `env` (one of this period's), signed by the Seller.
    pub fn proposal(&self, env: &ProofEnvelope) -> Proposal {
        let w = bilateral();
        let p = reconciled().january.period;
        let body = Body::invoice_partial(
            &env.public_inputs,
            &env.invoice.number,
            p.start.to_string(),
            p.end.to_string(),
            &env.proof,
        );
        Proposal::new(body).signed(Role::Seller, &w.seller)
    }

    /// The final invoice's `invoice-proved` (the Seller's January measurement, which rates the
    /// resolved usage from `state_0`), signed by the Seller.
    pub fn final_proposal(&self) -> Proposal {
        let s = &reconciled().january.seller;
        let body = Body::invoice_proved(
            &s.public_inputs,
            &s.invoice.number,
            &s.invoice.period.start,
            &s.invoice.period.end,
            &s.proof,
        );
        Proposal::new(body).signed(Role::Seller, &bilateral().seller)
    }

    /// The `usage-partial`, signed by both.
    pub fn usage_proposal(&self) -> Proposal {
        let w = bilateral();
        Proposal::new(self.usage_partial.clone())
            .signed(Role::Seller, &w.seller)
            .signed(Role::Buyer, &w.buyer)
    }
}

/// The MEF 141 bill (as issued, `category` `normal`) of an envelope of the example bilateral.
pub fn bill(env: &ProofEnvelope) -> CustomerBill {
    let msa = &bilateral().msa;
    let invoice = Invoice::from_doc(&env.invoice).expect("the envelope's invoice");
    let salt = crate::bilateral::invoice_salt(env);
    let after = StateOpening::from_doc(msa, &env.state_after).expect("the state after");
    CustomerBill::from_proved(&invoice, msa, &after.state, ZkProof::of_envelope(env, &salt)).expect("a bill")
}

/// The test binary's [`Partial`], made once.
pub fn partial() -> &'static Partial {
    static P: OnceLock<Partial> = OnceLock::new();
    P.get_or_init(build)
}

fn build() -> Partial {
    let (w, r) = (bilateral(), reconciled());
    let mut rng = ChaCha20Rng::seed_from_u64(7981);
    let records: Vec<_> = SELLER_RECORDS
        .iter()
        .copied()
        .filter(|&(slot, _)| slot != HELD)
        .collect();
    let u = usage(&w.msa, r.january.period, &records);
    let msa = (&w.msa, &w.msa_salt);
    let m = prove_measurement(&w.keys, msa, &w.state0, &u, "INV-2027-01-P", &mut rng);
    let again = zkinvoice_prover::prove(
        &w.keys,
        &ProveRequest {
            msa: &w.msa,
            msa_salt: &w.msa_salt,
            usage: &u,
            usage_salt: &m.usage_salt,
            expected_usage: Some(m.usage),
            before: &w.state0,
            invoice_number: "INV-2027-01-Q",
        },
        &mut rng,
    )
    .expect("proves again");
    let usage_partial = Body::UsagePartial {
        msa_commitment: w.msa_commitment.0,
        period_start: r.january.period.start.to_string(),
        period_end: r.january.period.end.to_string(),
        usage_commitment: m.usage.0,
        usage_detail_root: hex::encode(commit::usage_detail_root(&u, &m.usage_salt)),
    };
    Partial {
        usage: u,
        usage_partial,
        invoice: m.proved.envelope,
        again: again.envelope,
    }
}
