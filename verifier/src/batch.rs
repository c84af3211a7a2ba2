//! Verifying many proofs under one key at once, by a random linear combination.
//!
//! A proof `(A, B, C)` for inputs `x` verifies when
//! `e(A, B) = e(alpha, beta) · e(IC(x), gamma) · e(C, delta)` with
//! `IC(x) = gamma_abc[0] + Σ_j x_j · gamma_abc[j + 1]`. For random nonzero 128-bit `r_i`, the batch
//! checks
//!
//! `Π_i e(r_i·A_i, B_i) · e(-(Σ_i r_i)·alpha, beta) · e(Σ_i r_i·IC(x_i), -gamma) · e(Σ_i r_i·C_i, -delta) = 1`
//!
//! with one multi-Miller loop over `k + 3` pairs and one final exponentiation. `Σ_i r_i·IC(x_i)` is one
//! multi-scalar multiplication over the key's 6 points with the scalars `Σ_i r_i` and
//! `Σ_i r_i·x_ij`. A batch containing an invalid proof passes with probability at most about
//! `2^-128` (points are in the prime-order subgroups: [`InvoiceProof::from_bytes`] checks).

use ark_bls12_381::{Bls12_381, Fr, G1Affine, G1Projective};
use ark_ec::pairing::Pairing;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{One, Zero};
use rand::RngCore;

use crate::error::VerifyError;
use crate::inputs::{InvoicePublicInputs, PUBLIC_INPUT_COUNT};
use crate::key::PreparedInvoiceKey;
use crate::proof::InvoiceProof;
use crate::verify::verify;

/// Verifies a batch of proofs under one key.
///
/// An empty batch is valid; a batch of one is checked by [`verify`]. Otherwise the whole batch is
/// checked at once (see the module documentation), and only if that fails is every proof checked
/// one by one, to name the bad ones: [`VerifyError::BatchInvalid`] with their positions, ascending.
pub fn verify_batch<R: RngCore + ?Sized>(
    key: &PreparedInvoiceKey,
    items: &[(&InvoiceProof, &InvoicePublicInputs)],
    rng: &mut R,
) -> Result<(), VerifyError> {
    match items {
        [] => return Ok(()),
        [(proof, inputs)] => {
            return verify(key, proof, inputs).map_err(|_| VerifyError::BatchInvalid { invalid: vec![0] })
        }
        _ => {}
    }
    if combined_check(key, items, rng) {
        return Ok(());
    }
    let invalid: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, (proof, inputs))| verify(key, proof, inputs).is_err())
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

/// The random-linear-combination check of the whole batch.
fn combined_check<R: RngCore + ?Sized>(
    key: &PreparedInvoiceKey,
    items: &[(&InvoiceProof, &InvoicePublicInputs)],
    rng: &mut R,
) -> bool {
    let vk = &key.pvk.vk;
    let limbs: Vec<[u64; 2]> = items.iter().map(|_| random_scalar(rng)).collect();
    let r: Vec<Fr> = limbs
        .iter()
        .map(|l| Fr::from((u128::from(l[1]) << 64) | u128::from(l[0])))
        .collect();
    let r_sum: Fr = r.iter().sum();

    // Σ_i r_i·IC(x_i) = (Σ_i r_i)·gamma_abc[0] + Σ_j (Σ_i r_i·x_ij)·gamma_abc[j + 1].
    let mut ic_scalars = [Fr::zero(); PUBLIC_INPUT_COUNT + 1];
    ic_scalars[0] = r_sum;
    for ((_, inputs), r_i) in items.iter().zip(&r) {
        for (s, x) in ic_scalars[1..].iter_mut().zip(inputs.to_field_elements()) {
            *s += *r_i * x;
        }
    }
    let Ok(ic) = G1Projective::msm(&vk.gamma_abc_g1, &ic_scalars) else {
        return false;
    };
    let c: Vec<G1Affine> = items.iter().map(|(proof, _)| proof.as_ark().c).collect();
    let Ok(c_sum) = G1Projective::msm(&c, &r) else {
        return false;
    };

    // G1 side: r_i·A_i for every proof, then -(Σ r_i)·alpha, Σ r_i·IC_i, Σ r_i·C_i.
    let mut g1: Vec<G1Projective> = items
        .iter()
        .zip(&limbs)
        .map(|((proof, _), l)| proof.as_ark().a.mul_bigint(l))
        .collect();
    g1.push(vk.alpha_g1.into_group() * (-r_sum));
    g1.push(ic);
    g1.push(c_sum);
    let g1 = G1Projective::normalize_batch(&g1);

    // G2 side: B_i, then beta, -gamma, -delta (the prepared key holds gamma and delta negated).
    let mut g2: Vec<<Bls12_381 as Pairing>::G2Prepared> =
        items.iter().map(|(proof, _)| proof.as_ark().b.into()).collect();
    g2.push(key.beta_g2_pc.clone());
    g2.push(key.pvk.gamma_g2_neg_pc.clone());
    g2.push(key.pvk.delta_g2_neg_pc.clone());

    let miller = Bls12_381::multi_miller_loop(g1, g2);
    Bls12_381::final_exponentiation(miller).is_some_and(|out| out.0.is_one())
}

#[cfg(test)]
#[path = "../tests/common/mod.rs"]
mod test_circuit;

#[cfg(test)]
mod tests {
    //! The combined check on its own: [`verify_batch`]'s one-by-one fallback would hide a combined
    //! check that rejects valid batches.

    use super::combined_check;
    use super::test_circuit as common;
    use crate::{InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKey};

    fn items(
        n: usize,
    ) -> (
        crate::PreparedInvoiceKey,
        Vec<(InvoiceProof, InvoicePublicInputs)>,
    ) {
        let (pk, vk) = common::setup(5, 21);
        let key = InvoiceVerifyingKey::new(vk).unwrap().prepare();
        let items = (1..=n as u64)
            .map(|w| {
                let (proof, x) = common::prove(&pk, w, 40 + w);
                let inputs = InvoicePublicInputs {
                    msa_commitment: x[0],
                    usage_commitment: x[1],
                    state_before: x[2],
                    state_after: x[3],
                    invoice_commitment: x[4],
                };
                (InvoiceProof::from(proof), inputs)
            })
            .collect();
        (key, items)
    }

    #[test]
    fn combined_check_accepts_valid_batches_and_rejects_a_bad_item() {
        let (key, mut items) = items(8);
        for k in [2, 3, 8] {
            for seed in 0..3 {
                let refs: Vec<_> = items[..k].iter().map(|(p, x)| (p, x)).collect();
                assert!(
                    combined_check(&key, &refs, &mut common::rng(seed)),
                    "k {k} seed {seed}"
                );
            }
        }
        items[5].1.invoice_commitment += crate::Fr::from(1u64);
        let refs: Vec<_> = items.iter().map(|(p, x)| (p, x)).collect();
        for seed in 0..3 {
            assert!(
                !combined_check(&key, &refs, &mut common::rng(seed)),
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
        let refs: Vec<_> = items.iter().map(|(p, x)| (p, x)).collect();
        assert!(!combined_check(&key, &refs, &mut common::rng(0)));
    }
}
