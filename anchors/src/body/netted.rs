//! The parts of the two partitioned invoices an `invoices-netted` entry nets ([`NettedParts`]).

use serde::{Deserialize, Serialize};
use zkinvoice_verifier::{partition::Parts, Fr, NettingPublicInputs};

use super::Body;

/// The parts of two partitioned (v2) invoices netted (`zkinvoice/netting/v2`): each invoice's
/// `invoice_head` and `invoice_block_j`, from this log's point of view. The heads are the netting
/// proof's further public inputs; the log's rule checks that each invoice commitment is the top
/// of its parts (`zkinvoice_verifier::partition::invoice_top`), so they carry no claim the rule
/// does not check.
///
/// JSON: `{invoice: {head, parts}, other: {head, parts}}`; unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NettedParts {
    /// This log's invoice's parts.
    pub invoice: Parts,
    /// The opposite bilateral's invoice's parts.
    pub other: Parts,
}

impl Body {
    /// This `invoices-netted` body of a netting of two partitioned invoices: with `parts`, the
    /// invoices' parts in the statement's order (as the netting envelope's `invoiceParts`); any
    /// other body unchanged.
    pub fn with_netted_parts(mut self, parts: &[Parts; 2]) -> Self {
        if let Body::InvoicesNetted {
            invoice_commitment,
            other_invoice_commitment,
            parts: slot,
            ..
        } = &mut self
        {
            let own_first = NettingPublicInputs::ordered(*invoice_commitment, *other_invoice_commitment)[0]
                == *invoice_commitment;
            let [first, second] = parts.clone();
            let (invoice, other) = if own_first {
                (first, second)
            } else {
                (second, first)
            };
            *slot = Some(NettedParts { invoice, other });
        }
        self
    }
}

impl NettedParts {
    /// The two invoices' parts in the statement's order: this log's invoice's (`invoice`) first
    /// when its commitment is the smaller of the two ([`NettingPublicInputs::ordered`]).
    pub fn ordered(&self, invoice: Fr, other: Fr) -> [&Parts; 2] {
        if NettingPublicInputs::ordered(invoice, other)[0] == invoice {
            [&self.invoice, &self.other]
        } else {
            [&self.other, &self.invoice]
        }
    }
}
