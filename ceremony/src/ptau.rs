//! snarkjs's `.ptau` conventions, reproduced so that a phase 1 can carry keys snarkjs's
//! `powersoftau verify` accepts (issue 15: an existing tool checks part of the transcript).
//!
//! A snarkjs contribution proves knowledge of each secret `s` (τ, α, β; personalization 0, 1, 2)
//! with `g1_s` (a random G1 point), `g1_sx = s·g1_s` and `g2_spx = s·g2_sp`, where
//! `g2_sp = hash_to_g2(blake2b-512(personalization || challenge || g1_s || g1_sx))` over the
//! points uncompressed (the Zcash encoding, as arkworks writes it) and `challenge` is the
//! blake2b-512 hash the contribution answers ([`first_challenge`] for the first).
//!
//! `hash_to_g2` is ffjavascript's `G2.fromRng` on a ChaCha20 stream keyed by the hash
//! ([`hash_to_g2`]): not a hash to the curve in the RFC 9380 sense (our own proofs use one,
//! [`crate::pok`]), but what snarkjs recomputes, so it is reproduced exactly; the tests check it
//! against vectors from the pinned snarkjs 0.7.6 (`tools/node/ptau-vectors.mjs`).

use ark_bls12_381::{g2, Bls12_381, Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{pairing::Pairing, short_weierstrass::SWCurveConfig, AffineRepr, CurveGroup, PrimeGroup};
use ark_ff::{BigInt, Field, MontConfig, PrimeField, UniformRand, Zero};
use ark_serialize::CanonicalSerialize;
use blake2::{Blake2b512, Digest};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::phase1::Accumulator;

/// The points a phase-1 contribution moved: `τ·G1`, `τ·G2`, `α·G1`, `β·G1`, `β·G2` after it
/// ([`Accumulator::small`]).
pub type Small = (G1Affine, G2Affine, G1Affine, G1Affine, G2Affine);

/// A blake2b-512 hash, snarkjs's challenge and response hashes.
pub type Hash64 = [u8; 64];

/// A point uncompressed (the Zcash encoding: big-endian coordinates, `x.c1` before `x.c0` in
/// G2), as snarkjs hashes it.
pub fn uncompressed<P: CanonicalSerialize>(p: &P) -> Vec<u8> {
    let mut b = Vec::new();
    p.serialize_uncompressed(&mut b).expect("to a vector");
    b
}

/// ffjavascript's ChaCha stream: ChaCha20 keyed by eight words, counter from zero, its 64-bit
/// draws the high word first.
struct Stream(ChaCha20Rng);

impl Stream {
    fn of(hash: &Hash64) -> Self {
        // The seed words are the hash's first 32 bytes read big-endian; ChaCha20's key is the
        // words little-endian.
        let mut key = [0u8; 32];
        for (k, w) in key.chunks_exact_mut(4).zip(hash.chunks_exact(4)) {
            let word = u32::from_be_bytes(w.try_into().expect("four bytes"));
            k.copy_from_slice(&word.to_le_bytes());
        }
        Self(ChaCha20Rng::from_seed(key))
    }

    fn u64(&mut self) -> u64 {
        let hi = u64::from(self.0.next_u32());
        (hi << 32) | u64::from(self.0.next_u32())
    }

    fn bool(&mut self) -> bool {
        self.0.next_u32() & 1 == 1
    }

    /// ffjavascript's `F1.fromRng`: six draws as the limbs of a number below `2^381`, drawn
    /// again while it is not below `p`, taken as a Montgomery form.
    fn fq(&mut self) -> Fq {
        let top_bits = Fq::MODULUS_BIT_SIZE - 320;
        loop {
            let mut limbs = [0u64; 6];
            for l in &mut limbs {
                *l = self.u64();
            }
            limbs[5] &= (1u64 << top_bits) - 1;
            let v = BigInt::new(limbs);
            if v < <ark_bls12_381::FqConfig as MontConfig<6>>::MODULUS {
                return Fq::new_unchecked(v);
            }
        }
    }
}

/// ffjavascript's sign of an element of `Fq`: above `(p − 1)/2`.
fn negative_fq(a: Fq) -> bool {
    a.into_bigint() > Fq::MODULUS_MINUS_ONE_DIV_TWO
}

/// ffjavascript's sign of an element of `Fq2`: `c1`'s, or `c0`'s if `c1` is zero.
fn negative(a: Fq2) -> bool {
    if a.c1.is_zero() {
        negative_fq(a.c0)
    } else {
        negative_fq(a.c1)
    }
}

/// snarkjs's `hashToG2`: ffjavascript's `G2.fromRng` on the ChaCha stream keyed by `hash`
/// (an `x` drawn, with the sign of `y`, until `x³ + b` is a square), times G2's cofactor.
pub fn hash_to_g2(hash: &Hash64) -> G2Affine {
    let mut rng = Stream::of(hash);
    loop {
        let x = Fq2::new(rng.fq(), rng.fq());
        let greatest = rng.bool();
        let Some(mut y) = (x.square() * x + g2::Config::COEFF_B).sqrt() else {
            continue;
        };
        if greatest ^ negative(y) {
            y = -y;
        }
        let p = G2Affine::new_unchecked(x, y);
        return p.mul_by_cofactor_to_group().into_affine();
    }
}

/// snarkjs's `getG2sp`: the G2 base of a proof of knowledge, from its personalization (0 for τ,
/// 1 for α, 2 for β), the challenge it answers and its G1 points.
pub fn g2_sp(personalization: u8, challenge: &Hash64, g1_s: &G1Affine, g1_sx: &G1Affine) -> G2Affine {
    let mut h = Blake2b512::new();
    h.update([personalization]);
    h.update(challenge);
    h.update(uncompressed(g1_s));
    h.update(uncompressed(g1_sx));
    hash_to_g2(&h.finalize().into())
}

/// snarkjs's first challenge of a ceremony of `2^power`: the hash of the empty response hash and
/// of a fresh accumulator (every point a generator) in the challenge's layout.
pub fn first_challenge(power: u32) -> Hash64 {
    let n = 1usize << power;
    let (g1, g2) = (
        uncompressed(&G1Affine::generator()),
        uncompressed(&G2Projective::generator().into_affine()),
    );
    let mut h = Blake2b512::new();
    h.update(Blake2b512::new().finalize());
    for (point, count) in [(&g1, 2 * n - 1), (&g2, n), (&g1, n), (&g1, n), (&g2, 1)] {
        for _ in 0..count {
            h.update(point);
        }
    }
    h.finalize().into()
}

/// The hash of an accumulator in snarkjs's challenge layout, after the response hash before it:
/// every point uncompressed, `τ^i·G1`, `τ^i·G2`, `ατ^i·G1`, `βτ^i·G1`, `β·G2`.
pub fn challenge(response: &Hash64, acc: &Accumulator) -> Hash64 {
    let mut h = Blake2b512::new();
    h.update(response);
    feed(&mut h, &acc.tau_g1);
    feed(&mut h, &acc.tau_g2);
    feed(&mut h, &acc.alpha_tau_g1);
    feed(&mut h, &acc.beta_tau_g1);
    feed(&mut h, &[acc.beta_g2]);
    h.finalize().into()
}

/// Hashes the points uncompressed, a few thousand at a time.
fn feed<P: CanonicalSerialize>(h: &mut Blake2b512, points: &[P]) {
    let mut buf = Vec::new();
    for chunk in points.chunks(4096) {
        buf.clear();
        for p in chunk {
            p.serialize_uncompressed(&mut buf).expect("to a vector");
        }
        h.update(&buf);
    }
}

/// A proof of knowledge of one secret in snarkjs's form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    /// A random point of G1.
    pub g1_s: G1Affine,
    /// It times the secret.
    pub g1_sx: G1Affine,
    /// [`g2_sp`] times the secret.
    pub g2_spx: G2Affine,
}

