//! Verifying one proof: typed by its statement ([`verify`]), and the statement-erased check every
//! other path (batches, mixed batches, their one-by-one fallback) ends in.

use ark_bls12_381::{Bls12_381, Fr};
use ark_groth16::Groth16;

use crate::error::VerifyError;
use crate::key::{PreparedAnyKey, PreparedKeyOf};
use crate::proof::InvoiceProof;
use crate::statement::{PublicInputs, Statement};

/// Verifies one proof against a prepared key of statement `S` and the statement's public inputs:
/// [`VerifyError::InvalidProof`] if the pairing check fails, [`VerifyError::KeyMismatch`] (before
/// any pairing) if the inputs are not `S::INPUTS` field elements.
pub fn verify<S: Statement>(
    key: &PreparedKeyOf<S>,
    proof: &InvoiceProof,
    inputs: &S::Inputs,
) -> Result<(), VerifyError> {
    let inputs = inputs.to_field_elements();
    key.erase().check_input_count(inputs.len(), "a proof")?;
    verify_erased(key.erase(), proof, &inputs)
}

/// Verifies one proof against a key whose number of public inputs is `inputs.len()` (checked by the
/// caller): [`VerifyError::InvalidProof`] if the pairing check fails.
pub(crate) fn verify_erased(
    key: &PreparedAnyKey,
    proof: &InvoiceProof,
    inputs: &[Fr],
) -> Result<(), VerifyError> {
    // The key has exactly one `gamma_abc_g1` point per input plus one (checked when it was
    // decoded, and the inputs' count by the caller), so `prepare_inputs` (which zips the two) uses
    // every input. arkworks never returns an error here; were it to, the proof is not accepted.
    match Groth16::<Bls12_381>::verify_proof(&key.pvk, proof.as_ark(), inputs) {
        Ok(true) => Ok(()),
        Ok(false) | Err(_) => Err(VerifyError::InvalidProof),
    }
}
