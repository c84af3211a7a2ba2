//! The Groth16 prover (issue 14): standard Groth16 proofs over BLS12-381, made the way gnark makes
//! them rather than the way arkworks' `Groth16::prove` does.
//!
//! * **Matrices once** ([`R1cs`]): a statement's constraint matrices are read once per process
//!   from the `.r1cs` file beside its key ([`load_r1cs`]; synthesised from the blank circuit only
//!   when a key directory has none), pinned by the circuit digest in the key's manifest, held
//!   compactly and shared by every key of the statement ([`r1cs`]); a proof synthesises the
//!   witness only ([`zkinvoice_circuits::statement::r1cs::witness`]), recording no constraint, and
//!   its quotient is computed over them ([`quotient`]).
//! * **A filtered key** ([`key::FilteredKey`]): the points at infinity (variables absent from A or
//!   B) dropped once, when the key is read, straight from the file.
//! * **blst's MSMs** ([`msm`]), with scalars sorted by size as arkworks does; arkworks' MSM stays
//!   selectable ([`Backend`]). The quotient (FFTs, then its MSM) runs beside A, B and the witness
//!   MSMs.
//!
//! The proof is `A = α + Σ aᵢzᵢ + rδ`, `B = β + Σ bᵢzᵢ + sδ` (in G2, and in G1 for C) and
//! `C = Σ lⱼwⱼ + Σ hₖtₖ + sA + rB − rsδ`, exactly arkworks' (tested both ways).

pub mod key;
pub mod msm;
pub mod quotient;

use std::{
    collections::BTreeMap,
    path::Path,
    sync::{Arc, Mutex},
};

