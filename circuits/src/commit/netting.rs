//! The netting commitment: the net amount of two netted invoices, hidden, bound to them.

use super::scheme::{commit_fields, Commitment, Salt};
use crate::{encoding::int_fe, encoding::tag, Currency, Fr};

/// Fields of the netting commitment's body: the net amount, the currency (numeric code, minor
/// digits), and the two invoices' commitments in the statement's order.
pub const NETTING_BODY_LEN: usize = 5;

/// The body of the netting commitment ([`NETTING_BODY_LEN`] fields).
pub fn netting_fields(net: u64, currency: &Currency, invoices: [Fr; 2]) -> [Fr; NETTING_BODY_LEN] {
    [
        int_fe(net),
        int_fe(currency.numeric()),
        int_fe(currency.minor_digits()),
        invoices[0],
        invoices[1],
    ]
}

/// `net_commitment`: the net amount of the invoices `invoices` (their commitments, in the
/// statement's order) in `currency`, under `salt`.
pub fn net_commitment(net: u64, currency: &Currency, invoices: [Fr; 2], salt: &Salt) -> Commitment {
    commit_fields(tag::NETTING, &netting_fields(net, currency, invoices), salt)
}
