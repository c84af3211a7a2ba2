//! Keys of the statements after the invoice (issue 16, `docs/lifecycle.md`): the reconciliation
//! ([`crate::reconcile`]) and the netting ([`crate::netting`]), each of one v1 shape, with the
//! same files, manifest and checks.
//!
//! Keys come from a single-party setup ([`StatementKeys::generate`]; `zkinvoice setup
//! --statement reconcile|netting`) or from arkworks keys ([`StatementKeys::from_ark`]: a v1
//! ceremony's further statements). Files in a key directory, per v1 shape `X`, as the invoice
//! statement's ([`crate::keys`]): `<name>-X.pk` (uncompressed), `<name>-X.vk` (compressed; its
//! SHA-256 is the hash `statement-key-agreed` anchors) and the manifest `<name>-X.json`, whose
//! circuit digest must be this build's ([`expected`], `params/shapes.json`); the matrices are
//! synthesised at load (a small circuit).

use std::{fs, marker::PhantomData, path::Path, sync::Arc};

use ark_bls12_381::Bls12_381;
use ark_groth16::{Groth16, ProvingKey};
use ark_relations::gr1cs::ConstraintSynthesizer;
use ark_serialize::CanonicalSerialize;
use rand::{CryptoRng, RngCore};
use zkinvoice_circuits::{model::period::PeriodDoc, statement::R1cs, Fr, Shape};
use zkinvoice_verifier::{Statement, VerifyingKeyOf};

use crate::{
    files::{proving_key_bytes, read_checked, write_files, CeremonyRecord},
    groth16::{self, Backend, StatementProver},
    keys::{KeyFileEntry, KeyManifest},
    ProverError,
};

/// A statement after the invoice, of one v1 shape.
pub trait Lifecycle {
    /// The verifier's statement (its id and public inputs).
    type Statement: Statement;
    /// The circuit.
    type Circuit: ConstraintSynthesizer<Fr> + Clone;
    /// The short name: key files' prefix, `params/shapes.json`'s key, `setup --statement`'s value.
    const NAME: &'static str;
    /// The circuit with blank values at `shape`, for key generation.
    fn blank(shape: Shape) -> Self::Circuit;
    /// The command that makes the keys at `shape`, for the errors of a missing or stale key.
    fn setup_hint(shape: Shape) -> String {
        format!(
            "zkinvoice setup --statement {} --shape {}",
            Self::NAME,
            shape.name
        )
    }
}

/// The keys of statement `L` at one v1 shape.
pub struct StatementKeys<L: Lifecycle> {
    /// The shape.
    pub shape: Shape,
    pub(crate) prover: StatementProver,
    vk: VerifyingKeyOf<L::Statement>,
    /// The whole arkworks key, kept only by keys made in this process (so that they can be
    /// written).
    ark: Option<ProvingKey<Bls12_381>>,
    statement: PhantomData<L>,
}

/// The file names of `L`'s keys at `shape`: proving key, verifying key, manifest.
pub fn file_names<L: Lifecycle>(shape: Shape) -> [String; 3] {
    let base = format!("{}-{}", L::NAME, shape.name);
    [format!("{base}.pk"), format!("{base}.vk"), format!("{base}.json")]
}

/// `L`'s circuit digest (hex) and constraints at `shape` in this build (`params/shapes.json`,
/// checked against the circuits by a test).
pub fn expected<L: Lifecycle>(shape: Shape) -> (String, usize) {
    let entry = &crate::keys::shapes()[L::NAME][shape.name];
    (
        entry["circuitDigest"].as_str().unwrap_or_default().to_string(),
        entry["constraints"].as_u64().unwrap_or_default() as usize,
    )
}

/// `L`'s matrices at `shape` (synthesised once per process).
pub fn matrices<L: Lifecycle>(shape: Shape) -> Result<Arc<R1cs>, ProverError> {
    let id = <L::Statement as Statement>::ID;
    groth16::r1cs(&format!("{id}/{}", shape.name), || {
        groth16::synthesise(id, L::blank(shape))
    })
}

impl<L: Lifecycle> StatementKeys<L> {
    /// A single-party setup (the trust of v1's `setup`; for tests).
    pub fn generate<R: RngCore + CryptoRng>(shape: Shape, rng: &mut R) -> Result<Self, ProverError> {
        let pk = Groth16::<Bls12_381>::generate_random_parameters_with_reduction(L::blank(shape), rng)
            .map_err(|e| ProverError::Proving(e.to_string()))?;
        Self::from_ark(shape, &pk, Backend::default())
    }

    /// Keys from an arkworks proving key of the statement at `shape`, proving with `backend`'s MSMs.
    pub fn from_ark(shape: Shape, pk: &ProvingKey<Bls12_381>, backend: Backend) -> Result<Self, ProverError> {
        let vk = VerifyingKeyOf::new(pk.vk.clone()).map_err(|e| ProverError::Proving(e.to_string()))?;
        Ok(Self {
            shape,
            prover: StatementProver::of(matrices::<L>(shape)?, pk, backend)?,
            vk,
            ark: Some(pk.clone()),
            statement: PhantomData,
        })
    }

