//! An MSA file (`msa commit --msa`, `rate --msa`, ...): `Msa::from_json`, then what the CLI does
//! with a valid MSA: its commitment at each shape, and a period of recurring charges rated from
//! `state_0`, whose invoice must survive its JSON form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_circuits::{commit, rate, Invoice, Msa, Period, Shape, Usage, VolumeState};
use zkinvoice_fuzz::salt;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(msa) = Msa::from_json(text) else {
        return;
    };
    for shape in Shape::ALL {
        let _ = commit::msa_commitment(&msa, shape, &salt());
    }
    let Some(end) = msa.valid_from.succ_opt() else {
        return;
    };
    let usage = Usage {
        period: Period::new(msa.valid_from, end).expect("one day"),
        records: Vec::new(),
    };
    if let Ok(rated) = rate(&msa, &usage, &VolumeState::initial(&msa), "INV-1") {
        let doc = rated.invoice.to_doc(None);
        let back = Invoice::from_doc(&doc).expect("a rated invoice reads back");
        assert_eq!(back, rated.invoice, "the invoice's JSON form changes it");
        let _ = commit::invoice_commitment(&rated.invoice, Shape::S, &salt());
    }
});
