//! `export`: the verifying key and proofs for other verifiers (Solidity / EIP-2537, snarkjs).

use clap::Subcommand;

use crate::error::CliError;

/// What to export.
#[derive(Subcommand)]
pub enum ExportCommand {
    /// snarkjs JSON (placeholder).
    Snarkjs,
}

/// Runs an `export` command.
pub fn run(command: ExportCommand) -> Result<(), CliError> {
    match command {
        ExportCommand::Snarkjs => Err(CliError::Usage("not yet built".into())),
    }
}
