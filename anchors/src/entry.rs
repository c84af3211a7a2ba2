//! Log entries and their hash chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::body::{Body, Signature};

/// The domain separator of an entry hash.
pub const ENTRY_DOMAIN: &[u8] = b"zkinvoice/anchor/v1";

/// One anchored entry of the log.
///
/// `hash = SHA-256("zkinvoice/anchor/v1" || u64be(seq) || prev_hash || body digest || canonical
/// JSON of the signatures)`; `prev_hash` is the previous entry's hash (all zero for `seq` 1).
///
/// JSON (one line of an export): `{"seq", "prevHash", "body", "signatures", "hash"}`, hashes as 64
/// lowercase hex digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Entry {
    /// Position in the log, from 1.
    pub seq: u64,
    /// The previous entry's hash.
    #[serde(with = "hash_hex")]
    pub prev_hash: [u8; 32],
    /// What is anchored.
    pub body: Body,
    /// The parties' signatures of the body digest.
    pub signatures: Vec<Signature>,
    /// This entry's hash.
    #[serde(with = "hash_hex")]
    pub hash: [u8; 32],
}

impl Entry {
    /// An entry with its hash computed.
    pub fn seal(seq: u64, prev_hash: [u8; 32], body: Body, signatures: Vec<Signature>) -> Self {
        let hash = entry_hash(seq, &prev_hash, &body, &signatures);
        Self {
            seq,
            prev_hash,
            body,
            signatures,
            hash,
        }
    }

    /// Recomputes the hash from the other fields.
    pub fn compute_hash(&self) -> [u8; 32] {
        entry_hash(self.seq, &self.prev_hash, &self.body, &self.signatures)
    }

    /// The canonical JSON of the signatures (what is stored and hashed).
    pub fn signatures_json(&self) -> String {
        signatures_json(&self.signatures)
    }

    /// The export line (compact JSON, no newline).
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The canonical JSON of a list of signatures.
pub(crate) fn signatures_json(signatures: &[Signature]) -> String {
    serde_json::to_string(signatures).unwrap_or_default()
}

/// The entry hash (see [`Entry`]).
pub fn entry_hash(seq: u64, prev_hash: &[u8; 32], body: &Body, signatures: &[Signature]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(ENTRY_DOMAIN);
    h.update(seq.to_be_bytes());
    h.update(prev_hash);
    h.update(body.digest());
    h.update(signatures_json(signatures).as_bytes());
    h.finalize().into()
}

/// Serde of 32-byte hashes as 64 lowercase hex digits.
pub(crate) mod hash_hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        crate::keys::decode32(&text)
            .map_err(|e| serde::de::Error::custom(format!("hash {text:?} is not 64 hex digits ({e})")))
    }
}
