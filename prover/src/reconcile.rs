//! Keys and proofs of the reconciliation statement (`zkinvoice/reconcile/v1`, issue 16,
//! `docs/lifecycle.md`): the Seller's invoice and the one rated from the Buyer's measurement,
//! compared against the MSA's dispute thresholds.
//!
//! Keys come from a single-party setup ([`ReconcileKeys::generate`], for tests) or from arkworks
//! keys ([`ReconcileKeys::from_ark`], e.g. a ceremony's); the CLI, key files and the ceremony's
//! statement list do not carry this statement yet.

use std::sync::Arc;

use ark_bls12_381::Bls12_381;
use ark_groth16::{Groth16, ProvingKey};
use rand::{CryptoRng, RngCore};
use zkinvoice_circuits::{
    commit::Salt,
    native::reconcile::Reconciliation,
    statement::reconcile::{ReconcileAssignment, ReconcileCircuit, STATEMENT},
    Invoice, Msa, Shape,
};
use zkinvoice_verifier::{InvoiceProof, ReconcilePublicInputs, ReconcileStatement, VerifyingKeyOf};

use crate::{
    groth16::{self, Backend, StatementProver},
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
        let r1cs = groth16::r1cs(&format!("{STATEMENT}/{}", shape.name), || {
            groth16::synthesise(STATEMENT, ReconcileCircuit::blank(shape))
        })?;
        let vk =
            ReconcileVerifyingKey::new(pk.vk.clone()).map_err(|e| ProverError::Proving(e.to_string()))?;
        Ok(Self {
            shape,
            prover: StatementProver::of(Arc::clone(&r1cs), pk, backend)?,
            vk,
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
