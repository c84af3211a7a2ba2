//! The arguments of the SLA credits' commands: `sla commit` and `credit`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `sla`'s subcommands.
#[derive(Subcommand)]
pub enum SlaCommand {
    /// Validate a period's SLA performance records (the availability measured per product with a
    /// service level) and compute their commitment, for `anchors propose --sla-commit`.
    Commit(SlaCommitArgs),
}

/// `sla commit`.
#[derive(Args)]
pub struct SlaCommitArgs {
    /// The MSA (JSON), with its service levels.
    #[arg(long)]
    pub msa: PathBuf,
    /// The MSA commitment written by `zkinvoice msa commit`.
    #[arg(long)]
    pub msa_commit: PathBuf,
    /// The SLA performance records (JSON; `zkinvoice schema sla`).
    #[arg(long)]
    pub sla: PathBuf,
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

/// `credit`.
#[derive(Args)]
pub struct CreditArgs {
    /// The MSA (JSON), with its service levels.
    #[arg(long)]
    pub msa: PathBuf,
    /// The invoice credited: `rate`'s output or a proof envelope.
    #[arg(long)]
    pub invoice: PathBuf,
    /// The period's agreed SLA performance records (JSON).
    #[arg(long)]
    pub sla: PathBuf,
    /// The credit note's number (default: `CN-` and the invoice's number).
    #[arg(long)]
    pub number: Option<String>,
    /// The credit note's date, YYYY-MM-DD (default: the invoice's).
    #[arg(long)]
    pub issued: Option<String>,
    /// Prove the credit note with the credit-note statement's keys (`zkinvoice setup --statement
    /// credit`) and write its envelope to this file (for `anchors propose --credit-note`).
    #[arg(long, requires_all = ["msa_commit", "sla_commit"])]
    pub prove: Option<PathBuf>,
    /// With `--prove`: the MSA commitment written by `zkinvoice msa commit`.
    #[arg(long)]
    pub msa_commit: Option<PathBuf>,
    /// With `--prove`: the SLA commitment written by `zkinvoice sla commit` (its salt).
    #[arg(long)]
    pub sla_commit: Option<PathBuf>,
    /// With `--prove`: where to write the opening of the note's commitment (its number, date,
    /// credits and salt: give it to the Buyer; it stays out of the log).
    #[arg(long, requires = "prove")]
    pub opening: Option<PathBuf>,
    /// With `--prove`: the parameter directory holding credit-X.pk, .vk and .json.
    #[arg(long, default_value = "params")]
    pub params: PathBuf,
    /// With `--prove`: replace existing files.
    #[arg(long)]
    pub force: bool,
}
