//! `ceremony`: a shape's keys made by several parties, each contributing a secret, so that no
//! single party (not even the Buyer) can forge proofs. The library is `zkinvoice-ceremony`; this
//! module maps a shape to its statements, shows progress and writes the keys.

use std::{path::Path, time::Instant};

use zkinvoice_ceremony::{
    phase2_steps::Keys,
    transcript::{read_header, Ceremony, Statement, Summary},
    Progress,
};
use zkinvoice_circuits::statement::InvoiceCost;
use zkinvoice_circuits::Layout;
use zkinvoice_prover::{
    credit::{Credit, CreditKeys},
    groth16::Backend,
    keys::{expected_digest, invoice_r1cs},
    lifecycle,
    netting::{Net, NettingKeys},
    partition::{keys as partition_keys, PartitionKeys},
    reconcile::{self, ReconcileKeys},
    CeremonyRecord, InvoiceKeys,
};

use zkinvoice_verifier::{
    partition::{BlockStatement, ChunkStatement, LinkStatement},
    CreditStatement, InvoiceStatement, NettingStatement, ReconcileStatement, Statement as _,
};

use crate::{
    args::{
        CeremonyCommand, CeremonyContributeArgs, CeremonyExportPtauArgs, CeremonyFinishArgs,
        CeremonyStartArgs,
    },
    error::CliError,
    report::{progress_bar, size},
};

/// `ceremony ...`.
pub fn run(c: CeremonyCommand) -> Result<(), CliError> {
    match c {
        CeremonyCommand::Start(a) => start(a),
        CeremonyCommand::Contribute(a) => contribute(a),
        CeremonyCommand::Prepare(a) => prepare(&a.dir),
        CeremonyCommand::Verify(a) => verify(&a.dir),
        CeremonyCommand::Finish(a) => finish(a),
        CeremonyCommand::ExportPtau(a) => export_ptau(a),
    }
}

/// The statements a layout's keys are for, named as the ceremony names them: their facts pinned
/// by this build (`params/shapes.json`), their matrices synthesised only when a step needs them.
pub fn statements(layout: Layout) -> Result<Vec<Statement>, CliError> {
    let digest = |hex_digest: &str| -> Result<[u8; 32], CliError> {
        crate::load::hash32(hex_digest).ok_or_else(|| {
            CliError::Mismatch(format!(
                "a pinned circuit digest {hex_digest:?} is not 32 bytes of hex"
            ))
        })
    };
    Ok(match layout {
        Layout::Single(shape) => {
            let (reconcile_digest, reconcile_constraints) = reconcile::expected(shape);
            let (netting_digest, netting_constraints) = lifecycle::expected::<Net>(shape);
            let (credit_digest, credit_constraints) = lifecycle::expected::<Credit>(shape);
            vec![
                Statement::lazy(
                    &format!("invoice-{}", shape.name),
                    zkinvoice_circuits::statement::STATEMENT,
                    (
                        digest(&expected_digest(shape))?,
                        InvoiceCost::of(shape).total(shape),
                        InvoiceStatement::INPUTS + 1,
                    ),
                    move || invoice_r1cs(shape).map_err(|e| e.to_string()),
                ),
                Statement::lazy(
                    &format!("reconcile-{}", shape.name),
                    zkinvoice_circuits::statement::reconcile::STATEMENT,
                    (
                        digest(&reconcile_digest)?,
                        reconcile_constraints,
                        ReconcileStatement::INPUTS + 1,
                    ),
                    move || reconcile::matrices(shape).map_err(|e| e.to_string()),
                ),
                Statement::lazy(
                    &format!("netting-{}", shape.name),
                    zkinvoice_circuits::statement::netting::STATEMENT,
                    (
                        digest(&netting_digest)?,
                        netting_constraints,
                        NettingStatement::INPUTS + 1,
                    ),
                    move || lifecycle::matrices::<Net>(shape).map_err(|e| e.to_string()),
                ),
                Statement::lazy(
                    &format!("credit-{}", shape.name),
                    zkinvoice_circuits::statement::credit::STATEMENT,
                    (
                        digest(&credit_digest)?,
                        credit_constraints,
                        CreditStatement::INPUTS + 1,
                    ),
                    move || lifecycle::matrices::<Credit>(shape).map_err(|e| e.to_string()),
                ),
            ]
        }
        Layout::Partitioned(p) => {
            let inputs = [
                BlockStatement::INPUTS,
                ChunkStatement::INPUTS,
                LinkStatement::INPUTS,
            ];
            let mut out = Vec::new();
            for (i, ((name, id, constraints, circuit), inputs)) in
                partition_keys::statements(p).into_iter().zip(inputs).enumerate()
            {
                out.push(Statement::lazy(
                    &format!("partition-{}-{name}", p.name),
                    id,
                    (digest(&circuit)?, constraints, inputs + 1),
                    move || {
                        partition_keys::statement_r1cs(p)
                            .map(|r| r[i].clone())
                            .map_err(|e| e.to_string())
                    },
                ));
            }
            out
        }
    })
}

