//! `anchors propose`'s reconciliation entries (`docs/lifecycle.md`): the reconciliation key
//! agreed for an MSA, a party's measurement, the reconciliation or dispute it proves, and a
//! dispute's resolution; the netting key agreed for an MSA; and the SLA credits' entries (the
//! credit key, a period's SLA performance, a credit note).

use std::path::Path;

use zkinvoice_anchors::Body;
use zkinvoice_circuits::{
    commit::{sla::SlaCommitDoc, MsaCommitDoc, UsageCommitDoc},
    Error,
};
use zkinvoice_prover::{
    credit::CreditEnvelope,
    reconcile::{
        partitioned::{self, PartitionedReconcileEnvelope},
        ReconcileEnvelope,
    },
    ProofEnvelope,
};
use zkinvoice_verifier::{
    partition::reconcile::{
        PartitionedReconcileProof, ReconcileBlockStatement, ReconcileKeySet, ReconcileLinkStatement,
    },
    CreditStatement, NettingHeadsStatement, NettingStatement, ReconcileStatement, Statement, VerifyingKeyOf,
};

use super::role;
use crate::{args::ProposeArgs, error::CliError, io::read_json, load};

/// The body of `--reconcile-key`, `--netting-key`, `--credit-key`, `--sla-commit`,
/// `--credit-note`, `--measured`, `--reconciliation` or `--resolve`, or `None` when none of them
/// is given.
pub fn body(a: &ProposeArgs) -> Result<Option<Body>, CliError> {
    if let (Some(vk), Some(msa)) = (&a.reconcile_key, &a.msa_commit) {
        // v1's key, or a partition shape's block key (the link's beside it).
        return key::<ReconcileStatement>(vk, msa, a.single_party_setup)
            .or_else(|e| partitioned_keys(vk, msa, a.single_party_setup).map_err(|_| e))
            .map(Some);
    }
    if let (Some(vk), Some(msa)) = (&a.netting_key, &a.msa_commit) {
        // v1's key (six inputs), or the netting of partitioned invoices' (eight).
        return key::<NettingStatement>(vk, msa, a.single_party_setup)
            .or_else(|_| key::<NettingHeadsStatement>(vk, msa, a.single_party_setup))
            .map(Some);
    }
    if let (Some(vk), Some(msa)) = (&a.credit_key, &a.msa_commit) {
        return key::<CreditStatement>(vk, msa, a.single_party_setup).map(Some);
    }
    if let Some(path) = &a.sla_commit {
        let doc: SlaCommitDoc = read_json(path)?;
        return Ok(Some(Body::SlaAgreed {
            msa_commitment: doc.msa_commitment.0,
            period_start: doc.period.start,
            period_end: doc.period.end,
            sla_commitment: doc.commitment.0,
        }));
    }
    if let Some(path) = &a.credit_note {
        let env: CreditEnvelope = read_json(path)?;
        let period = (env.period.start.clone(), env.period.end.clone());
        return Ok(Some(Body::credit_note(&env.public_inputs, period, &env.proof)));
    }
    if let (Some(path), Some(r)) = (&a.measured, a.role) {
        let env: ProofEnvelope = read_json(path)?;
        let p = &env.invoice.period;
        let body = Body::usage_measured(&env.public_inputs, &p.start, &p.end, role(r), &env.proof);
        return Ok(Some(body));
    }
    if let (Some(path), Some(r)) = (&a.reconciliation, a.role) {
        let doc: serde_json::Value = read_json(path)?;
        if doc.get("statement").and_then(|s| s.as_str()) == Some(partitioned::STATEMENT) {
            let env: PartitionedReconcileEnvelope = read_json(path)?;
            let proof = PartitionedReconcileProof {
                public: env.public,
                proofs: env.proofs,
            };
            let body = Body::partitioned_reconciliation(&proof, &env.period.start, &env.period.end, role(r));
            return Ok(Some(body));
        }
        let env: ReconcileEnvelope = read_json(path)?;
        let (p, by) = (&env.period, role(r));
        let body = Body::reconciliation(&env.public_inputs, &p.start, &p.end, by, &env.proof);
        return Ok(Some(body));
    }
    if let (Some(path), Some(resolution)) = (&a.resolve, &a.resolution) {
        let doc: UsageCommitDoc = read_json(path)?;
        return Ok(Some(Body::DisputeResolved {
            msa_commitment: doc.msa_commitment.0,
            period_start: doc.period.start,
            period_end: doc.period.end,
            usage_commitment: doc.commitment.0,
            resolution: resolution.clone(),
        }));
    }
    Ok(None)
}

/// `statement-key-agreed`: the key of statement `S` in `vk_path`, for the MSA of `msa_path`,
/// made as its manifest records (or a single-party setup both accept).
fn key<S: Statement>(vk_path: &Path, msa_path: &Path, single_party: bool) -> Result<Body, CliError> {
    let doc: MsaCommitDoc = read_json(msa_path)?;
    let bytes = std::fs::read(vk_path).map_err(|source| CliError::Read {
        file: vk_path.into(),
        source,
    })?;
    let vk = VerifyingKeyOf::<S>::from_bytes(&bytes).map_err(|e| {
        CliError::input(
            vk_path,
            Error::invalid("verifying key", format!("not a key of {}: {e}", S::ID)),
        )
    })?;
    let setup = load::key_setup(vk_path, single_party)?;
    Ok(Body::statement_key_agreed(doc.commitment.0, &vk, setup))
}

/// `statement-key-agreed` of the reconciliation of partitioned invoices: the block statement's key
/// in `vk_path` (`reconcile-v2-block-X.vk`) and the link's beside it (`reconcile-v2-link-link.vk`),
/// for the MSA of `msa_path`, made as the block key's manifest records.
fn partitioned_keys(vk_path: &Path, msa_path: &Path, single_party: bool) -> Result<Body, CliError> {
    let doc: MsaCommitDoc = read_json(msa_path)?;
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| CliError::Read {
            file: path.into(),
            source,
        })
    };
    let invalid = |path: &Path, what: &str, e: zkinvoice_verifier::VerifyError| {
        CliError::input(
            path,
            Error::invalid("verifying key", format!("not a key of {what}: {e}")),
        )
    };
    let block = VerifyingKeyOf::<ReconcileBlockStatement>::from_bytes(&read(vk_path)?)
        .map_err(|e| invalid(vk_path, ReconcileBlockStatement::ID, e))?;
    let link_path = vk_path.with_file_name("reconcile-v2-link-link.vk");
    let link = VerifyingKeyOf::<ReconcileLinkStatement>::from_bytes(&read(&link_path)?)
        .map_err(|e| invalid(&link_path, ReconcileLinkStatement::ID, e))?;
    let setup = load::key_setup(vk_path, single_party)?;
    Ok(Body::reconcile_keys_agreed(
        doc.commitment.0,
        &ReconcileKeySet { block, link },
        setup,
    ))
}
