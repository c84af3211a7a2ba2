//! A body's canonical JSON and digest (what the parties sign), one party's signature of it, and
//! the serde of field elements in bodies.

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use super::Body;
use crate::keys::PartySecret;
use crate::role::Role;

/// The domain separator of a body digest.
pub const BODY_DOMAIN: &[u8] = b"zkinvoice/anchor-body/v1";

impl Body {
    /// The canonical JSON text (what is stored).
    pub fn canonical_json(&self) -> String {
        // Serialising strings into JSON cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `SHA-256("zkinvoice/anchor-body/v1" || canonical bytes)`: what the parties sign.
    pub fn digest(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(BODY_DOMAIN);
        h.update(self.canonical_json().as_bytes());
        h.finalize().into()
    }
}

/// One party's signature of a body digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Signature {
    /// Who signed.
    pub role: Role,
    /// The signer's public key, 64 hex digits.
    pub public_key: String,
    /// The Ed25519 signature of the body digest, 128 hex digits.
    pub signature: String,
}

impl Signature {
    /// `role` signs `body`.
    pub fn new(role: Role, secret: &PartySecret, body: &Body) -> Self {
        Self {
            role,
            public_key: secret.public().to_hex(),
            signature: hex::encode(secret.sign(&body.digest())),
        }
    }
}

/// Serde of field elements as `0x` and 64 hex digits.
pub(crate) mod fr_hex {
    use serde::{Deserialize, Deserializer, Serializer};
    use zkinvoice_verifier::{fr_from_hex, fr_to_hex, Fr};

    pub fn serialize<S: Serializer>(value: &Fr, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&fr_to_hex(value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Fr, D::Error> {
        let text = String::deserialize(d)?;
        fr_from_hex(&text).map_err(serde::de::Error::custom)
    }
}
