//! Verifying keys of a statement: decoding, hashing, preparing; and the statement-erased prepared
//! key that lets proofs of several statements be verified together.
//!
//! A key is typed by its [`Statement`]: [`VerifyingKeyOf::new`] refuses a key for another number of
//! public inputs, so every later step can rely on `gamma_abc_g1` holding `S::INPUTS + 1` points.
//! A key is identified by its hash, SHA-256 of its compressed encoding (the hash manifests,
//! envelopes and anchors name).

use std::fmt;
use std::marker::PhantomData;

use ark_bls12_381::Bls12_381;
use ark_groth16::{PreparedVerifyingKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::codec::{decode_exact, encode};
use crate::error::VerifyError;
use crate::statement::{InvoiceStatement, Statement};

/// A Groth16 verifying key of the invoice statement.
pub type InvoiceVerifyingKey = VerifyingKeyOf<InvoiceStatement>;

/// The invoice statement's verifying key, prepared for verification.
pub type PreparedInvoiceKey = PreparedKeyOf<InvoiceStatement>;

/// A Groth16 verifying key of statement `S`: exactly `S::INPUTS` public inputs, so `gamma_abc_g1`
/// holds `S::INPUTS + 1` points.
pub struct VerifyingKeyOf<S: Statement>(VerifyingKey<Bls12_381>, PhantomData<S>);

impl<S: Statement> VerifyingKeyOf<S> {
    /// Wraps an arkworks verifying key, refusing one for another number of public inputs
    /// ([`VerifyError::KeyMismatch`]).
    pub fn new(vk: VerifyingKey<Bls12_381>) -> Result<Self, VerifyError> {
        let expected = S::INPUTS + 1;
        if vk.gamma_abc_g1.len() != expected {
            return Err(VerifyError::KeyMismatch {
                expected: format!(
                    "a {} key for {} public inputs ({expected} gamma_abc_g1 points)",
                    S::ID,
                    S::INPUTS
                ),
                found: format!(
                    "a key for {} public inputs ({} gamma_abc_g1 points)",
                    vk.gamma_abc_g1.len().saturating_sub(1),
                    vk.gamma_abc_g1.len()
                ),
            });
        }
        Ok(Self(vk, PhantomData))
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
    pub fn prepare(&self) -> PreparedKeyOf<S> {
        PreparedKeyOf {
            key: PreparedAnyKey {
                hash: self.hash(),
                pvk: ark_groth16::prepare_verifying_key(&self.0),
                blst: crate::pairing::BlstKey::of(&self.0),
                statement: S::ID,
            },
            statement: PhantomData,
        }
    }
}

impl<S: Statement> TryFrom<VerifyingKey<Bls12_381>> for VerifyingKeyOf<S> {
    type Error = VerifyError;

    fn try_from(vk: VerifyingKey<Bls12_381>) -> Result<Self, VerifyError> {
        Self::new(vk)
    }
}

// Written out rather than derived: a derive would ask `S` (a marker type) for the same traits.
impl<S: Statement> Clone for VerifyingKeyOf<S> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

impl<S: Statement> fmt::Debug for VerifyingKeyOf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKeyOf")
            .field("statement", &S::ID)
            .field("vk", &self.0)
            .finish()
    }
}

impl<S: Statement> PartialEq for VerifyingKeyOf<S> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

/// A verifying key of statement `S` prepared for verification (one by one or in batches), with
/// its hash.
pub struct PreparedKeyOf<S: Statement> {
    key: PreparedAnyKey,
    statement: PhantomData<S>,
}

impl<S: Statement> PreparedKeyOf<S> {
    /// SHA-256 of the key's compressed encoding.
    pub fn hash(&self) -> [u8; 32] {
        self.key.hash
    }

    /// SHA-256 of the key's compressed encoding, as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        self.key.hash_hex()
    }

    /// Checks that `expected` (64 hex digits, either case, optionally after `0x`), e.g. the key
    /// hash an envelope or an anchor names, is this key's hash: [`VerifyError::Malformed`] if it is
    /// not 64 hex digits, [`VerifyError::KeyMismatch`] if it names another key.
    pub fn check_hash(&self, expected: &str) -> Result<(), VerifyError> {
        self.key.check_hash(expected)
    }

    /// The arkworks prepared key.
    pub fn as_ark(&self) -> &PreparedVerifyingKey<Bls12_381> {
        &self.key.pvk
    }

    /// The same key without its statement type, borrowed, e.g. for a [`MixedItem`](crate::MixedItem).
    pub fn erase(&self) -> &PreparedAnyKey {
        &self.key
    }

    /// The same key without its statement type, by value.
    pub fn into_erased(self) -> PreparedAnyKey {
        self.key
    }
}

