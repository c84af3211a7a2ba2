//! The netting's entries sent to the anchor contract: the netting key's `statement-key-agreed`
//! as `registerNetting` (with `--counterpart` and `--statement-verifier`), and `invoices-netted` as
//! `recordNetting`.

use zkinvoice_anchors::Body;
use zkinvoice_verifier::{Fr, InvoiceProof};

use super::{period_id, Sender};
use crate::{error::CliError, load};

impl Sender<'_> {
    /// Refuses a statement's verifier at `verifier` unless it embeds the key whose hash the
    /// entry agrees (`vk_hash`).
    pub(super) fn verifier_of(
        &self,
        verifier: zkinvoice_evm::Address,
        vk_hash: &str,
    ) -> Result<(), CliError> {
        let file = self.file.display();
        let agreed = load::hash32(vk_hash)
            .ok_or_else(|| CliError::Mismatch(format!("{file}: vkHash is not 64 hex digits")))?;
        let embedded = self
            .anchor
            .statement_verifier_key(verifier)
            .map_err(self.at.err())?;
        if embedded != agreed {
            return Err(CliError::KeyMismatch(format!(
                "{file}: the verifier {verifier} embeds key {}, the entry agrees key {vk_hash}",
                hex::encode(embedded)
            )));
        }
        Ok(())
    }

    /// `registerNetting` with `--counterpart` and `--statement-verifier`, once the verifier is found
    /// to embed the key the entry agrees (`vk_hash`). Terms already registered the same are
    /// reported, not sent again.
    pub(super) fn register_netting(&self, msa: &Fr, vk_hash: &str) -> Result<(), CliError> {
        let err = self.at.err();
        let file = self.file.display();
        self.same_msa("netting key", msa)?;
        let (Some(counterpart), Some(verifier)) = (self.counterpart, self.statement_verifier) else {
            return Err(CliError::Usage(format!(
                "{file}: the netting key's entry registers the netting terms on the anchor contract: give --counterpart (the other bilateral's anchor) and --statement-verifier"
            )));
        };
        self.verifier_of(verifier, vk_hash)?;
        if self.anchor.netting_terms().map_err(&err)? == Some((counterpart, verifier)) {
            println!("{}: the netting terms are already registered", self.place());
            return Ok(());
        }
        let i = self
            .anchor
            .register_netting(counterpart, verifier)
            .map_err(&err)?;
        let registered = self.anchor.netting_terms().map_err(&err)?.is_some();
        println!(
            "{}; {}",
            self.sent("registerNetting", i),
            if registered {
                format!("the netting terms are registered (both parties proposed them): counterpart {counterpart}, netting verifier {verifier}")
            } else {
                "waiting for the other party to propose the same netting terms".into()
            }
        );
        Ok(())
    }

    /// `recordNetting` of an `invoices-netted` entry: its proof with the public inputs the log's
    /// rule verifies it with (of partitioned invoices, after their parts, in the statement's
    /// order). A netting the anchor already records with the entry's net commitment is reported,
    /// not sent again.
    pub(super) fn record_netting(&self, body: &Body) -> Result<(), CliError> {
        let Body::InvoicesNetted {
            msa_commitment,
            invoice_commitment,
            other_invoice_commitment,
            period_start,
            period_end,
            net_commitment,
            proof,
            parts,
            ..
        } = body
        else {
            unreachable!("called for invoices-netted bodies")
        };
        let err = self.at.err();
        let file = self.file.display();
        self.same_msa("netting", msa_commitment)?;
        let id = period_id(period_start, period_end)?;
        let inputs = body
            .netted_inputs()
            .ok_or_else(|| CliError::Mismatch(format!("{file}: periodStart or periodEnd is not a date")))?;
        let proof = InvoiceProof::from_base64(proof)
            .map_err(|e| CliError::Mismatch(format!("{file}: proof: {e}")))?;
        let period = format!("{period_start}..{period_end}");
        if self
            .anchor
            .netting(id)
            .map_err(&err)?
            .is_some_and(|n| n.net_commitment == *net_commitment)
        {
            println!("{}: the netting of {period} is already recorded", self.place());
            return Ok(());
        }
        let i = match parts {
            Some(parts) => {
                let [first, second] = parts.ordered(*invoice_commitment, *other_invoice_commitment);
                let parts = [first.clone(), second.clone()];
                self.anchor.record_netting_heads(id, &proof, &inputs, &parts)
            }
            None => self.anchor.record_netting(id, &proof, &inputs),
        }
        .map_err(&err)?;
        let recorded = self.anchor.netting(id).map_err(&err)?.is_some();
        println!(
            "{}; netting of {period} {}",
            self.sent("recordNetting", i),
            if recorded {
                "recorded: both parties proposed it and the proof verified on chain"
            } else {
                "proposed: waiting for the other party's proposal"
            }
        );
        Ok(())
    }
}
