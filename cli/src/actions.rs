//! What the commands do, as functions of typed values (no arguments, no printing): commit an MSA
//! or a period's usage, rate a period, open a received envelope, make its MEF 141 bill and its
//! anchor body. The commands and the demo call the same functions.

use std::path::Path;

use serde::Serialize;
use zkinvoice_anchors::Body;
use zkinvoice_check::Received;
use zkinvoice_circuits::{
    commit::{self, MsaCommitDoc, StateDoc, StateOpening, UsageCommitDoc},
    model::invoice::{CommitmentDoc, InvoiceDoc},
    rate, Commitment, Invoice, Layout, Msa, Rated, Salt, Usage, VolumeState,
};
use zkinvoice_mef141::{CustomerBill, ZkProof};
use zkinvoice_prover::ProofEnvelope;

use crate::error::CliError;

/// The MSA commitment and `state_0`.
pub struct MsaCommitted {
    /// `msa_commitment`.
    pub commitment: Commitment,
    /// The commitment file.
    pub doc: MsaCommitDoc,
    /// `state_0`.
    pub state0: StateOpening,
}

/// Commits to an MSA and its `state_0`.
pub fn commit_msa(
    msa: &Msa,
    shape: Layout,
    salt: Salt,
    state_salt: Salt,
) -> Result<MsaCommitted, zkinvoice_circuits::Error> {
    let commitment = commit::msa_commitment(msa, shape, &salt)?;
    let state0 = StateOpening::new(commitment, VolumeState::initial(msa), shape, state_salt)?;
    let doc = MsaCommitDoc {
        shape: shape.name().into(),
        msa_id: msa.id.clone(),
        commitment,
        salt: salt.to_hex(),
        state0: state0.commitment,
    };
    Ok(MsaCommitted {
        commitment,
        doc,
        state0,
    })
}

/// Commits to a period's usage.
pub fn commit_usage(
    msa: &Msa,
    msa_commitment: Commitment,
    usage: &Usage,
    shape: Layout,
    salt: Salt,
) -> Result<UsageCommitDoc, zkinvoice_circuits::Error> {
    let commitment = commit::usage_commitment(msa_commitment, msa, usage, shape, &salt)?;
    Ok(UsageCommitDoc {
        shape: shape.name().into(),
        msa_commitment,
        period: usage.period.to_doc(),
        records: usage.records.len(),
        commitment,
        detail_root: hex::encode(commit::usage_detail_root(usage, &salt)),
        salt: salt.to_hex(),
    })
}

/// The output of `rate`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateOutput {
    /// The invoice with its commitment.
    pub invoice: InvoiceDoc,
    /// The state after the period.
    pub state_after: StateDoc,
}

/// Rates a period and commits to the invoice and the state after.
pub fn rate_period(
    msa: &Msa,
    usage: &Usage,
    before: &StateOpening,
    invoice_number: &str,
) -> Result<(Rated, RateOutput), zkinvoice_circuits::Error> {
    before.shape.check(msa.need(usage.records.len()))?;
    let rated = rate(msa, usage, &before.state, invoice_number)?;
    let mut rng = rand::rngs::OsRng;
    let salt = Salt::random(&mut rng);
    let value = commit::invoice_commitment(&rated.invoice, before.shape, &salt)?;
    let after = StateOpening::new(
        before.msa_commitment,
        rated.after.clone(),
        before.shape,
        Salt::random(&mut rng),
    )?;
    let output = RateOutput {
        invoice: rated.invoice.to_doc(Some(CommitmentDoc {
            shape: before.shape.name().into(),
            salt: salt.to_hex(),
            value: value.to_string(),
        })),
        state_after: after.to_doc(msa),
    };
    Ok((rated, output))
}

/// The `invoice-proved` body of an envelope.
pub fn proved_body(env: &ProofEnvelope) -> Body {
    Body::invoice_proved(
        &env.public_inputs,
        &env.invoice.number,
        &env.invoice.period.start,
        &env.invoice.period.end,
        &env.proof,
    )
}

/// The invoice of an envelope (`path`), checked to open its proven commitment, with its salt and
/// the state after (read against `msa`).
pub fn open_envelope(
    path: &Path,
    env: &ProofEnvelope,
    msa: &Msa,
) -> Result<(Invoice, Salt, StateOpening), CliError> {
    let o = Received::of_envelope(env, msa)
        .opened()
        .map_err(|r| CliError::Mismatch(format!("{}: {r}", path.display())))?;
    Ok((o.invoice, o.salt, o.after))
}

/// The MEF 141 bill of an opened envelope.
pub fn bill(
    env: &ProofEnvelope,
    invoice: &Invoice,
    salt: &Salt,
    msa: &Msa,
    after: &VolumeState,
) -> Result<CustomerBill, zkinvoice_circuits::Error> {
    CustomerBill::from_proved(invoice, msa, after, ZkProof::of_envelope(env, salt))
}
