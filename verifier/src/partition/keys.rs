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
    /// The set's hash, `set_hash` of the three keys' hashes.
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
        encode_keys(
            KEY_SET_DOMAIN,
            &[self.block.to_bytes(), self.chunk.to_bytes(), self.link.to_bytes()],
        )
    }

    /// Decodes [`PartitionKeySet::to_bytes`], each key as [`VerifyingKeyOf::from_bytes`] does.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        let [block, chunk, link] = decode_keys(
            bytes,
            KEY_SET_DOMAIN,
            "partition keys",
            ["block", "chunk", "link"],
        )?;
        let (block, chunk, link) = (
            VerifyingKeyOf::from_bytes(block)?,
            VerifyingKeyOf::from_bytes(chunk)?,
            VerifyingKeyOf::from_bytes(link)?,
        );
        Ok(Self { block, chunk, link })
    }
}

/// `domain`, then each key's encoding after its length (u32, big-endian): a key set's bytes.
pub(crate) fn encode_keys(domain: &[u8], keys: &[Vec<u8>]) -> Vec<u8> {
    let mut out = domain.to_vec();
    for k in keys {
        out.extend_from_slice(&(k.len() as u32).to_be_bytes());
        out.extend_from_slice(k);
    }
    out
}

/// Splits [`encode_keys`]'s bytes into the `N` keys' encodings (`names` in order, for errors
/// naming `doc`): the domain, then each length within what is left, and nothing trailing.
pub(crate) fn decode_keys<'a, const N: usize>(
    bytes: &'a [u8],
    domain: &[u8],
    doc: &str,
    names: [&str; N],
) -> Result<[&'a [u8]; N], VerifyError> {
    let mut rest = bytes.strip_prefix(domain).ok_or_else(|| {
        VerifyError::malformed(
            doc,
            format!("does not start with {:?}", String::from_utf8_lossy(domain)),
        )
    })?;
    let mut out = [&bytes[..0]; N];
    for (slot, what) in out.iter_mut().zip(names) {
        let bad = |reason: String| VerifyError::malformed(format!("{doc}: the {what} key"), reason);
        let (len, tail) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| bad("no length".into()))?;
        let len = u32::from_be_bytes(*len) as usize;
        if tail.len() < len {
            return Err(bad(format!("{len} bytes announced, {} left", tail.len())));
        }
        let (key, tail) = tail.split_at(len);
        *slot = key;
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(VerifyError::malformed(
            doc,
            format!("{} trailing bytes", rest.len()),
        ));
    }
    Ok(out)
}

impl PartitionVerifyingKeys {
    /// The set's hash, as [`PartitionKeySet::hash`].
    pub fn hash(&self) -> [u8; 32] {
        set_hash(self.block.hash(), self.chunk.hash(), self.link.hash())
    }
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{Bls12_381, G1Affine, G2Affine};
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_groth16::VerifyingKey;

    use super::*;
    use crate::{Fr, InvoiceVerifyingKeys};

    /// A well-formed key for `inputs` public inputs (its points multiples of the generators).
    fn key(inputs: usize, seed: u64) -> VerifyingKey<Bls12_381> {
        let g1 = |k: u64| (G1Affine::generator() * Fr::from(seed * 100 + k)).into_affine();
        let g2 = |k: u64| (G2Affine::generator() * Fr::from(seed * 100 + k)).into_affine();
        VerifyingKey {
            alpha_g1: g1(1),
            beta_g2: g2(2),
            gamma_g2: g2(3),
            delta_g2: g2(4),
            gamma_abc_g1: (0..=inputs as u64).map(|i| g1(10 + i)).collect(),
        }
    }

    fn set() -> PartitionKeySet {
        PartitionKeySet {
            block: VerifyingKeyOf::new(key(10, 1)).unwrap(),
            chunk: VerifyingKeyOf::new(key(6, 2)).unwrap(),
            link: VerifyingKeyOf::new(key(6, 3)).unwrap(),
        }
    }

    #[test]
    fn a_key_set_round_trips_and_its_hash_is_of_its_keys() {
        let s = set();
        let bytes = s.to_bytes();
        assert_eq!(PartitionKeySet::from_bytes(&bytes).unwrap(), s);
        let any = InvoiceVerifyingKeys::from_bytes(&bytes).unwrap();
        assert_eq!(any.hash(), s.hash());
        assert_eq!(any.prepare().hash(), s.prepare().hash());
        // The hash changes with any key, and with their order.
        let mut other = s.clone();
        other.link = VerifyingKeyOf::new(key(6, 4)).unwrap();
        assert_ne!(other.hash(), s.hash());
        let swapped = PartitionKeySet {
            block: s.block.clone(),
            chunk: VerifyingKeyOf::new(s.link.as_ark().clone()).unwrap(),
            link: VerifyingKeyOf::new(s.chunk.as_ark().clone()).unwrap(),
        };
        assert_ne!(swapped.hash(), s.hash());
    }

    #[test]
    fn a_cut_extended_or_misordered_set_is_refused() {
        let bytes = set().to_bytes();
        for cut in [0, KEY_SET_DOMAIN.len(), KEY_SET_DOMAIN.len() + 3, bytes.len() - 1] {
            assert!(
                PartitionKeySet::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        let e = PartitionKeySet::from_bytes(&longer).unwrap_err().to_string();
        assert!(e.contains("trailing"), "{e}");
        // The chunk key where the block key is due: another number of inputs.
        let s = set();
        let mut wrong = KEY_SET_DOMAIN.to_vec();
        for k in [s.chunk.to_bytes(), s.block.to_bytes(), s.link.to_bytes()] {
            wrong.extend_from_slice(&(k.len() as u32).to_be_bytes());
            wrong.extend_from_slice(&k);
        }
        assert!(matches!(
            PartitionKeySet::from_bytes(&wrong),
            Err(VerifyError::KeyMismatch { .. })
        ));
    }
}
