//! `zkinvoice`: zero-knowledge invoice proofs between telecom and cloud providers (MEF 114
//! Option 1). See `zkinvoice --help` and the README.
#![forbid(unsafe_code)]

mod commands;
mod demo;
mod error;
mod io;
mod table;

use std::{path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand, ValueEnum};
use zkinvoice_circuits::{Period, Shape};

/// Zero-knowledge invoice proofs for MEF 114 bilateral billing.
#[derive(Parser)]
#[command(name = "zkinvoice", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Work with a Master Services Agreement.
    Msa {
        #[command(subcommand)]
        command: MsaCommand,
    },
    /// Work with the usage records of a billing period.
    Usage {
        #[command(subcommand)]
        command: UsageCommand,
    },
    /// Rate a period's usage against the MSA: the invoice and the cumulative volumes after it.
    Rate(RateArgs),
    /// Print the JSON Schema of an input format.
    Schema {
        /// Which format.
        #[arg(value_enum)]
        what: SchemaKind,
    },
    /// Run the whole flow on the built-in example data (examples/).
    Demo(DemoArgs),
}

#[derive(Subcommand)]
enum MsaCommand {
    /// Validate an MSA and compute its commitment and the initial state `state_0`.
    Commit(MsaCommitArgs),
}

#[derive(Subcommand)]
enum UsageCommand {
    /// Validate a period's usage and compute its commitment and detail root.
    Commit(UsageCommitArgs),
}

#[derive(Args)]
struct MsaCommitArgs {
    /// The MSA (JSON).
    #[arg(long)]
    msa: PathBuf,
    /// The circuit shape (default: the smallest that fits the MSA and `--records`).
    #[arg(long)]
    shape: Option<Shape>,
    /// Usage records per period the shape must hold (for choosing the default shape).
    #[arg(long, default_value_t = 0)]
    records: usize,
    /// The MSA commitment's salt, 62 hex digits (default: fresh random).
    #[arg(long)]
    salt: Option<String>,
    /// Where to write the commitment (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where to write the state file of `state_0`.
    #[arg(long)]
    state_out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct UsageCommitArgs {
    /// The MSA (JSON).
    #[arg(long)]
    msa: PathBuf,
    /// The MSA commitment written by `zkinvoice msa commit`.
    #[arg(long)]
    msa_commit: PathBuf,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long)]
    usage: PathBuf,
    /// The billing period START..END (end exclusive), e.g. 2026-10-01..2026-11-01.
    #[arg(long)]
    period: Option<Period>,
    /// The salt, 62 hex digits (default: fresh random).
    #[arg(long)]
    salt: Option<String>,
    /// Where to write the commitment (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct RateArgs {
    /// The MSA (JSON).
    #[arg(long)]
    msa: PathBuf,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long)]
    usage: PathBuf,
    /// The state file the period starts from (`state_0` from `msa commit --state-out`, or the
    /// previous invoice's state after).
    #[arg(long)]
    state: PathBuf,
    /// The invoice number.
    #[arg(long)]
    invoice_number: String,
    /// The billing period START..END (required for CSV usage).
    #[arg(long)]
    period: Option<Period>,
    /// Where to write the invoice and state after (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where to write the state file after this period.
    #[arg(long)]
    state_out: Option<PathBuf>,
    /// Output format on standard output (default: a table on a terminal, JSON otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Replace existing output files.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct DemoArgs {
    /// Keep every file the demo produces in this directory (it must not exist yet, or be empty).
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum SchemaKind {
    /// The Master Services Agreement.
    Msa,
    /// Usage records of a period.
    Usage,
    /// An invoice.
    Invoice,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A readable table.
    Table,
    /// JSON.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Msa {
            command: MsaCommand::Commit(a),
        } => commands::msa_commit(a),
        Command::Usage {
            command: UsageCommand::Commit(a),
        } => commands::usage_commit(a),
        Command::Rate(a) => commands::rate(a),
        Command::Schema { what } => commands::schema(what),
        Command::Demo(a) => demo::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
