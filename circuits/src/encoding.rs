//! The canonical field encoding: how every committed value becomes elements of `Fr`.
//!
//! Defined once here and used by the commitments' bodies ([`crate::commit`]), the witness of the
//! invoice statement and its gadgets, so that the Seller, the Buyer and the circuit cannot drift
//! apart. These are primitives: they know nothing of the model; each commitment encodes its body
//! from them beside the commitment itself.
//!
//! * Integers (quantities, nano-unit prices, minor-unit amounts, day numbers) are field elements
//!   of the same value; they are all below `2^128`, far below the field's modulus.
//! * Text identifiers (party, agreement, product, invoice number) become one element:
//!   `Poseidon(TAG_ID, byte length, UTF-8 bytes in 31-byte little-endian chunks)`.
//! * Dates are day numbers since 1970-01-01.
//! * A usage record is the 63-bit word `slot + quantity * 2^16` (slot < 2^16, quantity < 2^47);
//!   four pack into one element.
//! * Products take slots in ascending byte order of their ids; usage records are ordered by id.

use ark_ff::PrimeField;
use chrono::NaiveDate;

use crate::{native::poseidon, Fr};

/// Threshold of a padding tier: above every cumulative volume (volumes stay below `2^63`).
pub const PAD_THRESHOLD: u64 = 1 << 63;
/// Bits a product slot occupies in a packed usage record.
pub const SLOT_PACK_BITS: u32 = 16;
/// Bits of one record's quantity: the model refuses a record of [`MAX_QUANTITY`] + 1 or more.
pub const QUANTITY_BITS: u32 = 47;
/// The largest quantity of one usage record, `2^47 - 1`.
pub const MAX_QUANTITY: u64 = (1 << QUANTITY_BITS) - 1;

/// Domain tags: a distinct constant first in every hash.
pub mod tag {
    /// Identifier hashing.
    pub const ID: &str = "zkinvoice/id/v1";
    /// MSA commitment.
    pub const MSA: &str = "zkinvoice/msa/v1";
    /// The MSA's descriptive text.
    pub const MSA_TEXT: &str = "zkinvoice/msa-text/v1";
    /// The MSA's terms after the invoice, bound with its descriptive text.
    pub const MSA_TERMS: &str = "zkinvoice/msa-terms/v1";
    /// The MSA's remit-to account.
    pub const MSA_PAYMENT: &str = "zkinvoice/msa-payment/v1";
    /// The start of the chain of the MSA's per-product dispute thresholds.
    pub const MSA_THRESHOLDS: &str = "zkinvoice/msa-thresholds/v1";
    /// The MSA's service levels, bound with its descriptive text.
    pub const MSA_SLA: &str = "zkinvoice/msa-sla/v1";
    /// The start of the chain of the MSA's per-product availability bands.
    pub const MSA_SLA_BANDS: &str = "zkinvoice/msa-sla-bands/v1";
    /// SLA performance commitment (a period's measured availability).
    pub const SLA: &str = "zkinvoice/sla/v1";
    /// Credit-note commitment (SLA credits of an invoice).
    pub const CREDIT_NOTE: &str = "zkinvoice/credit-note/v1";
    /// Usage commitment.
    pub const USAGE: &str = "zkinvoice/usage/v1";
    /// Cumulative-volume state commitment.
    pub const STATE: &str = "zkinvoice/state/v1";
    /// Invoice commitment.
    pub const INVOICE: &str = "zkinvoice/invoice/v1";
    /// The net amount of two invoices netted (issue 16).
    pub const NETTING: &str = "zkinvoice/netting/v1";
    /// The aggregation challenge of the invoice statement.
    pub const AGGREGATE: &str = "zkinvoice/aggregate/v1";
    /// Protocol v2: the MSA header's part.
    pub const MSA_HEAD: &str = "zkinvoice/msa-head/v2";
    /// Protocol v2: one block of the MSA's products.
    pub const MSA_BLOCK: &str = "zkinvoice/msa-block/v2";
    /// Protocol v2: the usage header's part (the period).
    pub const USAGE_HEAD: &str = "zkinvoice/usage-head/v2";
    /// Protocol v2: one chunk of usage records.
    pub const USAGE_CHUNK: &str = "zkinvoice/usage-chunk/v2";
    /// Protocol v2: one block of a state's volumes.
    pub const STATE_BLOCK: &str = "zkinvoice/state-block/v2";
    /// Protocol v2: the invoice header's part (number, dates, totals).
    pub const INVOICE_HEAD: &str = "zkinvoice/invoice-head/v2";
    /// Protocol v2: one block of the invoice's lines.
    pub const INVOICE_BLOCK: &str = "zkinvoice/invoice-block/v2";
    /// Protocol v2: the mask seed's commitment.
    pub const SEED: &str = "zkinvoice/seed/v2";
    /// Protocol v2: the ring masks.
    pub const MASK: &str = "zkinvoice/mask/v2";
    /// The four rings of a reconciliation of partitioned invoices.
    pub const RECONCILE_MASK: &str = "zkinvoice/reconcile-mask/v2";
    /// A commitment to the products' thresholds' chain between the blocks of a partitioned MSA.
    pub const MSA_THRESHOLD_CHAIN: &str = "zkinvoice/threshold-chain/v2";
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

/// Days since 1970-01-01 (dates before 1970 are refused when parsed).
pub fn day_number(date: NaiveDate) -> u64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    u64::try_from((date - epoch).num_days()).expect("dates are validated to be after 1970")
}

