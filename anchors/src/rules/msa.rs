//! The `msa-agreed` rule: an MSA is anchored once, with a verifying key that decodes and whose
//! hash is the one signed.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use zkinvoice_verifier::{Fr, InvoiceVerifyingKeys, KEY_SET_DOMAIN};

use super::fields::check_text;
use crate::error::Rule;
use crate::setup::KeySetup;
use crate::view::View;

/// The text fields of an `msa-agreed` body.
pub(super) struct MsaTerms<'a> {
    pub msa_id: &'a str,
    pub shape: &'a str,
    /// Base64 of the verifying key.
    pub vk: &'a str,
    /// The SHA-256 of the key, hex.
    pub vk_hash: &'a str,
    /// How the keys were made.
    pub key_setup: &'a KeySetup,
}

/// Admits an `msa-agreed` entry: its identifiers are text, the MSA is not anchored yet, `vk`
/// decodes to an invoice verifying key whose SHA-256 is `vkHash`, or to a partition key set whose
/// hash is `vkHash`, and the keys come from a multi-party ceremony or an explicit single-party
/// setup ([`key_setup`]).
pub(super) fn msa_agreed(
    view: &mut View,
    seq: u64,
    msa: &Fr,
    state0: &Fr,
    terms: &MsaTerms<'_>,
) -> Result<(), Rule> {
    check_text("msaId", terms.msa_id)?;
    check_text("shape", terms.shape)?;
    key_setup(terms.key_setup)?;
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

/// A ceremony names its transcript by a hash of 64 lowercase hex digits and two or more distinct
/// contributors, each a valid name; a single-party setup is admitted as it is (both parties sign
/// every `msa-agreed`, so both accepted it).
pub(super) fn key_setup(setup: &KeySetup) -> Result<(), Rule> {
    let KeySetup::Ceremony {
        transcript_hash,
        contributors,
    } = setup
    else {
        return Ok(());
    };
    let hex_digit = |c: char| c.is_ascii_digit() || ('a'..='f').contains(&c);
    if transcript_hash.len() != 64 || !transcript_hash.chars().all(hex_digit) {
        return Err(Rule::InvalidTranscriptHash {
            given: transcript_hash.clone(),
        });
    }
    for name in contributors {
        check_text("keySetup.contributors", name)?;
    }
    let distinct: std::collections::BTreeSet<&String> = contributors.iter().collect();
    if distinct.len() < 2 {
        return Err(Rule::NotMultiParty {
            contributors: contributors.clone(),
        });
    }
    Ok(())
}
