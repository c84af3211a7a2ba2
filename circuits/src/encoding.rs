//! The canonical field encoding: how every committed value becomes elements of `Fr`.
//!
//! Defined once here and used by the commitments, the rater's outputs and (later) the witness
//! builder, so that the Seller, the Buyer and the circuit cannot drift apart.
//!
//! * Integers (quantities, nano-unit prices, minor-unit amounts, day numbers) are field elements
//!   of the same value; they are all below `2^128`, far below the field's modulus.
//! * Text identifiers (party, agreement, product, invoice number) become one element:
//!   `Poseidon(TAG_ID, byte length, UTF-8 bytes in 31-byte little-endian chunks)`.
//! * Dates are day numbers since 1970-01-01.
//! * A usage record packs into one element: `slot + quantity * 2^16` (slot < 2^16, quantity < 2^64).
//! * Products take slots in ascending byte order of their ids; usage records are ordered by id.

use ark_ff::PrimeField;
use chrono::NaiveDate;

use crate::{
    model::{
        invoice::{Invoice, InvoiceSlot},
        msa::Msa,
        state::VolumeState,
        usage::Usage,
    },
    native::poseidon,
    Fr, Shape,
};

/// Threshold of a padding tier: above every cumulative volume (volumes stay below `2^63`).
pub const PAD_THRESHOLD: u64 = 1 << 63;
/// Bits a product slot occupies in a packed usage record.
pub const SLOT_PACK_BITS: u32 = 16;

/// Domain tags: a distinct constant first in every hash.
pub mod tag {
    /// Identifier hashing.
    pub const ID: &str = "zkinvoice/id/v1";
    /// MSA commitment.
    pub const MSA: &str = "zkinvoice/msa/v1";
    /// The MSA's descriptive text.
    pub const MSA_TEXT: &str = "zkinvoice/msa-text/v1";
    /// Usage commitment.
    pub const USAGE: &str = "zkinvoice/usage/v1";
    /// Cumulative-volume state commitment.
    pub const STATE: &str = "zkinvoice/state/v1";
    /// Invoice commitment.
    pub const INVOICE: &str = "zkinvoice/invoice/v1";
    /// The aggregation challenge of the invoice statement.
    pub const AGGREGATE: &str = "zkinvoice/aggregate/v1";
}

/// A domain tag as a field element (its ASCII bytes, little-endian; at most 31 bytes).
pub fn tag_fe(tag: &str) -> Fr {
    assert!(tag.len() <= 31, "a tag fits in one field element");
    Fr::from_le_bytes_mod_order(tag.as_bytes())
}

/// An integer as a field element.
pub fn int_fe(v: impl Into<u128>) -> Fr {
    Fr::from(v.into())
}

/// Bytes as one field element: `Poseidon(tag, byte length, bytes in 31-byte little-endian chunks)`.
pub fn bytes_fe(tag: &str, bytes: &[u8]) -> Fr {
    let mut input = vec![tag_fe(tag), int_fe(bytes.len() as u64)];
    input.extend(bytes.chunks(31).map(Fr::from_le_bytes_mod_order));
    poseidon::hash(&input)
}

/// A text identifier as one field element.
pub fn id_fe(id: &str) -> Fr {
    bytes_fe(tag::ID, id.as_bytes())
}

/// The MSA's descriptive text (party names and addresses, product names, units and order
/// references), which no computation uses but the commitment must bind, as one element:
/// [`bytes_fe`] over each string as `u64be(byte length) || bytes`, in the order seller (id, name,
/// street, city, postcode, country), buyer (the same), then per product in slot order (id, name,
/// unit, order reference).
pub fn msa_text_fe(msa: &Msa) -> Fr {
    let mut parts: Vec<&str> = Vec::new();
    for party in [&msa.seller, &msa.buyer] {
        let a = &party.billing_address;
        parts.extend(
            [
                &party.id,
                &party.name,
                &a.street,
                &a.city,
                &a.postcode,
                &a.country,
            ]
            .map(String::as_str),
        );
    }
    for p in &msa.products {
        parts.extend([&p.id, &p.name, &p.unit, &p.order_reference].map(String::as_str));
    }
    let mut bytes = Vec::new();
    for part in parts {
        bytes.extend_from_slice(&(part.len() as u64).to_be_bytes());
        bytes.extend_from_slice(part.as_bytes());
    }
    bytes_fe(tag::MSA_TEXT, &bytes)
}