/// A phase-1 contribution's key in snarkjs's form: one [`Part`] per secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    /// τ's (personalization 0).
    pub tau: Part,
    /// α's (1).
    pub alpha: Part,
    /// β's (2).
    pub beta: Part,
}

/// `e(a, d) = e(b, c)`: `b/a = d/c` in the exponent (snarkjs's `sameRatio`, which refuses the
/// point at infinity).
fn same_ratio(a: G1Affine, b: G1Affine, c: G2Affine, d: G2Affine) -> bool {
    !(a.is_zero() || b.is_zero() || c.is_zero() || d.is_zero())
        && Bls12_381::pairing(a, d) == Bls12_381::pairing(b, c)
}

impl Key {
    /// The key of the secrets `τ`, `α`, `β` answering `challenge`.
    pub fn new(challenge: &Hash64, secrets: [Fr; 3], rng: &mut impl RngCore) -> Self {
        let mut part = |personalization: u8, x: Fr| {
            let g1_s = (G1Projective::generator() * Fr::rand(rng)).into_affine();
            let g1_sx = (g1_s * x).into_affine();
            let g2_spx = (g2_sp(personalization, challenge, &g1_s, &g1_sx) * x).into_affine();
            Part { g1_s, g1_sx, g2_spx }
        };
        Self {
            tau: part(0, secrets[0]),
            alpha: part(1, secrets[1]),
            beta: part(2, secrets[2]),
        }
    }

