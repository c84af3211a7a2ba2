//! `verify`: the Buyer's check of what it received (one or more envelopes, or an MEF 141 bill)
//! against what was agreed: a verifying key and the commitments it names, its anchor log, or the
//! anchor contract on a chain. The check itself is `zkinvoice-check`'s.

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use zkinvoice_check::{check, check_anchored, check_before_proof, Agreed, Received};
use zkinvoice_circuits::{
    commit::{MsaCommitDoc, StateDoc, UsageCommitDoc},
    model::period::PeriodDoc,
    Invoice, Msa,
};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_verifier::{PreparedInvoiceKeys, VerifyError};

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
                &load::prepared_keys(vk)?,
                &paths,
                &agreed(m.as_deref(), None, None)?,
                &load::msa(&v.msa)?,
            ),
            _ => unreachable!("resolve takes several envelopes against files only"),
        },
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
            let key = load::prepared_keys(vk)?;
            let agreed = agreed(msa_commit.as_deref(), usage_commit.as_deref(), state.as_deref())?;
            let t = Instant::now();
            let invoice: Invoice = check(&key, r, &agreed).map_err(refused)?;
            println!("{}", report::valid(what, &invoice, t, &agreed));
            partitions(r);
        }
        Against::Log(db) => {
            let view = load::log(db)?.view().map_err(anchor_err)?;
            let t = Instant::now();
            let invoice = check_anchored(&view, r).map_err(refused)?;
            println!("{}", report::valid_anchored(what, &invoice, t));
            partitions(r);
        }
        Against::Chain(at, vk) => {
            let facts = at.facts(load::keys(vk)?, period, &r.public_inputs.invoice_commitment)?;
            let t = Instant::now();
            let invoice = check_anchored(&facts, r).map_err(refused)?;
            println!("{}", report::valid_anchored(what, &invoice, t));
            partitions(r);
            println!("{}", facts.summary());
        }
    }
    Ok(())
}

/// For a partitioned invoice, how many partitions were verified.
fn partitions(r: &Received<'_>) {
    if let Some(p) = r.proof.partitioned() {
        println!(
            "  {} blocks, {} chunks and the link verified in one batch",
            p.public.blocks(),
            p.public.chunks()
        );
    }
}

/// Verifies several envelopes: each one's own checks, then all proofs in one batch (falling
/// back to one by one to name the invalid ones); partitioned envelopes are each a batch of
/// their own.
fn many(keys: &PreparedInvoiceKeys, paths: &[PathBuf], agreed: &Agreed, msa: &Msa) -> Result<(), CliError> {
    let envelopes = paths
        .iter()
        .map(|p| read_json::<ProofEnvelope>(p))
        .collect::<Result<Vec<_>, _>>()?;
    let t = Instant::now();
    let mut invalid = 0;
    let mut passed = Vec::new();
    for (path, env) in paths.iter().zip(&envelopes) {
        match check_before_proof(keys, &Received::of_envelope(env, msa), agreed) {
            Ok(_) => passed.push((path, env)),
            Err(r) if r.is_key_mismatch() || r.is_malformed() => return Err(rejected(Some(path), r)),
            Err(r) => {
                invalid += 1;
                println!("invalid: {}: {}", path.display(), rejected(None, r));
            }
        }
    }
    let bad: Vec<usize> = match keys {
        PreparedInvoiceKeys::Single(key) => {
            // `check_before_proof` refused proofs of another statement than the key's.
            let items: Vec<_> = passed
                .iter()
                .filter_map(|(_, e)| Some((e.proof.single()?, &e.public_inputs)))
                .collect();
            match zkinvoice_verifier::verify_batch(key, &items, &mut rand::rngs::OsRng) {
                Ok(()) => Vec::new(),
                Err(VerifyError::BatchInvalid { invalid: bad }) => bad,
                Err(e) => return Err(CliError::Mismatch(e.to_string())),
            }
        }
        PreparedInvoiceKeys::Partitioned(_) => (0..passed.len())
            .filter(|&i| {
                let e = passed[i].1;
                keys.verify(&e.proof, &e.public_inputs, &mut rand::rngs::OsRng)
                    .is_err()
            })
            .collect(),
    };
    for i in bad {
        invalid += 1;
        println!("invalid: {}: the proof does not verify", passed[i].0.display());
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
