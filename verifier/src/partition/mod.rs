//! Protocol v2: the public side of a partitioned invoice (`docs/protocol.md`, "Partitioned
//! invoices").
//!
//! An invoice of any size is proven by `nb` **block** proofs (each rates a fixed number of
//! products), `nc` **chunk** proofs (each reads a fixed number of usage records) and one **link**
//! proof (the header, subtotal, tax and total). This module holds what a verifier needs without any
//! circuit code:
//!
//! - the typed public inputs of the three statements ([`BlockPublicInputs`],
//!   [`ChunkPublicInputs`], [`LinkPublicInputs`]);
//! - the **tops**: the five anchored commitments are SHA-256 hashes (reduced into the field) of
//!   the partitions' part commitments ([`Tops`], [`top`]), so that anyone, including a contract,
//!   recomputes them from the parts;
//! - the aggregation challenge `z` ([`challenge`]);
//! - [`PartitionedPublic`]: every public value of one invoice, with [`PartitionedPublic::check`]
//!   (the tops open the anchored commitments, the masked sums vanish) and the public inputs of each
//!   proof in canonical order.
//!
//! Why the sums vanish: each block and chunk publishes its share of the aggregation identity
//! `Σ_records qty/(z - slot) = Σ_products q_p/(z - p)` and each block and the link their share of
//! `Σ_blocks subtotal_j = subtotal`, each masked by `a_i - a_next(i)` for a pseudo-random `a_i`
//! derived in-circuit from one committed seed. The masks of a ring cancel, so the shares sum to
//! zero exactly when the identities hold; any proper subset of shares stays masked.

use ark_ff::{BigInteger, PrimeField};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Fr;

/// Domain tags of the tops and the challenge (SHA-256, so that a contract recomputes them).
pub mod tag {
    /// The MSA commitment of a partitioned bilateral.
    pub const MSA: &str = "zkinvoice/msa/v2";
    /// The usage commitment of a period.
    pub const USAGE: &str = "zkinvoice/usage/v2";
    /// A cumulative-volume state.
    pub const STATE: &str = "zkinvoice/state/v2";
    /// An invoice.
    pub const INVOICE: &str = "zkinvoice/invoice/v2";
    /// The aggregation challenge.
    pub const AGGREGATE: &str = "zkinvoice/aggregate/v2";
}

/// `top(tag, words) = SHA-256(u64be(len tag) || tag || u64be(len words) || words as 32-byte
/// big-endian) mod r`: a binding hash of field elements and integers into one field element.
pub fn top(tag: &str, words: &[Fr]) -> Fr {
    let mut h = Sha256::new();
    h.update((tag.len() as u64).to_be_bytes());
    h.update(tag.as_bytes());
    h.update((words.len() as u64).to_be_bytes());
    for w in words {
        h.update(fr_bytes(w));
    }
    Fr::from_be_bytes_mod_order(&h.finalize())
}

/// A field element as 32 big-endian bytes.
fn fr_bytes(v: &Fr) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&v.into_bigint().to_bytes_be());
    out
}

/// The partition shape's sizes, hashed into the MSA commitment so that the same data under
/// another shape commits to another value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartitionSizes {
    /// Products per block.
    pub block_products: u64,
    /// Tiers per product.
    pub tiers: u64,
    /// Records per chunk.
    pub chunk_records: u64,
}

/// `msa_commitment = top(MSA, [Pb, T, Uc, msa_head, nb, msa_block_0 ..])`.
pub fn msa_top(sizes: PartitionSizes, head: Fr, blocks: &[Fr]) -> Fr {
    let mut w = vec![
        Fr::from(sizes.block_products),
        Fr::from(sizes.tiers),
        Fr::from(sizes.chunk_records),
        head,
        Fr::from(blocks.len() as u64),
    ];
    w.extend_from_slice(blocks);
    top(tag::MSA, &w)
}

/// `usage_commitment = top(USAGE, [msa_commitment, usage_head, nc, usage_chunk_0 ..])`.
pub fn usage_top(msa: Fr, head: Fr, chunks: &[Fr]) -> Fr {
    let mut w = vec![msa, head, Fr::from(chunks.len() as u64)];
    w.extend_from_slice(chunks);
    top(tag::USAGE, &w)
}

/// `state_k = top(STATE, [msa_commitment, k, nb, state_block_0(k) ..])`.
pub fn state_top(msa: Fr, index: u64, blocks: &[Fr]) -> Fr {
    let mut w = vec![msa, Fr::from(index), Fr::from(blocks.len() as u64)];
    w.extend_from_slice(blocks);
    top(tag::STATE, &w)
}

/// `invoice_commitment = top(INVOICE, [invoice_head, nb, invoice_block_0 ..])` (the head names
/// the parties and the agreement, which the link proves are the MSA's).
pub fn invoice_top(head: Fr, blocks: &[Fr]) -> Fr {
    let mut w = vec![head, Fr::from(blocks.len() as u64)];
    w.extend_from_slice(blocks);
    top(tag::INVOICE, &w)
}

/// Product slots are below `2^16`; `z` must lie above them so that no denominator `z - slot`
/// vanishes.
pub const SLOT_BOUND: u64 = 1 << 16;

/// The aggregation challenge `z = top(AGGREGATE, [usage_commitment, state_before, state_after])`:
/// fixed only after every record and every product's volumes are. `None` in the negligible case
/// `z < 2^16` (a denominator could vanish): such an invoice is refused and must be re-proven with
/// a fresh state salt.
pub fn challenge(usage: Fr, before: Fr, after: Fr) -> Option<Fr> {
    let z = top(tag::AGGREGATE, &[usage, before, after]);
    (z.into_bigint() >= SLOT_BOUND.into()).then_some(z)
}

pub mod codec;
mod inputs;
pub mod keys;
mod public;
pub mod reconcile;
mod verify;

pub use codec::{PartitionProofs, PartitionedProof};
pub use inputs::{
    BlockPublicInputs, BlockStatement, ChunkPublicInputs, ChunkStatement, LinkPublicInputs, LinkStatement,
};
pub use public::{PartitionRefusal, PartitionedPublic, Parts, Tops};
pub use verify::{verify_partitioned, PartitionProofRefs, PartitionVerifyingKeys, PartitionedError};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tops_are_domain_separated_and_length_bound() {
        let a = [Fr::from(1u64), Fr::from(2u64)];
        assert_ne!(top(tag::MSA, &a), top(tag::USAGE, &a));
        assert_ne!(top(tag::MSA, &a), top(tag::MSA, &a[..1]));
        assert_ne!(top(tag::MSA, &a), top(tag::MSA, &[a[1], a[0]]));
        // A trailing zero is a different list.
        assert_ne!(top(tag::MSA, &a), top(tag::MSA, &[a[0], a[1], Fr::from(0u64)]));
        assert_ne!(state_top(a[0], 1, &a), state_top(a[0], 2, &a));
    }
}
