//! The block statement of protocol v2 (`docs/protocol.md`, "Partitioned invoices").
//!
//! Public inputs: [`BlockPublicInputs`]. The circuit proves that the witness opens `msa_head` (for
//! the currency's divisor), `msa_block`, both state blocks (at `k` and `k + 1`) and
//! `invoice_block`; that every product slot of the block is rated exactly as the reference rater
//! rates it (the v1 slot gadget, [`crate::statement::invoice::slots`]); and that the block's masked
//! shares are `y = -Σ_i q_i / (z - (j·Pb + i)) + a_j - a_{j+1}` and
//! `w = subtotal_j + m_j - m_{j+1}` under the seed that opens `seed`. Blocks come first in both
//! rings, so member `j`'s successor is always `j + 1` (a chunk follows the last block in the
//! aggregation ring, the link in the subtotal ring): a block needs neither `nb` nor `nc`.
//!
//! Constraint count: [`cost`], per part in `params/costs.csv`.

use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::partition::BlockPublicInputs;

use super::{
    assignment::SlotAssignment,
    invoice::{
        header::{self, header_of},
        slots::{per_slot_cost, rate_slots},
    },
};
use crate::{
    commit::{invoice::INVOICE_SLOT_LEN, msa::MSA_HEADER_LEN},
    encoding::{tag, VOLUMES_PER_ELEMENT},
    gadgets::{
        multiset::{self, share},
        poseidon::{commit, commit_cost},
        ring::{self, enforce_seed, mask_pair},
        tier::pack_volumes,
        witness,
    },
    partition::PartitionShape,
    Fr,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/block/v2";

/// The block statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct BlockAssignment {
    /// The partition shape.
    pub shape: PartitionShape,
    /// The MSA header's fields ([`crate::commit::msa::msa_header_fields`]).
    pub header: [Fr; MSA_HEADER_LEN],
    /// `msa_head`'s salt.
    pub head_salt: Fr,
    /// The block's `Pb` product slots.
    pub slots: Vec<SlotAssignment>,
    /// `msa_block`'s salt.
    pub msa_salt: Fr,
    /// `k` of the state before.
    pub index: Fr,
    /// The state block's salt before.
    pub before_salt: Fr,
    /// The state block's salt after.
    pub after_salt: Fr,
    /// `invoice_block`'s salt.
    pub invoice_salt: Fr,
    /// The ring masks' seed.
    pub seed: Fr,
}

impl BlockAssignment {
    /// An all-zero assignment, for key generation.
    pub fn blank(shape: PartitionShape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            shape,
            header: [zero; MSA_HEADER_LEN],
            head_salt: zero,
            slots: vec![SlotAssignment::blank(shape.tiers); shape.block_products],
            msa_salt: zero,
            index: zero,
            before_salt: zero,
            after_salt: zero,
            invoice_salt: zero,
            seed: zero,
        }
    }
}

impl BlockAssignment {
    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = Vec::new();
        for (i, v) in self.header.iter_mut().enumerate() {
            out.push((format!("header {i}"), v));
        }
        out.extend([
            ("head salt".to_string(), &mut self.head_salt),
            ("msa salt".to_string(), &mut self.msa_salt),
            ("index".to_string(), &mut self.index),
            ("before salt".to_string(), &mut self.before_salt),
            ("after salt".to_string(), &mut self.after_salt),
            ("invoice salt".to_string(), &mut self.invoice_salt),
            ("seed".to_string(), &mut self.seed),
        ]);
        for (i, s) in self.slots.iter_mut().enumerate() {
            out.extend(
                s.values_mut()
                    .into_iter()
                    .map(|(l, v)| (format!("slot {i} {l}"), v)),
            );
        }
        out
    }
}

/// The block statement for one partition shape.
#[derive(Clone)]
pub struct BlockCircuit {
    /// The public inputs.
    pub public: BlockPublicInputs,
    /// The witness.
    pub assignment: BlockAssignment,
}

