//! The quotient polynomial of a proof: libsnark's R1CS-to-QAP reduction, as arkworks'
//! `LibsnarkReduction::witness_map_from_matrices` computes it (the same field elements, tested
//! through the proofs, which equal arkworks' bit for bit), over the compact matrices.
//!
//! On the evaluation domain, row `i < n` holds `aᵢ = Aᵢ·z` and `bᵢ = Bᵢ·z`; rows `n..n + ℓ` hold
//! the instance variables in `a` (libsnark's trick that makes the instance's polynomials
//! independent) and zero in `b`. For an assignment that satisfies the constraints `Cᵢ·z = aᵢbᵢ`,
//! and beyond `n` both sides are zero, so `c` is taken as `a ∘ b` and C is never evaluated. An
//! assignment that does not satisfy the constraints gets a proof that does not verify, as it
//! would from arkworks (its `C·z` differs from the `c` here, and C's part of the proof is
//! computed from `z` itself).

use ark_ff::{FftField, Field, Zero};
use ark_poly::{EvaluationDomain, GeneralEvaluationDomain};
use rayon::prelude::*;
use zkinvoice_circuits::statement::{r1cs::Which, R1cs};

use ark_bls12_381::Fr;

use crate::ProverError;

/// The coefficients of `h = (a·b − c) / Z` for the full assignment `z` of `r1cs`: `A·z` and `B·z`
/// on the domain, three inverse FFTs, three coset FFTs, one inverse coset FFT.
pub fn quotient(r1cs: &R1cs, z: &[Fr]) -> Result<Vec<Fr>, ProverError> {
    let (n, inputs) = (r1cs.num_constraints(), r1cs.num_instance);
    if z.len() != r1cs.num_variables() {
        return Err(ProverError::Proving(format!(
            "an assignment of {} variables, the statement has {}",
            z.len(),
            r1cs.num_variables()
        )));
    }
    let domain = GeneralEvaluationDomain::<Fr>::new(n + inputs)
        .ok_or_else(|| ProverError::Proving("the statement is too large for BLS12-381's FFTs".into()))?;
    let size = domain.size();
    let mut a = vec![Fr::zero(); size];
    let mut b = vec![Fr::zero(); size];
    a[..n]
        .par_iter_mut()
        .zip(&mut b[..n])
        .enumerate()
        .for_each(|(i, (a, b))| {
            *a = r1cs.evaluate(i, Which::A, z);
            *b = r1cs.evaluate(i, Which::B, z);
        });
    a[n..n + inputs].copy_from_slice(&z[..inputs]);
    let mut c: Vec<Fr> = a.par_iter().zip(&b).map(|(a, b)| *a * b).collect();
    let coset = domain
        .get_coset(Fr::GENERATOR)
        .ok_or_else(|| ProverError::Proving("no coset of the domain".into()))?;
    for v in [&mut a, &mut b, &mut c] {
        domain.ifft_in_place(v);
        coset.fft_in_place(v);
    }
    let z_inverse = domain
        .evaluate_vanishing_polynomial(Fr::GENERATOR)
        .inverse()
        .ok_or_else(|| ProverError::Proving("the coset meets the domain".into()))?;
    a.par_iter_mut()
        .zip(&b)
        .zip(&c)
        .for_each(|((a, b), c)| *a = (*a * b - c) * z_inverse);
    drop((b, c));
    coset.ifft_in_place(&mut a);
    Ok(a)
}
