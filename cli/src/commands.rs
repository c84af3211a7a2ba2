//! The commands that work on files.

use std::{
    io::IsTerminal,
    path::{Path, PathBuf},
};

use serde::Serialize;
use zkinvoice_circuits::{
    commit::{self, MsaCommitDoc, StateDoc, StateOpening, UsageCommitDoc},
    model::{invoice::InvoiceDoc, msa::MsaDoc, usage::UsageDoc},
    rate as rate_usage, Commitment, Msa, Period, Rated, Salt, Shape, Usage, UsageFormat, VolumeState,
};

use crate::{
    error::CliError,
    io::{read_json, read_text, Outputs},
    table, Format, MsaCommitArgs, RateArgs, SchemaKind, UsageCommitArgs,
};

/// Reads and validates an MSA.
pub fn load_msa(path: &Path) -> Result<Msa, CliError> {
    let doc: MsaDoc = read_json(path)?;
    Msa::from_doc(&doc).map_err(|e| CliError::input(path, e))
}

/// Reads and validates usage (JSON or CSV) against an MSA, aggregated if asked.
pub fn load_usage(
    path: &Path,
    msa: &Msa,
    period: Option<Period>,
    aggregate_days: Option<u32>,
) -> Result<Usage, CliError> {
    let text = read_text(path)?;
    let format = UsageFormat::detect(&path.to_string_lossy(), &text);
    let usage = Usage::parse(&text, format, msa, period).map_err(|e| CliError::input(path, e))?;
    match aggregate_days {
        Some(days) => usage
            .aggregated(days)
            .map_err(|e| CliError::Usage(format!("--aggregate-days: {e}"))),
        None => Ok(usage),
    }
}

/// A salt from the command line, or a fresh one.
pub fn salt_or_random(arg: Option<&str>) -> Result<Salt, CliError> {
    match arg {
        Some(hex) => hex.parse().map_err(|e| CliError::Usage(format!("--salt: {e}"))),
        None => Ok(Salt::random(&mut rand::rngs::OsRng)),
    }
}

/// Reads an MSA commitment file and checks that it opens to `msa`.
pub fn load_msa_commit(path: &Path, msa: &Msa) -> Result<(Shape, Commitment, Salt), CliError> {
    let doc: MsaCommitDoc = read_json(path)?;
    let shape: Shape = doc.shape.parse().map_err(|e| CliError::input(path, e))?;
    let salt: Salt = doc.salt.parse().map_err(|e| CliError::input(path, e))?;
    let c = commit::msa_commitment(msa, shape, &salt).map_err(|e| CliError::input(path, e))?;
    if c != doc.commitment {
        return Err(CliError::Mismatch(format!(
            "{}: the commitment does not open to this MSA (another MSA, or an edited file)",
            path.display()
        )));
    }
    Ok((shape, c, salt))
}

/// Reads a state file and checks that it belongs to `msa` and opens.
pub fn load_state(path: &Path, msa: &Msa) -> Result<StateOpening, CliError> {
    let doc: StateDoc = read_json(path)?;
    StateOpening::from_doc(msa, &doc).map_err(|e| CliError::input(path, e))
}

fn input(file: &Path) -> impl Fn(zkinvoice_circuits::Error) -> CliError + '_ {
    move |e| CliError::input(file, e)
}

/// The MSA commitment and `state_0`.
pub struct MsaCommitted {
    /// `msa_commitment`.
    pub commitment: Commitment,
    /// The commitment file.
    pub doc: MsaCommitDoc,
    /// `state_0`.
    pub state0: StateOpening,
}

/// Commits to an MSA and its `state_0`.
pub fn commit_msa(
    msa: &Msa,
    shape: Shape,
    salt: Salt,
    state_salt: Salt,
) -> Result<MsaCommitted, zkinvoice_circuits::Error> {
    let commitment = commit::msa_commitment(msa, shape, &salt)?;
    let state0 = StateOpening::new(commitment, VolumeState::initial(msa), shape, state_salt)?;
    let doc = MsaCommitDoc {
        shape: shape.name.into(),
        msa_id: msa.id.clone(),
        commitment,
        salt: salt.to_hex(),
        state0: state0.commitment,
    };
    Ok(MsaCommitted {
        commitment,
        doc,
        state0,
    })
}

pub fn msa_commit(a: MsaCommitArgs) -> Result<(), CliError> {
    let msa = load_msa(&a.msa)?;
    let need = msa.need(a.records);
    let shape = match a.shape {
        Some(s) => {
            s.check(need).map_err(input(&a.msa))?;
            s
        }
        None => Shape::smallest_fitting(need).map_err(input(&a.msa))?,
    };
    let salt = salt_or_random(a.salt.as_deref())?;
    let done = commit_msa(&msa, shape, salt, Salt::random(&mut rand::rngs::OsRng)).map_err(input(&a.msa))?;
    let mut out = Outputs::new(a.force);
    if let Some(p) = &a.state_out {
        out.json(p, &done.state0.to_doc(&msa));
    }
    emit(out, a.out.as_deref(), &done.doc)
}

