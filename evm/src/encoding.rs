//! EIP-2537 encodings of BLS12-381 points and the proof's calldata.
//!
//! - A base field element is 64 bytes big-endian: 16 zero bytes, then its 48 bytes.
//! - A G1 point is `x || y` (128 bytes); a G2 point is `x.c0 || x.c1 || y.c0 || y.c1` (256 bytes,
//!   `c0` first). The point at infinity is all zeros.
//! - A proof is [`PROOF_CALLDATA_BYTES`] bytes: `A (G1) || B (G2) || C (G1)`, the points as the
//!   prover made them (nothing negated: the contract negates the key's G2 points instead).

use ark_bls12_381::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use zkinvoice_verifier::InvoiceProof;

use crate::error::EvmError;

mod heads;
pub use heads::{netting_heads_calldata, netting_heads_from_calldata};

/// Bytes of a base field element in the EIP-2537 encoding.
pub const FP_BYTES: usize = 64;
/// Bytes of a G1 point in the EIP-2537 encoding.
pub const G1_BYTES: usize = 2 * FP_BYTES;
/// Bytes of a G2 point in the EIP-2537 encoding.
pub const G2_BYTES: usize = 4 * FP_BYTES;
/// Bytes of a proof's calldata encoding: `A || B || C`.
pub const PROOF_CALLDATA_BYTES: usize = 2 * G1_BYTES + G2_BYTES;

/// The 64-byte EIP-2537 encoding of a base field element.
pub fn fp_bytes(x: &Fq) -> [u8; FP_BYTES] {
    let mut out = [0u8; FP_BYTES];
    let be = x.into_bigint().to_bytes_be();
    out[FP_BYTES - be.len()..].copy_from_slice(&be);
    out
}

/// The 128-byte EIP-2537 encoding of a G1 point (all zeros for the point at infinity).
pub fn g1_bytes(p: &G1Affine) -> [u8; G1_BYTES] {
    let mut out = [0u8; G1_BYTES];
    if let Some((x, y)) = p.xy() {
        out[..FP_BYTES].copy_from_slice(&fp_bytes(&x));
        out[FP_BYTES..].copy_from_slice(&fp_bytes(&y));
    }
    out
}

/// The 256-byte EIP-2537 encoding of a G2 point, `x.c0 || x.c1 || y.c0 || y.c1` (all zeros for
/// the point at infinity).
pub fn g2_bytes(p: &G2Affine) -> [u8; G2_BYTES] {
    let mut out = [0u8; G2_BYTES];
    if let Some((x, y)) = p.xy() {
        for (i, c) in [x.c0, x.c1, y.c0, y.c1].iter().enumerate() {
            out[i * FP_BYTES..(i + 1) * FP_BYTES].copy_from_slice(&fp_bytes(c));
        }
    }
    out
}

/// The calldata encoding of a proof: `A || B || C` ([`PROOF_CALLDATA_BYTES`] bytes).
pub fn proof_calldata(proof: &InvoiceProof) -> [u8; PROOF_CALLDATA_BYTES] {
    let p = proof.as_ark();
    let mut out = [0u8; PROOF_CALLDATA_BYTES];
    out[..G1_BYTES].copy_from_slice(&g1_bytes(&p.a));
    out[G1_BYTES..G1_BYTES + G2_BYTES].copy_from_slice(&g2_bytes(&p.b));
    out[G1_BYTES + G2_BYTES..].copy_from_slice(&g1_bytes(&p.c));
    out
}

/// Decodes a base field element from its 64-byte EIP-2537 encoding.
fn fp_from(bytes: &[u8], what: &str) -> Result<Fq, EvmError> {
    if bytes[..FP_BYTES - 48].iter().any(|b| *b != 0) {
        return Err(EvmError::malformed(
            what,
            "a field element's 16 padding bytes are not zero",
        ));
    }
    let value = Fq::from_be_bytes_mod_order(&bytes[FP_BYTES - 48..]);
    if value.into_bigint().to_bytes_be() != bytes[FP_BYTES - 48..] {
        return Err(EvmError::malformed(
            what,
            "a field element is not below the modulus",
        ));
    }
    Ok(value)
}

/// Decodes a G1 point from its 128-byte EIP-2537 encoding, checking it is on the curve and in the
/// prime-order subgroup.
pub fn g1_from_bytes(bytes: &[u8], what: &str) -> Result<G1Affine, EvmError> {
    if bytes.len() != G1_BYTES {
        return Err(EvmError::malformed(
            what,
            format!("{} bytes, expected {G1_BYTES}", bytes.len()),
        ));
    }
    if bytes.iter().all(|b| *b == 0) {
        return Ok(G1Affine::zero());
    }
    let p = G1Affine::new_unchecked(
        fp_from(&bytes[..FP_BYTES], what)?,
        fp_from(&bytes[FP_BYTES..], what)?,
    );
    check_point(
        p.is_on_curve(),
        p.is_in_correct_subgroup_assuming_on_curve(),
        what,
    )?;
    Ok(p)
}

