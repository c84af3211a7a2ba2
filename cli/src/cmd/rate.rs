//! `rate`: rates a period: the invoice (with its commitment) and the cumulative volumes after it,
//! as a table on a terminal or JSON.

use std::io::IsTerminal;

use crate::{
    actions::rate_period,
    args::{Format, RateArgs},
    error::CliError,
    io::{emit, Outputs},
    load, table,
};

/// `rate`.
pub fn run(a: RateArgs) -> Result<(), CliError> {
    zkinvoice_circuits::model::check_id("--invoice-number", &a.invoice_number)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let msa = load::msa(&a.msa)?;
    let before = load::state(&a.state, &msa)?;
    let usage = load::usage(&a.usage, &msa, a.period, a.aggregate_days)?;
    let (rated, output) =
        rate_period(&msa, &usage, &before, &a.invoice_number).map_err(|e| CliError::input(&a.usage, e))?;
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
