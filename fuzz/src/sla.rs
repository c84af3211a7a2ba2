//! The `sla_json` target: SLA performance records (`sla commit --sla`, `credit --sla`) read
//! against the example MSA, then what the CLI does with valid records: their commitment at shape
//! S, the written form read back to the same records, and the credit note of a fixed invoice of
//! their period when the period is October's.

use zkinvoice_circuits::{
    commit::sla::sla_commitment, model::performance::Sla, native::credit::credit_note, Commitment, Shape,
};

/// Runs the target on `data` (the records' text; no options byte).
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let msa = crate::msa();
    let Ok(sla) = Sla::from_json(text, msa) else {
        return;
    };
    sla_commitment(Commitment(0u64.into()), msa, &sla, Shape::S, &crate::salt())
        .expect("valid records commit");
    let doc = sla.to_doc(msa);
    assert_eq!(Sla::from_doc(&doc, msa).expect("the written form reads"), sla);
    let invoice = crate::bill().to_invoice(msa).expect("the fixture bill").0;
    let note = credit_note(msa, &invoice, &sla, "CN-1", invoice.issue_date);
    match note {
        Ok(n) => assert!(n.total <= invoice.total, "a credit note exceeds its invoice"),
        Err(e) => assert!(sla.period != invoice.period, "{e}"),
    }
}