/// Decodes a G2 point from its 256-byte EIP-2537 encoding, checking it is on the curve and in the
/// prime-order subgroup.
pub fn g2_from_bytes(bytes: &[u8], what: &str) -> Result<G2Affine, EvmError> {
    if bytes.len() != G2_BYTES {
        return Err(EvmError::malformed(
            what,
            format!("{} bytes, expected {G2_BYTES}", bytes.len()),
        ));
    }
    if bytes.iter().all(|b| *b == 0) {
        return Ok(G2Affine::zero());
    }
    let c = |i: usize| fp_from(&bytes[i * FP_BYTES..(i + 1) * FP_BYTES], what);
    let p = G2Affine::new_unchecked(Fq2::new(c(0)?, c(1)?), Fq2::new(c(2)?, c(3)?));
    check_point(
        p.is_on_curve(),
        p.is_in_correct_subgroup_assuming_on_curve(),
        what,
    )?;
    Ok(p)
}

fn check_point(on_curve: bool, in_subgroup: bool, what: &str) -> Result<(), EvmError> {
    if !on_curve {
        return Err(EvmError::malformed(what, "the point is not on the curve"));
    }
    if !in_subgroup {
        return Err(EvmError::malformed(
            what,
            "the point is not in the prime-order subgroup",
        ));
    }
    Ok(())
}

/// Decodes a proof from its calldata encoding ([`proof_calldata`]), validating every point as the
/// EIP-2537 pairing precompile does (on the curve, in the prime-order subgroup).
pub fn proof_from_calldata(bytes: &[u8]) -> Result<InvoiceProof, EvmError> {
    const WHAT: &str = "proof calldata";
    if bytes.len() != PROOF_CALLDATA_BYTES {
        return Err(EvmError::malformed(
            WHAT,
            format!("{} bytes, expected {PROOF_CALLDATA_BYTES}", bytes.len()),
        ));
    }
    let a = g1_from_bytes(&bytes[..G1_BYTES], WHAT)?;
    let b = g2_from_bytes(&bytes[G1_BYTES..G1_BYTES + G2_BYTES], WHAT)?;
    let c = g1_from_bytes(&bytes[G1_BYTES + G2_BYTES..], WHAT)?;
    Ok(InvoiceProof::from(ark_groth16::Proof { a, b, c }))
}

/// The calldata encoding of a partitioned invoice's proofs (what `PartitionVerifier.verifyProof`
/// takes as `proof`): `nb`, `nc`, `index` as 32-byte words; `msaHead`, `msaBlock[nb]`,
/// `usageHead`, `usageChunk[nc]`, `stateBefore[nb]`, `stateAfter[nb]`, `invoiceHead`,
/// `invoiceBlock[nb]`, `seed`, `y[nb + nc]`, `w[nb + 1]` as 32-byte big-endian words; then every
/// proof's [`proof_calldata`]: blocks, chunks, the link. The sizes are the verifier's own.
pub fn partitioned_calldata(p: &zkinvoice_verifier::partition::PartitionedProof) -> Vec<u8> {
    let q = &p.public;
    let mut out = Vec::new();
    for v in [q.blocks() as u64, q.chunks() as u64, q.index] {
        out.extend_from_slice(&count_word(v));
    }
    let lists: [&[zkinvoice_verifier::Fr]; 11] = [
        &[q.msa.head],
        &q.msa.parts,
        &[q.usage.head],
        &q.usage.parts,
        &q.state_before,
        &q.state_after,
        &[q.invoice.head],
        &q.invoice.parts,
        &[q.seed],
        &q.y,
        &q.w,
    ];
    for x in lists.iter().flat_map(|l| l.iter()) {
        out.extend_from_slice(&fr_word(x));
    }
    for proof in p
        .proofs
        .blocks
        .iter()
        .chain(&p.proofs.chunks)
        .chain([&p.proofs.link])
    {
        out.extend_from_slice(&proof_calldata(proof));
    }
    out
}

const PARTITIONED_WHAT: &str = "partitioned proof calldata";

/// `nb`, `nc` and `index` of [`partitioned_calldata`], checked: both counts at least 1 and the
/// length exactly what they make.
fn partition_counts(bytes: &[u8]) -> Result<(usize, usize, u64), EvmError> {
    let small = |at: usize| count_at(bytes, at);
    let (Some(nb), Some(nc), Some(index)) = (small(0), small(32), small(64)) else {
        return Err(EvmError::malformed(
            PARTITIONED_WHAT,
            "no counts, or counts beyond 64 bits",
        ));
    };
    let (nb, nc) = (nb as usize, nc as usize);
    let words = nb
        .checked_mul(6)
        .and_then(|x| x.checked_add(nc.checked_mul(2)?)?.checked_add(5));
    let due = words.and_then(|w| {
        96usize.checked_add(w.checked_mul(32)?)?.checked_add(
            nb.checked_add(nc)?
                .checked_add(1)?
                .checked_mul(PROOF_CALLDATA_BYTES)?,
        )
    });
    if nb == 0 || nc == 0 || due != Some(bytes.len()) {
        return Err(EvmError::malformed(
            PARTITIONED_WHAT,
            format!("{} bytes for {nb} blocks and {nc} chunks", bytes.len()),
        ));
    }
    Ok((nb, nc, index))
}

