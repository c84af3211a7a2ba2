//! `anchors propose --netting`: the `invoices-netted` entry of a netting envelope in one of the
//! two bilaterals' logs (`docs/lifecycle.md`): this log's invoice is the one of the envelope's
//! two that it anchors, and the other's acceptance comes from the opposite bilateral's log.

use std::path::Path;

use zkinvoice_anchors::{Body, Entry};
use zkinvoice_prover::netting::NettingEnvelope;
use zkinvoice_verifier::{fr_to_hex, Fr};

use super::role;
use crate::{
    args::ProposeArgs,
    error::{anchor_err, CliError},
    io::read_json,
    load,
};

/// The body of `--netting`, or `None` when it is not given.
pub fn body(a: &ProposeArgs) -> Result<Option<Body>, CliError> {
    let (Some(path), Some(r), Some(this), Some(other)) = (&a.netting, a.role, &a.anchors, &a.other_anchors)
    else {
        return Ok(None);
    };
    let env: NettingEnvelope = read_json(path)?;
    let p = &env.public_inputs;
    let invoices = [p.first_invoice, p.second_invoice];
    let proved = entries(this)?.into_iter().find_map(|e| match e.body {
        Body::InvoiceProved {
            msa_commitment,
            invoice_commitment,
            ..
        } if invoices.contains(&invoice_commitment) => Some((msa_commitment, invoice_commitment)),
        _ => None,
    });
    let Some((msa, invoice)) = proved else {
        return Err(CliError::Mismatch(format!(
            "{}: neither invoice of {} is anchored in this log",
            this.display(),
            path.display()
        )));
    };
    let other_invoice = if invoices[0] == invoice {
        invoices[1]
    } else {
        invoices[0]
    };
    let accepted = entries(other)?
        .into_iter()
        .find_map(|e| match (&e.body, e.signatures.first()) {
            (
                Body::InvoiceAccepted {
                    msa_commitment,
                    invoice_commitment,
                },
                Some(s),
            ) if *invoice_commitment == other_invoice => Some((*msa_commitment, s.signature.clone())),
            _ => None,
        });
    let Some(other_side) = accepted else {
        return Err(CliError::Mismatch(format!(
            "{}: invoice {} is not accepted in this log (the other bilateral's invoice must be)",
            other.display(),
            short(&other_invoice)
        )));
    };
    let period = (env.period.start.clone(), env.period.end.clone());
    Ok(Body::invoices_netted(
        msa,
        invoice,
        other_side,
        p,
        period,
        role(r),
        &env.proof,
    ))
}

/// The entries of the log at `path`.
fn entries(path: &Path) -> Result<Vec<Entry>, CliError> {
    load::log(path)?.entries().map_err(anchor_err)
}

/// The first hex digits of a commitment.
fn short(x: &Fr) -> String {
    fr_to_hex(x)[..12].to_string()
}
