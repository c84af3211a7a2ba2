//! What the Seller opens to prove one partitioned invoice: the public values and each
//! partition's circuit.

use std::fmt;

use zkinvoice_verifier::partition::{self as public, PartitionedPublic, Tops};

use super::{
    parts,
    salt::{derive, Part},
    PartitionShape,
};
use crate::{
    commit::msa::msa_header_fields,
    encoding::{day_number, id_fe, int_fe},
    native::{aggregate, multiset, ring},
    statement::{
        assignment::{InvoiceOpening, RecordAssignment, SlotAssignment},
        block::{BlockAssignment, BlockCircuit},
        chunk::{ChunkAssignment, ChunkCircuit},
        link::{LinkAssignment, LinkCircuit},
    },
    Error, Fr,
};

/// One partition of an invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartitionId {
    /// Block `j`.
    Block(usize),
    /// Chunk `c`.
    Chunk(usize),
    /// The link.
    Link,
}

impl PartitionId {
    /// The name files are given: `block-3`, `chunk-0`, `link`.
    pub fn file_stem(&self) -> String {
        match self {
            Self::Block(j) => format!("block-{j}"),
            Self::Chunk(c) => format!("chunk-{c}"),
            Self::Link => "link".into(),
        }
    }
}

impl std::str::FromStr for PartitionId {
    type Err = Error;

    /// `block 3`, `block-3`, `chunk 0`, `chunk-0` or `link`.
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::invalid(
                "partition",
                format!("{s:?} is not `block N`, `chunk N` or `link`"),
            )
        };
        if s == "link" {
            return Ok(Self::Link);
        }
        let (kind, n) = s.split_once([' ', '-']).ok_or_else(bad)?;
        let n: usize = n.parse().map_err(|_| bad())?;
        match kind {
            "block" => Ok(Self::Block(n)),
            "chunk" => Ok(Self::Chunk(n)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for PartitionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Block(j) => write!(f, "block {j}"),
            Self::Chunk(c) => write!(f, "chunk {c}"),
            Self::Link => f.write_str("link"),
        }
    }
}

/// One partition's circuit.
#[derive(Clone)]
pub enum PartitionCircuit {
    /// A block.
    Block(BlockCircuit),
    /// A chunk.
    Chunk(ChunkCircuit),
    /// The link.
    Link(LinkCircuit),
}

/// Everything the Seller opens to prove one partitioned invoice: what v1 opens
/// ([`InvoiceOpening`], its fields reachable through `Deref`), under a partition shape.
#[derive(Clone, Copy, Debug)]
pub struct PartitionedOpening<'a> {
    /// The partition shape.
    pub shape: PartitionShape,
    /// The MSA, usage, states and invoice with their salts (the ring masks' seed is derived from
    /// the invoice's salt).
    pub of: InvoiceOpening<'a>,
}

impl<'a> std::ops::Deref for PartitionedOpening<'a> {
    type Target = InvoiceOpening<'a>;

    fn deref(&self) -> &InvoiceOpening<'a> {
        &self.of
    }
}