/// A usage record `(slot, quantity)` as a 63-bit integer: `slot + quantity * 2^16`.
pub fn record_word(slot: usize, quantity: u64) -> u64 {
    assert!(slot < 1 << SLOT_PACK_BITS, "slots are below 2^16");
    assert!(quantity <= MAX_QUANTITY, "quantities are below 2^47");
    (quantity << SLOT_PACK_BITS) | slot as u64
}

/// Bits of one packed usage record.
pub const RECORD_BITS: u32 = SLOT_PACK_BITS + QUANTITY_BITS;
/// Usage records packed per field element (4 x 63 = 252 bits, below the modulus).
pub const RECORDS_PER_ELEMENT: usize = 4;

/// Up to [`RECORDS_PER_ELEMENT`] records `(slot, quantity)` packed into one element:
/// `sum_i record_word_i * 2^(63 i)`.
pub fn pack_records(records: &[(usize, u64)]) -> Fr {
    assert!(records.len() <= RECORDS_PER_ELEMENT);
    let mut acc = Fr::from(0u64);
    for (i, &(slot, q)) in records.iter().enumerate() {
        acc += int_fe(record_word(slot, q)) * shift(RECORD_BITS * i as u32);
    }
    acc
}

/// Bits of one cumulative volume in a packed state: volumes are below `2^63` ([`PAD_THRESHOLD`]).
pub const VOLUME_PACK_BITS: u32 = 63;
/// Volumes packed per field element (4 x 63 = 252 bits, below the modulus).
pub const VOLUMES_PER_ELEMENT: usize = 4;

/// Cumulative volumes packed four per element, `sum_i v_i * 2^(63 i)`, the last element
/// zero-padded. Every volume must be below `2^63` (callers check, see
/// [`crate::model::state::VolumeState::check`]).
pub fn pack_volumes(volumes: &[u64]) -> Vec<Fr> {
    volumes
        .chunks(VOLUMES_PER_ELEMENT)
        .map(|group| {
            let mut acc = Fr::from(0u64);
            for (i, &v) in group.iter().enumerate() {
                assert!(v < PAD_THRESHOLD, "volumes are below 2^63");
                acc += int_fe(v) * shift(VOLUME_PACK_BITS * i as u32);
            }
            acc
        })
        .collect()
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
            pack_records(&[(1, 0), (0, 1), (0, 0), (2, MAX_QUANTITY)]),
            int_fe(1u64) + int_fe(1u128 << 16) * shift(63) + int_fe(2u64 + (MAX_QUANTITY << 16)) * shift(189)
        );
        assert_eq!(pack_records(&[(0, 0); 4]), Fr::from(0u64));
        assert_eq!(
            pack_u64s(&[1, 2, 3]),
            int_fe(1u64) + int_fe(2u64) * shift(64) + int_fe(3u64) * shift(128)
        );
        assert_eq!(
            pack_volumes(&[1, 2, 3, 4, PAD_THRESHOLD - 1]),
            [
                int_fe(1u64)
                    + int_fe(2u64) * shift(63)
                    + int_fe(3u64) * shift(126)
                    + int_fe(4u64) * shift(189),
                int_fe(PAD_THRESHOLD - 1)
            ]
        );
        assert_ne!(tag_fe(tag::MSA), tag_fe(tag::USAGE));
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }
}
