//! The proof envelope: what the Seller sends the Buyer and anchors.

use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{commit::StateDoc, model::invoice::InvoiceDoc};
use zkinvoice_verifier::{InvoiceProofs, InvoicePublicInputs, PreparedInvoiceKeys};

use crate::ProverError;

/// The proof scheme.
pub use zkinvoice_verifier::SCHEME;

/// A proved invoice: the proof (v1) or the partitions' proofs (v2), its public inputs, the invoice
/// with the salt that opens its commitment, and the state after the period with its opening (for
/// the Seller's next period).
///
/// Groth16 proofs are malleable: identify an envelope by its invoice commitment, never by the
/// proof's bytes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProofEnvelope {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// `zkinvoice/invoice/v1`, or `zkinvoice/partitioned/v2` for a partitioned invoice.
    pub statement: String,
    /// Shape name (a partition shape's for v2).
    pub shape: String,
    /// The hash of the verifying key(s), hex ([`zkinvoice_verifier::InvoiceVerifyingKeys::hash`]).
    pub vk_hash: String,
    /// The proof: base64 of its 192 compressed bytes (v1) or of the partitioned encoding (v2,
    /// [`zkinvoice_verifier::partition::PartitionedProof::to_bytes`]).
    pub proof: InvoiceProofs,
    /// The five public inputs.
    pub public_inputs: InvoicePublicInputs,
    /// The invoice, with `commitment: {shape, salt, value}`.
    pub invoice: InvoiceDoc,
    /// The state after the period (its salt included: the Seller keeps it for the next period).
    pub state_after: StateDoc,
}

impl ProofEnvelope {
    /// Verifies the envelope's proof(s) against `keys` of shape `shape` and the five `anchored`
    /// commitments (for an envelope not yet anchored, its own `publicInputs`, which the caller
    /// then checks against what it holds): the scheme, statement, shape, key hash and public
    /// inputs are those, then the proof(s) verify. The invoice and state after are the Buyer's
    /// check's (`zkinvoice-check`).
    pub fn verify<R: rand::RngCore + ?Sized>(
        &self,
        shape: &str,
        keys: &PreparedInvoiceKeys,
        anchored: &InvoicePublicInputs,
        rng: &mut R,
    ) -> Result<(), ProverError> {
        let header = |field: &str, found: &str, expected: &str| {
            (found != expected).then(|| ProverError::Refused {
                field: field.into(),
                reason: format!("is {found:?}, expected {expected:?}"),
            })
        };
        let checks = [
            header("scheme", &self.scheme, SCHEME),
            header("statement", &self.statement, keys.statement()),
            header("shape", &self.shape, shape),
            header("vkHash", &self.vk_hash, &keys.hash_hex()),
            header("publicInputs", &self.public_inputs.to_json(), &anchored.to_json()),
        ];
        if let Some(refusal) = checks.into_iter().flatten().next() {
            return Err(refusal);
        }
        keys.verify(&self.proof, anchored, rng)
            .map_err(|e| ProverError::Refused {
                field: "proof".into(),
                reason: e.to_string(),
            })
    }
}
