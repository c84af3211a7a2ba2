//! SLA performance records (`sla commit --sla`, `credit --sla`): `Sla::from_json` against the
//! example MSA, then their commitment, round trip and credit note. See `zkinvoice_fuzz::sla`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| zkinvoice_fuzz::sla::run(data));
