//! The reconciliation's two verifying keys of a partition shape as one set, and the hash that
//! names them.

use super::{ReconcileBlockStatement, ReconcileLinkStatement};
use crate::{
    partition::keys::{decode_keys, encode_keys},
    PreparedKeyOf, VerifyError, VerifyingKeyOf,
};

/// The domain separator of the reconciliation's key-set hash.
pub const KEY_SET_DOMAIN: &[u8] = b"zkinvoice/reconcile-keys/v2";

/// The hash naming a partition shape's reconciliation keys (what an envelope's `vkHash` and
/// `statement-key-agreed` name): `SHA-256("zkinvoice/reconcile-keys/v2" || block key's hash ||
/// link key's hash)`, each key's hash SHA-256 of its compressed encoding.
pub fn key_set_hash(block: [u8; 32], link: [u8; 32]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(KEY_SET_DOMAIN);
    h.update(block);
    h.update(link);
    h.finalize().into()
}

/// A partition shape's two reconciliation verifying keys, not prepared: what
/// `statement-key-agreed` of `zkinvoice/reconcile/v2` carries.
#[derive(Clone, Debug, PartialEq)]
pub struct ReconcileKeySet {
    /// The block statement's (of one partition shape).
    pub block: VerifyingKeyOf<ReconcileBlockStatement>,
    /// The link statement's.
    pub link: VerifyingKeyOf<ReconcileLinkStatement>,
}

/// [`ReconcileKeySet`] prepared for verification, with the set's hash.
#[derive(Clone, Debug)]
pub struct PreparedReconcileKeys {
    /// The block statement's key.
    pub block: PreparedKeyOf<ReconcileBlockStatement>,
    /// The link statement's key.
    pub link: PreparedKeyOf<ReconcileLinkStatement>,
    /// [`key_set_hash`] of the two.
    pub hash: [u8; 32],
}

impl ReconcileKeySet {
    /// [`key_set_hash`] of the two keys.
    pub fn hash(&self) -> [u8; 32] {
        key_set_hash(self.block.hash(), self.link.hash())
    }

    /// [`Self::hash`] as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash())
    }

    /// Prepared for verification.
    pub fn prepare(&self) -> PreparedReconcileKeys {
        PreparedReconcileKeys {
            block: self.block.prepare(),
            link: self.link.prepare(),
            hash: self.hash(),
        }
    }

    /// [`KEY_SET_DOMAIN`], then each key's compressed encoding after its length (u32,
    /// big-endian): the block's, then the link's.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode_keys(KEY_SET_DOMAIN, &[self.block.to_bytes(), self.link.to_bytes()])
    }

    /// Decodes [`Self::to_bytes`], each key as [`VerifyingKeyOf::from_bytes`] does (so a key of
    /// another number of public inputs in either place is refused); trailing bytes are refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        let [block, link] = decode_keys(bytes, KEY_SET_DOMAIN, "reconciliation keys", ["block", "link"])?;
        let (block, link) = (
            VerifyingKeyOf::from_bytes(block)?,
            VerifyingKeyOf::from_bytes(link)?,
        );
        Ok(Self { block, link })
    }
}

impl PreparedReconcileKeys {
    /// [`Self::hash`] as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash)
    }
}
