//! The commitment files (`--msa-commit msa.commit.json`, `--usage-commit usage.commit.json`):
//! `MsaCommitDoc` and `UsageCommitDoc` through `zkinvoice_circuits::model::from_json` (the CLI's
//! `read_json`), then what the CLI checks of each: the MSA commitment opening to the example MSA
//! at the file's shape and salt; the usage file's salt, period and detail root.
//!
//! Options byte (bit 0: an MSA commitment file, else a usage commitment file), then the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::{
    commit::{msa_commitment, MsaCommitDoc, UsageCommitDoc},
    model::from_json,
    Period, Salt, Shape,
};
use zkinvoice_fuzz::{msa, options_and_text};

fuzz_target!(|data: &[u8]| {
    let Some((options, text)) = options_and_text(data) else {
        return;
    };
    if options & 1 == 1 {
        let Ok(doc) = from_json::<MsaCommitDoc>(text) else {
            return;
        };
        let (Ok(shape), Ok(salt)) = (doc.shape.parse::<Shape>(), doc.salt.parse::<Salt>()) else {
            return;
        };
        let _opens = msa_commitment(msa(), shape, &salt).is_ok_and(|c| c == doc.commitment);
    } else {
        let Ok(doc) = from_json::<UsageCommitDoc>(text) else {
            return;
        };
        let _ = doc.shape.parse::<Shape>();
        let _ = doc.salt.parse::<Salt>();
        let _ = Period::from_doc("period", &doc.period);
        let _ = hex::decode(&doc.detail_root);
    }
});
