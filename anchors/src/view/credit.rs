//! What the SLA credits' entries establish: the credit-note key and the agreed SLA performance
//! per period of each MSA, and each credited invoice's note.

use zkinvoice_verifier::{CreditStatement, Fr, PreparedKeyOf};

use super::{Period, View};

/// An invoice's credit note (`credit-note`) as the log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditView {
    /// The `credit-note` entry.
    pub seq: u64,
    /// The note's commitment.
    pub commitment: Fr,
}

impl View {
    /// The credit note of an anchored invoice, once it is credited.
    pub fn credit_of(&self, invoice: &Fr) -> Option<CreditView> {
        self.credits.get(invoice).copied()
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

    /// Records a `credit-note` entry: the invoice is credited by it.
    pub(crate) fn credit(&mut self, seq: u64, invoice: Fr, commitment: Fr) {
        self.credits.insert(invoice, CreditView { seq, commitment });
    }
}