    /// Its points uncompressed in snarkjs's order: the six of G1, then the three of G2.
    pub fn bytes(&self) -> Vec<u8> {
        let parts = [&self.tau, &self.alpha, &self.beta];
        let mut b = Vec::new();
        for p in parts {
            b.extend(uncompressed(&p.g1_s));
            b.extend(uncompressed(&p.g1_sx));
        }
        for p in parts {
            b.extend(uncompressed(&p.g2_spx));
        }
        b
    }

    /// snarkjs's response hash: the challenge answered, then the key.
    pub fn response(&self, challenge: &Hash64) -> Hash64 {
        let mut h = Blake2b512::new();
        h.update(challenge);
        h.update(self.bytes());
        h.finalize().into()
    }

    /// What snarkjs checks of a contribution answering `challenge` that moved the points `prev`
    /// to `next`: each part proves knowledge of its secret, and the points moved by those
    /// secrets. Names the first check that fails.
    pub fn verify(&self, challenge: &Hash64, prev: &Small, next: &Small) -> Result<(), &'static str> {
        let sp = |personalization, p: &Part| g2_sp(personalization, challenge, &p.g1_s, &p.g1_sx);
        let (tau, alpha, beta) = (sp(0, &self.tau), sp(1, &self.alpha), sp(2, &self.beta));
        let checks = [
            (
                same_ratio(self.tau.g1_s, self.tau.g1_sx, tau, self.tau.g2_spx),
                "its key of tau",
            ),
            (
                same_ratio(self.alpha.g1_s, self.alpha.g1_sx, alpha, self.alpha.g2_spx),
                "its key of alpha",
            ),
            (
                same_ratio(self.beta.g1_s, self.beta.g1_sx, beta, self.beta.g2_spx),
                "its key of beta",
            ),
            (
                same_ratio(prev.0, next.0, tau, self.tau.g2_spx),
                "tauG1 against its key",
            ),
            (
                same_ratio(self.tau.g1_s, self.tau.g1_sx, prev.1, next.1),
                "tauG2 against its key",
            ),
            (
                same_ratio(prev.2, next.2, alpha, self.alpha.g2_spx),
                "alphaG1 against its key",
            ),
            (
                same_ratio(prev.3, next.3, beta, self.beta.g2_spx),
                "betaG1 against its key",
            ),
            (
                same_ratio(self.beta.g1_s, self.beta.g1_sx, prev.4, next.4),
                "betaG2 against its key",
            ),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, what)) => Err(what),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{Fr, G1Projective};

    use super::*;

    /// From `node tools/node/ptau-vectors.mjs` with the pinned snarkjs 0.7.6: `getG2sp` for the
    /// challenge `0, 1, ..., 63` and the points `2·G1`, `3·G1`, personalizations 0, 1 and 2, and
    /// `calculateFirstChallengeHash` for `2^2`.
    const G2_SP: [&str; 3] = [
        "14044f95b7bc4d16f4ba52d41b000102444e2d83bc5ab2fe2771a6a6dfa5a8aea1035c0773873a697f54f4ae43140ef70aca4ee96a991ccf456e183e9891d2fd18f9180601e3520a17d7c45f0ff66bba25bec43ef6593315c3c5b9dd5030987f0d65b1a85a76b8d9831045694b60e946db11ef4f1eb76e8c22ace9aa9875facba0811df97f73ca193d0b07cb9e4692b61886cd8334113ad8d735312bf2d1b9fa255c0e9af8df8f9002ffc72eb6662cadde19d1b0a5029f6e9a07d2d8ba981ff9",
        "0f72f95e4e966b6609b53aabc3d05d419e9b46e8de654d5fc789374325b9be8794aaf6f604ff8baed361704fe3546efe0f5a9f063e98d26d6b81cb0a92f14d6e2aa80575cb2f0e3597edcf5bf3757035f5b768f4fe217a433473cdf2e81ca90d18c83b1a6e4454048f7359b5e033627ddbbf33dd3775e80b98c24bca480245f10fbbedc16d94543f8cd85fb7c46805310fd6922896ef2d640b8cdc2f74f0f0d0e18fa73380a38f9673aacaeb79ab121e87911b1e1ab1c479a20b859cbf28a1bf",
        "13fde583a30f5cbca1829d23c2abfcb585f1cb881099d6513d059b742b4a405d0861a5d71e7b81967a679442a3580aa217861da1adbbbf9f117e89f8c5f008f2653110519a13f6ca39773c8f87c66c9d8e633642d8db7aff26c9c5a61b92e7d80d713c44f2665e3e89edef947209d0ddba806cb1c00688779cda6ae86bc192b8ccaf142be005361b16b8ee0c66201df915263040f3bc977fbe6c2dd80fa41c1f7c25b914a4a8637c4b94caa1ded7298b36a54d0e560c74f26b32ca144ee3a128",
    ];
    const FIRST_2: &str = "2f7f0168c2abae719676c6da38e935972873ab7368b24113b883f24b449a48e8bab27e32c282016b616ca89b20c10bd318a5f5f636ca5f30347ef16433b61f94";

    #[test]
    fn the_g2_bases_are_snarkjs_s() {
        let mut challenge = [0u8; 64];
        for (i, b) in challenge.iter_mut().enumerate() {
            *b = i as u8;
        }
        let g = G1Projective::generator();
        let (s, sx) = (
            (g * Fr::from(2u64)).into_affine(),
            (g * Fr::from(3u64)).into_affine(),
        );
        for (p, want) in G2_SP.iter().enumerate() {
            let got = g2_sp(p as u8, &challenge, &s, &sx);
            assert!(got.is_on_curve() && got.is_in_correct_subgroup_assuming_on_curve());
            assert_eq!(hex::encode(uncompressed(&got)), *want, "personalization {p}");
        }
        // Another challenge, another base.
        challenge[0] ^= 1;
        assert_ne!(
            hex::encode(uncompressed(&g2_sp(0, &challenge, &s, &sx))),
            G2_SP[0]
        );
    }

    #[test]
    fn the_first_challenge_is_snarkjs_s() {
        assert_eq!(hex::encode(first_challenge(2)), FIRST_2);
        assert_ne!(first_challenge(3), first_challenge(2));
        // A fresh accumulator hashes to the first challenge.
        let empty: Hash64 = Blake2b512::new().finalize().into();
        assert_eq!(challenge(&empty, &Accumulator::new(2)), first_challenge(2));
    }

    #[test]
    fn a_key_verifies_only_for_its_challenge_and_points() {
        use rand::SeedableRng;
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let acc = Accumulator::new(2);
        let secrets = [Fr::from(5u64), Fr::from(7u64), Fr::from(11u64)];
        let next = acc.contribute(secrets[0], secrets[1], secrets[2], &());
        let c = first_challenge(2);
        let key = Key::new(&c, secrets, &mut rng);
        assert_eq!(key.verify(&c, &acc.small(), &next.small()), Ok(()));
        assert_eq!(key.bytes().len(), 6 * 96 + 3 * 192);
        let mut other = c;
        other[9] ^= 4;
        assert_eq!(
            key.verify(&other, &acc.small(), &next.small()),
            Err("its key of tau")
        );
        let mut moved = next.small();
        moved.2 = (moved.2 * Fr::from(2u64)).into_affine();
        assert_eq!(
            key.verify(&c, &acc.small(), &moved),
            Err("alphaG1 against its key")
        );
        let mut bad = key;
        bad.beta.g1_sx = bad.alpha.g1_sx;
        assert_eq!(key.verify(&c, &acc.small(), &next.small()), Ok(()));
        assert_eq!(
            bad.verify(&c, &acc.small(), &next.small()),
            Err("its key of beta")
        );
        assert_ne!(key.response(&c), key.response(&other));
    }
}
