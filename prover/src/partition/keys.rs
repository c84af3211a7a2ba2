//! The keys of a partition shape on disk: for each statement (block, chunk, link) a proving key
//! (uncompressed) and a verifying key (compressed), and one manifest, `partition-X.json`, naming
//! each file's size and SHA-256 and each statement's constraint count and circuit digest. Loading
//! checks the manifest against this build's circuits and every file against the manifest before
//! deserialising, as v1's keys do.

use std::{fs, path::Path, sync::Arc};

use ark_bls12_381::Bls12_381;
use ark_groth16::{Groth16, PreparedVerifyingKey, ProvingKey, VerifyingKey};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{
    partition::{PartitionId, PartitionShape},
    statement::{
        block::{self, BlockCircuit},
        chunk::{self, ChunkCircuit},
        link::{self, LinkCircuit},
        r1cs::circom::r1cs_file,
        R1cs,
    },
};

use crate::{
    files::{proving_key_bytes, read_checked, write_files, CeremonyRecord},
    groth16::{self, Backend, StatementProver},
    keys::KeyFileEntry,
    ProverError,
};

/// One statement's entry in the manifest.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatementEntry {
    /// The statement id, e.g. `zkinvoice/block/v2`.
    pub statement: String,
    /// Constraints of its circuit.
    pub constraints: usize,
    /// SHA-256 over its constraint matrices, hex.
    pub circuit_digest: String,
    /// The proving key file (uncompressed).
    pub proving_key: KeyFileEntry,
    /// The verifying key file (compressed); its SHA-256 is the key's hash.
    pub verifying_key: KeyFileEntry,
}

/// The manifest of a partition shape's keys (`partition-X.json`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartitionManifest {
    /// Partition shape name.
    pub shape: String,
    /// Products per block.
    pub block_products: usize,
    /// Tiers per product.
    pub tiers: usize,
    /// Records per chunk.
    pub chunk_records: usize,
    /// The block statement.
    pub block: StatementEntry,
    /// The chunk statement.
    pub chunk: StatementEntry,
    /// The link statement.
    pub link: StatementEntry,
    /// The ceremony the keys come from; absent for a single-party `setup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceremony: Option<CeremonyRecord>,
}

/// One statement's keys.
pub struct StatementKeys {
    /// The prover: the statement's matrices and its filtered proving key (which holds the
    /// verifying key).
    pub prover: StatementProver,
    /// The verifying key, prepared.
    pub prepared: PreparedVerifyingKey<Bls12_381>,
    /// The whole arkworks proving key, kept only by keys made in this process (to be written).
    pub ark: Option<ProvingKey<Bls12_381>>,
}

impl StatementKeys {
    fn new(prover: StatementProver, ark: Option<ProvingKey<Bls12_381>>) -> Self {
        let prepared = ark_groth16::prepare_verifying_key(prover.vk());
        Self {
            prover,
            prepared,
            ark,
        }
    }

    /// The verifying key.
    pub fn vk(&self) -> &ark_groth16::VerifyingKey<Bls12_381> {
        self.prover.vk()
    }
}

/// The keys of one partition shape: block, chunk and link.
pub struct PartitionKeys {
    /// The partition shape.
    pub shape: PartitionShape,
    /// The block statement's keys.
    pub block: StatementKeys,
    /// The chunk statement's keys.
    pub chunk: StatementKeys,
    /// The link statement's keys.
    pub link: StatementKeys,
}

impl PartitionKeys {
    /// A single-party setup of the three statements (the trust of v1's `setup`).
    pub fn generate<R: RngCore + CryptoRng>(shape: PartitionShape, rng: &mut R) -> Result<Self, ProverError> {
        Self::generate_with(shape, rng, Backend::default())
    }

    /// A single-party setup of the three statements, proving with `backend`'s MSMs.
    pub fn generate_with<R: RngCore + CryptoRng>(
        shape: PartitionShape,
        rng: &mut R,
        backend: Backend,
    ) -> Result<Self, ProverError> {
        let fail = |e: ark_relations::gr1cs::SynthesisError| ProverError::Proving(e.to_string());
        let block =
            Groth16::<Bls12_381>::generate_random_parameters_with_reduction(BlockCircuit::blank(shape), rng)
                .map_err(fail)?;
        let chunk =
            Groth16::<Bls12_381>::generate_random_parameters_with_reduction(ChunkCircuit::blank(shape), rng)
                .map_err(fail)?;
        let link = Groth16::<Bls12_381>::generate_random_parameters_with_reduction(LinkCircuit::blank(), rng)
            .map_err(fail)?;
        Self::from_ark(shape, [block, chunk, link], backend)
    }

