//! The demo's settlement step (`docs/lifecycle.md`): the Buyer pays each invoice it accepted, in
//! full, on its due date (`payment`, signed by the Buyer); the Seller finds the payment on its
//! statement and confirms it (`payment-received`, signed by the Seller) and publishes the bill
//! settled, which the Buyer's service checks against its log; the audit counts them. A netted
//! invoice is not paid on its own: its net is ([`super::net`]).

use zkinvoice_anchors::{AnchorLog, Body, Proposal, Role, SettlementCounts};
use zkinvoice_mef141::CustomerBill;

use super::{sync, Demo};
use crate::error::{anchor_err, CliError};

/// What the audit counts beyond the invoices paid and received: the credited, the netted and
/// their nets (empty when there are none).
pub fn summary(s: &SettlementCounts) -> String {
    let mut out = String::new();
    if s.credited > 0 {
        out.push_str(&format!(", {} credited", s.credited));
    }
    if s.netted > 0 {
        out.push_str(&format!(
            ", {} netted; {} of {} nets paid and received",
            s.netted, s.nets_received, s.nets
        ));
    }
    out
}

/// Step `step`: every accepted invoice paid and received.
pub fn show(demo: &Demo, step: usize) -> Result<(), CliError> {
    println!("\n{step}. Settlement:");
    for bill in &demo.bills {
        let p = &bill.zk_proof.public_inputs;
        let (msa_commitment, invoice_commitment) = (p.msa_commitment, p.invoice_commitment);
        let day: String = bill.payment_due_date.chars().take(10).collect();
        if demo
            .netted
            .as_ref()
            .is_some_and(|n| n.invoice == invoice_commitment)
        {
            demo.pay_net(bill, &day)?;
            continue;
        }
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
        // What is deducted from the invoice's total: a credit note, or the partial invoice the
        // final one follows.
        let less = match (&bill.zk_credit, &bill.zk_partial) {
            (Some(c), _) => Some((&c.number, &c.total, &c.currency)),
            (None, Some(p)) => Some((&p.number, &p.total, &p.currency)),
            (None, None) => None,
        };
        let how = match less {
            Some((number, total, currency)) => format!(
                "less {number} ({total} {currency}), {} {currency}",
                bill.amount_due.value.text()
            ),
            None => "in full".into(),
        };
        println!(
            "   {}: the buyer pays it {how} on {day} and signs payment (entry {}, \"{reference}\");\n   the seller finds it on its statement, signs payment-received (entry {}) and publishes the bill settled;\n   the buyer's service checks it against its log: SETTLED",
            bill.bill_no, paid.seq, received.seq
        );
    }
    println!(
        "   No entry shows an amount: each settles one accepted invoice in full, its proven total less its proven\n   credit note or partial invoice, or a netting's committed net."
    );
    Ok(())
}

impl Demo {
    /// The netted invoice `bill`'s settlement: its net paid on `day` by the party that owes it
    /// and received by the other, each recorded in both bilaterals' logs (`net-payment`,
    /// `net-payment-received`); then the bill published settled under the net payment's
    /// reference, which the Buyer's service checks against its log.
    pub(super) fn pay_net(&self, bill: &CustomerBill, day: &str) -> Result<(), CliError> {
        let bill_no = &bill.bill_no;
        let Some(n) = &self.netted else {
            return Ok(());
        };
        let r = &n.reverse;
        // Each log's copies: (the payer's, the payee's), and the MSA.
        let payer_of = |log: &AnchorLog| -> Result<Role, CliError> {
            let v = log.view().map_err(anchor_err)?;
            v.netting(&n.net)
                .map(|x| x.payer)
                .ok_or_else(|| CliError::Mismatch("the netting is not in the log".into()))
        };
        let (here, there) = (payer_of(&self.buyer_log)?, payer_of(&r.globex)?);
        let reference = format!("SWIFT {day} NET/{bill_no}");
        let key = |role: Role, forward: bool| match (role, forward) {
            (Role::Seller, true) | (Role::Buyer, false) => &self.seller_key,
            _ => &self.buyer_key,
        };
        let mut seqs = Vec::new();
        for paid in [true, false] {
            for (forward, msa, payer) in [
                (true, self.committed.commitment.0, here),
                (false, n.reverse_msa, there),
            ] {
                let by = if paid { payer } else { payer.other() };
                let (net_commitment, reference) = (n.net, reference.clone());
                let body = if paid {
                    Body::NetPayment {
                        msa_commitment: msa,
                        net_commitment,
                        by,
                        paid_on: day.into(),
                        reference,
                    }
                } else {
                    Body::NetPaymentReceived {
                        msa_commitment: msa,
                        net_commitment,
                        by,
                        received_on: day.into(),
                        reference,
                    }
                };
                let (mine, theirs) = match (forward, by) {
                    (true, Role::Seller) => (&self.seller_log, &self.buyer_log),
                    (true, Role::Buyer) => (&self.buyer_log, &self.seller_log),
                    (false, Role::Seller) => (&r.globex, &r.northwind),
                    (false, Role::Buyer) => (&r.northwind, &r.globex),
                };
                let e = mine
                    .append(Proposal::new(body).signed(by, key(by, forward)))
                    .map_err(anchor_err)?;
                sync(mine, theirs)?;
                seqs.push(e.seq);
            }
        }
        let recorded = self.exchange.settle(&bill.settled(&reference))?;
        if recorded != reference {
            return Err(CliError::Mismatch(format!("{bill_no}: settled by {recorded:?}")));
        }
        println!(
            "   {bill_no}: netted (entry {}): globex-cloud pays the net, {}, on {day} and signs net-payment in both\n   bilaterals (entries {} and {}); northwind-carrier receives it and signs net-payment-received (entries {} and {})\n   and publishes the bill settled under the net's payment; the buyer's service checks it against its log: SETTLED",
            n.seq, n.amount, seqs[0], seqs[1], seqs[2], seqs[3]
        );
        Ok(())
    }
}
