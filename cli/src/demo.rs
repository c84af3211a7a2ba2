//! `zkinvoice demo`: the whole flow on the example data in `examples/`.

use std::{path::Path, time::Instant};

use zkinvoice_anchors::{AnchorLog, Body, PartySecret, Proposal, Role};
use zkinvoice_circuits::{
    commit::StateOpening,
    model::sonata::{CustomerBill, Money},
    rate, Msa, Salt, Shape, Usage, UsageFormat,
};
use zkinvoice_prover::{InvoiceKeys, ProofEnvelope, ProveRequest};

use crate::{
    anchors::{anchor_err, proved_body},
    commands::{commit_msa, commit_usage},
    error::CliError,
    exchange::Exchange,
    io::Outputs,
    payload::zk_proof,
    proving::{check_envelope, envelope_invoice, size, Anchors},
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
const DECEMBER: (&str, &str) = (
    "usage-2026-12.json",
    include_str!("../../examples/usage-2026-12.json"),
);
/// CDRs are aggregated per product and week, so a month fits shape S.
const AGGREGATE_DAYS: u32 = 7;

fn ms(t: Instant) -> String {
    let s = t.elapsed().as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1e3)
    }
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
    let shape = Shape::S;

    println!("zkinvoice demo: MEF 114 Option 1 billing with zero-knowledge invoice proofs (examples/)\n");
    let msa = Msa::from_json(MSA).map_err(example("msa.json"))?;
    let cdrs = [
        Usage::parse(OCTOBER.1, UsageFormat::Json, &msa, None).map_err(example(OCTOBER.0))?,
        Usage::parse(
            NOVEMBER.1,
            UsageFormat::Csv,
            &msa,
            Some(NOVEMBER_PERIOD.parse().map_err(example(NOVEMBER.0))?),
        )
        .map_err(example(NOVEMBER.0))?,
        Usage::parse(DECEMBER.1, UsageFormat::Json, &msa, None).map_err(example(DECEMBER.0))?,
    ];
    println!(
        "1. Agree the contract: MSA {} between {} (seller) and {} (buyer), {} products, {}, tax {}%",
        msa.id,
        msa.seller.name,
        msa.buyer.name,
        msa.products.len(),
        msa.currency,
        zkinvoice_circuits::money::format_scaled(u128::from(msa.tax_ppm), 4).trim_end_matches('0')
    );
    let t = Instant::now();
    let keys = InvoiceKeys::setup(shape, &mut rng)?;
    let setup_time = ms(t);
    let pk_bytes = keys.proving.file_size();
    println!(
        "   The buyer makes the Groth16 keys of shape {shape} in {setup_time}: {} constraints, proving key {}, verifying key {} B, hash {}",
        zkinvoice_circuits::statement::InvoiceCost::of(shape).total(shape),
        size(pk_bytes),
        keys.verifying.to_bytes().len(),
        &keys.verifying.hash_hex()[..16],
    );
    if let Some(dir) = &a.out {
        keys.write(&dir.join("params"), false)?;
    }
    let msa_salt = Salt::random(&mut rng);
    let committed =
        commit_msa(&msa, shape, msa_salt.clone(), Salt::random(&mut rng)).map_err(example("msa.json"))?;
    keep(&mut out, a.out.as_deref(), "msa.commit.json", &committed.doc);
    keep(
        &mut out,
        a.out.as_deref(),
        "state-0.json",
        &committed.state0.to_doc(&msa),
    );

    // Each party keeps its own anchor log; entries travel between them as JSON lines.
    let (seller_key, buyer_key) = (PartySecret::generate(), PartySecret::generate());
    let scratch = tempfile::TempDir::new().map_err(|e| CliError::Write {
        file: "temporary directory".into(),
        reason: e.to_string(),
    })?;
    let log_dir = a.out.clone().unwrap_or_else(|| scratch.path().to_path_buf());
    let new_log = |name: &str| {
        AnchorLog::create(&log_dir.join(name), &seller_key.public(), &buyer_key.public()).map_err(|e| {
            CliError::Write {
                file: log_dir.join(name),
                reason: e.to_string(),
            }
        })
    };
    let (seller_log, buyer_log) = (new_log("seller-anchors.db")?, new_log("buyer-anchors.db")?);
    let both = |body: Body| {
        Proposal::new(body)
            .signed(Role::Seller, &seller_key)
            .signed(Role::Buyer, &buyer_key)
    };
    let vk = keys.verifying.clone();
    let entry = seller_log
        .append(both(Body::msa_agreed(
            &msa.id,
            committed.commitment.0,
            committed.state0.commitment.0,
            shape.name,
            &vk,
        )))
        .map_err(anchor_err)?;
    sync(&seller_log, &buyer_log)?;
    println!(
        "   Both sign msa-agreed (entry {}): msa_commitment {}, state_0 {}, and the verifying key",
        entry.seq, committed.commitment, committed.state0.commitment
    );
    let exchange = Exchange::start(
        &log_dir,
        &log_dir.join("seller-anchors.db"),
        &log_dir.join("buyer-anchors.db"),
        buyer_key.clone(),
        msa.clone(),
    )?;
    println!("   Both run their services on loopback: {}", exchange.describe());
    let mut bills: Vec<CustomerBill> = Vec::new();

    let mut state = committed.state0;
    let mut envelopes: Vec<(ProofEnvelope, StateOpening)> = Vec::new();
    for (n, raw) in cdrs.iter().enumerate() {
        let k = n + 1;
        let usage = raw.aggregated(AGGREGATE_DAYS).map_err(example("usage"))?;
        println!(
            "\n{}. Period {}: {} CDRs, aggregated per product and week into {} usage records",
            k + 1,
            usage.period,
            raw.records.len(),
            usage.records.len()
        );
        let usage_salt = Salt::random(&mut rng);
        let uc = commit_usage(&msa, committed.commitment, &usage, shape, usage_salt.clone())
            .map_err(example("usage"))?;
        let agreed = seller_log
            .append(both(Body::UsageAgreed {
                msa_commitment: committed.commitment.0,
                period_start: uc.period.start.clone(),
                period_end: uc.period.end.clone(),
                usage_commitment: uc.commitment.0,
                usage_detail_root: uc.detail_root.clone(),
            }))
            .map_err(anchor_err)?;
        println!(
            "   Both sign usage-agreed (entry {}): usage_commitment {}",
            agreed.seq, uc.commitment
        );
        let number = format!("INV-{}-{:04}", usage.period.start.format("%Y%m"), k);
        let t = Instant::now();
        let proved = zkinvoice_prover::prove(
            &keys,
            &ProveRequest {
                msa: &msa,
                msa_salt: &msa_salt,
                usage: &usage,
                usage_salt: &usage_salt,
                expected_usage: Some(uc.commitment),
                before: &state,
                invoice_number: &number,
            },
            &mut rng,
        )?;
        let prove_time = ms(t);
        let env = &proved.envelope;
        let anchored = seller_log
            .append(Proposal::new(proved_body(env)).signed(Role::Seller, &seller_key))
            .map_err(anchor_err)?;
        let same = rate(&msa, raw, &state.state, &number).is_ok_and(|r| r.invoice == proved.rated.invoice);
        let envelope_bytes = serde_json::to_vec(env).expect("envelopes serialise").len();
        println!(
            "   The seller rates, proves in {prove_time} (envelope {}, proof {} B) and anchors invoice-proved (entry {}){}:\n",
            size(envelope_bytes as u64),
            env.proof.to_bytes().len(),
            anchored.seq,
            if same { "; rating the CDRs one by one gives the same invoice" } else { "" }
        );
        print!("{}", table::invoice(&msa, &proved.rated));
        let (_, salt) = envelope_invoice(env)?;
        let bill = CustomerBill::from_proved(
            &proved.rated.invoice,
            &msa,
            &proved.after.state,
            zk_proof(env, &salt),
        )
        .map_err(|e| CliError::Mismatch(format!("{number}: {e}")))?;
        let t = Instant::now();
        let received = exchange.deliver(&bill)?;
        let checked = ms(t);
        if !received.is_accepted() {
            return Err(CliError::Invalid(format!(
                "the buyer's service rejected {number}: {}",
                received.reason.unwrap_or_default()
            )));
        }
        exchange.pull_from_buyer(&seller_log)?;
        println!(
            "\n   The seller publishes it as an MEF 141 CustomerBill ({} items, proof in zkProof); the buyer's service gets\n   customerBillCreateEvent, pulls the seller's new anchors, fetches the bill and its items, verifies them against\n   its own log: ACCEPTED -> invoice-accepted (entry {}), {checked} end to end over HTTP",
            bill.customer_bill_item.len(),
            received.anchor_entry.unwrap_or_default()
        );
        keep(&mut out, a.out.as_deref(), &format!("{number}.bill.json"), &bill);
        bills.push(bill);
        println!("   state_{k} {}", proved.after.commitment);
        keep(
            &mut out,
            a.out.as_deref(),
            &format!("usage-{}.commit.json", usage.period.start.format("%Y-%m")),
            &uc,
        );
        keep(
            &mut out,
            a.out.as_deref(),
            &format!("{number}.envelope.json"),
            env,
        );
        keep(
            &mut out,
            a.out.as_deref(),
            &format!("state-{k}.json"),
            &env.state_after,
        );
        let after = proved.after.clone();
        envelopes.push((proved.envelope, state));
        state = after;
    }

    println!("\n{}. Tampering is caught:", cdrs.len() + 2);
    let mut resent = bills[bills.len() - 1].clone();
    let lowered = Money::minor(
        msa.currency,
        envelopes.last().map_or(0, |(e, _)| minor_total(e, &msa)) - 100,
    );
    resent.id = format!("{}-R", resent.id);
    resent.bill_no = resent.id.clone();
    for (i, item) in resent.customer_bill_item.iter_mut().enumerate() {
        item.id = format!("{}-{}", resent.id, i + 1);
    }
    resent.tax_included_amount = lowered.clone();
    resent.amount_due = lowered.clone();
    resent.remaining_amount = lowered;
    let r = exchange.deliver(&resent)?;
    println!(
        "   - December's bill sent again over HTTP with its total lowered by 1.00 (new bill number, same proof): {}",
        if r.is_accepted() {
            "ACCEPTED (a defect!)".to_string()
        } else {
            format!(
                "REJECTED by the buyer's service ({}: {}); {}",
                r.code.unwrap_or_default(),
                r.reason.unwrap_or_default(),
                r.not_anchored.map_or("decision anchored".into(), |w| format!("nothing anchored: {w}"))
            )
        }
    );
    let (nov, nov_before) = &envelopes[1];
    let (oct, _) = &envelopes[0];
    let anchors_for_state = |env: &ProofEnvelope, before: &StateOpening| Anchors {
        msa: Some(committed.commitment),
        usage: Some(zkinvoice_circuits::Commitment(env.public_inputs.usage_commitment)),
        state_before: Some(before.commitment),
    };
    let mut raised = nov.clone();
    let c = msa.currency;
    let bump = |s: &str| c.format_minor(c.parse_minor(s).expect("amounts parse") + 100);
    raised.invoice.lines[0].amount = bump(&raised.invoice.lines[0].amount);
    raised.invoice.subtotal = bump(&raised.invoice.subtotal);
    raised.invoice.total = bump(&raised.invoice.total);
    let mut replayed = nov.clone();
    replayed.proof = oct.proof.clone();
    let cases = [
        (
            "a line raised by 1.00 after proving (subtotal and total re-balanced)",
            raised,
            nov_before,
        ),
        (
            "October's proof attached to November's invoice",
            replayed,
            nov_before,
        ),
        (
            "November's invoice presented as starting from state_0",
            nov.clone(),
            &envelopes[0].1,
        ),
    ];
    for (what, env, before) in cases {
        let verdict = match check_envelope(&keys.prepared, &env, &anchors_for_state(&env, before)) {
            Ok(_) => "ACCEPTED (a defect!)".to_string(),
            Err(e) => format!("REJECTED, {e}"),
        };
        println!("   - {what}: {verdict}");
    }
    let replay = seller_log.append(Proposal::new(proved_body(nov)).signed(Role::Seller, &seller_key));
    println!(
        "   - November's invoice anchored a second time: {}",
        match replay {
            Ok(_) => "ACCEPTED (a defect!)".to_string(),
            Err(e) => format!("REFUSED, {e}"),
        }
    );

    exchange.stop();
    let (sh, bh) = (
        seller_log.head().map_err(anchor_err)?,
        buyer_log.head().map_err(anchor_err)?,
    );
    let audit = buyer_log.audit(&mut rng).map_err(anchor_err)?;
    println!(
        "\n{}. Both logs hold {} entries with the same head {}; the buyer's log audits {} ({} proofs, {:.1} ms)",
        cdrs.len() + 3,
        bh.map_or(0, |h| h.seq),
        if sh == bh { bh.map(|h| hex::encode(&h.hash[..8])).unwrap_or_default() } else { "MISMATCH".into() },
        if audit.is_clean() { "clean" } else { "FAILED" },
        audit.proofs,
        audit.elapsed.as_secs_f64() * 1e3
    );
    if let Some(dir) = &a.out {
        out.commit()?;
        println!(
            "\nFiles written to {} (keys in {}/params, anchor logs *-anchors.db)",
            dir.display(),
            dir.display()
        );
    } else {
        println!("\nRun `zkinvoice demo --out DIR` to keep the files.");
    }
    Ok(())
}

/// Sends `from`'s entries to `to` as an export would (JSON lines), importing what `to` lacks.
fn sync(from: &AnchorLog, to: &AnchorLog) -> Result<(), CliError> {
    let mut buf = Vec::new();
    from.export_jsonl(&mut buf).map_err(anchor_err)?;
    to.import_jsonl(&mut &buf[..]).map_err(anchor_err)?;
    Ok(())
}

/// Adds `doc` to the outputs when the demo keeps its files.
fn keep(out: &mut Outputs, dir: Option<&Path>, name: &str, doc: &impl serde::Serialize) {
    if let Some(dir) = dir {
        out.json(dir.join(name), doc);
    }
}

/// An envelope's total in minor units.
fn minor_total(env: &ProofEnvelope, msa: &Msa) -> u64 {
    msa.currency.parse_minor(&env.invoice.total).unwrap_or(0)
}
