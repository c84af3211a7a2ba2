//! `anchors propose --netting`: the `invoices-netted` entry of a netting envelope in one of the
//! two bilaterals' logs (`docs/lifecycle.md`): this log's invoice is the one of the envelope's
//! two that it anchors, and the other's acceptance comes from the opposite bilateral's log. And
//! `--net-paid` / `--net-received`: the net's payment and its receipt. Each also from an anchor
//! contract (`--anchors URL --contract A`).

use std::path::Path;

use zkinvoice_anchors::{Body, Entry};
use zkinvoice_evm::chain::ChainAnchor;
use zkinvoice_prover::netting::NettingEnvelope;
use zkinvoice_verifier::{fr_to_hex, Fr};

use super::role;
use crate::{
    args::ProposeArgs,
    error::{anchor_err, CliError},
    io::read_json,
    load,
    resolve::{AnchorSource, ChainAt},
};

/// Where `--anchors` (and `--contract`) point: a log, or an anchor contract.
fn source(a: &ProposeArgs, this: &Path) -> Result<AnchorSource, CliError> {
    AnchorSource::resolve(this, a.contract.as_deref(), 0, "--contract", a.contract.is_some())
}

/// The body of `--netting`, `--net-paid` or `--net-received`, or `None` when none is given.
pub fn body(a: &ProposeArgs) -> Result<Option<Body>, CliError> {
    if let Some(body) = net_payment(a)? {
        return Ok(Some(body));
    }
    let (Some(path), Some(this)) = (&a.netting, &a.anchors) else {
        return Ok(None);
    };
    let env: NettingEnvelope = read_json(path)?;
    let this = match source(a, this)? {
        AnchorSource::Chain(at) => return chain_netting(&at, &env, path).map(Some),
        AnchorSource::Log(this) => this,
    };
    let Some(other) = &a.other_anchors else {
        return Err(CliError::Usage(
            "--netting with an anchor log needs --other-anchors (the opposite bilateral's log)".into(),
        ));
    };
    let this = this.as_path();
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
    let body = Body::invoices_netted(msa, invoice, other_side, p, period, &env.proof);
    // Of partitioned invoices: the log's rule checks their parts and the proof over the heads.
    Ok(match &env.invoice_parts {
        Some(parts) => body.map(|b| b.with_netted_parts(parts)),
        None => body,
    })
}

/// The body of `--net-paid` or `--net-received`: the net commitment of the envelope, the MSA of
/// the log's `invoices-netted` entry that has it.
fn net_payment(a: &ProposeArgs) -> Result<Option<Body>, CliError> {
    let (path, paid) = match (&a.net_paid, &a.net_received) {
        (Some(p), _) => (p, true),
        (None, Some(p)) => (p, false),
        (None, None) => return Ok(None),
    };
    let (Some(r), Some(this), Some(reference), Some(on)) = (a.role, &a.anchors, &a.reference, &a.on) else {
        return Err(CliError::Usage(
            "--net-paid and --net-received need --role, --anchors, --reference and --on".into(),
        ));
    };
    let env: NettingEnvelope = read_json(path)?;
    let net = env.public_inputs.net_commitment;
    let msa = match source(a, this)? {
        AnchorSource::Chain(at) => {
            let anchor = at.read_only()?;
            let netted = anchor.netted_period(&net).map_err(at.err())?;
            let msa = anchor.state().map_err(at.err())?.msa.map(|(m, _)| m);
            netted.and(msa)
        }
        AnchorSource::Log(this) => entries(&this)?.into_iter().find_map(|e| match e.body {
            Body::InvoicesNetted {
                msa_commitment,
                net_commitment,
                ..
            } if net_commitment == net => Some(msa_commitment),
            _ => None,
        }),
    };
    let Some(msa_commitment) = msa else {
        return Err(CliError::Mismatch(format!(
            "{}: no netting has the net of {}",
            this.display(),
            path.display()
        )));
    };
    let (by, reference) = (role(r), reference.clone());
    Ok(Some(if paid {
        Body::NetPayment {
            msa_commitment,
            net_commitment: net,
            by,
            paid_on: on.clone(),
            reference,
        }
    } else {
        Body::NetPaymentReceived {
            msa_commitment,
            net_commitment: net,
            by,
            received_on: on.clone(),
            reference,
        }
    }))
}

/// `invoices-netted` of `env` for the anchor contract `at`: its invoice of the period is the one
/// of the two, the other MSA its registered counterpart's; `otherAccepted` is empty (on a chain
/// the counterpart accepted its invoice by verifying its proof; the contract checks it there).
/// Of partitioned invoices, with their parts (the registered `NettingHeadsVerifier` checks them).
fn chain_netting(at: &ChainAt, env: &NettingEnvelope, path: &Path) -> Result<Body, CliError> {
    let err = at.err();
    let anchor = at.read_only()?;
    let place = format!("{} {}", at.url, at.contract);
    let msa = anchor
        .state()
        .map_err(&err)?
        .msa
        .map(|(m, _)| m)
        .ok_or_else(|| CliError::Mismatch(format!("{place}: the anchor's MSA is not registered")))?;
    let period = (env.period.start.clone(), env.period.end.clone());
    let id = zkinvoice_check::chain::period_id(&period.0, &period.1)
        .map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))?;
    let p = &env.public_inputs;
    let invoice = anchor
        .invoice_of(id)
        .map_err(&err)?
        .filter(|i| *i == p.first_invoice || *i == p.second_invoice)
        .ok_or_else(|| {
            CliError::Mismatch(format!(
                "{}: neither invoice is the anchor's invoice of {}..{} ({place})",
                path.display(),
                period.0,
                period.1
            ))
        })?;
    let (counterpart, _) = anchor.netting_terms().map_err(&err)?.ok_or_else(|| {
        CliError::Mismatch(format!(
            "{place}: no netting terms are registered (send the netting key's entry with --counterpart and --statement-verifier first)"
        ))
    })?;
    let other_msa = ChainAnchor::connect_read_only(&at.url, counterpart)
        .and_then(|c| c.state())
        .map_err(&err)?
        .msa
        .map(|(m, _)| m)
        .ok_or_else(|| {
            CliError::Mismatch(format!("{counterpart}: the counterpart's MSA is not registered"))
        })?;
    let body = Body::invoices_netted(msa, invoice, (other_msa, String::new()), p, period, &env.proof)
        .ok_or_else(|| {
            CliError::Mismatch(format!(
                "{}: not a netting of the anchor's invoice",
                path.display()
            ))
        })?;
    Ok(match &env.invoice_parts {
        Some(parts) => body.with_netted_parts(parts),
        None => body,
    })
}

/// The entries of the log at `path`.
fn entries(path: &Path) -> Result<Vec<Entry>, CliError> {
    load::log(path)?.entries().map_err(anchor_err)
}

/// The first hex digits of a commitment.
fn short(x: &Fr) -> String {
    fr_to_hex(x)[..12].to_string()
}
