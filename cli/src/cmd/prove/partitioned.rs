//! `prove` for a partitioned bilateral (protocol v2): every block, chunk and the link proven in
//! parallel, with a progress bar on a terminal, into one envelope.
//!
//! With `--work DIR` the run keeps its salts in `DIR/job.json` (with the invoice number, the
//! period options and the SHA-256 of every input file, so that the directory is never reused for
//! other inputs) and each partition's proof in `DIR/<partition>.proof` as it finishes: a run that
//! stops resumes where it stopped, and `--partition` proves single partitions into the directory,
//! in another process or on another machine given the same inputs and a copy of it.

use std::{
    fs,
    path::{Path, PathBuf},
    time::Instant,
};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zkinvoice_circuits::{
    partition::{PartitionId, PartitionShape},
    Commitment, Salt,
};
use zkinvoice_prover::{
    partition::{self, NoStore, PartitionKeys, ProofStore},
    ProverError,
};
use zkinvoice_verifier::InvoiceProof;

use super::Loaded;
use crate::{error::CliError, io::Outputs, report::progress_bar};

/// One partitioned run.
pub(super) struct Run<'a> {
    /// The parameter directory.
    pub params: &'a Path,
    /// The partition shape.
    pub shape: PartitionShape,
    /// `--work`.
    pub work: Option<&'a Path>,
    /// `--partition`.
    pub only: &'a [String],
    /// The input files, hashed into `job.json`.
    pub files: [&'a PathBuf; 5],
}

/// `job.json`: what a work directory belongs to, and the salts every run of it uses.
#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Job {
    /// The invoice number.
    invoice_number: String,
    /// The period the usage was read for (`--period`), if any.
    period: Option<String>,
    /// `--aggregate-days`, if any.
    aggregate_days: Option<u32>,
    /// SHA-256 of the MSA, MSA commitment, usage, usage commitment and state files, hex.
    inputs: Vec<String>,
    /// The invoice commitment's salt (hex). Secret.
    invoice_salt: String,
    /// The state after's salt (hex). Secret.
    state_after_salt: String,
}

/// The proofs of a work directory: `<partition>.proof`, base64.
struct DirStore<'a>(&'a Path);

/// The salts of the invoice and the state after, and where proofs are kept.
type SaltsAndStore<'a> = ((Salt, Salt), Box<dyn ProofStore + 'a>);

impl ProofStore for DirStore<'_> {
    fn get(&self, id: PartitionId) -> Option<InvoiceProof> {
        let text = fs::read_to_string(self.0.join(format!("{}.proof", id.file_stem()))).ok()?;
        InvoiceProof::from_base64(text.trim()).ok()
    }

    fn put(&self, id: PartitionId, proof: &InvoiceProof) -> Result<(), ProverError> {
        let path = self.0.join(format!("{}.proof", id.file_stem()));
        let err = |e: std::io::Error| ProverError::Write {
            file: path.clone(),
            reason: e.to_string(),
        };
        let mut tmp = tempfile::NamedTempFile::new_in(self.0).map_err(err)?;
        std::io::Write::write_all(&mut tmp, proof.to_base64().as_bytes()).map_err(err)?;
        tmp.persist(&path).map_err(|e| err(e.error))?;
        Ok(())
    }
}

