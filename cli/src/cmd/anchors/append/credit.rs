//! The SLA credits' entries sent to the anchor contract: the credit-note key's
//! `statement-key-agreed` as `registerCreditVerifier` (with `--statement-verifier`, as the
//! reconciliation key's, [`Sender::register_verifier`]), `sla-agreed` as `registerSla`, and
//! `credit-note` as `recordCreditNote`.

use zkinvoice_anchors::{Body, CreditCarried};
use zkinvoice_evm::{
    chain::{ChainAnchor, Included},
    Address, EvmError,
};
use zkinvoice_verifier::{Fr, InvoiceProof};

use super::{period_id, short, Sender};
use crate::error::CliError;

/// A statement's verifier the anchor registers with both parties' proposals.
pub(super) struct VerifierKind {
    /// The key, in messages: `credit-note key`.
    pub(super) key: &'static str,
    /// The verifier, in messages: `credit verifier`.
    pub(super) name: &'static str,
    /// The contract's function.
    pub(super) call: &'static str,
    /// What the anchor registered.
    pub(super) registered: fn(&ChainAnchor) -> Result<Option<Address>, EvmError>,
    /// The proposal's transaction.
    pub(super) register: fn(&ChainAnchor, Address) -> Result<Included, EvmError>,
}

/// The credit-note key's verifier (`registerCreditVerifier`).
pub(super) const CREDIT_VERIFIER: VerifierKind = VerifierKind {
    key: "credit-note key",
    name: "credit verifier",
    call: "registerCreditVerifier",
    registered: ChainAnchor::credit_verifier,
    register: ChainAnchor::register_credit_verifier,
};