/// A scalar as a 32-byte big-endian word.
fn fr_word(x: &zkinvoice_verifier::Fr) -> [u8; 32] {
    let mut w = [0u8; 32];
    let be = x.into_bigint().to_bytes_be();
    w[32 - be.len()..].copy_from_slice(&be);
    w
}

/// A 32-byte big-endian word that must be below r (`what` names the encoding in the error).
fn fr_from_word(w: &[u8], what: &str) -> Result<zkinvoice_verifier::Fr, EvmError> {
    let v = zkinvoice_verifier::Fr::from_be_bytes_mod_order(w);
    if fr_word(&v) != w {
        return Err(EvmError::malformed(what, "a word is not below r"));
    }
    Ok(v)
}

/// A 32-byte big-endian word holding a count below 2^64.
fn count_word(v: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&v.to_be_bytes());
    w
}

/// The count in the 32-byte word at `at`, if there is one and it is below 2^64.
fn count_at(bytes: &[u8], at: usize) -> Option<u64> {
    let w = bytes.get(at..at + 32)?;
    w[..24]
        .iter()
        .all(|b| *b == 0)
        .then(|| u64::from_be_bytes(w[24..].try_into().expect("8 bytes")))
}

/// Decodes [`partitioned_calldata`] (the verifier's `sizes` are not in it): the counts, then a
/// length exactly what they make, every word below r, every point valid.
pub fn partitioned_from_calldata(
    bytes: &[u8],
    sizes: zkinvoice_verifier::partition::PartitionSizes,
) -> Result<zkinvoice_verifier::partition::PartitionedProof, EvmError> {
    use zkinvoice_verifier::partition::{PartitionProofs, PartitionedProof, PartitionedPublic, Parts};
    use zkinvoice_verifier::Fr;
    let (nb, nc, index) = partition_counts(bytes)?;
    let mut at = 96;
    let mut frs = |n: usize| -> Result<Vec<Fr>, EvmError> {
        let v = (0..n)
            .map(|i| fr_from_word(&bytes[at + 32 * i..at + 32 * i + 32], PARTITIONED_WHAT))
            .collect();
        at += 32 * n;
        v
    };
    let msa = frs(1 + nb)?;
    let usage = frs(1 + nc)?;
    let state_before = frs(nb)?;
    let state_after = frs(nb)?;
    let invoice = frs(1 + nb)?;
    let seed = frs(1)?[0];
    let y = frs(nb + nc)?;
    let w = frs(nb + 1)?;
    let mut proofs = bytes[at..]
        .chunks(PROOF_CALLDATA_BYTES)
        .map(proof_from_calldata)
        .collect::<Result<Vec<_>, _>>()?;
    let link = proofs.pop().expect("one proof per partition");
    let chunks = proofs.split_off(nb);
    let parts = |v: Vec<Fr>| Parts {
        head: v[0],
        parts: v[1..].to_vec(),
    };
    Ok(PartitionedProof {
        public: PartitionedPublic {
            sizes,
            msa: parts(msa),
            usage: parts(usage),
            index,
            state_before,
            state_after,
            invoice: parts(invoice),
            seed,
            y,
            w,
        },
        proofs: PartitionProofs {
            blocks: proofs,
            chunks,
            link,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_encode_as_eip_2537_says() {
        let g1 = g1_bytes(&G1Affine::generator());
        assert_eq!(g1[..16], [0u8; 16]);
        assert_eq!(
            hex::encode(&g1[16..64]),
            "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
        );
        let g2 = g2_bytes(&G2Affine::generator());
        // x.c0 first.
        assert_eq!(
            hex::encode(&g2[16..64]),
            "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
        );
        assert_eq!(g1_from_bytes(&g1, "g1"), Ok(G1Affine::generator()));
        assert_eq!(g2_from_bytes(&g2, "g2"), Ok(G2Affine::generator()));
        assert_eq!(g1_bytes(&G1Affine::zero()), [0u8; G1_BYTES]);
        assert_eq!(g1_from_bytes(&[0u8; G1_BYTES], "g1"), Ok(G1Affine::zero()));
    }

    #[test]
    fn bad_encodings_are_refused_without_panicking() {
        let g1 = g1_bytes(&G1Affine::generator());
        assert!(g1_from_bytes(&g1[..127], "g1").is_err());
        let mut padded = g1;
        padded[3] = 1;
        assert!(g1_from_bytes(&padded, "g1").is_err());
        let mut above = g1;
        above[16..64].fill(0xff);
        assert!(g1_from_bytes(&above, "g1").is_err());
        let mut off = g1;
        off[127] ^= 1;
        let e = g1_from_bytes(&off, "g1").unwrap_err().to_string();
        assert!(e.contains("not on the curve"), "{e}");
        assert!(g2_from_bytes(&[1u8; 10], "g2").is_err());
        assert!(proof_from_calldata(&[]).is_err());
        assert!(proof_from_calldata(&[0xff; PROOF_CALLDATA_BYTES]).is_err());
    }
}
