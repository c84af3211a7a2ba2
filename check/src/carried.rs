//! Credits carried forward (`docs/lifecycle.md`, "Credits carried forward"): a bill applies
//! exactly the credit notes the anchors carry to its invoice (`credit-carried`), in their order,
//! each opening its anchored commitment for the invoice it credits.

use zkinvoice_circuits::{Invoice, Layout};
use zkinvoice_prover::credit::CreditOpening;
use zkinvoice_verifier::fr_to_hex;

use crate::{Anchored, Received, Rejection};

/// The notes `carried` a bill applies are the ones the anchors carry to its invoice: as many, in
/// the order they were carried, each naming the anchored note's commitment and opening it for
/// the invoice it credits (which binds its total, part of the bill's `credits`).
pub(crate) fn check(
    view: &impl Anchored,
    r: &Received<'_>,
    (invoice, layout): (&Invoice, Layout),
    carried: &[CreditOpening],
) -> Result<(), Rejection> {
    let refuse = |reason: String| Rejection::NotCredited { reason };
    let anchored = view.carried_to(&r.public_inputs.invoice_commitment);
    for (i, (note, from)) in anchored.iter().enumerate() {
        let Some(c) = carried.get(i) else {
            return Err(refuse(format!(
                "the anchors carry credit note {} to invoice {}; the bill does not apply it (zkCarried[{i}])",
                fr_to_hex(note),
                invoice.number
            )));
        };
        if c.credit_commitment != fr_to_hex(note) {
            return Err(refuse(format!(
                "zkCarried[{i}]: credit note {:?} is not the note the anchors carry to invoice {} in that place ({})",
                c.number,
                invoice.number,
                fr_to_hex(note)
            )));
        }
        let shape = layout
            .single()
            .ok_or_else(|| refuse(format!("credit notes are of v1 shapes (S, M), not {layout}")))?;
        c.open((*note, *from), r.msa, shape)
            .map_err(|e| refuse(format!("zkCarried[{i}]: {e}")))?;
    }
    if let Some(c) = carried.get(anchored.len()) {
        return Err(refuse(format!(
            "the bill applies credit note {:?} as carried to invoice {}; the anchors carry no further note to it",
            c.number, invoice.number
        )));
    }
    Ok(())
}
