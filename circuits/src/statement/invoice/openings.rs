//! Parts `msa_commitment`, `usage_commitment`, `states` and `invoice_commitment`: the witness
//! opens the five public commitments. Each body is assembled in-circuit in the order its native
//! encoding uses ([`crate::commit`]), so one Poseidon commitment and one equality open it.

use ark_r1cs_std::{eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use super::{aggregate::UsageVars, header::Header, inputs::PublicVars, slots::Slots, totals::Totals};
use crate::{
    commit::{invoice::invoice_body_len, msa::msa_body_len, state::state_body_len, usage::usage_body_len},
    encoding::tag,
    gadgets::{poseidon::commit, poseidon::commit_cost, tier::pack_volumes, witness},
    statement::assignment::InvoiceAssignment,
    Fr, Shape,
};

/// Constraints of `msa_commitment`: the commitment and one equality.
pub const fn msa_commitment_cost(shape: Shape) -> usize {
    commit_cost(msa_body_len(shape)) + 1
}

/// Constraints of `usage_commitment`: the commitment and one equality.
pub const fn usage_commitment_cost(shape: Shape) -> usize {
    commit_cost(usage_body_len(shape)) + 1
}

/// Constraints of `states`: two commitments and two equalities.
pub const fn states_cost(shape: Shape) -> usize {
    2 * (commit_cost(state_body_len(shape)) + 1)
}

/// Constraints of `invoice_commitment`: the commitment and one equality.
pub const fn invoice_commitment_cost(shape: Shape) -> usize {
    commit_cost(invoice_body_len(shape)) + 1
}

/// The header and the slots' tier tables open `msa_commitment`.
pub(super) fn msa_commitment(
    cs: &ConstraintSystemRef<Fr>,
    a: &InvoiceAssignment,
    header: &Header,
    slots: &Slots,
    public: &PublicVars,
) -> Result<(), SynthesisError> {
    let mut body = header.fields();
    body.extend(slots.msa_fields.iter().cloned());
    let salt = witness(cs, a.msa_salt)?;
    commit(cs, tag::MSA, &body, &salt)?.enforce_equal(&public.msa)
}

/// The MSA commitment, the period and the packed records open `usage_commitment`.
pub(super) fn usage_commitment(
    cs: &ConstraintSystemRef<Fr>,
    a: &InvoiceAssignment,
    usage: &UsageVars,
    public: &PublicVars,
) -> Result<(), SynthesisError> {
    let mut body = vec![
        public.msa.clone(),
        usage.period_start.clone(),
        usage.period_end.clone(),
    ];
    body.extend(usage.packed.iter().cloned());
    let salt = witness(cs, a.usage_salt)?;
    commit(cs, tag::USAGE, &body, &salt)?.enforce_equal(&public.usage)
}

/// The volumes before open `state_before` at index `k`; the volumes after (before plus the
/// period's quantities) open `state_after` at `k + 1`. Both are packed four per element, which
/// is injective because part `slots` looked each up in its tier table (below `2^63`).
pub(super) fn states(
    cs: &ConstraintSystemRef<Fr>,
    a: &InvoiceAssignment,
    slots: &Slots,
    public: &PublicVars,
) -> Result<(), SynthesisError> {
    let k = witness(cs, a.index)?;
    let mut before = vec![public.msa.clone(), k.clone()];
    before.extend(pack_volumes(&slots.before));
    let mut after = vec![public.msa.clone(), k + FpVar::Constant(Fr::from(1u64))];
    after.extend(pack_volumes(&slots.after));
    commit(cs, tag::STATE, &before, &witness(cs, a.before_salt)?)?.enforce_equal(&public.before)?;
    commit(cs, tag::STATE, &after, &witness(cs, a.after_salt)?)?.enforce_equal(&public.after)
}

/// The header, the invoice number, the period and its dates (the bill date is the period's end,
/// the due date the end plus the MSA's net days), the slots' lines and the totals open
/// `invoice_commitment`.
pub(super) fn invoice_commitment(
    cs: &ConstraintSystemRef<Fr>,
    a: &InvoiceAssignment,
    parts: (&Header, &UsageVars, &Slots, &Totals),
    public: &PublicVars,
) -> Result<(), SynthesisError> {
    let (header, usage, slots, totals) = parts;
    let mut body = vec![
        header.seller.clone(),
        header.buyer.clone(),
        header.msa_id.clone(),
        witness(cs, a.number)?,
        usage.period_start.clone(),
        usage.period_end.clone(),
        usage.period_end.clone(),
        &usage.period_end + &header.net_days,
        header.currency.clone(),
        header.digits.clone(),
        header.tax_ppm.clone(),
    ];
    body.extend(slots.invoice_fields.iter().cloned());
    body.extend([totals.subtotal.clone(), totals.tax.clone(), totals.total.clone()]);
    let salt = witness(cs, a.invoice_salt)?;
    commit(cs, tag::INVOICE, &body, &salt)?.enforce_equal(&public.invoice)
}
