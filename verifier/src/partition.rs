//! Protocol v2: the public side of a partitioned invoice (`docs/protocol.md`, "Partitioned
//! invoices").
//!
//! An invoice of any size is proven by `nb` **block** proofs (each rates a fixed number of
//! products), `nc` **chunk** proofs (each reads a fixed number of usage records) and one **link**
//! proof (the header, subtotal, tax and total). This module holds what a verifier needs without any
//! circuit code:
//!
//! - the typed public inputs of the three statements ([`BlockPublicInputs`],
//!   [`ChunkPublicInputs`], [`LinkPublicInputs`]);
//! - the **tops**: the five anchored commitments are SHA-256 hashes (reduced into the field) of
//!   the partitions' part commitments ([`Tops`], [`top`]), so that anyone, including a contract,
//!   recomputes them from the parts;
//! - the aggregation challenge `z` ([`challenge`]);
//! - [`PartitionedPublic`]: every public value of one invoice, with [`PartitionedPublic::check`]
//!   (the tops open the anchored commitments, the masked sums vanish) and the public inputs of each
//!   proof in canonical order.
//!
//! Why the sums vanish: each block and chunk publishes its share of the aggregation identity
//! `Σ_records qty/(z - slot) = Σ_products q_p/(z - p)` and each block and the link their share of
//! `Σ_blocks subtotal_j = subtotal`, each masked by `a_i - a_next(i)` for a pseudo-random `a_i`
//! derived in-circuit from one committed seed. The masks of a ring cancel, so the shares sum to
//! zero exactly when the identities hold; any proper subset of shares stays masked.

use ark_ff::{BigInteger, PrimeField, Zero};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Fr;

/// Domain tags of the tops and the challenge (SHA-256, so that a contract recomputes them).
pub mod tag {
    /// The MSA commitment of a partitioned bilateral.
    pub const MSA: &str = "zkinvoice/msa/v2";
    /// The usage commitment of a period.
    pub const USAGE: &str = "zkinvoice/usage/v2";
    /// A cumulative-volume state.
    pub const STATE: &str = "zkinvoice/state/v2";
    /// An invoice.
    pub const INVOICE: &str = "zkinvoice/invoice/v2";
    /// The aggregation challenge.
    pub const AGGREGATE: &str = "zkinvoice/aggregate/v2";
}

/// `top(tag, words) = SHA-256(u64be(len tag) || tag || u64be(len words) || words as 32-byte
/// big-endian) mod r`: a binding hash of field elements and integers into one field element.
pub fn top(tag: &str, words: &[Fr]) -> Fr {
    let mut h = Sha256::new();
    h.update((tag.len() as u64).to_be_bytes());
    h.update(tag.as_bytes());
    h.update((words.len() as u64).to_be_bytes());
    for w in words {
        h.update(fr_bytes(w));
    }
    Fr::from_be_bytes_mod_order(&h.finalize())
}

/// A field element as 32 big-endian bytes.
fn fr_bytes(v: &Fr) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(&v.into_bigint().to_bytes_be());
    out
}

/// The partition shape's sizes, hashed into the MSA commitment so that the same data under
/// another shape commits to another value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartitionSizes {
    /// Products per block.
    pub block_products: u64,
    /// Tiers per product.
    pub tiers: u64,
    /// Records per chunk.
    pub chunk_records: u64,
}

/// `msa_commitment = top(MSA, [Pb, T, Uc, msa_head, nb, msa_block_0 ..])`.
pub fn msa_top(sizes: PartitionSizes, head: Fr, blocks: &[Fr]) -> Fr {
    let mut w = vec![
        Fr::from(sizes.block_products),
        Fr::from(sizes.tiers),
        Fr::from(sizes.chunk_records),
        head,
        Fr::from(blocks.len() as u64),
    ];
    w.extend_from_slice(blocks);
    top(tag::MSA, &w)
}

/// `usage_commitment = top(USAGE, [msa_commitment, usage_head, nc, usage_chunk_0 ..])`.
pub fn usage_top(msa: Fr, head: Fr, chunks: &[Fr]) -> Fr {
    let mut w = vec![msa, head, Fr::from(chunks.len() as u64)];
    w.extend_from_slice(chunks);
    top(tag::USAGE, &w)
}

/// `state_k = top(STATE, [msa_commitment, k, nb, state_block_0(k) ..])`.
pub fn state_top(msa: Fr, index: u64, blocks: &[Fr]) -> Fr {
    let mut w = vec![msa, Fr::from(index), Fr::from(blocks.len() as u64)];
    w.extend_from_slice(blocks);
    top(tag::STATE, &w)
}

/// `invoice_commitment = top(INVOICE, [invoice_head, nb, invoice_block_0 ..])` (the head names
/// the parties and the agreement, which the link proves are the MSA's).
pub fn invoice_top(head: Fr, blocks: &[Fr]) -> Fr {
    let mut w = vec![head, Fr::from(blocks.len() as u64)];
    w.extend_from_slice(blocks);
    top(tag::INVOICE, &w)
}

