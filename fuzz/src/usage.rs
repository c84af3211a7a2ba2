//! The usage targets (`usage_json`, `usage_csv`): one options byte, then the file.
//!
//! Options: bits 0-1 the `--period` (none, October, November or December 2026, see
//! [`crate::period`]); bits 2-7 `--aggregate-days` (0: none). A parsed usage is then treated as
//! the CLI treats it: aggregated if asked, committed at each shape with its detail root, rated
//! from `state_0`; unaggregated usage must survive its JSON form.

use zkinvoice_circuits::{commit, rate, Shape, Usage, UsageFormat, VolumeState};

use crate::{msa, options_and_text, period, salt};

/// Runs one input of a usage target.
pub fn run(data: &[u8], format: UsageFormat) {
    let Some((options, text)) = options_and_text(data) else {
        return;
    };
    let msa = msa();
    let Ok(usage) = Usage::parse(text, format, msa, period(options)) else {
        return;
    };
    let days = u32::from(options >> 2);
    let usage = if days == 0 {
        let doc = usage.to_doc();
        let json = serde_json::to_string(&doc).expect("usage serialises");
        let back = Usage::parse(&json, UsageFormat::Json, msa, None).expect("usage reads back");
        assert_eq!(back, usage, "the usage's JSON form changes it");
        usage
    } else {
        match usage.aggregated(days) {
            Ok(u) => u,
            Err(_) => return,
        }
    };
    let msa_c = commit::msa_commitment(msa, Shape::S, &salt()).expect("the example MSA fits S");
    for shape in Shape::ALL {
        let _ = commit::usage_commitment(msa_c, msa, &usage, shape, &salt());
    }
    let _ = commit::usage_detail_root(&usage, &salt());
    let _ = rate(msa, &usage, &VolumeState::initial(msa), "INV-1");
}
