//! The typed public inputs of the block, chunk and link statements, and the statements as the
//! generic verifier knows them.

use crate::Fr;

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