use ark_bls12_381::{Bls12_381, Fr, G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use ark_ff::{PrimeField, UniformRand};
use ark_groth16::{Proof, ProvingKey, VerifyingKey};
use ark_relations::gr1cs::ConstraintSynthesizer;
use rand::{CryptoRng, RngCore};
use rayon::join;
use zkinvoice_circuits::statement::{r1cs::witness, R1cs};

pub use key::FilteredKey;
pub use msm::Backend;

use self::msm::Scalar;
use crate::ProverError;

fn to_scalars(v: &[Fr]) -> Vec<Scalar> {
    use rayon::prelude::*;
    v.par_iter().map(|x| x.into_bigint()).collect()
}

/// The matrices of the statement `id` (its statement id and shape), built by `build` the first
/// time this process asks for them and kept for its lifetime (keys loaded again, or fuzzed, do not
/// read or synthesise them again).
pub fn r1cs(id: &str, build: impl FnOnce() -> Result<R1cs, ProverError>) -> Result<Arc<R1cs>, ProverError> {
    static CACHE: Mutex<BTreeMap<String, Arc<R1cs>>> = Mutex::new(BTreeMap::new());
    let mut cache = CACHE.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(r) = cache.get(id) {
        return Ok(r.clone());
    }
    let r = Arc::new(build()?);
    cache.insert(id.into(), r.clone());
    Ok(r)
}

/// A statement's matrices synthesised from its blank circuit.
pub fn synthesise(statement: &str, circuit: impl ConstraintSynthesizer<Fr>) -> Result<R1cs, ProverError> {
    R1cs::of(statement, circuit).map_err(|e| ProverError::Proving(e.to_string()))
}

/// The matrices of `statement` for a key directory: read from its circom file `file` if the
/// directory has one (written by `setup`, or by `export circom` into an older directory), else
/// synthesised by `build`; either way (and when this process already holds them, as `id`) their
/// digest must be `expected` (hex, the manifest's circuit digest).
pub fn load_r1cs(
    id: &str,
    statement: &str,
    file: &Path,
    expected: &str,
    build: impl FnOnce() -> Result<R1cs, ProverError>,
) -> Result<Arc<R1cs>, ProverError> {
    let err = |reason: String| ProverError::KeyFile {
        file: file.into(),
        reason,
    };
    let check = |r: R1cs| -> Result<R1cs, ProverError> {
        let digest = hex::encode(r.digest);
        if digest == expected {
            Ok(r)
        } else {
            Err(err(format!(
                "matrices of circuit {digest}, the keys were made for circuit {expected}: delete the file, or write it again with `zkinvoice export circom`"
            )))
        }
    };
    // Checked before they are cached, so that a bad file never stands in for the statement.
    let r = r1cs(id, || match std::fs::File::open(file) {
        Ok(f) => {
            let len = f.metadata().map_err(|e| err(format!("cannot read: {e}")))?.len();
            check(
                R1cs::read_circom(statement, std::io::BufReader::with_capacity(1 << 20, f), len)
                    .map_err(|e| err(format!("not this statement's constraint system: {e}")))?,
            )
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => build(),
        Err(e) => Err(err(format!("cannot read: {e}"))),
    })?;
    if hex::encode(r.digest) != expected {
        return Err(ProverError::KeyFile {
            file: file.into(),
            reason: format!(
                "keys made for circuit {expected}, but this build's is {}: make keys again with `zkinvoice setup`",
                hex::encode(r.digest)
            ),
        });
    }
    Ok(r)
}

/// One statement's prover: its matrices and its filtered proving key.
pub struct StatementProver {
    r1cs: Arc<R1cs>,
    key: FilteredKey,
}

impl StatementProver {
    /// From a filtered key of the statement `r1cs`.
    pub fn new(r1cs: Arc<R1cs>, key: FilteredKey) -> Self {
        Self { r1cs, key }
    }

    /// From an arkworks key of the statement `r1cs`.
    pub fn of(r1cs: Arc<R1cs>, pk: &ProvingKey<Bls12_381>, backend: Backend) -> Result<Self, ProverError> {
        let key = FilteredKey::of(pk, &r1cs, backend)?;
        Ok(Self { r1cs, key })
    }

    /// The verifying key.
    pub fn vk(&self) -> &VerifyingKey<Bls12_381> {
        &self.key.vk
    }

    /// The statement's matrices.
    pub fn r1cs(&self) -> &R1cs {
        &self.r1cs
    }

    /// The filtered key.
    pub fn key(&self) -> &FilteredKey {
        &self.key
    }

    /// Proves `circuit` (with its witness) with fresh randomness.
    pub fn prove<C: ConstraintSynthesizer<Fr>>(
        &self,
        circuit: C,
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<Proof<Bls12_381>, ProverError> {
        let z = witness(circuit).map_err(|e| ProverError::Proving(e.to_string()))?;
        let (r, s) = (Fr::rand(rng), Fr::rand(rng));
        self.prove_assignment(&z, r, s)
    }

    /// Proves the full assignment `z` (instance variables from the constant one, then witness
    /// variables) with randomness `r`, `s`.
    pub fn prove_assignment(&self, z: &[Fr], r: Fr, s: Fr) -> Result<Proof<Bls12_381>, ProverError> {
        let n = self.r1cs.num_variables();
        if z.len() != n {
            return Err(ProverError::Proving(format!(
                "the circuit assigned {} variables, its statement has {n}",
                z.len()
            )));
        }
        let k = &self.key;
        let scalars = to_scalars(z);
        // The quotient (FFTs, then its MSM) beside the four MSMs of the assignment.
        let (h, ([a, b1, l], b2)) = join(
            || -> Result<G1Projective, ProverError> { Ok(k.h.msm(&to_scalars(&self.quotient(z)?))) },
            || self.assignment_msms(&scalars),
        );
        let vk = &k.vk;
        let delta1 = k.delta_g1.into_group();
        let a: G1Projective = vk.alpha_g1.into_group() + a + delta1 * r;
        let b2: G2Projective = vk.beta_g2.into_group() + b2 + vk.delta_g2.into_group() * s;
        let b1: G1Projective = k.beta_g1.into_group() + b1 + delta1 * s;
        let c = l + h? + a * s + b1 * r - delta1 * (r * s);
        Ok(Proof {
            a: a.into_affine(),
            b: b2.into_affine(),
            c: c.into_affine(),
        })
    }

    /// The quotient's coefficients `h` for the full assignment `z` ([`quotient::quotient`]: the
    /// libsnark reduction over the cached matrices).
    pub fn quotient(&self, z: &[Fr]) -> Result<Vec<Fr>, ProverError> {
        quotient::quotient(&self.r1cs, z)
    }

    /// The MSMs over the assignment (`scalars`: the full assignment's): A, B in G1 and the
    /// witness part of C in G1, then B in G2, run concurrently.
    fn assignment_msms(&self, scalars: &[Scalar]) -> ([G1Projective; 3], G2Projective) {
        let k = &self.key;
        let gather = |vars: &[u32]| -> Vec<Scalar> { vars.iter().map(|&i| scalars[i as usize]).collect() };
        let (a, (b1, (l, b2))) = join(
            || k.a.points.msm(&gather(&k.a.variables)),
            || {
                join(
                    || k.b_g1.points.msm(&gather(&k.b_g1.variables)),
                    || {
                        join(
                            || k.l.points.msm(&gather(&k.l.variables)),
                            || k.b_g2.points.msm(&gather(&k.b_g2.variables)),
                        )
                    },
                )
            },
        );
        ([a, b1, l], b2)
    }

    /// The five MSMs of a proof alone, one after the other, for the full assignment `z` and the
    /// quotient `h` (the physical floor of proving, for the benches).
    pub fn msms(&self, z: &[Fr], h: &[Fr]) -> ([G1Projective; 4], G2Projective) {
        let k = &self.key;
        let scalars = to_scalars(z);
        let gather = |vars: &[u32]| -> Vec<Scalar> { vars.iter().map(|&i| scalars[i as usize]).collect() };
        let g1 = [
            k.a.points.msm(&gather(&k.a.variables)),
            k.b_g1.points.msm(&gather(&k.b_g1.variables)),
            k.l.points.msm(&gather(&k.l.variables)),
            k.h.msm(&to_scalars(h)),
        ];
        (g1, k.b_g2.points.msm(&gather(&k.b_g2.variables)))
    }
}
