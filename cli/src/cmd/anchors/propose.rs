//! `anchors propose`: drafts an entry (optionally signed) from a commitment file or an envelope.

use zkinvoice_anchors::{Body, Proposal};
use zkinvoice_circuits::commit::{MsaCommitDoc, UsageCommitDoc};
use zkinvoice_prover::ProofEnvelope;

use super::{netting, reconciliation, role, settlement};
use crate::{
    actions::proved_body,
    args::ProposeArgs,
    error::CliError,
    io::{read_json, Outputs},
    load,
};

/// `anchors propose`.
pub fn run(a: ProposeArgs) -> Result<(), CliError> {
    let body = body(&a)?;
    let mut p = Proposal::new(body);
    if let (Some(key), Some(r)) = (&a.key, a.role) {
        p.sign(role(r), &load::secret_key(key)?);
    }
    let mut out = Outputs::new(a.force);
    out.text(&a.out, p.to_json());
    out.commit()?;
    println!(
        "{}: {} proposal{}",
        a.out.display(),
        p.body.kind(),
        if a.key.is_some() { ", signed" } else { "" }
    );
    Ok(())
}

/// The entry's body, from the one input given.
fn body(a: &ProposeArgs) -> Result<Body, CliError> {
    if a.partial && a.usage_commit.is_none() && a.envelope.is_none() {
        return Err(CliError::Usage(
            "--partial goes with --usage-commit (usage-partial) or --envelope (invoice-partial)".into(),
        ));
    }
    if let Some(body) = reconciliation::body(a)?
        .or(settlement::body(a)?)
        .or(netting::body(a)?)
    {
        return Ok(body);
    }
    if let Some(path) = &a.msa_commit {
        let doc: MsaCommitDoc = read_json(path)?;
        let vk_path =
            a.vk.as_ref()
                .ok_or_else(|| CliError::Usage("--msa-commit needs --vk".into()))?;
        let vk = load::keys(vk_path)?;
        let setup = load::key_setup(vk_path, a.single_party_setup)?;
        return Ok(Body::msa_agreed(
            doc.msa_id,
            doc.commitment.0,
            doc.state0.0,
            doc.shape,
            &vk,
            setup,
        ));
    }
    if let Some(body) = usage_or_invoice(a)? {
        return Ok(if a.partial { body.into_partial() } else { body });
    }
    let Some(path) = a.accept.as_ref().or(a.reject.as_ref()) else {
        return Err(CliError::Usage(
            "give one of --msa-commit, --usage-commit, --envelope, --accept, --reject, --reconcile-key, --measured, --reconciliation, --resolve, --paid, --received".into(),
        ));
    };
    let env: ProofEnvelope = read_json(path)?;
    let (msa_commitment, invoice_commitment) = (
        env.public_inputs.msa_commitment,
        env.public_inputs.invoice_commitment,
    );
    match &a.reason {
        Some(reason) if a.reject.is_some() => Ok(Body::InvoiceRejected {
            msa_commitment,
            invoice_commitment,
            reason: reason.clone(),
        }),
        None if a.accept.is_some() => Ok(Body::InvoiceAccepted {
            msa_commitment,
            invoice_commitment,
        }),
        _ => Err(CliError::Usage(
            "--reject needs --reason; --accept takes none".into(),
        )),
    }
}

/// `usage-agreed` from `--usage-commit`, or `invoice-proved` from `--envelope`.
fn usage_or_invoice(a: &ProposeArgs) -> Result<Option<Body>, CliError> {
    if let Some(path) = &a.usage_commit {
        let doc: UsageCommitDoc = read_json(path)?;
        return Ok(Some(Body::UsageAgreed {
            msa_commitment: doc.msa_commitment.0,
            period_start: doc.period.start,
            period_end: doc.period.end,
            usage_commitment: doc.commitment.0,
            usage_detail_root: doc.detail_root,
        }));
    }
    if let Some(path) = &a.envelope {
        let env: ProofEnvelope = read_json(path)?;
        return Ok(Some(proved_body(&env)));
    }
    Ok(None)
}
