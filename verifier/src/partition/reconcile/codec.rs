//! A reconciliation of partitioned invoices as bytes ([`PartitionedReconcileProof`]): every public
//! value and every proof, what an anchor entry carries (base64) where a v1 reconciliation carries
//! its one proof.
//!
//! Layout (integers big-endian; field elements and proofs in arkworks' compressed encoding,
//! validated and canonical):
//!
//! ```text
//! "zkinvoice/reconcile/v2"                          22 bytes (MAGIC)
//! blockProducts, tiers, chunkRecords                3 × u64
//! periodStart, periodEnd                            2 × u64 (days since 1970-01-01)
//! nb                                                u32
//! over                                              u8: bit 0 usage, 1 recurring, 2 total
//! productsOver                                      ceil(nb · Pb / 8) bytes, slot i at bit i % 8
//!                                                   of byte i / 8; the bits past nb · Pb zero
//! msa.head, msa.parts[nb]                           (1 + nb) × 32
//! seller.head, seller.parts[nb]                     (1 + nb) × 32
//! buyer.head, buyer.parts[nb]                       (1 + nb) × 32
//! chains[nb + 1], seed                              (nb + 2) × 32
//! sums: 4 rings × (nb + 1) shares                   4 (nb + 1) × 32
//! proofs: blocks[nb], link                          (nb + 1) × 192
//! ```
//!
//! The length is fixed by `nb` and `Pb` and checked before anything is allocated (`nb` and `Pb`
//! each at most `2^16`); trailing bytes, unknown verdict bits and set padding bits are refused.

use ark_serialize::CanonicalSerialize;

use super::{PartitionedReconcilePublic, Shares};
use crate::{
    partition::{
        codec::{Reader, FR},
        PartitionSizes, Parts, SLOT_BOUND,
    },
    Fr, InvoiceProof, VerifyError, PROOF_BYTES,
};

/// The first bytes of an encoded [`PartitionedReconcileProof`].
pub const MAGIC: &[u8] = b"zkinvoice/reconcile/v2";

const HEADER: usize = MAGIC.len() + 5 * 8 + 4 + 1;

/// The proofs of one reconciliation of partitioned invoices (JSON: `{blocks, link}`, each proof
/// base64 of its 192 compressed bytes; unknown fields refused).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReconcileProofs {
    /// Block `j`'s proof at `blocks[j]`.
    pub blocks: Vec<InvoiceProof>,
    /// The link's proof.
    pub link: InvoiceProof,
}

/// A reconciliation of partitioned invoices: every public value and every proof.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionedReconcileProof {
    /// The public values.
    pub public: PartitionedReconcilePublic,
    /// The proofs.
    pub proofs: ReconcileProofs,
}

/// The encoded length for `nb` blocks of `pb` products.
fn encoded_len(nb: usize, pb: usize) -> Option<usize> {
    let bits = nb.checked_mul(pb)?.div_ceil(8);
    let frs = 3 * (1 + nb) + (nb + 2) + 4 * (nb + 1);
    let proofs = nb.checked_add(1)?.checked_mul(PROOF_BYTES)?;
    HEADER
        .checked_add(bits)?
        .checked_add(frs.checked_mul(FR)?)?
        .checked_add(proofs)
}

