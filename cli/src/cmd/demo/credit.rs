//! The demo's SLA credit step (`docs/lifecycle.md`, "SLA credits"): November's SLA performance
//! (`examples/sla-2026-11.json`) agreed by both (`sla-agreed`), the credit-note key agreed, the
//! Seller's credit note of November's invoice proved and anchored (`credit-note`), and the Buyer
//! opening it against its log; November's bill is then settled with the note applied
//! ([`super::settle`]).

use std::time::Instant;

use zkinvoice_anchors::{Body, Proposal, Role};
use zkinvoice_circuits::{
    commit::sla::{sla_commitment, SlaCommitDoc},
    model::performance::Sla,
    Invoice, Layout, Salt, Shape,
};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::{
    credit::{CreditEnvelope, CreditInputs, CreditKeys, CreditOpening},
    CeremonyRecord,
};

use super::{example, sync, Demo};
use crate::{
    cmd::credit::table,
    error::{anchor_err, CliError},
    report::since,
};

const SLA: &str = include_str!("../../../../examples/sla-2026-11.json");

impl Demo {
    /// Step `step` at a v1 shape: November credited. Returns whether it ran (not at a partition
    /// shape).
    pub(super) fn credit(&mut self, step: usize) -> Result<bool, CliError> {
        let Layout::Single(shape) = self.keys.layout() else {
            return Ok(false);
        };
        let sla = Sla::from_json(SLA, &self.msa).map_err(example("sla-2026-11.json"))?;
        let measured: Vec<String> = sla
            .to_doc(&self.msa)
            .records
            .iter()
            .map(|r| format!("{} {} %", r.product, r.availability_percent))
            .collect();
        println!(
            "\n{step}. SLA credit: the service levels of MSA {} credit a share of a product's charge when its availability\n   falls below a band; both measured {}: {}",
            self.msa.id,
            sla.period,
            measured.join(", ")
        );
        // The ceremony's keys were written with its record when it finished (`agree`); the
        // Buyer's setup is made and written here.
        let keys = match self.credit_keys.take() {
            Some(k) => k,
            None => {
                let k = CreditKeys::generate(shape, &mut rand::rngs::OsRng)?;
                if let Some(dir) = &self.dir {
                    k.write(&dir.join("params"), false)?;
                }
                k
            }
        };
        let salt = self.agree_sla(&keys, &sla, shape)?;
        let (env, _) = self
            .envelopes
            .get(1)
            .ok_or_else(|| CliError::Mismatch("no November invoice to credit".into()))?;
        let invoice = Invoice::from_doc(&env.invoice).map_err(example("usage"))?;
        let invoice_salt: Salt = env
            .invoice
            .commitment
            .as_ref()
            .ok_or_else(|| CliError::Mismatch("no opening".into()))?
            .salt
            .parse()
            .map_err(example("usage"))?;
        let inputs = CreditInputs {
            msa: (&self.msa, &self.msa_salt),
            invoice: (&invoice, &invoice_salt),
            sla: (&sla, &salt),
        };
        let number = format!("CN-{}", invoice.number);
        let t = Instant::now();
        let proved = keys.prove(inputs, (&number, invoice.issue_date), &mut rand::rngs::OsRng)?;
        let took = since(t);
        let envelope = CreditEnvelope::new(&proved, &keys);
        let p = &envelope.public_inputs;
        let body = Body::credit_note(
            p,
            (envelope.period.start.clone(), envelope.period.end.clone()),
            &envelope.proof,
        );
        let noted = self
            .seller_log
            .append(Proposal::new(body).signed(Role::Seller, &self.seller_key))
            .map_err(anchor_err)?;
        sync(&self.seller_log, &self.buyer_log)?;
        println!(
            "   The seller computes and proves {number} in {took} and anchors credit-note (entry {}), naming no amount:\n",
            noted.seq
        );
        for line in table(&proved.note).lines() {
            println!("     {line}");
        }
        let opening = CreditOpening::of(&proved);
        self.bills[1] = self.open_note(&envelope, &opening, shape)?;
        self.keep(&format!("{number}.envelope.json"), &envelope);
        self.keep(&format!("{number}.opening.json"), &opening);
        self.credit_keys = Some(keys);
        Ok(true)
    }

    /// Writes the ceremony's netting and credit-note keys with its record (`--out`).
    pub(super) fn write_statement_keys(&self, ceremony: Option<&CeremonyRecord>) -> Result<(), CliError> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        if let Some(n) = &self.netting_keys {
            n.write_with(&dir.join("params"), ceremony.cloned())?;
        }
        if let Some(c) = &self.credit_keys {
            c.write_with(&dir.join("params"), false, ceremony.cloned())?;
        }
        Ok(())
    }

    /// Both sign the credit key and the period's SLA performance (`sla`); returns the SLA
    /// commitment's salt and the commitment.
    fn agree_sla(&mut self, keys: &CreditKeys, sla: &Sla, shape: Shape) -> Result<Salt, CliError> {
        let msa_c = self.committed.commitment;
        let key = Body::statement_key_agreed(msa_c.0, keys.verifying_key(), self.key_setup.clone());
        let key = self.seller_log.append(self.both(key)).map_err(anchor_err)?;
        let salt = Salt::random(&mut rand::rngs::OsRng);
        let sc = sla_commitment(msa_c, &self.msa, sla, shape, &salt).map_err(example("sla-2026-11.json"))?;
        let agreed = self
            .seller_log
            .append(self.both(Body::SlaAgreed {
                msa_commitment: msa_c.0,
                period_start: sla.period.start.to_string(),
                period_end: sla.period.end.to_string(),
                sla_commitment: sc.0,
            }))
            .map_err(anchor_err)?;
        sync(&self.seller_log, &self.buyer_log)?;
        println!(
            "   Both sign the credit-note statement's key (statement-key-agreed, entry {}; {}),\n   and the period's SLA performance (sla-agreed, entry {}): sla_commitment {sc}",
            key.seq, self.key_setup, agreed.seq
        );
        self.keep(
            "sla-2026-11.commit.json",
            &SlaCommitDoc {
                shape: shape.name.into(),
                msa_commitment: msa_c,
                period: sla.period.to_doc(),
                commitment: sc,
                salt: salt.to_hex(),
            },
        );
        Ok(salt)
    }

    /// The Buyer opens the note the Seller sends it (`opening`) against the commitment its log
    /// holds; returns November's bill with the note applied.
    fn open_note(
        &self,
        envelope: &CreditEnvelope,
        opening: &CreditOpening,
        shape: Shape,
    ) -> Result<CustomerBill, CliError> {
        let p = &envelope.public_inputs;
        let number = &opening.number;
        let total = opening
            .open((p.credit_commitment, p.invoice_commitment), &self.msa, shape)
            .map_err(|e| CliError::Mismatch(format!("{number}: {e}")))?;
        let bill = self
            .bills
            .get(1)
            .ok_or_else(|| CliError::Mismatch("no November bill".into()))?
            .credited(opening.clone())
            .map_err(|e| CliError::Mismatch(format!("{number}: {e}")))?;
        println!(
            "\n   The buyer opens the note against the credit commitment in its log: {} {} off {} (MEF 141 credits;\n   amountDue {})",
            self.msa.currency.format_minor(total),
            self.msa.currency.code(),
            bill.bill_no,
            bill.amount_due.value.text()
        );
        Ok(bill)
    }
}
