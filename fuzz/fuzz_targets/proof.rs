//! Proofs and public inputs (an envelope's or a bill's `proof` and `publicInputs`, an
//! `invoice-proved` entry's `proof`): the options byte picks the parser, the rest is its input.
//!
//! * 0: `InvoiceProof::from_bytes` (a valid proof must re-encode to the same bytes);
//! * 1: `InvoiceProof::from_base64` (and back);
//! * 2: `InvoicePublicInputs::from_json` (and back);
//! * 3: `fr_from_hex` (and back, up to the case of the digits);
//! * 4: a proof's 192 bytes then public inputs in JSON, verified under the fixture key;
//! * 5: `InvoiceProofs::from_bytes`: one proof, or a partitioned invoice's proofs (a valid value
//!   must re-encode to the same bytes), verified under the fixture key against zero inputs;
//! * 6: `InvoiceVerifyingKeys::from_bytes`: one key or a partition key set (the same);
//! * 7: `PartitionedReconcileProof::from_bytes` (a `usage-reconciled` or `dispute-opened` entry's
//!   `proof` of partitioned invoices; a valid value must re-encode to the same bytes), verified
//!   under the fixture reconciliation keys against the tops of its own parts;
//! * 8: `ReconcileKeySet::from_bytes` (the same; its hash as the set's).
//!
//! (Modes are the options byte modulo 9, so the corpus's seeds of modes 0 to 6 keep theirs.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_fuzz::{reconcile_v2_vks, vk};
use zkinvoice_verifier::{
    fr_from_hex, fr_to_hex,
    partition::reconcile::{PartitionedReconcileProof, ReconcileKeySet},
    Fr, InvoiceProof, InvoiceProofs, InvoicePublicInputs, InvoiceVerifyingKeys, PROOF_BYTES,
};

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    match mode % 9 {
        0 => {
            if let Ok(p) = InvoiceProof::from_bytes(input) {
                assert_eq!(p.to_bytes(), input, "a proof re-encodes to other bytes");
            }
        }
        1 => {
            if let Some(Ok(p)) = text(input).map(InvoiceProof::from_base64) {
                assert_eq!(InvoiceProof::from_base64(&p.to_base64()).ok(), Some(p));
            }
        }
        2 => {
            if let Some(Ok(i)) = text(input).map(InvoicePublicInputs::from_json) {
                assert_eq!(InvoicePublicInputs::from_json(&i.to_json()).ok(), Some(i));
            }
        }
        3 => {
            if let Some(t) = text(input) {
                if let Ok(fr) = fr_from_hex(t) {
                    assert_eq!(fr_to_hex(&fr), t.to_ascii_lowercase());
                }
            }
        }
        5 => {
            if let Ok(p) = InvoiceProofs::from_bytes(input) {
                assert_eq!(p.to_bytes(), input, "proofs re-encode to other bytes");
                let zero = InvoicePublicInputs {
                    msa_commitment: Fr::from(0u64),
                    usage_commitment: Fr::from(0u64),
                    state_before: Fr::from(0u64),
                    state_after: Fr::from(0u64),
                    invoice_commitment: Fr::from(0u64),
                };
                let _ = vk().verify(&p, &zero, &mut rand::rngs::OsRng);
            }
        }
        6 => {
            if let Ok(k) = InvoiceVerifyingKeys::from_bytes(input) {
                assert_eq!(k.to_bytes(), input, "keys re-encode to other bytes");
                let _ = k.prepare();
            }
        }
        7 => {
            if let Ok(p) = PartitionedReconcileProof::from_bytes(input) {
                assert_eq!(p.to_bytes(), input, "a reconciliation re-encodes to other bytes");
                let tops = p.public.tops();
                let _ = p.verify(&reconcile_v2_vks().keys, &tops);
            }
        }
        8 => {
            if let Ok(k) = ReconcileKeySet::from_bytes(input) {
                assert_eq!(k.to_bytes(), input, "a key set re-encodes to other bytes");
                assert_eq!(k.prepare().hash, k.hash());
            }
        }
        _ => {
            if input.len() < PROOF_BYTES {
                return;
            }
            let (proof, inputs) = input.split_at(PROOF_BYTES);
            let (Ok(proof), Some(Ok(inputs))) = (
                InvoiceProof::from_bytes(proof),
                text(inputs).map(InvoicePublicInputs::from_json),
            ) else {
                return;
            };
            let _ = zkinvoice_verifier::verify(vk().single().expect("a v1 key"), &proof, &inputs);
        }
    }
});