impl PartitionedReconcileProof {
    /// The encoding described in the module's documentation (the caller has checked that the
    /// lists have their lengths, [`PartitionedReconcilePublic::check`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let p = &self.public;
        let nb = p.blocks();
        let pb = p.sizes.block_products as usize;
        let mut out = Vec::with_capacity(encoded_len(nb, pb).unwrap_or(0));
        out.extend_from_slice(MAGIC);
        for v in [
            p.sizes.block_products,
            p.sizes.tiers,
            p.sizes.chunk_records,
            p.period_start,
            p.period_end,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&(nb as u32).to_be_bytes());
        out.push(u8::from(p.usage_over) | u8::from(p.recurring_over) << 1 | u8::from(p.total_over) << 2);
        let mut bits = vec![0u8; p.products_over.len().div_ceil(8)];
        for (i, &o) in p.products_over.iter().enumerate() {
            bits[i / 8] |= u8::from(o) << (i % 8);
        }
        out.extend_from_slice(&bits);
        let mut frs = |list: &[Fr]| {
            for x in list {
                // Writing into a `Vec` cannot fail.
                let _ = x.serialize_compressed(&mut out);
            }
        };
        for parts in [&p.msa, &p.seller, &p.buyer] {
            frs(&[parts.head]);
            frs(&parts.parts);
        }
        frs(&p.chains);
        frs(&[p.seed]);
        for ring in &p.sums {
            frs(&ring.0);
        }
        for proof in &self.proofs.blocks {
            out.extend_from_slice(&proof.to_bytes());
        }
        out.extend_from_slice(&self.proofs.link.to_bytes());
        out
    }

    /// Decodes [`Self::to_bytes`]'s encoding: the magic, then a length exactly what `nb` and `Pb`
    /// make it (checked before reading on), the verdict's bits, every field element below the
    /// modulus and every proof's points valid ([`VerifyError::Malformed`], naming the value).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        let h = Header::read(bytes)?;
        let nb = h.nb;
        let mut r = Reader {
            bytes: &bytes[h.body..],
            at: h.body,
            doc: "reconciliation proof",
        };
        let mut parts = |what: &str| -> Result<Parts, VerifyError> {
            Ok(Parts {
                head: r.fr(&format!("{what}.head"))?,
                parts: r.frs(&format!("{what}.parts"), nb)?,
            })
        };
        let (msa, seller, buyer) = (parts("msa")?, parts("seller")?, parts("buyer")?);
        let chains = r.frs("chains", nb + 1)?;
        let seed = r.fr("seed")?;
        let mut sums = Vec::with_capacity(4);
        for ring in 0..4 {
            sums.push(Shares(r.frs(&format!("sums[{ring}]"), nb + 1)?));
        }
        let blocks = r.proofs("block", nb)?;
        let link = r.proof("link")?;
        let sums: [Shares; 4] = sums.try_into().expect("four rings");
        Ok(Self {
            public: PartitionedReconcilePublic {
                sizes: h.sizes,
                msa,
                seller,
                buyer,
                chains,
                seed,
                sums,
                products_over: h.products_over,
                usage_over: h.over & 1 == 1,
                recurring_over: h.over & 2 == 2,
                total_over: h.over & 4 == 4,
                period_start: h.period[0],
                period_end: h.period[1],
            },
            proofs: ReconcileProofs { blocks, link },
        })
    }

    /// The base64 text form of [`Self::to_bytes`] (standard alphabet, padded): an entry's
    /// `proof`.
    pub fn to_base64(&self) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(self.to_bytes())
    }

    /// Decodes [`Self::to_base64`].
    pub fn from_base64(text: &str) -> Result<Self, VerifyError> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|e| VerifyError::malformed("reconciliation proof", format!("not base64 ({e})")))?;
        Self::from_bytes(&bytes)
    }

    /// [`PartitionedReconcilePublic::verify_proofs`] of these proofs.
    pub fn verify(
        &self,
        keys: &super::PreparedReconcileKeys,
        anchored: &super::ReconcileTops,
    ) -> Result<(), ReconcileProofError> {
        self.public.verify_proofs(&self.proofs, keys, anchored)
    }
}

impl PartitionedReconcilePublic {
    /// Verifies `proofs` against these public values under `keys`, after the values are checked
    /// against the `anchored` commitments ([`PartitionedReconcilePublic::check`]): one proof per
    /// block, each against its inputs, then the link's. Returns which failed.
    pub fn verify_proofs(
        &self,
        proofs: &ReconcileProofs,
        keys: &super::PreparedReconcileKeys,
        anchored: &super::ReconcileTops,
    ) -> Result<(), ReconcileProofError> {
        self.check(anchored).map_err(ReconcileProofError::Public)?;
        let nb = self.blocks();
        if proofs.blocks.len() != nb {
            return Err(ReconcileProofError::Count {
                expected: nb,
                found: proofs.blocks.len(),
            });
        }
        for (j, proof) in proofs.blocks.iter().enumerate() {
            crate::verify(&keys.block, proof, &self.block_inputs(j))
                .map_err(|e| ReconcileProofError::Block(j, e))?;
        }
        crate::verify(&keys.link, &proofs.link, &self.link_inputs()).map_err(ReconcileProofError::Link)
    }
}

