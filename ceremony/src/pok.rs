//! Proofs of knowledge of a contribution's secret `x`, bound to the transcript before it.
//!
//! The contributor picks `r`, publishes `g1_r = r·G1`, `g1_rx = rx·G1` and `g2_x = x·H`, where
//! `H = hash_to_G2(transcript || label || g1_r || g1_rx)`. A verifier checks
//! `e(g1_rx, H) = e(g1_r, g2_x)` (whoever made `g2_x` knows `x`, the exponent between `g1_r` and
//! `g1_rx`), and that a point the contribution scaled moved by the same `x`:
//! `e(new, H) = e(old, g2_x)`. `H` depends on the transcript's hash, so a proof cannot be replayed
//! elsewhere in the transcript or in another one.

use ark_bls12_381::{g2, Bls12_381, Fr, G1Affine, G1Projective, G2Affine, G2Projective};
use ark_ec::{
    hashing::{curve_maps::wb::WBMap, map_to_curve_hasher::MapToCurveBasedHasher, HashToCurve},
    pairing::Pairing,
    AffineRepr, CurveGroup, PrimeGroup,
};
use ark_ff::{field_hashers::DefaultFieldHasher, UniformRand};
use ark_serialize::CanonicalSerialize;
use rand::RngCore;
use sha2::Sha256;

/// The domain of the hash to G2.
const DOMAIN: &[u8] = b"zkinvoice/ceremony/pok/v1";

/// A proof of knowledge of one secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pok {
    /// `r·G1`.
    pub g1_r: G1Affine,
    /// `rx·G1`.
    pub g1_rx: G1Affine,
    /// `x·H`.
    pub g2_x: G2Affine,
}

/// `H = hash_to_G2(transcript || label || g1_r || g1_rx)`.
fn base(transcript: &[u8; 32], label: &str, g1_r: &G1Affine, g1_rx: &G1Affine) -> G2Affine {
    let hasher =
        MapToCurveBasedHasher::<G2Projective, DefaultFieldHasher<Sha256, 128>, WBMap<g2::Config>>::new(
            DOMAIN,
        )
        .expect("a valid domain");
    let mut msg = transcript.to_vec();
    msg.extend_from_slice(&(label.len() as u64).to_be_bytes());
    msg.extend_from_slice(label.as_bytes());
    g1_r.serialize_compressed(&mut msg).expect("to a vector");
    g1_rx.serialize_compressed(&mut msg).expect("to a vector");
    hasher.hash(&msg).expect("hashes")
}

impl Pok {
    /// A proof of knowledge of `x` under `transcript` and `label`.
    pub fn prove(x: Fr, transcript: &[u8; 32], label: &str, rng: &mut impl RngCore) -> Self {
        let r = Fr::rand(rng);
        let g1_r = (G1Projective::generator() * r).into_affine();
        let g1_rx = (G1Projective::generator() * (r * x)).into_affine();
        let g2_x = (base(transcript, label, &g1_r, &g1_rx) * x).into_affine();
        Self { g1_r, g1_rx, g2_x }
    }

    /// Whether the proof holds under `transcript` and `label`, and `new = x·old` for its `x`.
    pub fn verify(&self, transcript: &[u8; 32], label: &str, old: G1Affine, new: G1Affine) -> bool {
        if self.g1_r.is_zero() || self.g1_rx.is_zero() || new.is_zero() {
            return false;
        }
        let h = base(transcript, label, &self.g1_r, &self.g1_rx);
        Bls12_381::pairing(self.g1_rx, h) == Bls12_381::pairing(self.g1_r, self.g2_x)
            && Bls12_381::pairing(new, h) == Bls12_381::pairing(old, self.g2_x)
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;

    #[test]
    fn a_proof_holds_only_for_its_transcript_label_and_scaling() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let x = Fr::rand(&mut rng);
        let t = [7u8; 32];
        let old = (G1Projective::generator() * Fr::rand(&mut rng)).into_affine();
        let new = (old * x).into_affine();
        let p = Pok::prove(x, &t, "tau", &mut rng);
        assert!(p.verify(&t, "tau", old, new));
        assert!(!p.verify(&[8u8; 32], "tau", old, new), "another transcript");
        assert!(!p.verify(&t, "alpha", old, new), "another label");
        assert!(
            !p.verify(&t, "tau", old, (old * (x + Fr::from(1u64))).into_affine()),
            "another scaling"
        );
        let other = Pok::prove(x + Fr::from(1u64), &t, "tau", &mut rng);
        assert!(!other.verify(&t, "tau", old, new), "a proof of another secret");
    }
}
