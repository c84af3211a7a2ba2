//! The parts of a partitioned bilateral's commitments, natively: each part is a salted Poseidon
//! commitment (the twin the block, chunk and link statements open), and each anchored commitment
//! is the SHA-256 top of its parts ([`zkinvoice_verifier::partition`]).
//!
//! | part | body |
//! | --- | --- |
//! | `msa_head` | the MSA header's 10 fields, as v1 |
//! | `msa_block_j` | products `j·Pb ..` as v1 slots: `(id, model, fee, ordered, T thresholds, T prices)` |
//! | `usage_head` | the period `(start, end)` |
//! | `usage_chunk_c` | records `c·Uc ..` `(slot, quantity)` packed four per element, as v1 |
//! | `state_block_j(k)` | `(k, volumes of products j·Pb ..)`, volumes packed four per element |
//! | `invoice_head` | parties, agreement, number, period, bill and due dates, currency, tax rate, subtotal, tax, total |
//! | `invoice_block_j` | products `j·Pb ..` as v1 invoice slots: `(id, ordered, packed amounts)` |
//!
//! Slots and records beyond the input are zero, as v1 pads a shape.

use zkinvoice_verifier::partition::{self as public, Parts};

use super::{
    salt::{derive, Part},
    PartitionShape,
};
use crate::{
    commit::invoice::{invoice_slot_fields, INVOICE_SLOT_LEN},
    commit::msa::{msa_header_fields, msa_slot_fields},
    commit::scheme::{commit_fields, Commitment, Salt},
    encoding::{day_number, id_fe, int_fe, pack_records, pack_volumes, tag, RECORDS_PER_ELEMENT},
    model::{
        invoice::{Invoice, InvoiceSlot},
        msa::Msa,
        state::VolumeState,
        usage::Usage,
    },
    Error, Fr,
};

/// `msa_head`.
pub fn msa_head(msa: &Msa, salt: &Salt) -> Fr {
    commit_fields(
        tag::MSA_HEAD,
        &msa_header_fields(msa),
        &derive(salt, Part::MsaHead, 0),
    )
    .0
}

/// The body of `msa_block_j`.
pub fn msa_block_fields(msa: &Msa, shape: PartitionShape, j: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(shape.block_products * (4 + 2 * shape.tiers));
    for i in 0..shape.block_products {
        msa_slot_fields(msa, shape.tiers, j * shape.block_products + i, &mut out);
    }
    out
}

/// The MSA's parts: its head and one part per block.
pub fn msa_parts(msa: &Msa, shape: PartitionShape, salt: &Salt) -> Result<Parts, Error> {
    shape.check(msa.need(0))?;
    let nb = shape.blocks(msa.products.len());
    Ok(Parts {
        head: msa_head(msa, salt),
        parts: (0..nb)
            .map(|j| {
                commit_fields(
                    tag::MSA_BLOCK,
                    &msa_block_fields(msa, shape, j),
                    &derive(salt, Part::MsaBlock, j),
                )
                .0
            })
            .collect(),
    })
}

/// The v2 `msa_commitment`.
pub fn msa_commitment(msa: &Msa, shape: PartitionShape, salt: &Salt) -> Result<Commitment, Error> {
    let parts = msa_parts(msa, shape, salt)?;
    Ok(Commitment(public::msa_top(
        shape.sizes(),
        parts.head,
        &parts.parts,
    )))
}

/// The body of `usage_head`: the period's day numbers.
pub fn usage_head_fields(usage: &Usage) -> [Fr; 2] {
    [
        int_fe(day_number(usage.period.start)),
        int_fe(day_number(usage.period.end)),
    ]
}

/// The body of a chunk of `records` `(slot, quantity)`: packed four per element, zero-padded to
/// `Uc` records.
pub fn usage_chunk_fields(records: &[(usize, u64)], shape: PartitionShape) -> Vec<Fr> {
    let mut padded = records.to_vec();
    padded.resize(shape.chunk_records, (0, 0));
    padded.chunks(RECORDS_PER_ELEMENT).map(pack_records).collect()
}

/// Chunk `c` of `usage`'s records `(slot, quantity)`.
pub fn chunk_records(usage: &Usage, shape: PartitionShape, c: usize) -> Vec<(usize, u64)> {
    let start = (c * shape.chunk_records).min(usage.records.len());
    let end = ((c + 1) * shape.chunk_records).min(usage.records.len());
    usage.records[start..end]
        .iter()
        .map(|r| (r.slot, r.quantity))
        .collect()
}

/// The usage's parts: its head and one part per chunk.
pub fn usage_parts(msa: &Msa, usage: &Usage, shape: PartitionShape, salt: &Salt) -> Result<Parts, Error> {
    shape.check(msa.need(usage.records.len()))?;
    let nc = shape.chunks(usage.records.len());
    Ok(Parts {
        head: commit_fields(
            tag::USAGE_HEAD,
            &usage_head_fields(usage),
            &derive(salt, Part::UsageHead, 0),
        )
        .0,
        parts: (0..nc)
            .map(|c| {
                commit_fields(
                    tag::USAGE_CHUNK,
                    &usage_chunk_fields(&chunk_records(usage, shape, c), shape),
                    &derive(salt, Part::UsageChunk, c),
                )
                .0
            })
            .collect(),
    })
}

