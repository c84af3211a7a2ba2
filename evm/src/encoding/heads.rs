//! The calldata of a netting of two partitioned invoices (what `NettingHeadsVerifier.verifyProof`
//! takes as `proof`, and `InvoiceAnchor.recordNetting` passes on): both invoices' parts, then the
//! proof.

use zkinvoice_verifier::{partition::Parts, InvoiceProof};

use super::{
    count_at, count_word, fr_from_word, fr_word, proof_calldata, proof_from_calldata, PROOF_CALLDATA_BYTES,
};
use crate::error::EvmError;

const WHAT: &str = "netting-of-partitioned-invoices calldata";

/// `n1`, `n2` (each invoice's number of blocks) as 32-byte words; the first invoice's
/// `invoice_head` and its `n1` `invoice_block`s, the second's head and its `n2` blocks as 32-byte
/// big-endian words; then the proof's [`proof_calldata`]. `parts` in the public inputs' order
/// (the first invoice's, then the second's), as the netting envelope's `invoiceParts`.
pub fn netting_heads_calldata(proof: &InvoiceProof, parts: &[Parts; 2]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(&count_word(p.parts.len() as u64));
    }
    for x in parts
        .iter()
        .flat_map(|p| std::iter::once(&p.head).chain(&p.parts))
    {
        out.extend_from_slice(&fr_word(x));
    }
    out.extend_from_slice(&proof_calldata(proof));
    out
}

/// Decodes [`netting_heads_calldata`]: both counts at least 1, a length exactly what they make,
/// every word below r, every point of the proof valid.
pub fn netting_heads_from_calldata(bytes: &[u8]) -> Result<(InvoiceProof, [Parts; 2]), EvmError> {
    let (Some(n1), Some(n2)) = (count_at(bytes, 0), count_at(bytes, 32)) else {
        return Err(EvmError::malformed(
            WHAT,
            "no block counts, or counts beyond 64 bits",
        ));
    };
    let due = (n1 as usize)
        .checked_add(n2 as usize)
        .and_then(|n| n.checked_add(4))
        .and_then(|w| w.checked_mul(32))
        .and_then(|w| w.checked_add(PROOF_CALLDATA_BYTES));
    if n1 == 0 || n2 == 0 || due != Some(bytes.len()) {
        return Err(EvmError::malformed(
            WHAT,
            format!("{} bytes for {n1} and {n2} blocks", bytes.len()),
        ));
    }
    let mut at = 64;
    let mut parts = |n: usize| -> Result<Parts, EvmError> {
        let words = (0..=n)
            .map(|i| fr_from_word(&bytes[at + 32 * i..at + 32 * i + 32], WHAT))
            .collect::<Result<Vec<_>, _>>()?;
        at += 32 * (n + 1);
        Ok(Parts {
            head: words[0],
            parts: words[1..].to_vec(),
        })
    };
    let first = parts(n1 as usize)?;
    let second = parts(n2 as usize)?;
    let proof = proof_from_calldata(&bytes[bytes.len() - PROOF_CALLDATA_BYTES..])?;
    Ok((proof, [first, second]))
}

#[cfg(test)]
mod tests {
    use ark_ec::AffineRepr;
    use zkinvoice_verifier::Fr;

    use super::*;

    fn proof() -> InvoiceProof {
        InvoiceProof::from(ark_groth16::Proof {
            a: ark_bls12_381::G1Affine::generator(),
            b: ark_bls12_381::G2Affine::generator(),
            c: ark_bls12_381::G1Affine::generator(),
        })
    }

    fn parts() -> [Parts; 2] {
        let fr = |v: u64| Fr::from(v);
        [
            Parts {
                head: fr(1),
                parts: vec![fr(2)],
            },
            Parts {
                head: fr(3),
                parts: vec![fr(4), fr(5), -fr(1)],
            },
        ]
    }

    #[test]
    fn the_parts_and_the_proof_round_trip_in_their_order() {
        let bytes = netting_heads_calldata(&proof(), &parts());
        assert_eq!(bytes.len(), 32 * (2 + 2 + 4) + PROOF_CALLDATA_BYTES);
        assert_eq!(count_at(&bytes, 0), Some(1));
        assert_eq!(count_at(&bytes, 32), Some(3));
        assert_eq!(bytes[64 + 31], 1, "the first head first");
        assert_eq!(bytes[128 + 31], 3, "then its block, then the second head");
        assert_eq!(netting_heads_from_calldata(&bytes), Ok((proof(), parts())));
    }

    #[test]
    fn malformed_calldata_is_refused_naming_why() {
        let good = netting_heads_calldata(&proof(), &parts());
        let refused = |bytes: &[u8], why: &str| {
            let e = netting_heads_from_calldata(bytes).unwrap_err().to_string();
            assert!(e.contains(WHAT) && e.contains(why), "{why}: {e}");
        };
        refused(&[], "no block counts");
        refused(&good[..good.len() - 1], "bytes for 1 and 3 blocks");
        refused(
            &[good.as_slice(), &[0u8; 32]].concat(),
            "bytes for 1 and 3 blocks",
        );
        let mut zero = good.clone();
        zero[31] = 0;
        refused(&zero, "for 0 and 3 blocks");
        let mut huge = good.clone();
        huge[0] = 1;
        refused(&huge, "beyond 64 bits");
        let mut above = good.clone();
        above[96..128].fill(0xff);
        refused(&above, "not below r");
        let mut point = good.clone();
        let at = point.len() - 1;
        point[at] ^= 1;
        assert!(
            netting_heads_from_calldata(&point).is_err(),
            "a point off its curve"
        );
    }
}
