//! Groth16 keys per shape: generation, files with a manifest, and checked loading.
//!
//! Files in a parameter directory, per shape `X`:
//! * `invoice-X.pk`: the proving key, uncompressed (loading skips point validation, so the file
//!   is trusted only after its SHA-256 matches the manifest). It is read as a stream into the
//!   prover's filtered key ([`crate::groth16::FilteredKey`]), hashed as it is read;
//! * `invoice-X.vk`: the verifying key, compressed (its SHA-256 is the key's hash that
//!   envelopes and anchors name);
//! * `invoice-X.json`: the [`KeyManifest`];
//! * `invoice-X.r1cs`: the statement's constraint matrices in circom's format, read at load
//!   instead of synthesising the circuit (their digest, recomputed, must be the manifest's circuit
//!   digest; a directory without it still loads, synthesising them).
//!
//! Trust (v1): whoever knows a setup's randomness can forge proofs, so the **Buyer** (the
//! verifier) runs the setup and publishes the verifying key; its hash is anchored with the MSA.

use std::{
    fs,
    path::Path,
    sync::{Arc, LazyLock},
};

use ark_bls12_381::Bls12_381;
use ark_groth16::{Groth16, ProvingKey};
use ark_serialize::CanonicalSerialize;
use ark_snark::SNARK;
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{
    statement::{InvoiceCircuit, InvoiceCost, R1cs, STATEMENT},
    Shape,
};
use zkinvoice_verifier::{InvoiceVerifyingKey, PreparedInvoiceKey};

pub use crate::files::KeyFileEntry;
use crate::{
    files::{proving_key_bytes, read_checked, write_files, CeremonyRecord},
    groth16::{self, Backend, StatementProver},
    ProverError,
};

/// The circuit facts of this build (`params/shapes.json`, checked against the code by a test).
static SHAPES: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::from_str(include_str!("../../params/shapes.json")).expect("valid JSON"));

/// This build's `params/shapes.json`.
pub(crate) fn shapes() -> &'static serde_json::Value {
    &SHAPES
}

