//! `msa commit`: validates an MSA, computes its commitment and the initial state `state_0`.

use zkinvoice_circuits::{Layout, Salt};

use crate::{
    actions::commit_msa,
    args::MsaCommitArgs,
    error::CliError,
    io::{emit, Outputs},
    load,
};

/// `msa commit`.
pub fn commit(a: MsaCommitArgs) -> Result<(), CliError> {
    let msa = load::msa(&a.msa)?;
    let need = msa.need(a.records);
    let in_msa = |e| CliError::input(&a.msa, e);
    let shape = match a.shape {
        Some(s) => {
            s.check(need).map_err(in_msa)?;
            s
        }
        None => Layout::smallest_fitting(need).map_err(in_msa)?,
    };
    let salt = load::salt_or_random(a.salt.as_deref())?;
    let done = commit_msa(&msa, shape, salt, Salt::random(&mut rand::rngs::OsRng)).map_err(in_msa)?;
    let mut out = Outputs::new(a.force);
    if let Some(p) = &a.state_out {
        out.json(p, &done.state0.to_doc(&msa));
    }
    emit(out, a.out.as_deref(), &done.doc)
}
