//! Proofs and public inputs (an envelope's or a bill's `proof` and `publicInputs`, an
//! `invoice-proved` entry's `proof`): the options byte picks the parser, the rest is its input.
//!
//! * 0: `InvoiceProof::from_bytes` (a valid proof must re-encode to the same bytes);
//! * 1: `InvoiceProof::from_base64` (and back);
//! * 2: `InvoicePublicInputs::from_json` (and back);
//! * 3: `fr_from_hex` (and back, up to the case of the digits);
//! * 4: a proof's 192 bytes then public inputs in JSON, verified under the fixture key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_fuzz::vk;
use zkinvoice_verifier::{fr_from_hex, fr_to_hex, verify, InvoiceProof, InvoicePublicInputs, PROOF_BYTES};

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    match mode % 5 {
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
            let _ = verify(vk(), &proof, &inputs);
        }
    }
});
