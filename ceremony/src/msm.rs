//! The verification's multi-scalar multiplications, by blst's Pippenger (the prover's, about
//! twice as fast as arkworks' on both groups); points at infinity are left out, as blst's affine
//! form has none.

use ark_bls12_381::Fr;
use ark_ec::AffineRepr;
use ark_ff::PrimeField;
use rayon::prelude::*;
use zkinvoice_prover::groth16::{
    msm::{Curve, Group, Points},
    Backend,
};

/// `Σ scalars[i]·points[i]`.
pub fn msm<C: Curve>(points: &[C::Ark], scalars: &[Fr]) -> Group<C> {
    assert_eq!(points.len(), scalars.len(), "as many scalars as points");
    let mut p = Points::<C>::with_capacity(Backend::Blst, points.len());
    let mut s = Vec::with_capacity(points.len());
    for (point, scalar) in points.iter().zip(scalars) {
        if !point.is_zero() {
            p.push(point);
            s.push(*scalar);
        }
    }
    let s: Vec<_> = s.par_iter().map(|x| x.into_bigint()).collect();
    p.msm(&s)
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{G1Affine, G1Projective, G2Affine, G2Projective};
    use ark_ec::{CurveGroup, VariableBaseMSM};
    use ark_ff::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;
    use zkinvoice_prover::groth16::msm::{G1, G2};

    use super::*;

    #[test]
    fn blst_msm_with_points_at_infinity_is_arkworks() {
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let s: Vec<Fr> = (0..40).map(|_| Fr::rand(&mut rng)).collect();
        let mut p1: Vec<G1Affine> = (0..40)
            .map(|_| G1Projective::rand(&mut rng).into_affine())
            .collect();
        let mut p2: Vec<G2Affine> = (0..40)
            .map(|_| G2Projective::rand(&mut rng).into_affine())
            .collect();
        p1[3] = G1Affine::zero();
        p2[7] = G2Affine::zero();
        assert_eq!(msm::<G1>(&p1, &s), G1Projective::msm(&p1, &s).unwrap());
        assert_eq!(msm::<G2>(&p2, &s), G2Projective::msm(&p2, &s).unwrap());
    }
}