impl PartitionedOpening<'_> {
    /// `nb`.
    pub fn blocks(&self) -> usize {
        self.shape.blocks(self.msa.products.len())
    }

    /// `nc`.
    pub fn chunks(&self) -> usize {
        self.shape.chunks(self.usage.records.len())
    }

    /// The circuit of partition `id` (`quantities` from [`Self::quantities`]).
    pub fn circuit(
        &self,
        public: &PartitionedPublic,
        z: Fr,
        quantities: &[u128],
        id: PartitionId,
    ) -> PartitionCircuit {
        match id {
            PartitionId::Block(j) => PartitionCircuit::Block(self.block(public, z, quantities, j)),
            PartitionId::Chunk(c) => PartitionCircuit::Chunk(self.chunk(public, z, c)),
            PartitionId::Link => PartitionCircuit::Link(self.link(public)),
        }
    }

    /// Every partition, in canonical order: blocks, chunks, the link.
    pub fn partitions(&self) -> Vec<PartitionId> {
        (0..self.blocks())
            .map(PartitionId::Block)
            .chain((0..self.chunks()).map(PartitionId::Chunk))
            .chain([PartitionId::Link])
            .collect()
    }

    fn seed(&self) -> Fr {
        derive(self.invoice_salt, Part::Seed, 0).to_fe()
    }

    /// The period's quantity of every product slot `0 .. nb·Pb`.
    pub fn quantities(&self) -> Vec<u128> {
        let records = self.usage.records.iter().map(|r| (r.slot, r.quantity));
        aggregate::totals(records, self.blocks() * self.shape.block_products)
    }

    /// The subtotal of block `j`: its products' line amounts.
    fn block_subtotal(&self, slots: &[crate::model::invoice::InvoiceSlot], j: usize) -> u128 {
        let pb = self.shape.block_products;
        slots
            .iter()
            .skip(j * pb)
            .take(pb)
            .map(|s| u128::from(s.usage_amount) + u128::from(s.recurring_amount))
            .sum()
    }

    /// Every public value, computed natively, and the challenge `z`. Refuses inputs that do not
    /// belong together (another MSA's state, an invoice of more products than the MSA).
    pub fn public(&self) -> Result<(PartitionedPublic, Fr), Error> {
        let (msa, shape) = (self.msa, self.shape);
        if self.before.volumes.len() != msa.products.len() || self.after.volumes.len() != msa.products.len() {
            return Err(Error::invalid("state", "the state's products are not the MSA's"));
        }
        let msa_parts = parts::msa_parts(msa, shape, self.msa_salt)?;
        let usage = parts::usage_parts(msa, self.usage, shape, self.usage_salt)?;
        let invoice = parts::invoice_parts(self.invoice, shape, self.invoice_salt)?;
        if self.invoice.slots()?.len() != msa.products.len() {
            return Err(Error::invalid(
                "invoice",
                "the invoice does not bill every product of the MSA",
            ));
        }
        let seed = self.seed();
        let mut p = PartitionedPublic {
            sizes: shape.sizes(),
            msa: msa_parts,
            usage,
            index: self.before.index,
            state_before: parts::state_parts(self.before, shape, self.before_salt),
            state_after: parts::state_parts(self.after, shape, self.after_salt),
            invoice,
            seed: ring::seed_commitment(seed),
            y: Vec::new(),
            w: Vec::new(),
        };
        if self.after.index != self.before.index + 1 {
            return Err(Error::invalid(
                "state",
                "the state after is not the one after the state before",
            ));
        }
        let tops: Tops = p.tops();
        let z = public::challenge(tops.usage, tops.state_before, tops.state_after).ok_or_else(|| {
            Error::invalid(
                "stateAfter",
                "the aggregation challenge falls below 2^16 (probability 2^-239): commit the state after with another salt",
            )
        })?;
        let (nb, nc) = (self.blocks() as u64, self.chunks() as u64);
        let quantities = self.quantities();
        let pb = shape.block_products;
        for j in 0..nb {
            let t: Fr = (0..pb)
                .map(|i| {
                    let slot = j as usize * pb + i;
                    multiset::share(z, slot as u64, quantities[slot])
                })
                .sum();
            p.y.push(ring::aggregation_mask(seed, j, nb + nc) - t);
        }
        for c in 0..nc {
            let s: Fr = parts::chunk_records(self.usage, shape, c as usize)
                .iter()
                .map(|&(slot, q)| multiset::share(z, slot as u64, q))
                .sum();
            p.y.push(s + ring::aggregation_mask(seed, nb + c, nb + nc));
        }
        let slots = self.invoice.slots()?;
        for j in 0..nb {
            let sub = int_fe(self.block_subtotal(&slots, j as usize));
            p.w.push(sub + ring::subtotal_mask(seed, j, nb + 1));
        }
        p.w.push(ring::subtotal_mask(seed, nb, nb + 1) - int_fe(self.invoice.subtotal));
        Ok((p, z))
    }

    /// Block `j`'s circuit, with the quantities of every slot ([`Self::quantities`]).
    pub fn block(&self, public: &PartitionedPublic, z: Fr, quantities: &[u128], j: usize) -> BlockCircuit {
        let pb = self.shape.block_products;
        let slots = (0..pb)
            .map(|i| {
                let slot = j * pb + i;
                let before = self.before.volumes.get(slot).copied().unwrap_or(0);
                SlotAssignment::of(self.msa, self.shape.tiers, slot, before, quantities[slot])
            })
            .collect();
        BlockCircuit {
            public: public.block_inputs(j, z),
            assignment: BlockAssignment {
                shape: self.shape,
                header: msa_header_fields(self.msa),
                head_salt: derive(self.msa_salt, Part::MsaHead, 0).to_fe(),
                slots,
                msa_salt: derive(self.msa_salt, Part::MsaBlock, j).to_fe(),
                index: int_fe(self.before.index),
                before_salt: derive(self.before_salt, Part::StateBlock, j).to_fe(),
                after_salt: derive(self.after_salt, Part::StateBlock, j).to_fe(),
                invoice_salt: derive(self.invoice_salt, Part::InvoiceBlock, j).to_fe(),
                seed: self.seed(),
            },
        }
    }

    /// Chunk `c`'s circuit.
    pub fn chunk(&self, public: &PartitionedPublic, z: Fr, c: usize) -> ChunkCircuit {
        let mut records: Vec<RecordAssignment> = parts::chunk_records(self.usage, self.shape, c)
            .into_iter()
            .map(|(slot, q)| RecordAssignment {
                slot: int_fe(slot as u64),
                quantity: int_fe(q),
            })
            .collect();
        records.resize(
            self.shape.chunk_records,
            RecordAssignment {
                slot: Fr::from(0u64),
                quantity: Fr::from(0u64),
            },
        );
        ChunkCircuit {
            public: public.chunk_inputs(c, z),
            assignment: ChunkAssignment {
                shape: self.shape,
                records,
                salt: derive(self.usage_salt, Part::UsageChunk, c).to_fe(),
                seed: self.seed(),
            },
        }
    }

    /// The link's circuit.
    pub fn link(&self, public: &PartitionedPublic) -> LinkCircuit {
        LinkCircuit {
            public: public.link_inputs(),
            assignment: LinkAssignment {
                header: msa_header_fields(self.msa),
                head_salt: derive(self.msa_salt, Part::MsaHead, 0).to_fe(),
                period_start: int_fe(day_number(self.usage.period.start)),
                period_end: int_fe(day_number(self.usage.period.end)),
                usage_salt: derive(self.usage_salt, Part::UsageHead, 0).to_fe(),
                number: id_fe(&self.invoice.number),
                subtotal: int_fe(self.invoice.subtotal),
                invoice_salt: derive(self.invoice_salt, Part::InvoiceHead, 0).to_fe(),
                seed: self.seed(),
            },
        }
    }
}
