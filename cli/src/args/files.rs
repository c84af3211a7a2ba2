//! The arguments of the commands that work on the commercial files: `msa commit`, `usage commit`,
//! `rate`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use zkinvoice_circuits::{Layout, Period};

use super::Format;

/// `msa ...`.
#[derive(Subcommand)]
pub enum MsaCommand {
    /// Validate an MSA and compute its commitment and the initial state `state_0`.
    Commit(MsaCommitArgs),
}

/// `usage ...`.
#[derive(Subcommand)]
pub enum UsageCommand {
    /// Validate a period's usage and compute its commitment and detail root.
    Commit(UsageCommitArgs),
}

/// `msa commit`.
#[derive(Args)]
pub struct MsaCommitArgs {
    /// The MSA (JSON).
    #[arg(long)]
    pub msa: PathBuf,
    /// The circuit shape: `S` or `M` (one proof per invoice), `PS` or `PM` (partitioned: any
    /// number of products and records). Default: the smallest single shape that fits the MSA and
    /// `--records`, else `PM`.
    #[arg(long)]
    pub shape: Option<Layout>,
    /// Usage records per period the shape must hold (for choosing the default shape).
    #[arg(long, default_value_t = 0)]
    pub records: usize,
    /// The MSA commitment's salt, 62 hex digits (default: fresh random).
    #[arg(long)]
    pub salt: Option<String>,
    /// Where to write the commitment (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Where to write the state file of `state_0`.
    #[arg(long)]
    pub state_out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}

/// `usage commit`.
#[derive(Args)]
pub struct UsageCommitArgs {
    /// The MSA (JSON).
    #[arg(long)]
    pub msa: PathBuf,
    /// The MSA commitment written by `zkinvoice msa commit`.
    #[arg(long)]
    pub msa_commit: PathBuf,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long)]
    pub usage: PathBuf,
    /// The billing period START..END (end exclusive), e.g. 2026-10-01..2026-11-01.
    #[arg(long)]
    pub period: Option<Period>,
    /// Aggregate the records per product over buckets of this many days (a month of CDRs then
    /// fits shape S; the invoice is the same).
    #[arg(long)]
    pub aggregate_days: Option<u32>,
    /// The salt, 62 hex digits (default: fresh random).
    #[arg(long)]
    pub salt: Option<String>,
    /// Where to write the commitment (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}

/// `reconcile`.
#[derive(Args)]
pub struct ReconcileArgs {
    /// The MSA (JSON), with its dispute thresholds.
    #[arg(long)]
    pub msa: PathBuf,
    /// The Seller's invoice: `rate`'s output or a proof envelope.
    #[arg(long)]
    pub seller: PathBuf,
    /// The invoice rated from the Buyer's own measurement of the same period: `rate`'s output or
    /// a proof envelope.
    #[arg(long)]
    pub buyer: PathBuf,
    /// Output format on standard output (default: a table on a terminal, JSON otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Prove the verdict with the reconciliation statement's keys (`zkinvoice setup --statement
    /// reconcile`) and write the proof to this file (a reconciliation envelope, for
    /// `anchors propose --reconciliation`); written whether the two are within or over.
    #[arg(long, requires = "msa_commit")]
    pub prove: Option<PathBuf>,
    /// With `--prove`: the MSA commitment file (`msa commit`), whose salt opens the commitment
    /// the proof names and whose shape the keys are of.
    #[arg(long, requires = "prove")]
    pub msa_commit: Option<PathBuf>,
    /// With `--prove`: the parameter directory holding reconcile-X.pk, .vk and .json.
    #[arg(long, default_value = "params")]
    pub params: PathBuf,
    /// With `--prove`: replace an existing proof file.
    #[arg(long)]
    pub force: bool,
}

/// `net`.
#[derive(Args)]
pub struct NetArgs {
    /// One invoice: `rate`'s output, a proof envelope (with its commitment's opening), or an
    /// MEF 141 bill received (with `--first-msa`).
    #[arg(long)]
    pub first: PathBuf,
    /// The invoice of the opposite bilateral, of the same period, between the same parties (the
    /// same forms; a bill with `--second-msa`).
    #[arg(long)]
    pub second: PathBuf,
    /// When `--first` is a bill: its bilateral's MSA (JSON), which its lines are read against.
    #[arg(long)]
    pub first_msa: Option<PathBuf>,
    /// When `--second` is a bill: its bilateral's MSA (JSON).
    #[arg(long)]
    pub second_msa: Option<PathBuf>,
    /// Prove the netting with the netting statement's keys (`zkinvoice setup --statement
    /// netting`) and write the netting envelope to this file (for `anchors propose --netting`).
    #[arg(long)]
    pub prove: Option<PathBuf>,
    /// With `--prove`: where to write the opening of the net's commitment (the net amount and
    /// its salt: keep it, show it to the other party; it stays out of the logs).
    #[arg(long, requires = "prove")]
    pub opening: Option<PathBuf>,
    /// With `--prove`: the parameter directory holding netting-X.pk, .vk and .json.
    #[arg(long, default_value = "params")]
    pub params: PathBuf,
    /// With `--prove`: replace existing files.
    #[arg(long)]
    pub force: bool,
}

/// `rate`.
#[derive(Args)]
pub struct RateArgs {
    /// The MSA (JSON).
    #[arg(long)]
    pub msa: PathBuf,
    /// The usage (JSON, or CSV with `--period`).
    #[arg(long)]
    pub usage: PathBuf,
    /// The state file the period starts from (`state_0` from `msa commit --state-out`, or the
    /// previous invoice's state after).
    #[arg(long)]
    pub state: PathBuf,
    /// The invoice number.
    #[arg(long)]
    pub invoice_number: String,
    /// The billing period START..END (required for CSV usage).
    #[arg(long)]
    pub period: Option<Period>,
    /// Aggregate the records per product over buckets of this many days first.
    #[arg(long)]
    pub aggregate_days: Option<u32>,
    /// Where to write the invoice and state after (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Where to write the state file after this period.
    #[arg(long)]
    pub state_out: Option<PathBuf>,
    /// Output format on standard output (default: a table on a terminal, JSON otherwise).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Replace existing output files.
    #[arg(long)]
    pub force: bool,
}
