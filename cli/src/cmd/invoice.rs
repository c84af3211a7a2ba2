//! `invoice`: a proved envelope as an MEF 141 (Sonata Billing) `CustomerBill`, the proof as
//! `zkProof`; settled when the Seller's anchor log records its payment received.

use zkinvoice_prover::ProofEnvelope;

use crate::{
    actions::{bill, open_envelope},
    args::InvoiceArgs,
    error::{anchor_err, CliError},
    io::{read_json, Outputs},
    load,
};

/// `invoice`.
pub fn run(a: InvoiceArgs) -> Result<(), CliError> {
    let env: ProofEnvelope = read_json(&a.envelope)?;
    let msa = load::msa(&a.msa)?;
    let (invoice, salt, after) = open_envelope(&a.envelope, &env, &msa)?;
    let mut bill = bill(&env, &invoice, &salt, &msa, &after.state)
        .map_err(|e| CliError::Mismatch(format!("{} and {}: {e}", a.envelope.display(), a.msa.display())))?;
    let mut settled = String::new();
    if let Some(path) = &a.anchors {
        let view = load::log(path)?.view().map_err(anchor_err)?;
        if let Some(s) = view.receipt_of(&env.public_inputs.invoice_commitment) {
            bill = bill.settled(&s.reference);
            settled = format!(", settled by payment {:?}", s.reference);
        }
    }
    let mut out = Outputs::new(a.force);
    out.json(&a.out, &bill);
    out.commit()?;
    println!(
        "invoice {}: {} bill items, total {} {}{settled}, written to {}",
        invoice.number,
        bill.customer_bill_item.len(),
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        a.out.display()
    );
    Ok(())
}
