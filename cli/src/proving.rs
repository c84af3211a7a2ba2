//! `setup`, `prove` and `verify`: keys, proofs and their checks.

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use serde::Deserialize;
use zkinvoice_circuits::{
    commit::{self, MsaCommitDoc, StateDoc, UsageCommitDoc},
    statement::STATEMENT,
    Commitment, Invoice, Msa, Period, Salt, Shape, Usage,
};
use zkinvoice_prover::{envelope::SCHEME, InvoiceKeys, ProofEnvelope, ProveRequest, Proved};
use zkinvoice_verifier::{
    InvoiceProof, InvoicePublicInputs, InvoiceVerifyingKey, PreparedInvoiceKey, VerifyError,
};

use crate::{
    commands::{load_msa, load_msa_commit, load_state, load_usage},
    error::CliError,
    io::{read_json, Outputs},
    ProveArgs, SetupArgs, VerifyArgs,
};

/// Formats a byte count.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
    } else if bytes >= 1 << 10 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}

pub fn setup(a: SetupArgs) -> Result<(), CliError> {
    let t = Instant::now();
    let keys = InvoiceKeys::setup(a.shape, &mut rand::rngs::OsRng)?;
    let took = t.elapsed();
    let m = keys.write(&a.params, a.force)?;
    println!(
        "shape {}: {} constraints, keys made in {:.1} s",
        a.shape,
        m.constraints,
        took.as_secs_f64()
    );
    println!(
        "  {}  {}  sha256 {}",
        a.params.join(&m.proving_key.file).display(),
        size(m.proving_key.bytes),
        m.proving_key.sha256
    );
    println!(
        "  {}  {}  vk hash {}",
        a.params.join(&m.verifying_key.file).display(),
        size(m.verifying_key.bytes),
        m.verifying_key.sha256
    );
    println!("  circuit digest {}", m.circuit_digest);
    Ok(())
}

/// The files one proof is made from.
struct ProveInputs {
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
}

fn load_inputs(i: &ProveInputs) -> Result<Loaded, CliError> {
    zkinvoice_circuits::model::check_id("--invoice-number", &i.invoice_number)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let msa = load_msa(&i.msa)?;
    let (shape, _, msa_salt) = load_msa_commit(&i.msa_commit, &msa)?;
    let before = load_state(&i.state, &msa)?;
    if before.shape != shape {
        return Err(CliError::Mismatch(format!(
            "{}: the state is for shape {}, the MSA commitment for shape {}",
            i.state.display(),
            before.shape.name,
            shape.name
        )));
    }
    let usage = load_usage(&i.usage, &msa, i.period, i.aggregate_days)?;
    let uc: UsageCommitDoc = read_json(&i.usage_commit)?;
    let usage_salt: Salt = uc.salt.parse().map_err(|e| CliError::input(&i.usage_commit, e))?;
    Ok(Loaded {
        msa,
        msa_salt,
        usage,
        usage_salt,
        usage_commitment: uc.commitment,
        before,
        invoice_number: i.invoice_number.clone(),
    })
}

fn request(l: &Loaded) -> ProveRequest<'_> {
    ProveRequest {
        msa: &l.msa,
        msa_salt: &l.msa_salt,
        usage: &l.usage,
        usage_salt: &l.usage_salt,
        expected_usage: Some(l.usage_commitment),
        before: &l.before,
        invoice_number: &l.invoice_number,
    }
}

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

pub fn prove(a: ProveArgs) -> Result<(), CliError> {
    if let Some(dir) = &a.batch {
        return prove_batch(&a, dir);
    }
    let need = |v: &Option<PathBuf>| v.clone().expect("clap requires it without --batch");
    let inputs = ProveInputs {
        msa: need(&a.msa),
        msa_commit: need(&a.msa_commit),
        usage: need(&a.usage),
        usage_commit: need(&a.usage_commit),
        period: a.period,
        aggregate_days: a.aggregate_days,
        state: need(&a.state),
        invoice_number: a
            .invoice_number
            .clone()
            .expect("clap requires it without --batch"),
    };
    let loaded = load_inputs(&inputs)?;
    let t = Instant::now();
    let keys = InvoiceKeys::load(&a.params, loaded.before.shape)?;
    let load_time = t.elapsed();
    let t = Instant::now();
    let proved = zkinvoice_prover::prove(&keys, &request(&loaded), &mut rand::rngs::OsRng)?;
    let prove_time = t.elapsed();
    let mut out = Outputs::new(a.force);
    out.json(need(&a.out), &proved.envelope);
    if let Some(p) = &a.state_out {
        out.json(p, &proved.envelope.state_after);
    }
    out.commit()?;
    report(&proved, load_time.as_secs_f64(), prove_time.as_secs_f64());
    Ok(())
}

