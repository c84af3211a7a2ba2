//! The MSA commitment: the encoding of its body, the commitment, and the file `msa commit` writes.

use serde::{Deserialize, Serialize};

use super::scheme::{commit_fields, Commitment, Salt};
use crate::{
    encoding::{bytes_fe, day_number, id_fe, int_fe, tag, tag_fe, PAD_THRESHOLD},
    model::{
        msa::{model_code, Msa, ServiceLevel, ServiceLevels, Terms, Threshold},
        sla::MAX_SLA_BANDS,
    },
    native::poseidon,
    Error, Fr, Shape,
};

/// Fields of the MSA header: parties, agreement id, currency (2), tax, terms, validity (2) and
/// the descriptive text.
pub const MSA_HEADER_LEN: usize = 10;

/// Fields of one product slot in the MSA encoding: `4 + 2T`.
pub const fn msa_slot_len(shape: Shape) -> usize {
    4 + 2 * shape.tiers
}

/// Fields of the MSA body of `shape`: the header and `P` slots.
pub const fn msa_body_len(shape: Shape) -> usize {
    MSA_HEADER_LEN + shape.products * msa_slot_len(shape)
}

/// The MSA's body: header (parties, agreement id, currency, tax, terms, validity, descriptive
/// text), then per product slot `(id, model, recurring fee, ordered quantity,
/// T thresholds, T prices)`, padded to `P` slots and `T` tiers.
///
/// The caller has checked that the MSA fits `shape`.
pub fn msa_fields(msa: &Msa, shape: Shape) -> Vec<Fr> {
    let mut out = msa_header_fields(msa).to_vec();
    for slot in 0..shape.products {
        msa_slot_fields(msa, shape.tiers, slot, &mut out);
    }
    out
}

/// The MSA header's [`MSA_HEADER_LEN`] fields: parties, agreement id, currency (2), tax, terms,
/// validity (2) and the descriptive text.
pub fn msa_header_fields(msa: &Msa) -> [Fr; MSA_HEADER_LEN] {
    [
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
    ]
}

/// Appends product slot `slot`'s `4 + 2T` fields to `out`: `(id, model, recurring fee, ordered
/// quantity, T thresholds, T prices)`, zero for a slot beyond the MSA's products, padding tiers at
/// threshold `2^63` with price 0.
pub fn msa_slot_fields(msa: &Msa, tiers: usize, slot: usize, out: &mut Vec<Fr>) {
    let p = msa.products.get(slot);
    out.push(p.map_or(Fr::from(0u64), |p| id_fe(&p.id)));
    out.push(int_fe(p.map_or(model_code::NONE, |p| p.model.code())));
    let (fee, qty) = p
        .and_then(|p| p.recurring)
        .map_or((0, 0), |r| (r.fee_nano, r.ordered_quantity));
    out.push(int_fe(fee));
    out.push(int_fe(qty));
    let table = p.map_or(&[][..], |p| &p.tiers[..]);
    for j in 0..tiers {
        let t = match (j, table.get(j)) {
            (_, Some(t)) => t.threshold,
            (0, None) => 0,
            (_, None) => PAD_THRESHOLD,
        };
        out.push(int_fe(t));
    }
    for j in 0..tiers {
        out.push(int_fe(table.get(j).map_or(0, |t| t.price_nano)));
    }
}

/// The MSA's descriptive text (party names and addresses, product names, units and order
/// references), which no computation uses but the commitment must bind, as one element:
/// [`bytes_fe`] over each string as `u64be(byte length) || bytes`, in the order seller (id, name,
/// street, city, postcode, country), buyer (the same), then per product in slot order (id, name,
/// unit, order reference).
///
/// An MSA that sets terms after the invoice ([`Terms`]) binds them here too: the element is then
/// `Poseidon(tag MSA_TERMS, inner, n, terms[0..n])` over [`msa_inner_text_fe`] and
/// [`msa_terms_fields`] (when it sets a payment, dispute thresholds or an agreed-usage rule), else
/// the inner element alone. An MSA without them commits exactly as before they existed.
pub fn msa_text_fe(msa: &Msa) -> Fr {
    let inner = msa_inner_text_fe(msa);
    if !msa.terms.has_settlement_terms() {
        return inner;
    }
    let terms = msa_terms_fields(&msa.terms);
    let mut input = vec![tag_fe(tag::MSA_TERMS), inner, int_fe(terms.len() as u64)];
    input.extend(terms);
    poseidon::hash(&input)
}

/// The text element inside the terms: [`msa_plain_text_fe`], or, for an MSA with service levels,
/// `Poseidon(tag MSA_SLA, plain text, service_levels_fe)` ([`service_levels_fe`]). A statement
/// that opens the terms (the reconciliation) takes this element as a witness, so service levels
/// change neither it nor its keys.
pub fn msa_inner_text_fe(msa: &Msa) -> Fr {
    let text = msa_plain_text_fe(msa);
    match &msa.terms.service_levels {
        None => text,
        Some(levels) => poseidon::hash(&[tag_fe(tag::MSA_SLA), text, service_levels_fe(levels)]),
    }
}

/// Fields of one product's availability bands: [`MAX_SLA_BANDS`] `below` values, then as many
/// credits (ppm), zero-padded.
pub const SLA_BANDS_LEN: usize = 2 * MAX_SLA_BANDS;

