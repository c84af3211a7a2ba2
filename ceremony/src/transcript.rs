//! A ceremony's directory, the transcript the parties pass to each other:
//!
//! ```text
//! ceremony.json                   what is set up: the statements, their circuits, phase 1's size
//! phase1/0001-buyer.json          phase-1 records, one per contribution
//! phase1/0002.acc                 the latest accumulator (earlier ones are dropped)
//! phase2/<statement>/0000.key     the statement's deterministic start (after `prepare`)
//! phase2/<statement>/0001-buyer.json, 0001.key, ...
//! ```
//!
//! Every step first verifies what it builds on; a contribution writes its bulk file, then its
//! record (each atomically), so an interrupted one leaves the transcript as it was and can be run
//! again.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::Arc,
};

use ark_bls12_381::Bls12_381;
use ark_groth16::ProvingKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zkinvoice_circuits::statement::R1cs;

use crate::{record::FileRef, CeremonyError};

/// The header's version.
pub const VERSION: &str = "zkinvoice/ceremony/v1";

/// A statement of the ceremony, as the header names it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatementHeader {
    /// Its name in the ceremony, also its directory under `phase2/` (e.g. `invoice-M`).
    pub name: String,
    /// Its statement id (e.g. `zkinvoice/invoice/v1`).
    pub statement: String,
    /// SHA-256 over its matrices, hex.
    pub circuit_digest: String,
    /// Its constraints.
    pub constraints: usize,
    /// `log2` of its domain.
    pub domain_power: u32,
}

/// `ceremony.json`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Header {
    /// [`VERSION`].
    pub version: String,
    /// What the keys are for (e.g. `invoice-M`, `partition-PM`).
    pub setup: String,
    /// `log2` of phase 1's domain.
    pub power: u32,
    /// The statements, in order.
    pub statements: Vec<StatementHeader>,
}

/// How a statement's matrices are made (they are needed from phase 2 on).
type Matrices = Arc<dyn Fn() -> Result<Arc<R1cs>, String> + Send + Sync>;

/// A statement the caller supplies: its name in the ceremony, its id, the facts the header pins,
/// and its matrices, made when first needed (phase 1 does not need them).
#[derive(Clone)]
pub struct Statement {
    /// Its name in the ceremony.
    pub name: String,
    /// Its id.
    pub statement: String,
    /// SHA-256 over its matrices.
    pub digest: [u8; 32],
    /// Its constraints.
    pub constraints: usize,
    /// Its instance variables (public inputs and the constant one).
    pub instance: usize,
    matrices: Matrices,
}

impl Statement {
    /// A statement of the matrices `r1cs`.
    pub fn of(name: &str, statement: &str, r1cs: Arc<R1cs>) -> Self {
        Self {
            name: name.into(),
            statement: statement.into(),
            digest: r1cs.digest,
            constraints: r1cs.num_constraints(),
            instance: r1cs.num_instance,
            matrices: Arc::new(move || Ok(r1cs.clone())),
        }
    }

    /// A statement whose matrices `matrices` makes when they are needed; they must then have
    /// the digest, constraints and instance variables given here.
    pub fn lazy(
        name: &str,
        statement: &str,
        (digest, constraints, instance): ([u8; 32], usize, usize),
        matrices: impl Fn() -> Result<Arc<R1cs>, String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            name: name.into(),
            statement: statement.into(),
            digest,
            constraints,
            instance,
            matrices: Arc::new(matrices),
        }
    }

    /// `log2` of its domain: constraints plus instance variables, rounded up to a power of two.
    pub fn domain_power(&self) -> u32 {
        crate::phase2::power_for(self.constraints, self.instance)
    }

    /// Its matrices, checked against the facts the statement was given.
    pub fn r1cs(&self) -> Result<Arc<R1cs>, CeremonyError> {
        let r = (self.matrices)().map_err(|e| CeremonyError::State(format!("{}: {e}", self.name)))?;
        if r.digest != self.digest
            || r.num_constraints() != self.constraints
            || r.num_instance != self.instance
        {
            return Err(CeremonyError::State(format!(
                "{}: the matrices made are not the statement's (circuit {})",
                self.name,
                hex::encode(r.digest)
            )));
        }
        Ok(r)
    }
}

/// What a verified transcript holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The transcript's hash, hex ([`crate::record::transcript_hash`]).
    pub transcript_hash: String,
    /// Phase 1's contributors, in order.
    pub phase1: Vec<String>,
    /// Each statement's phase-2 contributors, in order (empty before `prepare`).
    pub phase2: Vec<(String, Vec<String>)>,
}

impl Summary {
    /// Whether at least two distinct parties contributed to phase 1 and to every statement's
    /// phase 2: what the anchor log calls a multi-party setup.
    pub fn multi_party(&self) -> bool {
        let distinct = |names: &[String]| names.iter().collect::<std::collections::BTreeSet<_>>().len() >= 2;
        distinct(&self.phase1) && !self.phase2.is_empty() && self.phase2.iter().all(|(_, n)| distinct(n))
    }
}

