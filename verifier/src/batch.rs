//! Verifying many proofs at once, by a random linear combination: under one key
//! ([`verify_batch`]) and, through the same code, under several keys ([`verify_mixed`]).
//!
//! A proof `(A, B, C)` for inputs `x` under a key `(alpha, beta, gamma, delta, gamma_abc)` verifies
//! when `e(A, B) = e(alpha, beta) · e(IC(x), gamma) · e(C, delta)` with
//! `IC(x) = gamma_abc[0] + Σ_j x_j · gamma_abc[j + 1]`. For random nonzero 128-bit `r_i`, the batch
//! checks, with `Σ_K` over the distinct keys (identified by their hash) and `Σ_{i∈K}` over the
//! proofs under key `K`,
//!
//! `Π_i e(r_i·A_i, B_i) · Π_K [ e(-(Σ_{i∈K} r_i)·alpha_K, beta_K) · e(Σ_{i∈K} r_i·IC_K(x_i), -gamma_K) · e(Σ_{i∈K} r_i·C_i, -delta_K) ] = 1`
//!
//! with one multi-Miller loop over `n + 3·(distinct keys)` pairs and one final exponentiation.
//! Per key, `Σ_{i∈K} r_i·IC_K(x_i)` is one multi-scalar multiplication over the key's
//! `gamma_abc` points with the scalars `Σ_{i∈K} r_i` and `Σ_{i∈K} r_i·x_ij`. A batch containing an
//! invalid proof passes with probability at most about `2^-128` (points are in the prime-order
//! subgroups: [`InvoiceProof::from_bytes`] checks).
//!
//! [`verify_mixed`]: crate::verify_mixed

use ark_bls12_381::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::Zero;
use rand::RngCore;

use blst::blst_p2_affine;

use crate::error::VerifyError;
use crate::key::{PreparedAnyKey, PreparedKeyOf};
use crate::pairing::{self, Pairs};
use crate::proof::InvoiceProof;
use crate::statement::{PublicInputs, Statement};
use crate::verify::verify_erased;

/// Verifies a batch of proofs under one key of statement `S`.
///
/// Inputs that are not `S::INPUTS` field elements are refused before any pairing
/// ([`VerifyError::KeyMismatch`]). An empty batch is valid; a batch of one is checked on its own.
/// Otherwise the whole batch is checked at once (see the module documentation), and only if that
/// fails is every proof checked one by one, to name the bad ones: [`VerifyError::BatchInvalid`]
/// with their positions, ascending.
pub fn verify_batch<S: Statement, R: RngCore + ?Sized>(
    key: &PreparedKeyOf<S>,
    items: &[(&InvoiceProof, &S::Inputs)],
    rng: &mut R,
) -> Result<(), VerifyError> {
    let inputs: Vec<Vec<Fr>> = items.iter().map(|(_, x)| x.to_field_elements()).collect();
    for (i, x) in inputs.iter().enumerate() {
        key.erase().check_input_count(x.len(), &format!("item {i}"))?;
    }
    let claims: Vec<Claim<'_>> = items
        .iter()
        .zip(&inputs)
        .map(|((proof, _), x)| Claim {
            key: key.erase(),
            proof,
            inputs: x,
        })
        .collect();
    verify_claims(&claims, rng)
}

/// One proof of a batch: its key, the proof, and its public inputs, as many as the key's (checked
/// before a claim is made).
#[derive(Clone, Copy)]
pub(crate) struct Claim<'a> {
    pub(crate) key: &'a PreparedAnyKey,
    pub(crate) proof: &'a InvoiceProof,
    pub(crate) inputs: &'a [Fr],
}

impl Claim<'_> {
    fn verify(&self) -> Result<(), VerifyError> {
        verify_erased(self.key, self.proof, self.inputs)
    }
}

/// Verifies claims whose input counts match their keys': empty is valid, one is checked on its
/// own, more by [`combined_check`], falling back to one by one to name the bad ones
/// ([`VerifyError::BatchInvalid`]).
pub(crate) fn verify_claims<R: RngCore + ?Sized>(
    claims: &[Claim<'_>],
    rng: &mut R,
) -> Result<(), VerifyError> {
    match claims {
        [] => return Ok(()),
        [claim] => {
            return claim
                .verify()
                .map_err(|_| VerifyError::BatchInvalid { invalid: vec![0] })
        }
        _ => {}
    }
    if combined_check(claims, rng) {
        return Ok(());
    }
    let invalid: Vec<usize> = claims
        .iter()
        .enumerate()
        .filter(|(_, claim)| claim.verify().is_err())
        .map(|(i, _)| i)
        .collect();
    if invalid.is_empty() {
        // The combined check failed but every proof verifies on its own: the one-by-one results
        // are authoritative.
        Ok(())
    } else {
        Err(VerifyError::BatchInvalid { invalid })
    }
}

/// A random nonzero 128-bit scalar, as little-endian limbs.
fn random_scalar<R: RngCore + ?Sized>(rng: &mut R) -> [u64; 2] {
    loop {
        let limbs = [rng.next_u64(), rng.next_u64()];
        if limbs != [0, 0] {
            return limbs;
        }
    }
}

/// What one key contributes to the combined check: the sums over the proofs under it.
struct KeyTerms<'a> {
    key: &'a PreparedAnyKey,
    /// `Σ_{i∈K} r_i`, then `Σ_{i∈K} r_i·x_ij`: the scalars of `gamma_abc`.
    ic_scalars: Vec<Fr>,
    /// The proofs' `C` points and their `r_i`.
    c: Vec<G1Affine>,
    r: Vec<Fr>,
}

