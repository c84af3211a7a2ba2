//! Native commitments: hiding (salted), binding Poseidon commitments to the MSA, the usage of a
//! period, a cumulative-volume state and an invoice; and the SHA-256 Merkle root of the usage
//! record details.
//!
//! Every commitment is `Poseidon(tag, n, body[0..n], salt)`: a domain tag distinct per kind, the
//! body's length, the canonical body from [`crate::encoding`], and last a 248-bit random salt, so a
//! low-entropy value cannot be brute-forced from its commitment.

use std::{collections::BTreeMap, fmt, str::FromStr};

use ark_ff::{BigInteger, PrimeField};
use rand::RngCore;
use rs_merkle::{algorithms::Sha256 as MerkleSha256, MerkleTree};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{
    encoding::{self, tag},
    model::{invoice::Invoice, msa::Msa, period::PeriodDoc, state::VolumeState, usage::Usage},
    native::poseidon,
    Error, Fr, Shape,
};

/// Bytes of a salt (248 bits: always below the field's modulus).
pub const SALT_BYTES: usize = 31;

/// A 248-bit commitment salt. Secret: its `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Salt([u8; SALT_BYTES]);

impl Salt {
    /// A fresh salt from `rng` (use a cryptographic RNG outside tests).
    pub fn random(rng: &mut impl RngCore) -> Self {
        let mut b = [0u8; SALT_BYTES];
        rng.fill_bytes(&mut b);
        Self(b)
    }

    /// The salt as a field element.
    pub fn to_fe(&self) -> Fr {
        Fr::from_le_bytes_mod_order(&self.0)
    }

    /// 62 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The salt's bytes.
    pub fn as_bytes(&self) -> &[u8; SALT_BYTES] {
        &self.0
    }
}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Salt(<redacted>)")
    }
}

impl FromStr for Salt {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let bytes = hex::decode(s).map_err(|e| Error::invalid("salt", format!("not hex: {e}")))?;
        let arr: [u8; SALT_BYTES] = bytes.try_into().map_err(|b: Vec<u8>| {
            Error::invalid(
                "salt",
                format!("{} bytes; a salt has {SALT_BYTES} (62 hex digits)", b.len()),
            )
        })?;
        Ok(Self(arr))
    }
}

/// A commitment: one field element, written as `0x` and 64 big-endian hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Commitment(pub Fr);

impl fmt::Display for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{}", hex::encode(self.0.into_bigint().to_bytes_be()))
    }
}

impl FromStr for Commitment {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |r: &str| Error::invalid("commitment", format!("{s:?} {r}"));
        let h = s
            .strip_prefix("0x")
            .ok_or_else(|| bad("does not start with 0x"))?;
        if h.len() != 64 {
            return Err(bad("is not 64 hex digits after 0x"));
        }
        let bytes = hex::decode(h).map_err(|_| bad("is not hex"))?;
        let fe = Fr::from_be_bytes_mod_order(&bytes);
        // Only canonical encodings (below the modulus) are accepted.
        if hex::encode(fe.into_bigint().to_bytes_be()) != h.to_ascii_lowercase() {
            return Err(bad("is not below the field modulus"));
        }
        Ok(Self(fe))
    }
}

impl Serialize for Commitment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Commitment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// `Poseidon(tag, len(body), body, salt)`.
pub fn commit_fields(tag: &str, body: &[Fr], salt: &Salt) -> Commitment {
    let mut input = Vec::with_capacity(body.len() + 3);
    input.push(encoding::tag_fe(tag));
    input.push(encoding::int_fe(body.len() as u64));
    input.extend_from_slice(body);
    input.push(salt.to_fe());
    Commitment(poseidon::hash(&input))
}

/// `msa_commitment`: parties, agreement id, currency, tax, terms, validity and every product slot.
pub fn msa_commitment(msa: &Msa, shape: Shape, salt: &Salt) -> Result<Commitment, Error> {
    shape.check(msa.need(0))?;
    Ok(commit_fields(tag::MSA, &encoding::msa_fields(msa, shape), salt))
}

