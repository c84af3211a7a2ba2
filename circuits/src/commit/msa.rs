//! The MSA commitment: the encoding of its body, the commitment, and the file `msa commit` writes.

use serde::{Deserialize, Serialize};

use super::scheme::{commit_fields, Commitment, Salt};
use crate::{
    encoding::{bytes_fe, day_number, id_fe, int_fe, tag, PAD_THRESHOLD},
    model::msa::{model_code, Msa},
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
