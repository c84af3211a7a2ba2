//! A usage file in JSON (`usage commit --usage`, `rate`, `prove`): `Usage::parse` against the
//! example MSA, with or without `--period`, then what the CLI does with valid usage. See
//! `zkinvoice_fuzz::usage` for the options byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::UsageFormat;

fuzz_target!(|data: &[u8]| zkinvoice_fuzz::usage::run(data, UsageFormat::Json));