/// `usage_commitment`: the MSA commitment, the period and the `(slot, quantity)` of each record.
pub fn usage_commitment(
    msa_commitment: Commitment,
    msa: &Msa,
    usage: &Usage,
    shape: Shape,
    salt: &Salt,
) -> Result<Commitment, Error> {
    shape.check(msa.need(usage.records.len()))?;
    Ok(commit_fields(
        tag::USAGE,
        &encoding::usage_fields(msa_commitment.0, usage, shape),
        salt,
    ))
}

/// `state_k`: the MSA commitment, `k` and the cumulative volume of each product slot.
pub fn state_commitment(
    msa_commitment: Commitment,
    state: &VolumeState,
    shape: Shape,
    salt: &Salt,
) -> Result<Commitment, Error> {
    if state.volumes.len() > shape.products {
        return Err(Error::Shape(format!(
            "the state has {} products; shape {shape} has {} slots",
            state.volumes.len(),
            shape.products
        )));
    }
    Ok(commit_fields(
        tag::STATE,
        &encoding::state_fields(msa_commitment.0, state, shape),
        salt,
    ))
}

/// `invoice_commitment`: header, per product `(id, usage quantity and amount, recurring quantity
/// and amount)`, subtotal, tax and total.
pub fn invoice_commitment(invoice: &Invoice, shape: Shape, salt: &Salt) -> Result<Commitment, Error> {
    let slots = invoice.slots()?;
    let n = slots.len();
    if n > shape.products {
        return Err(Error::Shape(format!(
            "the invoice bills {n} products; shape {shape} has {} slots",
            shape.products
        )));
    }
    Ok(commit_fields(
        tag::INVOICE,
        &encoding::invoice_fields(invoice, &slots, shape),
        salt,
    ))
}

/// `usage_detail_root`: a SHA-256 Merkle root over every record's full details (id, product,
/// quantity, start, end, source) in canonical order, each leaf salted with its own salt derived
/// from `salt`, so one record can be disclosed in a dispute without exposing the others.
pub fn usage_detail_root(usage: &Usage, salt: &Salt) -> [u8; 32] {
    let leaves: Vec<[u8; 32]> = usage
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let leaf_salt = leaf_salt(salt, i);
            let mut h = Sha256::new();
            h.update([0u8]);
            h.update(leaf_salt);
            for part in [r.id.as_bytes(), r.product.as_bytes()] {
                h.update((part.len() as u64).to_be_bytes());
                h.update(part);
            }
            h.update(r.quantity.to_be_bytes());
            h.update(r.start.timestamp().to_be_bytes());
            h.update(r.start.timestamp_subsec_nanos().to_be_bytes());
            h.update(r.end.timestamp().to_be_bytes());
            h.update(r.end.timestamp_subsec_nanos().to_be_bytes());
            h.update((r.source.len() as u64).to_be_bytes());
            h.update(r.source.as_bytes());
            h.finalize().into()
        })
        .collect();
    let tree_root = MerkleTree::<MerkleSha256>::from_leaves(&leaves)
        .root()
        .unwrap_or([0u8; 32]);
    let mut h = Sha256::new();
    h.update(b"zkinvoice/usage-detail/v1");
    h.update((leaves.len() as u64).to_be_bytes());
    h.update(tree_root);
    h.finalize().into()
}

/// The salt of leaf `i` of the usage detail tree.
pub fn leaf_salt(salt: &Salt, i: usize) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zkinvoice/usage-leaf-salt/v1");
    h.update(salt.as_bytes());
    h.update((i as u64).to_be_bytes());
    h.finalize().into()
}

/// The output of `zkinvoice msa commit`: what both parties sign into the `msa-agreed` anchor,
/// with the salt that opens it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MsaCommitDoc {
    /// Shape name.
    pub shape: String,
    /// The MSA's id.
    pub msa_id: String,
    /// `msa_commitment`.
    pub commitment: Commitment,
    /// Its salt (hex). Secret to the two parties.
    pub salt: String,
    /// `state_0`'s commitment.
    pub state0: Commitment,
}

