//! The two parties' Ed25519 keys, and the owner-only files secrets are written to.

use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::Path;

use ed25519_dalek::{Signature as EdSignature, SigningKey, VerifyingKey};
use rand::rngs::OsRng;
use rand::RngCore;

use crate::error::AnchorError;
use crate::role::Role;

/// A party's secret signing key (Ed25519). Its [`fmt::Debug`] form shows the public key only.
#[derive(Clone)]
pub struct PartySecret(SigningKey);

impl PartySecret {
    /// A new key from 32 bytes of the operating system's generator.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let key = Self::from_bytes(&bytes);
        bytes.fill(0);
        std::hint::black_box(&bytes);
        key
    }

    /// The key whose 32-byte secret seed is `bytes`.
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(bytes))
    }

    /// The secret seed as 64 lowercase hex digits. Keep it secret.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    /// Parses 64 hex digits (either case, surrounding white space ignored).
    pub fn from_hex(text: &str) -> Result<Self, AnchorError> {
        let bytes = decode32(text.trim()).map_err(|reason| AnchorError::Key {
            reason: format!("the secret key is not 64 hex digits ({reason})"),
        })?;
        Ok(Self::from_bytes(&bytes))
    }

    /// The public key.
    pub fn public(&self) -> PartyPublic {
        PartyPublic(self.0.verifying_key())
    }

    /// Signs `message`.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.0.sign(message).to_bytes()
    }

    /// Writes the key (hex and a newline) to a new file readable by its owner only (mode 0600 on
    /// Unix), refusing to replace an existing file.
    pub fn write_file(&self, path: &Path) -> Result<(), AnchorError> {
        write_secret_file(path, self.to_hex())
    }

    /// Reads a key file written by [`PartySecret::write_file`].
    pub fn read_file(path: &Path) -> Result<Self, AnchorError> {
        let text = fs::read_to_string(path).map_err(|e| AnchorError::io(path, e))?;
        Self::from_hex(&text).map_err(|e| AnchorError::io(path, e))
    }
}

impl fmt::Debug for PartySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartySecret")
            .field("public", &self.public().to_hex())
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A party's public key (Ed25519); its text form is 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartyPublic(VerifyingKey);

impl PartyPublic {
    /// The 32-byte compressed key.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Decodes a 32-byte compressed key, refusing points that are not on the curve and weak
    /// (small-order) keys.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, AnchorError> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|e| AnchorError::Key {
            reason: format!("{} is not an Ed25519 public key ({e})", hex::encode(bytes)),
        })?;
        if key.is_weak() {
            return Err(AnchorError::Key {
                reason: format!("{} is a weak (small-order) Ed25519 key", hex::encode(bytes)),
            });
        }
        Ok(Self(key))
    }

    /// 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// Parses 64 hex digits (either case).
    pub fn from_hex(text: &str) -> Result<Self, AnchorError> {
        let bytes = decode32(text.trim()).map_err(|reason| AnchorError::Key {
            reason: format!("public key {text:?} is not 64 hex digits ({reason})"),
        })?;
        Self::from_bytes(&bytes)
    }

    /// Checks a signature of `message` (strict: no malleable or small-order encodings).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.0
            .verify_strict(message, &EdSignature::from_bytes(signature))
            .is_ok()
    }
}

impl fmt::Debug for PartyPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartyPublic({})", self.to_hex())
    }
}

impl fmt::Display for PartyPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The two parties of a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parties {
    /// The Seller's key.
    pub seller: PartyPublic,
    /// The Buyer's key.
    pub buyer: PartyPublic,
}

impl Parties {
    /// The key of `role`.
    pub fn key(&self, role: Role) -> &PartyPublic {
        match role {
            Role::Seller => &self.seller,
            Role::Buyer => &self.buyer,
        }
    }
}

/// Decodes exactly 32 bytes of hex.
pub(crate) fn decode32(text: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(text).map_err(|e| e.to_string())?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| format!("{} bytes, expected 32", bytes.len()))
}

/// Writes a secret (`text` and a newline) to a new file readable by its owner only (mode 0600 on
/// Unix), synced to disk, refusing to replace an existing file; the copy of `text` is overwritten
/// before it is freed (best effort: no zeroizing guarantee). Party key files of every kind are
/// written with it.
pub fn write_secret_file(path: &Path, text: String) -> Result<(), AnchorError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            AnchorError::io(path, "already exists; a key file is never replaced")
        } else {
            AnchorError::io(path, e)
        }
    })?;
    let mut text = text;
    text.push('\n');
    let written = file.write_all(text.as_bytes()).and_then(|()| file.sync_all());
    let mut bytes = text.into_bytes();
    bytes.fill(0);
    std::hint::black_box(&bytes);
    written.map_err(|e| AnchorError::io(path, e))
}
