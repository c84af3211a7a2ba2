//! `render`: a proved envelope, or an MEF 141 bill, as a human-readable HTML invoice
//! ([`crate::html`]), its proof checked with the verifying key when one is given, or against the
//! anchor log as `verify --anchors` checks it. A bill's page
//! also says what it makes due: its part (interim, or final less the partial invoice), a
//! credit note applied, its payment.

use std::path::Path;

use zkinvoice_check::{check, check_anchored, Agreed, Received};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::ProofEnvelope;

use crate::{
    args::RenderArgs,
    error::{anchor_err, rejected, CliError},
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
    let checked = match (&a.vk, &a.anchors) {
        (None, None) => None,
        (Some(vk), _) => Some((
            check(&load::prepared_keys(vk)?, &received, &Agreed::default()),
            Status::Verified,
        )),
        (None, Some(db)) => {
            let view = load::log(db)?.view().map_err(anchor_err)?;
            Some((check_anchored(&view, &received), Status::Anchored))
        }
    };
    let status = match checked {
        None => Status::NoKey,
        Some((Ok(_), verified)) => verified,
        Some((Err(r), _)) => Status::Failed(rejected(None, r).to_string()),
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
