//! An anchor proposal (`anchors sign --proposal`, `anchors append --proposal`):
//! `Proposal::from_json`, its signatures checked against the fixture parties' keys, its JSON form
//! read back, then `AnchorLog::append` into a log holding the seeded bilateral's agreed entries
//! (`fixtures/agreed.jsonl`), so every rule of every kind is reached.
//!
//! Options byte, then the file. Bit 0 set: the target re-signs the proposal's signatures with the
//! fixture keys of their roles before anything is checked (see `zkinvoice_fuzz::resign`).
#![no_main]

use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use zkinvoice_anchors::Proposal;
use zkinvoice_fuzz::{buyer, logs::ScratchLog, options_and_text, resign, seller};

static LOG: Mutex<Option<ScratchLog>> = Mutex::new(None);

fuzz_target!(|data: &[u8]| {
    let Some((options, text)) = options_and_text(data) else {
        return;
    };
    let Ok(mut proposal) = Proposal::from_json(text) else {
        return;
    };
    if options & 1 == 1 {
        resign(&proposal.body, &mut proposal.signatures);
    }
    let back = Proposal::from_json(&proposal.to_json()).expect("a proposal reads back");
    assert_eq!(back, proposal, "the proposal's JSON form changes it");
    let _ = proposal.check_signatures(&seller().public(), &buyer().public());
    let mut guard = LOG.lock().unwrap_or_else(|e| e.into_inner());
    let scratch = guard.get_or_insert_with(ScratchLog::agreed);
    if scratch.log().append(proposal).is_ok() {
        scratch.reset();
    }
});