    /// Writes the key files and the manifest into `dir` (created if missing), the manifest last;
    /// refuses to replace existing files unless `force`.
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
        let [pk_name, vk_name, manifest_name] = file_names::<L>(self.shape);
        let pk_bytes = proving_key_bytes(self.ark.as_ref(), dir.join(&pk_name))?;
        let vk_bytes = self.vk.to_bytes();
        let shape = self.shape;
        let manifest = KeyManifest {
            statement: <L::Statement as Statement>::ID.into(),
            shape: shape.name.into(),
            products: shape.products,
            tiers: shape.tiers,
            records: shape.records,
            constraints: self.prover.r1cs().num_constraints(),
            circuit_digest: hex::encode(self.prover.r1cs().digest),
            proving_key: KeyFileEntry::of(&pk_name, &pk_bytes),
            verifying_key: KeyFileEntry::of(&vk_name, &vk_bytes),
            ceremony,
        };
        let files = [
            (pk_name, pk_bytes),
            (vk_name, vk_bytes),
            (manifest_name, manifest.to_bytes()),
        ];
        write_files(dir, files, force)?;
        Ok(manifest)
    }

    /// Loads `shape`'s keys from `dir`: the manifest must be of this statement and shape and
    /// describe this build's circuit, and each file must have the manifest's size and SHA-256
    /// before it is deserialised; the proving key must hold the verifying key.
    pub fn load(dir: &Path, shape: Shape) -> Result<Self, ProverError> {
        let statement = <L::Statement as Statement>::ID;
        let [pk_name, vk_name, manifest_name] = file_names::<L>(shape);
        let path = dir.join(&manifest_name);
        let err = |file: &Path, reason: String| ProverError::KeyFile {
            file: file.into(),
            reason,
        };
        let text = fs::read_to_string(&path).map_err(|e| {
            err(
                &path,
                format!("cannot read: {e} (run `{}`)", L::setup_hint(shape)),
            )
        })?;
        let m: KeyManifest =
            serde_json::from_str(&text).map_err(|e| err(&path, format!("not a key manifest: {e}")))?;
        if m.statement != statement || m.shape != shape.name {
            return Err(err(
                &path,
                format!(
                    "keys of {:?} at shape {}, not {statement:?} at {}",
                    m.statement, m.shape, shape.name
                ),
            ));
        }
        let (expected, _) = expected::<L>(shape);
        if m.circuit_digest != expected {
            return Err(err(
                &path,
                format!(
                    "keys made for circuit {}, but this build's is {expected}: make keys again with `{}`",
                    m.circuit_digest,
                    L::setup_hint(shape)
                ),
            ));
        }
        let r1cs = matrices::<L>(shape)?;
        let vk_path = dir.join(&vk_name);
        let vk_bytes = read_checked(&vk_path, &m.verifying_key)?;
        let vk = VerifyingKeyOf::from_bytes(&vk_bytes).map_err(|e| err(&vk_path, e.to_string()))?;
        let pk_path = dir.join(&pk_name);
        let key = groth16::key::read_file(&pk_path, &m.proving_key, &r1cs, Backend::default())?;
        let mut embedded = Vec::new();
        key.vk
            .serialize_compressed(&mut embedded)
            .map_err(|e| err(&pk_path, e.to_string()))?;
        if embedded != vk_bytes {
            return Err(err(
                &pk_path,
                format!("the proving key does not belong to the verifying key {vk_name}"),
            ));
        }
        Ok(Self {
            shape,
            prover: StatementProver::new(r1cs, key),
            vk,
            ark: None,
            statement: PhantomData,
        })
    }

    /// The verifying key.
    pub fn verifying_key(&self) -> &VerifyingKeyOf<L::Statement> {
        &self.vk
    }
}

/// Checks a statement envelope's header against the key and its period against the public
/// inputs: `header` is `[(scheme, statement), (vkHash, the key's hash)]`, `period` the envelope's
/// period and `inputs` its public inputs `periodStart` and `periodEnd`
/// ([`ProverError::Refused`] naming the first field that differs).
pub fn check_envelope(
    header: [(&str, &str); 2],
    statement: &str,
    period: &PeriodDoc,
    inputs: [Fr; 2],
) -> Result<(), ProverError> {
    let differs = |field: &str, found: &str, expected: &str| {
        (found != expected).then(|| ProverError::Refused {
            field: field.into(),
            reason: format!("is {found:?}, expected {expected:?}"),
        })
    };
    let [(scheme, named), (vk_hash, key_hash)] = header;
    let named_period = zkinvoice_verifier::ReconcilePublicInputs::period(&period.start, &period.end)
        .is_ok_and(|p| p == inputs);
    let checks = [
        differs("scheme", scheme, zkinvoice_verifier::SCHEME),
        differs("statement", named, statement),
        differs("vkHash", vk_hash, key_hash),
        (!named_period).then(|| ProverError::Refused {
            field: "period".into(),
            reason: format!(
                "{}..{} is not the period of publicInputs.periodStart and .periodEnd",
                period.start, period.end
            ),
        }),
    ];
    checks.into_iter().flatten().next().map_or(Ok(()), Err)
}