/// The circuit digest of `shape` in this build.
pub fn expected_digest(shape: Shape) -> String {
    SHAPES["shapes"][shape.name]["circuitDigest"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// A proving key of the invoice statement for one shape.
pub struct InvoiceProvingKey {
    shape: Shape,
    prover: StatementProver,
    ark: Option<ProvingKey<Bls12_381>>,
    file_size: u64,
}

impl InvoiceProvingKey {
    /// The shape it proves.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Size of its uncompressed file, in bytes.
    pub fn file_size(&self) -> u64 {
        self.file_size
    }

    /// The prover: the statement's matrices and the filtered key.
    pub fn prover(&self) -> &StatementProver {
        &self.prover
    }

    /// The whole arkworks key, kept only by keys made in this process (so that they can be
    /// written); keys loaded from files hold the filtered key alone.
    pub fn as_ark(&self) -> Option<&ProvingKey<Bls12_381>> {
        self.ark.as_ref()
    }
}

fn r1cs_id(shape: Shape) -> String {
    format!("{STATEMENT}/{}", shape.name)
}

/// The invoice statement's matrices for `shape` (synthesised once per process).
pub fn invoice_r1cs(shape: Shape) -> Result<Arc<R1cs>, ProverError> {
    groth16::r1cs(&r1cs_id(shape), || {
        groth16::synthesise(STATEMENT, InvoiceCircuit::blank(shape))
    })
}

/// The name of the file holding the invoice statement's matrices for `shape` in a key directory
/// (circom's `.r1cs`, as `zkinvoice export circom` names it).
pub fn r1cs_name(shape: Shape) -> String {
    format!("invoice-{}.r1cs", shape.name)
}

/// A shape's keys, ready to prove and to check proofs.
pub struct InvoiceKeys {
    /// The proving key.
    pub proving: InvoiceProvingKey,
    /// The verifying key.
    pub verifying: InvoiceVerifyingKey,
    /// The verifying key, prepared.
    pub prepared: PreparedInvoiceKey,
}

/// The manifest of a shape's keys (`invoice-X.json`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyManifest {
    /// The statement, `zkinvoice/invoice/v1`.
    pub statement: String,
    /// Shape name.
    pub shape: String,
    /// Product slots.
    pub products: usize,
    /// Tiers per product.
    pub tiers: usize,
    /// Usage records.
    pub records: usize,
    /// Constraints of the circuit.
    pub constraints: usize,
    /// SHA-256 over the circuit's constraint matrices, hex.
    pub circuit_digest: String,
    /// The proving key file (uncompressed).
    pub proving_key: KeyFileEntry,
    /// The verifying key file (compressed); its hash is the verifying key's hash.
    pub verifying_key: KeyFileEntry,
    /// The ceremony the keys come from; absent for a single-party `setup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceremony: Option<CeremonyRecord>,
}

/// File names of a shape's keys.
pub fn file_names(shape: Shape) -> [String; 3] {
    let base = format!("invoice-{}", shape.name);
    [format!("{base}.pk"), format!("{base}.vk"), format!("{base}.json")]
}

impl KeyManifest {
    /// The manifest's file: pretty JSON and a newline.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("manifests serialise");
        bytes.push(b'\n');
        bytes
    }

    /// The manifest of `shape`'s key files ([`file_names`]) holding `pk` (uncompressed) and `vk`
    /// (compressed), for the circuit whose constraint matrices hash to `circuit_digest` (hex).
    pub fn of_files(shape: Shape, circuit_digest: String, pk: &[u8], vk: &[u8]) -> Self {
        let [pk_name, vk_name, _] = file_names(shape);
        Self {
            statement: STATEMENT.into(),
            shape: shape.name.into(),
            products: shape.products,
            tiers: shape.tiers,
            records: shape.records,
            constraints: InvoiceCost::of(shape).total(shape),
            circuit_digest,
            proving_key: KeyFileEntry::of(&pk_name, pk),
            verifying_key: KeyFileEntry::of(&vk_name, vk),
            ceremony: None,
        }
    }
}

impl InvoiceKeys {
    /// Generates keys for `shape` (Groth16 circuit-specific setup).
    pub fn setup<R: RngCore + CryptoRng>(shape: Shape, rng: &mut R) -> Result<Self, ProverError> {
        let (pk, _) = Groth16::<Bls12_381>::circuit_specific_setup(InvoiceCircuit::blank(shape), rng)
            .map_err(|e| ProverError::Proving(e.to_string()))?;
        Self::from_ark(shape, pk, Backend::default())
    }

    /// Keys from an arkworks proving key of `shape`'s statement, proving with `backend`'s MSMs.
    pub fn from_ark(shape: Shape, pk: ProvingKey<Bls12_381>, backend: Backend) -> Result<Self, ProverError> {
        let verifying =
            InvoiceVerifyingKey::new(pk.vk.clone()).map_err(|e| ProverError::Proving(e.to_string()))?;
        let prover = StatementProver::of(invoice_r1cs(shape)?, &pk, backend)?;
        Ok(Self {
            prepared: verifying.prepare(),
            verifying,
            proving: InvoiceProvingKey {
                shape,
                prover,
                file_size: pk.uncompressed_size() as u64,
                ark: Some(pk),
            },
        })
    }

    /// The shape.
    pub fn shape(&self) -> Shape {
        self.proving.shape
    }

    /// Writes the key files and the manifest into `dir` (created if missing). Refuses to replace
    /// existing files unless `force`; the manifest is written last, so a directory never holds a
    /// manifest describing key files that were not completely written.
    pub fn write(&self, dir: &Path, force: bool) -> Result<KeyManifest, ProverError> {
        self.write_with(dir, force, None)
    }

