//! What both parties anchored, as a check needs it ([`Anchored`]): the Buyer's anchor log
//! ([`View`]) or an anchor contract read back from a chain ([`crate::chain::ChainFacts`]).

use zkinvoice_anchors::View;
use zkinvoice_verifier::{Fr, PreparedInvoiceKeys};

/// What a received invoice is checked against: the facts both parties anchored. An anchor log's
/// [`View`] is one; an anchor contract read back over JSON-RPC is another (the CLI's
/// `verify --anchors URL --contract ADDRESS`).
pub trait Anchored {
    /// The prepared verifying key(s) anchored with an MSA, if the MSA is anchored.
    fn verifying_key(&self, msa: &Fr) -> Option<&PreparedInvoiceKeys>;
    /// The usage commitment agreed for an MSA and the period `[period_start, period_end)`
    /// (`YYYY-MM-DD`), if any.
    fn agreed_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr>;
    /// The states an anchored invoice was proved between (`state_before`, `state_after`), by its
    /// commitment, if it is anchored.
    fn invoice_states(&self, invoice: &Fr) -> Option<(Fr, Fr)>;
    /// The MSA's latest anchored state (`state_0`, or the state after its last invoice).
    fn latest_state(&self, msa: &Fr) -> Option<Fr>;
    /// The reference of an anchored invoice's payment, once its receipt is anchored
    /// (`payment-received`; for a netted invoice, its net's `net-payment-received`); `None` when
    /// it is not (or the anchors record no payments).
    fn payment_received(&self, invoice: &Fr) -> Option<String>;
    /// The commitment of an anchored invoice's credit note (`credit-note`), if it is credited;
    /// `None` when it is not (or the anchors record no credit notes).
    fn credit_note(&self, invoice: &Fr) -> Option<Fr>;
    /// Whether an anchored invoice's credit note was recorded after the invoice was paid: then
    /// it is not applied to the invoice but carried forward (`credit-carried`). `false` when the
    /// anchors record no such notes.
    fn credit_after_payment(&self, _invoice: &Fr) -> bool {
        false
    }
    /// The credit notes carried to an anchored invoice (`credit-carried`), in the order they were
    /// carried: each note's commitment with the invoice it credits. Empty when there are none
    /// (or the anchors record no credits carried forward).
    fn carried_to(&self, _invoice: &Fr) -> Vec<(Fr, Fr)> {
        Vec::new()
    }
    /// The partial usage of a disputed period (`usage-partial`), if it has one; `None` when it
    /// has not (or the anchors record no partial invoices).
    fn partial_usage(&self, _msa: &Fr, _period_start: &str, _period_end: &str) -> Option<Fr> {
        None
    }
    /// The commitment of a period's partial invoice (`invoice-partial`), if it was invoiced in
    /// part; `None` when it was not (or the anchors record no partial invoices).
    fn partial_invoice(&self, _msa: &Fr, _period_start: &str, _period_end: &str) -> Option<Fr> {
        None
    }
}

impl Anchored for View {
    fn verifying_key(&self, msa: &Fr) -> Option<&PreparedInvoiceKeys> {
        View::verifying_key(self, msa)
    }

    fn agreed_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        View::agreed_usage(self, msa, period_start, period_end)
    }

    fn invoice_states(&self, invoice: &Fr) -> Option<(Fr, Fr)> {
        View::invoice_states(self, invoice)
    }

    fn latest_state(&self, msa: &Fr) -> Option<Fr> {
        View::latest_state(self, msa)
    }

    fn payment_received(&self, invoice: &Fr) -> Option<String> {
        View::receipt_of(self, invoice).map(|s| s.reference.clone())
    }

    fn credit_note(&self, invoice: &Fr) -> Option<Fr> {
        View::credit_of(self, invoice).map(|c| c.commitment)
    }

    fn credit_after_payment(&self, invoice: &Fr) -> bool {
        View::credit_of(self, invoice).is_some_and(|c| c.after_payment)
    }

    fn carried_to(&self, invoice: &Fr) -> Vec<(Fr, Fr)> {
        let notes = View::carried_to(self, invoice).into_iter();
        notes.map(|(note, c)| (note, c.from)).collect()
    }

    fn partial_usage(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        View::partial_usage(self, msa, period_start, period_end)
    }

    fn partial_invoice(&self, msa: &Fr, period_start: &str, period_end: &str) -> Option<Fr> {
        View::partial_invoice(self, msa, period_start, period_end)
    }
}
