//! `ceremony`'s arguments.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// The ceremony's steps.
#[derive(Subcommand)]
pub enum CeremonyCommand {
    /// Begin a ceremony for a shape's statements in a new directory: phase 1 fresh, or
    /// continuing another ceremony's phase 1 (`--phase1-from`).
    Start(CeremonyStartArgs),
    /// Verify the transcript, then contribute to its open phase as NAME: phase 1 before
    /// `prepare`, every statement's phase 2 after it. The secrets come from the operating
    /// system's random generator and are never written. Interrupted, run it again.
    Contribute(CeremonyContributeArgs),
    /// Verify phase 1, close it, and compute each statement's phase-2 start from it (deterministic:
    /// anyone can recompute it).
    Prepare(CeremonyDirArgs),
    /// Verify the whole transcript from this build's circuits alone: every proof of knowledge,
    /// the chain of hashes and the final keys. Names the first bad contribution (exit 1).
    Verify(CeremonyDirArgs),
    /// Verify, then write the keys as `setup` does, their manifest recording the transcript's hash
    /// and contributors.
    Finish(CeremonyFinishArgs),
    /// Verify phase 1, then write it as a snarkjs `.ptau` file: snarkjs's `powersoftau verify`
    /// checks it on its own (every contribution's key in snarkjs's form, the powers, the last
    /// challenge hash), and snarkjs can continue it.
    ExportPtau(CeremonyExportPtauArgs),
}

/// A ceremony's directory.
#[derive(Args)]
pub struct CeremonyDirArgs {
    /// The ceremony's directory (the transcript the parties pass to each other).
    #[arg(long)]
    pub dir: PathBuf,
}

/// `ceremony start`.
#[derive(Args)]
pub struct CeremonyStartArgs {
    /// The ceremony's directory (created; it must not hold a ceremony yet).
    #[arg(long)]
    pub dir: PathBuf,
    /// The shape: `S` or `M` (the invoice statement), `PS` or `PM` (block, chunk and link).
    #[arg(long)]
    pub shape: zkinvoice_circuits::Layout,
    /// Continue the phase 1 of the ceremony in this directory (verified first) instead of
    /// starting a fresh one.
    #[arg(long, conflicts_with = "power")]
    pub phase1_from: Option<PathBuf>,
    /// `log2` of a fresh phase 1's size (default: the largest statement's domain), to make it
    /// reusable for larger shapes.
    #[arg(long)]
    pub power: Option<u32>,
}

/// `ceremony contribute`.
#[derive(Args)]
pub struct CeremonyContributeArgs {
    /// The ceremony's directory.
    #[arg(long)]
    pub dir: PathBuf,
    /// The contributor's name, as the transcript will show it (1-32 letters, digits, - or _).
    #[arg(long)]
    pub name: String,
}

/// `ceremony finish`.
#[derive(Args)]
pub struct CeremonyFinishArgs {
    /// The ceremony's directory.
    #[arg(long)]
    pub dir: PathBuf,
    /// The parameter directory to write the keys into (as `setup`).
    #[arg(long, default_value = "params")]
    pub params: PathBuf,
    /// Replace existing key files.
    #[arg(long)]
    pub force: bool,
}

/// `ceremony export-ptau`.
#[derive(Args)]
pub struct CeremonyExportPtauArgs {
    /// The ceremony's directory.
    #[arg(long)]
    pub dir: PathBuf,
    /// The `.ptau` file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
}
