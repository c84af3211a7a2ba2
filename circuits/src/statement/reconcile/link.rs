//! The reconciliation's link statement (`zkinvoice/reconcile-link/v2`): two partitioned invoices
//! compared per charge kind and in total against the MSA's dispute thresholds
//! (`docs/lifecycle.md`, "The reconciliation of partitioned invoices").
//!
//! Public inputs: [`ReconcileLinkPublicInputs`]. The circuit proves that the witness opens
//! `msa_head` with its terms (dispute thresholds set), the products' thresholds' chain inside them
//! being the value `chain` commits to (the last block's `chain_out`), and both invoices'
//! `invoice_head`s; that both invoices are of the MSA's parties, agreement and currency and of the
//! public period; that `over` holds exactly the kinds and the totals over their thresholds; and
//! that each of the four sums it compares (the Seller's usage and recurring charges, the Buyer's;
//! each below `2^80`) is published as `-sum + M_r(nb) - M_r(0)` under the seed that opens `seed`,
//! so that a ring's shares vanish exactly when the blocks' sums add up to it.
//!
//! Constraint count: [`cost`], per part in `params/costs.csv`.

use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::partition::reconcile::ReconcileLinkPublicInputs;

use super::{terms_text, terms_text_cost, TOTAL_BITS};
use crate::{
    commit::msa::MSA_HEADER_LEN,
    encoding::tag,
    gadgets::{
        poseidon::{commit, commit_cost, hash_cost},
        range,
        ring::{enforce_seed, reconcile_masks, reconcile_masks_cost, seed_cost},
        threshold::{over, over_cost},
        witness,
    },
    partition::parts::INVOICE_HEAD_LEN,
    Fr,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/reconcile-link/v2";

/// The link statement is one circuit for every partition shape; its keys are indexed by
/// [`LINK_SHAPE`], named `link`.
pub const LINK: &str = "link";

/// The shape the link's keys are indexed by where a v1 statement's are by a shape: named [`LINK`],
/// of no products, tiers or records.
pub const LINK_SHAPE: crate::Shape = crate::Shape {
    name: LINK,
    products: 0,
    tiers: 0,
    records: 0,
};

/// Bits of a charge kind's sum over a partitioned invoice (below `2^16` products of amounts below
/// `2^64`).
pub const SUM_BITS: usize = 80;

/// The link statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ReconcileLinkAssignment {
    /// The MSA header's fields ([`crate::commit::msa::msa_header_fields`]) but its text element,
    /// which the circuit recomputes from [`Self::text`], the terms and the chain.
    pub msa_header: [Fr; MSA_HEADER_LEN - 1],
    /// `msa_head`'s salt.
    pub head_salt: Fr,
    /// The element of the MSA's descriptive text inside the terms
    /// ([`crate::commit::msa::msa_inner_text_fe`]).
    pub text: Fr,
    /// The terms' payment fields and the agreed-usage rule's code
    /// ([`crate::commit::msa::msa_terms_fields`] 0-2).
    pub terms: [Fr; 3],
    /// The invoice's, the usage charges' and the recurring charges' thresholds (fields 4-12).
    pub kind_thresholds: [[Fr; 3]; 3],
    /// The products' thresholds' chain (the terms' last field).
    pub chain: Fr,
    /// The salt of its commitment.
    pub chain_salt: Fr,
    /// The Seller's and the Buyer's `invoice_head` bodies
    /// ([`crate::partition::parts::invoice_head_fields`]).
    pub invoices: [[Fr; INVOICE_HEAD_LEN]; 2],
    /// Their salts.
    pub invoice_salts: [Fr; 2],
    /// The four sums: the Seller's usage and recurring charges, the Buyer's.
    pub sums: [Fr; 4],
    /// The ring masks' seed.
    pub seed: Fr,
}

impl ReconcileLinkAssignment {
    /// An all-zero assignment, for key generation.
    pub fn blank() -> Self {
        let zero = Fr::from(0u64);
        Self {
            msa_header: [zero; MSA_HEADER_LEN - 1],
            head_salt: zero,
            text: zero,
            terms: [zero; 3],
            kind_thresholds: [[zero; 3]; 3],
            chain: zero,
            chain_salt: zero,
            invoices: [[zero; INVOICE_HEAD_LEN]; 2],
            invoice_salts: [zero; 2],
            sums: [zero; 4],
            seed: zero,
        }
    }

    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = Vec::new();
        for (i, v) in self.msa_header.iter_mut().enumerate() {
            out.push((format!("msa header {i}"), v));
        }
        out.push(("head salt".into(), &mut self.head_salt));
        out.push(("text".into(), &mut self.text));
        for (i, v) in self.terms.iter_mut().enumerate() {
            out.push((format!("terms {i}"), v));
        }
        for (i, t) in self.kind_thresholds.iter_mut().enumerate() {
            for (k, v) in t.iter_mut().enumerate() {
                out.push((format!("kind threshold {i}.{k}"), v));
            }
        }
        out.push(("chain".into(), &mut self.chain));
        out.push(("chain salt".into(), &mut self.chain_salt));
        for (k, (body, salt)) in self.invoices.iter_mut().zip(&mut self.invoice_salts).enumerate() {
            for (i, v) in body.iter_mut().enumerate() {
                out.push((format!("invoice {k} head {i}"), v));
            }
            out.push((format!("invoice {k} salt"), salt));
        }
        for (i, v) in self.sums.iter_mut().enumerate() {
            out.push((format!("sum {i}"), v));
        }
        out.push(("seed".into(), &mut self.seed));
        out
    }
}

