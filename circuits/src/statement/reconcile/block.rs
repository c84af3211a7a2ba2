//! The reconciliation's block statement (`zkinvoice/reconcile-block/v2`): block `j` of two
//! partitioned invoices compared product by product against the MSA's dispute thresholds
//! (`docs/lifecycle.md`, "The reconciliation of partitioned invoices").
//!
//! Public inputs: [`ReconcileBlockPublicInputs`]. The circuit proves that the witness opens
//! `msa_block_j` and both invoices' `invoice_block_j`, each invoice billing the block's product
//! slots in order; that the thresholds' chain steps over the block's products (one conditional
//! step per used slot, as [`crate::commit::msa::product_thresholds_fe`] folds) from the value
//! `chain_in` commits to (the chain's start when `j = 0`) to the value `chain_out` commits to; that
//! neither invoice bills anything in a slot without a product; that `over` holds exactly the block's products over their thresholds (per slot the amounts usage
//! plus recurring, [`crate::gadgets::threshold::over`]); and that each of the four sums (the
//! Seller's usage and recurring charges of the block, the Buyer's) is published masked as `sum +
//! M_r(j) - M_r(j + 1)` under the seed that opens `seed`.
//!
//! Constraint count: [`cost`], per part in `params/costs.csv`.

use ark_r1cs_std::{
    alloc::AllocVar,
    eq::EqGadget,
    fields::{fp::FpVar, FieldVar},
    select::CondSelectGadget,
};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::partition::reconcile::ReconcileBlockPublicInputs;

use super::{unpack_slot, PRODUCT_BITS, UNPACK_SLOT_COST};
use crate::{
    commit::invoice::INVOICE_SLOT_LEN,
    encoding::{tag, tag_fe},
    gadgets::{
        poseidon::{commit, commit_cost, hash, hash_cost},
        ring::{enforce_seed, reconcile_masks, reconcile_masks_cost, seed_cost},
        threshold::{over, over_cost, threshold, threshold_cost, ThresholdVar},
        witness,
    },
    partition::PartitionShape,
    Fr,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/reconcile-block/v2";

/// The block statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ReconcileBlockAssignment {
    /// The partition shape.
    pub shape: PartitionShape,
    /// The body of `msa_block_j` ([`crate::partition::parts::msa_block_fields`]).
    pub msa_slots: Vec<Fr>,
    /// `msa_block_j`'s salt.
    pub msa_salt: Fr,
    /// Per product slot of the block, its threshold's `(flags, amount, share)` (zeros for none).
    pub thresholds: Vec<[Fr; 3]>,
    /// The thresholds' chain before the block's products.
    pub chain_in: Fr,
    /// The salts of the chain's commitments before and after the block.
    pub chain_salts: [Fr; 2],
    /// The Seller's and the Buyer's `invoice_block_j` bodies
    /// ([`crate::partition::parts::invoice_block_fields`]).
    pub invoices: [Vec<Fr>; 2],
    /// Their salts.
    pub invoice_salts: [Fr; 2],
    /// The ring masks' seed.
    pub seed: Fr,
}

impl ReconcileBlockAssignment {
    /// An all-zero assignment, for key generation.
    pub fn blank(shape: PartitionShape) -> Self {
        let zero = Fr::from(0u64);
        let pb = shape.block_products;
        Self {
            shape,
            msa_slots: vec![zero; pb * (4 + 2 * shape.tiers)],
            msa_salt: zero,
            thresholds: vec![[zero; 3]; pb],
            chain_in: zero,
            chain_salts: [zero; 2],
            invoices: [
                vec![zero; pb * INVOICE_SLOT_LEN],
                vec![zero; pb * INVOICE_SLOT_LEN],
            ],
            invoice_salts: [zero; 2],
            seed: zero,
        }
    }

    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = Vec::new();
        for (i, v) in self.msa_slots.iter_mut().enumerate() {
            out.push((format!("msa slots {i}"), v));
        }
        out.push(("msa salt".into(), &mut self.msa_salt));
        for (i, t) in self.thresholds.iter_mut().enumerate() {
            for (k, v) in t.iter_mut().enumerate() {
                out.push((format!("threshold {i}.{k}"), v));
            }
        }
        out.push(("chain in".into(), &mut self.chain_in));
        for (i, v) in self.chain_salts.iter_mut().enumerate() {
            out.push((format!("chain salt {i}"), v));
        }
        for (k, (body, salt)) in self.invoices.iter_mut().zip(&mut self.invoice_salts).enumerate() {
            for (i, v) in body.iter_mut().enumerate() {
                out.push((format!("invoice {k} body {i}"), v));
            }
            out.push((format!("invoice {k} salt"), salt));
        }
        out.push(("seed".into(), &mut self.seed));
        out
    }
}

