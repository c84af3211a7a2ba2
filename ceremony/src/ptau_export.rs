//! Phase 1 written as a snarkjs `.ptau` file (version 1, as snarkjs 0.7 writes it), which
//! snarkjs's `powersoftau verify` checks on its own: every contribution's key ([`crate::ptau`]),
//! the powers' consistency and the last contribution's challenge hash over the file's points.
//!
//! Sections: 1 the header (`n8 = 48`, `q`, the power twice), 2-6 the accumulator (`τ^i·G1`,
//! `τ^i·G2`, `ατ^i·G1`, `βτ^i·G1`, `β·G2`), 7 the contributions, each with its points after it,
//! its key, snarkjs's partial response hash (blake2b's state after the challenge it answered), the
//! next challenge (the one the next contribution answered; the last one's computed here from the
//! accumulator) and its contributor's name. Points are in snarkjs's "LEM" form: each coordinate
//! little-endian in Montgomery form (as arkworks keeps it), `c0` before `c1` in G2.

use std::path::Path;

use ark_bls12_381::{Fq, Fq2, G1Affine, G2Affine};
use ark_ff::{BigInteger, PrimeField};
use rand::RngCore;

use crate::{
    phase1::Accumulator,
    ptau::{self, Hash64, Key, Small},
    record::Phase1Record,
    steps::Phase1,
    transcript::{records, write_atomic, Ceremony},
    CeremonyError,
};

/// blake2b-512's initial state (SHA-512's IV), before its parameter block.
const IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];

/// A contribution as the file records it.
#[derive(Clone, Debug)]
pub struct Contribution {
    /// Its contributor.
    pub name: String,
    /// Its points after it.
    pub points: Small,
    /// The challenge it answered.
    pub challenge: Hash64,
    /// Its key.
    pub key: Key,
}

fn fq(out: &mut Vec<u8>, x: &Fq) {
    // `x.0` is the Montgomery form.
    out.extend(x.0.to_bytes_le());
}

fn fq2(out: &mut Vec<u8>, x: &Fq2) {
    fq(out, &x.c0);
    fq(out, &x.c1);
}

fn g1(out: &mut Vec<u8>, p: &G1Affine) {
    fq(out, &p.x);
    fq(out, &p.y);
}

fn g2(out: &mut Vec<u8>, p: &G2Affine) {
    fq2(out, &p.x);
    fq2(out, &p.y);
}

/// snarkjs's partial hash (`misc.toPartialHash`: @noble/hashes' blake2b-512 state) after the
/// 64 bytes of `challenge`: the block buffer holding them, the chaining value (the IV, its first
/// word mixed with the parameter block: 64-byte digest, no key, fanout and depth one) as
/// 32-bit halves, low first, then the length before the buffer (0) and the buffer's fill (64).
fn partial_hash(challenge: &Hash64) -> [u8; 216] {
    let mut out = [0u8; 216];
    out[..64].copy_from_slice(challenge);
    let mut words = [0u32; 22];
    for (i, v) in IV.iter().enumerate() {
        let v = if i == 0 { v ^ 0x0101_0040 } else { *v };
        words[2 * i] = v as u32;
        words[2 * i + 1] = (v >> 32) as u32;
    }
    words[18] = 64;
    for (w, b) in words.iter().zip(out[128..].chunks_exact_mut(4)) {
        b.copy_from_slice(&w.to_le_bytes());
    }
    out
}

/// One section: its type, its length, its data.
fn section(out: &mut Vec<u8>, kind: u32, data: &[u8]) {
    out.extend(kind.to_le_bytes());
    out.extend((data.len() as u64).to_le_bytes());
    out.extend(data);
}