/// The link statement.
#[derive(Clone)]
pub struct ReconcileLinkCircuit {
    /// The public inputs.
    pub public: ReconcileLinkPublicInputs,
    /// The witness.
    pub assignment: ReconcileLinkAssignment,
}

/// The link statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReconcileLinkCost {
    /// `msa_head` opened: the chain's commitment, the kinds' thresholds, the terms and the text
    /// element, the head.
    pub msa: usize,
    /// The two invoice heads opened: commitments, agreement with the MSA (5), the period (2), the
    /// total's range.
    pub invoices: usize,
    /// The four sums' ranges, the three comparisons and the `over` bits.
    pub compare: usize,
    /// The seed opened, the masks of `nb` and 0, the four shares.
    pub ring: usize,
}

impl ReconcileLinkCost {
    /// Total constraints.
    pub const fn total(&self) -> usize {
        self.msa + self.invoices + self.compare + self.ring
    }
}

/// The link statement's cost (the same for every partition shape).
pub const fn cost() -> ReconcileLinkCost {
    ReconcileLinkCost {
        msa: commit_cost(1) + 1 + terms_text_cost() + commit_cost(MSA_HEADER_LEN) + 1,
        invoices: 2 * (commit_cost(INVOICE_HEAD_LEN) + 1 + 5 + 2 + range::cost(TOTAL_BITS)),
        compare: 4 * range::witness_cost(SUM_BITS) + 2 * over_cost(SUM_BITS) + over_cost(TOTAL_BITS) + 1,
        ring: seed_cost() + reconcile_masks_cost() + hash_cost(3, 2) + 4,
    }
}

impl ReconcileLinkCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank() -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: ReconcileLinkPublicInputs {
                msa_head: zero,
                seller_head: zero,
                buyer_head: zero,
                chain: zero,
                seed: zero,
                blocks: zero,
                sums: [zero; 4],
                over: zero,
                period_start: zero,
                period_end: zero,
            },
            assignment: ReconcileLinkAssignment::blank(),
        }
    }
}

impl ConstraintSynthesizer<Fr> for ReconcileLinkCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let [msa_head, seller_head, buyer_head, chain_c, seed_c, nb, s0, s1, s2, s3, over_pub, start, end] =
            self.public
                .to_field_elements()
                .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let w = |v: Fr| witness(&cs, v);

        // The chain, the terms (dispute thresholds present), the text element, the MSA's head.
        let chain = w(a.chain)?;
        commit(
            &cs,
            tag::MSA_THRESHOLD_CHAIN,
            std::slice::from_ref(&chain),
            &w(a.chain_salt)?,
        )?
        .enforce_equal(&chain_c?)?;
        let ([t_invoice, t_usage, t_recurring], text) =
            terms_text(&cs, a.text, a.terms, a.kind_thresholds, chain)?;
        let mut header = a
            .msa_header
            .iter()
            .map(|v| w(*v))
            .collect::<Result<Vec<_>, _>>()?;
        header.push(text);
        commit(&cs, tag::MSA_HEAD, &header, &w(a.head_salt)?)?.enforce_equal(&msa_head?)?;

        // The two invoices' heads: of the MSA and of the public period; their totals.
        let period = [start?, end?];
        let mut totals = Vec::with_capacity(2);
        for ((body, salt), public) in a
            .invoices
            .iter()
            .zip(&a.invoice_salts)
            .zip([seller_head, buyer_head])
        {
            let b = body.iter().map(|v| w(*v)).collect::<Result<Vec<_>, _>>()?;
            commit(&cs, tag::INVOICE_HEAD, &b, &w(*salt)?)?.enforce_equal(&public?)?;
            // Seller, buyer, agreement; currency and its digits.
            for (inv, msa) in [(0, 0), (1, 1), (2, 2), (8, 3), (9, 4)] {
                b[inv].enforce_equal(&header[msa])?;
            }
            b[4].enforce_equal(&period[0])?;
            b[5].enforce_equal(&period[1])?;
            let total = b[INVOICE_HEAD_LEN - 1].clone();
            range::enforce_bits(&total, TOTAL_BITS)?;
            totals.push(total);
        }

        // The sums and the verdicts.
        let sums = a
            .sums
            .iter()
            .map(|v| range::witness_bits(&cs, Ok(*v), SUM_BITS).map(|(x, _)| x))
            .collect::<Result<Vec<_>, _>>()?;
        let usage = over(&cs, &sums[0], &sums[2], &t_usage, SUM_BITS)?;
        let recurring = over(&cs, &sums[1], &sums[3], &t_recurring, SUM_BITS)?;
        let total = over(&cs, &totals[0], &totals[1], &t_invoice, TOTAL_BITS)?;
        (usage + recurring * Fr::from(2u64) + total * Fr::from(4u64)).enforce_equal(&over_pub?)?;

        // The four rings: the link is member `nb`, its successor member 0.
        let seed = w(a.seed)?;
        enforce_seed(&cs, &seed, &seed_c?)?;
        let last = reconcile_masks(&cs, &seed, &nb?)?;
        let first = reconcile_masks(&cs, &seed, &FpVar::Constant(Fr::from(0u64)))?;
        for (r, share) in [s0, s1, s2, s3].into_iter().enumerate() {
            (&last[r] - &first[r] - &sums[r]).enforce_equal(&share?)?;
        }
        Ok(())
    }
}
