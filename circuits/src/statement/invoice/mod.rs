//! The invoice statement (`docs/protocol.md`, "The invoice statement").
//!
//! Public inputs, in order: `msa_commitment`, `usage_commitment`, `state_before`, `state_after`,
//! `invoice_commitment`. The circuit proves that the witness MSA, usage, states and invoice open
//! them, that the invoice is exactly what the reference rater ([`crate::rater::rate`]) computes
//! from them, and that `state_after` holds the cumulative volumes after the period at index
//! `k + 1`.
//!
//! **Relies on** the committed MSA having been validated natively by both parties before they
//! signed its anchor (ascending thresholds from 0 below `2^63`, prices and fees below `2^64`,
//! model codes 0..=2, minor digits 0..=9): MSA values are opened, not range-checked. Every other
//! witness is range-checked: record quantities (64 bits) and slots (`log2 P` bits), volumes
//! (through the tier lookups), amounts, tax, subtotal and total (64 bits), remainders.
//!
//! Constraint count: [`InvoiceCost`], asserted by the tests; S = 26,387 and M = 193,553.

use ark_r1cs_std::{
    alloc::AllocVar,
    boolean::Boolean,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    GR1CSVar,
};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::InvoicePublicInputs;

use super::assignment::{record_capacity, InvoiceAssignment};
use crate::{
    encoding::{shift, tag, RECORDS_PER_ELEMENT, RECORD_BITS, SLOT_PACK_BITS},
    gadgets::{
        aggregate,
        poseidon::{self, commit},
        range::{self, enforce_bits},
        round::{self, round_half_up, LINE_DIVISOR_BITS, TAX_DIVISOR_BITS},
        tier::{self, enforce_cumulative, lookup, TierTableVar},
        witness,
    },
    money::PPM,
    Fr, Shape,
};

/// Largest minor-unit digits the statement supports (the divisor is `10^(9 - digits)`).
pub const MAX_MINOR_DIGITS: usize = 9;

/// The invoice statement for one shape.
#[derive(Clone)]
pub struct InvoiceCircuit {
    /// The public inputs.
    pub public: InvoicePublicInputs,
    /// The witness.
    pub assignment: InvoiceAssignment,
}

impl InvoiceCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank(shape: Shape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: InvoicePublicInputs {
                msa_commitment: zero,
                usage_commitment: zero,
                state_before: zero,
                state_after: zero,
                invoice_commitment: zero,
            },
            assignment: InvoiceAssignment::blank(shape),
        }
    }

    /// The shape.
    pub fn shape(&self) -> Shape {
        self.assignment.shape
    }
}

