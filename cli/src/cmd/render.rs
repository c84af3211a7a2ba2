//! `render`: a proved envelope as a human-readable HTML invoice ([`crate::html`]), its proof
//! checked with the verifying key when one is given.

use zkinvoice_check::{check, Agreed, Received};
use zkinvoice_prover::ProofEnvelope;

use crate::{
    actions::open_envelope,
    args::RenderArgs,
    error::{rejected, CliError},
    html::{self, Status},
    io::{read_json, Outputs},
    load,
};

/// `render`.
pub fn run(a: RenderArgs) -> Result<(), CliError> {
    let env: ProofEnvelope = read_json(&a.envelope)?;
    let msa = load::msa(&a.msa)?;
    let (invoice, _, after) = open_envelope(&a.envelope, &env, &msa)?;
    let status = match &a.vk {
        None => Status::NoKey,
        Some(vk) => {
            let key = load::prepared_keys(vk)?;
            match check(&key, &Received::of_envelope(&env, &msa), &Agreed::default()) {
                Ok(_) => Status::Verified,
                Err(r) => Status::Failed(rejected(None, r).to_string()),
            }
        }
    };
    let page = html::document(&msa, &invoice, &after.state.volumes, &env, &status)
        .map_err(|m| CliError::Mismatch(format!("{} and {}: {m}", a.envelope.display(), a.msa.display())))?;
    let mut out = Outputs::new(a.force);
    out.text(&a.out, page);
    out.commit()?;
    println!(
        "invoice {}: {} lines, total {} {}, proof {}, written to {}",
        invoice.number,
        invoice.lines.len(),
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        status.short(),
        a.out.display()
    );
    Ok(())
}
