//! Verifying one proof.

use ark_bls12_381::Bls12_381;
use ark_groth16::Groth16;

use crate::error::VerifyError;
use crate::inputs::InvoicePublicInputs;
use crate::key::PreparedInvoiceKey;
use crate::proof::InvoiceProof;

/// Verifies one proof against a prepared key and the statement's public inputs:
/// [`VerifyError::InvalidProof`] if the pairing check fails.
pub fn verify(
    key: &PreparedInvoiceKey,
    proof: &InvoiceProof,
    inputs: &InvoicePublicInputs,
) -> Result<(), VerifyError> {
    // The key has exactly one `gamma_abc_g1` point per input plus one (checked when it was
    // decoded), so `prepare_inputs` (which zips the two) uses every input. arkworks never returns
    // an error here; were it to, the proof is not accepted.
    match Groth16::<Bls12_381>::verify_proof(&key.pvk, proof.as_ark(), &inputs.to_field_elements()) {
        Ok(true) => Ok(()),
        Ok(false) | Err(_) => Err(VerifyError::InvalidProof),
    }
}
