//! An MEF 141 bill (`verify --payload bill.json`, the Buyer's service fetching a bill):
//! `CustomerBill` from JSON, then `to_invoice(&msa)` (the invoice a bill states, against the example
//! MSA), its commitments, then the Buyer's check with the fixture key (`Received::of_bill(..)`:
//! the invoice and the state after against their proven commitments, the bill against the one
//! they and the MSA give, then the proof). A bill that opens states the invoice it opened to.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkinvoice_check::{check, Agreed, Received};
use zkinvoice_circuits::{commit::invoice_commitment, model::from_json, Shape};
use zkinvoice_fuzz::{msa, vk};
use zkinvoice_mef141::CustomerBill;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(bill) = from_json::<CustomerBill>(text) else {
        return;
    };
    let msa = msa();
    let stated = bill.to_invoice(msa);
    if let Ok((invoice, salt)) = &stated {
        for shape in Shape::ALL {
            let _ = invoice_commitment(invoice, shape, salt);
        }
    }
    let received = Received::of_bill(&bill, msa);
    if let Ok(opened) = received.opened() {
        let (invoice, salt) = stated.expect("a bill that opens states an invoice");
        assert_eq!(invoice, opened.invoice);
        assert_eq!(salt, opened.salt);
    }
    let _ = check(vk(), &received, &Agreed::default());
});