/// The output of `zkinvoice usage commit`: what both parties sign into the `usage-agreed` anchor.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UsageCommitDoc {
    /// Shape name.
    pub shape: String,
    /// The MSA commitment the usage is bound to.
    pub msa_commitment: Commitment,
    /// The period.
    pub period: PeriodDoc,
    /// Number of records.
    pub records: usize,
    /// `usage_commitment`.
    pub commitment: Commitment,
    /// `usage_detail_root` (hex).
    pub detail_root: String,
    /// The salt of both (hex). Secret to the two parties.
    pub salt: String,
}

/// A cumulative-volume state file (`state-K.json`): the state, its salt and its commitment.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StateDoc {
    /// Shape name.
    pub shape: String,
    /// The MSA's id.
    pub msa_id: String,
    /// The MSA commitment the state belongs to.
    pub msa_commitment: Commitment,
    /// `k`.
    pub index: u64,
    /// Cumulative volume per product id (decimal strings).
    pub volumes: BTreeMap<String, String>,
    /// The salt (hex).
    pub salt: String,
    /// `state_k`.
    pub commitment: Commitment,
}

/// A state with what it was opened from.
#[derive(Clone, Debug)]
pub struct StateOpening {
    /// The state.
    pub state: VolumeState,
    /// The shape.
    pub shape: Shape,
    /// The MSA commitment.
    pub msa_commitment: Commitment,
    /// The salt.
    pub salt: Salt,
    /// The commitment.
    pub commitment: Commitment,
}

impl StateOpening {
    /// Commits to `state`.
    pub fn new(
        msa_commitment: Commitment,
        state: VolumeState,
        shape: Shape,
        salt: Salt,
    ) -> Result<Self, Error> {
        let commitment = state_commitment(msa_commitment, &state, shape, &salt)?;
        Ok(Self {
            state,
            shape,
            msa_commitment,
            salt,
            commitment,
        })
    }

    /// Reads a state file, checking that it belongs to `msa` and that its commitment opens.
    pub fn from_doc(msa: &Msa, doc: &StateDoc) -> Result<Self, Error> {
        if doc.msa_id != msa.id {
            return Err(Error::invalid(
                "msaId",
                format!("the state belongs to MSA {:?}, not {:?}", doc.msa_id, msa.id),
            ));
        }
        let shape: Shape = doc.shape.parse()?;
        let state = VolumeState::from_map(msa, doc.index, &doc.volumes)?;
        let salt: Salt = doc.salt.parse()?;
        let opened = Self::new(doc.msa_commitment, state, shape, salt)?;
        if opened.commitment != doc.commitment {
            return Err(Error::invalid(
                "commitment",
                "does not open with the file's volumes, index and salt (the file was altered)",
            ));
        }
        Ok(opened)
    }

    /// The state file.
    pub fn to_doc(&self, msa: &Msa) -> StateDoc {
        StateDoc {
            shape: self.shape.name.to_string(),
            msa_id: msa.id.clone(),
            msa_commitment: self.msa_commitment,
            index: self.state.index,
            volumes: self.state.to_map(msa),
            salt: self.salt.to_hex(),
            commitment: self.commitment,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn commitment_text_round_trip_is_canonical() {
        let c = commit_fields("t", &[Fr::from(1u64)], &Salt([7; SALT_BYTES]));
        let s = c.to_string();
        assert_eq!(s.len(), 66);
        assert_eq!(s.parse::<Commitment>().unwrap(), c);
        // The modulus itself is not a canonical encoding.
        let modulus = format!("0x{}", hex::encode(Fr::MODULUS.to_bytes_be()));
        assert!(modulus.parse::<Commitment>().is_err());
        assert!("0x12".parse::<Commitment>().is_err());
    }

    #[test]
    fn salt_is_hidden_and_round_trips() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let s = Salt::random(&mut rng);
        assert_eq!(format!("{s:?}"), "Salt(<redacted>)");
        assert_eq!(s.to_hex().parse::<Salt>().unwrap(), s);
        assert!("abcd".parse::<Salt>().is_err());
        let body = [Fr::from(5u64)];
        assert_ne!(
            commit_fields("t", &body, &s),
            commit_fields("t", &body, &Salt::random(&mut rng))
        );
        assert_ne!(commit_fields("t", &body, &s), commit_fields("u", &body, &s));
    }
}