/// A ceremony's directory with its statements' matrices.
pub struct Ceremony {
    pub(crate) dir: PathBuf,
    pub(crate) header: Header,
    pub(crate) statements: Vec<Statement>,
}

pub(crate) fn file_err(file: &Path, reason: impl ToString) -> CeremonyError {
    CeremonyError::File {
        file: file.into(),
        reason: reason.to_string(),
    }
}

pub(crate) fn read(file: &Path) -> Result<Vec<u8>, CeremonyError> {
    fs::read(file).map_err(|e| file_err(file, format!("cannot read: {e}")))
}

/// Writes `bytes` to `file` through a temporary file and a rename.
pub(crate) fn write_atomic(file: &Path, bytes: &[u8]) -> Result<(), CeremonyError> {
    let tmp = file.with_extension("partial");
    fs::write(&tmp, bytes).map_err(|e| file_err(&tmp, format!("cannot write: {e}")))?;
    fs::rename(&tmp, file).map_err(|e| file_err(file, format!("cannot write: {e}")))
}

pub(crate) fn file_ref(name: &str, bytes: &[u8]) -> FileRef {
    FileRef {
        file: name.into(),
        bytes: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
    }
}

/// The records of one chain (`NNNN-name.json` files of `dir`), in order of their index.
pub(crate) fn records<R: for<'de> Deserialize<'de>>(dir: &Path) -> Result<Vec<(PathBuf, R)>, CeremonyError> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(file_err(dir, format!("cannot read: {e}"))),
    };
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let r =
                serde_json::from_slice(&read(&f)?).map_err(|e| file_err(&f, format!("not a record: {e}")))?;
            Ok((f, r))
        })
        .collect()
}

/// A bulk file as a record names it: present, of its size and SHA-256.
pub(crate) fn read_ref(dir: &Path, r: &FileRef) -> Result<Vec<u8>, String> {
    if r.file.contains(['/', '\\']) || r.file.starts_with('.') {
        return Err(format!("file {:?} is not in the transcript's directory", r.file));
    }
    let bytes = fs::read(dir.join(&r.file)).map_err(|e| format!("{}: cannot read: {e}", r.file))?;
    if bytes.len() as u64 != r.bytes || hex::encode(Sha256::digest(&bytes)) != r.sha256 {
        return Err(format!(
            "{} is not the file the record names (size or SHA-256)",
            r.file
        ));
    }
    Ok(bytes)
}

/// The header of the ceremony in `dir`, its version checked.
pub fn read_header(dir: &Path) -> Result<Header, CeremonyError> {
    let file = dir.join("ceremony.json");
    let header: Header = serde_json::from_slice(&read(&file)?)
        .map_err(|e| file_err(&file, format!("not a ceremony header: {e}")))?;
    if header.version != VERSION {
        return Err(file_err(
            &file,
            format!("version {:?}, this build reads {VERSION:?}", header.version),
        ));
    }
    Ok(header)
}

/// A proving key from bytes: uncompressed, every point checked in parallel.
pub fn key_of_bytes(bytes: &[u8]) -> Result<ProvingKey<Bls12_381>, String> {
    use ark_serialize::CanonicalDeserialize;
    let k = ProvingKey::<Bls12_381>::deserialize_uncompressed_unchecked(bytes)
        .map_err(|e| format!("not a proving key: {e}"))?;
    let g1 = [
        std::slice::from_ref(&k.vk.alpha_g1),
        &k.vk.gamma_abc_g1,
        std::slice::from_ref(&k.beta_g1),
        std::slice::from_ref(&k.delta_g1),
        &k.a_query,
        &k.b_g1_query,
        &k.h_query,
        &k.l_query,
    ];
    let fixed = [k.vk.beta_g2, k.vk.gamma_g2, k.vk.delta_g2];
    let g2 = [fixed.as_slice(), &k.b_g2_query];
    if !g1.iter().all(|p| crate::valid_g1(p)) || !g2.iter().all(|p| crate::valid_g2(p)) {
        return Err("a point off the curve or outside its subgroup".into());
    }
    Ok(k)
}

/// A proving key as bytes (uncompressed).
pub fn key_bytes(key: &ProvingKey<Bls12_381>) -> Vec<u8> {
    use ark_serialize::CanonicalSerialize;
    let mut out = Vec::with_capacity(key.uncompressed_size());
    key.serialize_uncompressed(&mut out).expect("to a vector");
    out
}

pub(crate) fn refuse(file: &Path, index: u32, name: &str, reason: impl ToString) -> CeremonyError {
    CeremonyError::Contribution {
        file: file.into(),
        index,
        name: name.into(),
        reason: reason.to_string(),
    }
}
