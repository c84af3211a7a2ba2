//! A proof envelope (`verify --envelope`, `invoice --envelope`, `anchors propose --envelope`):
//! `ProofEnvelope` from JSON, the Buyer's check (`zkinvoice_check::check` with the fixture key:
//! `Received::of_envelope(..).opened()`, then the proof), and what `invoice` does with an envelope
//! that opens: its state after, the MEF 141 bill, and the invoice read back from that bill, which
//! must be the envelope's.
//!
//! Options byte, then the file. Bit 0 set: the target first commits to the envelope's own invoice
//! and state after (as a Seller with a wrong rater would), so everything after the openings is
//! reached with invoices the fuzzer made.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_check::{check, Agreed, Received};
use zkinvoice_circuits::{
    commit::{invoice_commitment, state_commitment, StateOpening},
    model::from_json,
    Invoice, Salt, Shape, VolumeState,
};
use zkinvoice_fuzz::{msa, options_and_text, vk};
use zkinvoice_mef141::{CustomerBill, ZkProof};
use zkinvoice_prover::ProofEnvelope;

/// Commits to the envelope's own invoice and state after, where they are well-formed.
fn recommit(env: &mut ProofEnvelope) {
    let Ok(shape) = env.shape.parse::<Shape>() else {
        return;
    };
    let opening = env.invoice.commitment.as_ref().map(|o| o.salt.parse::<Salt>());
    if let (Ok(invoice), Some(Ok(salt))) = (Invoice::from_doc(&env.invoice), opening) {
        if let Ok(c) = invoice_commitment(&invoice, shape, &salt) {
            env.public_inputs.invoice_commitment = c.0;
        }
    }
    let s = &mut env.state_after;
    let state = VolumeState::from_map(msa(), s.index, &s.volumes);
    if let (Ok(state), Ok(salt), Ok(shape)) = (state, s.salt.parse::<Salt>(), s.shape.parse::<Shape>()) {
        if let Ok(c) = state_commitment(s.msa_commitment, &state, shape, &salt) {
            s.commitment = c;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((options, text)) = options_and_text(data) else {
        return;
    };
    let Ok(mut env) = from_json::<ProofEnvelope>(text) else {
        return;
    };
    if options & 1 == 1 {
        recommit(&mut env);
    }
    let _ = check(vk(), &Received::of_envelope(&env), &Agreed::default());
    let Ok((invoice, salt)) = Received::of_envelope(&env).opened() else {
        return;
    };
    let msa = msa();
    let Ok(after) = StateOpening::from_doc(msa, &env.state_after) else {
        return;
    };
    let zk = ZkProof {
        scheme: env.scheme.clone(),
        shape: env.shape.clone(),
        vk_hash: env.vk_hash.clone(),
        proof: env.proof.clone(),
        public_inputs: env.public_inputs,
        invoice_salt: salt.to_hex(),
    };
    let Ok(bill) = CustomerBill::from_proved(&invoice, msa, &after.state, zk) else {
        return;
    };
    // The bill names the MSA's parties: only an invoice between them can be read back as itself.
    if invoice.seller_id != msa.seller.id || invoice.buyer_id != msa.buyer.id {
        return;
    }
    let json = serde_json::to_string(&bill).expect("a bill serialises");
    let bill: CustomerBill = serde_json::from_str(&json).expect("a bill reads back");
    for m in [None, Some(msa)] {
        if let Ok((read, read_salt)) = bill.to_invoice(m) {
            assert_eq!(read, invoice, "the bill states another invoice than the envelope's");
            assert_eq!(read_salt, salt);
        }
    }
});