/// The v2 `usage_commitment`.
pub fn usage_commitment(
    msa_commitment: Commitment,
    msa: &Msa,
    usage: &Usage,
    shape: PartitionShape,
    salt: &Salt,
) -> Result<Commitment, Error> {
    let parts = usage_parts(msa, usage, shape, salt)?;
    Ok(Commitment(public::usage_top(
        msa_commitment.0,
        parts.head,
        &parts.parts,
    )))
}

/// The body of `state_block_j(k)`: `k` and the volumes of block `j`'s products (zero beyond the
/// state's), packed four per element as v1 packs them. The volumes are below `2^63`
/// ([`VolumeState::check`]).
pub fn state_block_fields(state: &VolumeState, shape: PartitionShape, j: usize) -> Vec<Fr> {
    let volumes: Vec<u64> = (0..shape.block_products)
        .map(|i| {
            state
                .volumes
                .get(j * shape.block_products + i)
                .copied()
                .unwrap_or(0)
        })
        .collect();
    let mut out = vec![int_fe(state.index)];
    out.extend(pack_volumes(&volumes));
    out
}

/// A state's parts `state_block_j(k)`, one per block.
pub fn state_parts(state: &VolumeState, shape: PartitionShape, salt: &Salt) -> Vec<Fr> {
    (0..shape.blocks(state.volumes.len()))
        .map(|j| {
            commit_fields(
                tag::STATE_BLOCK,
                &state_block_fields(state, shape, j),
                &derive(salt, Part::StateBlock, j),
            )
            .0
        })
        .collect()
}

/// The v2 `state_k`.
pub fn state_commitment(
    msa_commitment: Commitment,
    state: &VolumeState,
    shape: PartitionShape,
    salt: &Salt,
) -> Commitment {
    Commitment(public::state_top(
        msa_commitment.0,
        state.index,
        &state_parts(state, shape, salt),
    ))
}

/// Fields of `invoice_head`'s body.
pub const INVOICE_HEAD_LEN: usize = 14;

/// The body of `invoice_head` ([`INVOICE_HEAD_LEN`] fields).
pub fn invoice_head_fields(invoice: &Invoice) -> Vec<Fr> {
    vec![
        id_fe(&invoice.seller_id),
        id_fe(&invoice.buyer_id),
        id_fe(&invoice.msa_id),
        id_fe(&invoice.number),
        int_fe(day_number(invoice.period.start)),
        int_fe(day_number(invoice.period.end)),
        int_fe(day_number(invoice.issue_date)),
        int_fe(day_number(invoice.due_date)),
        int_fe(invoice.currency.numeric()),
        int_fe(invoice.currency.minor_digits()),
        int_fe(invoice.tax_ppm),
        int_fe(invoice.subtotal),
        int_fe(invoice.tax),
        int_fe(invoice.total),
    ]
}

/// The body of `invoice_block_j`: the invoice's slots `j·Pb ..` ([`invoice_slot_fields`], zeros
/// beyond its slots).
pub fn invoice_block_fields(slots: &[InvoiceSlot], shape: PartitionShape, j: usize) -> Vec<Fr> {
    let mut body = Vec::with_capacity(INVOICE_SLOT_LEN * shape.block_products);
    for i in 0..shape.block_products {
        invoice_slot_fields(slots.get(j * shape.block_products + i), &mut body);
    }
    body
}

/// The invoice's parts: its head and one part per block of lines (the invoice bills every product
/// of the MSA, in slot order: at least one line each).
pub fn invoice_parts(invoice: &Invoice, shape: PartitionShape, salt: &Salt) -> Result<Parts, Error> {
    let slots = invoice.slots()?;
    let nb = shape.blocks(slots.len());
    Ok(Parts {
        head: commit_fields(
            tag::INVOICE_HEAD,
            &invoice_head_fields(invoice),
            &derive(salt, Part::InvoiceHead, 0),
        )
        .0,
        parts: (0..nb)
            .map(|j| {
                commit_fields(
                    tag::INVOICE_BLOCK,
                    &invoice_block_fields(&slots, shape, j),
                    &derive(salt, Part::InvoiceBlock, j),
                )
                .0
            })
            .collect(),
    })
}

/// The v2 `invoice_commitment`.
pub fn invoice_commitment(
    invoice: &Invoice,
    shape: PartitionShape,
    salt: &Salt,
) -> Result<Commitment, Error> {
    let parts = invoice_parts(invoice, shape, salt)?;
    Ok(Commitment(public::invoice_top(parts.head, &parts.parts)))
}
