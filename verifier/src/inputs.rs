//! The invoice statement's public inputs and their JSON form.

use ark_ff::{BigInteger, PrimeField};
use serde::{Deserialize, Serialize};

use crate::error::VerifyError;
use crate::Fr;

/// How many public inputs the invoice statement has.
pub const PUBLIC_INPUT_COUNT: usize = 5;

/// The public inputs of one invoice proof, as anchored on the ledger.
///
/// Serialised as a JSON object with camelCase keys (`msaCommitment`, `usageCommitment`,
/// `stateBefore`, `stateAfter`, `invoiceCommitment`), each value `0x` and 64 big-endian hex digits
/// of a canonical field element (see [`fr_from_hex`]). Unknown keys are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "HexInputs", into = "HexInputs")]
pub struct InvoicePublicInputs {
    /// The commitment to the agreed Master Services Agreement.
    pub msa_commitment: Fr,
    /// The commitment to the period's agreed usage.
    pub usage_commitment: Fr,
    /// The cumulative-volume state the period starts from.
    pub state_before: Fr,
    /// The cumulative-volume state the period ends with.
    pub state_after: Fr,
    /// The commitment to the invoice.
    pub invoice_commitment: Fr,
}

impl InvoicePublicInputs {
    /// The public inputs in the order the circuit allocates them: MSA commitment, usage commitment,
    /// state before, state after, invoice commitment.
    pub fn to_field_elements(&self) -> [Fr; PUBLIC_INPUT_COUNT] {
        [
            self.msa_commitment,
            self.usage_commitment,
            self.state_before,
            self.state_after,
            self.invoice_commitment,
        ]
    }

    /// Parses the JSON object form. A bad value is reported with its key as `what`, e.g.
    /// `publicInputs.stateAfter`; bad JSON or a missing or unknown key as `publicInputs`.
    pub fn from_json(text: &str) -> Result<Self, VerifyError> {
        let hex: HexInputs =
            serde_json::from_str(text).map_err(|e| VerifyError::malformed("publicInputs", e.to_string()))?;
        Self::try_from(hex)
    }

    /// The JSON object form (compact).
    pub fn to_json(&self) -> String {
        let hex = HexInputs::from(*self);
        // Serialising a struct of strings cannot fail; fall back to an empty object regardless.
        serde_json::to_string(&hex).unwrap_or_else(|_| String::from("{}"))
    }
}

/// The text form of a field element: `0x` and 64 lowercase big-endian hex digits.
pub fn fr_to_hex(value: &Fr) -> String {
    format!("0x{}", hex::encode(value.into_bigint().to_bytes_be()))
}

/// Parses the text form of a field element: `0x` and exactly 64 big-endian hex digits (either case)
/// of a value below the field modulus.
pub fn fr_from_hex(text: &str) -> Result<Fr, VerifyError> {
    parse_fr(text, "field element")
}

pub(crate) fn parse_fr(text: &str, what: &str) -> Result<Fr, VerifyError> {
    let digits = text
        .strip_prefix("0x")
        .ok_or_else(|| VerifyError::malformed(what, format!("{text:?} does not start with 0x")))?;
    if digits.len() != 64 {
        return Err(VerifyError::malformed(
            what,
            format!(
                "{text:?} has {} characters after 0x, not 64 hex digits",
                digits.len()
            ),
        ));
    }
    let bytes = hex::decode(digits)
        .map_err(|e| VerifyError::malformed(what, format!("{text:?} is not hex ({e})")))?;
    let value = Fr::from_be_bytes_mod_order(&bytes);
    if value.into_bigint().to_bytes_be() != bytes {
        return Err(VerifyError::malformed(
            what,
            format!("{text:?} is not below the field modulus (non-canonical)"),
        ));
    }
    Ok(value)
}

/// The serde form: five hex strings.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HexInputs {
    msa_commitment: String,
    usage_commitment: String,
    state_before: String,
    state_after: String,
    invoice_commitment: String,
}

impl From<InvoicePublicInputs> for HexInputs {
    fn from(x: InvoicePublicInputs) -> Self {
        Self {
            msa_commitment: fr_to_hex(&x.msa_commitment),
            usage_commitment: fr_to_hex(&x.usage_commitment),
            state_before: fr_to_hex(&x.state_before),
            state_after: fr_to_hex(&x.state_after),
            invoice_commitment: fr_to_hex(&x.invoice_commitment),
        }
    }
}

impl TryFrom<HexInputs> for InvoicePublicInputs {
    type Error = VerifyError;

    fn try_from(x: HexInputs) -> Result<Self, VerifyError> {
        Ok(Self {
            msa_commitment: parse_fr(&x.msa_commitment, "publicInputs.msaCommitment")?,
            usage_commitment: parse_fr(&x.usage_commitment, "publicInputs.usageCommitment")?,
            state_before: parse_fr(&x.state_before, "publicInputs.stateBefore")?,
            state_after: parse_fr(&x.state_after, "publicInputs.stateAfter")?,
            invoice_commitment: parse_fr(&x.invoice_commitment, "publicInputs.invoiceCommitment")?,
        })
    }
}
