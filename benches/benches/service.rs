//! Load on the Buyer's service: `POST /verify` of a real MEF 141 bill (shape S), many requests in
//! flight at once, client and service in this process on loopback.
//!
//! `cargo bench -p zkinvoice-benches --bench service`
//!
//! * `check_bill/direct`, `check_bill/parse_and_check`: the check alone (no HTTP), from the parsed
//!   bill and from its JSON text.
//! * `buyer_verify/concurrent_256_by_C`: 256 requests, C in flight at a time; each request parses
//!   the bill, rebuilds the invoice, recomputes its commitment and verifies the Groth16 proof
//!   against the anchor log's view. Criterion's time per iteration gives the throughput; the
//!   latency of every request is recorded and p50 / p99 / max are printed at the end.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tokio::{net::TcpListener, runtime::Runtime, sync::Semaphore};
use zkinvoice_check::{check_anchored, Received};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_service::buyer::{Buyer, BuyerAnchors, BuyerConfig};
use zkinvoice_testkit::bilateral::bilateral;

const REQUESTS: usize = 256;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn bench(c: &mut Criterion) {
    let w = bilateral();
    let dir = tempfile::tempdir().expect("temp dir");
    let anchors = dir.path().join("buyer-anchors.db");
    let log = w.log(&anchors);
    log.append(w.october_proved.clone()).expect("october proved");
    let view = log.view().expect("view");
    c.bench_function("check_bill/direct", |b| {
        b.iter(|| check_anchored(&view, &Received::of_bill(&w.october, &w.msa)).expect("verifies"))
    });
    c.bench_function("check_bill/parse_and_check", |b| {
        let text = serde_json::to_vec(&w.october).expect("bill");
        b.iter(|| {
            let bill: CustomerBill = serde_json::from_slice(&text).expect("parses");
            check_anchored(&view, &Received::of_bill(&bill, &w.msa)).expect("verifies")
        })
    });
    c.bench_function("parts/to_invoice", |b| {
        b.iter(|| w.october.to_invoice(&w.msa).expect("ok"))
    });
    let (inv, salt) = w.october.to_invoice(&w.msa).expect("ok");
    c.bench_function("parts/commitment", |b| {
        b.iter(|| {
            zkinvoice_circuits::commit::invoice_commitment(&inv, zkinvoice_circuits::Shape::S, &salt)
                .expect("ok")
        })
    });
    let key = view
        .verifying_key(&w.october.zk_proof.public_inputs.msa_commitment)
        .expect("key")
        .single()
        .expect("a v1 key");
    let proof = w.october.zk_proof.proof.single().expect("one proof");
    c.bench_function("parts/verify", |b| {
        b.iter(|| zkinvoice_verifier::verify(key, proof, &w.october.zk_proof.public_inputs).expect("ok"))
    });
    let runtime = Runtime::new().expect("runtime");
    let buyer = runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        Buyer::start(
            listener,
            &dir.path().join("buyer.db"),
            BuyerConfig {
                anchors: BuyerAnchors::Log(anchors),
                seller_url: "http://127.0.0.1:9".into(),
                seller_token: None,
                token: None,
                key: None,
                msa: w.msa.clone(),
                timeout: Duration::from_secs(30),
            },
        )
        .expect("buyer starts")
    });
    let url = format!("http://{}/verify", buyer.addr());
    let body = Arc::new(serde_json::to_vec(&w.october).expect("bill"));
    let client = reqwest::Client::new();
    let mut group = c.benchmark_group("buyer_verify");
    group.throughput(Throughput::Elements(REQUESTS as u64));
    group.sample_size(10);
    for in_flight in [1usize, 4, 16] {
        let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
        group.bench_function(format!("concurrent_{REQUESTS}_by_{in_flight}"), |b| {
            b.iter(|| {
                runtime.block_on(async {
                    let gate = Arc::new(Semaphore::new(in_flight));
                    let mut tasks = Vec::with_capacity(REQUESTS);
                    for _ in 0..REQUESTS {
                        let permit = gate.clone().acquire_owned().await.expect("semaphore");
                        let (client, url, body, latencies) =
                            (client.clone(), url.clone(), body.clone(), latencies.clone());
                        tasks.push(tokio::spawn(async move {
                            let t = Instant::now();
                            let r = client
                                .post(&url)
                                .header("content-type", "application/json")
                                .body(body.as_ref().clone())
                                .send()
                                .await
                                .expect("answers");
                            assert_eq!(r.status(), 200, "the bill verifies");
                            let _ = r.bytes().await;
                            latencies.lock().expect("lock").push(t.elapsed());
                            drop(permit);
                        }));
                    }
                    for t in tasks {
                        t.await.expect("request task");
                    }
                })
            })
        });
        let mut l = latencies.lock().expect("lock").clone();
        l.sort();
        if !l.is_empty() {
            println!(
                "buyer_verify/concurrent_{REQUESTS}_by_{in_flight}: {} requests, latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                l.len(),
                percentile(&l, 0.50).as_secs_f64() * 1e3,
                percentile(&l, 0.99).as_secs_f64() * 1e3,
                l[l.len() - 1].as_secs_f64() * 1e3
            );
        }
    }
    group.finish();
    buyer.stop();
}

criterion_group!(benches, bench);
criterion_main!(benches);
