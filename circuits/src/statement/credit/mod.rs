//! The credit-note statement (`docs/lifecycle.md`, "SLA credits"; issue 16 step 4, MEF 114
//! §8.4, §8.6.4): the SLA credits of an invoice, from the MSA's service levels and the period's
//! agreed SLA performance, without revealing the charges, the availabilities or the credits.
//!
//! Public inputs: [`CreditPublicInputs`]. The circuit proves that the witness opens the MSA
//! commitment, its text element down to the service levels (the terms after the invoice, if the
//! MSA sets any, around the service levels' chain around the descriptive text); the SLA
//! commitment (bound to the MSA commitment and the public period); and the invoice commitment
//! (of the MSA's parties, agreement and currency, of the public period, billing each product
//! slot in order); that per product slot the credit is `round_half_up(charge * share / 10^6)`,
//! the charge the product's usage plus recurring amount and the share the sum, over the bands the
//! measured availability is below, of each band's increase over the one before
//! ([`crate::native::credit`], its twin); that the subtotal, the tax at the MSA's rate (half up)
//! and the total are the note's; and that the credit-note commitment opens to them, the invoice
//! commitment, the note's number and date.
//!
//! Constraint count: [`cost`], per part in `params/credit-costs.csv`.

mod assignment;

pub use assignment::{CreditAssignment, CreditSalts};

use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    select::CondSelectGadget,
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::CreditPublicInputs;

use super::reconcile::{open_invoice, open_invoice_cost};
use crate::{
    commit::{
        msa::{msa_body_len, msa_slot_len, MSA_TERMS_LEN, SLA_BANDS_LEN},
        sla::{credit_body_len, sla_body_len},
    },
    encoding::{int_fe, tag, tag_fe},
    gadgets::{
        poseidon::{commit, commit_cost, hash, hash_cost},
        range,
        round::{self, round_half_up},
        threshold::le,
        witness,
    },
    model::sla::MAX_SLA_BANDS,
    money::PPM,
    Fr, Shape,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/credit/v1";

/// Bits of an availability, a band's `below` and credit, a share and the tax rate (ppm, at most
/// `10^6 < 2^20`).
const PPM_BITS: usize = 20;
/// Bits of the credit note's subtotal and total (minor units).
const AMOUNT_BITS: usize = 64;

/// The credit-note statement of one v1 shape.
#[derive(Clone)]
pub struct CreditCircuit {
    /// The public inputs.
    pub public: CreditPublicInputs,
    /// The witness.
    pub assignment: CreditAssignment,
}

/// The credit-note statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditCost {
    /// The MSA commitment opened: per slot the bands' ranges (zero beyond the MSA's products) and
    /// one step of the service levels' chain, the service levels' and the terms' hashes (the
    /// terms zero when the MSA sets none), the choice of the two, the commitment, the tax rate's
    /// range.
    pub msa: usize,
    /// The SLA commitment opened: the availabilities' ranges, the commitment, the period.
    pub sla: usize,
    /// The invoice opened: commitment, agreement with the MSA, amounts unpacked, the period.
    pub invoice: usize,
    /// The credits: per slot the band comparisons, the share and its range, the rounded credit.
    pub credits: usize,
    /// The note: subtotal and total ranges, the tax, the commitment.
    pub note: usize,
}

impl CreditCost {
    /// Total constraints.
    pub const fn total(&self) -> usize {
        self.msa + self.sla + self.invoice + self.credits + self.note
    }
}

/// Constraints of the credit-note statement at `shape`.
pub const fn cost(shape: Shape) -> CreditCost {
    let p = shape.products;
    CreditCost {
        // Per slot: the bands' ranges, whether the slot is used (2), the chain's step and its
        // selection, the bands zero on an unused slot; the service levels' hash; the has-terms bit
        // (1), the terms zero without it, the terms' hash and the selection (1); the commitment
        // and its equality; the tax rate's range.
        msa: p * (SLA_BANDS_LEN * (range::cost(PPM_BITS) + 1) + 2 + hash_cost(1 + SLA_BANDS_LEN, 0) + 1)
            + hash_cost(3, 2)
            + 1
            + MSA_TERMS_LEN
            + hash_cost(MSA_TERMS_LEN + 3, 2)
            + 1
            + commit_cost(msa_body_len(shape))
            + 1
            + range::cost(PPM_BITS),
        sla: p * range::witness_cost(PPM_BITS) + commit_cost(sla_body_len(shape)) + 1,
        invoice: open_invoice_cost(shape) + 2,
        credits: p
            * (MAX_SLA_BANDS * (threshold_le_cost() + 1) + range::cost(PPM_BITS) + 1 + round::cost(PPM_BITS)),
        note: range::cost(AMOUNT_BITS)
            + 1
            + round::cost(PPM_BITS)
            + range::cost(AMOUNT_BITS)
            + commit_cost(credit_body_len(shape))
            + 1,
    }
}

