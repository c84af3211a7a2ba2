//! `schema`: the JSON Schema of an input format.

use zkinvoice_circuits::model::{invoice::InvoiceDoc, msa::MsaDoc, performance::SlaDoc, usage::UsageDoc};

use crate::{args::SchemaKind, error::CliError};

/// `schema`.
pub fn run(what: SchemaKind) -> Result<(), CliError> {
    let schema = match what {
        SchemaKind::Msa => schemars::schema_for!(MsaDoc),
        SchemaKind::Usage => schemars::schema_for!(UsageDoc),
        SchemaKind::Invoice => schemars::schema_for!(InvoiceDoc),
        SchemaKind::Sla => schemars::schema_for!(SlaDoc),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("schemas serialise")
    );
    Ok(())
}
