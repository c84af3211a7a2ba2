//! The usage detail root: a salted SHA-256 Merkle root over every record's full details, anchored
//! beside the usage commitment so that one record can be disclosed in a dispute.

use rs_merkle::{algorithms::Sha256 as MerkleSha256, MerkleTree};
use sha2::{Digest, Sha256};

use super::scheme::Salt;
use crate::model::usage::Usage;

/// `usage_detail_root`: a SHA-256 Merkle root over every record's full details (id, product,
/// quantity, start, end, source) in canonical order, each leaf salted with its own salt derived
/// from `salt`, so one record can be disclosed in a dispute without exposing the others.
pub fn usage_detail_root(usage: &Usage, salt: &Salt) -> [u8; 32] {
    let leaves: Vec<[u8; 32]> = usage
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let leaf_salt = leaf_salt(salt, i);
            let mut h = Sha256::new();
            h.update([0u8]);
            h.update(leaf_salt);
            for part in [r.id.as_bytes(), r.product.as_bytes()] {
                h.update((part.len() as u64).to_be_bytes());
                h.update(part);
            }
            h.update(r.quantity.to_be_bytes());
            h.update(r.start.timestamp().to_be_bytes());
            h.update(r.start.timestamp_subsec_nanos().to_be_bytes());
            h.update(r.end.timestamp().to_be_bytes());
            h.update(r.end.timestamp_subsec_nanos().to_be_bytes());
            h.update((r.source.len() as u64).to_be_bytes());
            h.update(r.source.as_bytes());
            h.finalize().into()
        })
        .collect();
    let tree_root = MerkleTree::<MerkleSha256>::from_leaves(&leaves)
        .root()
        .unwrap_or([0u8; 32]);
    let mut h = Sha256::new();
    h.update(b"zkinvoice/usage-detail/v1");
    h.update((leaves.len() as u64).to_be_bytes());
    h.update(tree_root);
    h.finalize().into()
}

/// The salt of leaf `i` of the usage detail tree.
pub fn leaf_salt(salt: &Salt, i: usize) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zkinvoice/usage-leaf-salt/v1");
    h.update(salt.as_bytes());
    h.update((i as u64).to_be_bytes());
    h.finalize().into()
}
