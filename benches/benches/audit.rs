//! Auditing an anchor log of 1,000 shape-S invoice proofs: batched against one by one.
//!
//! `cargo bench -p zkinvoice-benches --bench audit`
//!
//! The log (one MSA, 1,000 consecutive daily periods, each with its agreed usage and its proved
//! invoice: 2,001 entries) takes about 20 minutes to build on 2 cores; it is kept in
//! `target/zkinvoice-bench/` and reused by later runs.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use criterion::{criterion_group, criterion_main, Criterion};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use zkinvoice_anchors::{AnchorLog, AuditOptions, Body, KeySetup, PartySecret, Proposal, Role};
use zkinvoice_circuits::{
    commit::{self, StateOpening},
    model::usage::RecordDoc,
    Msa, Period, Salt, Shape, Usage, VolumeState,
};
use zkinvoice_prover::{prove, InvoiceKeys, ProveRequest};

const PROOFS: u64 = 1_000;
const MSA: &str = include_str!("../../examples/msa.json");

fn log_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/zkinvoice-bench/audit-1000-v1.db"
    ))
}

/// Builds the log: seller and buyer keys, the MSA, then per day its usage and its proof.
fn build(path: &Path) {
    let mut rng = ChaCha20Rng::seed_from_u64(1000);
    let shape = Shape::S;
    let keys = InvoiceKeys::setup(shape, &mut rng).expect("setup");
    let (seller, buyer) = (
        PartySecret::from_bytes(&[1; 32]),
        PartySecret::from_bytes(&[2; 32]),
    );
    std::fs::create_dir_all(path.parent().expect("a directory")).expect("creatable");
    let partial = path.with_extension("building");
    let _ = std::fs::remove_file(&partial);
    let log = AnchorLog::create(&partial, &seller.public(), &buyer.public()).expect("a new log");
    let both = |b: Body| {
        Proposal::new(b)
            .signed(Role::Seller, &seller)
            .signed(Role::Buyer, &buyer)
    };
    let msa = Msa::from_json(MSA).expect("valid");
    let msa_salt = Salt::random(&mut rng);
    let msa_c = commit::msa_commitment(&msa, shape, &msa_salt).expect("fits");
    let mut state =
        StateOpening::new(msa_c, VolumeState::initial(&msa), shape, Salt::random(&mut rng)).expect("commits");
    log.append(both(Body::msa_agreed(
        &msa.id,
        msa_c.0,
        state.commitment.0,
        shape.name,
        &keys.verifying.clone().into(),
        KeySetup::SingleParty,
    )))
    .expect("appends");
    let first = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    for day in 0..PROOFS {
        let start = first + Days::new(day);
        let period = Period::new(start, start + Days::new(1)).expect("a period");
        let at = format!("{start}T12:00:00Z");
        let rows = ["ip-transit", "voice-termination", "compute-vcpu"]
            .iter()
            .enumerate()
            .map(|(i, product)| {
                let doc = RecordDoc {
                    id: format!("{start}-{i}"),
                    product: product.to_string(),
                    quantity: serde_json::Value::from(1_000 + 7 * day + i as u64),
                    start: at.clone(),
                    end: at.clone(),
                    source: "seller".into(),
                };
                (format!("records[{i}]"), doc)
            })
            .collect();
        let usage = Usage::from_rows(period, rows, &msa).expect("valid usage");
        let usage_salt = Salt::random(&mut rng);
        let usage_c = commit::usage_commitment(msa_c, &msa, &usage, shape, &usage_salt).expect("fits");
        log.append(both(Body::UsageAgreed {
            msa_commitment: msa_c.0,
            period_start: period.start.to_string(),
            period_end: period.end.to_string(),
            usage_commitment: usage_c.0,
            usage_detail_root: hex_root(&usage, &usage_salt),
        }))
        .expect("appends");
        let number = format!("INV-{start}");
        let request = ProveRequest {
            msa: &msa,
            msa_salt: &msa_salt,
            usage: &usage,
            usage_salt: &usage_salt,
            expected_usage: Some(usage_c),
            before: &state,
            invoice_number: &number,
        };
        let proved = prove(&keys, &request, &mut rng).expect("proves");
        let env = &proved.envelope;
        log.append(
            Proposal::new(Body::invoice_proved(
                &env.public_inputs,
                &number,
                period.start.to_string(),
                period.end.to_string(),
                &env.proof,
            ))
            .signed(Role::Seller, &seller),
        )
        .expect("appends");
        state = proved.after;
        if day % 100 == 99 {
            eprintln!("built {} of {PROOFS} proofs", day + 1);
        }
    }
    drop(log);
    for ext in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{ext}", partial.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}{ext}", path.display())).expect("renames");
        }
    }
}

fn hex_root(usage: &Usage, salt: &Salt) -> String {
    commit::usage_detail_root(usage, salt)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn audit(c: &mut Criterion) {
    let path = log_path();
    if !path.exists() {
        build(&path);
    }
    let log = AnchorLog::open(&path).expect("opens");
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let report = log.audit(&mut rng).expect("audits");
    assert!(report.is_clean(), "{:?}", report.failures);
    assert_eq!(report.proofs, PROOFS);
    println!("log: {} entries, {} proofs", report.entries, report.proofs);
    let mut g = c.benchmark_group("audit_1000_s_proofs");
    g.sample_size(10);
    for one_by_one in [false, true] {
        let name = if one_by_one { "one_by_one" } else { "batched" };
        g.bench_function(name, |b| {
            b.iter(|| {
                let r = log
                    .audit_with(
                        &mut rng,
                        AuditOptions {
                            one_by_one,
                            progress: None,
                        },
                    )
                    .expect("audits");
                assert!(r.is_clean());
                r.proof_time
            })
        });
    }
    g.finish();
}

criterion_group!(benches, audit);
criterion_main!(benches);
