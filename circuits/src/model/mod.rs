//! The commercial model: MSA, usage, cumulative-volume state and invoice.
//!
//! Each input has a *document* type (the documented JSON format, with a JSON Schema from
//! [`schemars`]) and a validated type holding exact integers. Validation names the field and the
//! reason of every refusal (tested in `circuits/tests/model_{msa,usage}.rs`). The model relies on
//! [`crate::money`] for exact decimals and on [`crate::encoding::PAD_THRESHOLD`] for the bound of
//! volumes and thresholds. It knows nothing of commitments or circuits (the MEF 141 payload is the
//! `zkinvoice-mef141` crate's).

pub mod invoice;
pub mod msa;
pub mod performance;
pub mod period;
pub mod product;
pub mod sla;
pub mod state;
pub mod terms;
pub mod usage;

use schemars::{json_schema, Schema, SchemaGenerator};

use crate::Error;

/// Parses JSON into a document type, mapping errors to [`Error::Json`].
pub fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| Error::from_json(&e))
}

/// Checks an identifier: non-empty, at most 256 bytes, no control characters, no surrounding
/// white space.
pub fn check_id(field: &str, id: &str) -> Result<(), Error> {
    let reason = if id.is_empty() {
        "is empty"
    } else if id.len() > 256 {
        "is longer than 256 bytes"
    } else if id.chars().any(char::is_control) {
        "contains a control character"
    } else if id.trim() != id {
        "has leading or trailing white space"
    } else {
        return Ok(());
    };
    Err(Error::invalid(field, format!("identifier {id:?} {reason}")))
}

/// JSON Schema of an unsigned 64-bit integer written as a number or a decimal string.
pub fn u64_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "oneOf": [
            {"type": "integer", "minimum": 0, "maximum": 18446744073709551615u64},
            {"type": "string", "pattern": "^[0-9]{1,20}$"}
        ]
    })
}
