//! `usage commit`: validates a period's usage, computes its commitment and detail root.

use crate::{
    actions::commit_usage,
    args::UsageCommitArgs,
    error::CliError,
    io::{emit, Outputs},
    load,
};

/// `usage commit`.
pub fn commit(a: UsageCommitArgs) -> Result<(), CliError> {
    let msa = load::msa(&a.msa)?;
    let (shape, msa_commitment, _) = load::msa_commit(&a.msa_commit, &msa)?;
    let usage = load::usage(&a.usage, &msa, a.period, a.aggregate_days)?;
    let salt = load::salt_or_random(a.salt.as_deref())?;
    let doc =
        commit_usage(&msa, msa_commitment, &usage, shape, salt).map_err(|e| CliError::input(&a.usage, e))?;
    emit(Outputs::new(a.force), a.out.as_deref(), &doc)
}
