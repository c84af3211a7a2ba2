//! Part `period`: the period lies within the MSA's validity (`valid_from <= start` and
//! `end <= valid_until + 1`, the end day being exclusive), by two 64-bit range checks.

use ark_r1cs_std::fields::fp::FpVar;
use ark_relations::gr1cs::SynthesisError;

use super::{aggregate::UsageVars, header::Header};
use crate::{
    gadgets::range::{self, enforce_bits},
    Fr, Shape,
};

/// Constraints of `period`: two 64-bit range checks.
pub const fn cost(_: Shape) -> usize {
    2 * range::cost(64)
}

/// Enforces that the period of `usage` lies within the validity in `header`.
pub(super) fn period(header: &Header, usage: &UsageVars) -> Result<(), SynthesisError> {
    within_validity(header, &usage.period_start, &usage.period_end)
}

/// Enforces `valid_from <= start` and `end <= valid_until + 1` for the validity in `header`.
pub(crate) fn within_validity(
    header: &Header,
    start: &FpVar<Fr>,
    end: &FpVar<Fr>,
) -> Result<(), SynthesisError> {
    let one = FpVar::Constant(Fr::from(1u64));
    enforce_bits(&(start - &header.valid_from), 64)?;
    enforce_bits(&(&header.valid_until + one - end), 64)?;
    Ok(())
}
