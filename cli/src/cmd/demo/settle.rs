//! The demo's settlement step (`docs/lifecycle.md`): the Buyer pays each invoice it accepted, in
//! full, on its due date (`payment`, signed by the Buyer); the Seller finds the payment on its
//! statement and confirms it (`payment-received`, signed by the Seller) and publishes the bill
//! settled, which the Buyer's service checks against its log; the audit counts them. A netted
//! invoice is not paid on its own.

use zkinvoice_anchors::{Body, Proposal, Role};

use super::{sync, Demo};
use crate::error::{anchor_err, CliError};

/// Step `step`: every accepted invoice paid and received.
pub fn show(demo: &Demo, step: usize) -> Result<(), CliError> {
    println!("\n{step}. Settlement:");
    for bill in &demo.bills {
        let p = &bill.zk_proof.public_inputs;
        let (msa_commitment, invoice_commitment) = (p.msa_commitment, p.invoice_commitment);
        if let Some(n) = demo.netted.as_ref().filter(|n| n.invoice == invoice_commitment) {
            println!(
                "   {}: netted (entry {}), so not paid on its own (paying the net itself is not built yet)",
                bill.bill_no, n.seq
            );
            continue;
        }
        let day: String = bill.payment_due_date.chars().take(10).collect();
        let reference = format!("SEPA {day} {}/{}", demo.msa.buyer.id, bill.bill_no);
        let paid = Body::Payment {
            msa_commitment,
            invoice_commitment,
            paid_on: day.clone(),
            reference: reference.clone(),
        };
        let paid = demo
            .buyer_log
            .append(Proposal::new(paid).signed(Role::Buyer, &demo.buyer_key))
            .map_err(anchor_err)?;
        sync(&demo.buyer_log, &demo.seller_log)?;
        let received = Body::PaymentReceived {
            msa_commitment,
            invoice_commitment,
            received_on: day.clone(),
            reference: reference.clone(),
        };
        let received = demo
            .seller_log
            .append(Proposal::new(received).signed(Role::Seller, &demo.seller_key))
            .map_err(anchor_err)?;
        sync(&demo.seller_log, &demo.buyer_log)?;
        let recorded = demo.exchange.settle(&bill.settled(&reference))?;
        if recorded != reference {
            return Err(CliError::Mismatch(format!(
                "{}: settled by {recorded:?}",
                bill.bill_no
            )));
        }
        println!(
            "   {}: the buyer pays it in full on {day} and signs payment (entry {}, \"{reference}\");\n   the seller finds it on its statement, signs payment-received (entry {}) and publishes the bill settled;\n   the buyer's service checks it against its log: SETTLED",
            bill.bill_no, paid.seq, received.seq
        );
    }
    println!("   No entry shows an amount: each settles one accepted invoice in full, its proven total.");
    Ok(())
}
