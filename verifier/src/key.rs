//! Verifying keys: decoding, hashing, preparing.

use ark_bls12_381::Bls12_381;
use ark_ec::pairing::Pairing;
use ark_groth16::{PreparedVerifyingKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::codec::{decode_exact, encode};
use crate::error::VerifyError;
use crate::inputs::PUBLIC_INPUT_COUNT;

/// A Groth16 verifying key of the invoice statement: exactly [`PUBLIC_INPUT_COUNT`] public inputs,
/// so `gamma_abc_g1` holds `PUBLIC_INPUT_COUNT + 1` points.
#[derive(Clone, Debug, PartialEq)]
pub struct InvoiceVerifyingKey(VerifyingKey<Bls12_381>);

impl InvoiceVerifyingKey {
    /// Wraps an arkworks verifying key, refusing one for another number of public inputs
    /// ([`VerifyError::KeyMismatch`]).
    pub fn new(vk: VerifyingKey<Bls12_381>) -> Result<Self, VerifyError> {
        let expected = PUBLIC_INPUT_COUNT + 1;
        if vk.gamma_abc_g1.len() != expected {
            return Err(VerifyError::KeyMismatch {
                expected: format!(
                    "a key for {PUBLIC_INPUT_COUNT} public inputs ({expected} gamma_abc_g1 points)"
                ),
                found: format!(
                    "a key for {} public inputs ({} gamma_abc_g1 points)",
                    vk.gamma_abc_g1.len().saturating_sub(1),
                    vk.gamma_abc_g1.len()
                ),
            });
        }
        Ok(Self(vk))
    }

    /// Decodes a key from its compressed arkworks encoding, validating every point (on the curve,
    /// in the prime-order subgroup) and refusing trailing bytes and non-canonical encodings
    /// ([`VerifyError::Malformed`]), then checks the number of public inputs
    /// ([`VerifyError::KeyMismatch`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        Self::new(decode_exact(bytes, "verifying key")?)
    }

    /// The compressed arkworks encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(&self.0)
    }

    /// SHA-256 of the compressed encoding.
    pub fn hash(&self) -> [u8; 32] {
        Sha256::digest(self.to_bytes()).into()
    }

    /// SHA-256 of the compressed encoding, as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash())
    }

    /// The arkworks key.
    pub fn as_ark(&self) -> &VerifyingKey<Bls12_381> {
        &self.0
    }

    /// The arkworks key, by value.
    pub fn into_ark(self) -> VerifyingKey<Bls12_381> {
        self.0
    }

    /// Precomputes what verification needs.
    pub fn prepare(&self) -> PreparedInvoiceKey {
        PreparedInvoiceKey {
            hash: self.hash(),
            pvk: ark_groth16::prepare_verifying_key(&self.0),
            beta_g2_pc: self.0.beta_g2.into(),
        }
    }
}

impl TryFrom<VerifyingKey<Bls12_381>> for InvoiceVerifyingKey {
    type Error = VerifyError;

    fn try_from(vk: VerifyingKey<Bls12_381>) -> Result<Self, VerifyError> {
        Self::new(vk)
    }
}

/// A verifying key prepared for verification (one by one or in batches), with its hash.
#[derive(Clone, Debug)]
pub struct PreparedInvoiceKey {
    pub(crate) pvk: PreparedVerifyingKey<Bls12_381>,
    pub(crate) beta_g2_pc: <Bls12_381 as Pairing>::G2Prepared,
    hash: [u8; 32],
}

impl PreparedInvoiceKey {
    /// SHA-256 of the key's compressed encoding.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }

    /// SHA-256 of the key's compressed encoding, as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash)
    }

    /// Checks that `expected` (64 hex digits, either case, optionally after `0x`), e.g. the key
    /// hash an envelope or an anchor names, is this key's hash: [`VerifyError::Malformed`] if it is
    /// not 64 hex digits, [`VerifyError::KeyMismatch`] if it names another key.
    pub fn check_hash(&self, expected: &str) -> Result<(), VerifyError> {
        let digits = expected.strip_prefix("0x").unwrap_or(expected);
        let bytes = hex::decode(digits)
            .ok()
            .filter(|b| b.len() == 32)
            .ok_or_else(|| {
                VerifyError::malformed("key hash", format!("{expected:?} is not 64 hex digits"))
            })?;
        if bytes != self.hash {
            return Err(VerifyError::KeyMismatch {
                expected: format!("verifying key {}", hex::encode(bytes)),
                found: format!("verifying key {}", self.hash_hex()),
            });
        }
        Ok(())
    }

    /// The arkworks prepared key.
    pub fn as_ark(&self) -> &PreparedVerifyingKey<Bls12_381> {
        &self.pvk
    }
}