    /// Keys from arkworks proving keys of `shape`'s block, chunk and link statements (e.g. a
    /// ceremony's), proving with `backend`'s MSMs.
    pub fn from_ark(
        shape: PartitionShape,
        [block, chunk, link]: [ProvingKey<Bls12_381>; 3],
        backend: Backend,
    ) -> Result<Self, ProverError> {
        let [rb, rc, rl] = statement_r1cs(shape)?;
        let keys = |r1cs, pk: ProvingKey<Bls12_381>| -> Result<StatementKeys, ProverError> {
            Ok(StatementKeys::new(
                StatementProver::of(r1cs, &pk, backend)?,
                Some(pk),
            ))
        };
        Ok(Self {
            shape,
            block: keys(rb, block)?,
            chunk: keys(rc, chunk)?,
            link: keys(rl, link)?,
        })
    }

    /// The keys of the statement partition `id` is proven with.
    pub fn of(&self, id: PartitionId) -> &StatementKeys {
        match id {
            PartitionId::Block(_) => &self.block,
            PartitionId::Chunk(_) => &self.chunk,
            PartitionId::Link => &self.link,
        }
    }
}

fn r1cs_id(shape: PartitionShape, statement: &str) -> String {
    format!("{statement}/{}", shape.name)
}

/// The matrices of `shape`'s statement `name` (block, chunk or link) synthesised from its blank
/// circuit.
fn synthesise(shape: PartitionShape, name: &str) -> Result<R1cs, ProverError> {
    match name {
        "block" => groth16::synthesise(block::STATEMENT, BlockCircuit::blank(shape)),
        "chunk" => groth16::synthesise(chunk::STATEMENT, ChunkCircuit::blank(shape)),
        _ => groth16::synthesise(link::STATEMENT, LinkCircuit::blank()),
    }
}

/// The matrices of `shape`'s block, chunk and link statements (synthesised once per process).
pub fn statement_r1cs(shape: PartitionShape) -> Result<[Arc<R1cs>; 3], ProverError> {
    let [b, c, l] = statements(shape)
        .map(|(name, id, _, _)| groth16::r1cs(&r1cs_id(shape, id), || synthesise(shape, name)));
    Ok([b?, c?, l?])
}

/// The three statements of `shape`: name, id, constraints and circuit digest (hex), as this
/// build's `params/shapes.json` pins them (a test checks them against the circuits).
pub fn statements(shape: PartitionShape) -> [(&'static str, &'static str, usize, String); 3] {
    let pinned = &crate::keys::shapes()["partitions"][shape.name];
    [
        ("block", block::STATEMENT),
        ("chunk", chunk::STATEMENT),
        ("link", link::STATEMENT),
    ]
    .map(|(name, id)| {
        let entry = &pinned[name];
        (
            name,
            id,
            entry["constraints"].as_u64().unwrap_or_default() as usize,
            entry["circuitDigest"].as_str().unwrap_or_default().to_string(),
        )
    })
}

/// The name of the file holding the matrices of `shape`'s statement `name` (block, chunk or link)
/// in a key directory (circom's `.r1cs`, as `zkinvoice export circom` names it): read at load
/// instead of synthesising the circuit, and checked against the manifest's circuit digest.
pub fn r1cs_name(shape: PartitionShape, name: &str) -> String {
    format!("partition-{}-{name}.r1cs", shape.name)
}

/// The manifest's file name for `shape`.
pub fn manifest_name(shape: PartitionShape) -> String {
    format!("partition-{}.json", shape.name)
}

fn key_names(shape: PartitionShape, statement: &str) -> (String, String) {
    let base = format!("partition-{}-{statement}", shape.name);
    (format!("{base}.pk"), format!("{base}.vk"))
}

impl PartitionKeys {
    /// Writes the three statements' key files and the manifest (last) into `dir`; refuses to
    /// replace existing files unless `force`.
    pub fn write(&self, dir: &Path, force: bool) -> Result<PartitionManifest, ProverError> {
        self.write_with(dir, force, None)
    }

