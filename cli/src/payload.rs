//! `invoice` and `verify --payload`: the invoice as an MEF 141 (Sonata Billing) CustomerBill with
//! the proof as `zkProof`, and the Buyer's check of one.

use std::{path::Path, time::Instant};

use zkinvoice_circuits::{
    commit::{self, StateOpening},
    model::sonata::{CustomerBill, ZkProof},
    statement::STATEMENT,
    Invoice, Shape,
};
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_service::Rejection;

use crate::{
    commands::load_msa,
    error::CliError,
    io::{read_json, Outputs},
    proving::{check_received, envelope_invoice, in_file, load_vk, report_valid, Anchors, Received},
    InvoiceArgs, VerifyArgs,
};

/// The invoice of an envelope, checked to open its proven commitment, with its salt and the state
/// after (read against `msa`).
pub fn open_envelope(
    path: &Path,
    env: &ProofEnvelope,
    msa: &zkinvoice_circuits::Msa,
) -> Result<(Invoice, zkinvoice_circuits::Salt, StateOpening), CliError> {
    let in_env = |e: zkinvoice_circuits::Error| CliError::input(path, e);
    let (invoice, salt) = envelope_invoice(env).map_err(|e| match e {
        CliError::Invalid(m) => CliError::Mismatch(format!("{}: {m}", path.display())),
        e => e,
    })?;
    let shape: Shape = env.shape.parse().map_err(in_env)?;
    let opened = commit::invoice_commitment(&invoice, shape, &salt).map_err(in_env)?;
    if opened.0 != env.public_inputs.invoice_commitment {
        return Err(CliError::Mismatch(format!(
            "{}: the invoice does not open the proven invoice commitment",
            path.display()
        )));
    }
    let after = StateOpening::from_doc(msa, &env.state_after)
        .map_err(|e| CliError::Mismatch(format!("{}: stateAfter: {e}", path.display())))?;
    Ok((invoice, salt, after))
}

/// The `zkProof` of an envelope whose invoice commitment opens with `salt`.
pub fn zk_proof(env: &ProofEnvelope, salt: &zkinvoice_circuits::Salt) -> ZkProof {
    ZkProof {
        scheme: env.scheme.clone(),
        shape: env.shape.clone(),
        vk_hash: env.vk_hash.clone(),
        proof: env.proof.clone(),
        public_inputs: env.public_inputs,
        invoice_salt: salt.to_hex(),
    }
}

pub fn invoice(a: InvoiceArgs) -> Result<(), CliError> {
    let env: ProofEnvelope = read_json(&a.envelope)?;
    let msa = load_msa(&a.msa)?;
    let (invoice, salt, after) = open_envelope(&a.envelope, &env, &msa)?;
    let bill = CustomerBill::from_proved(&invoice, &msa, &after.state, zk_proof(&env, &salt))
        .map_err(|e| CliError::Mismatch(format!("{} and {}: {e}", a.envelope.display(), a.msa.display())))?;
    let mut out = Outputs::new(a.force);
    out.json(&a.out, &bill);
    out.commit()?;
    println!(
        "invoice {}: {} bill items, total {} {}, written to {}",
        invoice.number,
        bill.customer_bill_item.len(),
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        a.out.display()
    );
    Ok(())
}

/// `verify --payload`: the invoice is reconstructed from the bill, its commitment recomputed and
/// compared with the proven one, then everything is checked as for an envelope.
pub fn verify(a: &VerifyArgs, path: &Path) -> Result<(), CliError> {
    let bill: CustomerBill = read_json(path)?;
    let msa = a.msa.as_deref().map(load_msa).transpose()?;
    if let Some(db) = &a.anchors {
        crate::anchors::check_verify_args(a, db)?;
        let rejected = |r: Rejection| match r {
            Rejection::KeyMismatch(m) => CliError::KeyMismatch(format!("{}: {m}", path.display())),
            r => CliError::Invalid(format!("{}: {r}", path.display())),
        };
        let (t, invoice, facts) = if let Some(url) = crate::chain::url_of(db) {
            let (target, vk) = crate::anchors::chain_args(a, url)?;
            // The period to read the usage of: the bill's (a bill that does not read as an
            // invoice is refused by the check itself).
            let period = bill.to_invoice(msa.as_ref()).ok().map(|(i, _)| i.period.to_doc());
            let facts = crate::chain::read_facts(
                &target,
                vk,
                a.confirmations,
                period.as_ref(),
                &bill.zk_proof.public_inputs.invoice_commitment,
            )?;
            let t = Instant::now();
            let invoice = zkinvoice_service::check_bill(&facts, &bill, msa.as_ref()).map_err(rejected)?;
            (t, invoice, Some(facts))
        } else {
            let view = crate::anchors::open(db)?
                .view()
                .map_err(crate::anchors::anchor_err)?;
            let t = Instant::now();
            (
                t,
                zkinvoice_service::check_bill(&view, &bill, msa.as_ref()).map_err(rejected)?,
                None,
            )
        };
        crate::anchors::report_anchored("bill", &invoice, t);
        if let Some(facts) = facts {
            println!("{}", facts.summary());
        }
        return Ok(());
    }
    let (invoice, salt) = bill
        .to_invoice(msa.as_ref())
        .map_err(|e| CliError::Invalid(format!("{}: the bill: {e}", path.display())))?;
    let zk = &bill.zk_proof;
    let received = Received {
        scheme: &zk.scheme,
        statement: STATEMENT,
        shape: &zk.shape,
        vk_hash: &zk.vk_hash,
        proof: &zk.proof,
        public_inputs: &zk.public_inputs,
    };
    let reconstructed = move || Ok((invoice, salt));
    let vk =
        a.vk.as_ref()
            .ok_or_else(|| CliError::Usage("give --vk (or --anchors)".into()))?;
    let key = load_vk(vk)?;
    let anchors = Anchors::from_files(a)?;
    let t = Instant::now();
    let invoice: Invoice = check_received(&key, &received, reconstructed, &anchors).map_err(in_file(path))?;
    report_valid("bill", &invoice, t, &anchors);
    Ok(())
}