impl Sender<'_> {
    /// `registerCreditVerifier` or `registerReconcileVerifier` (`kind`) with
    /// `--statement-verifier`, once it is found to embed the key the entry agrees (`vk_hash`). A
    /// verifier already registered the same is reported, not sent again.
    pub(super) fn register_verifier(
        &self,
        msa: &Fr,
        vk_hash: &str,
        kind: &VerifierKind,
    ) -> Result<(), CliError> {
        let err = self.at.err();
        let file = self.file.display();
        let what = kind.key;
        self.same_msa(what, msa)?;
        if self.counterpart.is_some() {
            return Err(CliError::Usage(format!(
                "{file}: --counterpart is for the netting key's entry, this is the {what}'s"
            )));
        }
        let Some(verifier) = self.statement_verifier else {
            return Err(CliError::Usage(format!(
                "{file}: the {what}'s entry registers its verifier on the anchor contract: give --statement-verifier"
            )));
        };
        self.verifier_of(verifier, vk_hash)?;
        let name = kind.name;
        if (kind.registered)(&self.anchor).map_err(&err)? == Some(verifier) {
            println!("{}: the {name} is already registered", self.place());
            return Ok(());
        }
        let i = (kind.register)(&self.anchor, verifier).map_err(&err)?;
        let registered = (kind.registered)(&self.anchor).map_err(&err)?.is_some();
        println!(
            "{}; {}",
            self.sent(kind.call, i),
            if registered {
                format!("the {name} {verifier} is registered (both parties proposed it)")
            } else {
                format!("waiting for the other party to propose the same {name}")
            }
        );
        Ok(())
    }

    /// `registerSla` of a period's agreed SLA performance. One already registered the same is
    /// reported, not sent again.
    pub(super) fn register_sla(
        &self,
        msa: &Fr,
        (start, end): (&str, &str),
        sla: &Fr,
    ) -> Result<(), CliError> {
        let err = self.at.err();
        self.same_msa("SLA performance", msa)?;
        let id = period_id(start, end)?;
        let period = format!("{start}..{end}");
        if self.anchor.sla(id).map_err(&err)? == Some(*sla) {
            println!(
                "{}: the SLA performance of {period} is already registered",
                self.place()
            );
            return Ok(());
        }
        let i = self.anchor.register_sla(id, sla).map_err(&err)?;
        let registered = self.anchor.sla(id).map_err(&err)?.is_some();
        println!(
            "{}; SLA performance of {period} {}",
            self.sent("registerSla", i),
            if registered {
                "registered (both parties proposed it)"
            } else {
                "waiting for the other party's proposal"
            }
        );
        Ok(())
    }

    /// `recordCreditNote` of a `credit-note` entry (the Seller's), its public inputs completed
    /// with the SLA performance the anchor registered for the period, as the log's rule completes
    /// them with the agreed one. A note the anchor already records is reported, not sent again.
    pub(super) fn record_credit_note(&self, body: &Body) -> Result<(), CliError> {
        let Body::CreditNote {
            msa_commitment,
            invoice_commitment,
            period_start,
            period_end,
            credit_commitment,
            proof,
        } = body
        else {
            unreachable!("called for credit-note bodies")
        };
        let err = self.at.err();
        let file = self.file.display();
        self.same_msa("credit note", msa_commitment)?;
        let id = period_id(period_start, period_end)?;
        let period = format!("{period_start}..{period_end}");
        if self.anchor.credit(id).map_err(&err)? == Some(*credit_commitment) {
            println!(
                "{}: the credit note {} of {period} is already recorded",
                self.place(),
                short(credit_commitment)
            );
            return Ok(());
        }
        let Some(sla) = self.anchor.sla(id).map_err(&err)? else {
            return Err(CliError::Mismatch(format!(
                "{file}: the anchor has no SLA performance registered for {period} (send the period's sla-agreed first)"
            )));
        };
        // The period's dates parse: `period_id` read them.
        let inputs = body
            .credit_inputs(sla)
            .ok_or_else(|| CliError::Mismatch(format!("{file}: the period {period} is not two dates")))?;
        let proof = InvoiceProof::from_base64(proof)
            .map_err(|e| CliError::Mismatch(format!("{file}: proof: {e}")))?;
        let i = self
            .anchor
            .record_credit_note(id, &proof, &inputs)
            .map_err(&err)?;
        let (after_payment, _) = self.anchor.credit_carry(id).map_err(&err)?;
        println!(
            "{}; credit note {} of the invoice {} of {period} recorded: the proof verified on chain{}",
            self.sent("recordCreditNote", i),
            short(credit_commitment),
            short(invoice_commitment),
            if after_payment {
                " (after the invoice's payment: not applied to it, carried forward with credit-carried)"
            } else {
                ""
            }
        );
        Ok(())
    }

    /// `carryCredit` of a `credit-carried` entry: the period of the note (its
    /// `CreditNoteRecorded` event) to the period of the invoice it is carried to (its
    /// `InvoiceSubmitted` event); each party sends it, and the anchor carries the note once both
    /// did. A note the anchor already carries there is reported, not sent again.
    pub(super) fn carry_credit(&self, c: &CreditCarried) -> Result<(), CliError> {
        let err = self.at.err();
        let file = self.file.display();
        self.same_msa("credit carried forward", &c.msa_commitment)?;
        let note = short(&c.credit_commitment);
        let Some(from) = self.anchor.credited_period(&c.credit_commitment).map_err(&err)? else {
            return Err(CliError::Mismatch(format!(
                "{file}: the anchor records no credit note {note} (send its credit-note first)"
            )));
        };
        let Some(to) = self
            .anchor
            .submitted_invoice(&c.invoice_commitment)
            .map_err(&err)?
            .map(|s| s.period_id)
        else {
            return Err(CliError::Mismatch(format!(
                "{file}: the anchor accepted no invoice {}",
                short(&c.invoice_commitment)
            )));
        };
        if self.anchor.credit_carry(from).map_err(&err)?.1 == Some(to) {
            println!(
                "{}: the credit note {note} is already carried to that invoice",
                self.place()
            );
            return Ok(());
        }
        let i = self.anchor.carry_credit(from, to).map_err(&err)?;
        let carried = self.anchor.credit_carry(from).map_err(&err)?.1 == Some(to);
        println!(
            "{}; credit note {note} {} the invoice {}",
            self.sent("carryCredit", i),
            if carried {
                "carried (both parties proposed it) to"
            } else {
                "proposed to be carried (waiting for the other party's proposal) to"
            },
            short(&c.invoice_commitment)
        );
        Ok(())
    }
}
