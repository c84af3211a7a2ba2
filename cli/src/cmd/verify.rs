//! `verify`: the Buyer's check of what it received (one or more envelopes, or an MEF 141 bill)
//! against what was agreed: a verifying key and the commitments it names, its anchor log, or the
//! anchor contract on a chain. The check itself is `zkinvoice-check`'s.

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use zkinvoice_check::{check, check_anchored, check_before_proof, check_partitioned, Agreed, Received};
use zkinvoice_circuits::{
    commit::{MsaCommitDoc, StateDoc, UsageCommitDoc},
    model::period::PeriodDoc,
    Invoice, Msa,
};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::{
    partition::{PartitionedEnvelope, PARTITIONED},
    ProofEnvelope,
};
use zkinvoice_verifier::{PreparedInvoiceKey, VerifyError};

use crate::{
    args::VerifyArgs,
    error::{anchor_err, rejected, CliError},
    io::read_json,
    load, report,
    resolve::{Against, Input, Verify},
};

/// `verify`.
pub fn run(a: VerifyArgs) -> Result<(), CliError> {
    let v = Verify::resolve(a)?;
    match v.input {
        Input::Envelopes(paths) if paths.len() > 1 => match &v.against {
            Against::Files {
                vk, msa_commit: m, ..
            } => many(
                &load::prepared_vk(vk)?,
                &paths,
                &agreed(m.as_deref(), None, None)?,
                &load::msa(&v.msa)?,
            ),
            _ => unreachable!("resolve takes several envelopes against files only"),
        },
        Input::Envelopes(ref paths) if is_partitioned(&paths[0])? => partitioned(&paths[0], &v),
        Input::Envelopes(paths) => {
            let path = &paths[0];
            let env: ProofEnvelope = read_json(path)?;
            let msa = load::msa(&v.msa)?;
            one(
                path,
                "invoice",
                &Received::of_envelope(&env, &msa),
                Some(&env.invoice.period),
                &v.against,
            )
        }
        Input::Bill(path) => {
            let bill: CustomerBill = read_json(&path)?;
            let msa = load::msa(&v.msa)?;
            // The period to read a chain's usage of: the bill's (a bill that does not read as an
            // invoice is refused by the check itself).
            let period = bill.to_invoice(&msa).ok().map(|(i, _)| i.period.to_doc());
            one(
                &path,
                "bill",
                &Received::of_bill(&bill, &msa),
                period.as_ref(),
                &v.against,
            )
        }
    }
}

/// The commitments named by `--msa-commit`, `--usage-commit` and `--state`.
fn agreed(msa: Option<&Path>, usage: Option<&Path>, state: Option<&Path>) -> Result<Agreed, CliError> {
    Ok(Agreed {
        msa: msa
            .map(|p| read_json::<MsaCommitDoc>(p).map(|d| d.commitment))
            .transpose()?,
        usage: usage
            .map(|p| read_json::<UsageCommitDoc>(p).map(|d| d.commitment))
            .transpose()?,
        state_before: state
            .map(|p| read_json::<StateDoc>(p).map(|d| d.commitment))
            .transpose()?,
    })
}

/// Checks one received invoice (`what` from `path`, of `period`) against `against`.
fn one(
    path: &Path,
    what: &str,
    r: &Received<'_>,
    period: Option<&PeriodDoc>,
    against: &Against,
) -> Result<(), CliError> {
    let refused = |e| rejected(Some(path), e);
    match against {
        Against::Files {
            vk,
            msa_commit,
            usage_commit,
            state,
        } => {
            let key = load::prepared_vk(vk)?;
            let agreed = agreed(msa_commit.as_deref(), usage_commit.as_deref(), state.as_deref())?;
            let t = Instant::now();
            let invoice: Invoice = check(&key, r, &agreed).map_err(refused)?;
            println!("{}", report::valid(what, &invoice, t, &agreed));
        }
        Against::Log(db) => {
            let view = load::log(db)?.view().map_err(anchor_err)?;
            let t = Instant::now();
            let invoice = check_anchored(&view, r).map_err(refused)?;
            println!("{}", report::valid_anchored(what, &invoice, t));
        }
        Against::Chain(at, vk) => {
            let facts = at.facts(load::vk(vk)?, period, &r.public_inputs.invoice_commitment)?;
            let t = Instant::now();
            let invoice = check_anchored(&facts, r).map_err(refused)?;
            println!("{}", report::valid_anchored(what, &invoice, t));
            println!("{}", facts.summary());
        }
    }
    Ok(())
}

/// Verifies several envelopes: each one's own checks, then all proofs in one batch (falling
/// back to one by one to name the invalid ones).
fn many(key: &PreparedInvoiceKey, paths: &[PathBuf], agreed: &Agreed, msa: &Msa) -> Result<(), CliError> {
    let envelopes = paths
        .iter()
        .map(|p| read_json::<ProofEnvelope>(p))
        .collect::<Result<Vec<_>, _>>()?;
    let t = Instant::now();
    let mut invalid = 0;
    let mut passed = Vec::new();
    for (path, env) in paths.iter().zip(&envelopes) {
        match check_before_proof(key, &Received::of_envelope(env, msa), agreed) {
            Ok(_) => passed.push((path, env)),
            Err(r) if r.is_key_mismatch() || r.is_malformed() => return Err(rejected(Some(path), r)),
            Err(r) => {
                invalid += 1;
                println!("invalid: {}: {}", path.display(), rejected(None, r));
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

/// Whether the envelope at `path` is a partitioned one (protocol v2): it names that statement.
fn is_partitioned(path: &Path) -> Result<bool, CliError> {
    let doc: serde_json::Value = read_json(path)?;
    Ok(doc.get("statement").and_then(serde_json::Value::as_str) == Some(PARTITIONED))
}

/// Checks one partitioned envelope against the keys named by `--vk` (the partition shape's
/// manifest, `partition-X.json`) and the agreed commitments given.
fn partitioned(path: &Path, v: &Verify) -> Result<(), CliError> {
    let env: PartitionedEnvelope = read_json(path)?;
    let msa = load::msa(&v.msa)?;
    let Against::Files {
        vk,
        msa_commit,
        usage_commit,
        state,
    } = &v.against
    else {
        return Err(CliError::Usage(
            "a partitioned envelope is checked against its keys and the agreed commitments given as files (--vk partition-X.json, --msa-commit, --usage-commit, --state); against the anchor log or contract it is not yet supported".into(),
        ));
    };
    let (shape, keys) = zkinvoice_prover::partition::keys::load_verifying(vk)?;
    let agreed = agreed(msa_commit.as_deref(), usage_commit.as_deref(), state.as_deref())?;
    let t = Instant::now();
    let invoice = check_partitioned(&keys, shape, &Received::of_partitioned(&env, &msa), &agreed)
        .map_err(|e| rejected(Some(path), e))?;
    println!("{}", report::valid("invoice", &invoice, t, &agreed));
    println!(
        "  {} blocks, {} chunks and the link verified in one batch",
        env.parts.blocks(),
        env.parts.chunks()
    );
    Ok(())
}
