//! Proofs: compressed bytes and base64 text.

use std::fmt;
use std::str::FromStr;

use ark_bls12_381::Bls12_381;
use ark_groth16::Proof;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::codec::{decode_exact, encode};
use crate::error::VerifyError;

/// The length of a proof's compressed encoding: A (48 bytes), B (96), C (48).
pub const PROOF_BYTES: usize = 192;

/// A Groth16 proof of the invoice statement, or of any other: the type is the same for every
/// statement (also named [`Proof`](crate::Proof)).
///
/// Its text form ([`fmt::Display`], [`FromStr`], serde) is the standard-alphabet, padded base64 of
/// the compressed encoding.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceProof(Proof<Bls12_381>);

impl InvoiceProof {
    /// Decodes a proof from its compressed arkworks encoding ([`PROOF_BYTES`] bytes), validating its
    /// points (on the curve, in the prime-order subgroup) and refusing trailing bytes and
    /// non-canonical encodings ([`VerifyError::Malformed`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        if bytes.len() != PROOF_BYTES {
            return Err(VerifyError::malformed(
                "proof",
                format!("{} bytes, expected {PROOF_BYTES}", bytes.len()),
            ));
        }
        decode_exact(bytes, "proof").map(Self)
    }

    /// The compressed arkworks encoding ([`PROOF_BYTES`] bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&self.0)
    }

    /// Decodes the base64 text form (standard alphabet, padded), then the bytes as
    /// [`InvoiceProof::from_bytes`] does.
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

    /// The arkworks proof.
    pub fn as_ark(&self) -> &Proof<Bls12_381> {
        &self.0
    }

    /// The arkworks proof, by value.
    pub fn into_ark(self) -> Proof<Bls12_381> {
        self.0
    }
}

/// Wraps a proof from the arkworks prover. Its points are trusted to be in the prime-order
/// subgroups, as the prover's are; decode untrusted proofs with [`InvoiceProof::from_bytes`].
impl From<Proof<Bls12_381>> for InvoiceProof {
    fn from(proof: Proof<Bls12_381>) -> Self {
        Self(proof)
    }
}

impl fmt::Display for InvoiceProof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl FromStr for InvoiceProof {
    type Err = VerifyError;

    fn from_str(text: &str) -> Result<Self, VerifyError> {
        Self::from_base64(text)
    }
}

impl Serialize for InvoiceProof {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for InvoiceProof {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::from_base64(&text).map_err(serde::de::Error::custom)
    }
}