/// The `.ptau` file of the accumulator `acc` and the contributions that made it, in order.
pub fn ptau_bytes(acc: &Accumulator, contributions: &[Contribution]) -> Vec<u8> {
    let mut out = b"ptau".to_vec();
    out.extend(1u32.to_le_bytes());
    out.extend(7u32.to_le_bytes());

    let mut header = 48u32.to_le_bytes().to_vec();
    header.extend(Fq::MODULUS.to_bytes_le());
    header.extend(acc.power.to_le_bytes());
    header.extend(acc.power.to_le_bytes());
    section(&mut out, 1, &header);

    let mut data = Vec::new();
    for p in &acc.tau_g1 {
        g1(&mut data, p);
    }
    section(&mut out, 2, &data);
    data.clear();
    for p in &acc.tau_g2 {
        g2(&mut data, p);
    }
    section(&mut out, 3, &data);
    for (kind, points) in [(4, &acc.alpha_tau_g1), (5, &acc.beta_tau_g1)] {
        data.clear();
        for p in points {
            g1(&mut data, p);
        }
        section(&mut out, kind, &data);
    }
    data.clear();
    g2(&mut data, &acc.beta_g2);
    section(&mut out, 6, &data);

    data.clear();
    data.extend((contributions.len() as u32).to_le_bytes());
    for (i, c) in contributions.iter().enumerate() {
        let (tau_g1, tau_g2, alpha_g1, beta_g1, beta_g2) = &c.points;
        g1(&mut data, tau_g1);
        g2(&mut data, tau_g2);
        g1(&mut data, alpha_g1);
        g1(&mut data, beta_g1);
        g2(&mut data, beta_g2);
        let parts = [&c.key.tau, &c.key.alpha, &c.key.beta];
        for p in parts {
            g1(&mut data, &p.g1_s);
            g1(&mut data, &p.g1_sx);
        }
        for p in parts {
            g2(&mut data, &p.g2_spx);
        }
        data.extend(partial_hash(&c.challenge));
        let next = match contributions.get(i + 1) {
            Some(n) => n.challenge,
            None => ptau::challenge(&c.key.response(&c.challenge), acc),
        };
        data.extend(next);
        data.extend(0u32.to_le_bytes()); // not a beacon
        let name = c.name.as_bytes();
        let mut params = vec![1u8, name.len() as u8];
        params.extend(name);
        data.extend((params.len() as u32).to_le_bytes());
        data.extend(params);
    }
    section(&mut out, 7, &data);
    out
}

impl Ceremony {
    /// Verifies phase 1 and returns it with its contributions as the `.ptau` file records them.
    /// Every contribution must carry its key in snarkjs's form (transcripts made before zkinvoice
    /// wrote them cannot be exported).
    pub fn ptau_contributions(
        &self,
        rng: &mut impl RngCore,
    ) -> Result<(Phase1, Vec<Contribution>), CeremonyError> {
        let p1 = self.verify_phase1(rng)?;
        let recs = records::<Phase1Record>(&self.dir.join("phase1"))?;
        if recs.is_empty() {
            return Err(CeremonyError::State("phase 1 has no contribution yet".into()));
        }
        let mut contributions = Vec::with_capacity(recs.len());
        for (file, r) in &recs {
            let Some(k) = &r.ptau else {
                return Err(CeremonyError::State(format!(
                    "{}: contribution {} by {:?} has no key in snarkjs's form (it was made by an \
                     older zkinvoice), so this phase 1 cannot be exported",
                    file.display(),
                    r.index,
                    r.name
                )));
            };
            let (challenge, key) = k.parse().expect("verified");
            contributions.push(Contribution {
                name: r.name.clone(),
                points: r.points().expect("verified"),
                challenge,
                key,
            });
        }
        Ok((p1, contributions))
    }

    /// Verifies phase 1 and writes it to `out` as a snarkjs `.ptau` file
    /// ([`Ceremony::ptau_contributions`], [`ptau_bytes`]).
    pub fn export_ptau(&self, out: &Path, rng: &mut impl RngCore) -> Result<Phase1, CeremonyError> {
        let (p1, contributions) = self.ptau_contributions(rng)?;
        write_atomic(out, &ptau_bytes(&p1.accumulator, &contributions))?;
        Ok(p1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partial_hash_is_blake2b_s_state_after_the_challenge() {
        // The chaining value's first word: blake2b-512's, with its parameter block.
        let p = partial_hash(&[7u8; 64]);
        assert_eq!(&p[..64], &[7u8; 64]);
        assert_eq!(&p[64..128], &[0u8; 64]);
        assert_eq!(&p[128..132], &(0xf3bcc908u32 ^ 0x0101_0040).to_le_bytes());
        assert_eq!(&p[132..136], &0x6a09e667u32.to_le_bytes());
        assert_eq!(&p[200..204], &64u32.to_le_bytes());
    }
}
