//! The reconciliation statement (`docs/lifecycle.md`, issue 16): two invoices of one period under
//! one MSA, the Seller's and the one rated from the Buyer's own measurement, compared against the
//! MSA's dispute thresholds without revealing either.
//!
//! Public inputs: [`ReconcilePublicInputs`]. The circuit proves that the witness opens the MSA
//! commitment, its text element with the terms after the invoice (dispute thresholds present), and
//! the two invoice commitments; that both invoices are of the MSA's parties, agreement and
//! currency, of the public period, and bill each of its product slots in order; and that `over`
//! holds exactly the thresholds the two are over ([`crate::native::reconcile`], its twin): per
//! product slot the product's amounts (usage plus recurring), per charge kind the sums, and the
//! totals, each `|a - b|` against the threshold's amount and its share of `max(a, b)`
//! ([`crate::gadgets::threshold`]).
//!
//! Constraint count: [`cost`], per part in `params/costs.csv`.

mod assignment;
pub mod block;
pub mod link;
mod partitioned;

pub use assignment::ReconcileAssignment;
pub use partitioned::{PartitionedReconcile, PartitionedReconcileOpening};

use ark_r1cs_std::{
    alloc::AllocVar,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    select::CondSelectGadget,
};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::ReconcilePublicInputs;

use crate::{
    commit::{
        invoice::{invoice_body_len, INVOICE_HEADER_LEN, INVOICE_SLOT_LEN},
        msa::{msa_body_len, msa_slot_len, MSA_TERMS_LEN},
    },
    encoding::{int_fe, tag, tag_fe},
    gadgets::{
        poseidon::{commit, commit_cost, hash, hash_cost},
        range,
        threshold::{over, over_cost, threshold, threshold_cost, ThresholdVar},
        witness,
    },
    Fr, Shape,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/reconcile/v1";

/// Bits of a product's amount (usage plus recurring, each below `2^64`).
pub(crate) const PRODUCT_BITS: usize = 65;
/// Bits of a charge kind's sum (at most 64 slots of amounts below `2^64`).
const KIND_BITS: usize = 72;
/// Bits of an invoice's total.
pub(crate) const TOTAL_BITS: usize = 64;

/// The reconciliation statement of one v1 shape.
#[derive(Clone)]
pub struct ReconcileCircuit {
    /// The public inputs.
    pub public: ReconcilePublicInputs,
    /// The witness.
    pub assignment: ReconcileAssignment,
}

/// The reconciliation statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReconcileCost {
    /// The MSA commitment opened: the text element with the terms, the three kinds' thresholds.
    pub msa: usize,
    /// The products' thresholds: per slot the threshold, whether the slot is used, one step of
    /// the chain.
    pub thresholds: usize,
    /// The two invoices opened: commitments, agreement with the MSA, amounts unpacked, totals.
    pub invoices: usize,
    /// The comparisons: per slot, the kinds and the totals; the `over` bits.
    pub compare: usize,
}

impl ReconcileCost {
    /// Total constraints.
    pub const fn total(&self) -> usize {
        self.msa + self.thresholds + self.invoices + self.compare
    }
}

/// Constraints of [`open_invoice`] at `shape`: the commitment and its equality, parties,
/// agreement, currency (5 equalities), per slot the product's id (1) and the packed amounts (3 x
/// 64 bits and one equality), the total's range.
pub(crate) const fn open_invoice_cost(shape: Shape) -> usize {
    commit_cost(invoice_body_len(shape))
        + 1
        + 5
        + shape.products * (1 + UNPACK_SLOT_COST)
        + range::cost(TOTAL_BITS)
}

/// Constraints of the reconciliation statement at `shape`.
pub const fn cost(shape: Shape) -> ReconcileCost {
    let p = shape.products;
    let invoice = open_invoice_cost(shape);
    ReconcileCost {
        msa: terms_text_cost() + commit_cost(msa_body_len(shape)) + 1,
        thresholds: p * (threshold_cost() + 2 + hash_cost(4, 0) + 1) - 3,
        // Each invoice's period is the public period: two equalities each.
        invoices: 2 * invoice + 4,
        compare: p * (over_cost(PRODUCT_BITS) + 1) + 2 * over_cost(KIND_BITS) + over_cost(TOTAL_BITS) + 1,
    }
}