/// Days since 1970-01-01 (dates before 1970 are refused when parsed).
pub fn day_number(date: NaiveDate) -> u64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    u64::try_from((date - epoch).num_days()).expect("dates are validated to be after 1970")
}

/// A usage record `(slot, quantity)` as an 80-bit integer: `slot + quantity * 2^16`.
pub fn record_word(slot: usize, quantity: u64) -> u128 {
    assert!(slot < 1 << SLOT_PACK_BITS, "slots are below 2^16");
    (u128::from(quantity) << SLOT_PACK_BITS) | slot as u128
}

/// Bits of one packed usage record.
pub const RECORD_BITS: u32 = SLOT_PACK_BITS + 64;
/// Usage records packed per field element (3 x 80 = 240 bits, below the modulus).
pub const RECORDS_PER_ELEMENT: usize = 3;

/// Up to [`RECORDS_PER_ELEMENT`] records `(slot, quantity)` packed into one element:
/// `sum_i record_word_i * 2^(80 i)`.
pub fn pack_records(records: &[(usize, u64)]) -> Fr {
    assert!(records.len() <= RECORDS_PER_ELEMENT);
    let mut acc = Fr::from(0u64);
    for (i, &(slot, q)) in records.iter().enumerate() {
        acc += int_fe(record_word(slot, q)) * shift(RECORD_BITS * i as u32);
    }
    acc
}

/// Up to three 64-bit values packed into one element: `sum_i v_i * 2^(64 i)`.
pub fn pack_u64s(values: &[u64]) -> Fr {
    assert!(values.len() <= 3);
    let mut acc = Fr::from(0u64);
    for (i, &v) in values.iter().enumerate() {
        acc += int_fe(v) * shift(64 * i as u32);
    }
    acc
}

/// `2^bits` as a field element.
pub fn shift(bits: u32) -> Fr {
    use ark_ff::Field;
    Fr::from(2u64).pow([u64::from(bits)])
}

/// Pricing model codes.
pub mod model_code {
    /// No usage pricing (recurring only, or a padding slot).
    pub const NONE: u64 = 0;
    /// Graduated (marginal) tiers.
    pub const GRADUATED: u64 = 1;
    /// All-units (volume) tiers.
    pub const VOLUME: u64 = 2;
}

/// Fields of one product slot in the MSA encoding: `4 + 2T`.
pub fn msa_slot_len(shape: Shape) -> usize {
    4 + 2 * shape.tiers
}

/// The MSA's body: header (parties, agreement id, currency, tax, terms, validity, descriptive
/// text), then per product slot `(id, model, recurring fee, ordered quantity,
/// T thresholds, T prices)`, padded to `P` slots and `T` tiers.
///
/// The caller has checked that the MSA fits `shape`.
pub fn msa_fields(msa: &Msa, shape: Shape) -> Vec<Fr> {
    let mut out = vec![
        id_fe(&msa.seller.id),
        id_fe(&msa.buyer.id),
        id_fe(&msa.id),
        int_fe(msa.currency.numeric()),
        int_fe(msa.currency.minor_digits()),
        int_fe(msa.tax_ppm),
        int_fe(msa.net_days),
        int_fe(day_number(msa.valid_from)),
        int_fe(day_number(msa.valid_until)),
        msa_text_fe(msa),
    ];
    for slot in 0..shape.products {
        let p = msa.products.get(slot);
        out.push(p.map_or(Fr::from(0u64), |p| id_fe(&p.id)));
        out.push(int_fe(p.map_or(model_code::NONE, |p| p.model.code())));
        let (fee, qty) = p
            .and_then(|p| p.recurring)
            .map_or((0, 0), |r| (r.fee_nano, r.ordered_quantity));
        out.push(int_fe(fee));
        out.push(int_fe(qty));
        let tiers = p.map_or(&[][..], |p| &p.tiers[..]);
        for j in 0..shape.tiers {
            let t = match (j, tiers.get(j)) {
                (_, Some(t)) => t.threshold,
                (0, None) => 0,
                (_, None) => PAD_THRESHOLD,
            };
            out.push(int_fe(t));
        }
        for j in 0..shape.tiers {
            out.push(int_fe(tiers.get(j).map_or(0, |t| t.price_nano)));
        }
    }
    out
}

