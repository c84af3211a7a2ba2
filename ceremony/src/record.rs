//! The records of a transcript: one per contribution, in JSON, chained by hashes.
//!
//! A record names its contributor, the hash of the chain before it (`previous`), the points its
//! secrets moved (after the contribution), its proofs of knowledge and the SHA-256 of the bulk
//! file it produced. The proofs are bound to the whole record but themselves (`previous`
//! included: [`Phase1Record::binding`]) and to a label naming the secret, so no field of a record
//! can change, and a record cannot be replayed, reordered, renamed or moved to another
//! transcript, circuit or phase-1 file, without its own proofs failing.

use ark_bls12_381::{G1Affine, G2Affine};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{pok::Pok, ptau};

/// A point in hex (compressed).
pub fn point_hex<P: CanonicalSerialize>(p: &P) -> String {
    let mut b = Vec::new();
    p.serialize_compressed(&mut b).expect("to a vector");
    hex::encode(b)
}

/// A point from hex (compressed, checked to be on the curve and in the subgroup).
pub fn point_of_hex<P: CanonicalDeserialize>(s: &str) -> Result<P, String> {
    let b = hex::decode(s).map_err(|e| format!("not hex: {e}"))?;
    P::deserialize_compressed(&b[..]).map_err(|e| format!("not a point of the group: {e}"))
}

/// A proof of knowledge in a record.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PokHex {
    /// `r·G1`.
    pub g1_r: String,
    /// `rx·G1`.
    pub g1_rx: String,
    /// `x·H`.
    pub g2_x: String,
}

impl PokHex {
    /// In hex.
    pub fn of(p: &Pok) -> Self {
        Self {
            g1_r: point_hex(&p.g1_r),
            g1_rx: point_hex(&p.g1_rx),
            g2_x: point_hex(&p.g2_x),
        }
    }

    /// The proof.
    pub fn parse(&self) -> Result<Pok, String> {
        Ok(Pok {
            g1_r: point_of_hex(&self.g1_r).map_err(|e| format!("g1R: {e}"))?,
            g1_rx: point_of_hex(&self.g1_rx).map_err(|e| format!("g1Rx: {e}"))?,
            g2_x: point_of_hex(&self.g2_x).map_err(|e| format!("g2X: {e}"))?,
        })
    }
}

/// One secret's part of a key in snarkjs's form ([`ptau::Part`]).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PtauPartHex {
    /// A random point of G1.
    pub g1_s: String,
    /// It times the secret.
    pub g1_sx: String,
    /// snarkjs's G2 base times the secret.
    pub g2_spx: String,
}

/// A phase-1 contribution's key in snarkjs's form ([`ptau::Key`]) and the challenge it answers.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PtauKeyHex {
    /// The blake2b-512 challenge hash it answers, hex: snarkjs's first challenge, or the hash of
    /// the accumulator before it after the previous contribution's response hash.
    pub challenge: String,
    /// `τ`'s part.
    pub tau: PtauPartHex,
    /// `α`'s.
    pub alpha: PtauPartHex,
    /// `β`'s.
    pub beta: PtauPartHex,
}

impl PtauKeyHex {
    /// In hex.
    pub fn of(challenge: &ptau::Hash64, key: &ptau::Key) -> Self {
        let part = |p: &ptau::Part| PtauPartHex {
            g1_s: point_hex(&p.g1_s),
            g1_sx: point_hex(&p.g1_sx),
            g2_spx: point_hex(&p.g2_spx),
        };
        Self {
            challenge: hex::encode(challenge),
            tau: part(&key.tau),
            alpha: part(&key.alpha),
            beta: part(&key.beta),
        }
    }

    /// The challenge and the key.
    pub fn parse(&self) -> Result<(ptau::Hash64, ptau::Key), String> {
        let challenge = hex::decode(&self.challenge)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("ptau.challenge: not 64 bytes in hex")?;
        let part = |p: &PtauPartHex, which: &str| -> Result<ptau::Part, String> {
            let at = |field: &str| format!("ptau.{which}.{field}");
            Ok(ptau::Part {
                g1_s: g1(&p.g1_s, &at("g1S"))?,
                g1_sx: g1(&p.g1_sx, &at("g1Sx"))?,
                g2_spx: g2(&p.g2_spx, &at("g2Spx"))?,
            })
        };
        let key = ptau::Key {
            tau: part(&self.tau, "tau")?,
            alpha: part(&self.alpha, "alpha")?,
            beta: part(&self.beta, "beta")?,
        };
        Ok((challenge, key))
    }
}

