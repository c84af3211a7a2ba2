//! [`KeySetup`]: how the verifying keys of an anchored MSA were made, as both parties sign it in
//! `msa-agreed`.

use serde::{Deserialize, Serialize};

/// How the verifying keys an MSA is anchored with were made: part of `msa-agreed`, so both
/// parties sign it.
///
/// JSON: `{"kind": "ceremony", "transcriptHash": "…", "contributors": ["…", "…"]}` or
/// `{"kind": "single-party"}`. The log admits a ceremony only with a transcript hash of 64
/// lowercase hex digits and at least two distinct contributors: keys that one party made alone
/// are anchored only as an explicit `single-party` setup, which both parties sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum KeySetup {
    /// A multi-party ceremony (`zkinvoice ceremony`; docs/ceremony.md): one honest contributor
    /// suffices for nobody to be able to forge a proof under the keys.
    Ceremony {
        /// The hash of the ceremony's transcript (`zkinvoice ceremony verify` prints it; the key
        /// manifest of `ceremony finish` records it), 64 lowercase hex digits. Each party checks,
        /// before it signs, that the transcript with this hash verifies and gives these keys.
        transcript_hash: String,
        /// The contributors' names, as the transcript records them, in order.
        contributors: Vec<String>,
    },
    /// One party made the keys alone (`zkinvoice setup`) and could forge proofs under them; both
    /// parties signing this accept that (tests, the demo, a trial bilateral).
    SingleParty,
}

impl KeySetup {
    /// A ceremony's setup from its record.
    pub fn ceremony(transcript_hash: impl Into<String>, contributors: Vec<String>) -> Self {
        KeySetup::Ceremony {
            transcript_hash: transcript_hash.into(),
            contributors,
        }
    }

    /// The transcript's hash, or `None` for a single-party setup.
    pub fn transcript_hash(&self) -> Option<&str> {
        match self {
            KeySetup::Ceremony { transcript_hash, .. } => Some(transcript_hash),
            KeySetup::SingleParty => None,
        }
    }
}

impl std::fmt::Display for KeySetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySetup::Ceremony {
                transcript_hash,
                contributors,
            } => write!(
                f,
                "a ceremony of {} (transcript {})",
                contributors.join(", "),
                transcript_hash.get(..12).unwrap_or(transcript_hash)
            ),
            KeySetup::SingleParty => f.write_str("a single-party setup, which both parties accept"),
        }
    }
}