/// The ceremony in `dir`, for this build's circuits of its shape.
fn open(dir: &Path) -> Result<(Layout, Ceremony), CliError> {
    let header = read_header(dir)?;
    let layout: Layout = header
        .setup
        .parse()
        .map_err(|e| CliError::input(dir.join("ceremony.json"), e))?;
    Ok((layout, Ceremony::open(dir, statements(layout)?)?))
}

/// A progress bar as the library reports progress.
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn begin(&self, what: &str, total: u64) {
        self.0.set_message(what.to_string());
        self.0.set_length(total);
        self.0.set_position(0);
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

fn bar() -> Bar {
    Bar(progress_bar("ceremony"))
}

fn start(a: CeremonyStartArgs) -> Result<(), CliError> {
    let statements = statements(a.shape)?;
    let power = match &a.phase1_from {
        Some(from) => Some(read_header(from)?.power),
        None => a.power,
    };
    let c = Ceremony::create(&a.dir, a.shape.name(), statements, power)?;
    if let Some(from) = &a.phase1_from {
        let p1 = c.import_phase1(from, &mut rand::rngs::OsRng)?;
        println!(
            "phase 1 continued from {}: {} contributions ({}), verified",
            from.display(),
            p1.names.len(),
            p1.names.join(", ")
        );
    }
    let h = c.header();
    println!(
        "ceremony for shape {} in {}: phase 1 of 2^{}",
        a.shape,
        a.dir.display(),
        h.power
    );
    for s in &h.statements {
        println!(
            "  {}: {} constraints, domain 2^{}",
            s.name, s.constraints, s.domain_power
        );
    }
    println!(
        "next: each party runs `zkinvoice ceremony contribute --dir {} --name NAME` in turn",
        a.dir.display()
    );
    Ok(())
}

fn contribute(a: CeremonyContributeArgs) -> Result<(), CliError> {
    let (_, c) = open(&a.dir)?;
    let t = Instant::now();
    let bar = bar();
    if c.prepared() {
        let records = c.contribute_phase2(&a.name, &mut rand::rngs::OsRng, &bar)?;
        bar.0.finish_and_clear();
        if records.is_empty() {
            println!("phase 2: {} has contributed to every statement already", a.name);
        }
        for r in records {
            println!(
                "phase 2, {}: contribution {} by {} ({})",
                r.statement,
                r.index,
                r.name,
                size(r.key.bytes)
            );
        }
    } else {
        let r = c.contribute_phase1(&a.name, &mut rand::rngs::OsRng, &bar)?;
        bar.0.finish_and_clear();
        println!(
            "phase 1: contribution {} by {} ({})",
            r.index,
            r.name,
            size(r.accumulator.bytes)
        );
    }
    println!(
        "  verified and contributed in {:.1} s; pass {} to the next party",
        t.elapsed().as_secs_f64(),
        a.dir.display()
    );
    Ok(())
}

fn prepare(dir: &Path) -> Result<(), CliError> {
    let (_, c) = open(dir)?;
    let t = Instant::now();
    let bar = bar();
    c.prepare(&mut rand::rngs::OsRng, &bar)?;
    bar.0.finish_and_clear();
    println!(
        "phase 1 closed; phase 2 begun for {} statements in {:.1} s",
        c.header().statements.len(),
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_summary(s: &Summary) {
    println!("  transcript hash {}", s.transcript_hash);
    println!("  phase 1: {}", names(&s.phase1));
    for (statement, n) in &s.phase2 {
        println!("  phase 2, {statement}: {}", names(n));
    }
    println!(
        "  multi-party: {}",
        if s.multi_party() {
            "yes (two or more parties in every phase)"
        } else {
            "NO: keys from this transcript are a single-party setup"
        }
    );
}

fn names(n: &[String]) -> String {
    if n.is_empty() {
        "no contribution yet".into()
    } else {
        n.join(", ")
    }
}

fn verify(dir: &Path) -> Result<(), CliError> {
    let (_, c) = open(dir)?;
    let t = Instant::now();
    let s = c.verify(&mut rand::rngs::OsRng)?;
    println!(
        "transcript valid (verified in {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    print_summary(&s);
    Ok(())
}

fn export_ptau(a: CeremonyExportPtauArgs) -> Result<(), CliError> {
    let (_, c) = open(&a.dir)?;
    if a.out.exists() && !a.force {
        return Err(CliError::Write {
            file: a.out,
            reason: "the file exists; pass --force to replace it".into(),
        });
    }
    let t = Instant::now();
    let p1 = c.export_ptau(&a.out, &mut rand::rngs::OsRng)?;
    println!(
        "phase 1 of 2^{} ({}) written to {} in snarkjs's format ({:.1} s); check it with \
         `snarkjs powersoftau verify {}`",
        p1.accumulator.power,
        p1.names.join(", "),
        a.out.display(),
        t.elapsed().as_secs_f64(),
        a.out.display()
    );
    Ok(())
}

/// The record of a verified transcript, for the key manifest and `msa-agreed`: its hash, and its
/// contributors in the order they first contributed.
pub fn record_of(summary: &Summary) -> CeremonyRecord {
    let mut contributors: Vec<String> = Vec::new();
    for n in summary
        .phase1
        .iter()
        .chain(summary.phase2.iter().flat_map(|(_, n)| n))
    {
        if !contributors.contains(n) {
            contributors.push(n.clone());
        }
    }
    CeremonyRecord {
        transcript_hash: summary.transcript_hash.clone(),
        contributors,
        multi_party: summary.multi_party(),
    }
}

/// A ceremony's keys for `layout`, in the prover's form.
pub enum MadeKeys {
    /// The invoice statement's keys, the reconciliation statement's, the netting statement's
    /// and the credit-note statement's (a v1 shape).
    Single(
        Box<InvoiceKeys>,
        Box<ReconcileKeys>,
        Box<NettingKeys>,
        Box<CreditKeys>,
    ),
    /// A partition shape's three.
    Partitioned(Box<PartitionKeys>),
}

/// The keys of a finished transcript (`Ceremony::finish`'s) for `layout`.
pub fn made_keys(layout: Layout, keys: Keys) -> Result<MadeKeys, CliError> {
    let keys: Vec<_> = keys.into_iter().map(|(_, k)| k).collect();
    Ok(match layout {
        Layout::Single(shape) => {
            let [invoice, reconcile, netting, credit]: [_; 4] = keys
                .try_into()
                .map_err(|_| CliError::Mismatch("four keys expected".into()))?;
            MadeKeys::Single(
                Box::new(InvoiceKeys::from_ark(shape, invoice, Backend::default())?),
                Box::new(ReconcileKeys::from_ark(shape, &reconcile, Backend::default())?),
                Box::new(NettingKeys::from_ark(shape, &netting, Backend::default())?),
                Box::new(CreditKeys::from_ark(shape, &credit, Backend::default())?),
            )
        }
        Layout::Partitioned(p) => {
            let three: [_; 3] = keys
                .try_into()
                .map_err(|_| CliError::Mismatch("three keys expected".into()))?;
            MadeKeys::Partitioned(Box::new(PartitionKeys::from_ark(p, three, Backend::default())?))
        }
    })
}

fn finish(a: CeremonyFinishArgs) -> Result<(), CliError> {
    let (layout, c) = open(&a.dir)?;
    let (summary, keys) = c.finish(&mut rand::rngs::OsRng)?;
    let record = record_of(&summary);
    let manifest = match made_keys(layout, keys)? {
        MadeKeys::Single(k, r, n, c) => {
            let m = k.write_with(&a.params, a.force, Some(record.clone()))?;
            r.write_with(&a.params, a.force, Some(record.clone()))?;
            n.write_with(&a.params, a.force, Some(record.clone()))?;
            c.write_with(&a.params, a.force, Some(record))?;
            format!(
                "invoice-{0}.json, reconcile-{0}.json, netting-{0}.json and credit-{0}.json",
                m.shape
            )
        }
        MadeKeys::Partitioned(k) => {
            k.write_with(&a.params, a.force, Some(record))?;
            partition_keys::manifest_name(k.shape)
        }
    };
    println!(
        "keys of shape {layout} from the ceremony written to {} ({})",
        a.params.display(),
        manifest
    );
    print_summary(&summary);
    Ok(())
}

#[cfg(test)]
mod tests {
    use zkinvoice_circuits::{Layout, Shape};

    use super::statements;

    /// A v1 shape's ceremony makes the invoice statement's keys, the reconciliation
    /// statement's, the netting statement's and the credit-note statement's; the facts it names
    /// them by are those of this build's circuits.
    #[test]
    fn a_v1_ceremony_covers_the_invoice_reconciliation_netting_and_credit_statements() {
        let s = statements(Layout::Single(Shape::S)).expect("the statements");
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["invoice-S", "reconcile-S", "netting-S", "credit-S"]);
        assert_eq!(s[1].statement, "zkinvoice/reconcile/v1");
        assert_eq!(s[2].statement, "zkinvoice/netting/v1");
        assert_eq!(s[3].statement, "zkinvoice/credit/v1");
        let c = s[3].r1cs().expect("the pinned facts are the circuit's");
        assert_eq!(c.num_constraints(), 23_436);
        // The matrices are checked against the pinned digest and constraints as they load.
        let r = s[1].r1cs().expect("the pinned facts are the circuit's");
        assert_eq!(r.num_constraints(), 21_600);
        let n = s[2].r1cs().expect("the pinned facts are the circuit's");
        assert_eq!(n.num_constraints(), 5_447);
    }
}