/// Why a reconciliation of partitioned invoices does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReconcileProofError {
    /// The public values do not hold together or do not open the anchored commitments.
    Public(super::ReconcileRefusal),
    /// Not one block proof per block.
    Count {
        /// Blocks.
        expected: usize,
        /// Block proofs.
        found: usize,
    },
    /// Block `j`'s proof does not verify.
    Block(usize, VerifyError),
    /// The link's proof does not verify.
    Link(VerifyError),
}

impl std::fmt::Display for ReconcileProofError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Public(r) => write!(f, "the public values: {r}"),
            Self::Count { expected, found } => {
                write!(f, "{found} block proofs, one per block ({expected}) expected")
            }
            Self::Block(j, e) => write!(f, "block {j}'s proof: {e}"),
            Self::Link(e) => write!(f, "the link's proof: {e}"),
        }
    }
}

impl std::error::Error for ReconcileProofError {}

/// The encoding's header and verdict, read and checked against the whole length.
struct Header {
    sizes: PartitionSizes,
    period: [u64; 2],
    nb: usize,
    over: u8,
    products_over: Vec<bool>,
    /// Where the field elements start.
    body: usize,
}

impl Header {
    fn read(bytes: &[u8]) -> Result<Self, VerifyError> {
        let bad = |what: &str, reason: String| {
            VerifyError::malformed(format!("reconciliation proof: {what}"), reason)
        };
        let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| {
            bad(
                "magic",
                format!("does not start with {:?}", String::from_utf8_lossy(MAGIC)),
            )
        })?;
        if bytes.len() < HEADER {
            return Err(bad(
                "header",
                format!("{} bytes, at least {HEADER} expected", bytes.len()),
            ));
        }
        let u64_at = |i: usize| u64::from_be_bytes(rest[8 * i..8 * i + 8].try_into().expect("8 bytes"));
        let sizes = PartitionSizes {
            block_products: u64_at(0),
            tiers: u64_at(1),
            chunk_records: u64_at(2),
        };
        let nb = u32::from_be_bytes(rest[40..44].try_into().expect("4 bytes")) as usize;
        if nb == 0 || nb as u64 > SLOT_BOUND || sizes.block_products > SLOT_BOUND {
            return Err(bad(
                "counts",
                format!(
                    "{nb} blocks of {} products (1 to 2^16 blocks of at most 2^16)",
                    sizes.block_products
                ),
            ));
        }
        let pb = sizes.block_products as usize;
        let due = encoded_len(nb, pb).ok_or_else(|| bad("counts", format!("{nb} blocks of {pb}")))?;
        if bytes.len() != due {
            return Err(bad(
                "length",
                format!(
                    "{} bytes, {due} expected for {nb} blocks of {pb} products",
                    bytes.len()
                ),
            ));
        }
        let over = rest[44];
        if over >> 3 != 0 {
            return Err(bad("over", format!("bits {over:#010b} past the total's")));
        }
        let n = nb * pb;
        let bits = &bytes[HEADER..HEADER + n.div_ceil(8)];
        let bit = |i: usize| bits[i / 8] >> (i % 8) & 1 == 1;
        if (n..bits.len() * 8).any(bit) {
            return Err(bad("productsOver", "a bit past the last slot is set".into()));
        }
        Ok(Self {
            sizes,
            period: [u64_at(3), u64_at(4)],
            nb,
            over,
            products_over: (0..n).map(bit).collect(),
            body: HEADER + bits.len(),
        })
    }
}
