//! `net`: two invoices of one period in opposite directions between the same parties netted
//! (`docs/lifecycle.md`, MEF 114 §8.6.3): the net amount and who pays it, and with `--prove` the
//! netting statement's proof over the two invoice commitments. Each invoice is `rate`'s output,
//! a proof envelope or, read against its bilateral's MSA, an MEF 141 bill: each party is the
//! Seller of one bilateral (its envelope) and the Buyer of the other (the bill it received).

use std::path::Path;

use serde_json::Value;
use zkinvoice_circuits::{
    commit::{self, Commitment},
    model::{invoice::CommitmentDoc, period::PeriodDoc},
    native::netting::Payer,
    Error, Invoice, Shape,
};
use zkinvoice_mef141::{part::NORMAL, CustomerBill};
use zkinvoice_prover::netting::{NetOpening, NettingEnvelope, NettingKeys};

use super::reconcile::{invoice, opening};
use crate::{args::NetArgs, error::CliError, io::read_json, io::Outputs, load};

/// `net`.
pub fn run(a: NetArgs) -> Result<(), CliError> {
    let (first, first_doc) = side(&a.first, a.first_msa.as_deref(), "--first-msa")?;
    let (second, second_doc) = side(&a.second, a.second_msa.as_deref(), "--second-msa")?;
    let n = zkinvoice_circuits::native::netting::net(&first, &second)
        .map_err(|e| CliError::input(&a.second, e))?;
    let (payer, payee) = match n.payer {
        Payer::FirstBuyer => (&first.buyer_id, &first.seller_id),
        Payer::SecondBuyer => (&second.buyer_id, &second.seller_id),
    };
    let c = first.currency;
    println!(
        "{}..{}: {} {} ({}) against {} {} ({}): {payer} pays {payee} {} {}",
        first.period.start,
        first.period.end,
        first.number,
        c.format_minor(first.total),
        first.seller_id,
        second.number,
        c.format_minor(second.total),
        second.seller_id,
        c.format_minor(n.net),
        c.code()
    );
    let Some(out) = &a.prove else {
        return Ok(());
    };
    let shape_of = |path, doc: Option<&zkinvoice_circuits::model::invoice::CommitmentDoc>| {
        let name = doc.map(|d| d.shape.clone()).unwrap_or_default();
        Shape::ALL.into_iter().find(|s| s.name == name).ok_or_else(|| {
            CliError::input(
                path,
                Error::invalid(
                    "invoice.commitment.shape",
                    format!("is {name:?}: the netting statement is of v1 shapes (S, M)"),
                ),
            )
        })
    };
    let shape = shape_of(&a.first, first_doc.as_ref())?;
    let first_salt = opening(&a.first, &first, first_doc.as_ref(), shape)?;
    let second_salt = opening(&a.second, &second, second_doc.as_ref(), shape)?;
    let keys = NettingKeys::load(&a.params, shape)?;
    let proved = keys.prove(
        (&first, &first_salt),
        (&second, &second_salt),
        &mut rand::rngs::OsRng,
    )?;
    let period = PeriodDoc {
        start: first.period.start.to_string(),
        end: first.period.end.to_string(),
    };
    let envelope = NettingEnvelope::new(&proved, period, &keys);
    let mut o = Outputs::new(a.force);
    o.json(out, &envelope);
    if let Some(path) = &a.opening {
        o.json(path, &NetOpening::of(&proved, &c));
    }
    o.commit()?;
    eprintln!(
        "{}: the netting proved, {} bytes of proof{}",
        out.display(),
        zkinvoice_verifier::PROOF_BYTES,
        if proved.swapped {
            " (the invoices in the statement's order: second, first)"
        } else {
            ""
        }
    );
    Ok(())
}

/// One invoice to net: `path`'s, with its commitment's opening. A bill (a document with
/// `zkProof`) is read against its bilateral's MSA (`msa`, given with `option`), as the Buyer's
/// check reads it; its opening is `zkProof`'s salt and proven invoice commitment, which
/// [`opening`] then checks the invoice opens. Only a whole invoice's bill: a credited, interim
/// or final bill's amount due is not its invoice's total, and the netting nets totals.
fn side(path: &Path, msa: Option<&Path>, option: &str) -> Result<(Invoice, Option<CommitmentDoc>), CliError> {
    let v: Value = read_json(path)?;
    if v.get("zkProof").is_none() {
        if msa.is_some() {
            return Err(CliError::input(
                path,
                Error::invalid("zkProof", format!("is missing: {option} is for an MEF 141 bill")),
            ));
        }
        return invoice(path);
    }
    let Some(msa_path) = msa else {
        return Err(CliError::input(
            path,
            Error::invalid(
                "zkProof",
                format!("is a bill's: give its bilateral's MSA with {option}"),
            ),
        ));
    };
    let msa = load::msa(msa_path)?;
    let bill: CustomerBill =
        serde_json::from_value(v).map_err(|e| CliError::input(path, Error::from_json(&e)))?;
    let whole = |field: &str, reason: &str| {
        CliError::input(
            path,
            Error::invalid(field, format!("{reason}: a netting nets whole invoices' totals")),
        )
    };
    if bill.category != NORMAL {
        return Err(whole("category", &format!("is {:?}", bill.category)));
    }
    if let Some(part) = &bill.zk_part {
        return Err(whole("zkPart", &format!("is {part:?}")));
    }
    if bill.zk_credit.is_some() {
        return Err(whole("zkCredit", "the bill is credited"));
    }
    if !bill.zk_carried.is_empty() {
        return Err(whole("zkCarried", "credit notes are carried to the bill"));
    }
    let (invoice, salt) = bill.to_invoice(&msa).map_err(|e| CliError::input(path, e))?;
    let zk = &bill.zk_proof;
    // The bill's lines must open its proven commitment: said here in the bill's own fields.
    let opens = Shape::ALL
        .into_iter()
        .find(|s| s.name == zk.shape)
        .and_then(|shape| commit::invoice_commitment(&invoice, shape, &salt).ok())
        .is_some_and(|c| c.0 == zk.public_inputs.invoice_commitment);
    if !opens {
        return Err(CliError::input(
            path,
            Error::invalid(
                "zkProof.publicInputs.invoiceCommitment",
                format!(
                    "is not the commitment of the bill's invoice at shape {:?} (an edited bill, or not of a v1 shape)",
                    zk.shape
                ),
            ),
        ));
    }
    let doc = CommitmentDoc {
        shape: zk.shape.clone(),
        salt: zk.invoice_salt.clone(),
        value: Commitment(zk.public_inputs.invoice_commitment).to_string(),
    };
    Ok((invoice, Some(doc)))
}
