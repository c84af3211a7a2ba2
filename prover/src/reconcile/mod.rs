//! Keys and proofs of the reconciliation statement (`zkinvoice/reconcile/v1`, issue 16,
//! `docs/lifecycle.md`): the Seller's invoice and the one rated from the Buyer's measurement,
//! compared against the MSA's dispute thresholds.
//!
//! Keys ([`ReconcileKeys`]) as [`crate::lifecycle`] makes, writes and loads them:
//! `reconcile-X.pk`, `reconcile-X.vk` and `reconcile-X.json` per v1 shape `X`.

pub mod partitioned;

use std::sync::Arc;

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
    lifecycle::{self, check_envelope, Lifecycle, StatementKeys},
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

/// The reconciliation statement.
pub struct Reconcile;

impl Lifecycle for Reconcile {
    type Statement = ReconcileStatement;
    type Circuit = ReconcileCircuit;
    const NAME: &'static str = "reconcile";
    fn blank(shape: Shape) -> ReconcileCircuit {
        ReconcileCircuit::blank(shape)
    }
}

/// The reconciliation statement's keys of one v1 shape.
pub type ReconcileKeys = StatementKeys<Reconcile>;

/// The file names of `shape`'s reconciliation keys: proving key, verifying key, manifest.
pub fn file_names(shape: Shape) -> [String; 3] {
    lifecycle::file_names::<Reconcile>(shape)
}

/// The statement's circuit digest (hex) and constraints at `shape` in this build.
pub fn expected(shape: Shape) -> (String, usize) {
    lifecycle::expected::<Reconcile>(shape)
}

/// The statement's matrices at `shape` (synthesised once per process).
pub fn matrices(shape: Shape) -> Result<Arc<R1cs>, ProverError> {
    lifecycle::matrices::<Reconcile>(shape)
}

impl ReconcileKeys {
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
        check_envelope(
            [(&self.scheme, &self.statement), (&self.vk_hash, &key.hash_hex())],
            STATEMENT,
            &self.period,
            [self.public_inputs.period_start, self.public_inputs.period_end],
        )?;
        zkinvoice_verifier::verify(key, &self.proof, &self.public_inputs).map_err(|e| ProverError::Refused {
            field: "proof".into(),
            reason: e.to_string(),
        })
    }
}
