//! `ceremony`: a shape's keys made by several parties, each contributing a secret, so that no
//! single party (not even the Buyer) can forge proofs. The library is `zkinvoice-ceremony`; this
//! module maps a shape to its statements, shows progress and writes the keys.

use std::{path::Path, time::Instant};

use zkinvoice_ceremony::{
    transcript::{read_header, Ceremony, Summary},
    Progress,
};
use zkinvoice_circuits::{statement::netting::HEADS_SHAPE, Layout};
use zkinvoice_prover::{lifecycle, netting::NetHeads, partition::keys as partition_keys};

mod keys;

pub use keys::{made_keys, record_of, statements, MadeKeys};

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
        MadeKeys::Partitioned(k, heads) => {
            // The netting key first: a partition shape's ceremony after another's finds it
            // written, and is refused (without --force) before anything is replaced.
            heads.write_with(&a.params, a.force, Some(record.clone()))?;
            k.write_with(&a.params, a.force, Some(record))?;
            format!(
                "{} and {}",
                partition_keys::manifest_name(k.shape),
                lifecycle::file_names::<NetHeads>(HEADS_SHAPE)[2]
            )
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