/// Product slots are below `2^16`; `z` must lie above them so that no denominator `z - slot`
/// vanishes.
pub const SLOT_BOUND: u64 = 1 << 16;

/// The aggregation challenge `z = top(AGGREGATE, [usage_commitment, state_before, state_after])`:
/// fixed only after every record and every product's volumes are. `None` in the negligible case
/// `z < 2^16` (a denominator could vanish): such an invoice is refused and must be re-proven with
/// a fresh state salt.
pub fn challenge(usage: Fr, before: Fr, after: Fr) -> Option<Fr> {
    let z = top(tag::AGGREGATE, &[usage, before, after]);
    (z.into_bigint() >= SLOT_BOUND.into()).then_some(z)
}

/// Public inputs of the block statement, in circuit order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BlockPublicInputs {
    /// The MSA header's commitment (the divisor of the currency).
    pub msa_head: Fr,
    /// The block's MSA part.
    pub msa_block: Fr,
    /// The block's part of the state before.
    pub state_before: Fr,
    /// The block's part of the state after.
    pub state_after: Fr,
    /// The block's part of the invoice (its lines).
    pub invoice_block: Fr,
    /// The aggregation challenge.
    pub z: Fr,
    /// The mask seed's commitment.
    pub seed: Fr,
    /// The block's index `j`.
    pub index: Fr,
    /// The block's masked share of the aggregation identity.
    pub y: Fr,
    /// The block's masked subtotal.
    pub w: Fr,
}

impl BlockPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 10;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.msa_head,
            self.msa_block,
            self.state_before,
            self.state_after,
            self.invoice_block,
            self.z,
            self.seed,
            self.index,
            self.y,
            self.w,
        ]
    }
}

/// Public inputs of the chunk statement, in circuit order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChunkPublicInputs {
    /// The chunk's usage part.
    pub usage_chunk: Fr,
    /// The aggregation challenge.
    pub z: Fr,
    /// The mask seed's commitment.
    pub seed: Fr,
    /// The chunk's position in the aggregation ring: `nb + c`.
    pub position: Fr,
    /// Its successor's: `0` for the last chunk, else `nb + c + 1`.
    pub next: Fr,
    /// The chunk's masked share of the aggregation identity.
    pub y: Fr,
}

impl ChunkPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 6;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.usage_chunk,
            self.z,
            self.seed,
            self.position,
            self.next,
            self.y,
        ]
    }
}

/// Public inputs of the link statement, in circuit order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LinkPublicInputs {
    /// The MSA header's commitment.
    pub msa_head: Fr,
    /// The usage header's commitment (the period).
    pub usage_head: Fr,
    /// The invoice header's commitment (number, dates, subtotal, tax, total).
    pub invoice_head: Fr,
    /// The mask seed's commitment.
    pub seed: Fr,
    /// `nb`.
    pub blocks: Fr,
    /// The link's masked share of the subtotal (minus the subtotal).
    pub w: Fr,
}

impl LinkPublicInputs {
    /// Number of public inputs.
    pub const COUNT: usize = 6;

    /// The inputs in circuit order.
    pub fn to_field_elements(&self) -> [Fr; Self::COUNT] {
        [
            self.msa_head,
            self.usage_head,
            self.invoice_head,
            self.seed,
            self.blocks,
            self.w,
        ]
    }
}

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
mod hex_fr {
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
mod hex_frs {
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
            state_after: state_top(msa, self.index + 1, &self.state_after),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tops_are_domain_separated_and_length_bound() {
        let a = [Fr::from(1u64), Fr::from(2u64)];
        assert_ne!(top(tag::MSA, &a), top(tag::USAGE, &a));
        assert_ne!(top(tag::MSA, &a), top(tag::MSA, &a[..1]));
        assert_ne!(top(tag::MSA, &a), top(tag::MSA, &[a[1], a[0]]));
        // A trailing zero is a different list.
        assert_ne!(top(tag::MSA, &a), top(tag::MSA, &[a[0], a[1], Fr::from(0u64)]));
        assert_ne!(state_top(a[0], 1, &a), state_top(a[0], 2, &a));
    }
}

/// The block statement (`zkinvoice/block/v2`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BlockStatement;

/// The chunk statement (`zkinvoice/chunk/v2`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ChunkStatement;

/// The link statement (`zkinvoice/link/v2`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LinkStatement;

impl crate::Statement for BlockStatement {
    const ID: &'static str = "zkinvoice/block/v2";
    const INPUTS: usize = BlockPublicInputs::COUNT;
    type Inputs = BlockPublicInputs;
}

impl crate::Statement for ChunkStatement {
    const ID: &'static str = "zkinvoice/chunk/v2";
    const INPUTS: usize = ChunkPublicInputs::COUNT;
    type Inputs = ChunkPublicInputs;
}

impl crate::Statement for LinkStatement {
    const ID: &'static str = "zkinvoice/link/v2";
    const INPUTS: usize = LinkPublicInputs::COUNT;
    type Inputs = LinkPublicInputs;
}

impl crate::PublicInputs for BlockPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        BlockPublicInputs::to_field_elements(self).to_vec()
    }
}

