//! Keys and proofs of the reconciliation statement (`zkinvoice/reconcile/v1`, issue 16,
//! `docs/lifecycle.md`): the Seller's invoice and the one rated from the Buyer's measurement,
//! compared against the MSA's dispute thresholds.
//!
//! Keys come from a single-party setup ([`ReconcileKeys::generate`]; `zkinvoice setup
//! --statement reconcile`) or from arkworks keys ([`ReconcileKeys::from_ark`]: a v1 ceremony's
//! second statement). Files in a key directory, per v1 shape `X`, as the invoice statement's
//! ([`crate::keys`]): `reconcile-X.pk` (uncompressed), `reconcile-X.vk` (compressed; its SHA-256
//! is the hash `statement-key-agreed` anchors) and the manifest `reconcile-X.json`, whose circuit
//! digest must be this build's ([`expected`], `params/shapes.json`); the matrices are synthesised
//! at load (a small circuit).

use std::{fs, path::Path, sync::Arc};

use ark_bls12_381::Bls12_381;
use ark_groth16::{Groth16, ProvingKey};
use ark_serialize::CanonicalSerialize;
use rand::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zkinvoice_circuits::{
    commit::Salt,
    model::period::PeriodDoc,
    native::reconcile::Reconciliation,
    statement::{
        reconcile::{ReconcileAssignment, ReconcileCircuit, STATEMENT},
        R1cs,
    },
    Invoice, Msa, Shape,
};
use zkinvoice_verifier::{
    InvoiceProof, PreparedKeyOf, ReconcilePublicInputs, ReconcileStatement, VerifyingKeyOf,
};

use crate::{
    files::{proving_key_bytes, read_checked, write_files, CeremonyRecord},
    groth16::{self, Backend, StatementProver},
    keys::{KeyFileEntry, KeyManifest},
    ProverError,
};

/// The reconciliation statement's verifying key.
pub type ReconcileVerifyingKey = VerifyingKeyOf<ReconcileStatement>;

/// A proven reconciliation: its public inputs, the native verdict they state, and the proof.
pub struct ProvedReconciliation {
    /// The public inputs (the `over` bits among them).
    pub public: ReconcilePublicInputs,
    /// The verdict, per product, kind and total.
    pub verdict: Reconciliation,
    /// The proof.
    pub proof: InvoiceProof,
}

/// The reconciliation statement's keys of one v1 shape.
pub struct ReconcileKeys {
    /// The shape.
    pub shape: Shape,
    prover: StatementProver,
    vk: ReconcileVerifyingKey,
    /// The whole arkworks key, kept only by keys made in this process (so that they can be
    /// written).
    ark: Option<ProvingKey<Bls12_381>>,
}

/// The file names of `shape`'s reconciliation keys: proving key, verifying key, manifest.
pub fn file_names(shape: Shape) -> [String; 3] {
    let base = format!("reconcile-{}", shape.name);
    [format!("{base}.pk"), format!("{base}.vk"), format!("{base}.json")]
}

/// The statement's circuit digest (hex) and constraints at `shape` in this build
/// (`params/shapes.json`, checked against the circuits by a test).
pub fn expected(shape: Shape) -> (String, usize) {
    let entry = &crate::keys::shapes()["reconcile"][shape.name];
    (
        entry["circuitDigest"].as_str().unwrap_or_default().to_string(),
        entry["constraints"].as_u64().unwrap_or_default() as usize,
    )
}

/// The statement's matrices at `shape` (synthesised once per process).
pub fn matrices(shape: Shape) -> Result<Arc<R1cs>, ProverError> {
    groth16::r1cs(&format!("{STATEMENT}/{}", shape.name), || {
        groth16::synthesise(STATEMENT, ReconcileCircuit::blank(shape))
    })
}

impl ReconcileKeys {
    /// A single-party setup (the trust of v1's `setup`; for tests).
    pub fn generate<R: RngCore + CryptoRng>(shape: Shape, rng: &mut R) -> Result<Self, ProverError> {
        let pk = Groth16::<Bls12_381>::generate_random_parameters_with_reduction(
            ReconcileCircuit::blank(shape),
            rng,
        )
        .map_err(|e| ProverError::Proving(e.to_string()))?;
        Self::from_ark(shape, &pk, Backend::default())
    }

