//! `zkinvoice demo`: the flow built so far, on the example data in `examples/`.

use std::{path::Path, time::Instant};

use zkinvoice_circuits::{
    commit::{self, StateOpening},
    Invoice, Msa, Salt, Shape, Usage, UsageFormat,
};

use crate::{
    commands::{commit_msa, commit_usage, rate_period},
    error::CliError,
    io::Outputs,
    table, DemoArgs,
};

const MSA: &str = include_str!("../../examples/msa.json");
const OCTOBER: (&str, &str) = (
    "usage-2026-10.json",
    include_str!("../../examples/usage-2026-10.json"),
);
const NOVEMBER: (&str, &str) = (
    "usage-2026-11.csv",
    include_str!("../../examples/usage-2026-11.csv"),
);
const NOVEMBER_PERIOD: &str = "2026-11-01..2026-12-01";

fn ms(t: Instant) -> String {
    format!("{:.1} ms", t.elapsed().as_secs_f64() * 1e3)
}

fn example(file: &str) -> impl Fn(zkinvoice_circuits::Error) -> CliError + '_ {
    move |e| CliError::input(Path::new("examples").join(file), e)
}

pub fn run(a: DemoArgs) -> Result<(), CliError> {
    if let Some(dir) = &a.out {
        if dir.exists()
            && std::fs::read_dir(dir)
                .map(|mut d| d.next().is_some())
                .unwrap_or(true)
        {
            return Err(CliError::Write {
                file: dir.clone(),
                reason: "exists and is not an empty directory".into(),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| CliError::Write {
            file: dir.clone(),
            reason: e.to_string(),
        })?;
    }
    let mut out = Outputs::new(false);
    let mut rng = rand::rngs::OsRng;

    println!("zkinvoice demo: MEF 114 Option 1 billing on the example bilateral (examples/)\n");
    let t = Instant::now();
    let msa = Msa::from_json(MSA).map_err(example("msa.json"))?;
    let october_usage = Usage::parse(OCTOBER.1, UsageFormat::Json, &msa, None).map_err(example(OCTOBER.0))?;
    let november_usage = Usage::parse(
        NOVEMBER.1,
        UsageFormat::Csv,
        &msa,
        Some(NOVEMBER_PERIOD.parse().map_err(example(NOVEMBER.0))?),
    )
    .map_err(example(NOVEMBER.0))?;
    let records = october_usage.records.len().max(november_usage.records.len());
    let shape = Shape::smallest_fitting(msa.need(records)).map_err(example("msa.json"))?;
    println!(
        "1. Agree the contract: MSA {} between {} (seller) and {} (buyer), {} products, {}, tax {}%",
        msa.id,
        msa.seller.name,
        msa.buyer.name,
        msa.products.len(),
        msa.currency,
        zkinvoice_circuits::money::format_scaled(u128::from(msa.tax_ppm), 4).trim_end_matches('0')
    );
    println!("   validated and parsed both months in {}; shape {shape}", ms(t));
    let t = Instant::now();
    let committed = commit_msa(&msa, shape, Salt::random(&mut rng), Salt::random(&mut rng))
        .map_err(example("msa.json"))?;
    println!("   msa_commitment {}  ({})", committed.commitment, ms(t));
    println!(
        "   state_0        {}  (all volumes zero)",
        committed.state0.commitment
    );
    keep(&mut out, a.out.as_deref(), "msa.commit.json", &committed.doc);
    keep(
        &mut out,
        a.out.as_deref(),
        "state-0.json",
        &committed.state0.to_doc(&msa),
    );

    let mut state = committed.state0;
    for (n, (file, usage)) in [(OCTOBER.0, &october_usage), (NOVEMBER.0, &november_usage)]
        .into_iter()
        .enumerate()
    {
        let k = n + 1;
        println!(
            "\n{}. Period {}: {} usage records from examples/{file}",
            k + 1,
            usage.period,
            usage.records.len()
        );
        let t = Instant::now();
        let uc = commit_usage(&msa, committed.commitment, usage, shape, Salt::random(&mut rng))
            .map_err(example(file))?;
        println!(
            "   usage_commitment  {}  detail root {}  ({})",
            uc.commitment,
            uc.detail_root,
            ms(t)
        );
        let t = Instant::now();
        let number = format!("INV-{}-{:04}", usage.period.start.format("%Y%m"), k);
        let (rated, output) = rate_period(&msa, usage, &state, &number).map_err(example(file))?;
        println!("   rated in {}:\n", ms(t));
        print!("{}", table::invoice(&msa, &rated));
        let opening = output.invoice.commitment.clone().expect("rate commits");
        // The Buyer's side: recompute the commitment from the invoice document alone.
        let parsed = Invoice::from_doc(&output.invoice).map_err(example(file))?;
        let salt: Salt = opening.salt.parse().map_err(example(file))?;
        let recomputed = commit::invoice_commitment(&parsed, shape, &salt).map_err(example(file))?;
        let check = if recomputed.to_string() == opening.value {
            "recomputed from the document: match"
        } else {
            "MISMATCH"
        };
        println!("\n   invoice_commitment {}  ({check})", opening.value);
        println!("   state_{k}            {}", output.state_after.commitment);
        keep(
            &mut out,
            a.out.as_deref(),
            &format!("usage-{}.commit.json", usage.period.start.format("%Y-%m")),
            &uc,
        );
        keep(
            &mut out,
            a.out.as_deref(),
            &format!("invoice-{number}.json"),
            &output.invoice,
        );
        keep(
            &mut out,
            a.out.as_deref(),
            &format!("state-{k}.json"),
            &output.state_after,
        );
        state = StateOpening::from_doc(&msa, &output.state_after).map_err(example(file))?;
    }
    println!("\nVolume discounts carry over: November starts from October's cumulative volumes (state_1).");
    if let Some(dir) = &a.out {
        out.commit()?;
        println!("Files written to {}", dir.display());
    } else {
        println!("Run `zkinvoice demo --out DIR` to keep the files.");
    }
    Ok(())
}

/// Adds `doc` to the outputs when the demo keeps its files.
fn keep(out: &mut Outputs, dir: Option<&Path>, name: &str, doc: &impl serde::Serialize) {
    if let Some(dir) = dir {
        out.json(dir.join(name), doc);
    }
}