impl crate::PublicInputs for ChunkPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        ChunkPublicInputs::to_field_elements(self).to_vec()
    }
}

impl crate::PublicInputs for LinkPublicInputs {
    fn to_field_elements(&self) -> Vec<Fr> {
        LinkPublicInputs::to_field_elements(self).to_vec()
    }
}

/// The prepared verifying keys of one partition shape.
#[derive(Clone, Debug)]
pub struct PartitionVerifyingKeys {
    /// The block statement's.
    pub block: crate::PreparedKeyOf<BlockStatement>,
    /// The chunk statement's.
    pub chunk: crate::PreparedKeyOf<ChunkStatement>,
    /// The link statement's.
    pub link: crate::PreparedKeyOf<LinkStatement>,
}

/// The proofs of one partitioned invoice, in index order.
#[derive(Clone, Copy, Debug)]
pub struct PartitionProofRefs<'a> {
    /// Block `j`'s proof at `blocks[j]`.
    pub blocks: &'a [crate::InvoiceProof],
    /// Chunk `c`'s proof at `chunks[c]`.
    pub chunks: &'a [crate::InvoiceProof],
    /// The link's proof.
    pub link: &'a crate::InvoiceProof,
}

/// Why a partitioned invoice is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartitionedError {
    /// The public values do not hold together or do not open the anchored commitments.
    Public(PartitionRefusal),
    /// There are `found` proofs of `what` where `expected` are due.
    ProofCount {
        /// Blocks or chunks.
        what: &'static str,
        /// Proofs due.
        expected: usize,
        /// Proofs found.
        found: usize,
    },
    /// Some proofs do not verify: the partitions, named (`block 0`, `chunk 3`, `link`).
    Proofs(Vec<String>),
    /// A proof could not be checked at all (a key for another number of inputs).
    Verify(crate::VerifyError),
}

impl std::fmt::Display for PartitionedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Public(r) => r.fmt(f),
            Self::ProofCount {
                what,
                expected,
                found,
            } => write!(f, "{found} {what} proofs, {expected} expected"),
            Self::Proofs(bad) => write!(f, "the proofs of {} do not verify", bad.join(", ")),
            Self::Verify(e) => e.fmt(f),
        }
    }
}

/// Verifies a whole partitioned invoice against the five `anchored` commitments: the public check
/// ([`PartitionedPublic::check`]), then every partition's proof against the public inputs the
/// verifier assembles itself, all in one batch across the three keys ([`crate::verify_mixed`]).
pub fn verify_partitioned<R: rand::RngCore + ?Sized>(
    keys: &PartitionVerifyingKeys,
    anchored: &Tops,
    public: &PartitionedPublic,
    proofs: PartitionProofRefs<'_>,
    rng: &mut R,
) -> Result<(), PartitionedError> {
    let z = public.check(anchored).map_err(PartitionedError::Public)?;
    let (nb, nc) = (public.blocks(), public.chunks());
    for (what, expected, found) in [
        ("block", nb, proofs.blocks.len()),
        ("chunk", nc, proofs.chunks.len()),
    ] {
        if expected != found {
            return Err(PartitionedError::ProofCount {
                what,
                expected,
                found,
            });
        }
    }
    let mut items = Vec::with_capacity(nb + nc + 1);
    let mut names = Vec::with_capacity(nb + nc + 1);
    for (j, proof) in proofs.blocks.iter().enumerate() {
        items.push(crate::MixedItem::new(
            &keys.block,
            proof,
            &public.block_inputs(j, z),
        ));
        names.push(format!("block {j}"));
    }
    for (c, proof) in proofs.chunks.iter().enumerate() {
        items.push(crate::MixedItem::new(
            &keys.chunk,
            proof,
            &public.chunk_inputs(c, z),
        ));
        names.push(format!("chunk {c}"));
    }
    items.push(crate::MixedItem::new(
        &keys.link,
        proofs.link,
        &public.link_inputs(),
    ));
    names.push("link".to_string());
    match crate::verify_mixed(&items, rng) {
        Ok(()) => Ok(()),
        Err(crate::VerifyError::BatchInvalid { invalid }) => Err(PartitionedError::Proofs(
            invalid.into_iter().map(|i| names[i].clone()).collect(),
        )),
        Err(e) => Err(PartitionedError::Verify(e)),
    }
}