impl ReconcileCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank(shape: Shape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: ReconcilePublicInputs {
                msa_commitment: zero,
                seller_invoice: zero,
                buyer_invoice: zero,
                over: zero,
                period_start: zero,
                period_end: zero,
            },
            assignment: ReconcileAssignment::blank(shape),
        }
    }
}

/// One invoice opened: its product slots' amounts (usage plus recurring), usage and recurring
/// amounts, its period and its total.
pub(crate) struct Opened {
    pub(crate) product: Vec<FpVar<Fr>>,
    pub(crate) usage: Vec<FpVar<Fr>>,
    pub(crate) recurring: Vec<FpVar<Fr>>,
    pub(crate) period: [FpVar<Fr>; 2],
    pub(crate) total: FpVar<Fr>,
}

/// Constraints of [`unpack_slot`]: three 64-bit limbs and one equality.
pub(crate) const UNPACK_SLOT_COST: usize = 3 * range::witness_cost(64) + 1;

/// Unpacks an invoice slot's packed amounts `usage + recurring·2^64 + quantity·2^128` (`value`,
/// allocated as `packed`) into three 64-bit limbs and returns the usage and recurring amounts.
/// Costs [`UNPACK_SLOT_COST`].
pub(crate) fn unpack_slot(
    cs: &ConstraintSystemRef<Fr>,
    value: Fr,
    packed: &FpVar<Fr>,
) -> Result<(FpVar<Fr>, FpVar<Fr>), SynthesisError> {
    let limb = |k: usize| {
        use ark_ff::PrimeField;
        Fr::from(value.into_bigint().0[k])
    };
    let (usage, _) = range::witness_bits(cs, Ok(limb(0)), 64)?;
    let (recurring, _) = range::witness_bits(cs, Ok(limb(1)), 64)?;
    let (quantity, _) = range::witness_bits(cs, Ok(limb(2)), 64)?;
    let two64 = Fr::from(u128::from(u64::MAX) + 1);
    (&usage + &recurring * two64 + &quantity * (two64 * two64)).enforce_equal(packed)?;
    Ok((usage, recurring))
}

/// Opens invoice `body` against `commitment` and checks it is of the MSA (`header`) and bills its
/// product slots (`ids`) in order. Costs [`open_invoice_cost`].
pub(crate) fn open_invoice(
    cs: &ConstraintSystemRef<Fr>,
    body: &[Fr],
    salt: Fr,
    commitment: &FpVar<Fr>,
    header: &[FpVar<Fr>],
    ids: &[FpVar<Fr>],
) -> Result<Opened, SynthesisError> {
    let b = body
        .iter()
        .map(|v| witness(cs, *v))
        .collect::<Result<Vec<_>, _>>()?;
    commit(cs, tag::INVOICE, &b, &witness(cs, salt)?)?.enforce_equal(commitment)?;
    // Seller, buyer, agreement; currency and its digits.
    for (inv, msa) in [(0, 0), (1, 1), (2, 2), (8, 3), (9, 4)] {
        b[inv].enforce_equal(&header[msa])?;
    }
    let mut out = Opened {
        product: Vec::new(),
        usage: Vec::new(),
        recurring: Vec::new(),
        period: [b[4].clone(), b[5].clone()],
        total: b[b.len() - 1].clone(),
    };
    for (i, id) in ids.iter().enumerate() {
        let at = INVOICE_HEADER_LEN + i * INVOICE_SLOT_LEN;
        b[at].enforce_equal(id)?;
        let (usage, recurring) = unpack_slot(cs, body[at + 2], &b[at + 2])?;
        out.product.push(&usage + &recurring);
        out.usage.push(usage);
        out.recurring.push(recurring);
    }
    range::enforce_bits(&out.total, TOTAL_BITS)?;
    Ok(out)
}

/// Constraints of [`terms_text`]: the kinds' three thresholds and one hash of the terms.
pub(crate) const fn terms_text_cost() -> usize {
    3 * threshold_cost() + hash_cost(MSA_TERMS_LEN + 3, 3)
}

