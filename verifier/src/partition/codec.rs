//! A partitioned invoice's proofs as bytes ([`PartitionedProof`]): what an envelope, an MEF 141
//! `zkProof` and an `invoice-proved` anchor carry (base64) where a v1 invoice carries its one
//! proof.
//!
//! Layout (all integers big-endian; field elements and proofs in arkworks' compressed encoding,
//! validated and canonical):
//!
//! ```text
//! "zkinvoice/partitioned/v2"                       24 bytes (MAGIC)
//! blockProducts, tiers, chunkRecords, index        4 × u64
//! nb, nc                                           2 × u32
//! msa.head, msa.parts[nb]                          (1 + nb) × 32
//! usage.head, usage.parts[nc]                      (1 + nc) × 32
//! stateBefore[nb], stateAfter[nb]                  2 nb × 32
//! invoice.head, invoice.parts[nb]                  (1 + nb) × 32
//! seed, y[nb + nc], w[nb + 1]                      (2 + 2 nb + nc) × 32
//! proofs: blocks[nb], chunks[nc], link             (nb + nc + 1) × 192
//! ```
//!
//! The length is fixed by `nb` and `nc`, and checked before anything is allocated, so a short or
//! hostile input is refused without reading further; every list has its due length by
//! construction; trailing bytes are refused.

use ark_serialize::CanonicalSerialize;

use super::{PartitionProofRefs, PartitionSizes, PartitionedPublic, Parts};
use crate::codec::decode_exact;
use crate::{Fr, InvoiceProof, VerifyError, PROOF_BYTES};

/// The first bytes of an encoded [`PartitionedProof`] (a v1 proof is exactly [`PROOF_BYTES`]
/// bytes, so the two never collide).
pub const MAGIC: &[u8] = b"zkinvoice/partitioned/v2";

pub(crate) const FR: usize = 32;
const HEADER: usize = MAGIC.len() + 4 * 8 + 2 * 4;

/// Every partition's proof, in index order.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionProofs {
    /// Block `j`'s proof at `blocks[j]`.
    pub blocks: Vec<InvoiceProof>,
    /// Chunk `c`'s proof at `chunks[c]`.
    pub chunks: Vec<InvoiceProof>,
    /// The link's proof.
    pub link: InvoiceProof,
}

impl PartitionProofs {
    /// Borrowed, as [`super::verify_partitioned`] takes them.
    pub fn as_refs(&self) -> PartitionProofRefs<'_> {
        PartitionProofRefs {
            blocks: &self.blocks,
            chunks: &self.chunks,
            link: &self.link,
        }
    }
}

/// A partitioned invoice's proofs with every public value they share: what stands where a v1
/// invoice has its one proof.
#[derive(Clone, Debug, PartialEq)]
pub struct PartitionedProof {
    /// The public values.
    pub public: PartitionedPublic,
    /// The proofs.
    pub proofs: PartitionProofs,
}

/// The encoded length for `nb` blocks and `nc` chunks.
fn encoded_len(nb: usize, nc: usize) -> Option<usize> {
    // msa, usage, states, invoice, seed, y, w
    let frs = (1 + nb) + (1 + nc) + 2 * nb + (1 + nb) + 1 + (nb + nc) + (nb + 1);
    let _ = frs.checked_mul(FR)?;
    let proofs = nb.checked_add(nc)?.checked_add(1)?.checked_mul(PROOF_BYTES)?;
    HEADER.checked_add(frs * FR)?.checked_add(proofs)
}

impl PartitionedProof {
    /// The number of proofs (blocks, chunks and the link).
    pub fn len(&self) -> usize {
        self.proofs.blocks.len() + self.proofs.chunks.len() + 1
    }

