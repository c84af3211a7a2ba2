//! `keygen`, `anchors ...` and `audit`: party keys and the bilateral's anchor log.

use std::{
    io::{BufReader, IsTerminal},
    path::Path,
    time::Instant,
};

use zkinvoice_anchors::{
    AnchorError, AnchorLog, AuditOptions, Body, PartyPublic, PartySecret, Proposal, Role,
};
use zkinvoice_circuits::{
    commit::{MsaCommitDoc, UsageCommitDoc},
    model::period::PeriodDoc,
    Commitment, Invoice, Salt,
};
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_service::Anchored;
use zkinvoice_verifier::{InvoicePublicInputs, InvoiceVerifyingKey};

use crate::{
    chain::Target,
    error::CliError,
    io::{read_json, read_text, Outputs},
    proving::{check_received, envelope_invoice, load_vk_bytes, Anchors, Received},
    AnchorsCommand, AuditArgs, KeygenArgs, ProposeArgs, RoleArg, VerifyArgs,
};

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Seller => Role::Seller,
            RoleArg::Buyer => Role::Buyer,
        }
    }
}

/// An anchor-log error as a CLI error.
pub fn anchor_err(e: AnchorError) -> CliError {
    match e {
        AnchorError::Corrupt { .. } => CliError::Invalid(e.to_string()),
        AnchorError::Io { .. } | AnchorError::Database { .. } => CliError::Mismatch(e.to_string()),
        _ => CliError::Mismatch(e.to_string()),
    }
}

fn read_public(path: &Path) -> Result<PartyPublic, CliError> {
    let text = read_text(path)?;
    PartyPublic::from_hex(text.trim()).map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))
}

pub fn read_secret(path: &Path) -> Result<PartySecret, CliError> {
    PartySecret::read_file(path).map_err(|e| CliError::Mismatch(format!("{}: {e}", path.display())))
}

pub fn open(path: &Path) -> Result<AnchorLog, CliError> {
    if let Some(url) = crate::chain::url_of(path) {
        return Err(CliError::Usage(format!(
            "{url}: this command works on a SQLite anchor log; an anchor contract on a chain is read with `zkinvoice audit --anchors URL --contract ADDRESS --vk KEY` and `zkinvoice verify --anchors URL --contract ADDRESS --vk KEY`"
        )));
    }
    if !path.exists() {
        return Err(CliError::Read {
            file: path.into(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no anchor log (create it with `zkinvoice anchors init`)",
            ),
        });
    }
    AnchorLog::open(path).map_err(anchor_err)
}

pub fn keygen(a: KeygenArgs) -> Result<(), CliError> {
    zkinvoice_circuits::model::check_id("--party", &a.party).map_err(|e| CliError::Usage(e.to_string()))?;
    if a.chain {
        return crate::chain::keygen(&a.dir, &a.party, a.force);
    }
    let secret_path = a.dir.join(format!("{}.key", a.party));
    let public_path = a.dir.join(format!("{}.pub", a.party));
    if public_path.exists() && !a.force {
        return Err(CliError::Write {
            file: public_path,
            reason: "the file exists; pass --force to replace it".into(),
        });
    }
    let secret = PartySecret::generate();
    secret.write_file(&secret_path).map_err(|e| CliError::Write {
        file: secret_path.clone(),
        reason: e.to_string(),
    })?;
    let mut out = Outputs::new(a.force);
    out.text(&public_path, format!("{}\n", secret.public().to_hex()));
    out.commit()?;
    println!(
        "{}: signing key (owner-only); {}: public key to give the other party",
        secret_path.display(),
        public_path.display()
    );
    Ok(())
}