/// The MSA's text element from `inner` (the text and service levels): the terms after the
/// invoice around it, if the MSA sets any. Without terms their values are unused, and bound to
/// zero so that no witness is free.
fn wrap_terms(
    cs: &ConstraintSystemRef<Fr>,
    a: &CreditAssignment,
    inner: FpVar<Fr>,
) -> Result<FpVar<Fr>, SynthesisError> {
    let zero = FpVar::Constant(Fr::from(0u64));
    let has_terms = Boolean::new_witness(cs.clone(), || Ok(a.has_terms))?;
    let mut input = vec![
        FpVar::Constant(tag_fe(tag::MSA_TERMS)),
        inner.clone(),
        FpVar::Constant(int_fe(MSA_TERMS_LEN as u64)),
    ];
    let no_terms = FpVar::Constant(Fr::from(1u64)) - FpVar::from(has_terms.clone());
    for t in &a.terms {
        let t = witness(cs, *t)?;
        t.mul_equals(&no_terms, &zero)?;
        input.push(t);
    }
    let wrapped = hash(cs, &input)?;
    FpVar::conditionally_select(&has_terms, &wrapped, &inner)
}

/// [`le`] on an availability plus one against a band's `below` (values below `2^21`).
const fn threshold_le_cost() -> usize {
    crate::gadgets::threshold::le_cost(PPM_BITS + 1)
}

impl CreditCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank(shape: Shape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: CreditPublicInputs {
                msa_commitment: zero,
                invoice_commitment: zero,
                sla_commitment: zero,
                credit_commitment: zero,
                period_start: zero,
                period_end: zero,
            },
            assignment: CreditAssignment::blank(shape),
        }
    }
}

/// One product slot's bands in-circuit: `below` and credit per band, range-checked.
struct Bands {
    below: Vec<FpVar<Fr>>,
    credit: Vec<FpVar<Fr>>,
    fields: Vec<FpVar<Fr>>,
}

fn bands(cs: &ConstraintSystemRef<Fr>, fields: &[Fr; SLA_BANDS_LEN]) -> Result<Bands, SynthesisError> {
    let fields = fields
        .iter()
        .map(|v| witness(cs, *v))
        .collect::<Result<Vec<_>, _>>()?;
    for f in &fields {
        range::enforce_bits(f, PPM_BITS)?;
    }
    Ok(Bands {
        below: fields[..MAX_SLA_BANDS].to_vec(),
        credit: fields[MAX_SLA_BANDS..].to_vec(),
        fields,
    })
}

/// The credit's share for `availability` (below `2^20`) under `b`: the sum over the bands it is
/// below of each band's credit minus the one before, range-checked.
fn share(
    cs: &ConstraintSystemRef<Fr>,
    availability: &FpVar<Fr>,
    b: &Bands,
) -> Result<FpVar<Fr>, SynthesisError> {
    let next = availability + Fr::from(1u64);
    let mut total = FpVar::zero();
    let mut before = FpVar::zero();
    for (below, credit) in b.below.iter().zip(&b.credit) {
        let (is_below, _) = le(cs, &next, below, PPM_BITS + 1)?;
        let step = FpVar::new_witness(cs.clone(), || {
            Ok(is_below.value()? * (credit.value()? - before.value()?))
        })?;
        is_below.mul_equals(&(credit - &before), &step)?;
        total += step;
        before = credit.clone();
    }
    range::enforce_bits(&total, PPM_BITS)?;
    Ok(total)
}

