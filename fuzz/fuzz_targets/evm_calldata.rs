//! The anchor contract's calldata, as the chain audit reads it back from a node's transactions
//! (`zkinvoice_evm::encoding`): the options byte picks the decoder, the rest is its input. Every
//! value a decoder accepts must encode to the same bytes.
//!
//! * 0: `proof_from_calldata` (a proof's 512 bytes, `A || B || C`);
//! * 1: `partitioned_from_calldata` (a partitioned invoice's proofs and public inputs, the sizes
//!   of partition shape PS);
//! * 2: `netting_heads_from_calldata` (the netting of two partitioned invoices: both invoices'
//!   parts, then the proof);
//! * 3: `g1_from_bytes` and `g2_from_bytes` (one EIP-2537 point).
//!
//! (Modes are the options byte modulo 4.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::partition::PartitionShape;
use zkinvoice_evm::encoding::{
    g1_bytes, g1_from_bytes, g2_bytes, g2_from_bytes, netting_heads_calldata, netting_heads_from_calldata,
    partitioned_calldata, partitioned_from_calldata, proof_calldata, proof_from_calldata,
};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => {
            if let Ok(p) = proof_from_calldata(input) {
                assert_eq!(proof_calldata(&p), input, "a proof re-encodes to other bytes");
            }
        }
        1 => {
            if let Ok(p) = partitioned_from_calldata(input, PartitionShape::PS.sizes()) {
                assert_eq!(partitioned_calldata(&p), input, "proofs re-encode to other bytes");
            }
        }
        2 => {
            if let Ok((proof, parts)) = netting_heads_from_calldata(input) {
                assert_eq!(
                    netting_heads_calldata(&proof, &parts),
                    input,
                    "a netting's calldata re-encodes to other bytes"
                );
            }
        }
        _ => {
            if let Ok(p) = g1_from_bytes(input, "fuzz") {
                assert_eq!(g1_bytes(&p), input, "a G1 point re-encodes to other bytes");
            }
            if let Ok(p) = g2_from_bytes(input, "fuzz") {
                assert_eq!(g2_bytes(&p), input, "a G2 point re-encodes to other bytes");
            }
        }
    }
});
