//! Part `header`: the MSA header opened as witnesses, and the currency's divisor
//! `10^(9 - minor digits)` chosen by a one-hot selector over the digits `0..=9`.

use ark_r1cs_std::{alloc::AllocVar, boolean::Boolean, eq::EqGadget, fields::fp::FpVar, GR1CSVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use crate::{
    gadgets::{round, witness},
    statement::assignment::InvoiceAssignment,
    Fr, Shape,
};

/// Largest minor-unit digits the statement supports (the divisor is `10^(9 - digits)`).
pub const MAX_MINOR_DIGITS: usize = 9;

/// Constraints of `header`: one boolean per possible digit count, their sum, and the digits.
pub const fn cost(_: Shape) -> usize {
    (MAX_MINOR_DIGITS + 1) + 2
}

/// The MSA header in-circuit, in the order of the MSA commitment's body.
pub(crate) struct Header {
    /// `id_fe(seller)`.
    pub seller: FpVar<Fr>,
    /// `id_fe(buyer)`.
    pub buyer: FpVar<Fr>,
    /// `id_fe(msa id)`.
    pub msa_id: FpVar<Fr>,
    /// ISO 4217 numeric code.
    pub currency: FpVar<Fr>,
    /// Minor-unit digits.
    pub digits: FpVar<Fr>,
    /// Tax rate (ppm).
    pub tax_ppm: FpVar<Fr>,
    /// Payment terms (days).
    pub net_days: FpVar<Fr>,
    /// First day in force.
    pub valid_from: FpVar<Fr>,
    /// Last day in force.
    pub valid_until: FpVar<Fr>,
    /// The descriptive text.
    pub text: FpVar<Fr>,
    /// `10^(9 - digits)`: nano-units per minor unit.
    pub divisor: FpVar<Fr>,
}

impl Header {
    /// The header's fields as they open the MSA commitment.
    pub(crate) fn fields(&self) -> Vec<FpVar<Fr>> {
        [
            &self.seller,
            &self.buyer,
            &self.msa_id,
            &self.currency,
            &self.digits,
            &self.tax_ppm,
            &self.net_days,
            &self.valid_from,
            &self.valid_until,
            &self.text,
        ]
        .map(FpVar::clone)
        .to_vec()
    }
}

/// Opens the header and derives the divisor.
pub(super) fn header(cs: &ConstraintSystemRef<Fr>, a: &InvoiceAssignment) -> Result<Header, SynthesisError> {
    header_of(
        cs,
        [
            a.seller,
            a.buyer,
            a.msa_id,
            a.currency,
            a.minor_digits,
            a.tax_ppm,
            a.net_days,
            a.valid_from,
            a.valid_until,
            a.msa_text,
        ],
    )
}

/// Opens the header from its fields in the order of the MSA commitment's body
/// ([`crate::commit::msa::msa_header_fields`]) and derives the divisor.
pub(crate) fn header_of(cs: &ConstraintSystemRef<Fr>, values: [Fr; 10]) -> Result<Header, SynthesisError> {
    let w = |v: Fr| witness(cs, v);
    // Allocated in the order of the commitment's body.
    let [seller, buyer, msa_id, currency, digits, tax_ppm, net_days, valid_from, valid_until, text] =
        values.map(w);
    let digits = digits?;
    let digits_value = digits.value().ok().and_then(round::fe_to_u128);
    let digit_sel = (0..=MAX_MINOR_DIGITS)
        .map(|i| Boolean::new_witness(cs.clone(), || Ok(digits_value == Some(i as u128))))
        .collect::<Result<Vec<_>, _>>()?;
    let sel_fp: Vec<FpVar<Fr>> = digit_sel.iter().map(|b| FpVar::from(b.clone())).collect();
    sel_fp
        .iter()
        .sum::<FpVar<Fr>>()
        .enforce_equal(&FpVar::Constant(Fr::from(1u64)))?;
    sel_fp
        .iter()
        .enumerate()
        .map(|(i, s)| s * Fr::from(i as u64))
        .sum::<FpVar<Fr>>()
        .enforce_equal(&digits)?;
    let divisor: FpVar<Fr> = sel_fp
        .iter()
        .enumerate()
        .map(|(i, s)| s * Fr::from(10u64.pow(9 - i as u32)))
        .sum();
    Ok(Header {
        seller: seller?,
        buyer: buyer?,
        msa_id: msa_id?,
        currency: currency?,
        digits,
        tax_ppm: tax_ppm?,
        net_days: net_days?,
        valid_from: valid_from?,
        valid_until: valid_until?,
        text: text?,
        divisor,
    })
}
