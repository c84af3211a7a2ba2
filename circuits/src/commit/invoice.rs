//! The invoice commitment: the encoding of its body and the commitment.

use super::scheme::{commit_fields, Commitment, Salt};
use crate::{
    encoding::{day_number, id_fe, int_fe, pack_u64s, tag},
    model::invoice::{Invoice, InvoiceSlot},
    Error, Fr, Shape,
};

/// Fields of one product slot in the invoice encoding: `(product id, recurring quantity,
/// usage amount + recurring amount * 2^64 + usage quantity * 2^128)`.
pub const INVOICE_SLOT_LEN: usize = 3;

/// Fields of the invoice header: parties, agreement id, number, period (2), bill and due dates,
/// currency (2) and tax rate.
pub const INVOICE_HEADER_LEN: usize = 11;

/// Fields of the invoice body of `shape`: the header, `P` slots, subtotal, tax and total.
pub const fn invoice_body_len(shape: Shape) -> usize {
    INVOICE_HEADER_LEN + shape.products * INVOICE_SLOT_LEN + 3
}

/// The invoice body: header, `P` slots of [`INVOICE_SLOT_LEN`] fields, subtotal, tax, total.
///
/// `slots` are `invoice.slots()`; the caller has checked that they fit `shape`.
pub fn invoice_fields(invoice: &Invoice, slots: &[InvoiceSlot], shape: Shape) -> Vec<Fr> {
    let mut out = vec![
        id_fe(&invoice.seller_id),
        id_fe(&invoice.buyer_id),
        id_fe(&invoice.msa_id),
        id_fe(&invoice.number),
        int_fe(day_number(invoice.period.start)),
        int_fe(day_number(invoice.period.end)),
        int_fe(day_number(invoice.issue_date)),
        int_fe(day_number(invoice.due_date)),
        int_fe(invoice.currency.numeric()),
        int_fe(invoice.currency.minor_digits()),
        int_fe(invoice.tax_ppm),
    ];
    for slot in 0..shape.products {
        invoice_slot_fields(slots.get(slot), &mut out);
    }
    out.extend([
        int_fe(invoice.subtotal),
        int_fe(invoice.tax),
        int_fe(invoice.total),
    ]);
    out
}

/// Appends one product slot's [`INVOICE_SLOT_LEN`] fields to `out` (zeros for an empty slot).
pub fn invoice_slot_fields(slot: Option<&InvoiceSlot>, out: &mut Vec<Fr>) {
    match slot {
        Some(s) => out.extend([
            id_fe(&s.product),
            int_fe(s.recurring_quantity),
            pack_u64s(&[s.usage_amount, s.recurring_amount, s.usage_quantity]),
        ]),
        None => out.extend([Fr::from(0u64); INVOICE_SLOT_LEN]),
    }
}

/// `invoice_commitment`: header, per product `(id, usage quantity and amount, recurring quantity
/// and amount)`, subtotal, tax and total.
pub fn invoice_commitment(invoice: &Invoice, shape: Shape, salt: &Salt) -> Result<Commitment, Error> {
    let slots = invoice.slots()?;
    let n = slots.len();
    if n > shape.products {
        return Err(Error::Shape(format!(
            "the invoice bills {n} products; shape {shape} has {} slots",
            shape.products
        )));
    }
    Ok(commit_fields(
        tag::INVOICE,
        &invoice_fields(invoice, &slots, shape),
        salt,
    ))
}