impl<'a> Run<'a> {
    /// The work directory's job: read and checked against these inputs, or made (fresh salts).
    fn job(&self, dir: &Path, loaded: &Loaded) -> Result<Job, CliError> {
        let mut inputs = Vec::with_capacity(self.files.len());
        for f in self.files {
            let bytes = fs::read(f).map_err(|source| CliError::Read {
                file: f.clone(),
                source,
            })?;
            inputs.push(hex::encode(Sha256::digest(&bytes)));
        }
        let mut rng = rand::rngs::OsRng;
        let fresh = Job {
            invoice_number: loaded.invoice_number.clone(),
            period: Some(loaded.usage.period.to_doc()).map(|p| format!("{}..{}", p.start, p.end)),
            aggregate_days: loaded.aggregate_days,
            inputs,
            invoice_salt: Salt::random(&mut rng).to_hex(),
            state_after_salt: Salt::random(&mut rng).to_hex(),
        };
        let path = dir.join("job.json");
        if path.exists() {
            let job: Job = crate::io::read_json(&path)?;
            let same = job.invoice_number == fresh.invoice_number
                && job.period == fresh.period
                && job.aggregate_days == fresh.aggregate_days
                && job.inputs == fresh.inputs;
            if !same {
                return Err(CliError::Mismatch(format!(
                    "{}: the work directory belongs to other inputs (invoice number, period or input files differ); use another --work",
                    path.display()
                )));
            }
            return Ok(job);
        }
        fs::create_dir_all(dir).map_err(|e| CliError::Write {
            file: dir.into(),
            reason: e.to_string(),
        })?;
        let mut o = Outputs::new(false);
        o.json(&path, &fresh);
        o.commit()?;
        Ok(fresh)
    }

    /// The salts of the invoice and the state after, and where proofs are kept: the work
    /// directory's job (created or checked) and proof files, or fresh salts and nowhere.
    fn salts_and_store(&self, loaded: &Loaded) -> Result<SaltsAndStore<'a>, CliError> {
        Ok(match self.work {
            Some(dir) => {
                let job = self.job(dir, loaded)?;
                let parse = |s: &str| {
                    s.parse::<Salt>()
                        .map_err(|e| CliError::input(dir.join("job.json"), e))
                };
                (
                    (parse(&job.invoice_salt)?, parse(&job.state_after_salt)?),
                    Box::new(DirStore(dir)),
                )
            }
            None => {
                let mut rng = rand::rngs::OsRng;
                (
                    (Salt::random(&mut rng), Salt::random(&mut rng)),
                    Box::new(NoStore),
                )
            }
        })
    }

    /// Proves `loaded`, writing the envelope to `out` (and the state after to `state_out`), or,
    /// with `--partition`, only those partitions into the work directory.
    pub(super) fn prove(
        &self,
        loaded: &Loaded,
        out: PathBuf,
        state_out: Option<PathBuf>,
        force: bool,
    ) -> Result<(), CliError> {
        let only = self
            .only
            .iter()
            .map(|s| s.parse::<PartitionId>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| CliError::Usage(format!("--partition: {e}")))?;
        let (salts, store) = self.salts_and_store(loaded)?;
        let t = Instant::now();
        let keys = PartitionKeys::load(self.params, self.shape)?;
        let load_time = t.elapsed();
        let bar = progress_bar("proving partitions");
        let t = Instant::now();
        let run = partition::Run {
            invoice_salt: salts.0,
            after_salt: salts.1,
            store: &*store,
            only: (!only.is_empty()).then(|| only.clone()),
        };
        let proved = partition::prove(
            &keys,
            &loaded.request(),
            &run,
            &mut rand::rngs::OsRng,
            &|n| bar.set_length(n as u64),
            &|_| bar.inc(1),
        )?;
        bar.finish_and_clear();
        let prove_time = t.elapsed();
        let Some(proved) = proved else {
            let names: Vec<String> = only.iter().map(ToString::to_string).collect();
            println!(
                "{} proven into {} in {:.2} s",
                names.join(", "),
                self.work.map_or_else(String::new, |d| d.display().to_string()),
                prove_time.as_secs_f64()
            );
            return Ok(());
        };
        let mut o = Outputs::new(force);
        o.json(out, &proved.envelope);
        if let Some(p) = &state_out {
            o.json(p, &proved.envelope.state_after);
        }
        o.commit()?;
        let (nb, nc) = proved
            .envelope
            .proof
            .partitioned()
            .map_or((0, 0), |p| (p.public.blocks(), p.public.chunks()));
        super::summary(
            &proved.rated.invoice,
            &format!(
                "{} blocks, {} chunks and the link proven in {:.2} s (keys loaded in {:.2} s)",
                nb,
                nc,
                prove_time.as_secs_f64(),
                load_time.as_secs_f64()
            ),
            Commitment(proved.envelope.public_inputs.invoice_commitment),
            proved.after.commitment,
        );
        Ok(())
    }
}
