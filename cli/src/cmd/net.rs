//! `net`: two invoices of one period in opposite directions between the same parties netted
//! (`docs/lifecycle.md`, MEF 114 §8.6.3): the net amount and who pays it, and with `--prove` the
//! netting statement's proof over the two invoice commitments. Each invoice is `rate`'s output,
//! a proof envelope or, read against its bilateral's MSA, an MEF 141 bill: each party is the
//! Seller of one bilateral (its envelope) and the Buyer of the other (the bill it received).

use std::path::Path;

use serde_json::Value;
use zkinvoice_circuits::{
    commit::{self, Commitment, Salt},
    model::{invoice::CommitmentDoc, period::PeriodDoc},
    native::netting::Payer,
    Error, Invoice, Layout,
};
use zkinvoice_mef141::{part::NORMAL, CustomerBill};
use zkinvoice_prover::netting::{NetOpening, NettingEnvelope, NettingHeadsKeys, NettingKeys, ProvedNetting};

use super::reconcile::{invoice, opening};
use crate::{args::NetArgs, error::CliError, io::read_json, io::Outputs, load};

/// `net`.
pub fn run(a: NetArgs) -> Result<(), CliError> {
    let (first, first_doc) = side(&a.first, a.first_msa.as_deref(), "--first-msa")?;
    let (second, second_doc) = side(&a.second, a.second_msa.as_deref(), "--second-msa")?;
    let n = zkinvoice_circuits::native::netting::net(&first, &second)
        .map_err(|e| CliError::input(&a.second, e))?;
    let opened = match &a.prove {
        Some(_) => Some(openings(
            &a,
            (&first, first_doc.as_ref()),
            (&second, second_doc.as_ref()),
        )?),
        None => None,
    };
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
    let (Some(out), Some(opened)) = (&a.prove, opened) else {
        return Ok(());
    };
    let (proved, envelope) = prove(&a, opened)?;
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

/// An invoice to prove a netting of: the invoice, its commitment's layout and salt.
type Opened<'a> = (&'a Invoice, Layout, Salt);

/// `--prove`'s checks before anything is printed: each invoice's layout (v1 shapes, one for
/// both, or partition shapes) and the salt that opens its commitment.
fn openings<'a>(
    a: &NetArgs,
    (first, first_doc): (&'a Invoice, Option<&CommitmentDoc>),
    (second, second_doc): (&'a Invoice, Option<&CommitmentDoc>),
) -> Result<[Opened<'a>; 2], CliError> {
    let layout_of = |path, doc: Option<&CommitmentDoc>| {
        let name = doc.map(|d| d.shape.clone()).unwrap_or_default();
        name.parse::<Layout>().map_err(|_| {
            CliError::input(
                path,
                Error::invalid(
                    "invoice.commitment.shape",
                    format!("is {name:?}: not a shape (S, M) or partition shape (PS, PM)"),
                ),
            )
        })
    };
    let layouts = (layout_of(&a.first, first_doc)?, layout_of(&a.second, second_doc)?);
    let second_at = match layouts {
        // v1: the second at the first's shape (one key nets both).
        (Layout::Single(_), Layout::Single(_)) => layouts.0,
        (Layout::Partitioned(_), Layout::Partitioned(_)) => layouts.1,
        _ => {
            return Err(CliError::input(
                &a.second,
                Error::invalid(
                    "invoice.commitment.shape",
                    format!(
                        "is {}, the first invoice's {}: a v1 invoice and a partitioned one are not netted together",
                        layouts.1.name(),
                        layouts.0.name()
                    ),
                ),
            ))
        }
    };
    let first_salt = opening(&a.first, first, first_doc, layouts.0)?;
    let second_salt = opening(&a.second, second, second_doc, second_at)?;
    Ok([(first, layouts.0, first_salt), (second, second_at, second_salt)])
}

/// `--prove`: the netting of the two opened invoices proved under the keys of their layouts (v1's
/// at their one shape, or the netting of partitioned invoices'), and its envelope.
fn prove(
    a: &NetArgs,
    [first, second]: [Opened<'_>; 2],
) -> Result<(ProvedNetting, NettingEnvelope), CliError> {
    let mut rng = rand::rngs::OsRng;
    let period = PeriodDoc {
        start: first.0.period.start.to_string(),
        end: first.0.period.end.to_string(),
    };
    Ok(match (first.1, second.1) {
        (Layout::Single(shape), _) => {
            let keys = NettingKeys::load(&a.params, shape)?;
            let proved = keys.prove((first.0, &first.2), (second.0, &second.2), &mut rng)?;
            let envelope = NettingEnvelope::new(&proved, period, &keys);
            (proved, envelope)
        }
        (Layout::Partitioned(p), q) => {
            let Layout::Partitioned(q) = q else {
                unreachable!("openings pairs partition shapes")
            };
            let keys = NettingHeadsKeys::load_heads(&a.params)?;
            let proved = keys.prove((first.0, p, &first.2), (second.0, q, &second.2), &mut rng)?;
            let envelope = NettingEnvelope::of_heads(&proved, period, &keys);
            (proved, envelope)
        }
    })
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
    let opens = zk
        .shape
        .parse::<Layout>()
        .ok()
        .and_then(|layout| commit::invoice_commitment(&invoice, layout, &salt).ok())
        .is_some_and(|c| c.0 == zk.public_inputs.invoice_commitment);
    if !opens {
        return Err(CliError::input(
            path,
            Error::invalid(
                "zkProof.publicInputs.invoiceCommitment",
                format!(
                    "is not the commitment of the bill's invoice at shape {:?} (an edited bill)",
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
