//! A state file (`--state state-K.json`): a `StateDoc` from JSON, then `StateOpening::from_doc`
//! against the example MSA, then rating a period from it (what `rate` and `prove` do next).
//!
//! Options byte, then the file. Bit 0 set: the target commits to the file's own shape, index,
//! volumes and salt before opening it (as a writer of a well-formed but unexpected state would),
//! so the checks and the rating after the commitment are reached.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::{
    commit::{state_commitment, StateDoc, StateOpening},
    model::from_json,
    rate, Layout, Period, Salt, Usage, VolumeState,
};
use zkinvoice_fuzz::{msa, options_and_text};

fuzz_target!(|data: &[u8]| {
    let Some((options, text)) = options_and_text(data) else {
        return;
    };
    let Ok(mut doc) = from_json::<StateDoc>(text) else {
        return;
    };
    let msa = msa();
    if options & 1 == 1 {
        let parts = (
            doc.shape.parse::<Layout>(),
            VolumeState::from_map(msa, doc.index, &doc.volumes),
            doc.salt.parse::<Salt>(),
        );
        if let (Ok(shape), Ok(state), Ok(salt)) = parts {
            if let Ok(c) = state_commitment(doc.msa_commitment, &state, shape, &salt) {
                doc.commitment = c;
            }
        }
    }
    let Ok(opening) = StateOpening::from_doc(msa, &doc) else {
        return;
    };
    let again = StateOpening::from_doc(msa, &opening.to_doc(msa)).expect("a state file reads back");
    assert_eq!(again.state, opening.state, "the state's file changes it");
    assert_eq!(again.commitment, opening.commitment);
    let period: Period = "2026-10-01..2026-11-01".parse().expect("a period");
    let usage = Usage {
        period,
        records: Vec::new(),
    };
    let _ = rate(msa, &usage, &opening.state, "INV-1");
});
