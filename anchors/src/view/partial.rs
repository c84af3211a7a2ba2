//! What a disputed period's partial invoice establishes: the period's partial usage
//! (`usage-partial`), its partial invoice (`invoice-partial`) and, once the dispute is resolved,
//! the final invoice that the partial invoice is deducted from.

use zkinvoice_verifier::Fr;

use super::{InvoiceView, Period, View};

/// Whether an anchored invoice bills a whole period, part of a disputed one, or the rest of one
/// invoiced in part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// An invoice of a whole period (`invoice-proved`) of which no part was invoiced before.
    Whole,
    /// A disputed period's partial invoice (`invoice-partial`): the rating of its partial usage.
    Partial,
    /// The final invoice (`invoice-proved`) of a period invoiced in part: it rates the whole
    /// period, and the Buyer owes its total less the partial invoice's.
    Final {
        /// The partial invoice's commitment.
        partial: Fr,
        /// Its `invoice-partial` entry.
        seq: u64,
    },
}

/// A disputed period's partial usage (`usage-partial`) and its invoice.
#[derive(Clone, Copy)]
pub(crate) struct PartialUsage {
    /// The `usage-partial` entry.
    pub seq: u64,
    /// The partial usage's commitment.
    pub usage: Fr,
    /// The `invoice-partial` entry and the invoice's commitment, once invoiced.
    pub invoiced: Option<(u64, Fr)>,
}

impl View {
    /// Whether an anchored invoice is whole, partial or final.
    pub fn invoice_part(&self, invoice: &Fr) -> Option<Part> {
        self.invoices.get(invoice).map(|i| i.part)
    }

    /// The partial invoice of an MSA's period (its commitment), if the period was invoiced in
    /// part.
    pub fn partial_invoice(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        let period = (period_start.to_string(), period_end.to_string());
        let r = self.msas.get(msa)?.reconciliations.get(&period)?;
        r.partial?.invoiced.map(|(_, invoice)| invoice)
    }

    /// The partial usage of an MSA's period (its commitment), if it has one.
    pub fn partial_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        let period = (period_start.to_string(), period_end.to_string());
        let r = self.msas.get(msa)?.reconciliations.get(&period)?;
        r.partial.map(|p| p.usage)
    }

    /// Records a `usage-partial` entry of a measured period.
    pub(crate) fn agree_partial(&mut self, seq: u64, msa: &Fr, period: &Period, usage: Fr) {
        if let Some(r) = self
            .msas
            .get_mut(msa)
            .and_then(|m| m.reconciliations.get_mut(period))
        {
            r.partial = Some(PartialUsage {
                seq,
                usage,
                invoiced: None,
            });
        }
    }

    /// Records an `invoice-partial` entry: the invoice is anchored, the MSA's state does not move.
    pub(crate) fn prove_partial(
        &mut self,
        seq: u64,
        msa: &Fr,
        period: &Period,
        invoice: Fr,
        states: (Fr, Fr),
    ) {
        if let Some(p) = self
            .msas
            .get_mut(msa)
            .and_then(|m| m.reconciliations.get_mut(period))
            .and_then(|r| r.partial.as_mut())
        {
            p.invoiced = Some((seq, invoice));
        }
        self.invoices
            .insert(invoice, InvoiceView::proved(*msa, seq, states, Part::Partial));
    }
}
