//! `zkinvoice`: zero-knowledge invoice proofs between telecom and cloud providers (MEF 114
//! Option 1). See `zkinvoice --help` and the README.
//!
//! `main` only dispatches: [`args`] holds what clap parses, [`resolve`] the typed values made of
//! it once, [`cmd`] one module per command; the shared parts are [`load`] (input files),
//! [`actions`] (what commands and the demo do), [`chain`], [`io`] (atomic outputs), [`report`],
//! [`table`] and [`html`] (what people read), and [`error`], the only place errors become
//! messages and exit codes.
#![forbid(unsafe_code)]
#![warn(clippy::too_many_lines)]
// Tests are exempt: a long test reads as one story.
#![cfg_attr(test, allow(clippy::too_many_lines))]

mod actions;
mod args;
mod chain;
mod cmd;
mod error;
mod html;
mod io;
mod load;
mod report;
mod resolve;
mod table;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, MsaCommand, SlaCommand, UsageCommand};

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Msa {
            command: MsaCommand::Commit(a),
        } => cmd::msa::commit(a),
        Command::Usage {
            command: UsageCommand::Commit(a),
        } => cmd::usage::commit(a),
        Command::Rate(a) => cmd::rate::run(a),
        Command::Reconcile(a) => cmd::reconcile::run(a),
        Command::Net(a) => cmd::net::run(a),
        Command::Sla {
            command: SlaCommand::Commit(a),
        } => cmd::sla::commit(a),
        Command::Credit(a) => cmd::credit::run(a),
        Command::Setup(a) => cmd::setup::run(a),
        Command::Ceremony { command } => cmd::ceremony::run(command),
        Command::Prove(a) => cmd::prove::run(a),
        Command::Verify(a) => cmd::verify::run(a),
        Command::Invoice(a) => cmd::invoice::run(a),
        Command::Render(a) => cmd::render::run(a),
        Command::Schema { what } => cmd::schema::run(what),
        Command::Keygen(a) => cmd::keygen::run(a),
        Command::Anchors { command } => cmd::anchors::run(command),
        Command::Audit(a) => cmd::audit::run(a),
        Command::Export { command } => cmd::export::run(command),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Publish(a) => cmd::publish::run(a),
        Command::Demo(a) => cmd::demo::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}