impl<S: Statement> From<PreparedKeyOf<S>> for PreparedAnyKey {
    fn from(key: PreparedKeyOf<S>) -> Self {
        key.into_erased()
    }
}

impl<'a, S: Statement> From<&'a PreparedKeyOf<S>> for &'a PreparedAnyKey {
    fn from(key: &'a PreparedKeyOf<S>) -> Self {
        key.erase()
    }
}

impl<S: Statement> AsRef<PreparedAnyKey> for PreparedKeyOf<S> {
    fn as_ref(&self) -> &PreparedAnyKey {
        &self.key
    }
}

// Written out rather than derived: a derive would ask `S` (a marker type) for the same traits.
impl<S: Statement> Clone for PreparedKeyOf<S> {
    fn clone(&self) -> Self {
        Self {
            key: self.key.clone(),
            statement: PhantomData,
        }
    }
}

impl<S: Statement> fmt::Debug for PreparedKeyOf<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedKeyOf").field("key", &self.key).finish()
    }
}

/// A prepared verifying key of some statement, its type erased: what
/// [`verify_mixed`](crate::verify_mixed) takes, so that proofs of several statements can be checked
/// together. It keeps the key's hash (which identifies it), its number of public inputs and its
/// statement's id; get one from a typed key with [`PreparedKeyOf::erase`] or [`From`].
#[derive(Clone, Debug)]
pub struct PreparedAnyKey {
    pub(crate) pvk: PreparedVerifyingKey<Bls12_381>,
    pub(crate) blst: crate::pairing::BlstKey,
    hash: [u8; 32],
    statement: &'static str,
}

impl PreparedAnyKey {
    /// SHA-256 of the key's compressed encoding.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }

    /// SHA-256 of the key's compressed encoding, as 64 lowercase hex digits.
    pub fn hash_hex(&self) -> String {
        hex::encode(self.hash)
    }

    /// The number of public inputs a proof under this key has.
    pub fn inputs(&self) -> usize {
        // `VerifyingKeyOf::new` checked `gamma_abc_g1` holds one point per input plus one.
        self.pvk.vk.gamma_abc_g1.len() - 1
    }

    /// The id of the key's statement ([`Statement::ID`]).
    pub fn statement(&self) -> &'static str {
        self.statement
    }

    /// Checks that `expected` (64 hex digits, either case, optionally after `0x`), e.g. the key
    /// hash an envelope or an anchor names, is this key's hash: [`VerifyError::Malformed`] if it is
    /// not 64 hex digits, [`VerifyError::KeyMismatch`] if it names another key.
    pub fn check_hash(&self, expected: &str) -> Result<(), VerifyError> {
        check_hash(&self.hash, expected)
    }

    /// The arkworks prepared key.
    pub fn as_ark(&self) -> &PreparedVerifyingKey<Bls12_381> {
        &self.pvk
    }

    /// Refuses `found` public inputs unless they are as many as the key's
    /// ([`VerifyError::KeyMismatch`]); `what` names the proof, e.g. `a proof` or `item 3`.
    pub(crate) fn check_input_count(&self, found: usize, what: &str) -> Result<(), VerifyError> {
        if found == self.inputs() {
            return Ok(());
        }
        Err(VerifyError::KeyMismatch {
            expected: format!(
                "{what} with {} public inputs for {} key {}",
                self.inputs(),
                self.statement,
                self.hash_hex()
            ),
            found: format!("{what} with {found} public inputs"),
        })
    }
}

/// Checks that `expected` (64 hex digits, either case, optionally after `0x`) names `hash`:
/// [`VerifyError::Malformed`] if it is not 64 hex digits, [`VerifyError::KeyMismatch`] if it names
/// another key.
pub(crate) fn check_hash(hash: &[u8; 32], expected: &str) -> Result<(), VerifyError> {
    let digits = expected.strip_prefix("0x").unwrap_or(expected);
    let bytes = hex::decode(digits)
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| VerifyError::malformed("key hash", format!("{expected:?} is not 64 hex digits")))?;
    if bytes != hash {
        return Err(VerifyError::KeyMismatch {
            expected: format!("verifying key {}", hex::encode(bytes)),
            found: format!("verifying key {}", hex::encode(hash)),
        });
    }
    Ok(())
}