/// The block statement for one partition shape.
#[derive(Clone)]
pub struct ReconcileBlockCircuit {
    /// The public inputs.
    pub public: ReconcileBlockPublicInputs,
    /// The witness.
    pub assignment: ReconcileBlockAssignment,
}

/// The block statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReconcileBlockCost {
    /// `msa_block_j` opened.
    pub msa_block: usize,
    /// The chain: its two commitments, the start when `j = 0`, per slot the threshold, whether
    /// the slot is used, one step and the selection.
    pub chain: usize,
    /// The two invoice blocks opened: commitments, per slot the product's id, nothing billed in an
    /// empty slot, the amounts.
    pub invoices: usize,
    /// Per slot the comparison (an empty slot's zero amounts are never over), and the `over`
    /// bits.
    pub compare: usize,
    /// The seed opened, the masks of `j` and `j + 1`, the four shares.
    pub ring: usize,
}

impl ReconcileBlockCost {
    /// Total constraints.
    pub const fn total(&self) -> usize {
        self.msa_block + self.chain + self.invoices + self.compare + self.ring
    }
}

/// The block statement's cost for `shape`.
pub const fn cost(shape: PartitionShape) -> ReconcileBlockCost {
    let pb = shape.block_products;
    ReconcileBlockCost {
        msa_block: commit_cost(pb * (4 + 2 * shape.tiers)) + 1,
        // Two commitments and equalities; `j = 0` (2) and the start (1).
        chain: 2 * (commit_cost(1) + 1) + 3 + pb * (threshold_cost() + 2 + hash_cost(4, 0) + 1),
        invoices: 2 * (commit_cost(pb * INVOICE_SLOT_LEN) + 1 + pb * (2 + UNPACK_SLOT_COST)),
        compare: pb * over_cost(PRODUCT_BITS) + 1,
        ring: seed_cost() + 2 * reconcile_masks_cost() + 4,
    }
}

impl ReconcileBlockCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank(shape: PartitionShape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: ReconcileBlockPublicInputs {
                msa_block: zero,
                seller_block: zero,
                buyer_block: zero,
                index: zero,
                chain_in: zero,
                chain_out: zero,
                seed: zero,
                sums: [zero; 4],
                over: zero,
            },
            assignment: ReconcileBlockAssignment::blank(shape),
        }
    }
}

