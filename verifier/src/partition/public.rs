//! Every public value of one partitioned invoice, its JSON form, and the check that the values
//! hold together and open the anchored commitments.

use ark_ff::Zero;
use serde::{Deserialize, Serialize};

use super::{
    challenge, invoice_top, msa_top, state_top, usage_top, BlockPublicInputs, ChunkPublicInputs,
    LinkPublicInputs, PartitionSizes,
};
use crate::Fr;

/// The parts one top commitment is made of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parts {
    /// The header's commitment.
    #[serde(with = "hex_fr")]
    pub head: Fr,
    /// One part per block or chunk, in index order.
    #[serde(with = "hex_frs")]
    pub parts: Vec<Fr>,
}

/// Serde of a field element as `0x` and 64 hex digits.
pub(super) mod hex_fr {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::Fr;

    pub fn serialize<S: Serializer>(v: &Fr, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::fr_to_hex(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Fr, D::Error> {
        let text = String::deserialize(d)?;
        crate::fr_from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// Serde of a list of field elements.
pub(super) mod hex_frs {
    use serde::{ser::SerializeSeq, Deserialize, Deserializer, Serializer};

    use crate::Fr;

    pub fn serialize<S: Serializer>(v: &[Fr], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for x in v {
            seq.serialize_element(&crate::fr_to_hex(x))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Fr>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|t| crate::fr_from_hex(t).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// Every public value of one partitioned invoice: what an envelope carries beside the proofs.
///
/// JSON: an object with camelCase keys (`sizes: {blockProducts, tiers, chunkRecords}`, `msa:
/// {head, parts}`, `usage`, `index`, `stateBefore`, `stateAfter`, `invoice`, `seed`, `y`, `w`),
/// every field element `0x` and 64 hex digits as [`crate::fr_to_hex`] writes it; unknown keys are
/// refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartitionedPublic {
    /// The partition shape's sizes.
    pub sizes: PartitionSizes,
    /// `msa_head` and `msa_block_j`.
    pub msa: Parts,
    /// `usage_head` and `usage_chunk_c`.
    pub usage: Parts,
    /// `k` of the state before (the state after has `k + 1`).
    pub index: u64,
    /// `state_block_j(k)`.
    #[serde(with = "hex_frs")]
    pub state_before: Vec<Fr>,
    /// `state_block_j(k + 1)`.
    #[serde(with = "hex_frs")]
    pub state_after: Vec<Fr>,
    /// `invoice_head` and `invoice_block_j`.
    pub invoice: Parts,
    /// The mask seed's commitment.
    #[serde(with = "hex_fr")]
    pub seed: Fr,
    /// Masked aggregation shares: blocks, then chunks.
    #[serde(with = "hex_frs")]
    pub y: Vec<Fr>,
    /// Masked subtotal shares: blocks, then the link.
    #[serde(with = "hex_frs")]
    pub w: Vec<Fr>,
}

/// The five anchored commitments of a partitioned invoice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Tops {
    /// `msa_commitment`.
    pub msa: Fr,
    /// `usage_commitment`.
    pub usage: Fr,
    /// `state_before`.
    pub state_before: Fr,
    /// `state_after`.
    pub state_after: Fr,
    /// `invoice_commitment`.
    pub invoice: Fr,
}

/// Why the public values of a partitioned invoice do not hold together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartitionRefusal {
    /// The lists disagree in length: `what` has `found` entries, `expected` were due.
    Count {
        /// Which list.
        what: &'static str,
        /// Entries due.
        expected: usize,
        /// Entries found.
        found: usize,
    },
    /// An invoice has at least one block and one chunk.
    Empty,
    /// The state before's index is the largest: no state can follow it.
    Index,
    /// A top recomputed from the parts is not the anchored commitment.
    Top(&'static str),
    /// The challenge falls below `2^16`.
    Challenge,
    /// The masked aggregation shares do not sum to zero: the records do not sum to the
    /// products' quantities.
    Aggregation,
    /// The masked subtotal shares do not sum to zero: the blocks' subtotals do not sum to the
    /// invoice's subtotal.
    Subtotal,
}

impl std::fmt::Display for PartitionRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Count {
                what,
                expected,
                found,
            } => write!(f, "{what} has {found} entries, {expected} expected"),
            Self::Empty => f.write_str("an invoice has at least one block and one chunk"),
            Self::Index => f.write_str("the state index 2^64 - 1 has no successor"),
            Self::Top(what) => write!(f, "the parts do not open the anchored {what}"),
            Self::Challenge => f.write_str("the aggregation challenge is below 2^16"),
            Self::Aggregation => {
                f.write_str("the aggregation shares do not sum to zero (records and quantities differ)")
            }
            Self::Subtotal => {
                f.write_str("the subtotal shares do not sum to zero (blocks and subtotal differ)")
            }
        }
    }
}

impl PartitionedPublic {
    /// `nb`.
    pub fn blocks(&self) -> usize {
        self.msa.parts.len()
    }

    /// `nc`.
    pub fn chunks(&self) -> usize {
        self.usage.parts.len()
    }

    /// The tops these parts make.
    pub fn tops(&self) -> Tops {
        let msa = msa_top(self.sizes, self.msa.head, &self.msa.parts);
        Tops {
            msa,
            usage: usage_top(msa, self.usage.head, &self.usage.parts),
            state_before: state_top(msa, self.index, &self.state_before),
            // `check` refuses an index without a successor; wrapping keeps `tops` total.
            state_after: state_top(msa, self.index.wrapping_add(1), &self.state_after),
            invoice: invoice_top(self.invoice.head, &self.invoice.parts),
        }
    }

    /// Checks the values hold together and open `anchored`; returns `z`.
    ///
    /// Every list has its due length (`nb` blocks, `nc` chunks, `nb + nc` aggregation shares,
    /// `nb + 1` subtotal shares), the tops recomputed from the parts are the anchored commitments
    /// (so no part can come from another invoice, period, bilateral or state), `z` is derived from
    /// them, and both masked sums vanish. The proofs are checked separately, against the public
    /// inputs [`Self::block_inputs`], [`Self::chunk_inputs`] and [`Self::link_inputs`] give.
    pub fn check(&self, anchored: &Tops) -> Result<Fr, PartitionRefusal> {
        let (nb, nc) = (self.blocks(), self.chunks());
        if nb == 0 || nc == 0 {
            return Err(PartitionRefusal::Empty);
        }
        if self.index == u64::MAX {
            return Err(PartitionRefusal::Index);
        }
        for (what, expected, found) in [
            ("stateBefore", nb, self.state_before.len()),
            ("stateAfter", nb, self.state_after.len()),
            ("invoice", nb, self.invoice.parts.len()),
            ("y", nb + nc, self.y.len()),
            ("w", nb + 1, self.w.len()),
        ] {
            if expected != found {
                return Err(PartitionRefusal::Count {
                    what,
                    expected,
                    found,
                });
            }
        }
        let tops = self.tops();
        for (what, a, b) in [
            ("MSA commitment", tops.msa, anchored.msa),
            ("usage commitment", tops.usage, anchored.usage),
            ("state before", tops.state_before, anchored.state_before),
            ("state after", tops.state_after, anchored.state_after),
            ("invoice commitment", tops.invoice, anchored.invoice),
        ] {
            if a != b {
                return Err(PartitionRefusal::Top(what));
            }
        }
        let z =
            challenge(tops.usage, tops.state_before, tops.state_after).ok_or(PartitionRefusal::Challenge)?;
        if !self.y.iter().sum::<Fr>().is_zero() {
            return Err(PartitionRefusal::Aggregation);
        }
        if !self.w.iter().sum::<Fr>().is_zero() {
            return Err(PartitionRefusal::Subtotal);
        }
        Ok(z)
    }

    /// The public inputs of block `j` under challenge `z` (the caller has checked the lengths).
    pub fn block_inputs(&self, j: usize, z: Fr) -> BlockPublicInputs {
        BlockPublicInputs {
            msa_head: self.msa.head,
            msa_block: self.msa.parts[j],
            state_before: self.state_before[j],
            state_after: self.state_after[j],
            invoice_block: self.invoice.parts[j],
            z,
            seed: self.seed,
            index: Fr::from(j as u64),
            y: self.y[j],
            w: self.w[j],
        }
    }

    /// The public inputs of chunk `c` under challenge `z` (the caller has checked the lengths).
    pub fn chunk_inputs(&self, c: usize, z: Fr) -> ChunkPublicInputs {
        let nb = self.blocks();
        ChunkPublicInputs {
            usage_chunk: self.usage.parts[c],
            z,
            seed: self.seed,
            position: Fr::from((nb + c) as u64),
            next: Fr::from(if c + 1 == self.chunks() {
                0
            } else {
                (nb + c + 1) as u64
            }),
            y: self.y[nb + c],
        }
    }

    /// The public inputs of the link (the caller has checked the lengths).
    pub fn link_inputs(&self) -> LinkPublicInputs {
        LinkPublicInputs {
            msa_head: self.msa.head,
            usage_head: self.usage.head,
            invoice_head: self.invoice.head,
            seed: self.seed,
            blocks: Fr::from(self.blocks() as u64),
            w: self.w[self.blocks()],
        }
    }
}
