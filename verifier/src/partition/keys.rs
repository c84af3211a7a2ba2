//! A partition shape's three verifying keys as one set ([`PartitionKeySet`]): what an
//! `msa-agreed` anchor carries for a partitioned bilateral, and the one hash that names it.

use sha2::{Digest, Sha256};

use super::{BlockStatement, ChunkStatement, LinkStatement, PartitionVerifyingKeys};
use crate::{VerifyError, VerifyingKeyOf};

/// The domain separator of a partition key set's encoding and hash.
pub const KEY_SET_DOMAIN: &[u8] = b"zkinvoice/partition-keys/v2";

/// The three verifying keys of one partition shape, not prepared (what is written and anchored).
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionKeySet {
    /// The block statement's.
    pub block: VerifyingKeyOf<BlockStatement>,
    /// The chunk statement's.
    pub chunk: VerifyingKeyOf<ChunkStatement>,
    /// The link statement's.
    pub link: VerifyingKeyOf<LinkStatement>,
}

/// `SHA-256("zkinvoice/partition-keys/v2" || block hash || chunk hash || link hash)`, each key's
/// hash SHA-256 of its compressed encoding.
fn set_hash(block: [u8; 32], chunk: [u8; 32], link: [u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(KEY_SET_DOMAIN);
    for k in [block, chunk, link] {
        h.update(k);
    }
    h.finalize().into()
}

impl PartitionKeySet {
    /// The set's hash, [`set_hash`] of the three keys' hashes.
    pub fn hash(&self) -> [u8; 32] {
        set_hash(self.block.hash(), self.chunk.hash(), self.link.hash())
    }

    /// [`PartitionKeySet::hash`] as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash())
    }

    /// Prepared for verification.
    pub fn prepare(&self) -> PartitionVerifyingKeys {
        PartitionVerifyingKeys {
            block: self.block.prepare(),
            chunk: self.chunk.prepare(),
            link: self.link.prepare(),
        }
    }

    /// `KEY_SET_DOMAIN`, then each key's compressed encoding after its length (u32, big-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = KEY_SET_DOMAIN.to_vec();
        for k in [self.block.to_bytes(), self.chunk.to_bytes(), self.link.to_bytes()] {
            out.extend_from_slice(&(k.len() as u32).to_be_bytes());
            out.extend_from_slice(&k);
        }
        out
    }

    /// Decodes [`PartitionKeySet::to_bytes`], each key as [`VerifyingKeyOf::from_bytes`] does.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        let mut rest = bytes.strip_prefix(KEY_SET_DOMAIN).ok_or_else(|| {
            VerifyError::malformed(
                "partition keys",
                "does not start with \"zkinvoice/partition-keys/v2\"",
            )
        })?;
        let mut next = |what: &str| -> Result<&[u8], VerifyError> {
            let bad =
                |reason: String| VerifyError::malformed(format!("partition keys: the {what} key"), reason);
            let (len, tail) = rest
                .split_first_chunk::<4>()
                .ok_or_else(|| bad("no length".into()))?;
            let len = u32::from_be_bytes(*len) as usize;
            if tail.len() < len {
                return Err(bad(format!("{len} bytes announced, {} left", tail.len())));
            }
            let (key, tail) = tail.split_at(len);
            rest = tail;
            Ok(key)
        };
        let block = VerifyingKeyOf::from_bytes(next("block")?)?;
        let chunk = VerifyingKeyOf::from_bytes(next("chunk")?)?;
        let link = VerifyingKeyOf::from_bytes(next("link")?)?;
        if !rest.is_empty() {
            return Err(VerifyError::malformed(
                "partition keys",
                format!("{} trailing bytes", rest.len()),
            ));
        }
        Ok(Self { block, chunk, link })
    }
}

impl PartitionVerifyingKeys {
    /// The set's hash, as [`PartitionKeySet::hash`].
    pub fn hash(&self) -> [u8; 32] {
        set_hash(self.block.hash(), self.chunk.hash(), self.link.hash())
    }
}