/// A bulk file a contribution produced.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FileRef {
    /// Its name, in the record's directory.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// A phase-1 contribution.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Phase1Record {
    /// 1-based position in phase 1.
    pub index: u32,
    /// The contributor.
    pub name: String,
    /// The hash of phase 1 before this contribution, hex.
    pub previous: String,
    /// `τ·G1` after.
    pub tau_g1: String,
    /// `τ·G2` after.
    pub tau_g2: String,
    /// `α·G1` after.
    pub alpha_g1: String,
    /// `β·G1` after.
    pub beta_g1: String,
    /// `β·G2` after.
    pub beta_g2: String,
    /// Its key in snarkjs's form, for the `.ptau` export (absent in transcripts made before
    /// zkinvoice wrote it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ptau: Option<PtauKeyHex>,
    /// Knowledge of the contribution's `τ` factor.
    pub proof_tau: PokHex,
    /// Knowledge of its `α` factor.
    pub proof_alpha: PokHex,
    /// Knowledge of its `β` factor.
    pub proof_beta: PokHex,
    /// The accumulator it produced.
    pub accumulator: FileRef,
}

/// A phase-2 contribution to one statement.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Phase2Record {
    /// The statement's name in the ceremony (e.g. `invoice-M`, `partition-PM-block`).
    pub statement: String,
    /// 1-based position in the statement's phase 2.
    pub index: u32,
    /// The contributor.
    pub name: String,
    /// The hash of the statement's phase 2 before this contribution, hex.
    pub previous: String,
    /// `δ·G1` after.
    pub delta_g1: String,
    /// `δ·G2` after.
    pub delta_g2: String,
    /// Knowledge of the contribution's `δ` factor.
    pub proof_delta: PokHex,
    /// The proving key it produced.
    pub key: FileRef,
}

/// The label a proof of knowledge is bound to, besides the hash before it.
pub fn label(phase: &str, secret: &str, index: u32, name: &str) -> String {
    format!("{phase}/{secret}/{index}/{name}")
}

/// The hash of a record: SHA-256 over a domain tag and its JSON (fields in declaration order).
pub fn hash<R: Serialize>(record: &R) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zkinvoice/ceremony/record/v1\0");
    h.update(serde_json::to_vec(record).expect("records serialise"));
    h.finalize().into()
}

impl Phase1Record {
    /// The points it moved, after it.
    pub fn points(&self) -> Result<ptau::Small, String> {
        Ok((
            g1(&self.tau_g1, "tauG1")?,
            g2(&self.tau_g2, "tauG2")?,
            g1(&self.alpha_g1, "alphaG1")?,
            g1(&self.beta_g1, "betaG1")?,
            g2(&self.beta_g2, "betaG2")?,
        ))
    }

    /// What its proofs are bound to: the record without its proofs (so every other field, the
    /// hash before it included), hashed.
    pub fn binding(&self) -> [u8; 32] {
        let mut r = self.clone();
        (r.proof_tau, r.proof_alpha, r.proof_beta) = Default::default();
        hash(&r)
    }
}

impl Phase2Record {
    /// What its proof is bound to: the record without its proof, hashed.
    pub fn binding(&self) -> [u8; 32] {
        let mut r = self.clone();
        r.proof_delta = PokHex::default();
        hash(&r)
    }
}

/// The hash phase 1 starts from, for an accumulator of `2^power`.
pub fn phase1_genesis(power: u32) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zkinvoice/ceremony/phase1/v1\0");
    h.update(u64::from(power).to_le_bytes());
    h.finalize().into()
}

/// The hash a statement's phase 2 starts from: phase 1's final hash, the statement's id, the
/// digest of its matrices and its domain.
pub fn phase2_genesis(phase1: &[u8; 32], statement: &str, circuit_digest: &[u8; 32], power: u32) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zkinvoice/ceremony/phase2/v1\0");
    h.update(phase1);
    h.update((statement.len() as u64).to_le_bytes());
    h.update(statement.as_bytes());
    h.update(circuit_digest);
    h.update(u64::from(power).to_le_bytes());
    h.finalize().into()
}

/// The transcript's hash: phase 1's final hash, then each statement's name and final hash.
pub fn transcript_hash(phase1: &[u8; 32], statements: &[(String, [u8; 32])]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"zkinvoice/ceremony/transcript/v1\0");
    h.update(phase1);
    for (name, head) in statements {
        h.update((name.len() as u64).to_le_bytes());
        h.update(name.as_bytes());
        h.update(head);
    }
    h.finalize().into()
}

/// Whether `name` may name a contributor: 1 to 32 ASCII letters, digits, `-` or `_`.
pub fn valid_name(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A G1 point of a record.
pub fn g1(s: &str, field: &str) -> Result<G1Affine, String> {
    point_of_hex(s).map_err(|e| format!("{field}: {e}"))
}

/// A G2 point of a record.
pub fn g2(s: &str, field: &str) -> Result<G2Affine, String> {
    point_of_hex(s).map_err(|e| format!("{field}: {e}"))
}
