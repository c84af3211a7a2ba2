//! `net`: two invoices of one period in opposite directions between the same parties netted
//! (`docs/lifecycle.md`, MEF 114 §8.6.3): the net amount and who pays it, and with `--prove` the
//! netting statement's proof over the two invoice commitments.

use zkinvoice_circuits::{model::period::PeriodDoc, native::netting::Payer, Error, Shape};
use zkinvoice_prover::netting::{NetOpening, NettingEnvelope, NettingKeys};

use super::reconcile::{invoice, opening};
use crate::{args::NetArgs, error::CliError, io::Outputs};

/// `net`.
pub fn run(a: NetArgs) -> Result<(), CliError> {
    let (first, first_doc) = invoice(&a.first)?;
    let (second, second_doc) = invoice(&a.second)?;
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