impl ConstraintSynthesizer<Fr> for InvoiceCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let shape = a.shape;
        let [msa_c, usage_c, before_c, after_c, invoice_c] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let (msa_c, usage_c, before_c, after_c, invoice_c) =
            (msa_c?, usage_c?, before_c?, after_c?, invoice_c?);
        let w = |v: Fr| witness(&cs, v);
        let one = || FpVar::Constant(Fr::from(1u64));

        // MSA header and the currency's divisor 10^(9 - digits) by a one-hot selector.
        let header = [
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
        ]
        .map(w);
        let header = header.into_iter().collect::<Result<Vec<_>, _>>()?;
        let (seller, buyer, msa_id, currency, digits) =
            (&header[0], &header[1], &header[2], &header[3], &header[4]);
        let (tax_ppm, net_days, valid_from, valid_until) = (&header[5], &header[6], &header[7], &header[8]);
        let digits_value = digits.value().ok().and_then(round::fe_to_u128);
        let digit_sel = (0..=MAX_MINOR_DIGITS)
            .map(|i| Boolean::new_witness(cs.clone(), || Ok(digits_value == Some(i as u128))))
            .collect::<Result<Vec<_>, _>>()?;
        let sel_fp: Vec<FpVar<Fr>> = digit_sel.iter().map(|b| FpVar::from(b.clone())).collect();
        sel_fp.iter().sum::<FpVar<Fr>>().enforce_equal(&one())?;
        sel_fp
            .iter()
            .enumerate()
            .map(|(i, s)| s * Fr::from(i as u64))
            .sum::<FpVar<Fr>>()
            .enforce_equal(digits)?;
        let divisor: FpVar<Fr> = sel_fp
            .iter()
            .enumerate()
            .map(|(i, s)| s * Fr::from(10u64.pow(9 - i as u32)))
            .sum();

        // Product slots: rating, rounding, and their parts of the commitments.
        let mut msa_body = header.clone();
        let mut before_body = vec![msa_c.clone()];
        let mut after_body = vec![msa_c.clone()];
        let mut invoice_slots = Vec::with_capacity(3 * shape.products);
        let mut totals = Vec::with_capacity(shape.products);
        let mut subtotal = FpVar::Constant(Fr::from(0u64));
        for s in &a.slots {
            let product = w(s.product)?;
            let model = w(s.model)?;
            let fee = w(s.fee)?;
            let ordered = w(s.ordered)?;
            let table = TierTableVar {
                thresholds: s.thresholds.iter().map(|&v| w(v)).collect::<Result<_, _>>()?,
                prices: s.prices.iter().map(|&v| w(v)).collect::<Result<_, _>>()?,
                cumulative: s.cumulative.iter().map(|&v| w(v)).collect::<Result<_, _>>()?,
            };
            msa_body.extend([product.clone(), model.clone(), fee.clone(), ordered.clone()]);
            msa_body.extend(table.thresholds.iter().cloned());
            msa_body.extend(table.prices.iter().cloned());
            enforce_cumulative(&table)?;

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
            let usage_amount = round_half_up(&usage_nano, &divisor, LINE_DIVISOR_BITS)?;
            let recurring_amount = round_half_up(&recurring_nano, &divisor, LINE_DIVISOR_BITS)?;

            before_body.push(v0);
            after_body.push(v1);
            invoice_slots.extend([
                product,
                ordered,
                &usage_amount + &recurring_amount * shift(64) + &q * shift(128),
            ]);
            subtotal += usage_amount + recurring_amount;
            totals.push(q);
        }
        let msa_salt = w(a.msa_salt)?;
        commit(&cs, tag::MSA, &msa_body, &msa_salt)?.enforce_equal(&msa_c)?;

        // Usage: records range-checked, packed three per element, aggregated into the totals.
        let z = aggregate::challenge(&cs, &usage_c, &before_c, &after_c)?;
        let powers = aggregate::powers(&z, shape.products)?;
        let period_start = w(a.period_start)?;
        let period_end = w(a.period_end)?;
        let mut usage_body = vec![msa_c.clone(), period_start.clone(), period_end.clone()];
        let mut weighted = FpVar::Constant(Fr::from(0u64));
        for chunk in a.records.chunks(RECORDS_PER_ELEMENT) {
            let mut packed = FpVar::Constant(Fr::from(0u64));
            for (i, r) in chunk.iter().enumerate() {
                let slot = w(r.slot)?;
                let slot_bits = enforce_bits(&slot, shape.slot_bits() as usize)?;
                let qty = w(r.quantity)?;
                enforce_bits(&qty, 64)?;
                weighted += aggregate::weighted(&qty, &slot_bits, &powers)?;
                let word = slot + qty * shift(SLOT_PACK_BITS);
                packed += word * shift(RECORD_BITS * i as u32);
            }
            usage_body.push(packed);
        }
        aggregate::enforce_totals(&weighted, &totals, &z)?;
        let usage_salt = w(a.usage_salt)?;
        commit(&cs, tag::USAGE, &usage_body, &usage_salt)?.enforce_equal(&usage_c)?;

        // The period lies within the MSA's validity.
        enforce_bits(&(&period_start - valid_from), 64)?;
        enforce_bits(&(valid_until + one() - &period_end), 64)?;

        // States k and k + 1.
        let k = w(a.index)?;
        before_body.insert(1, k.clone());
        after_body.insert(1, k + one());
        commit(&cs, tag::STATE, &before_body, &w(a.before_salt)?)?.enforce_equal(&before_c)?;
        commit(&cs, tag::STATE, &after_body, &w(a.after_salt)?)?.enforce_equal(&after_c)?;

        // Totals and the invoice.
        enforce_bits(&subtotal, 64)?;
        let tax = round_half_up(
            &(&subtotal * tax_ppm),
            &FpVar::Constant(Fr::from(PPM)),
            TAX_DIVISOR_BITS,
        )?;
        let total = &subtotal + &tax;
        enforce_bits(&total, 64)?;
        let mut invoice_body = vec![
            seller.clone(),
            buyer.clone(),
            msa_id.clone(),
            w(a.number)?,
            period_start,
            period_end.clone(),
            period_end.clone(),
            &period_end + net_days,
            currency.clone(),
            digits.clone(),
            tax_ppm.clone(),
        ];
        invoice_body.extend(invoice_slots);
        invoice_body.extend([subtotal, tax, total]);
        commit(&cs, tag::INVOICE, &invoice_body, &w(a.invoice_salt)?)?.enforce_equal(&invoice_c)?;
        Ok(())
    }
}

