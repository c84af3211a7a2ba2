//! An anchor log export (`anchors import --from F`, the Buyer's service pulling
//! `GET /anchors`): `AnchorLog::import_jsonl` into a fresh log of the fixture parties (put back
//! to empty after any import that wrote).
//!
//! Options byte, then the JSON lines. Bit 0 set: the target re-seals every line that parses as an
//! entry before importing (its signatures re-signed with the fixture keys of their roles, its
//! `prevHash` the previous line's hash, its hash recomputed; the fuzzer's `seq` kept), so the
//! checks after the hash chain and the signatures (gaps, forks, every rule) are reached.
#![no_main]

use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use zkinvoice_anchors::Entry;
use zkinvoice_fuzz::{logs::ScratchLog, resign};

static LOG: Mutex<Option<ScratchLog>> = Mutex::new(None);

/// The lines with each entry re-signed and re-sealed onto the previous one.
fn reseal(text: &str) -> String {
    let mut prev = [0u8; 32];
    let mut out = String::new();
    for line in text.lines() {
        match serde_json::from_str::<Entry>(line) {
            Ok(mut e) => {
                resign(&e.body, &mut e.signatures);
                let e = Entry::seal(e.seq, prev, e.body, e.signatures);
                prev = e.hash;
                out.push_str(&e.to_json_line());
            }
            Err(_) => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&options, bytes)) = data.split_first() else {
        return;
    };
    let resealed;
    let lines = if options & 1 == 1 {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return;
        };
        resealed = reseal(text);
        resealed.as_bytes()
    } else {
        bytes
    };
    let mut guard = LOG.lock().unwrap_or_else(|e| e.into_inner());
    let scratch = guard.get_or_insert_with(ScratchLog::empty);
    if scratch
        .log()
        .import_jsonl(&mut &lines[..])
        .is_ok_and(|r| r.appended > 0)
    {
        scratch.reset();
    }
});
