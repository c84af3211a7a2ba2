//! A partition shape's verifying keys alone, for those who check proofs and never prove.

use std::{fs, path::Path};

use zkinvoice_circuits::partition::PartitionShape;

use super::keys::{statements, PartitionManifest};
use crate::{files::read_checked, ProverError};

/// The verifying keys named by the manifest at `path` (`partition-X.json`): its partition shape
/// and the three keys, each file checked against the manifest and the manifest against this
/// build's circuits. No proving key is read.
pub fn load_verifying(
    path: &Path,
) -> Result<(PartitionShape, zkinvoice_verifier::PartitionKeySet), ProverError> {
    use zkinvoice_verifier::VerifyingKeyOf;
    let err = |reason: String| ProverError::KeyFile {
        file: path.into(),
        reason,
    };
    let text = fs::read_to_string(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let m: PartitionManifest =
        serde_json::from_str(&text).map_err(|e| err(format!("not a partition key manifest: {e}")))?;
    let shape: PartitionShape = m.shape.parse().map_err(|e| err(format!("{e}")))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut vks = Vec::new();
    for ((name, id, _, circuit_digest), entry) in
        statements(shape).into_iter().zip([&m.block, &m.chunk, &m.link])
    {
        if entry.statement != id || entry.circuit_digest != circuit_digest {
            return Err(err(format!(
                "{name}: keys for statement {:?} of circuit {}, this build's is {id:?} of circuit {circuit_digest}",
                entry.statement, entry.circuit_digest
            )));
        }
        let vk_path = dir.join(&entry.verifying_key.file);
        let bytes = read_checked(&vk_path, &entry.verifying_key)?;
        vks.push((vk_path, bytes));
    }
    let bad = |p: &Path, e: zkinvoice_verifier::VerifyError| ProverError::KeyFile {
        file: p.into(),
        reason: e.to_string(),
    };
    let [(bp, b), (cp, c), (lp, l)]: [(std::path::PathBuf, Vec<u8>); 3] =
        vks.try_into().expect("three statements");
    Ok((
        shape,
        zkinvoice_verifier::PartitionKeySet {
            block: VerifyingKeyOf::from_bytes(&b).map_err(|e| bad(&bp, e))?,
            chunk: VerifyingKeyOf::from_bytes(&c).map_err(|e| bad(&cp, e))?,
            link: VerifyingKeyOf::from_bytes(&l).map_err(|e| bad(&lp, e))?,
        },
    ))
}
