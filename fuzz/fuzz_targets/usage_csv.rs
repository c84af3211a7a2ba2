//! A usage file in CSV (`usage commit --usage F.csv --period ...`): `Usage::parse` against the
//! example MSA, with or without `--period` (CSV needs one), then what the CLI does with valid
//! usage. See `zkinvoice_fuzz::usage` for the options byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::UsageFormat;

fuzz_target!(|data: &[u8]| zkinvoice_fuzz::usage::run(data, UsageFormat::Csv));
