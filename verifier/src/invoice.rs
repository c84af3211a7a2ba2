//! An invoice's proof and keys whatever the protocol: one Groth16 proof under the invoice key
//! (v1), or a partitioned invoice's proofs under a partition shape's three keys (v2). Envelopes,
//! MEF 141 bills, anchors and checks hold these, so that both protocols go everywhere an invoice
//! goes by the same code.
//!
//! - [`InvoiceProofs`]: the proof(s); text form base64 of [`InvoiceProofs::to_bytes`] (for v1 the
//!   192 bytes of the proof, as before; for v2 [`PartitionedProof::to_bytes`]).
//! - [`InvoiceVerifyingKeys`] / [`PreparedInvoiceKeys`]: the key(s), identified by one hash: v1's is SHA-256
//!   of the compressed key (as before); v2's is [`PartitionKeySet::hash`].

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::partition::{
    codec::MAGIC, keys::PartitionKeySet, verify_partitioned, PartitionVerifyingKeys, PartitionedProof, Tops,
};
use crate::{
    InvoiceProof, InvoicePublicInputs, InvoiceStatement, InvoiceVerifyingKey, PreparedInvoiceKey, Statement,
    VerifyError,
};

/// The statement a partitioned invoice is proved under, as envelopes name it.
pub const PARTITIONED: &str = "zkinvoice/partitioned/v2";

pub use crate::partition::keys::KEY_SET_DOMAIN;

/// An invoice's proof: one Groth16 proof (v1) or a partitioned invoice's proofs (v2).
// v1's proof is left unboxed: it is the common case and callers match on it directly.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum InvoiceProofs {
    /// The invoice statement's one proof.
    Single(InvoiceProof),
    /// Every partition's proof and the public values they share.
    Partitioned(Box<PartitionedProof>),
}

impl InvoiceProofs {
    /// The statement: [`InvoiceStatement::ID`] or [`PARTITIONED`].
    pub fn statement(&self) -> &'static str {
        match self {
            Self::Single(_) => InvoiceStatement::ID,
            Self::Partitioned(_) => PARTITIONED,
        }
    }

    /// The one proof of a v1 invoice.
    pub fn single(&self) -> Option<&InvoiceProof> {
        match self {
            Self::Single(p) => Some(p),
            Self::Partitioned(_) => None,
        }
    }

    /// The proofs of a partitioned invoice.
    pub fn partitioned(&self) -> Option<&PartitionedProof> {
        match self {
            Self::Single(_) => None,
            Self::Partitioned(p) => Some(p),
        }
    }

    /// The number of Groth16 proofs.
    pub fn count(&self) -> usize {
        match self {
            Self::Single(_) => 1,
            Self::Partitioned(p) => p.len(),
        }
    }

    /// v1: the proof's 192 compressed bytes; v2: [`PartitionedProof::to_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Single(p) => p.to_bytes(),
            Self::Partitioned(p) => p.to_bytes(),
        }
    }

    /// Decodes [`InvoiceProofs::to_bytes`]: a partitioned encoding starts with its magic, anything
    /// else must be one proof.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        if bytes.starts_with(MAGIC) {
            PartitionedProof::from_bytes(bytes).map(|p| Self::Partitioned(Box::new(p)))
        } else {
            InvoiceProof::from_bytes(bytes).map(Self::Single)
        }
    }

    /// Decodes the base64 text form (standard alphabet, padded).
    pub fn from_base64(text: &str) -> Result<Self, VerifyError> {
        let bytes = STANDARD
            .decode(text)
            .map_err(|e| VerifyError::malformed("proof", format!("not base64 ({e})")))?;
        Self::from_bytes(&bytes)
    }

    /// The base64 text form (standard alphabet, padded).
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.to_bytes())
    }
}

impl From<InvoiceProof> for InvoiceProofs {
    fn from(p: InvoiceProof) -> Self {
        Self::Single(p)
    }
}

impl From<PartitionedProof> for InvoiceProofs {
    fn from(p: PartitionedProof) -> Self {
        Self::Partitioned(Box::new(p))
    }
}

impl fmt::Display for InvoiceProofs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl FromStr for InvoiceProofs {
    type Err = VerifyError;

    fn from_str(text: &str) -> Result<Self, VerifyError> {
        Self::from_base64(text)
    }
}

impl Serialize for InvoiceProofs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for InvoiceProofs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::from_base64(&text).map_err(serde::de::Error::custom)
    }
}

/// The verifying key(s) an MSA's invoices are proved under, not prepared: what `msa-agreed`
/// anchors carry.
// v1's key is left unboxed: it is the common case and callers match on it directly.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum InvoiceVerifyingKeys {
    /// The invoice statement's key (v1).
    Single(InvoiceVerifyingKey),
    /// A partition shape's three keys (v2).
    Partitioned(Box<PartitionKeySet>),
}

