//! An MEF 141 bill (`verify --payload bill.json`, the Buyer's service fetching a bill):
//! `CustomerBill` from JSON, then `to_invoice(Some(&msa))` and `to_invoice(None)` (the invoice a
//! bill states), then the Buyer's check with the fixture key (`Received::of_bill(..)`: the
//! invoice against its proven commitment, then the proof).
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
    let with_msa = bill.to_invoice(Some(msa));
    let without = bill.to_invoice(None);
    if let Ok((invoice, salt)) = &with_msa {
        // The MSA only adds checks: what it accepts reads the same without it.
        let (plain, plain_salt) = without.as_ref().expect("a bill the MSA accepts reads without it");
        assert_eq!(plain, invoice);
        assert_eq!(plain_salt, salt);
    }
    if let Ok((invoice, salt)) = &without {
        for shape in Shape::ALL {
            let _ = invoice_commitment(invoice, shape, salt);
        }
    }
    let _ = check(vk(), &Received::of_bill(&bill, Some(msa)), &Agreed::default());
    let _ = check(vk(), &Received::of_bill(&bill, None), &Agreed::default());
});
