//! `credit`: the credit note of an invoice under the MSA's service levels and the period's agreed
//! SLA performance (`docs/lifecycle.md`, "SLA credits"; MEF 114 §8.4, §8.6.4), and with
//! `--prove` the credit-note statement's proof over the committed invoice, MSA and SLA
//! performance.

use std::path::Path;

use zkinvoice_circuits::{
    model::period::parse_date,
    money::format_scaled,
    native::credit::{credit_note, CreditNote},
    Error, Invoice, Msa,
};
use zkinvoice_prover::credit::{CreditEnvelope, CreditInputs, CreditKeys, CreditOpening};

use super::reconcile::{invoice, opening};
use crate::{args::CreditArgs, error::CliError, io::Outputs, load};

/// `credit`.
pub fn run(a: CreditArgs) -> Result<(), CliError> {
    let msa = load::msa(&a.msa)?;
    let (inv, commitment) = invoice(&a.invoice)?;
    let sla = load::sla(&a.sla, &msa)?;
    let number = a.number.clone().unwrap_or_else(|| format!("CN-{}", inv.number));
    let issued = match &a.issued {
        Some(d) => parse_date("--issued", d).map_err(|e| CliError::Usage(e.to_string()))?,
        None => inv.issue_date,
    };
    let note = credit_note(&msa, &inv, &sla, &number, issued).map_err(|e| {
        // A period or products the records do not match is the records' fault; the rest the
        // invoice's or the MSA's.
        let file = match &e {
            Error::Invalid { field, .. } if field.starts_with("sla") => &a.sla,
            Error::Invalid { field, .. } if field.starts_with("serviceLevels") => &a.msa,
            _ => &a.invoice,
        };
        CliError::input(file, e)
    })?;
    print!("{}", table(&note));
    let Some(out) = &a.prove else {
        return Ok(());
    };
    prove(
        &a,
        out,
        (&msa, &inv, &sla),
        commitment.as_ref(),
        (&number, issued),
    )
}

/// The note as printed: one line per product with a service level, then the totals.
pub fn table(note: &CreditNote) -> String {
    let c = note.currency;
    let mut out = format!(
        "{} credits {} ({}), {} to {}:\n",
        note.number, note.invoice_number, note.period, note.seller_id, note.buyer_id
    );
    for l in &note.lines {
        let availability = format_scaled(u128::from(l.availability_ppm), 4);
        let credit = if l.credit_ppm == 0 {
            "no credit".to_string()
        } else {
            let charge = u64::try_from(l.charge).map_or_else(|_| l.charge.to_string(), |x| c.format_minor(x));
            format!(
                "credit {} % of {charge} = {}",
                format_scaled(u128::from(l.credit_ppm), 4),
                c.format_minor(l.amount)
            )
        };
        out.push_str(&format!(
            "  {:<20} availability {availability} %, {credit}\n",
            l.product
        ));
    }
    out.push_str(&format!(
        "  subtotal {}, tax {}, total {} {}\n",
        c.format_minor(note.subtotal),
        c.format_minor(note.tax),
        c.format_minor(note.total),
        c.code()
    ));
    out
}

/// `--prove`: proves the note and writes its envelope (and its opening).
fn prove(
    a: &CreditArgs,
    out: &Path,
    (msa, inv, sla): (&Msa, &Invoice, &zkinvoice_circuits::model::performance::Sla),
    commitment: Option<&zkinvoice_circuits::model::invoice::CommitmentDoc>,
    (number, issued): (&str, chrono::NaiveDate),
) -> Result<(), CliError> {
    let (Some(msa_commit), Some(sla_commit)) = (&a.msa_commit, &a.sla_commit) else {
        return Err(CliError::Usage(
            "--prove needs --msa-commit and --sla-commit (the commitments' salts)".into(),
        ));
    };
    let (layout, msa_c, msa_salt) = load::msa_commit(msa_commit, msa)?;
    let Some(shape) = layout.single() else {
        return Err(CliError::Mismatch(format!(
            "{}: the MSA is committed at {}; the credit-note statement is of v1 shapes (S, M)",
            msa_commit.display(),
            layout.name()
        )));
    };
    let invoice_salt = opening(&a.invoice, inv, commitment, shape)?;
    let sla_salt = load::sla_commit(sla_commit, msa, msa_c, sla)?;
    let keys = CreditKeys::load(&a.params, shape)?;
    let inputs = CreditInputs {
        msa: (msa, &msa_salt),
        invoice: (inv, &invoice_salt),
        sla: (sla, &sla_salt),
    };
    let proved = keys.prove(inputs, (number, issued), &mut rand::rngs::OsRng)?;
    let mut o = Outputs::new(a.force);
    o.json(out, &CreditEnvelope::new(&proved, &keys));
    if let Some(path) = &a.opening {
        o.json(path, &CreditOpening::of(&proved));
    }
    o.commit()?;
    eprintln!(
        "{}: the credit note proved, {} bytes of proof",
        out.display(),
        zkinvoice_verifier::PROOF_BYTES
    );
    Ok(())
}
