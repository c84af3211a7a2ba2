//! Key files on disk: reading one checked against its manifest entry, writing one atomically,
//! and the record of the ceremony keys come from.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::ProverError;

/// One key file in a manifest.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyFileEntry {
    /// File name, in the manifest's directory.
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
}

impl KeyFileEntry {
    /// The entry of the file `file` holding `bytes`.
    pub fn of(file: &str, bytes: &[u8]) -> Self {
        Self {
            file: file.into(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The multi-party ceremony a key directory's keys come from (`zkinvoice ceremony finish`),
/// recorded in its manifest; a manifest without one holds keys of a single-party `setup`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CeremonyRecord {
    /// The transcript's hash, hex: what `msa-agreed` anchors.
    pub transcript_hash: String,
    /// Its contributors, each once, in the order they first contributed.
    pub contributors: Vec<String>,
    /// Whether at least two distinct parties contributed to phase 1 and to every statement's
    /// phase 2.
    pub multi_party: bool,
}

pub(crate) fn read_checked(path: &Path, entry: &KeyFileEntry) -> Result<Vec<u8>, ProverError> {
    let err = |reason: String| ProverError::KeyFile {
        file: path.into(),
        reason,
    };
    let bytes = fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
    if bytes.len() as u64 != entry.bytes {
        return Err(err(format!(
            "{} bytes, the manifest says {} (truncated or replaced)",
            bytes.len(),
            entry.bytes
        )));
    }
    let h = sha256_hex(&bytes);
    if h != entry.sha256 {
        return Err(err(format!(
            "SHA-256 {h} is not the manifest's {} (altered or replaced)",
            entry.sha256
        )));
    }
    Ok(bytes)
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ProverError> {
    let dir: PathBuf = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let err = |e: std::io::Error| ProverError::Write {
        file: path.into(),
        reason: e.to_string(),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Writes `files` (name, bytes) into `dir` (created if missing), in order, each atomically;
/// refuses, before writing any, to replace an existing file unless `force`. The manifest goes
/// last, so a directory never holds a manifest describing key files that were not completely
/// written.
pub(crate) fn write_files(
    dir: &Path,
    files: impl Into<Vec<(String, Vec<u8>)>>,
    force: bool,
) -> Result<(), ProverError> {
    let files = files.into();
    fs::create_dir_all(dir).map_err(|e| ProverError::Write {
        file: dir.into(),
        reason: e.to_string(),
    })?;
    if !force {
        for (name, _) in &files {
            let path = dir.join(name);
            if path.exists() {
                return Err(ProverError::Write {
                    file: path,
                    reason: "exists; pass --force to replace it".into(),
                });
            }
        }
    }
    for (name, bytes) in files {
        write_atomic(&dir.join(name), &bytes)?;
    }
    Ok(())
}

/// The uncompressed encoding of a proving key made in this process, to be written as `file`;
/// keys loaded from files hold only the prover's filtered key and are not written again.
pub(crate) fn proving_key_bytes(
    ark: Option<&ark_groth16::ProvingKey<ark_bls12_381::Bls12_381>>,
    file: PathBuf,
) -> Result<Vec<u8>, ProverError> {
    use ark_serialize::CanonicalSerialize;
    let Some(pk) = ark else {
        return Err(ProverError::Write {
            file,
            reason: "keys loaded from files are not written again: copy the files".into(),
        });
    };
    let mut bytes = Vec::with_capacity(pk.uncompressed_size());
    pk.serialize_uncompressed(&mut bytes)
        .map_err(|e| ProverError::Proving(e.to_string()))?;
    Ok(bytes)
}
