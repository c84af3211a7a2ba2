//! Two tiny test statements with any number of public inputs, so that tests have keys of several
//! statements and input counts: [`Multiples`], `x_i = i · w` for `i = 1..=n`, with a witness `w`
//! (and `w · w` computed, so the circuit has a multiplication), and [`Powers`], `x_i = w^i`; their
//! keys and proofs. Returns arkworks types only, so it can be included by the crate's unit tests too.
#![allow(dead_code)]

use ark_bls12_381::{Bls12_381, Fr};
use ark_groth16::{Groth16, Proof, ProvingKey, VerifyingKey};
use ark_r1cs_std::alloc::AllocVar;
use ark_r1cs_std::eq::EqGadget;
use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;

/// `x_i = i · w` for `i = 1..=n`.
#[derive(Clone)]
pub struct Multiples {
    pub w: Fr,
    pub n: usize,
}

impl Multiples {
    /// The public inputs `[1·w, 2·w, ..., n·w]`.
    pub fn inputs(&self) -> Vec<Fr> {
        (1..=self.n as u64).map(|i| Fr::from(i) * self.w).collect()
    }
}

impl ConstraintSynthesizer<Fr> for Multiples {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let inputs = self.inputs();
        let w = FpVar::new_witness(cs.clone(), || Ok(self.w))?;
        let w2 = FpVar::new_witness(cs.clone(), || Ok(self.w * self.w))?;
        w2.enforce_equal(&(&w * &w))?;
        for (i, x) in inputs.into_iter().enumerate() {
            let x = FpVar::new_input(cs.clone(), || Ok(x))?;
            x.enforce_equal(&(&w * Fr::from(i as u64 + 1)))?;
        }
        Ok(())
    }
}

/// `x_i = w^i` for `i = 1..=n`: another circuit than [`Multiples`], so its keys differ in more
/// than their number of inputs.
#[derive(Clone)]
pub struct Powers {
    pub w: Fr,
    pub n: usize,
}

impl Powers {
    /// The public inputs `[w, w^2, ..., w^n]`.
    pub fn inputs(&self) -> Vec<Fr> {
        (1..=self.n)
            .scan(Fr::from(1u64), |acc, _| {
                *acc *= self.w;
                Some(*acc)
            })
            .collect()
    }
}

impl ConstraintSynthesizer<Fr> for Powers {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let inputs = self.inputs();
        let w = FpVar::new_witness(cs.clone(), || Ok(self.w))?;
        let mut power = w.clone();
        for x in inputs {
            let x = FpVar::new_input(cs.clone(), || Ok(x))?;
            x.enforce_equal(&power)?;
            power *= &w;
        }
        Ok(())
    }
}

/// A seeded RNG.
pub fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// Keys for the statement with `n` public inputs.
pub fn setup(n: usize, seed: u64) -> (ProvingKey<Bls12_381>, VerifyingKey<Bls12_381>) {
    Groth16::<Bls12_381>::circuit_specific_setup(Multiples { w: Fr::from(1u64), n }, &mut rng(seed))
        .expect("setup")
}

/// A proof for `w` and its public inputs.
pub fn prove(pk: &ProvingKey<Bls12_381>, w: u64, seed: u64) -> (Proof<Bls12_381>, Vec<Fr>) {
    let n = pk.vk.gamma_abc_g1.len() - 1;
    let circuit = Multiples { w: Fr::from(w), n };
    let inputs = circuit.inputs();
    let proof = Groth16::<Bls12_381>::prove(pk, circuit, &mut rng(seed)).expect("prove");
    (proof, inputs)
}

/// Keys for the [`Powers`] statement with `n` public inputs.
pub fn setup_powers(n: usize, seed: u64) -> (ProvingKey<Bls12_381>, VerifyingKey<Bls12_381>) {
    Groth16::<Bls12_381>::circuit_specific_setup(Powers { w: Fr::from(1u64), n }, &mut rng(seed))
        .expect("setup")
}

/// A proof of the [`Powers`] statement for `w` and its public inputs.
pub fn prove_powers(pk: &ProvingKey<Bls12_381>, w: u64, seed: u64) -> (Proof<Bls12_381>, Vec<Fr>) {
    let n = pk.vk.gamma_abc_g1.len() - 1;
    let circuit = Powers { w: Fr::from(w), n };
    let inputs = circuit.inputs();
    let proof = Groth16::<Bls12_381>::prove(pk, circuit, &mut rng(seed)).expect("prove");
    (proof, inputs)
}

/// The compressed encoding of an arkworks value.
pub fn compressed<T: CanonicalSerialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    value.serialize_compressed(&mut out).expect("serialize");
    out
}
