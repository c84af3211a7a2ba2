//! Group arithmetic the ceremony repeats over long lists: one multiplication per point (GLV in
//! both groups), in parallel, reporting progress.

use ark_bls12_381::Fr;
use ark_ec::{
    scalar_mul::glv::GLVConfig,
    short_weierstrass::{Affine, Projective},
    AffineRepr, CurveGroup,
};
use rayon::prelude::*;

use crate::Progress;

/// A group element with its fastest multiplication by a scalar.
pub trait Element: Copy + Send + Sync + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> {
    /// `self · s`.
    fn times(self, s: Fr) -> Self;
}

impl<P: GLVConfig<ScalarField = Fr>> Element for Projective<P> {
    fn times(self, s: Fr) -> Self {
        P::glv_mul_projective(self, s)
    }
}

/// Points between two reports of progress.
const CHUNK: usize = 1 << 10;

/// `points[i]·scalar(i)` for every point, in parallel, reporting each chunk done.
pub fn scale<P: GLVConfig<ScalarField = Fr>>(
    points: &[Affine<P>],
    scalar: impl Fn(usize) -> Fr + Sync,
    progress: &dyn Progress,
) -> Vec<Affine<P>> {
    let out: Vec<Projective<P>> = points
        .par_chunks(CHUNK)
        .enumerate()
        .flat_map_iter(|(c, chunk)| {
            let v: Vec<Projective<P>> = chunk
                .iter()
                .enumerate()
                .map(|(i, p)| p.into_group().times(scalar(c * CHUNK + i)))
                .collect();
            progress.advance(v.len() as u64);
            v
        })
        .collect();
    Projective::<P>::normalize_batch(&out)
}