/// The statement's constraint count, part by part (each from its gadget's documented cost).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvoiceCost {
    /// Per product slot: cumulative prices, model decoding, two lookups, the usage and
    /// recurring products, two roundings.
    pub per_slot: usize,
    /// Per usage record: slot bits, quantity range check, aggregation weight.
    pub per_record: usize,
    /// The five commitments and the aggregation challenge.
    pub hashing: usize,
    /// Everything else: currency divisor, aggregation powers and totals, validity, tax,
    /// subtotal and total, commitment equalities.
    pub fixed: usize,
}

impl InvoiceCost {
    /// The cost of `shape`.
    pub const fn of(shape: Shape) -> Self {
        let (p, t) = (shape.products, shape.tiers);
        let records = record_capacity(shape);
        let elements = records / RECORDS_PER_ELEMENT;
        // cumulative prices, model decoding (2 booleans, 1 equality), two lookups, price x quantity,
        // the model selection (2), fee x ordered quantity, two roundings.
        let per_slot = tier::cumulative_cost(t)
            + 3
            + 2 * tier::lookup_cost(t)
            + 1
            + 2
            + 1
            + 2 * round::cost(LINE_DIVISOR_BITS);
        let per_record =
            range::cost(shape.slot_bits() as usize) + range::cost(64) + aggregate::weighted_cost(p);
        let hashing = poseidon::commit_cost(10 + p * (4 + 2 * t))
            + poseidon::commit_cost(3 + elements)
            + 2 * poseidon::commit_cost(2 + p)
            + poseidon::commit_cost(11 + 3 * p + 3)
            + poseidon::hash_cost(4, 1);
        let fixed = (MAX_MINOR_DIGITS + 1)
            + 2
            + aggregate::powers_cost(p)
            + aggregate::totals_cost(p)
            + 2 * range::cost(64)
            + range::cost(64)
            + 1
            + round::cost(TAX_DIVISOR_BITS)
            + range::cost(64)
            + 5;
        Self {
            per_slot,
            per_record,
            hashing,
            fixed,
        }
    }

    /// Total constraints for `shape`.
    pub const fn total(&self, shape: Shape) -> usize {
        self.per_slot * shape.products + self.per_record * record_capacity(shape) + self.hashing + self.fixed
    }
}

/// The statement's identifier, recorded in key manifests and proof envelopes.
pub const STATEMENT: &str = "zkinvoice/invoice/v1";

/// SHA-256 over the statement's constraint matrices for `shape` (with the numbers of instance
/// and witness variables): any change to the circuit changes it, so keys made for another
/// version of the circuit are recognised.
pub fn circuit_digest(shape: Shape) -> Result<[u8; 32], SynthesisError> {
    use ark_relations::gr1cs::{ConstraintSystem, SynthesisMode};
    use ark_serialize::CanonicalSerialize;
    use sha2::{Digest, Sha256};

    let cs = ConstraintSystem::<Fr>::new_ref();
    cs.set_mode(SynthesisMode::Setup);
    InvoiceCircuit::blank(shape).generate_constraints(cs.clone())?;
    cs.finalize();
    let mut h = Sha256::new();
    h.update(STATEMENT.as_bytes());
    h.update((cs.num_instance_variables() as u64).to_le_bytes());
    h.update((cs.num_witness_variables() as u64).to_le_bytes());
    let mut buf = Vec::with_capacity(32);
    for (label, matrices) in cs.to_matrices()? {
        h.update((label.len() as u64).to_le_bytes());
        h.update(label.as_bytes());
        for m in matrices {
            h.update((m.len() as u64).to_le_bytes());
            for row in m {
                h.update((row.len() as u64).to_le_bytes());
                for (coeff, index) in row {
                    buf.clear();
                    coeff
                        .serialize_compressed(&mut buf)
                        .map_err(|_| SynthesisError::Unsatisfiable)?;
                    h.update(&buf);
                    h.update((index as u64).to_le_bytes());
                }
            }
        }
    }
    Ok(h.finalize().into())
}
