//! Phase 1, the powers of tau: `τ^i·G1` for `i < 2n - 1`, `τ^i·G2`, `ατ^i·G1` and `βτ^i·G1` for
//! `i < n`, and `β·G2`, for a domain of `n = 2^power`.
//!
//! A contribution multiplies every element by the matching power of its secrets `(t, a, b)`; its
//! proofs of knowledge ([`crate::pok`]) show that the contributor knows them. [`Accumulator::check`]
//! shows that an accumulator is well formed (every list a sequence of powers of one `τ`), with
//! random linear combinations: two MSMs and one pairing equation per list.

use ark_bls12_381::{Bls12_381, Fr, G1Affine, G2Affine};
use ark_ec::{pairing::Pairing, short_weierstrass::Affine, AffineRepr, CurveGroup};
use ark_ff::{Field, One, UniformRand};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand::RngCore;

use zkinvoice_prover::groth16::msm::{G1, G2};

use crate::{group, msm::msm, split::Split, Progress};

/// A phase-1 accumulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accumulator {
    /// `log2 n`.
    pub power: u32,
    /// `τ^i·G1`, `i < 2n - 1`.
    pub tau_g1: Vec<G1Affine>,
    /// `τ^i·G2`, `i < n`.
    pub tau_g2: Vec<G2Affine>,
    /// `ατ^i·G1`, `i < n`.
    pub alpha_tau_g1: Vec<G1Affine>,
    /// `βτ^i·G1`, `i < n`.
    pub beta_tau_g1: Vec<G1Affine>,
    /// `β·G2`.
    pub beta_g2: G2Affine,
}

/// `scale · x^i · points[i]`, in parallel, reporting progress.
fn powers_of<P: Split>(points: &[Affine<P>], x: Fr, scale: Fr, progress: &dyn Progress) -> Vec<Affine<P>> {
    let scalars = powers(x, scale, points.len());
    group::scale(points, |i| scalars[i], progress)
}

/// `scale · x^i` for `i < n`.
fn powers(x: Fr, scale: Fr, n: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(n);
    let mut acc = scale;
    for _ in 0..n {
        out.push(acc);
        acc *= x;
    }
    out
}

impl Accumulator {
    /// The accumulator no one has contributed to: every element a generator.
    pub fn new(power: u32) -> Self {
        let n = 1usize << power;
        Self {
            power,
            tau_g1: vec![G1Affine::generator(); 2 * n - 1],
            tau_g2: vec![G2Affine::generator(); n],
            alpha_tau_g1: vec![G1Affine::generator(); n],
            beta_tau_g1: vec![G1Affine::generator(); n],
            beta_g2: G2Affine::generator(),
        }
    }

    /// The accumulator with secrets `(t, a, b)` applied.
    pub fn contribute(&self, t: Fr, a: Fr, b: Fr, progress: &dyn Progress) -> Self {
        let n = self.tau_g2.len() as u64;
        progress.begin("phase 1: powers of tau", 5 * n - 1);
        Self {
            power: self.power,
            tau_g1: powers_of(&self.tau_g1, t, Fr::one(), progress),
            tau_g2: powers_of(&self.tau_g2, t, Fr::one(), progress),
            alpha_tau_g1: powers_of(&self.alpha_tau_g1, t, a, progress),
            beta_tau_g1: powers_of(&self.beta_tau_g1, t, b, progress),
            beta_g2: (self.beta_g2 * b).into_affine(),
        }
    }

    /// The points a contribution's proofs are about: `τ·G1`, `τ·G2`, `α·G1`, `β·G1`, `β·G2`.
    pub fn small(&self) -> (G1Affine, G2Affine, G1Affine, G1Affine, G2Affine) {
        (
            self.tau_g1[1],
            self.tau_g2[1],
            self.alpha_tau_g1[0],
            self.beta_tau_g1[0],
            self.beta_g2,
        )
    }

