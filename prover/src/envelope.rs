//! The proof envelope: what the Seller sends the Buyer and anchors.

use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{commit::StateDoc, model::invoice::InvoiceDoc};
use zkinvoice_verifier::{InvoiceProof, InvoicePublicInputs};

/// The proof scheme.
pub use zkinvoice_verifier::SCHEME;

/// A proved invoice: the proof, its public inputs, the invoice with the salt that opens its
/// commitment, and the state after the period with its opening (for the Seller's next period).
///
/// Groth16 proofs are malleable: identify an envelope by its invoice commitment, never by the
/// proof's bytes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProofEnvelope {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// `zkinvoice/invoice/v1`.
    pub statement: String,
    /// Shape name.
    pub shape: String,
    /// SHA-256 of the verifying key (compressed), hex.
    pub vk_hash: String,
    /// The proof (base64 of its 192 compressed bytes).
    pub proof: InvoiceProof,
    /// The five public inputs.
    pub public_inputs: InvoicePublicInputs,
    /// The invoice, with `commitment: {shape, salt, value}`.
    pub invoice: InvoiceDoc,
    /// The state after the period (its salt included: the Seller keeps it for the next period).
    pub state_after: StateDoc,
}