/// The block statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockCost {
    /// The header opened and the divisor derived.
    pub head: usize,
    /// Per product slot: the v1 rating and its share.
    pub per_slot: usize,
    /// `msa_block` opened.
    pub msa_block: usize,
    /// Both state blocks opened.
    pub states: usize,
    /// `invoice_block` opened.
    pub invoice_block: usize,
    /// The seed opened, two mask pairs, the two shares.
    pub ring: usize,
}

impl BlockCost {
    /// Total constraints.
    pub const fn total(&self, shape: PartitionShape) -> usize {
        self.head
            + self.per_slot * shape.block_products
            + self.msa_block
            + self.states
            + self.invoice_block
            + self.ring
    }
}

/// The block statement's cost for `shape`.
pub const fn cost(shape: PartitionShape) -> BlockCost {
    let pb = shape.block_products;
    BlockCost {
        head: header::cost(shape.block_shape()) + commit_cost(MSA_HEADER_LEN) + 1,
        per_slot: per_slot_cost(shape.block_shape()) + multiset::SHARE_COST,
        msa_block: commit_cost(pb * (4 + 2 * shape.tiers)) + 1,
        states: 2 * (commit_cost(1 + pb.div_ceil(VOLUMES_PER_ELEMENT)) + 1),
        invoice_block: commit_cost(pb * INVOICE_SLOT_LEN) + 1,
        ring: ring::seed_cost() + 2 * ring::mask_pair_cost() + 2,
    }
}

impl BlockCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank(shape: PartitionShape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: BlockPublicInputs {
                msa_head: zero,
                msa_block: zero,
                state_before: zero,
                state_after: zero,
                invoice_block: zero,
                z: zero,
                seed: zero,
                index: zero,
                y: zero,
                w: zero,
            },
            assignment: BlockAssignment::blank(shape),
        }
    }
}

impl ConstraintSynthesizer<Fr> for BlockCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let shape = a.shape;
        let [msa_head, msa_block, state_before, state_after, invoice_block, z, seed_c, j, y, w] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let w_ = |v: Fr| witness(&cs, v);

        // The header: only the currency's divisor is used here.
        let header = header_of(&cs, a.header)?;
        commit(&cs, tag::MSA_HEAD, &header.fields(), &w_(a.head_salt)?)?.enforce_equal(&msa_head?)?;

        let slots = rate_slots(&cs, &a.slots, 4 + 2 * shape.tiers, &header.divisor)?;
        let j = j?;
        let z = z?;
        let base = &j * Fr::from(shape.block_products as u64);
        let mut t = FpVar::Constant(Fr::from(0u64));
        for (i, q) in slots.totals.iter().enumerate() {
            t += share(&z, &(&base + Fr::from(i as u64)), q)?;
        }

        commit(&cs, tag::MSA_BLOCK, &slots.msa_fields, &w_(a.msa_salt)?)?.enforce_equal(&msa_block?)?;
        let k = w_(a.index)?;
        let mut before = vec![k.clone()];
        before.extend(pack_volumes(&slots.before));
        let mut after = vec![k + FpVar::Constant(Fr::from(1u64))];
        after.extend(pack_volumes(&slots.after));
        commit(&cs, tag::STATE_BLOCK, &before, &w_(a.before_salt)?)?.enforce_equal(&state_before?)?;
        commit(&cs, tag::STATE_BLOCK, &after, &w_(a.after_salt)?)?.enforce_equal(&state_after?)?;
        commit(
            &cs,
            tag::INVOICE_BLOCK,
            &slots.invoice_fields,
            &w_(a.invoice_salt)?,
        )?
        .enforce_equal(&invoice_block?)?;

        let seed = w_(a.seed)?;
        enforce_seed(&cs, &seed, &seed_c?)?;
        let (a_j, m_j) = mask_pair(&cs, &seed, &j)?;
        let (a_n, m_n) = mask_pair(&cs, &seed, &(&j + Fr::from(1u64)))?;
        (a_j - a_n - t).enforce_equal(&y?)?;
        (&slots.subtotal + m_j - m_n).enforce_equal(&w?)?;
        Ok(())
    }
}