    /// Keys from an arkworks proving key of the statement at `shape`, proving with `backend`'s MSMs.
    pub fn from_ark(shape: Shape, pk: &ProvingKey<Bls12_381>, backend: Backend) -> Result<Self, ProverError> {
        let vk =
            ReconcileVerifyingKey::new(pk.vk.clone()).map_err(|e| ProverError::Proving(e.to_string()))?;
        Ok(Self {
            shape,
            prover: StatementProver::of(matrices(shape)?, pk, backend)?,
            vk,
            ark: Some(pk.clone()),
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
        let [pk_name, vk_name, manifest_name] = file_names(self.shape);
        let pk_bytes = proving_key_bytes(self.ark.as_ref(), dir.join(&pk_name))?;
        let vk_bytes = self.vk.to_bytes();
        let shape = self.shape;
        let manifest = KeyManifest {
            statement: STATEMENT.into(),
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
        let [pk_name, vk_name, manifest_name] = file_names(shape);
        let path = dir.join(&manifest_name);
        let err = |file: &Path, reason: String| ProverError::KeyFile {
            file: file.into(),
            reason,
        };
        let text = fs::read_to_string(&path).map_err(|e| {
            err(
                &path,
                format!(
                    "cannot read: {e} (run `zkinvoice setup --statement reconcile --shape {}`)",
                    shape.name
                ),
            )
        })?;
        let m: KeyManifest =
            serde_json::from_str(&text).map_err(|e| err(&path, format!("not a key manifest: {e}")))?;
        if m.statement != STATEMENT || m.shape != shape.name {
            return Err(err(
                &path,
                format!(
                    "keys of {:?} at shape {}, not {STATEMENT:?} at {}",
                    m.statement, m.shape, shape.name
                ),
            ));
        }
        let (expected, _) = expected(shape);
        if m.circuit_digest != expected {
            return Err(err(
                &path,
                format!(
                    "keys made for circuit {}, but this build's is {expected}: make keys again with `zkinvoice setup --statement reconcile`",
                    m.circuit_digest
                ),
            ));
        }
        let r1cs = matrices(shape)?;
        let vk_path = dir.join(&vk_name);
        let vk_bytes = read_checked(&vk_path, &m.verifying_key)?;
        let vk = ReconcileVerifyingKey::from_bytes(&vk_bytes).map_err(|e| err(&vk_path, e.to_string()))?;
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
        })
    }

    /// The verifying key.
    pub fn verifying_key(&self) -> &ReconcileVerifyingKey {
        &self.vk
    }

    /// Reconciles the Seller's invoice with the Buyer's under `msa` and proves the verdict.
    /// Refuses what the native reconciliation refuses (`zkinvoice_circuits::Error`, as
    /// [`ProverError::Model`]).
    pub fn prove(
        &self,
        msa: &Msa,
        msa_salt: &Salt,
        seller: (&Invoice, &Salt),
        buyer: (&Invoice, &Salt),
        rng: &mut (impl RngCore + CryptoRng),
    ) -> Result<ProvedReconciliation, ProverError> {
        let (assignment, public, verdict) =
            ReconcileAssignment::new(msa, self.shape, msa_salt, seller, buyer)?;
        let proof = self.prover.prove(ReconcileCircuit { public, assignment }, rng)?;
        Ok(ProvedReconciliation {
            public,
            verdict,
            proof: proof.into(),
        })
    }
}

/// A proven reconciliation as a file (`zkinvoice reconcile --prove`): what either party sends
/// the other, and what `usage-reconciled` or `dispute-opened` anchors (the period, the public
/// inputs and the proof).
///
/// JSON: `{scheme, statement, shape, vkHash, period: {start, end}, publicInputs: {msaCommitment,
/// sellerInvoice, buyerInvoice, over, periodStart, periodEnd}, proof}`; unknown fields are
/// refused. Every field is checked by [`ReconcileEnvelope::verify`] against the key and the
/// public inputs (the period against `periodStart` and `periodEnd`), or by the log against its
/// entries (the period names the measurements whose invoices the public inputs must be).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReconcileEnvelope {
    /// `groth16-bls12-381`.
    pub scheme: String,
    /// `zkinvoice/reconcile/v1`.
    pub statement: String,
    /// The v1 shape.
    pub shape: String,
    /// The verifying key's hash, hex.
    pub vk_hash: String,
    /// The period both invoices bill.
    pub period: PeriodDoc,
    /// The six public inputs.
    pub public_inputs: ReconcilePublicInputs,
    /// The proof, base64 of its 192 compressed bytes.
    pub proof: InvoiceProof,
}

impl ReconcileEnvelope {
    /// The envelope of `proved`, for the period `period`, under `keys`.
    pub fn new(proved: &ProvedReconciliation, period: PeriodDoc, keys: &ReconcileKeys) -> Self {
        Self {
            scheme: zkinvoice_verifier::SCHEME.into(),
            statement: STATEMENT.into(),
            shape: keys.shape.name.into(),
            vk_hash: keys.verifying_key().hash_hex(),
            period,
            public_inputs: proved.public,
            proof: proved.proof.clone(),
        }
    }

    /// Whether the two are within every threshold (`over` is zero).
    pub fn within(&self) -> bool {
        self.public_inputs.over == zkinvoice_circuits::Fr::from(0u64)
    }

    /// Checks the scheme, statement and key hash against `key` and the period against the public
    /// inputs, then the proof against the public inputs ([`ProverError::Refused`] naming the
    /// field).
    pub fn verify(&self, key: &PreparedKeyOf<ReconcileStatement>) -> Result<(), ProverError> {
        let header = |field: &str, found: &str, expected: &str| {
            (found != expected).then(|| ProverError::Refused {
                field: field.into(),
                reason: format!("is {found:?}, expected {expected:?}"),
            })
        };
        let period = ReconcilePublicInputs::period(&self.period.start, &self.period.end);
        let named = period
            .is_ok_and(|[s, e]| (s, e) == (self.public_inputs.period_start, self.public_inputs.period_end));
        let checks = [
            header("scheme", &self.scheme, zkinvoice_verifier::SCHEME),
            header("statement", &self.statement, STATEMENT),
            header("vkHash", &self.vk_hash, &key.hash_hex()),
            (!named).then(|| ProverError::Refused {
                field: "period".into(),
                reason: format!(
                    "{}..{} is not the period of publicInputs.periodStart and .periodEnd",
                    self.period.start, self.period.end
                ),
            }),
        ];
        if let Some(refusal) = checks.into_iter().flatten().next() {
            return Err(refusal);
        }
        zkinvoice_verifier::verify(key, &self.proof, &self.public_inputs).map_err(|e| ProverError::Refused {
            field: "proof".into(),
            reason: e.to_string(),
        })
    }
}