impl ConstraintSynthesizer<Fr> for CreditCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let shape = a.shape;
        let [msa_c, invoice_c, sla_c, credit_c, start_pub, end_pub] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let (msa_c, invoice_c, sla_c, credit_c) = (msa_c?, invoice_c?, sla_c?, credit_c?);
        let period = [start_pub?, end_pub?];
        let w = |v: Fr| witness(&cs, v);
        let zero = FpVar::Constant(Fr::from(0u64));

        // The MSA's slots, and per used slot its bands in the service levels' chain.
        let slot_len = msa_slot_len(shape);
        let slots = a.msa_slots.iter().map(|v| w(*v)).collect::<Result<Vec<_>, _>>()?;
        let ids: Vec<FpVar<Fr>> = (0..shape.products).map(|i| slots[i * slot_len].clone()).collect();
        let mut chain = FpVar::Constant(tag_fe(tag::MSA_SLA_BANDS));
        let mut per_slot = Vec::with_capacity(shape.products);
        for (id, fields) in ids.iter().zip(&a.bands) {
            let b = bands(&cs, fields)?;
            let is_used = id.is_neq(&zero)?;
            let mut input = vec![chain.clone()];
            input.extend(b.fields.iter().cloned());
            let next = hash(&cs, &input)?;
            chain = FpVar::conditionally_select(&is_used, &next, &chain)?;
            // A slot beyond the MSA's products has no bands.
            let unused = FpVar::Constant(Fr::from(1u64)) - FpVar::from(is_used.clone());
            for f in &b.fields {
                f.mul_equals(&unused, &zero)?;
            }
            per_slot.push(b);
        }
        let inner = hash(&cs, &[FpVar::Constant(tag_fe(tag::MSA_SLA)), w(a.text)?, chain])?;
        let text = wrap_terms(&cs, a, inner)?;
        let header = a
            .msa_header
            .iter()
            .map(|v| w(*v))
            .collect::<Result<Vec<_>, _>>()?;
        let mut body = header.clone();
        body.push(text);
        body.extend(slots);
        commit(&cs, tag::MSA, &body, &w(a.msa_salt)?)?.enforce_equal(&msa_c)?;
        let tax_ppm = header[5].clone();
        range::enforce_bits(&tax_ppm, PPM_BITS)?;

        // The SLA performance: bound to the MSA commitment and the period.
        let availability = a
            .availability
            .iter()
            .map(|v| Ok(range::witness_bits(&cs, Ok(*v), PPM_BITS)?.0))
            .collect::<Result<Vec<_>, SynthesisError>>()?;
        let mut body = vec![msa_c.clone(), period[0].clone(), period[1].clone()];
        body.extend(availability.iter().cloned());
        commit(&cs, tag::SLA, &body, &w(a.sla_salt)?)?.enforce_equal(&sla_c)?;

        // The invoice, of the MSA and the period.
        let invoice = open_invoice(&cs, &a.invoice, a.invoice_salt, &invoice_c, &header, &ids)?;
        invoice.period[0].enforce_equal(&period[0])?;
        invoice.period[1].enforce_equal(&period[1])?;

        // The credits.
        let million = FpVar::Constant(Fr::from(PPM));
        let mut credits = Vec::with_capacity(shape.products);
        for i in 0..shape.products {
            let s = share(&cs, &availability[i], &per_slot[i])?;
            credits.push(round_half_up(&(&invoice.product[i] * &s), &million, PPM_BITS)?);
        }

        // The note.
        let subtotal = credits.iter().fold(FpVar::zero(), |acc, c| acc + c);
        range::enforce_bits(&subtotal, AMOUNT_BITS)?;
        let tax = round_half_up(&(&subtotal * &tax_ppm), &million, PPM_BITS)?;
        let total = &subtotal + &tax;
        range::enforce_bits(&total, AMOUNT_BITS)?;
        let mut body = vec![invoice_c, w(a.number)?, w(a.issue_day)?];
        body.extend(credits);
        body.extend([subtotal, tax, total]);
        commit(&cs, tag::CREDIT_NOTE, &body, &w(a.credit_salt)?)?.enforce_equal(&credit_c)?;
        Ok(())
    }
}