fn report(p: &Proved, load: f64, prove: f64) {
    let inv = &p.rated.invoice;
    println!(
        "invoice {}: total {} {}; keys loaded in {:.2} s, proved in {:.2} s",
        inv.number,
        inv.currency.format_minor(inv.total),
        inv.currency,
        load,
        prove
    );
    println!(
        "  invoice_commitment {}",
        Commitment(p.envelope.public_inputs.invoice_commitment)
    );
    println!("  state_after        {}", p.after.commitment);
}

fn prove_batch(a: &ProveArgs, dir: &Path) -> Result<(), CliError> {
    let mut jobs = Vec::new();
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
    let mut failed = 0;
    for path in &names {
        let loaded = (|| {
            let job: Job = read_json(path)?;
            let period = match &job.period {
                Some(p) => Some(p.parse::<Period>().map_err(|e| CliError::input(path, e))?),
                None => None,
            };
            load_inputs(&ProveInputs {
                msa: dir.join(job.msa),
                msa_commit: dir.join(job.msa_commit),
                usage: dir.join(job.usage),
                usage_commit: dir.join(job.usage_commit),
                period,
                aggregate_days: job.aggregate_days,
                state: dir.join(job.state),
                invoice_number: job.invoice_number,
            })
        })();
        match loaded {
            Ok(l) => jobs.push((path.clone(), l)),
            Err(e) => {
                failed += 1;
                eprintln!("error: {}: {e}", path.display());
            }
        }
    }
    let shapes: std::collections::BTreeSet<&str> = jobs.iter().map(|(_, l)| l.before.shape.name).collect();
    let mut keys = Vec::new();
    for name in shapes {
        let shape: Shape = name
            .parse()
            .map_err(|e: zkinvoice_circuits::Error| CliError::Usage(e.to_string()))?;
        keys.push(InvoiceKeys::load(&a.params, shape)?);
    }
    let t = Instant::now();
    let mut proved = 0;
    for k in &keys {
        let mine: Vec<&(PathBuf, Loaded)> =
            jobs.iter().filter(|(_, l)| l.before.shape == k.shape()).collect();
        let requests: Vec<ProveRequest<'_>> = mine.iter().map(|(_, l)| request(l)).collect();
        for ((path, _), result) in mine.iter().zip(zkinvoice_prover::prove_batch(k, &requests)) {
            let stem = path.to_string_lossy().trim_end_matches(".job.json").to_string();
            let written = result.map_err(CliError::from).and_then(|p| {
                let mut out = Outputs::new(a.force);
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

/// The agreed commitments an envelope is checked against (each optional).
#[derive(Default)]
pub struct Anchors {
    /// The MSA commitment.
    pub msa: Option<Commitment>,
    /// The period's usage commitment.
    pub usage: Option<Commitment>,
    /// The state the period starts from.
    pub state_before: Option<Commitment>,
}

impl Anchors {
    /// The commitments named by `verify --msa-commit`, `--usage-commit` and `--state`.
    pub fn from_files(a: &VerifyArgs) -> Result<Self, CliError> {
        let mut anchors = Self::default();
        if let Some(p) = &a.msa_commit {
            anchors.msa = Some(read_json::<MsaCommitDoc>(p)?.commitment);
        }
        if let Some(p) = &a.usage_commit {
            anchors.usage = Some(read_json::<UsageCommitDoc>(p)?.commitment);
        }
        if let Some(p) = &a.state {
            anchors.state_before = Some(read_json::<StateDoc>(p)?.commitment);
        }
        Ok(anchors)
    }

    /// Which commitments are checked, for people.
    pub fn describe(&self) -> String {
        let checked: Vec<&str> = [
            ("MSA", self.msa.is_some()),
            ("usage", self.usage.is_some()),
            ("state", self.state_before.is_some()),
        ]
        .into_iter()
        .filter_map(|(n, on)| on.then_some(n))
        .collect();
        if checked.is_empty() {
            "nothing: pass --msa-commit, --usage-commit, --state".to_string()
        } else {
            checked.join(", ")
        }
    }
}

/// What a Buyer receives with an invoice, from an envelope or an MEF 141 payload: the proof and
/// what identifies its scheme, statement, shape and key.
pub struct Received<'a> {
    /// The proof scheme.
    pub scheme: &'a str,
    /// The statement proved.
    pub statement: &'a str,
    /// The shape name.
    pub shape: &'a str,
    /// SHA-256 of the verifying key, hex.
    pub vk_hash: &'a str,
    /// The proof.
    pub proof: &'a InvoiceProof,
    /// Its public inputs.
    pub public_inputs: &'a InvoicePublicInputs,
}

impl<'a> Received<'a> {
    /// The parts of an envelope.
    pub fn of_envelope(env: &'a ProofEnvelope) -> Self {
        Self {
            scheme: &env.scheme,
            statement: &env.statement,
            shape: &env.shape,
            vk_hash: &env.vk_hash,
            proof: &env.proof,
            public_inputs: &env.public_inputs,
        }
    }
}

/// The invoice of an envelope and the salt of its commitment.
pub fn envelope_invoice(env: &ProofEnvelope) -> Result<(Invoice, Salt), CliError> {
    let invoice = Invoice::from_doc(&env.invoice)
        .map_err(|e| CliError::Invalid(format!("the envelope's invoice: {e}")))?;
    let opening = env
        .invoice
        .commitment
        .as_ref()
        .ok_or_else(|| CliError::Mismatch("envelope invoice: no commitment opening (salt)".into()))?;
    let salt: Salt = opening
        .salt
        .parse()
        .map_err(|e| CliError::Mismatch(format!("envelope invoice: {e}")))?;
    Ok((invoice, salt))
}

/// Checks an envelope as the Buyer does on receipt: the key, the invoice against its proven
/// commitment, the public inputs against the agreed commitments, then the proof.
pub fn check_envelope(
    key: &PreparedInvoiceKey,
    env: &ProofEnvelope,
    anchors: &Anchors,
) -> Result<Invoice, CliError> {
    check_received(
        key,
        &Received::of_envelope(env),
        || envelope_invoice(env),
        anchors,
    )
}

/// The checks of [`check_envelope`] for an invoice received in any form: `invoice` yields the
/// invoice and the salt of its commitment (called after the key is checked).
pub fn check_received(
    key: &PreparedInvoiceKey,
    r: &Received<'_>,
    invoice: impl FnOnce() -> Result<(Invoice, Salt), CliError>,
    anchors: &Anchors,
) -> Result<Invoice, CliError> {
    let invoice = check_before_proof(key, r, invoice, anchors)?;
    match zkinvoice_verifier::verify(key, r.proof, r.public_inputs) {
        Ok(()) => Ok(invoice),
        Err(VerifyError::InvalidProof) => Err(CliError::Invalid("the proof does not verify".into())),
        Err(e @ VerifyError::KeyMismatch { .. }) => Err(CliError::KeyMismatch(e.to_string())),
        Err(e) => Err(CliError::Mismatch(e.to_string())),
    }
}

/// Everything [`check_received`] checks but the proof itself.
fn check_before_proof(
    key: &PreparedInvoiceKey,
    r: &Received<'_>,
    invoice: impl FnOnce() -> Result<(Invoice, Salt), CliError>,
    anchors: &Anchors,
) -> Result<Invoice, CliError> {
    if r.scheme != SCHEME || r.statement != STATEMENT {
        return Err(CliError::KeyMismatch(format!(
            "the envelope is for {} / {}, this verifier checks {SCHEME} / {STATEMENT}",
            r.scheme, r.statement
        )));
    }
    key.check_hash(r.vk_hash)
        .map_err(|e| CliError::KeyMismatch(e.to_string()))?;
    let shape: Shape = r
        .shape
        .parse()
        .map_err(|e| CliError::Mismatch(format!("envelope: {e}")))?;
    let (invoice, salt) = invoice()?;
    let recomputed =
        commit::invoice_commitment(&invoice, shape, &salt).map_err(|e| CliError::Mismatch(e.to_string()))?;
    let p = r.public_inputs;
    if recomputed.0 != p.invoice_commitment {
        return Err(CliError::Invalid(
            "the invoice does not open the proven invoice commitment (it was changed after proving)".into(),
        ));
    }
    for (what, expected, got) in [
        ("MSA commitment", anchors.msa, p.msa_commitment),
        ("usage commitment", anchors.usage, p.usage_commitment),
        ("state before", anchors.state_before, p.state_before),
    ] {
        if let Some(e) = expected {
            if e.0 != got {
                return Err(CliError::Invalid(format!(
                    "the proof is against {what} {}, not the agreed {e}",
                    Commitment(got)
                )));
            }
        }
    }
    Ok(invoice)
}

/// Reads a verifying key file.
pub fn load_vk_bytes(path: &Path) -> Result<InvoiceVerifyingKey, CliError> {
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        file: path.into(),
        source,
    })?;
    InvoiceVerifyingKey::from_bytes(&bytes).map_err(|e| {
        CliError::input(
            path,
            zkinvoice_circuits::Error::invalid("verifying key", e.to_string()),
        )
    })
}

/// Reads and prepares a verifying key file.
pub fn load_vk(path: &Path) -> Result<PreparedInvoiceKey, CliError> {
    Ok(load_vk_bytes(path)?.prepare())
}

pub fn verify(a: VerifyArgs) -> Result<(), CliError> {
    if let Some(payload) = &a.payload {
        return crate::payload::verify(&a, payload);
    }
    if let Some(db) = &a.anchors {
        crate::anchors::check_verify_args(&a, db)?;
        if a.envelope.len() != 1 {
            return Err(CliError::Usage(
                "--anchors takes one --envelope; the key and the agreed commitments come from the anchors"
                    .into(),
            ));
        }
        return crate::anchors::verify_against_anchors(&a, db, &a.envelope[0]);
    }
    let vk =
        a.vk.as_ref()
            .ok_or_else(|| CliError::Usage("give --vk (or --anchors)".into()))?;
    let key = load_vk(vk)?;
    let anchors = Anchors::from_files(&a)?;
    if a.envelope.len() > 1 {
        if anchors.usage.is_some() || anchors.state_before.is_some() {
            return Err(CliError::Usage(
                "--usage-commit and --state belong to one envelope; several envelopes are checked against --msa-commit only".into(),
            ));
        }
        return verify_many(&key, &a.envelope, &anchors);
    }
    let path = &a.envelope[0];
    let env: ProofEnvelope = read_json(path)?;
    let t = Instant::now();
    let invoice = check_envelope(&key, &env, &anchors).map_err(in_file(path))?;
    report_valid("invoice", &invoice, t, &anchors);
    Ok(())
}

/// Prefixes a mismatch with the file it was found in.
pub fn in_file(path: &Path) -> impl Fn(CliError) -> CliError + '_ {
    move |e| match e {
        CliError::Mismatch(m) => CliError::Mismatch(format!("{}: {m}", path.display())),
        e => e,
    }
}

/// Prints the verdict of a valid invoice or bill checked since `t` against `anchors`.
pub fn report_valid(what: &str, invoice: &Invoice, t: Instant, anchors: &Anchors) {
    println!(
        "valid: {what} {} for {}, total {} {} (checked in {:.1} ms; against the agreed {})",
        invoice.number,
        invoice.period,
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        t.elapsed().as_secs_f64() * 1e3,
        anchors.describe()
    );
}

/// Verifies several envelopes: each one's own checks, then all proofs in one batch (falling
/// back to one by one to name the invalid ones).
fn verify_many(key: &PreparedInvoiceKey, paths: &[PathBuf], anchors: &Anchors) -> Result<(), CliError> {
    let envelopes = paths
        .iter()
        .map(|p| read_json::<ProofEnvelope>(p))
        .collect::<Result<Vec<_>, _>>()?;
    let t = Instant::now();
    let mut invalid = 0;
    let mut passed = Vec::new();
    for (path, env) in paths.iter().zip(&envelopes) {
        match check_before_proof(
            key,
            &Received::of_envelope(env),
            || envelope_invoice(env),
            anchors,
        ) {
            Ok(_) => passed.push((path, env)),
            Err(e @ (CliError::KeyMismatch(_) | CliError::Mismatch(_))) => return Err(e),
            Err(e) => {
                invalid += 1;
                println!("invalid: {}: {e}", path.display());
            }
        }
    }
    let items: Vec<_> = passed.iter().map(|(_, e)| (&e.proof, &e.public_inputs)).collect();
    match zkinvoice_verifier::verify_batch(key, &items, &mut rand::rngs::OsRng) {
        Ok(()) => {}
        Err(VerifyError::BatchInvalid { invalid: bad }) => {
            for i in bad {
                invalid += 1;
                println!("invalid: {}: the proof does not verify", passed[i].0.display());
            }
        }
        Err(e) => return Err(CliError::Mismatch(e.to_string())),
    }
    println!(
        "{} valid, {invalid} invalid, of {} envelopes ({:.1} ms)",
        paths.len() - invalid,
        paths.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    if invalid > 0 {
        return Err(CliError::Invalid(format!(
            "{invalid} of {} envelopes",
            paths.len()
        )));
    }
    Ok(())
}