/// Commits to a period's usage.
pub fn commit_usage(
    msa: &Msa,
    msa_commitment: Commitment,
    usage: &Usage,
    shape: Shape,
    salt: Salt,
) -> Result<UsageCommitDoc, zkinvoice_circuits::Error> {
    let commitment = commit::usage_commitment(msa_commitment, msa, usage, shape, &salt)?;
    Ok(UsageCommitDoc {
        shape: shape.name.into(),
        msa_commitment,
        period: usage.period.to_doc(),
        records: usage.records.len(),
        commitment,
        detail_root: hex::encode(commit::usage_detail_root(usage, &salt)),
        salt: salt.to_hex(),
    })
}

pub fn usage_commit(a: UsageCommitArgs) -> Result<(), CliError> {
    let msa = load_msa(&a.msa)?;
    let (shape, msa_commitment, _) = load_msa_commit(&a.msa_commit, &msa)?;
    let usage = load_usage(&a.usage, &msa, a.period, a.aggregate_days)?;
    let salt = salt_or_random(a.salt.as_deref())?;
    let doc = commit_usage(&msa, msa_commitment, &usage, shape, salt).map_err(input(&a.usage))?;
    emit(Outputs::new(a.force), a.out.as_deref(), &doc)
}

/// The output of `rate`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateOutput {
    /// The invoice with its commitment.
    pub invoice: InvoiceDoc,
    /// The state after the period.
    pub state_after: StateDoc,
}

/// Rates a period and commits to the invoice and the state after.
pub fn rate_period(
    msa: &Msa,
    usage: &Usage,
    before: &StateOpening,
    invoice_number: &str,
) -> Result<(Rated, RateOutput), zkinvoice_circuits::Error> {
    before.shape.check(msa.need(usage.records.len()))?;
    let rated = rate_usage(msa, usage, &before.state, invoice_number)?;
    let mut rng = rand::rngs::OsRng;
    let salt = Salt::random(&mut rng);
    let value = commit::invoice_commitment(&rated.invoice, before.shape, &salt)?;
    let after = StateOpening::new(
        before.msa_commitment,
        rated.after.clone(),
        before.shape,
        Salt::random(&mut rng),
    )?;
    let output = RateOutput {
        invoice: rated
            .invoice
            .to_doc(Some(zkinvoice_circuits::model::invoice::CommitmentDoc {
                shape: before.shape.name.into(),
                salt: salt.to_hex(),
                value: value.to_string(),
            })),
        state_after: after.to_doc(msa),
    };
    Ok((rated, output))
}

pub fn rate(a: RateArgs) -> Result<(), CliError> {
    zkinvoice_circuits::model::check_id("--invoice-number", &a.invoice_number)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let msa = load_msa(&a.msa)?;
    let before = load_state(&a.state, &msa)?;
    let usage = load_usage(&a.usage, &msa, a.period, a.aggregate_days)?;
    let (rated, output) = rate_period(&msa, &usage, &before, &a.invoice_number).map_err(input(&a.usage))?;
    let mut out = Outputs::new(a.force);
    if let Some(p) = &a.state_out {
        out.json(p, &output.state_after);
    }
    let as_table = a.out.is_none()
        && a.format.unwrap_or(if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        }) == Format::Table;
    if as_table {
        out.commit()?;
        print!("{}", table::invoice(&msa, &rated));
        return Ok(());
    }
    emit(out, a.out.as_deref(), &output)
}

/// Writes `doc` to `path` with the other outputs, or prints it on standard output after them.
fn emit(mut out: Outputs, path: Option<&Path>, doc: &impl Serialize) -> Result<(), CliError> {
    match path {
        Some(p) => {
            out.json(PathBuf::from(p), doc);
            out.commit()
        }
        None => {
            out.commit()?;
            println!(
                "{}",
                serde_json::to_string_pretty(doc).expect("documents serialise")
            );
            Ok(())
        }
    }
}

pub fn schema(what: SchemaKind) -> Result<(), CliError> {
    let schema = match what {
        SchemaKind::Msa => schemars::schema_for!(MsaDoc),
        SchemaKind::Usage => schemars::schema_for!(UsageDoc),
        SchemaKind::Invoice => schemars::schema_for!(InvoiceDoc),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&schema).expect("schemas serialise")
    );
    Ok(())
}