impl ConstraintSynthesizer<Fr> for ReconcileBlockCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let shape = a.shape;
        let [msa_block, seller_block, buyer_block, j, chain_in, chain_out, seed_c, s0, s1, s2, s3, over_pub] =
            self.public
                .to_field_elements()
                .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let w = |v: Fr| witness(&cs, v);
        let zero = FpVar::Constant(Fr::from(0u64));

        // The MSA's block and its products' ids.
        let slot_len = 4 + 2 * shape.tiers;
        let slots = a.msa_slots.iter().map(|v| w(*v)).collect::<Result<Vec<_>, _>>()?;
        commit(&cs, tag::MSA_BLOCK, &slots, &w(a.msa_salt)?)?.enforce_equal(&msa_block?)?;
        let ids: Vec<FpVar<Fr>> = (0..shape.block_products)
            .map(|i| slots[i * slot_len].clone())
            .collect();

        // The thresholds' chain over the block's used slots.
        let j = j?;
        let (used, per_slot) = step_chain(&cs, a, &ids, &j, &chain_in?, &chain_out?)?;

        // The two invoices' blocks: the block's products in order, their amounts.
        let mut amounts = Vec::with_capacity(2);
        for ((body, salt), public) in a
            .invoices
            .iter()
            .zip(&a.invoice_salts)
            .zip([seller_block, buyer_block])
        {
            let b = body.iter().map(|v| w(*v)).collect::<Result<Vec<_>, _>>()?;
            commit(&cs, tag::INVOICE_BLOCK, &b, &w(*salt)?)?.enforce_equal(&public?)?;
            let mut usage = Vec::with_capacity(shape.block_products);
            let mut recurring = Vec::with_capacity(shape.block_products);
            for (i, id) in ids.iter().enumerate() {
                let at = i * INVOICE_SLOT_LEN;
                b[at].enforce_equal(id)?;
                // A slot without a product bills nothing.
                (FpVar::one() - &used[i]).mul_equals(&b[at + 2], &zero)?;
                let (u, r) = unpack_slot(&cs, body[at + 2], &b[at + 2])?;
                usage.push(u);
                recurring.push(r);
            }
            amounts.push((usage, recurring));
        }
        let (s, b) = (&amounts[0], &amounts[1]);

        // The products' verdicts (an empty slot's amounts are zero: never over).
        let mut mask = FpVar::zero();
        let mut bit = Fr::from(1u64);
        for (i, t) in per_slot.iter().enumerate() {
            let o = over(&cs, &(&s.0[i] + &s.1[i]), &(&b.0[i] + &b.1[i]), t, PRODUCT_BITS)?;
            mask += o * bit;
            bit += bit;
        }
        mask.enforce_equal(&over_pub?)?;

        // The four rings.
        let seed = w(a.seed)?;
        enforce_seed(&cs, &seed, &seed_c?)?;
        let here = reconcile_masks(&cs, &seed, &j)?;
        let next = reconcile_masks(&cs, &seed, &(&j + Fr::from(1u64)))?;
        let sum = |v: &[FpVar<Fr>]| v.iter().fold(FpVar::zero(), |acc, x| acc + x);
        let sums = [sum(&s.0), sum(&s.1), sum(&b.0), sum(&b.1)];
        for (r, share) in [s0, s1, s2, s3].into_iter().enumerate() {
            (&sums[r] + &here[r] - &next[r]).enforce_equal(&share?)?;
        }
        Ok(())
    }
}

/// The thresholds' chain over block `j`'s products (`ids`): opens `chain_in` (the chain's start
/// when `j = 0`), steps once per used slot and opens `chain_out` with the result. Returns whether
/// each slot is used and each slot's threshold.
fn step_chain(
    cs: &ConstraintSystemRef<Fr>,
    a: &ReconcileBlockAssignment,
    ids: &[FpVar<Fr>],
    j: &FpVar<Fr>,
    chain_in: &FpVar<Fr>,
    chain_out: &FpVar<Fr>,
) -> Result<(Vec<FpVar<Fr>>, Vec<ThresholdVar>), SynthesisError> {
    let w = |v: Fr| witness(cs, v);
    let mut chain = w(a.chain_in)?;
    commit(
        cs,
        tag::MSA_THRESHOLD_CHAIN,
        std::slice::from_ref(&chain),
        &w(a.chain_salts[0])?,
    )?
    .enforce_equal(chain_in)?;
    let first = j.is_zero()?;
    chain.conditional_enforce_equal(&FpVar::Constant(tag_fe(tag::MSA_THRESHOLDS)), &first)?;
    let zero = FpVar::Constant(Fr::from(0u64));
    let mut used = Vec::with_capacity(ids.len());
    let mut per_slot = Vec::with_capacity(ids.len());
    for (id, fields) in ids.iter().zip(&a.thresholds) {
        let t = threshold(cs, *fields)?;
        let is_used = id.is_neq(&zero)?;
        let mut input = vec![chain.clone()];
        input.extend(t.fields.iter().cloned());
        let next = hash(cs, &input)?;
        chain = FpVar::conditionally_select(&is_used, &next, &chain)?;
        used.push(FpVar::from(is_used));
        per_slot.push(t);
    }
    commit(cs, tag::MSA_THRESHOLD_CHAIN, &[chain], &w(a.chain_salts[1])?)?.enforce_equal(chain_out)?;
    Ok((used, per_slot))
}
