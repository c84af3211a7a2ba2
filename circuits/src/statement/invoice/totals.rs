//! Part `totals`: the subtotal below `2^64`, `tax = round_half_up(subtotal * tax_ppm / 10^6)`,
//! and `total = subtotal + tax` below `2^64`.

use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::SynthesisError;

use crate::{
    gadgets::{
        range::{self, enforce_bits},
        round::{self, round_half_up, TAX_DIVISOR_BITS},
    },
    money::PPM,
    Fr, Shape,
};

/// Constraints of `totals`: two 64-bit range checks, `subtotal * tax_ppm` and the rounding.
pub const fn cost(_: Shape) -> usize {
    range::cost(64) + 1 + round::cost(TAX_DIVISOR_BITS) + range::cost(64)
}

/// The invoice's totals in-circuit.
pub(crate) struct Totals {
    /// Sum of the line amounts.
    pub subtotal: FpVar<Fr>,
    /// The tax on the subtotal.
    pub tax: FpVar<Fr>,
    /// Subtotal plus tax.
    pub total: FpVar<Fr>,
}

/// Computes and range-checks the totals from the slots' `subtotal` and the MSA's `tax_ppm`.
pub(crate) fn totals(subtotal: &FpVar<Fr>, tax_ppm: &FpVar<Fr>) -> Result<Totals, SynthesisError> {
    enforce_bits(subtotal, 64)?;
    let tax = round_half_up(
        &(subtotal * tax_ppm),
        &FpVar::Constant(Fr::from(PPM)),
        TAX_DIVISOR_BITS,
    )?;
    let total = subtotal + &tax;
    enforce_bits(&total, 64)?;
    Ok(Totals {
        subtotal: subtotal.clone(),
        tax,
        total,
    })
}
