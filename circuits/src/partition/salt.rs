//! The salts of a partitioned commitment's parts, derived from the one salt each document already
//! carries: `SHA-256("zkinvoice/salt/v2" || label || u64be(index) || salt)`, first 31 bytes.
//!
//! Every part is hiding on its own (each has its own pseudo-random salt), and the files and
//! envelopes keep one salt per document as in v1.

use sha2::{Digest, Sha256};

use crate::commit::scheme::{Salt, SALT_BYTES};

/// Which part a derived salt belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The MSA header.
    MsaHead,
    /// A block of the MSA's products.
    MsaBlock,
    /// The usage header.
    UsageHead,
    /// A chunk of usage records.
    UsageChunk,
    /// A block of a state's volumes.
    StateBlock,
    /// The invoice header.
    InvoiceHead,
    /// A block of the invoice's lines.
    InvoiceBlock,
    /// The ring masks' seed (derived from the invoice's salt).
    Seed,
    /// A commitment to the products' thresholds' chain after `index` blocks (derived from the
    /// MSA's salt).
    ThresholdChain,
}

impl Part {
    fn label(self) -> &'static [u8] {
        match self {
            Part::MsaHead => b"msa-head",
            Part::MsaBlock => b"msa-block",
            Part::UsageHead => b"usage-head",
            Part::UsageChunk => b"usage-chunk",
            Part::StateBlock => b"state-block",
            Part::InvoiceHead => b"invoice-head",
            Part::InvoiceBlock => b"invoice-block",
            Part::Seed => b"seed",
            Part::ThresholdChain => b"threshold-chain",
        }
    }
}

/// The salt of part `part` number `index` under the document salt `salt`.
pub fn derive(salt: &Salt, part: Part, index: usize) -> Salt {
    let mut h = Sha256::new();
    h.update(b"zkinvoice/salt/v2");
    let label = part.label();
    h.update((label.len() as u64).to_be_bytes());
    h.update(label);
    h.update((index as u64).to_be_bytes());
    h.update(salt.as_bytes());
    let d = h.finalize();
    let mut out = [0u8; SALT_BYTES];
    out.copy_from_slice(&d[..SALT_BYTES]);
    Salt::from_bytes(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_salts_differ_per_part_and_index() {
        let s = Salt::from_bytes([1; SALT_BYTES]);
        assert_ne!(derive(&s, Part::MsaBlock, 0), derive(&s, Part::MsaBlock, 1));
        assert_ne!(derive(&s, Part::MsaBlock, 0), derive(&s, Part::StateBlock, 0));
        assert_ne!(
            derive(&s, Part::MsaBlock, 0),
            derive(&Salt::from_bytes([2; SALT_BYTES]), Part::MsaBlock, 0)
        );
    }
}
