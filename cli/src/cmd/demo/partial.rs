//! The demo's partial and final invoices (`docs/lifecycle.md`, "Partial and final invoices"),
//! at a v1 shape: while December's dispute over IP transit is open, both sign the period's usage
//! without it (`usage-partial`); the Seller proves that usage's invoice from the MSA's latest
//! state and anchors it (`invoice-partial`, the state does not move) and publishes its bill
//! `interim`, which the Buyer's service accepts. Once the dispute is resolved, the period's
//! invoice is the final one: its bill is `final`, with the partial invoice as `zkPartial` and
//! its total less the partial invoice's due ([`Demo::period`]).

use zkinvoice_anchors::{Body, Proposal, Role};
use zkinvoice_circuits::{model::invoice::InvoiceDoc, Salt, Usage};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::ProveRequest;

use super::{example, invoice_number, Demo};
use crate::{
    actions::commit_usage,
    error::{anchor_err, CliError},
    report::since,
    table,
};

/// Which part of its period a bill is (`zkinvoice_mef141::part`).
pub enum BillPart {
    /// The whole period's invoice (`normal`).
    Whole,
    /// A disputed period's partial invoice (`interim`).
    Interim,
    /// The final invoice of a period invoiced in part: the partial invoice, with its opening.
    Final(Box<InvoiceDoc>),
}

impl BillPart {
    /// `bill` as this part.
    pub fn apply(self, bill: CustomerBill) -> Result<CustomerBill, zkinvoice_circuits::Error> {
        match self {
            BillPart::Whole => Ok(bill),
            BillPart::Interim => Ok(bill.interim()),
            BillPart::Final(partial) => bill.finalised(*partial),
        }
    }

    /// What the demo says of a bill of this part, after its items (`bill` as published).
    pub fn describe(bill: &CustomerBill) -> String {
        match &bill.zk_partial {
            Some(p) => format!(
                ",\n   zkPart final, less {} (zkPartial), amountDue {} {}",
                p.number,
                bill.amount_due.value.text(),
                p.currency
            ),
            None if bill.part() == zkinvoice_mef141::part::INTERIM => ", zkPart interim".into(),
            None => String::new(),
        }
    }
}

impl Demo {
    /// Month `k`'s usage `usage` (the Seller's) invoiced in part while its dispute is open: the
    /// records of the products `over` left out, the rest agreed by both (`usage-partial`),
    /// proved from the current state, anchored (`invoice-partial`) and delivered `interim`. The
    /// partial invoice is kept for the final invoice's bill.
    pub(super) fn invoice_in_part(
        &mut self,
        k: usize,
        usage: &Usage,
        over: &[String],
    ) -> Result<(), CliError> {
        let mut settled = usage.clone();
        settled.records.retain(|r| !over.contains(&r.product));
        let usage_salt = Salt::random(&mut rand::rngs::OsRng);
        let layout = self.keys.layout();
        let uc = commit_usage(
            &self.msa,
            self.committed.commitment,
            &settled,
            layout,
            usage_salt.clone(),
        )
        .map_err(example("usage"))?;
        let body = Body::UsageAgreed {
            msa_commitment: self.committed.commitment.0,
            period_start: uc.period.start.clone(),
            period_end: uc.period.end.clone(),
            usage_commitment: uc.commitment.0,
            usage_detail_root: uc.detail_root.clone(),
        }
        .into_partial();
        let agreed = self.seller_log.append(self.both(body)).map_err(anchor_err)?;
        let number = format!("{}-P", invoice_number(usage, k));
        let t = std::time::Instant::now();
        let proved = self.keys.prove(&ProveRequest {
            msa: &self.msa,
            msa_salt: &self.msa_salt,
            usage: &settled,
            usage_salt: &usage_salt,
            expected_usage: Some(uc.commitment),
            before: &self.state,
            invoice_number: &number,
        })?;
        let took = since(t);
        let env = &proved.envelope;
        let i = &env.invoice;
        let body = Body::invoice_partial(
            &env.public_inputs,
            &i.number,
            &i.period.start,
            &i.period.end,
            &env.proof,
        );
        let anchored = self
            .seller_log
            .append(Proposal::new(body).signed(Role::Seller, &self.seller_key))
            .map_err(anchor_err)?;
        println!(
            "   While the dispute is open, both sign the period's usage without {} (usage-partial, entry {}); the seller\n   proves its invoice from state_{} in {took} and anchors invoice-partial (entry {}; the state does not move):\n",
            over.join(", "),
            agreed.seq,
            k - 1,
            anchored.seq
        );
        print!("{}", table::invoice(&self.msa, &proved.rated));
        self.deliver(
            &number,
            env,
            &proved.rated.invoice,
            &proved.after,
            BillPart::Interim,
        )?;
        self.keep(
            &format!("usage-{}.partial.commit.json", usage.period.start.format("%Y-%m")),
            &uc,
        );
        self.keep(&format!("{number}.envelope.json"), env);
        self.partial = Some(proved.envelope);
        Ok(())
    }
}