    /// [`Self::write`], the manifest recording the ceremony the keys come from.
    pub fn write_with(
        &self,
        dir: &Path,
        force: bool,
        ceremony: Option<CeremonyRecord>,
    ) -> Result<KeyManifest, ProverError> {
        let shape = self.shape();
        let [pk_name, vk_name, manifest_name] = file_names(shape);
        let pk_bytes = proving_key_bytes(self.proving.ark.as_ref(), dir.join(&pk_name))?;
        let vk_bytes = self.verifying.to_bytes();
        let digest = self.proving.prover.r1cs().digest;
        let manifest = KeyManifest {
            ceremony,
            ..KeyManifest::of_files(shape, hex::encode(digest), &pk_bytes, &vk_bytes)
        };
        let manifest_bytes = manifest.to_bytes();
        let r1cs_bytes = zkinvoice_circuits::statement::r1cs::circom::r1cs_file(self.proving.prover.r1cs());
        write_files(
            dir,
            [
                (pk_name, pk_bytes),
                (vk_name, vk_bytes),
                (r1cs_name(shape), r1cs_bytes),
                (manifest_name, manifest_bytes),
            ],
            force,
        )?;
        Ok(manifest)
    }

    /// Loads `shape`'s keys from `dir`: the manifest must describe this build's circuit, and
    /// each file must have the manifest's size and SHA-256 before it is deserialised.
    pub fn load(dir: &Path, shape: Shape) -> Result<Self, ProverError> {
        let [pk_name, vk_name, manifest_name] = file_names(shape);
        let manifest_path = dir.join(&manifest_name);
        let manifest = read_manifest(&manifest_path, shape)?;
        let vk_bytes = read_checked(&dir.join(&vk_name), &manifest.verifying_key)?;
        let verifying = InvoiceVerifyingKey::from_bytes(&vk_bytes).map_err(|e| ProverError::KeyFile {
            file: dir.join(&vk_name),
            reason: e.to_string(),
        })?;
        let pk_path = dir.join(&pk_name);
        let r1cs = groth16::load_r1cs(
            &r1cs_id(shape),
            STATEMENT,
            &dir.join(r1cs_name(shape)),
            &manifest.circuit_digest,
            || groth16::synthesise(STATEMENT, InvoiceCircuit::blank(shape)),
        )?;
        let key = groth16::key::read_file(&pk_path, &manifest.proving_key, &r1cs, Backend::default())?;
        let mut embedded_vk = Vec::new();
        key.vk
            .serialize_compressed(&mut embedded_vk)
            .map_err(|e| ProverError::KeyFile {
                file: pk_path.clone(),
                reason: e.to_string(),
            })?;
        if embedded_vk != vk_bytes {
            return Err(ProverError::KeyFile {
                file: pk_path,
                reason: format!("the proving key does not belong to the verifying key {vk_name}"),
            });
        }
        Ok(Self {
            prepared: verifying.prepare(),
            verifying,
            proving: InvoiceProvingKey {
                shape,
                prover: StatementProver::new(r1cs, key),
                ark: None,
                file_size: manifest.proving_key.bytes,
            },
        })
    }
}

/// Reads and checks a manifest: statement, shape, and this build's circuit.
pub fn read_manifest(path: &Path, shape: Shape) -> Result<KeyManifest, ProverError> {
    let err = |reason: String| ProverError::KeyFile {
        file: path.into(),
        reason,
    };
    let text = fs::read_to_string(path).map_err(|e| {
        err(format!(
            "cannot read: {e} (run `zkinvoice setup --shape {}`)",
            shape.name
        ))
    })?;
    let m: KeyManifest = serde_json::from_str(&text).map_err(|e| err(format!("not a key manifest: {e}")))?;
    if m.statement != STATEMENT {
        return Err(err(format!(
            "keys for statement {:?}, not {STATEMENT:?}",
            m.statement
        )));
    }
    if m.shape != shape.name {
        return Err(err(format!("keys for shape {}, not {}", m.shape, shape.name)));
    }
    let expected = expected_digest(shape);
    if m.circuit_digest != expected {
        return Err(err(format!(
            "keys made for circuit {}, but this build's shape {} circuit is {expected}: make keys again with `zkinvoice setup`",
            m.circuit_digest, shape.name
        )));
    }
    Ok(m)
}
