//! The envelope of a partitioned invoice: what the Seller sends the Buyer and anchors, as v1's
//! [`crate::ProofEnvelope`] with every partition's proof and the public values they share.

use serde::{Deserialize, Serialize};

use crate::ProverError;
use zkinvoice_circuits::{commit::StateDoc, model::invoice::InvoiceDoc, partition::PartitionId};
use zkinvoice_verifier::{partition::PartitionedPublic, InvoiceProof, InvoicePublicInputs};

/// The statement an envelope of protocol v2 names.
pub const PARTITIONED: &str = "zkinvoice/partitioned/v2";

/// The hashes (SHA-256 of the compressed verifying key, hex) of the three statements' keys.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VkHashes {
    /// The block statement's.
    pub block: String,
    /// The chunk statement's.
    pub chunk: String,
    /// The link statement's.
    pub link: String,
}

/// Every partition's proof (base64 of 192 compressed bytes each), in index order.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PartitionProofs {
    /// Block `j`'s proof at `blocks[j]`.
    pub blocks: Vec<InvoiceProof>,
    /// Chunk `c`'s proof at `chunks[c]`.
    pub chunks: Vec<InvoiceProof>,
    /// The link's proof.
    pub link: InvoiceProof,
}

impl PartitionProofs {
    /// The proofs with the partition each is for, in canonical order.
    pub fn iter(&self) -> impl Iterator<Item = (PartitionId, &InvoiceProof)> {
        self.blocks
            .iter()
            .enumerate()
            .map(|(j, p)| (PartitionId::Block(j), p))
            .chain(
                self.chunks
                    .iter()
                    .enumerate()
                    .map(|(c, p)| (PartitionId::Chunk(c), p)),
            )
            .chain([(PartitionId::Link, &self.link)])
    }
}

/// A proved partitioned invoice.
///
/// Groth16 proofs are malleable: identify an envelope by its invoice commitment, never by the
/// proofs' bytes.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartitionedEnvelope {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// [`PARTITIONED`].
    pub statement: String,
    /// Partition shape name.
    pub shape: String,
    /// The three verifying keys' hashes.
    pub vk_hashes: VkHashes,
    /// The five anchored commitments (the tops of the parts).
    pub public_inputs: InvoicePublicInputs,
    /// Every public value the partitions share.
    pub parts: PartitionedPublic,
    /// The proofs.
    pub proofs: PartitionProofs,
    /// The invoice, with `commitment: {shape, salt, value}`.
    pub invoice: InvoiceDoc,
    /// The state after the period (its salt included: the Seller keeps it for the next period).
    pub state_after: StateDoc,
}

impl PartitionedEnvelope {
    /// Verifies the envelope against the verifier's keys of partition shape `shape` and the five
    /// `anchored` commitments (for an envelope not yet anchored, its own `publicInputs`, which the
    /// caller then checks against what it holds).
    pub fn verify<R: rand::RngCore + ?Sized>(
        &self,
        shape: &str,
        keys: &zkinvoice_verifier::partition::PartitionVerifyingKeys,
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
            header("scheme", &self.scheme, zkinvoice_verifier::SCHEME),
            header("statement", &self.statement, PARTITIONED),
            header("shape", &self.shape, shape),
            header("vkHashes.block", &self.vk_hashes.block, &keys.block.hash_hex()),
            header("vkHashes.chunk", &self.vk_hashes.chunk, &keys.chunk.hash_hex()),
            header("vkHashes.link", &self.vk_hashes.link, &keys.link.hash_hex()),
            header("publicInputs", &self.public_inputs.to_json(), &anchored.to_json()),
        ];
        if let Some(refusal) = checks.into_iter().flatten().next() {
            return Err(refusal);
        }
        let tops = zkinvoice_verifier::partition::Tops {
            msa: anchored.msa_commitment,
            usage: anchored.usage_commitment,
            state_before: anchored.state_before,
            state_after: anchored.state_after,
            invoice: anchored.invoice_commitment,
        };
        let proofs = zkinvoice_verifier::partition::PartitionProofRefs {
            blocks: &self.proofs.blocks,
            chunks: &self.proofs.chunks,
            link: &self.proofs.link,
        };
        zkinvoice_verifier::partition::verify_partitioned(keys, &tops, &self.parts, proofs, rng).map_err(
            |e| ProverError::Refused {
                field: "proofs".into(),
                reason: e.to_string(),
            },
        )
    }
}