/// Elements the `U` records of a shape pack into.
pub const fn usage_record_elements(shape: Shape) -> usize {
    shape.records.div_ceil(RECORDS_PER_ELEMENT)
}

/// The usage body: the MSA commitment, the period, then the `U` records `(slot, quantity)` in
/// canonical order, zero-padded and packed three per element ([`pack_records`]).
pub fn usage_fields(msa_commitment: Fr, usage: &Usage, shape: Shape) -> Vec<Fr> {
    let mut out = vec![
        msa_commitment,
        int_fe(day_number(usage.period.start)),
        int_fe(day_number(usage.period.end)),
    ];
    let mut records: Vec<(usize, u64)> = usage.records.iter().map(|r| (r.slot, r.quantity)).collect();
    records.resize(usage_record_elements(shape) * RECORDS_PER_ELEMENT, (0, 0));
    out.extend(records.chunks(RECORDS_PER_ELEMENT).map(pack_records));
    out
}

/// The state body: the MSA commitment, the index `k`, then `P` cumulative volumes.
pub fn state_fields(msa_commitment: Fr, state: &VolumeState, shape: Shape) -> Vec<Fr> {
    let mut out = vec![msa_commitment, int_fe(state.index)];
    out.extend(state.volumes.iter().map(|&v| int_fe(v)));
    out.resize(2 + shape.products, Fr::from(0u64));
    out
}

/// Fields of one product slot in the invoice encoding: `(product id, recurring quantity,
/// usage amount + recurring amount * 2^64 + usage quantity * 2^128)`.
pub const INVOICE_SLOT_LEN: usize = 3;

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
        match slots.get(slot) {
            Some(s) => out.extend([
                id_fe(&s.product),
                int_fe(s.recurring_quantity),
                pack_u64s(&[s.usage_amount, s.recurring_amount, s.usage_quantity]),
            ]),
            None => out.extend([Fr::from(0u64); INVOICE_SLOT_LEN]),
        }
    }
    out.extend([
        int_fe(invoice.subtotal),
        int_fe(invoice.tax),
        int_fe(invoice.total),
    ]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_packing() {
        assert_ne!(id_fe("a"), id_fe("b"));
        assert_ne!(id_fe(""), id_fe("\0"));
        // 31- and 32-byte ids use one and two chunks; the length keeps them apart from padding.
        let long = "x".repeat(31);
        assert_ne!(id_fe(&long), id_fe(&format!("{long}\0")));
        assert_eq!(pack_records(&[(3, 2)]), int_fe(3u64 + (2u64 << 16)));
        assert_eq!(
            pack_records(&[(1, 0), (0, 1), (0, 0)]),
            int_fe(1u64) + int_fe(1u128 << 16) * shift(80)
        );
        assert_eq!(pack_records(&[(0, 0), (0, 0), (0, 0)]), Fr::from(0u64));
        assert_eq!(
            pack_u64s(&[1, 2, 3]),
            int_fe(1u64) + int_fe(2u64) * shift(64) + int_fe(3u64) * shift(128)
        );
        assert_ne!(tag_fe(tag::MSA), tag_fe(tag::USAGE));
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }
}
