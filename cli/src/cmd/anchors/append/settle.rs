//! The settlement's entries sent to the anchor contract: an invoice's `payment` and
//! `payment-received`, and a netting's `net-payment` and `net-payment-received`, as the period's
//! `recordPayment` and `recordReceipt`; a partial invoice's as `recordPartialPayment` and
//! `recordPartialReceipt`.

use zkinvoice_anchors::Role;
use zkinvoice_evm::chain::ChainPayment;
use zkinvoice_verifier::Fr;

use super::{short, Sender};
use crate::error::CliError;

/// What one settlement call records: a receipt (else a payment), of the period's partial
/// invoice (else of its invoice or net), its day (as the anchor counts days) and its date as the
/// entry gives it.
struct Dated<'a> {
    received: bool,
    partial: bool,
    day: u32,
    on: &'a str,
}

impl Sender<'_> {
    /// The day of the entry's `field` (`paidOn` or `receivedOn`).
    fn day(&self, received: bool, on: &str) -> Result<u32, CliError> {
        let field = if received { "receivedOn" } else { "paidOn" };
        zkinvoice_check::chain::day(field, on)
            .map_err(|e| CliError::Mismatch(format!("{}: {e}", self.file.display())))
    }

    /// `recordPayment` (the Buyer's `payment`) or, `received`, `recordReceipt` (the Seller's
    /// `payment-received`) of the invoice the anchor accepted with commitment `invoice`, found by
    /// its `InvoiceSubmitted` event, on the day `on`; of a partial invoice (its
    /// `PartialInvoiceSubmitted` event), `recordPartialPayment` or `recordPartialReceipt`. What
    /// is already recorded the same is reported, not sent again.
    pub(super) fn settle(
        &self,
        msa: &Fr,
        invoice: &Fr,
        (received, on): (bool, &str),
        reference: &str,
    ) -> Result<(), CliError> {
        let err = self.at.err();
        self.same_msa("payment", msa)?;
        let day = self.day(received, on)?;
        let (s, partial) = match self.anchor.submitted_invoice(invoice).map_err(&err)? {
            Some(s) => (s, false),
            None => match self.anchor.submitted_partial_invoice(invoice).map_err(&err)? {
                Some(s) => (s, true),
                None => {
                    return Err(CliError::Mismatch(format!(
                        "{}: the anchor has not accepted invoice {} (no InvoiceSubmitted or PartialInvoiceSubmitted event names it): nothing to pay",
                        self.file.display(),
                        short(invoice)
                    )))
                }
            },
        };
        if !partial && self.anchor.netting(s.period_id).map_err(&err)?.is_some() {
            return Err(CliError::Mismatch(format!(
                "{}: invoice {} is netted on the anchor: its period's payment is the net's (send the netting's net-payment and net-payment-received)",
                self.file.display(),
                short(invoice)
            )));
        }
        let what = format!(
            "{}invoice {}",
            if partial { "partial " } else { "" },
            short(invoice)
        );
        let dated = Dated {
            received,
            partial,
            day,
            on,
        };
        self.record(s.period_id, &dated, reference, &what)
    }

    /// `recordPayment` (`net-payment`, by the payer) or `recordReceipt` (`net-payment-received`,
    /// by the payee) of the period the anchor netted with net commitment `net`, found by its
    /// `InvoicesNetted` event; `by` is the entry's party, which must be the one the anchor's
    /// netting says pays (or is paid). What is already recorded the same is reported, not sent
    /// again.
    pub(super) fn settle_net(
        &self,
        msa: &Fr,
        net: &Fr,
        (by, received, on): (Role, bool, &str),
        reference: &str,
    ) -> Result<(), CliError> {
        let err = self.at.err();
        let file = self.file.display();
        self.same_msa("net payment", msa)?;
        let day = self.day(received, on)?;
        let Some(id) = self.anchor.netted_period(net).map_err(&err)? else {
            return Err(CliError::Mismatch(format!(
                "{file}: the anchor has recorded no netting with net commitment {} (no InvoicesNetted event names it): nothing to pay",
                short(net)
            )));
        };
        let netting = self.anchor.netting(id).map_err(&err)?;
        let payer = match netting {
            Some(n) if n.seller_pays => Role::Seller,
            _ => Role::Buyer,
        };
        let expected = if received { payer.other() } else { payer };
        if by != expected {
            return Err(CliError::Mismatch(format!(
                "{file}: the entry's {} is the {by}, but on the anchor the {payer} pays the net",
                if received { "payee" } else { "payer" },
            )));
        }
        let what = format!("the net {}", short(net));
        let dated = Dated {
            received,
            partial: false,
            day,
            on,
        };
        self.record(id, &dated, reference, &what)
    }

    /// Sends `recordPayment` or `recordReceipt` of period `id` (`recordPartialPayment` or
    /// `recordPartialReceipt` of its partial invoice), unless the anchor already records it on
    /// that day under `reference`.
    fn record(&self, id: u64, d: &Dated, reference: &str, what: &str) -> Result<(), CliError> {
        let err = self.at.err();
        let (verb, call) = match (d.received, d.partial) {
            (true, false) => ("received", "recordReceipt"),
            (false, false) => ("paid", "recordPayment"),
            (true, true) => ("received", "recordPartialReceipt"),
            (false, true) => ("paid", "recordPartialPayment"),
        };
        let same_day = |p: &ChainPayment| {
            if d.received {
                p.received_on == Some(d.day)
            } else {
                p.paid_on == d.day
            }
        };
        let recorded = if d.partial {
            self.anchor.partial_payment(id)
        } else {
            self.anchor.payment(id)
        }
        .map_err(&err)?;
        if recorded.is_some_and(|p| same_day(&p) && p.is_under(reference)) {
            println!("{}: {what} is already recorded {verb} on {}", self.place(), d.on);
            return Ok(());
        }
        let i = match (d.received, d.partial) {
            (true, false) => self.anchor.record_receipt(id, d.day, reference),
            (false, false) => self.anchor.record_payment(id, d.day, reference),
            (true, true) => self.anchor.record_partial_receipt(id, d.day, reference),
            (false, true) => self.anchor.record_partial_payment(id, d.day, reference),
        }
        .map_err(&err)?;
        println!(
            "{}; {what} recorded {verb} on {} under {reference:?}",
            self.sent(call, i),
            d.on
        );
        Ok(())
    }
}
