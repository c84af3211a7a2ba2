//! The link statement of protocol v2 (`docs/protocol.md`, "Partitioned invoices").
//!
//! Public inputs: [`LinkPublicInputs`]. The circuit proves that the witness opens `msa_head`,
//! `usage_head` (the period) and `invoice_head`; that the invoice's parties, agreement, currency
//! and tax rate are the MSA's, its bill date the period's end and its due date the end plus the
//! MSA's net days; that the period lies within the MSA's validity; that `tax` and `total` follow
//! from `subtotal` as in v1 (each below `2^64`); and that `w = -subtotal + m_nb - m_0` under the
//! seed that opens `seed` (the link is the last member of the subtotal ring).
//!
//! Constraint count: [`cost`], per part in `params/costs.csv`.

use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::partition::LinkPublicInputs;

use super::invoice::{
    header::{self, header_of},
    period::{self, within_validity},
    totals::{self, totals},
};
use crate::{
    commit::msa::MSA_HEADER_LEN,
    encoding::tag,
    gadgets::{
        poseidon::{commit, commit_cost, hash_cost},
        ring::{self, enforce_seed, mask_pair},
        witness,
    },
    partition::PartitionShape,
    Fr,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/link/v2";

pub use crate::partition::parts::INVOICE_HEAD_LEN;

/// The link statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkAssignment {
    /// The MSA header's fields.
    pub header: [Fr; MSA_HEADER_LEN],
    /// `msa_head`'s salt.
    pub head_salt: Fr,
    /// Period start (day number).
    pub period_start: Fr,
    /// Period end (day number, exclusive).
    pub period_end: Fr,
    /// `usage_head`'s salt.
    pub usage_salt: Fr,
    /// `id_fe(invoice number)`.
    pub number: Fr,
    /// The subtotal (minor units).
    pub subtotal: Fr,
    /// `invoice_head`'s salt.
    pub invoice_salt: Fr,
    /// The ring masks' seed.
    pub seed: Fr,
}

impl LinkAssignment {
    /// An all-zero assignment, for key generation.
    pub fn blank() -> Self {
        let zero = Fr::from(0u64);
        Self {
            header: [zero; MSA_HEADER_LEN],
            head_salt: zero,
            period_start: zero,
            period_end: zero,
            usage_salt: zero,
            number: zero,
            subtotal: zero,
            invoice_salt: zero,
            seed: zero,
        }
    }
}

impl LinkAssignment {
    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = Vec::new();
        for (i, v) in self.header.iter_mut().enumerate() {
            out.push((format!("header {i}"), v));
        }
        out.extend([
            ("head salt".to_string(), &mut self.head_salt),
            ("period start".to_string(), &mut self.period_start),
            ("period end".to_string(), &mut self.period_end),
            ("usage salt".to_string(), &mut self.usage_salt),
            ("number".to_string(), &mut self.number),
            ("subtotal".to_string(), &mut self.subtotal),
            ("invoice salt".to_string(), &mut self.invoice_salt),
            ("seed".to_string(), &mut self.seed),
        ]);
        out
    }
}

/// The link statement (one per partition shape; its size does not depend on the shape).
#[derive(Clone)]
pub struct LinkCircuit {
    /// The public inputs.
    pub public: LinkPublicInputs,
    /// The witness.
    pub assignment: LinkAssignment,
}

/// The link statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkCost {
    /// The header opened.
    pub head: usize,
    /// The usage head opened and the period within the validity.
    pub period: usize,
    /// Subtotal, tax and total.
    pub totals: usize,
    /// The invoice head opened.
    pub invoice_head: usize,
    /// The seed opened, two mask pairs (one at the constant index 0), the share.
    pub ring: usize,
}

impl LinkCost {
    /// Total constraints.
    pub const fn total(&self) -> usize {
        self.head + self.period + self.totals + self.invoice_head + self.ring
    }
}

/// The link statement's cost.
pub const fn cost(shape: PartitionShape) -> LinkCost {
    let s = shape.block_shape();
    LinkCost {
        head: header::cost(s) + commit_cost(MSA_HEADER_LEN) + 1,
        period: commit_cost(2) + 1 + period::cost(s),
        totals: totals::cost(s),
        invoice_head: commit_cost(INVOICE_HEAD_LEN) + 1,
        ring: ring::seed_cost() + ring::mask_pair_cost() + hash_cost(3, 2) + 1,
    }
}

impl LinkCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank() -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: LinkPublicInputs {
                msa_head: zero,
                usage_head: zero,
                invoice_head: zero,
                seed: zero,
                blocks: zero,
                w: zero,
            },
            assignment: LinkAssignment::blank(),
        }
    }
}

impl ConstraintSynthesizer<Fr> for LinkCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let [msa_head, usage_head, invoice_head, seed_c, nb, w_pub] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let w = |v: Fr| witness(&cs, v);

        let h = header_of(&cs, a.header)?;
        commit(&cs, tag::MSA_HEAD, &h.fields(), &w(a.head_salt)?)?.enforce_equal(&msa_head?)?;

        let start = w(a.period_start)?;
        let end = w(a.period_end)?;
        commit(
            &cs,
            tag::USAGE_HEAD,
            &[start.clone(), end.clone()],
            &w(a.usage_salt)?,
        )?
        .enforce_equal(&usage_head?)?;
        within_validity(&h, &start, &end)?;

        let subtotal = w(a.subtotal)?;
        let t = totals(&subtotal, &h.tax_ppm)?;
        let body = [
            h.seller.clone(),
            h.buyer.clone(),
            h.msa_id.clone(),
            w(a.number)?,
            start,
            end.clone(),
            end.clone(),
            &end + &h.net_days,
            h.currency.clone(),
            h.digits.clone(),
            h.tax_ppm.clone(),
            t.subtotal.clone(),
            t.tax.clone(),
            t.total.clone(),
        ];
        commit(&cs, tag::INVOICE_HEAD, &body, &w(a.invoice_salt)?)?.enforce_equal(&invoice_head?)?;

        let seed = w(a.seed)?;
        enforce_seed(&cs, &seed, &seed_c?)?;
        let nb = nb?;
        let (_, m_last) = mask_pair(&cs, &seed, &nb)?;
        let (_, m_0) = mask_pair(&cs, &seed, &FpVar::Constant(Fr::from(0u64)))?;
        (m_last - m_0 - t.subtotal).enforce_equal(&w_pub?)?;
        Ok(())
    }
}