/// The MSA's text element with its terms after the invoice, dispute thresholds set
/// ([`crate::commit::msa::msa_text_fe`]): `Poseidon(MSA_TERMS, text, n, terms 0-2, 1, the
/// invoice's, the usage charges' and the recurring charges' thresholds, the products' chain)`.
/// Returns the three thresholds (range-checked) and the element. Costs [`terms_text_cost`].
pub(crate) fn terms_text(
    cs: &ConstraintSystemRef<Fr>,
    text: Fr,
    terms: [Fr; 3],
    kinds: [[Fr; 3]; 3],
    chain: FpVar<Fr>,
) -> Result<([ThresholdVar; 3], FpVar<Fr>), SynthesisError> {
    let [t_invoice, t_usage, t_recurring] = kinds.map(|t| threshold(cs, t));
    let kinds = [t_invoice?, t_usage?, t_recurring?];
    let mut input = vec![
        FpVar::Constant(tag_fe(tag::MSA_TERMS)),
        witness(cs, text)?,
        FpVar::Constant(int_fe(MSA_TERMS_LEN as u64)),
        witness(cs, terms[0])?,
        witness(cs, terms[1])?,
        witness(cs, terms[2])?,
        FpVar::Constant(Fr::from(1u64)),
    ];
    for t in &kinds {
        input.extend(t.fields.iter().cloned());
    }
    input.push(chain);
    let text = hash(cs, &input)?;
    Ok((kinds, text))
}

impl ConstraintSynthesizer<Fr> for ReconcileCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let shape = a.shape;
        let [msa_c, seller_c, buyer_c, over_pub, start_pub, end_pub] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let w = |v: Fr| witness(&cs, v);
        let zero = FpVar::Constant(Fr::from(0u64));

        // The MSA's slots, and per slot its threshold in the chain (used slots only).
        let slot_len = msa_slot_len(shape);
        let slots = a.msa_slots.iter().map(|v| w(*v)).collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<FpVar<Fr>> = (0..shape.products).map(|i| slots[i * slot_len].clone()).collect();
        let mut chain = FpVar::Constant(tag_fe(tag::MSA_THRESHOLDS));
        let mut used = Vec::with_capacity(shape.products);
        let mut per_slot: Vec<ThresholdVar> = Vec::with_capacity(shape.products);
        for (id, fields) in ids.iter().zip(&a.product_thresholds) {
            let t = threshold(&cs, *fields)?;
            let is_used = id.is_neq(&zero)?;
            let mut input = vec![chain.clone()];
            input.extend(t.fields.iter().cloned());
            let next = hash(&cs, &input)?;
            chain = FpVar::conditionally_select(&is_used, &next, &chain)?;
            used.push(FpVar::from(is_used));
            per_slot.push(t);
        }

        // The terms (dispute thresholds present), the text element, the MSA commitment.
        let ([t_invoice, t_usage, t_recurring], text) =
            terms_text(&cs, a.text, a.terms, a.kind_thresholds, chain)?;
        let mut body = a
            .msa_header
            .iter()
            .map(|v| w(*v))
            .collect::<Result<Vec<_>, _>>()?;
        let header = body.clone();
        body.push(text);
        body.extend(slots);
        commit(&cs, tag::MSA, &body, &w(a.msa_salt)?)?.enforce_equal(&msa_c?)?;

        // The two invoices.
        let s = open_invoice(&cs, &a.invoices[0], a.invoice_salts[0], &seller_c?, &header, &ids)?;
        let b = open_invoice(&cs, &a.invoices[1], a.invoice_salts[1], &buyer_c?, &header, &ids)?;
        // Both bill the public period.
        let period = [start_pub?, end_pub?];
        for invoice in [&s, &b] {
            invoice.period[0].enforce_equal(&period[0])?;
            invoice.period[1].enforce_equal(&period[1])?;
        }

        // The comparisons and the `over` bits.
        let mut bits = Vec::with_capacity(shape.products + 3);
        for i in 0..shape.products {
            let o = over(&cs, &s.product[i], &b.product[i], &per_slot[i], PRODUCT_BITS)?;
            bits.push(&used[i] * o);
        }
        let sum = |v: &[FpVar<Fr>]| v.iter().fold(FpVar::zero(), |acc, x| acc + x);
        bits.push(over(&cs, &sum(&s.usage), &sum(&b.usage), &t_usage, KIND_BITS)?);
        bits.push(over(
            &cs,
            &sum(&s.recurring),
            &sum(&b.recurring),
            &t_recurring,
            KIND_BITS,
        )?);
        bits.push(over(&cs, &s.total, &b.total, &t_invoice, TOTAL_BITS)?);
        let mask = bits
            .iter()
            .enumerate()
            .fold(FpVar::zero(), |acc, (i, o)| acc + o * Fr::from(1u128 << i));
        mask.enforce_equal(&over_pub?)?;
        Ok(())
    }
}
