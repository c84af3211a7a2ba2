//! What the SLA credits' entries establish: the credit-note key and the agreed SLA performance
//! per period of each MSA, each credited invoice's note, and the notes carried forward.

use zkinvoice_verifier::{CreditStatement, Fr, PreparedKeyOf};

use super::{Period, View};

/// An invoice's credit note (`credit-note`) as the log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditView {
    /// The `credit-note` entry.
    pub seq: u64,
    /// The note's commitment.
    pub commitment: Fr,
    /// Whether it was recorded after the invoice's payment: then it is not applied to the
    /// invoice, which was paid in full, but carried to a later one (`credit-carried`).
    pub after_payment: bool,
}

/// A credit note carried forward (`credit-carried`) as the log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CarriedView {
    /// The `credit-carried` entry.
    pub seq: u64,
    /// The invoice the note credits (paid before the note).
    pub from: Fr,
    /// The invoice it is applied to.
    pub to: Fr,
}

impl View {
    /// The credit note of an anchored invoice, once it is credited.
    pub fn credit_of(&self, invoice: &Fr) -> Option<CreditView> {
        self.credits.get(invoice).copied()
    }

    /// The credit note of this commitment: the invoice it credits and the note, if it is anchored.
    pub fn credit_note(&self, credit: &Fr) -> Option<(Fr, CreditView)> {
        let mut notes = self.credits.iter().filter(|(_, c)| c.commitment == *credit);
        notes.next().map(|(i, c)| (*i, *c))
    }

    /// Where a credit note is carried (`credit-carried`), if it is.
    pub fn carried(&self, credit: &Fr) -> Option<CarriedView> {
        self.carried.get(credit).copied()
    }

    /// The credit notes carried to an invoice (their commitments, with the invoice each
    /// credits), in the order they were carried.
    pub fn carried_to(&self, invoice: &Fr) -> Vec<(Fr, CarriedView)> {
        let mut to: Vec<_> = (self.carried.iter())
            .filter(|(_, c)| c.to == *invoice)
            .map(|(n, c)| (*n, *c))
            .collect();
        to.sort_by_key(|(_, c)| c.seq);
        to
    }

    /// How many credit notes are carried forward (for the audit).
    pub fn carried_notes(&self) -> usize {
        self.carried.len()
    }

    /// The agreed SLA performance of an MSA's period (its commitment), if any.
    pub fn agreed_sla(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        let period = (period_start.to_string(), period_end.to_string());
        self.msas.get(msa)?.sla.get(&period).map(|s| s.1)
    }

    /// Records a `statement-key-agreed` entry of the credit-note statement.
    pub(crate) fn agree_credit_key(&mut self, seq: u64, msa: &Fr, key: PreparedKeyOf<CreditStatement>) {
        if let Some(m) = self.msas.get_mut(msa) {
            m.credit_key = Some((seq, key));
        }
    }

    /// Records an `sla-agreed` entry of an anchored MSA.
    pub(crate) fn agree_sla(&mut self, seq: u64, msa: &Fr, period: Period, commitment: Fr) {
        if let Some(m) = self.msas.get_mut(msa) {
            m.sla.insert(period, (seq, commitment));
        }
    }

    /// Records a `credit-note` entry: the invoice is credited by it (after its payment, if
    /// `after_payment`).
    pub(crate) fn credit(&mut self, seq: u64, invoice: Fr, commitment: Fr, after_payment: bool) {
        let note = CreditView {
            seq,
            commitment,
            after_payment,
        };
        self.credits.insert(invoice, note);
    }

    /// Records a `credit-carried` entry: the note `credit` is carried to `carried.to`.
    pub(crate) fn carry(&mut self, credit: Fr, carried: CarriedView) {
        self.carried.insert(credit, carried);
    }
}
