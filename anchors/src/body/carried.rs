//! The body of a `credit-carried` entry ([`CreditCarried`]), kept apart from [`super::Body`]'s
//! other kinds.

use serde::{Deserialize, Serialize};
use zkinvoice_verifier::Fr;

use super::fr_hex;

/// Both parties carried a credit note to a later invoice (signed by both): a note recorded after
/// its invoice was paid (`credit-note`) is not applied to that invoice, which was paid in full,
/// but to this one, whose due is its total less the notes carried to it (`docs/lifecycle.md`,
/// "Credits carried forward"). No amount: the note is committed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreditCarried {
    /// The MSA.
    #[serde(with = "fr_hex")]
    pub msa_commitment: Fr,
    /// The credit note carried (its `credit-note` entry's `creditCommitment`).
    #[serde(with = "fr_hex")]
    pub credit_commitment: Fr,
    /// The invoice it is applied to (anchored under the MSA, not paid, netted or rejected).
    #[serde(with = "fr_hex")]
    pub invoice_commitment: Fr,
}
