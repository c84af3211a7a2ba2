//! A Groth16 setup ceremony in which every party contributes and one honest contributor suffices
//! (issue 15): phase 1 (powers of tau, [`phase1`]) and phase 2 per statement ([`phase2`]), each
//! contribution with proofs of knowledge ([`pok`]) bound to the hash chain of the transcript's
//! records ([`record`]), kept in a directory the parties pass to each other ([`transcript`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
pub mod fft;
pub mod group;
mod import;
pub mod msm;
pub mod phase1;
pub mod phase2;
pub mod phase2_steps;
pub mod pok;
pub mod ptau;
pub mod ptau_export;
pub mod record;
pub mod split;
pub mod steps;
mod sums;
pub mod transcript;

use ark_bls12_381::{G1Affine, G2Affine};
use ark_ec::AffineRepr;
use rayon::prelude::*;
use zkinvoice_verifier::pairing::{in_g1, in_g2};

pub use error::CeremonyError;

/// Reports the progress of a long step (a progress bar in the CLI; `()` reports nothing).
pub trait Progress: Sync {
    /// A step of `total` units begins.
    fn begin(&self, what: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
}

impl Progress for () {
    fn begin(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// Whether every point is on G1 (the curve and the prime-order subgroup), checked in parallel;
/// the subgroup check is blst's ([`in_g1`]: 1.2 times as fast as arkworks' in G1, 1.7 in G2,
/// `benches/benches/ceremony.rs`). The generator needs none (a fresh accumulator is nothing
/// else).
pub fn valid_g1(points: &[G1Affine]) -> bool {
    let g = G1Affine::generator();
    points
        .par_iter()
        .all(|p| *p == g || (p.is_on_curve() && in_g1(p)))
}

/// Whether every point is on G2, checked in parallel (the subgroup check blst's, [`in_g2`]).
pub fn valid_g2(points: &[G2Affine]) -> bool {
    let g = G2Affine::generator();
    points
        .par_iter()
        .all(|p| *p == g || (p.is_on_curve() && in_g2(p)))
}