    /// Never: there is always the link (present for clippy's sake).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The encoding described in the module's documentation.
    pub fn to_bytes(&self) -> Vec<u8> {
        let p = &self.public;
        let (nb, nc) = (p.blocks(), p.chunks());
        let mut out = Vec::with_capacity(encoded_len(nb, nc).unwrap_or(0));
        out.extend_from_slice(MAGIC);
        for v in [
            p.sizes.block_products,
            p.sizes.tiers,
            p.sizes.chunk_records,
            p.index,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        for n in [nb, nc] {
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
        let mut frs = |list: &[Fr]| {
            for x in list {
                // Writing into a `Vec` cannot fail.
                let _ = x.serialize_compressed(&mut out);
            }
        };
        frs(&[p.msa.head]);
        frs(&p.msa.parts);
        frs(&[p.usage.head]);
        frs(&p.usage.parts);
        frs(&p.state_before);
        frs(&p.state_after);
        frs(&[p.invoice.head]);
        frs(&p.invoice.parts);
        frs(&[p.seed]);
        frs(&p.y);
        frs(&p.w);
        for proof in self.proofs.blocks.iter().chain(&self.proofs.chunks) {
            out.extend_from_slice(&proof.to_bytes());
        }
        out.extend_from_slice(&self.proofs.link.to_bytes());
        out
    }

    /// Decodes [`PartitionedProof::to_bytes`]'s encoding: the magic, then a length exactly what
    /// `nb` and `nc` make it (checked before reading on), every field element below the modulus
    /// and every proof's points valid ([`VerifyError::Malformed`], naming the value).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        let bad =
            |what: &str, reason: String| VerifyError::malformed(format!("partitioned proof: {what}"), reason);
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
        let u32_at = |o: usize| u32::from_be_bytes(rest[o..o + 4].try_into().expect("4 bytes")) as usize;
        let sizes = PartitionSizes {
            block_products: u64_at(0),
            tiers: u64_at(1),
            chunk_records: u64_at(2),
        };
        let index = u64_at(3);
        if index == u64::MAX {
            return Err(bad("index", "2^64 - 1 has no successor".into()));
        }
        let (nb, nc) = (u32_at(32), u32_at(36));
        let due = encoded_len(nb, nc).ok_or_else(|| bad("counts", format!("{nb} blocks and {nc} chunks")))?;
        if bytes.len() != due {
            return Err(bad(
                "length",
                format!(
                    "{} bytes, {due} expected for {nb} blocks and {nc} chunks",
                    bytes.len()
                ),
            ));
        }
        let mut r = Reader {
            bytes: &bytes[HEADER..],
            at: HEADER,
            doc: "partitioned proof",
        };
        let msa = Parts {
            head: r.fr("msa.head")?,
            parts: r.frs("msa.parts", nb)?,
        };
        let usage = Parts {
            head: r.fr("usage.head")?,
            parts: r.frs("usage.parts", nc)?,
        };
        let state_before = r.frs("stateBefore", nb)?;
        let state_after = r.frs("stateAfter", nb)?;
        let invoice = Parts {
            head: r.fr("invoice.head")?,
            parts: r.frs("invoice.parts", nb)?,
        };
        let seed = r.fr("seed")?;
        let y = r.frs("y", nb + nc)?;
        let w = r.frs("w", nb + 1)?;
        let blocks = r.proofs("block", nb)?;
        let chunks = r.proofs("chunk", nc)?;
        let link = r.proof("link")?;
        Ok(Self {
            public: PartitionedPublic {
                sizes,
                msa,
                usage,
                index,
                state_before,
                state_after,
                invoice,
                seed,
                y,
                w,
            },
            proofs: PartitionProofs { blocks, chunks, link },
        })
    }
}

/// Reads fixed-size values off the front of the (length-checked) bytes of the document `doc`
/// (named in errors).
pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) at: usize,
    pub(crate) doc: &'static str,
}

impl Reader<'_> {
    pub(crate) fn take(&mut self, n: usize) -> &[u8] {
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        self.at += n;
        head
    }

    pub(crate) fn fr(&mut self, what: &str) -> Result<Fr, VerifyError> {
        let (at, doc) = (self.at, self.doc);
        let bytes = self.take(FR);
        decode_exact::<Fr>(bytes, &format!("{doc}: {what} (byte {at})"))
    }

    pub(crate) fn frs(&mut self, what: &str, n: usize) -> Result<Vec<Fr>, VerifyError> {
        (0..n).map(|i| self.fr(&format!("{what}[{i}]"))).collect()
    }

    pub(crate) fn proof(&mut self, what: &str) -> Result<InvoiceProof, VerifyError> {
        let (at, doc) = (self.at, self.doc);
        InvoiceProof::from_bytes(self.take(PROOF_BYTES)).map_err(|e| {
            VerifyError::malformed(format!("{doc}: the proof of {what} (byte {at})"), e.to_string())
        })
    }

    pub(crate) fn proofs(&mut self, kind: &str, n: usize) -> Result<Vec<InvoiceProof>, VerifyError> {
        (0..n).map(|i| self.proof(&format!("{kind} {i}"))).collect()
    }
}

#[cfg(test)]
mod tests {
    use ark_bls12_381::{G1Affine, G2Affine};
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_std::UniformRand;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    use super::*;
    use crate::InvoiceProofs;