impl InvoiceVerifyingKeys {
    /// v1: the key's compressed encoding; v2: [`PartitionKeySet::to_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Self::Single(k) => k.to_bytes(),
            Self::Partitioned(k) => k.to_bytes(),
        }
    }

    /// Decodes [`InvoiceVerifyingKeys::to_bytes`]: a key set starts with its domain, anything else must be
    /// one invoice key.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        if bytes.starts_with(KEY_SET_DOMAIN) {
            PartitionKeySet::from_bytes(bytes).map(|k| Self::Partitioned(Box::new(k)))
        } else {
            InvoiceVerifyingKey::from_bytes(bytes).map(Self::Single)
        }
    }

    /// The hash that names the key(s): v1 SHA-256 of the compressed key, v2
    /// [`PartitionKeySet::hash`].
    pub fn hash(&self) -> [u8; 32] {
        match self {
            Self::Single(k) => k.hash(),
            Self::Partitioned(k) => k.hash(),
        }
    }

    /// [`InvoiceVerifyingKeys::hash`] as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash())
    }

    /// Prepared for verification.
    pub fn prepare(&self) -> PreparedInvoiceKeys {
        match self {
            Self::Single(k) => PreparedInvoiceKeys::Single(k.prepare()),
            Self::Partitioned(k) => PreparedInvoiceKeys::Partitioned(Box::new(k.prepare())),
        }
    }
}

impl From<InvoiceVerifyingKey> for InvoiceVerifyingKeys {
    fn from(k: InvoiceVerifyingKey) -> Self {
        Self::Single(k)
    }
}

impl From<PartitionKeySet> for InvoiceVerifyingKeys {
    fn from(k: PartitionKeySet) -> Self {
        Self::Partitioned(Box::new(k))
    }
}

/// The verifying key(s) an MSA's invoices are proved under, prepared.
// v1's key is left unboxed: it is the common case and callers match on it directly.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum PreparedInvoiceKeys {
    /// The invoice statement's key (v1).
    Single(PreparedInvoiceKey),
    /// A partition shape's three keys (v2).
    Partitioned(Box<PartitionVerifyingKeys>),
}

impl From<PreparedInvoiceKey> for PreparedInvoiceKeys {
    fn from(k: PreparedInvoiceKey) -> Self {
        Self::Single(k)
    }
}

impl From<PartitionVerifyingKeys> for PreparedInvoiceKeys {
    fn from(k: PartitionVerifyingKeys) -> Self {
        Self::Partitioned(Box::new(k))
    }
}

impl PreparedInvoiceKeys {
    /// The statement proofs under these keys are of: [`InvoiceStatement::ID`] or [`PARTITIONED`].
    pub fn statement(&self) -> &'static str {
        match self {
            Self::Single(_) => InvoiceStatement::ID,
            Self::Partitioned(_) => PARTITIONED,
        }
    }

    /// As [`InvoiceVerifyingKeys::hash`].
    pub fn hash(&self) -> [u8; 32] {
        match self {
            Self::Single(k) => k.hash(),
            Self::Partitioned(k) => k.hash(),
        }
    }

    /// As [`InvoiceVerifyingKeys::hash_hex`].
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash())
    }

    /// The v1 key.
    pub fn single(&self) -> Option<&PreparedInvoiceKey> {
        match self {
            Self::Single(k) => Some(k),
            Self::Partitioned(_) => None,
        }
    }

    /// The v2 keys.
    pub fn partitioned(&self) -> Option<&PartitionVerifyingKeys> {
        match self {
            Self::Single(_) => None,
            Self::Partitioned(k) => Some(k),
        }
    }

    /// Checks that `expected` (64 hex digits, either case, optionally after `0x`) is these keys'
    /// hash: [`VerifyError::Malformed`] if it is not 64 hex digits, [`VerifyError::KeyMismatch`]
    /// if it names other keys.
    pub fn check_hash(&self, expected: &str) -> Result<(), VerifyError> {
        crate::key::check_hash(&self.hash(), expected)
    }

    /// Verifies `proofs` against the five commitments `inputs`: v1 one proof ([`crate::verify`]),
    /// v2 the partitioned check and every partition's proof in one batch
    /// ([`verify_partitioned`], refusals as [`VerifyError::Partitioned`]). Proofs of the other
    /// protocol than the keys' are refused ([`VerifyError::KeyMismatch`]).
    pub fn verify<R: rand::RngCore + ?Sized>(
        &self,
        proofs: &InvoiceProofs,
        inputs: &InvoicePublicInputs,
        rng: &mut R,
    ) -> Result<(), VerifyError> {
        match (self, proofs) {
            (Self::Single(k), InvoiceProofs::Single(p)) => crate::verify(k, p, inputs),
            (Self::Partitioned(k), InvoiceProofs::Partitioned(p)) => {
                let tops = Tops::from(*inputs);
                verify_partitioned(k, &tops, &p.public, p.proofs.as_refs(), rng)
                    .map_err(|e| VerifyError::Partitioned(Box::new(e)))
            }
            _ => Err(VerifyError::KeyMismatch {
                expected: format!("proofs of {}", self.statement()),
                found: format!("proofs of {}", proofs.statement()),
            }),
        }
    }
}

impl From<InvoicePublicInputs> for Tops {
    fn from(p: InvoicePublicInputs) -> Self {
        Tops {
            msa: p.msa_commitment,
            usage: p.usage_commitment,
            state_before: p.state_before,
            state_after: p.state_after,
            invoice: p.invoice_commitment,
        }
    }
}

impl From<Tops> for InvoicePublicInputs {
    fn from(t: Tops) -> Self {
        InvoicePublicInputs {
            msa_commitment: t.msa,
            usage_commitment: t.usage,
            state_before: t.state_before,
            state_after: t.state_after,
            invoice_commitment: t.invoice,
        }
    }
}
