//! The `msa-agreed` rule: an MSA is anchored once, with a verifying key that decodes and whose
//! hash is the one signed.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use zkinvoice_verifier::{Fr, InvoiceVerifyingKeys, KEY_SET_DOMAIN};

use super::fields::check_text;
use crate::error::Rule;
use crate::view::View;

/// The text fields of an `msa-agreed` body.
pub(super) struct MsaTerms<'a> {
    pub msa_id: &'a str,
    pub shape: &'a str,
    /// Base64 of the verifying key.
    pub vk: &'a str,
    /// The SHA-256 of the key, hex.
    pub vk_hash: &'a str,
}

/// Admits an `msa-agreed` entry: its identifiers are text, the MSA is not anchored yet, `vk`
/// decodes to an invoice verifying key whose SHA-256 is `vkHash`, or to a partition key set whose
/// hash is `vkHash`.
pub(super) fn msa_agreed(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    state0: &Fr,
    terms: &MsaTerms<'_>,
) -> Result<(), Rule> {
    check_text("msaId", terms.msa_id)?;
    check_text("shape", terms.shape)?;
    if let Some(m) = view.msa(msa) {
        return Err(Rule::MsaAlreadyAnchored {
            msa: *msa,
            seq: m.seq,
        });
    }
    let bytes = STANDARD.decode(terms.vk).map_err(|e| Rule::VkNotBase64 {
        reason: e.to_string(),
    })?;
    // A v1 key's hash is checked before it is decoded; a key set's hash is of its keys.
    let set = bytes.starts_with(KEY_SET_DOMAIN);
    let decoded = || InvoiceVerifyingKeys::from_bytes(&bytes).map_err(Rule::NotAVerifyingKey);
    let (actual, keys) = if set {
        let keys = decoded()?;
        (keys.hash_hex(), Some(keys))
    } else {
        (hex::encode(Sha256::digest(&bytes)), None)
    };
    if terms.vk_hash != actual {
        return Err(Rule::VkHashMismatch {
            given: terms.vk_hash.into(),
            actual,
        });
    }
    let key = match keys {
        Some(k) => k,
        None => decoded()?,
    }
    .prepare();
    view.anchor_msa(seq, *msa, *state0, key);
    Ok(())
}