pub fn run(command: AnchorsCommand) -> Result<(), CliError> {
    match command {
        AnchorsCommand::Init {
            anchors,
            seller,
            buyer,
            verifier_bin,
            anchor_bin,
            key,
            out,
            force,
        } => {
            if let Some(url) = crate::chain::url_of(&anchors) {
                return crate::chain::init(crate::chain::Deploy {
                    url,
                    seller: &seller,
                    buyer: &buyer,
                    verifier_bin: verifier_bin.as_deref(),
                    anchor_bin: anchor_bin.as_deref(),
                    key: key.as_deref(),
                    out: out.as_deref(),
                    force,
                });
            }
            if verifier_bin.is_some() || anchor_bin.is_some() || key.is_some() || out.is_some() {
                return Err(CliError::Usage(
                    "--verifier-bin, --anchor-bin, --key and --out deploy on a chain: give a JSON-RPC --anchors (http:// or https://)".into(),
                ));
            }
            let (s, b) = (read_public(&seller)?, read_public(&buyer)?);
            AnchorLog::create(&anchors, &s, &b).map_err(|e| CliError::Write {
                file: anchors.clone(),
                reason: e.to_string(),
            })?;
            println!(
                "{}: anchor log of seller {} and buyer {}",
                anchors.display(),
                &s.to_hex()[..16],
                &b.to_hex()[..16]
            );
            Ok(())
        }
        AnchorsCommand::Propose(a) => propose(a),
        AnchorsCommand::Sign { proposal, key, role } => {
            let mut p = Proposal::from_json(&read_text(&proposal)?)
                .map_err(|e| CliError::Mismatch(format!("{}: {e}", proposal.display())))?;
            p.sign(role.into(), &read_secret(&key)?);
            let mut out = Outputs::new(true);
            out.text(&proposal, p.to_json());
            out.commit()?;
            println!("{}: signed as {}", proposal.display(), Role::from(role).as_str());
            Ok(())
        }
        AnchorsCommand::Append {
            anchors,
            proposal,
            contract,
            key,
        } => {
            if let Some(url) = crate::chain::url_of(&anchors) {
                let target = crate::chain::Target::new(url, contract.as_deref())?;
                return crate::chain::append(&target, key.as_deref(), &proposal);
            }
            if contract.is_some() || key.is_some() {
                return Err(CliError::Usage(
                    "--contract and --key are for a JSON-RPC --anchors (http:// or https://)".into(),
                ));
            }
            let log = open(&anchors)?;
            let p = Proposal::from_json(&read_text(&proposal)?)
                .map_err(|e| CliError::Mismatch(format!("{}: {e}", proposal.display())))?;
            let entry = log.append(p).map_err(anchor_err)?;
            println!(
                "{}: entry {} ({}) appended, hash {}",
                anchors.display(),
                entry.seq,
                entry.body.kind(),
                hex::encode(entry.hash)
            );
            Ok(())
        }
        AnchorsCommand::Export { anchors, out } => {
            let log = open(&anchors)?;
            let mut buf = Vec::new();
            let n = log.export_jsonl(&mut buf).map_err(anchor_err)?;
            match out {
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
        AnchorsCommand::Import { anchors, from } => {
            let log = open(&anchors)?;
            let file = std::fs::File::open(&from).map_err(|source| CliError::Read {
                file: from.clone(),
                source,
            })?;
            let report = log.import_jsonl(&mut BufReader::new(file)).map_err(anchor_err)?;
            println!(
                "{}: {} entries appended, {} already present",
                anchors.display(),
                report.appended,
                report.already_present
            );
            Ok(())
        }
        AnchorsCommand::Verify { anchors } => {
            let log = open(&anchors)?;
            let r = log.verify_log().map_err(|e| match e {
                AnchorError::Corrupt { .. } | AnchorError::Refused { .. } => CliError::Invalid(e.to_string()),
                e => anchor_err(e),
            })?;
            println!(
                "{}: {} entries, {} MSAs, {} proofs: chain, signatures and rules hold{}",
                anchors.display(),
                r.entries,
                r.msas,
                r.proofs,
                r.head
                    .map(|h| format!("; head {} {}", h.seq, hex::encode(h.hash)))
                    .unwrap_or_default()
            );
            Ok(())
        }
    }
}

fn propose(a: ProposeArgs) -> Result<(), CliError> {
    let body = if let Some(path) = &a.msa_commit {
        let doc: MsaCommitDoc = read_json(path)?;
        let vk_path =
            a.vk.as_ref()
                .ok_or_else(|| CliError::Usage("--msa-commit needs --vk".into()))?;
        let vk = load_vk_bytes(vk_path)?;
        Body::msa_agreed(doc.msa_id, doc.commitment.0, doc.state0.0, doc.shape, &vk)
    } else if let Some(path) = &a.usage_commit {
        let doc: UsageCommitDoc = read_json(path)?;
        Body::UsageAgreed {
            msa_commitment: doc.msa_commitment.0,
            period_start: doc.period.start,
            period_end: doc.period.end,
            usage_commitment: doc.commitment.0,
            usage_detail_root: doc.detail_root,
        }
    } else if let Some(path) = &a.envelope {
        let env: ProofEnvelope = read_json(path)?;
        proved_body(&env)
    } else if let Some(path) = a.accept.as_ref().or(a.reject.as_ref()) {
        let env: ProofEnvelope = read_json(path)?;
        let (msa_commitment, invoice_commitment) = (
            env.public_inputs.msa_commitment,
            env.public_inputs.invoice_commitment,
        );
        match &a.reason {
            Some(reason) if a.reject.is_some() => Body::InvoiceRejected {
                msa_commitment,
                invoice_commitment,
                reason: reason.clone(),
            },
            None if a.accept.is_some() => Body::InvoiceAccepted {
                msa_commitment,
                invoice_commitment,
            },
            _ => {
                return Err(CliError::Usage(
                    "--reject needs --reason; --accept takes none".into(),
                ))
            }
        }
    } else {
        return Err(CliError::Usage(
            "give one of --msa-commit, --usage-commit, --envelope, --accept, --reject".into(),
        ));
    };
    let mut p = Proposal::new(body);
    if let (Some(key), Some(role)) = (&a.key, a.role) {
        p.sign(role.into(), &read_secret(key)?);
    }
    let mut out = Outputs::new(a.force);
    out.text(&a.out, p.to_json());
    out.commit()?;
    println!(
        "{}: {} proposal{}",
        a.out.display(),
        p.body.kind(),
        if a.key.is_some() { ", signed" } else { "" }
    );
    Ok(())
}

/// The `invoice-proved` body of an envelope.
pub fn proved_body(env: &ProofEnvelope) -> Body {
    Body::invoice_proved(
        &env.public_inputs,
        &env.invoice.number,
        &env.invoice.period.start,
        &env.invoice.period.end,
        &env.proof,
    )
}

/// The agreed commitments for a proof, taken from what is anchored, from its public inputs and
/// the invoice's period.
fn anchors_for_parts(
    view: &impl Anchored,
    p: &InvoicePublicInputs,
    period: &PeriodDoc,
) -> Result<(zkinvoice_verifier::PreparedInvoiceKey, Anchors), CliError> {
    let msa = p.msa_commitment;
    let key = view.verifying_key(&msa).cloned().ok_or_else(|| {
        CliError::Invalid(format!(
            "the proof is against MSA commitment {}, which is not anchored",
            Commitment(msa)
        ))
    })?;
    let usage = view
        .agreed_usage(&msa, &period.start, &period.end)
        .ok_or_else(|| {
            CliError::Invalid(format!(
                "no usage is anchored for the period {}..{}",
                period.start, period.end
            ))
        })?;
    let state_before = match view.invoice_states(&p.invoice_commitment) {
        // Already anchored (by the Seller): the anchored entry's inputs are the ones to check.
        Some(_) => p.state_before,
        None => view.latest_state(&msa).unwrap_or(p.state_before),
    };
    Ok((
        key,
        Anchors {
            msa: Some(Commitment(msa)),
            usage: Some(Commitment(usage)),
            state_before: Some(Commitment(state_before)),
        },
    ))
}

/// `verify --anchors`: checks an envelope against what the log (or the anchor contract on a
/// chain) anchored.
pub fn verify_against_anchors(a: &VerifyArgs, anchors: &Path, envelope: &Path) -> Result<(), CliError> {
    let env: ProofEnvelope = read_json(envelope)?;
    let received = Received::of_envelope(&env);
    let invoice = || envelope_invoice(&env);
    if let Some(url) = crate::chain::url_of(anchors) {
        let (target, vk) = chain_args(a, url)?;
        let facts = crate::chain::read_facts(
            &target,
            vk,
            a.confirmations,
            Some(&env.invoice.period),
            &env.public_inputs.invoice_commitment,
        )?;
        verify_received_against(&facts, &received, &env.invoice.period, invoice)?;
        println!("{}", facts.summary());
        return Ok(());
    }
    let view = open(anchors)?.view().map_err(anchor_err)?;
    verify_received_against(&view, &received, &env.invoice.period, invoice)
}

/// Refuses the `verify` options that `--anchors` replaces: the agreed commitments always, the key
/// and --contract unless the anchors are a contract on a chain (which holds the key's hash only).
pub fn check_verify_args(a: &VerifyArgs, anchors: &Path) -> Result<(), CliError> {
    if a.msa_commit.is_some() || a.usage_commit.is_some() || a.state.is_some() {
        return Err(CliError::Usage(
            "--anchors takes the agreed commitments from the anchors; drop --msa-commit, --usage-commit and --state".into(),
        ));
    }
    if crate::chain::url_of(anchors).is_none() && (a.vk.is_some() || a.contract.is_some()) {
        return Err(CliError::Usage(
            "--anchors with a SQLite log takes the key from the log; --vk and --contract are for a JSON-RPC --anchors (http:// or https://)".into(),
        ));
    }
    Ok(())
}

/// The anchor contract and verifying key of `verify --anchors URL --contract ADDRESS --vk KEY`.
pub fn chain_args<'a>(
    a: &'a VerifyArgs,
    url: &'a str,
) -> Result<(Target<'a>, InvoiceVerifyingKey), CliError> {
    let target = Target::new(url, a.contract.as_deref())?;
    let vk = a.vk.as_ref().ok_or_else(|| {
        CliError::Usage("a JSON-RPC --anchors needs --vk (the contract holds only its hash)".into())
    })?;
    Ok((target, load_vk_bytes(vk)?))
}

/// Prints the verdict of a check against an anchor log.
pub fn report_anchored(what: &str, invoice: &zkinvoice_circuits::Invoice, t: Instant) {
    println!(
        "valid: {what} {} for {}, total {} {} (checked in {:.1} ms against the anchored MSA, usage and state)",
        invoice.number,
        invoice.period,
        invoice.currency.format_minor(invoice.total),
        invoice.currency,
        t.elapsed().as_secs_f64() * 1e3
    );
}

/// `verify --anchors`: checks an invoice received as an envelope against what is anchored (a
/// log's view, or an anchor contract read back): the key, the agreed commitments, the anchored
/// states, the proof.
fn verify_received_against(
    view: &impl Anchored,
    r: &Received<'_>,
    period: &PeriodDoc,
    invoice: impl FnOnce() -> Result<(Invoice, Salt), CliError>,
) -> Result<(), CliError> {
    let t = Instant::now();
    let p = r.public_inputs;
    let (key, agreed) = anchors_for_parts(view, p, period)?;
    if let Some(states) = view.invoice_states(&p.invoice_commitment) {
        if states != (p.state_before, p.state_after) {
            return Err(CliError::Invalid(
                "the envelope's states are not those of the anchored invoice".into(),
            ));
        }
    }
    let invoice = check_received(&key, r, invoice, &agreed)?;
    report_anchored("invoice", &invoice, t);
    Ok(())
}

pub fn audit(a: AuditArgs) -> Result<(), CliError> {
    if let Some(url) = crate::chain::url_of(&a.anchors) {
        let target = Target::new(url, a.contract.as_deref())?;
        return crate::chain::audit(&target, a.vk.as_ref(), a.one_by_one);
    }
    if a.contract.is_some() || a.vk.is_some() {
        return Err(CliError::Usage(
            "--contract and --vk are for a JSON-RPC --anchors (http:// or https://)".into(),
        ));
    }
    let log = open(&a.anchors)?;
    let show = std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(0);
    if show {
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message("auditing");
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let options = AuditOptions {
        one_by_one: a.one_by_one,
        progress: Some(&mut progress),
    };
    let report = log
        .audit_with(&mut rand::rngs::OsRng, options)
        .map_err(anchor_err)?;
    bar.finish_and_clear();
    println!(
        "{}: {} entries, {} MSAs, {} proofs ({}) in {:.2} s (proofs {:.2} s)",
        a.anchors.display(),
        report.entries,
        report.msas,
        report.proofs,
        if a.one_by_one { "one by one" } else { "batched" },
        report.elapsed.as_secs_f64(),
        report.proof_time.as_secs_f64()
    );
    for (seq, reason) in &report.failures {
        println!("FAILED entry {seq}: {reason}");
    }
    if report.is_clean() {
        println!("clean: chain, signatures, state chaining and every proof hold");
        Ok(())
    } else {
        Err(CliError::Invalid(format!(
            "{} entries fail the audit",
            report.failures.len()
        )))
    }
}
