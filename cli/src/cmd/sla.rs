//! `sla commit`: validates a period's SLA performance records and computes their commitment.

use zkinvoice_circuits::commit::sla::{sla_commitment, SlaCommitDoc};

use crate::{
    args::SlaCommitArgs,
    error::CliError,
    io::{emit, Outputs},
    load,
};

/// `sla commit`.
pub fn commit(a: SlaCommitArgs) -> Result<(), CliError> {
    let msa = load::msa(&a.msa)?;
    let (layout, msa_commitment, _) = load::msa_commit(&a.msa_commit, &msa)?;
    let Some(shape) = layout.single() else {
        return Err(CliError::Mismatch(format!(
            "{}: the MSA is committed at {}; SLA credits are of v1 shapes (S, M) today",
            a.msa_commit.display(),
            layout.name()
        )));
    };
    let sla = load::sla(&a.sla, &msa)?;
    let salt = load::salt_or_random(a.salt.as_deref())?;
    let commitment =
        sla_commitment(msa_commitment, &msa, &sla, shape, &salt).map_err(|e| CliError::input(&a.sla, e))?;
    let doc = SlaCommitDoc {
        shape: shape.name.into(),
        msa_commitment,
        period: sla.period.to_doc(),
        commitment,
        salt: salt.to_hex(),
    };
    emit(Outputs::new(a.force), a.out.as_deref(), &doc)
}
