//! A proof envelope (`verify --envelope`, `invoice --envelope`, `anchors propose --envelope`):
//! `ProofEnvelope` from JSON, the Buyer's check (`zkinvoice_check::check` with the fixture key:
//! `Received::of_envelope(..).opened()`, then the proof), and what `invoice` does with an envelope
//! that opens: its state after, the MEF 141 bill, which the Buyer's check must open to the
//! envelope's invoice, and the invoice read back from that bill, which must be the envelope's.
//!
//! Options byte, then the file. Bit 0 set: the target first commits to the envelope's own invoice
//! and state after (as a Seller with a wrong rater would), so everything after the openings is
//! reached with invoices the fuzzer made.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_check::{check, Agreed, Opened, Received};
use zkinvoice_circuits::{
    commit::{invoice_commitment, state_commitment},
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
    let msa = msa();
    let received = Received::of_envelope(&env, msa);
    let _ = check(vk(), &received, &Agreed::default());
    let Ok(Opened {
        invoice, salt, after, ..
    }) = received.opened()
    else {
        return;
    };
    let zk = ZkProof::of_envelope(&env, &salt);

    let Ok(bill) = CustomerBill::from_proved(&invoice, msa, &after.state, zk) else {
        return;
    };
    let json = serde_json::to_string(&bill).expect("a bill serialises");
    let bill: CustomerBill = serde_json::from_str(&json).expect("a bill reads back");
    // What the Seller renders from an envelope that opens, the Buyer opens to the same invoice.
    let opened = Received::of_bill(&bill, msa)
        .opened()
        .expect("the bill of an envelope that opens opens");
    assert_eq!(
        opened.invoice, invoice,
        "the bill states another invoice than the envelope's"
    );
    assert_eq!(opened.salt, salt);
    let (read, read_salt) = bill.to_invoice(msa).expect("a bill that opens reads");
    assert_eq!(read, invoice);
    assert_eq!(read_salt, salt);
});
