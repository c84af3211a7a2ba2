//! The demo's inputs: the three months of the examples' CDRs, and the output directory.

use std::path::Path;

use zkinvoice_circuits::{Msa, Usage, UsageFormat};

use super::example;
use crate::error::CliError;

const OCTOBER: (&str, &str) = (
    "usage-2026-10.json",
    include_str!("../../../../examples/usage-2026-10.json"),
);
const NOVEMBER: (&str, &str) = (
    "usage-2026-11.csv",
    include_str!("../../../../examples/usage-2026-11.csv"),
);
const NOVEMBER_PERIOD: &str = "2026-11-01..2026-12-01";
const DECEMBER: (&str, &str) = (
    "usage-2026-12.json",
    include_str!("../../../../examples/usage-2026-12.json"),
);

/// The output directory must not exist yet, or be empty.
pub fn prepare(dir: &Path) -> Result<(), CliError> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(CliError::Write {
            file: dir.into(),
            reason: "exists and is not an empty directory".into(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|e| CliError::Write {
        file: dir.into(),
        reason: e.to_string(),
    })
}

/// The three months of CDRs.
pub fn months(msa: &Msa) -> Result<[Usage; 3], CliError> {
    let november = NOVEMBER_PERIOD.parse().map_err(example(NOVEMBER.0))?;
    Ok([
        Usage::parse(OCTOBER.1, UsageFormat::Json, msa, None).map_err(example(OCTOBER.0))?,
        Usage::parse(NOVEMBER.1, UsageFormat::Csv, msa, Some(november)).map_err(example(NOVEMBER.0))?,
        Usage::parse(DECEMBER.1, UsageFormat::Json, msa, None).map_err(example(DECEMBER.0))?,
    ])
}
