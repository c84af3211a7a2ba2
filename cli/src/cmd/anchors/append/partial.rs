//! A disputed period's partial invoice sent to the anchor contract: `usage-partial` as
//! `registerPartialUsage` (by each party) and `invoice-partial` as `submitPartialInvoice` (the
//! Seller's); its payment and receipt go through [`Sender::settle`], which finds a partial
//! invoice by its `PartialInvoiceSubmitted` event.

use zkinvoice_anchors::Body;
use zkinvoice_verifier::Fr;

use super::{period_id, short, Sender};
use crate::error::CliError;

impl Sender<'_> {
    /// `registerPartialUsage` of a `usage-partial` entry. A partial usage already registered the
    /// same is reported, not sent again.
    pub(super) fn register_partial_usage(
        &self,
        msa: &Fr,
        (start, end): (&str, &str),
        usage: &Fr,
    ) -> Result<(), CliError> {
        let err = self.at.err();
        self.same_msa("partial usage", msa)?;
        let id = period_id(start, end)?;
        let period = format!("{start}..{end}");
        if self.anchor.partial(id).map_err(&err)?.usage == Some(*usage) {
            println!(
                "{}: the partial usage of {period} is already registered",
                self.place()
            );
            return Ok(());
        }
        let i = self.anchor.register_partial_usage(id, usage).map_err(&err)?;
        let registered = self.anchor.partial(id).map_err(&err)?.usage.is_some();
        println!(
            "{}; partial usage of {period} {}",
            self.sent("registerPartialUsage", i),
            if registered {
                "registered (both parties proposed it)"
            } else {
                "waiting for the other party's proposal"
            }
        );
        Ok(())
    }

    /// `submitPartialInvoice` of an `invoice-partial` entry. The partial invoice already accepted
    /// is reported, not sent again.
    pub(super) fn submit_partial_invoice(&self, body: &Body) -> Result<(), CliError> {
        let Body::InvoicePartial {
            msa_commitment,
            invoice_number,
            period_start,
            period_end,
            invoice_commitment,
            proof,
            ..
        } = body
        else {
            unreachable!("called for invoice-partial bodies")
        };
        let err = self.at.err();
        self.same_msa("partial invoice", msa_commitment)?;
        let id = period_id(period_start, period_end)?;
        if self.anchor.partial(id).map_err(&err)?.invoice == Some(*invoice_commitment) {
            println!(
                "{}: the partial invoice {invoice_number} is already accepted",
                self.place()
            );
            return Ok(());
        }
        let (inputs, proof) = self.invoice_proof(body, proof)?;
        let i = self
            .anchor
            .submit_partial_invoice(id, &proof, &inputs)
            .map_err(&err)?;
        println!(
            "{}; partial invoice {invoice_number} for {period_start}..{period_end} ({}) accepted: the proof verified on chain, the state does not move",
            self.sent("submitPartialInvoice", i),
            short(invoice_commitment)
        );
        Ok(())
    }
}
