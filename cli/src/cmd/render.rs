//! `render`: a proved envelope, or an MEF 141 bill, as a human-readable HTML invoice
//! ([`crate::html`]), its proof checked with the verifying key when one is given. A bill's page
//! also says what it makes due: its category (interim, or final less the partial invoice), a
//! credit note applied, its payment.

use std::path::Path;

use zkinvoice_check::{check, Agreed, Received};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::ProofEnvelope;

use crate::{
    args::RenderArgs,
    error::{rejected, CliError},
    html::{self, Status},
    io::{read_json, Outputs},
    load,
};

/// `render`.
pub fn run(a: RenderArgs) -> Result<(), CliError> {
    let msa = load::msa(&a.msa)?;
    let (path, env, bill): (&Path, Option<ProofEnvelope>, Option<CustomerBill>) = match (&a.envelope, &a.bill)
    {
        (Some(p), _) => (p, Some(read_json(p)?), None),
        (None, Some(p)) => (p, None, Some(read_json(p)?)),
        (None, None) => return Err(CliError::Usage("give --envelope or --bill".into())),
    };
    let received = match (&env, &bill) {
        (Some(e), _) => Received::of_envelope(e, &msa),
        (None, Some(b)) => Received::of_bill(b, &msa),
        (None, None) => unreachable!("one was read above"),
    };
    let opened = received.opened().map_err(|r| rejected(Some(path), r))?;
    let status = match &a.vk {
        None => Status::NoKey,
        Some(vk) => {
            let key = load::prepared_keys(vk)?;
            match check(&key, &received, &Agreed::default()) {
                Ok(_) => Status::Verified,
                Err(r) => Status::Failed(rejected(None, r).to_string()),
            }
        }
    };
    let invoice = &opened.invoice;
    let page = html::document(
        &msa,
        invoice,
        &opened.after.state.volumes,
        (&received, &status),
        bill.as_ref(),
    )
    .map_err(|m| CliError::Mismatch(format!("{} and {}: {m}", path.display(), a.msa.display())))?;
    let mut out = Outputs::new(a.force);
    out.text(&a.out, page);
    out.commit()?;
    let due = bill
        .as_ref()
        .map(|b| format!(", {} {} due", b.amount_due.value.text(), b.amount_due.unit))
        .unwrap_or_default();
    println!(
        "invoice {}: {} lines, total {} {}{due}, proof {}, written to {}",
        invoice.number,
        invoice.lines.len(),
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        status.short(),
        a.out.display()
    );
    Ok(())
}
