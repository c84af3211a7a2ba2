//! Part `slots`: each product slot rated as the rater does it ([`crate::native::rate`]).
//!
//! Per slot: the tier table opened and its cumulative prices checked, the model code decoded into
//! two booleans (graduated, volume), the volumes before and after looked up in the table, the
//! usage charge selected by model, the recurring charge `fee * ordered quantity`, and both
//! rounded half up to minor units with the header's divisor.

use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSystemRef, SynthesisError};

use crate::{
    commit::msa::msa_slot_len,
    encoding::shift,
    gadgets::{
        round::{self, round_half_up, LINE_DIVISOR_BITS},
        tier::{self, enforce_cumulative, lookup, TierTableVar},
        witness,
    },
    statement::assignment::{InvoiceAssignment, SlotAssignment},
    Fr, Shape,
};

/// Constraints of one slot: cumulative prices, model decoding (2 booleans, 1 equality), two
/// lookups, price x quantity, the model selection (2), fee x ordered quantity, two roundings.
pub const fn per_slot_cost(shape: Shape) -> usize {
    let t = shape.tiers;
    tier::cumulative_cost(t) + 3 + 2 * tier::lookup_cost(t) + 1 + 2 + 1 + 2 * round::cost(LINE_DIVISOR_BITS)
}

/// What the rated slots contribute to the commitments and the totals, in slot order.
pub(crate) struct Slots {
    /// Each slot's part of the MSA body: product, model, fee, ordered quantity, thresholds, prices.
    pub msa_fields: Vec<FpVar<Fr>>,
    /// Cumulative volume before the period, per slot (`state_before`).
    pub before: Vec<FpVar<Fr>>,
    /// Cumulative volume after the period, per slot (`state_after`).
    pub after: Vec<FpVar<Fr>>,
    /// Each slot's part of the invoice body: product, ordered quantity, packed amounts.
    pub invoice_fields: Vec<FpVar<Fr>>,
    /// The period's quantity `q_p` per slot, checked against the records by part `aggregate`.
    pub totals: Vec<FpVar<Fr>>,
    /// Sum of the rounded line amounts.
    pub subtotal: FpVar<Fr>,
}

/// Rates every product slot of `a` with the currency's `divisor`.
pub(super) fn slots(
    cs: &ConstraintSystemRef<Fr>,
    a: &InvoiceAssignment,
    divisor: &FpVar<Fr>,
) -> Result<Slots, SynthesisError> {
    rate_slots(cs, &a.slots, msa_slot_len(a.shape), divisor)
}

/// Rates `slots` (each of `slot_len` MSA fields) with the currency's `divisor`: the invoice
/// statement's slots, or one block's.
pub(crate) fn rate_slots(
    cs: &ConstraintSystemRef<Fr>,
    slots: &[SlotAssignment],
    slot_len: usize,
    divisor: &FpVar<Fr>,
) -> Result<Slots, SynthesisError> {
    let p = slots.len();
    let mut out = Slots {
        msa_fields: Vec::with_capacity(p * slot_len),
        before: Vec::with_capacity(p),
        after: Vec::with_capacity(p),
        invoice_fields: Vec::with_capacity(3 * p),
        totals: Vec::with_capacity(p),
        subtotal: FpVar::Constant(Fr::from(0u64)),
    };
    for s in slots {
        slot(cs, s, divisor, &mut out)?;
    }
    Ok(out)
}

/// Rates one slot, appending its contributions to `out`.
fn slot(
    cs: &ConstraintSystemRef<Fr>,
    s: &SlotAssignment,
    divisor: &FpVar<Fr>,
    out: &mut Slots,
) -> Result<(), SynthesisError> {
    let w = |v: Fr| witness(cs, v);
    let product = w(s.product)?;
    let model = w(s.model)?;
    let fee = w(s.fee)?;
    let ordered = w(s.ordered)?;
    let table = TierTableVar {
        thresholds: s.thresholds.iter().map(|&v| w(v)).collect::<Result<_, _>>()?,
        prices: s.prices.iter().map(|&v| w(v)).collect::<Result<_, _>>()?,
        cumulative: s.cumulative.iter().map(|&v| w(v)).collect::<Result<_, _>>()?,
    };
    out.msa_fields
        .extend([product.clone(), model.clone(), fee.clone(), ordered.clone()]);
    out.msa_fields.extend(table.thresholds.iter().cloned());
    out.msa_fields.extend(table.prices.iter().cloned());
    enforce_cumulative(&table)?;

    // Model codes: none 0, graduated 1, volume 2 (`model::msa::model_code`).
    let model_value = model.value().ok().and_then(round::fe_to_u128);
    let is_grad = Boolean::new_witness(cs.clone(), || Ok(model_value == Some(1)))?;
    let is_vol = Boolean::new_witness(cs.clone(), || Ok(model_value == Some(2)))?;
    (FpVar::from(is_grad.clone()) + FpVar::from(is_vol.clone()).double()?).enforce_equal(&model)?;

    let v0 = w(s.volume_before)?;
    let q = w(s.quantity)?;
    let v1 = &v0 + &q;
    let (_, f0) = lookup(&table, &v0)?;
    let (p1, f1) = lookup(&table, &v1)?;
    let graduated = f1 - f0;
    let volume = &p1 * &q;
    let usage_nano = FpVar::from(is_grad) * graduated + FpVar::from(is_vol) * volume;
    let recurring_nano = &fee * &ordered;
    let usage_amount = round_half_up(&usage_nano, divisor, LINE_DIVISOR_BITS)?;
    let recurring_amount = round_half_up(&recurring_nano, divisor, LINE_DIVISOR_BITS)?;

    out.before.push(v0);
    out.after.push(v1);
    out.invoice_fields.extend([
        product,
        ordered,
        &usage_amount + &recurring_amount * shift(64) + &q * shift(128),
    ]);
    out.subtotal += usage_amount + recurring_amount;
    out.totals.push(q);
    Ok(())
}
