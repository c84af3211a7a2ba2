//! `anchors ...`: the bilateral's anchor log (or its anchor contract on a chain): create it,
//! draft, sign and append entries, move them between the parties' copies, verify a copy.

mod append;
mod init;
mod netting;
mod propose;
mod reconciliation;
mod settlement;
mod verify;

use std::io::BufReader;

use zkinvoice_anchors::Role;

use crate::{
    args::{AnchorsCommand, ExportLogArgs, ImportArgs, RoleArg, SignArgs},
    error::{anchor_err, CliError},
    io::Outputs,
    load,
    resolve::AnchorSource,
};

/// A role on the command line as the log's role.
pub fn role(r: RoleArg) -> Role {
    match r {
        RoleArg::Seller => Role::Seller,
        RoleArg::Buyer => Role::Buyer,
    }
}

/// `anchors ...`.
pub fn run(command: AnchorsCommand) -> Result<(), CliError> {
    match command {
        AnchorsCommand::Init(a) => init::run(a),
        AnchorsCommand::Propose(a) => propose::run(*a),
        AnchorsCommand::Sign(a) => sign(a),
        AnchorsCommand::Append(a) => append::run(a),
        AnchorsCommand::Export(a) => export(a),
        AnchorsCommand::Import(a) => import(a),
        AnchorsCommand::Verify(a) => verify::run(a),
    }
}

/// `anchors sign`: adds a signature to a proposal, in place.
fn sign(a: SignArgs) -> Result<(), CliError> {
    let mut p = load::proposal(&a.proposal)?;
    p.sign(role(a.role), &load::secret_key(&a.key)?);
    let mut out = Outputs::new(true);
    out.text(&a.proposal, p.to_json());
    out.commit()?;
    println!("{}: signed as {}", a.proposal.display(), role(a.role).as_str());
    Ok(())
}

/// `anchors export`: the log's entries as JSON lines.
fn export(a: ExportLogArgs) -> Result<(), CliError> {
    let log = load::log(&AnchorSource::log_only(&a.anchors)?)?;
    let mut buf = Vec::new();
    let n = log.export_jsonl(&mut buf).map_err(anchor_err)?;
    match a.out {
        Some(path) => {
            let mut o = Outputs::new(true);
            o.bytes(&path, buf);
            o.commit()?;
            eprintln!("{n} entries exported to {}", path.display());
        }
        None => print!("{}", String::from_utf8_lossy(&buf)),
    }
    Ok(())
}

/// `anchors import`: appends the entries of an export that this copy lacks.
fn import(a: ImportArgs) -> Result<(), CliError> {
    let log = load::log(&AnchorSource::log_only(&a.anchors)?)?;
    let file = std::fs::File::open(&a.from).map_err(|source| CliError::Read {
        file: a.from.clone(),
        source,
    })?;
    let report = log.import_jsonl(&mut BufReader::new(file)).map_err(anchor_err)?;
    println!(
        "{}: {} entries appended, {} already present",
        a.anchors.display(),
        report.appended,
        report.already_present
    );
    if report.restored > 0 {
        println!(
            "{}: {} of them restored: this copy had written them, and they were removed from it",
            a.anchors.display(),
            report.restored
        );
    }
    if let Some((first, last)) = report.beyond_export {
        println!(
            "{}: lacks entries {first} to {last}, which this copy has (not imported there yet, or removed)",
            a.from.display()
        );
    }
    Ok(())
}
