//! The chunk statement of protocol v2 (`docs/protocol.md`, "Partitioned invoices").
//!
//! Public inputs: [`ChunkPublicInputs`]. The circuit proves that the witness records (each slot
//! below `2^16`, each quantity below `2^47`, so that the packing is injective) open `usage_chunk`,
//! and that the chunk's masked share is `y = Σ_r qty_r / (z - slot_r) + a_position - a_next` under
//! the seed that opens `seed`. The verifier supplies `position = nb + c` and `next` (`0` for the
//! last chunk, else `position + 1`): a chunk's proof does not depend on `nb` or `nc` otherwise.
//!
//! Constraint count: [`cost`], per part in `params/costs.csv`.

use ark_r1cs_std::{alloc::AllocVar, eq::EqGadget, fields::fp::FpVar};
use ark_relations::gr1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError};
use zkinvoice_verifier::partition::ChunkPublicInputs;

use super::assignment::RecordAssignment;
use crate::{
    encoding::{shift, tag, QUANTITY_BITS, RECORDS_PER_ELEMENT, RECORD_BITS, SLOT_PACK_BITS},
    gadgets::{
        multiset::{self, share},
        poseidon::{commit, commit_cost},
        range::{self, witness_bits},
        ring::{self, enforce_seed, mask_pair},
        witness,
    },
    partition::PartitionShape,
    Fr,
};

/// The statement's identifier.
pub const STATEMENT: &str = "zkinvoice/chunk/v2";

/// The chunk statement's witness. Secret: it is not `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ChunkAssignment {
    /// The partition shape.
    pub shape: PartitionShape,
    /// The chunk's `Uc` records (padding `(0, 0)`).
    pub records: Vec<RecordAssignment>,
    /// `usage_chunk`'s salt.
    pub salt: Fr,
    /// The ring masks' seed.
    pub seed: Fr,
}

impl ChunkAssignment {
    /// An all-zero assignment, for key generation.
    pub fn blank(shape: PartitionShape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            shape,
            records: vec![
                RecordAssignment {
                    slot: zero,
                    quantity: zero
                };
                shape.chunk_records
            ],
            salt: zero,
            seed: zero,
        }
    }
}

impl ChunkAssignment {
    /// Every assigned value with a label, for tests that change one at a time.
    pub fn values_mut(&mut self) -> Vec<(String, &mut Fr)> {
        let mut out: Vec<(String, &mut Fr)> = vec![
            ("salt".to_string(), &mut self.salt),
            ("seed".to_string(), &mut self.seed),
        ];
        for (i, r) in self.records.iter_mut().enumerate() {
            out.push((format!("record {i} slot"), &mut r.slot));
            out.push((format!("record {i} quantity"), &mut r.quantity));
        }
        out
    }
}

/// The chunk statement for one partition shape.
#[derive(Clone)]
pub struct ChunkCircuit {
    /// The public inputs.
    pub public: ChunkPublicInputs,
    /// The witness.
    pub assignment: ChunkAssignment,
}

/// The chunk statement's constraints, part by part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkCost {
    /// Per record: slot bits, quantity bits, its share.
    pub per_record: usize,
    /// `usage_chunk` opened.
    pub usage_chunk: usize,
    /// The seed opened, two mask pairs, the share.
    pub ring: usize,
}

impl ChunkCost {
    /// Total constraints.
    pub const fn total(&self, shape: PartitionShape) -> usize {
        self.per_record * shape.chunk_records + self.usage_chunk + self.ring
    }
}

/// The chunk statement's cost for `shape`.
pub const fn cost(shape: PartitionShape) -> ChunkCost {
    ChunkCost {
        per_record: range::witness_cost(SLOT_PACK_BITS as usize)
            + range::witness_cost(QUANTITY_BITS as usize)
            + multiset::SHARE_COST,
        usage_chunk: commit_cost(shape.chunk_elements()) + 1,
        ring: ring::seed_cost() + 2 * ring::mask_pair_cost() + 1,
    }
}

impl ChunkCircuit {
    /// The circuit with blank values, for key generation.
    pub fn blank(shape: PartitionShape) -> Self {
        let zero = Fr::from(0u64);
        Self {
            public: ChunkPublicInputs {
                usage_chunk: zero,
                z: zero,
                seed: zero,
                position: zero,
                next: zero,
                y: zero,
            },
            assignment: ChunkAssignment::blank(shape),
        }
    }
}

impl ConstraintSynthesizer<Fr> for ChunkCircuit {
    fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
        let a = &self.assignment;
        let [usage_chunk, z, seed_c, position, next, y] = self
            .public
            .to_field_elements()
            .map(|v| FpVar::new_input(cs.clone(), || Ok(v)));
        let z = z?;
        let w = |v: Fr| witness(&cs, v);

        let mut packed = Vec::with_capacity(a.records.len() / RECORDS_PER_ELEMENT);
        let mut s = FpVar::Constant(Fr::from(0u64));
        for group in a.records.chunks(RECORDS_PER_ELEMENT) {
            let mut element = FpVar::Constant(Fr::from(0u64));
            for (i, r) in group.iter().enumerate() {
                let (slot, _) = witness_bits(&cs, Ok(r.slot), SLOT_PACK_BITS as usize)?;
                let (qty, _) = witness_bits(&cs, Ok(r.quantity), QUANTITY_BITS as usize)?;
                s += share(&z, &slot, &qty)?;
                element += (slot + qty * shift(SLOT_PACK_BITS)) * shift(RECORD_BITS * i as u32);
            }
            packed.push(element);
        }
        commit(&cs, tag::USAGE_CHUNK, &packed, &w(a.salt)?)?.enforce_equal(&usage_chunk?)?;

        let seed = w(a.seed)?;
        enforce_seed(&cs, &seed, &seed_c?)?;
        let (a_i, _) = mask_pair(&cs, &seed, &position?)?;
        let (a_n, _) = mask_pair(&cs, &seed, &next?)?;
        (s + a_i - a_n).enforce_equal(&y?)?;
        Ok(())
    }
}