    /// The accumulator as bytes: `power` (`u32`, little-endian), then the lists and `β·G2`,
    /// uncompressed (arkworks' encoding, lists prefixed by their length).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.power.to_le_bytes().to_vec();
        (
            &self.tau_g1,
            &self.tau_g2,
            &self.alpha_tau_g1,
            &self.beta_tau_g1,
            &self.beta_g2,
        )
            .serialize_uncompressed(&mut out)
            .expect("to a vector");
        out
    }

    /// An accumulator from [`Self::to_bytes`]: every point checked on the curve and in its
    /// subgroup, in parallel, and the lengths those of `2^power`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let (power, mut rest) = bytes.split_first_chunk::<4>().ok_or("shorter than its header")?;
        let power = u32::from_le_bytes(*power);
        if !(1..=28).contains(&power) {
            return Err(format!("an accumulator of 2^{power}"));
        }
        let n = 1usize << power;
        let (tau_g1, tau_g2, alpha_tau_g1, beta_tau_g1, beta_g2) =
            <(
                Vec<G1Affine>,
                Vec<G2Affine>,
                Vec<G1Affine>,
                Vec<G1Affine>,
                G2Affine,
            )>::deserialize_uncompressed_unchecked(&mut rest)
            .map_err(|e| format!("not an accumulator: {e}"))?;
        if !rest.is_empty() {
            return Err("bytes after the accumulator".into());
        }
        if tau_g1.len() != 2 * n - 1 || tau_g2.len() != n || alpha_tau_g1.len() != n || beta_tau_g1.len() != n
        {
            return Err(format!("lists of other lengths than an accumulator of 2^{power}"));
        }
        if !crate::valid_g1(&tau_g1)
            || !crate::valid_g1(&alpha_tau_g1)
            || !crate::valid_g1(&beta_tau_g1)
            || !crate::valid_g2(&tau_g2)
            || !crate::valid_g2(std::slice::from_ref(&beta_g2))
        {
            return Err("a point off the curve or outside its subgroup".into());
        }
        Ok(Self {
            power,
            tau_g1,
            tau_g2,
            alpha_tau_g1,
            beta_tau_g1,
            beta_g2,
        })
    }

    /// Whether every list is a sequence of powers of one `τ` (with `α` and `β` as their first
    /// factors), checked with random linear combinations drawn from `rng`; a malformed accumulator
    /// passes with probability about `n / |Fr|`.
    pub fn check(&self, rng: &mut impl RngCore) -> bool {
        let n = 1usize << self.power;
        if self.tau_g1.len() != 2 * n - 1
            || self.tau_g2.len() != n
            || self.alpha_tau_g1.len() != n
            || self.beta_tau_g1.len() != n
            || self.tau_g1[0] != G1Affine::generator()
            || self.tau_g2[0] != G2Affine::generator()
            || self.tau_g1[1].is_zero()
        {
            return false;
        }
        let (g1, g2) = (G1Affine::generator(), G2Affine::generator());
        let (tau_g1, tau_g2) = (self.tau_g1[1], self.tau_g2[1]);
        // `(Σ r_i P_i, Σ r_i P_{i+1})`: the second is the first times `τ` if the list is powers.
        let shifted_g1 = |points: &[G1Affine], rng: &mut dyn RngCore| {
            let r: Vec<Fr> = (0..points.len() - 1).map(|_| Fr::rand(rng)).collect();
            let low = msm::<G1>(&points[..points.len() - 1], &r);
            let high = msm::<G1>(&points[1..], &r);
            (low.into_affine(), high.into_affine())
        };
        let e = Bls12_381::pairing;
        let (l, h) = shifted_g1(&self.tau_g1, rng);
        let ok_tau_g1 = e(h, g2) == e(l, tau_g2);
        let (l, h) = shifted_g1(&self.alpha_tau_g1, rng);
        let ok_alpha = e(h, g2) == e(l, tau_g2);
        let (l, h) = shifted_g1(&self.beta_tau_g1, rng);
        let ok_beta = e(h, g2) == e(l, tau_g2) && e(self.beta_tau_g1[0], g2) == e(g1, self.beta_g2);
        let r: Vec<Fr> = (0..n - 1).map(|_| Fr::rand(rng)).collect();
        let low = msm::<G2>(&self.tau_g2[..n - 1], &r);
        let high = msm::<G2>(&self.tau_g2[1..], &r);
        let ok_tau_g2 = e(g1, high.into_affine()) == e(tau_g1, low.into_affine());
        ok_tau_g1
            && ok_alpha
            && ok_beta
            && ok_tau_g2
            && !self.alpha_tau_g1[0].is_zero()
            && !self.beta_g2.is_zero()
    }
}

/// `x^(2^k)`, for tests of the powers.
pub fn pow2(x: Fr, k: u32) -> Fr {
    x.pow([1u64 << k])
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;
    use ark_bls12_381::G1Projective;
    use ark_ec::PrimeGroup;

    #[test]
    fn contributions_keep_an_accumulator_well_formed_and_a_changed_element_is_caught() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let a0 = Accumulator::new(3);
        assert!(a0.check(&mut rng));
        let (t, a, b) = (Fr::rand(&mut rng), Fr::rand(&mut rng), Fr::rand(&mut rng));
        let a1 = a0.contribute(t, a, b, &());
        assert!(a1.check(&mut rng));
        assert_eq!(
            a1.tau_g1[8],
            (G1Projective::generator() * pow2(t, 3)).into_affine()
        );
        assert_eq!(Accumulator::from_bytes(&a1.to_bytes()).unwrap(), a1);
        let a2 = a1.contribute(Fr::rand(&mut rng), Fr::rand(&mut rng), Fr::rand(&mut rng), &());
        assert!(a2.check(&mut rng));
        let bump = |p: G1Affine| (p + G1Affine::generator()).into_affine();
        for i in 1..a2.tau_g1.len() {
            let mut bad = a2.clone();
            bad.tau_g1[i] = bump(bad.tau_g1[i]);
            assert!(!bad.check(&mut rng), "tau_g1[{i}]");
        }
        for i in 0..a2.alpha_tau_g1.len() {
            let mut bad = a2.clone();
            bad.alpha_tau_g1[i] = bump(bad.alpha_tau_g1[i]);
            bad.beta_tau_g1[i] = bump(bad.beta_tau_g1[i]);
            assert!(!bad.check(&mut rng), "alpha/beta [{i}]");
        }
        for i in 1..a2.tau_g2.len() {
            let mut bad = a2.clone();
            bad.tau_g2[i] = (bad.tau_g2[i] + G2Affine::generator()).into_affine();
            assert!(!bad.check(&mut rng), "tau_g2[{i}]");
        }
        let mut bad = a2.clone();
        bad.beta_g2 = (bad.beta_g2 + G2Affine::generator()).into_affine();
        assert!(!bad.check(&mut rng), "beta_g2");
    }
}