/// A product's bands as [`SLA_BANDS_LEN`] fields (all zero for a product without a service
/// level: a band's `below` is never 0, so the two cannot be confused).
pub fn sla_band_fields(level: Option<&ServiceLevel>) -> [Fr; SLA_BANDS_LEN] {
    let mut out = [Fr::from(0u64); SLA_BANDS_LEN];
    for (k, b) in level.map_or(&[][..], |l| &l.bands[..]).iter().enumerate() {
        out[k] = int_fe(b.below_ppm);
        out[MAX_SLA_BANDS + k] = int_fe(b.credit_ppm);
    }
    out
}

/// The service levels as one element, a hash chain over the MSA's products in slot order:
/// `c_0 = tag(MSA_SLA_BANDS)`, `c_(i+1) = Poseidon(c_i, bands of product i)` ([`sla_band_fields`]),
/// the last `c_n`.
pub fn service_levels_fe(levels: &ServiceLevels) -> Fr {
    levels.products.iter().fold(tag_fe(tag::MSA_SLA_BANDS), |c, l| {
        let mut input = vec![c];
        input.extend(sla_band_fields(l.as_ref()));
        poseidon::hash(&input)
    })
}

/// The element of the MSA's descriptive text alone (the strings of [`msa_text_fe`]), without the
/// terms after the invoice.
pub fn msa_plain_text_fe(msa: &Msa) -> Fr {
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
    bytes_fe(tag::MSA_TEXT, &strings_bytes(&parts))
}

/// Each string as `u64be(byte length) || bytes`, concatenated.
fn strings_bytes(parts: &[&str]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for part in parts {
        bytes.extend_from_slice(&(part.len() as u64).to_be_bytes());
        bytes.extend_from_slice(part.as_bytes());
    }
    bytes
}

/// The terms after the invoice as [`MSA_TERMS_LEN`] field elements, in this order:
/// - payment: the method's code (0 for none) and the remit-to account and holder's name as one
///   [`bytes_fe`] element (tag `MSA_PAYMENT`, the two strings as in [`msa_text_fe`]; 0 for none);
/// - the agreed-usage rule's code (0 for none);
/// - the dispute thresholds: 1 if set, else 0; the invoice's, the usage charges' and the recurring
///   charges' threshold, each as three elements `(flags, amount in minor units, share in ppm)`,
///   flags bit 0 for an amount and bit 1 for a share, all zero where none is set; and the
///   products' thresholds as one element, the chain [`product_thresholds_fe`].
///
/// The length is fixed, whatever the MSA's number of products, so that a circuit of any shape
/// can open it with one hash, and the products' chain with one conditional step per slot.
pub fn msa_terms_fields(terms: &Terms) -> Vec<Fr> {
    let mut out = Vec::with_capacity(MSA_TERMS_LEN);
    match &terms.payment {
        Some(p) => {
            let r = &p.remit_to;
            out.push(int_fe(p.method.code()));
            out.push(bytes_fe(tag::MSA_PAYMENT, &strings_bytes(&[&r.account, &r.name])));
        }
        None => out.extend([int_fe(0u8), int_fe(0u8)]),
    }
    out.push(int_fe(terms.agreed_usage.map_or(0, |a| a.code())));
    let d = terms.dispute_thresholds.as_ref();
    out.push(int_fe(u8::from(d.is_some())));
    for t in [
        d.and_then(|d| d.invoice),
        d.and_then(|d| d.usage),
        d.and_then(|d| d.recurring),
    ] {
        out.extend(threshold_fields(t));
    }
    out.push(product_thresholds_fe(d.map_or(&[][..], |d| &d.products)));
    debug_assert_eq!(out.len(), MSA_TERMS_LEN);
    out
}

/// Elements of [`msa_terms_fields`].
pub const MSA_TERMS_LEN: usize = 14;

/// The products' dispute thresholds as one element, a hash chain over the MSA's products in slot
/// order: `c_0 = tag(MSA_THRESHOLDS)`, `c_(i+1) = Poseidon(c_i, flags, amount, share)` of product
/// `i`'s threshold (all zero for none), the last `c_n`.
pub fn product_thresholds_fe(products: &[Option<Threshold>]) -> Fr {
    products.iter().fold(tag_fe(tag::MSA_THRESHOLDS), |c, t| {
        let [a, b, d] = threshold_fields(*t);
        poseidon::hash(&[c, a, b, d])
    })
}

/// A threshold as `(flags, amount in minor units, share in ppm)`.
pub fn threshold_fields(t: Option<Threshold>) -> [Fr; 3] {
    let t = t.unwrap_or_default();
    let flags = u8::from(t.amount_minor.is_some()) | (u8::from(t.share_ppm.is_some()) << 1);
    [
        int_fe(flags),
        int_fe(t.amount_minor.unwrap_or(0)),
        int_fe(t.share_ppm.unwrap_or(0)),
    ]
}

/// `msa_commitment`: parties, agreement id, currency, tax, terms, validity and every product slot.
pub fn msa_commitment(msa: &Msa, shape: Shape, salt: &Salt) -> Result<Commitment, Error> {
    shape.check(msa.need(0))?;
    Ok(commit_fields(tag::MSA, &msa_fields(msa, shape), salt))
}

/// The output of `zkinvoice msa commit`: what both parties sign into the `msa-agreed` anchor,
/// with the salt that opens it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MsaCommitDoc {
    /// Shape name.
    pub shape: String,
    /// The MSA's id.
    pub msa_id: String,
    /// `msa_commitment`.
    pub commitment: Commitment,
    /// Its salt (hex). Secret to the two parties.
    pub salt: String,
    /// `state_0`'s commitment.
    pub state0: Commitment,
}
