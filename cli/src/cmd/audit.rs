//! `audit`: the auditor, without private data: an anchor log's chain, signatures, state chaining
//! and every anchored proof (batched, with a progress bar on a terminal); or an anchor contract
//! read back over JSON-RPC (its verifier's key, the state chain, every proof recovered from its
//! transaction).

use std::{path::Path, time::Instant};

use zkinvoice_anchors::AuditOptions;
use zkinvoice_evm::chain::{NettingKey, ReconcileAudit, StatementAudit, StatementKeys};
use zkinvoice_verifier::{CreditStatement, ReconcileStatement, VerifyingKeyOf};

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
            let netting = a.netting_vk.as_deref().map(load::netting_vk);
            let credit = a.credit_vk.as_deref().map(load::statement_vk::<CreditStatement>);
            let reconcile = a
                .reconcile_vk
                .as_deref()
                .map(load::statement_vk::<ReconcileStatement>);
            let keys = (netting.transpose()?, credit.transpose()?, reconcile.transpose()?);
            chain(&at, &vk, keys)
        }
        AnchorSource::Log(path) => {
            if a.netting_vk.is_some() || a.credit_vk.is_some() || a.reconcile_vk.is_some() {
                return Err(CliError::Usage(
                    "--netting-vk, --credit-vk and --reconcile-vk are for anchor contracts: a log holds its statements' keys in its entries".into(),
                ));
            }
            log(&path, a.one_by_one)
        }
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
    if s.carried > 0 {
        println!("credit notes carried forward: {}", s.carried);
    }
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

/// The netting, credit-note and reconciliation keys given to a chain audit.
type StatementVks = (
    Option<load::NettingVk>,
    Option<VerifyingKeyOf<CreditStatement>>,
    Option<VerifyingKeyOf<ReconcileStatement>>,
);

fn chain(at: &ChainAt, vk: &Path, (netting, credit, reconcile): StatementVks) -> Result<(), CliError> {
    let (keys, sizes) = match load::partition_keys(vk)? {
        Some((shape, set)) => (set.into(), Some(shape.sizes())),
        None => (load::vk(vk)?.into(), None),
    };
    let t = Instant::now();
    let anchor = at.read_only()?;
    let report = anchor.audit_keys(&keys, sizes).map_err(at.err())?;
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
    if report.carried > 0 {
        println!("credit notes carried forward: {}", report.carried);
    }
    let statements = anchor
        .audit_statements(StatementKeys {
            netting: netting.as_ref().map(|k| match k {
                load::NettingVk::V1(k) => NettingKey::V1(k),
                load::NettingVk::Heads(k) => NettingKey::Heads(k),
            }),
            credit: credit.as_ref(),
        })
        .map_err(at.err())?;
    report_statements(&statements);
    let reconciliations = anchor
        .audit_reconciliations(&keys, reconcile.as_ref())
        .map_err(at.err())?;
    report_reconciliations(&reconciliations);
    let failures: Vec<String> = (report.failures.iter().map(ToString::to_string))
        .chain(statements.failures.iter().map(ToString::to_string))
        .chain(reconciliations.failures.iter().map(ToString::to_string))
        .collect();
    let r = &reconciliations;
    let unverified = statements.nettings + statements.credit_notes
        - statements.nettings_verified
        - statements.credit_notes_verified
        + (r.measurements - r.measurements_verified)
        + (r.reconciled + r.disputes - r.reconciliations_verified)
        + (r.partial_invoices - r.partial_invoices_verified);
    if failures.is_empty() {
        if unverified == 0 {
            println!("clean: the verifier is the key's, the state chain is whole, every proof verifies");
        } else {
            println!(
                "clean: the verifier is the key's, the state chain is whole, every invoice's proof verifies ({unverified} proofs of other statements verified on chain only)"
            );
        }
        Ok(())
    } else {
        for f in &failures {
            println!("FAILED: {f}");
        }
        Err(CliError::Invalid(format!(
            "{} failures in the anchor contract",
            failures.len()
        )))
    }
}

/// The nettings and credit notes a chain audit recovered, and how many of their proofs it
/// verified again.
fn report_statements(statements: &StatementAudit) {
    for (what, recorded, verified, flag) in [
        (
            "nettings",
            statements.nettings,
            statements.nettings_verified,
            "--netting-vk",
        ),
        (
            "credit notes",
            statements.credit_notes,
            statements.credit_notes_verified,
            "--credit-vk",
        ),
    ] {
        if recorded > 0 {
            println!(
                "{recorded} {what}: {}",
                if verified == recorded {
                    "every proof recovered from its transaction verifies".to_string()
                } else if verified > 0 {
                    format!("{verified} proofs recovered from their transactions verify")
                } else {
                    format!("proofs recovered from their transactions, not verified again (give {flag})")
                }
            );
        }
    }
}

/// The partial invoices, measurements, reconciliations and disputes a chain audit recovered, and
/// how many of their proofs it verified again.
fn report_reconciliations(r: &ReconcileAudit) {
    if r.partial_invoices > 0 {
        println!(
            "{} partial invoices ({}): {} paid, {} received",
            r.partial_invoices,
            if r.partial_invoices_verified == r.partial_invoices {
                "every proof verifies again under the invoice key".to_string()
            } else {
                format!(
                    "{} of them verify again under the invoice key",
                    r.partial_invoices_verified
                )
            },
            r.partial_paid,
            r.partial_received
        );
    }
    if r.measurements == 0 && r.reconciled + r.disputes == 0 {
        return;
    }
    let outcomes = r.reconciled + r.disputes;
    println!(
        "reconciliation: {} measurements ({}); {} reconciled, {} disputed ({} resolved): {}",
        r.measurements,
        if r.measurements_verified == r.measurements {
            "every proof verifies again under the invoice key".to_string()
        } else {
            format!(
                "{} of them verify again under the invoice key",
                r.measurements_verified
            )
        },
        r.reconciled,
        r.disputes,
        r.resolved,
        if outcomes == 0 {
            "no proof".to_string()
        } else if r.reconciliations_verified == outcomes {
            "every proof recovered from its transaction verifies".to_string()
        } else if r.reconciliations_verified > 0 {
            format!(
                "{} proofs recovered from their transactions verify",
                r.reconciliations_verified
            )
        } else {
            "proofs recovered from their transactions, not verified again (give --reconcile-vk)".to_string()
        }
    );
}