    /// [`Self::write`], the manifest recording the ceremony the keys come from.
    pub fn write_with(
        &self,
        dir: &Path,
        force: bool,
        ceremony: Option<CeremonyRecord>,
    ) -> Result<PartitionManifest, ProverError> {
        let shape = self.shape;
        let mut files = Vec::new();
        let mut entries = Vec::new();
        for ((name, id, constraints, circuit_digest), keys) in
            statements(shape)
                .into_iter()
                .zip([&self.block, &self.chunk, &self.link])
        {
            let (pk_name, vk_name) = key_names(shape, name);
            let pk = proving_key_bytes(keys.ark.as_ref(), dir.join(&pk_name))?;
            let mut vk = Vec::new();
            keys.vk()
                .serialize_compressed(&mut vk)
                .map_err(|e| ProverError::Proving(e.to_string()))?;
            entries.push(StatementEntry {
                statement: id.into(),
                constraints,
                circuit_digest,
                proving_key: KeyFileEntry::of(&pk_name, &pk),
                verifying_key: KeyFileEntry::of(&vk_name, &vk),
            });
            files.push((pk_name, pk));
            files.push((vk_name, vk));
            files.push((r1cs_name(shape, name), r1cs_file(keys.prover.r1cs())));
        }
        let [block, chunk, link]: [StatementEntry; 3] = entries.try_into().expect("three statements");
        let manifest = PartitionManifest {
            shape: shape.name.into(),
            block_products: shape.block_products,
            tiers: shape.tiers,
            chunk_records: shape.chunk_records,
            block,
            chunk,
            link,
            ceremony,
        };
        let mut m = serde_json::to_vec_pretty(&manifest).expect("manifests serialise");
        m.push(b'\n');
        files.push((manifest_name(shape), m));
        write_files(dir, files, force)?;
        Ok(manifest)
    }

    /// Loads `shape`'s keys from `dir`, checking the manifest against this build's circuits and
    /// each file against the manifest.
    pub fn load(dir: &Path, shape: PartitionShape) -> Result<Self, ProverError> {
        let path = dir.join(manifest_name(shape));
        let err = |reason: String| ProverError::KeyFile {
            file: path.clone(),
            reason,
        };
        let text = fs::read_to_string(&path).map_err(|e| {
            err(format!(
                "cannot read: {e} (run `zkinvoice setup --shape {}`)",
                shape.name
            ))
        })?;
        let m: PartitionManifest =
            serde_json::from_str(&text).map_err(|e| err(format!("not a partition key manifest: {e}")))?;
        if m.shape != shape.name {
            return Err(err(format!(
                "keys for partition shape {}, not {}",
                m.shape, shape.name
            )));
        }
        let mut keys = Vec::new();
        for ((name, id, _, circuit_digest), entry) in
            statements(shape).into_iter().zip([&m.block, &m.chunk, &m.link])
        {
            if entry.statement != id {
                return Err(err(format!(
                    "{name}: keys for statement {:?}, not {id:?}",
                    entry.statement
                )));
            }
            if entry.circuit_digest != circuit_digest {
                return Err(err(format!(
                    "{name}: keys made for circuit {}, but this build's is {circuit_digest}: make keys again with `zkinvoice setup --shape {}`",
                    entry.circuit_digest, shape.name
                )));
            }
            let vk_path = dir.join(&entry.verifying_key.file);
            let vk_bytes = read_checked(&vk_path, &entry.verifying_key)?;
            let vk = VerifyingKey::<Bls12_381>::deserialize_compressed(&vk_bytes[..]).map_err(|e| {
                ProverError::KeyFile {
                    file: vk_path.clone(),
                    reason: format!("not a verifying key: {e}"),
                }
            })?;
            let r1cs = groth16::load_r1cs(
                &r1cs_id(shape, id),
                id,
                &dir.join(r1cs_name(shape, name)),
                &circuit_digest,
                || synthesise(shape, name),
            )?;
            let pk_path = dir.join(&entry.proving_key.file);
            let pk = groth16::key::read_file(&pk_path, &entry.proving_key, &r1cs, Backend::default())?;
            if pk.vk != vk {
                return Err(ProverError::KeyFile {
                    file: pk_path,
                    reason: format!("the proving key does not belong to {}", entry.verifying_key.file),
                });
            }
            keys.push(StatementKeys::new(StatementProver::new(r1cs, pk), None));
        }
        let [block, chunk, link]: [StatementKeys; 3] = keys.try_into().ok().expect("three statements");
        Ok(Self {
            shape,
            block,
            chunk,
            link,
        })
    }
}
