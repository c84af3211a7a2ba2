//! `audit`: the auditor, without private data: an anchor log's chain, signatures, state chaining
//! and every anchored proof (batched, with a progress bar on a terminal); or an anchor contract
//! read back over JSON-RPC (its verifier's key, the state chain, every proof recovered from its
//! transaction).

use std::{path::Path, time::Instant};

use zkinvoice_anchors::AuditOptions;

use crate::{
    args::AuditArgs,
    error::{anchor_err, CliError},
    load,
    resolve::{chain_vk, AnchorSource, ChainAt},
};

/// `audit`.
pub fn run(a: AuditArgs) -> Result<(), CliError> {
    match AnchorSource::resolve(
        &a.anchors,
        a.contract.as_deref(),
        0,
        "--contract and --vk",
        a.vk.is_some(),
    )? {
        AnchorSource::Chain(at) => {
            let vk = chain_vk(a.vk.as_deref())?;
            if a.one_by_one {
                return Err(CliError::Usage("--one-by-one is for SQLite logs".into()));
            }
            chain(&at, &vk)
        }
        AnchorSource::Log(path) => log(&path, a.one_by_one),
    }
}

fn log(path: &Path, one_by_one: bool) -> Result<(), CliError> {
    let log = load::log(path)?;
    let bar = crate::report::progress_bar("auditing");
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let options = AuditOptions {
        one_by_one,
        progress: Some(&mut progress),
    };
    let report = log
        .audit_with(&mut rand::rngs::OsRng, options)
        .map_err(anchor_err)?;
    bar.finish_and_clear();
    println!(
        "{}: {} entries, {} MSAs, {} proofs ({}) in {:.2} s (proofs {:.2} s)",
        path.display(),
        report.entries,
        report.msas,
        report.proofs,
        if one_by_one { "one by one" } else { "batched" },
        report.elapsed.as_secs_f64(),
        report.proof_time.as_secs_f64()
    );
    let s = report.settlement;
    println!(
        "settlement: accepted invoices {}, credited {}, netted {}, paid {}, received {}; nets {}, paid {}, received {}",
        s.accepted, s.credited, s.netted, s.paid, s.received, s.nets, s.nets_paid, s.nets_received
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

fn chain(at: &ChainAt, vk: &Path) -> Result<(), CliError> {
    let (keys, sizes) = match load::partition_keys(vk)? {
        Some((shape, set)) => (set.into(), Some(shape.sizes())),
        None => (load::vk(vk)?.into(), None),
    };
    let t = Instant::now();
    let report = at.read_only()?.audit_keys(&keys, sizes).map_err(at.err())?;
    println!(
        "{} {}: {} invoices in {:.2} s; {} paid, {} received{}{}",
        at.url,
        at.contract,
        report.invoices,
        t.elapsed().as_secs_f64(),
        report.paid,
        report.received,
        if report.netted > 0 {
            format!("; {} netted (their payments the nets')", report.netted)
        } else {
            String::new()
        },
        if report.credited > 0 {
            format!("; {} credited", report.credited)
        } else {
            String::new()
        }
    );
    if report.failures.is_empty() {
        println!("clean: the verifier is the key's, the state chain is whole, every proof verifies");
        Ok(())
    } else {
        for f in &report.failures {
            println!("FAILED: {f}");
        }
        Err(CliError::Invalid(format!(
            "{} failures in the anchor contract",
            report.failures.len()
        )))
    }
}
