//! `prove`: the Seller rates the period and proves the invoice (one, or a directory of jobs in
//! parallel, [`batch`]); the inputs are checked to belong together first and the proof after.

mod batch;
mod partitioned;

use std::{path::PathBuf, time::Instant};

use zkinvoice_circuits::{commit::UsageCommitDoc, Commitment, Layout, Msa, Period, Salt, Usage};
use zkinvoice_prover::{InvoiceKeys, ProveRequest, Proved};

use crate::{args::ProveArgs, error::CliError, io::read_json, io::Outputs, load};

/// The files one proof is made from.
struct Inputs {
    msa: PathBuf,
    msa_commit: PathBuf,
    usage: PathBuf,
    usage_commit: PathBuf,
    period: Option<Period>,
    aggregate_days: Option<u32>,
    state: PathBuf,
    invoice_number: String,
}

/// Everything loaded and checked for one proof.
struct Loaded {
    msa: Msa,
    msa_salt: Salt,
    usage: Usage,
    usage_salt: Salt,
    usage_commitment: Commitment,
    before: zkinvoice_circuits::commit::StateOpening,
    invoice_number: String,
    aggregate_days: Option<u32>,
}

impl Inputs {
    fn load(&self) -> Result<Loaded, CliError> {
        zkinvoice_circuits::model::check_id("--invoice-number", &self.invoice_number)
            .map_err(|e| CliError::Usage(e.to_string()))?;
        let msa = load::msa(&self.msa)?;
        let (shape, _, msa_salt) = load::msa_commit(&self.msa_commit, &msa)?;
        let before = load::state(&self.state, &msa)?;
        if before.shape != shape {
            return Err(CliError::Mismatch(format!(
                "{}: the state is for shape {}, the MSA commitment for shape {}",
                self.state.display(),
                before.shape.name(),
                shape.name()
            )));
        }
        let usage = load::usage(&self.usage, &msa, self.period, self.aggregate_days)?;
        let uc: UsageCommitDoc = read_json(&self.usage_commit)?;
        let usage_salt: Salt = uc
            .salt
            .parse()
            .map_err(|e| CliError::input(&self.usage_commit, e))?;
        Ok(Loaded {
            msa,
            msa_salt,
            usage,
            usage_salt,
            usage_commitment: uc.commitment,
            before,
            invoice_number: self.invoice_number.clone(),
            aggregate_days: self.aggregate_days,
        })
    }
}

impl Loaded {
    fn request(&self) -> ProveRequest<'_> {
        ProveRequest {
            msa: &self.msa,
            msa_salt: &self.msa_salt,
            usage: &self.usage,
            usage_salt: &self.usage_salt,
            expected_usage: Some(self.usage_commitment),
            before: &self.before,
            invoice_number: &self.invoice_number,
        }
    }
}

/// `prove`.
pub fn run(a: ProveArgs) -> Result<(), CliError> {
    if let Some(dir) = &a.batch {
        return batch::run(&a.params, dir, a.force);
    }
    let need = |v: Option<PathBuf>| v.expect("clap requires it without --batch");
    let inputs = Inputs {
        msa: need(a.msa),
        msa_commit: need(a.msa_commit),
        usage: need(a.usage),
        usage_commit: need(a.usage_commit),
        period: a.period,
        aggregate_days: a.aggregate_days,
        state: need(a.state),
        invoice_number: a.invoice_number.expect("clap requires it without --batch"),
    };
    let loaded = inputs.load()?;
    let shape = match loaded.before.shape {
        Layout::Single(s) => s,
        Layout::Partitioned(p) => {
            let run = partitioned::Run {
                params: &a.params,
                shape: p,
                work: a.work.as_deref(),
                only: &a.partition,
                files: [
                    &inputs.msa,
                    &inputs.msa_commit,
                    &inputs.usage,
                    &inputs.usage_commit,
                    &inputs.state,
                ],
            };
            return run.prove(&loaded, need(a.out), a.state_out, a.force);
        }
    };
    let t = Instant::now();
    let keys = InvoiceKeys::load(&a.params, shape)?;
    let load_time = t.elapsed();
    let t = Instant::now();
    let proved = zkinvoice_prover::prove(&keys, &loaded.request(), &mut rand::rngs::OsRng)?;
    let prove_time = t.elapsed();
    let mut out = Outputs::new(a.force);
    out.json(need(a.out), &proved.envelope);
    if let Some(p) = &a.state_out {
        out.json(p, &proved.envelope.state_after);
    }
    out.commit()?;
    report(&proved, load_time.as_secs_f64(), prove_time.as_secs_f64());
    Ok(())
}

fn report(p: &Proved, load: f64, prove: f64) {
    summary(
        &p.rated.invoice,
        &format!("keys loaded in {load:.2} s, proved in {prove:.2} s"),
        Commitment(p.envelope.public_inputs.invoice_commitment),
        p.after.commitment,
    );
}

/// What `prove` prints: the invoice's total, `how` it was proven, its commitment and the state
/// after.
fn summary(inv: &zkinvoice_circuits::Invoice, how: &str, invoice: Commitment, after: Commitment) {
    println!(
        "invoice {}: total {} {}; {how}",
        inv.number,
        inv.currency.format_minor(inv.total),
        inv.currency,
    );
    println!("  invoice_commitment {invoice}");
    println!("  state_after        {after}");
}
