//! Verifying a whole partitioned invoice: the public check, then every partition's proof in one
//! batch across the three keys.

use super::{BlockStatement, ChunkStatement, LinkStatement, PartitionRefusal, PartitionedPublic, Tops};

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
