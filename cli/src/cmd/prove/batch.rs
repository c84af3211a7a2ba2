//! `prove --batch DIR`: every `*.job.json` in a directory, proved in parallel, each job's refusal
//! reported without stopping the others.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
    time::Instant,
};

use serde::Deserialize;
use zkinvoice_circuits::{Period, Shape};
use zkinvoice_prover::{InvoiceKeys, ProveRequest};

use super::{Inputs, Loaded};
use crate::{
    error::CliError,
    io::{read_json, Outputs},
};

/// A batch job (`*.job.json`): paths are relative to the job file's directory.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Job {
    msa: PathBuf,
    msa_commit: PathBuf,
    usage: PathBuf,
    usage_commit: PathBuf,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    aggregate_days: Option<u32>,
    state: PathBuf,
    invoice_number: String,
}

impl Job {
    /// Reads the job at `path` and loads its inputs from `dir`.
    fn load(dir: &Path, path: &Path) -> Result<Loaded, CliError> {
        let job: Job = read_json(path)?;
        let period = match &job.period {
            Some(p) => Some(p.parse::<Period>().map_err(|e| CliError::input(path, e))?),
            None => None,
        };
        Inputs {
            msa: dir.join(job.msa),
            msa_commit: dir.join(job.msa_commit),
            usage: dir.join(job.usage),
            usage_commit: dir.join(job.usage_commit),
            period,
            aggregate_days: job.aggregate_days,
            state: dir.join(job.state),
            invoice_number: job.invoice_number,
        }
        .load()
    }
}

/// The job files of `dir`, sorted.
fn job_files(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CliError::Read {
        file: dir.into(),
        source,
    })?;
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".job.json"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(CliError::Usage(format!("{}: no *.job.json files", dir.display())));
    }
    Ok(names)
}

/// `prove --batch DIR`.
pub fn run(params: &Path, dir: &Path, force: bool) -> Result<(), CliError> {
    let names = job_files(dir)?;
    let mut failed = 0;
    let mut jobs = Vec::new();
    for path in &names {
        match Job::load(dir, path) {
            Ok(l) => jobs.push((path.clone(), l)),
            Err(e) => {
                failed += 1;
                eprintln!("error: {}: {e}", path.display());
            }
        }
    }
    let shapes: BTreeSet<&str> = jobs.iter().map(|(_, l)| l.before.shape.name()).collect();
    let mut keys = Vec::new();
    for name in shapes {
        let shape: Shape = name
            .parse()
            .map_err(|e: zkinvoice_circuits::Error| CliError::Usage(e.to_string()))?;
        keys.push(InvoiceKeys::load(params, shape)?);
    }
    let t = Instant::now();
    let mut proved = 0;
    for k in &keys {
        let mine: Vec<&(PathBuf, Loaded)> =
            jobs.iter().filter(|(_, l)| l.before.shape == k.shape()).collect();
        let requests: Vec<ProveRequest<'_>> = mine.iter().map(|(_, l)| l.request()).collect();
        for ((path, _), result) in mine.iter().zip(zkinvoice_prover::prove_batch(k, &requests)) {
            let stem = path.to_string_lossy().trim_end_matches(".job.json").to_string();
            let written = result.map_err(CliError::from).and_then(|p| {
                let mut out = Outputs::new(force);
                out.json(format!("{stem}.envelope.json"), &p.envelope);
                out.json(format!("{stem}.state-after.json"), &p.envelope.state_after);
                out.commit()
            });
            match written {
                Ok(()) => proved += 1,
                Err(e) => {
                    failed += 1;
                    eprintln!("error: {}: {e}", path.display());
                }
            }
        }
    }
    println!(
        "{proved} proved, {failed} failed, in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    if failed > 0 {
        return Err(CliError::Batch {
            failed,
            total: names.len(),
        });
    }
    Ok(())
}