    fn sample(nb: usize, nc: usize, rng: &mut ChaCha20Rng) -> PartitionedProof {
        let mut frs = |n: usize| (0..n).map(|_| Fr::rand(rng)).collect::<Vec<_>>();
        let public = PartitionedPublic {
            sizes: PartitionSizes {
                block_products: 4,
                tiers: 4,
                chunk_records: 12,
            },
            msa: Parts {
                head: frs(1)[0],
                parts: frs(nb),
            },
            usage: Parts {
                head: frs(1)[0],
                parts: frs(nc),
            },
            index: 7,
            state_before: frs(nb),
            state_after: frs(nb),
            invoice: Parts {
                head: frs(1)[0],
                parts: frs(nb),
            },
            seed: frs(1)[0],
            y: frs(nb + nc),
            w: frs(nb + 1),
        };
        let mut proof = |k: u64| {
            let s = Fr::from(k + 1);
            InvoiceProof::from(ark_groth16::Proof {
                a: (G1Affine::generator() * s).into_affine(),
                b: (G2Affine::generator() * s).into_affine(),
                c: (G1Affine::generator() * (s + s)).into_affine(),
            })
        };
        let proofs = PartitionProofs {
            blocks: (0..nb as u64).map(&mut proof).collect(),
            chunks: (0..nc as u64).map(|k| proof(100 + k)).collect(),
            link: proof(1000),
        };
        PartitionedProof { public, proofs }
    }

    #[test]
    fn round_trips_and_has_the_documented_length() {
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        for (nb, nc) in [(1, 1), (2, 3), (5, 1)] {
            let p = sample(nb, nc, &mut rng);
            let bytes = p.to_bytes();
            assert_eq!(Some(bytes.len()), encoded_len(nb, nc));
            assert_eq!(PartitionedProof::from_bytes(&bytes).unwrap(), p);
            let any = InvoiceProofs::from(p.clone());
            assert_eq!(InvoiceProofs::from_base64(&any.to_base64()).unwrap(), any);
            assert_eq!(any.count(), nb + nc + 1);
        }
    }

    #[test]
    fn refuses_truncated_extended_and_hostile_counts() {
        let mut rng = ChaCha20Rng::seed_from_u64(2);
        let bytes = sample(2, 2, &mut rng).to_bytes();
        for cut in [0, 10, MAGIC.len(), HEADER - 1, HEADER, bytes.len() - 1] {
            assert!(
                PartitionedProof::from_bytes(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        let e = PartitionedProof::from_bytes(&longer).unwrap_err().to_string();
        assert!(e.contains("length"), "{e}");
        // Counts that announce gigabytes are refused by length, before anything is allocated.
        let mut hostile = bytes.clone();
        hostile[MAGIC.len() + 32..MAGIC.len() + 40].copy_from_slice(&[0xff; 8]);
        let e = PartitionedProof::from_bytes(&hostile).unwrap_err().to_string();
        assert!(e.contains("4294967295 blocks"), "{e}");
    }

    #[test]
    fn a_value_above_the_modulus_or_a_point_off_the_curve_is_named() {
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let bytes = sample(1, 1, &mut rng).to_bytes();
        let mut big = bytes.clone();
        big[HEADER..HEADER + FR].copy_from_slice(&[0xff; FR]);
        let e = PartitionedProof::from_bytes(&big).unwrap_err().to_string();
        assert!(e.contains("msa.head"), "{e}");
        let mut off = bytes.clone();
        let link = bytes.len() - PROOF_BYTES;
        off[link + 3] ^= 1;
        let e = PartitionedProof::from_bytes(&off).unwrap_err().to_string();
        assert!(e.contains("link"), "{e}");
    }

    #[test]
    fn an_index_without_a_successor_is_refused_not_a_panic() {
        let mut rng = ChaCha20Rng::seed_from_u64(5);
        let mut p = sample(1, 1, &mut rng);
        p.public.index = u64::MAX;
        let e = PartitionedProof::from_bytes(&p.to_bytes())
            .unwrap_err()
            .to_string();
        assert!(e.contains("index"), "{e}");
        let tops = p.public.tops();
        assert_eq!(
            p.public.check(&tops),
            Err(crate::partition::PartitionRefusal::Index)
        );
    }

    #[test]
    fn a_single_proof_is_not_read_as_partitioned() {
        let mut rng = ChaCha20Rng::seed_from_u64(4);
        let p = sample(1, 1, &mut rng).proofs.link;
        let any = InvoiceProofs::from_bytes(&p.to_bytes()).unwrap();
        assert_eq!(any, InvoiceProofs::Single(p));
        assert_eq!(any.statement(), "zkinvoice/invoice/v1");
    }
}