impl<'a> KeyTerms<'a> {
    fn new(key: &'a PreparedAnyKey) -> Self {
        Self {
            key,
            ic_scalars: vec![Fr::zero(); key.inputs() + 1],
            c: Vec::new(),
            r: Vec::new(),
        }
    }

    fn add(&mut self, claim: &Claim<'_>, r: Fr) {
        debug_assert_eq!(claim.inputs.len() + 1, self.ic_scalars.len());
        self.ic_scalars[0] += r;
        for (s, x) in self.ic_scalars[1..].iter_mut().zip(claim.inputs) {
            *s += r * x;
        }
        self.c.push(claim.proof.as_ark().c);
        self.r.push(r);
    }

    /// `-(Σ r_i)·alpha`, `Σ r_i·IC(x_i)` and `Σ r_i·C_i`, to pair with `beta`, `-gamma` and
    /// `-delta`; `None` if an MSM's lengths disagree (they cannot: the counts were checked).
    fn g1_terms(&self) -> Option<[G1Projective; 3]> {
        let vk = &self.key.pvk.vk;
        let ic = G1Projective::msm(&vk.gamma_abc_g1, &self.ic_scalars).ok()?;
        let c_sum = G1Projective::msm(&self.c, &self.r).ok()?;
        Some([vk.alpha_g1.into_group() * (-self.ic_scalars[0]), ic, c_sum])
    }

    /// `beta`, `-gamma`, `-delta`, in blst's form.
    fn g2_terms(&self) -> [blst_p2_affine; 3] {
        let k = &self.key.blst;
        [k.beta, k.gamma_neg, k.delta_neg]
    }
}

/// The random-linear-combination check of all the claims, under any number of keys.
pub(crate) fn combined_check<R: RngCore + ?Sized>(claims: &[Claim<'_>], rng: &mut R) -> bool {
    let limbs: Vec<[u64; 2]> = claims.iter().map(|_| random_scalar(rng)).collect();
    let r = limbs
        .iter()
        .map(|l| Fr::from((u128::from(l[1]) << 64) | u128::from(l[0])));

    // The keys in order of first use, so the pairs' order does not depend on hashing.
    let mut keys: Vec<KeyTerms<'_>> = Vec::new();
    for (claim, r_i) in claims.iter().zip(r) {
        let at = match keys.iter().position(|k| k.key.hash() == claim.key.hash()) {
            Some(at) => at,
            None => {
                keys.push(KeyTerms::new(claim.key));
                keys.len() - 1
            }
        };
        keys[at].add(claim, r_i);
    }

    // r_i·A_i with B_i for every proof, then each key's three pairs.
    let mut g1: Vec<G1Projective> = claims
        .iter()
        .zip(&limbs)
        .map(|(claim, l)| claim.proof.as_ark().a.mul_bigint(l))
        .collect();
    let mut g2: Vec<blst_p2_affine> = claims
        .iter()
        .map(|claim| pairing::g2(&claim.proof.as_ark().b))
        .collect();
    for k in &keys {
        let Some(terms) = k.g1_terms() else {
            return false;
        };
        g1.extend(terms);
        g2.extend(k.g2_terms());
    }
    let g1 = G1Projective::normalize_batch(&g1);

    let mut pairs = Pairs::with_capacity(g1.len());
    for (p, q) in g1.iter().zip(g2) {
        pairs.push(p, q);
    }
    pairs.is_one()
}

#[cfg(test)]
mod tests {
    //! The combined check on its own: [`verify_batch`](super::verify_batch)'s one-by-one fallback
    //! would hide a combined check that rejects valid batches.

    use super::{combined_check, Claim};
    use crate::test_circuit as common;
    use crate::{Fr, InvoiceProof, InvoiceVerifyingKey, PreparedInvoiceKey};

    fn items(n: usize) -> (PreparedInvoiceKey, Vec<(InvoiceProof, Vec<Fr>)>) {
        let (pk, vk) = common::setup(5, 21);
        let key = InvoiceVerifyingKey::new(vk).unwrap().prepare();
        let items = (1..=n as u64)
            .map(|w| {
                let (proof, x) = common::prove(&pk, w, 40 + w);
                (InvoiceProof::from(proof), x)
            })
            .collect();
        (key, items)
    }

    fn claims<'a>(key: &'a PreparedInvoiceKey, items: &'a [(InvoiceProof, Vec<Fr>)]) -> Vec<Claim<'a>> {
        items
            .iter()
            .map(|(proof, inputs)| Claim {
                key: key.erase(),
                proof,
                inputs,
            })
            .collect()
    }

    #[test]
    fn combined_check_accepts_valid_batches_and_rejects_a_bad_item() {
        let (key, mut items) = items(8);
        for k in [2, 3, 8] {
            for seed in 0..3 {
                assert!(
                    combined_check(&claims(&key, &items[..k]), &mut common::rng(seed)),
                    "k {k} seed {seed}"
                );
            }
        }
        items[5].1[4] += Fr::from(1u64);
        for seed in 0..3 {
            assert!(
                !combined_check(&claims(&key, &items), &mut common::rng(seed)),
                "seed {seed}"
            );
        }
        // Two proofs' C swapped: each wrong, though the sum of the C's is unchanged.
        let (_, mut items) = self::items(4);
        let (c1, c2) = (items[1].0.as_ark().c, items[2].0.as_ark().c);
        let mut p1 = items[1].0.clone().into_ark();
        let mut p2 = items[2].0.clone().into_ark();
        p1.c = c2;
        p2.c = c1;
        items[1].0 = p1.into();
        items[2].0 = p2.into();
        assert!(!combined_check(&claims(&key, &items), &mut common::rng(0)));
    }
}
