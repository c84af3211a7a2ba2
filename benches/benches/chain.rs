//! Checks against the anchor contract on a chain: what `zkinvoice verify --anchors URL --contract
//! ADDRESS` and the Buyer's service on a chain do for each bill, on a local Hardhat node (Prague,
//! JSON-RPC on loopback) with the contracts deployed, the MSA and usage registered and October's
//! invoice submitted.
//!
//! `cargo bench -p zkinvoice-benches --bench chain` (the pinned Node tools are installed on first
//! use)
//!
//! * `chain/read_facts/submitted`: reading what the contract holds for October's bill (its MSA,
//!   key hash, current state, the period's usage, the invoice's `InvoiceSubmitted` event: about
//!   ten JSON-RPC calls);
//! * `chain/read_facts/not_submitted`: the same for November's bill, registered but not submitted;
//! * `chain/check_bill`: the read and the check of October's bill (invoice commitment, Groth16).

use criterion::{criterion_group, criterion_main, Criterion};
use zkinvoice_check::{
    chain::{period_id, ChainFacts, ChainTarget},
    check_anchored, Received,
};
use zkinvoice_evm::chain::{address_of_key, ChainAnchor};
use zkinvoice_mef141::CustomerBill;
use zkinvoice_testkit::{bilateral::bilateral, node as evm};

/// The bill's period id and period.
fn period(
    bill: &CustomerBill,
    msa: &zkinvoice_circuits::Msa,
) -> (u64, zkinvoice_circuits::model::period::PeriodDoc) {
    let (invoice, _) = bill.to_invoice(msa).expect("the bill reads as an invoice");
    let doc = invoice.period.to_doc();
    (period_id(&doc.start, &doc.end).expect("a period"), doc)
}

fn bench(c: &mut Criterion) {
    let node = evm::start_node();
    let w = bilateral();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for (name, text) in zkinvoice_evm::solidity::sources(&w.vk, None) {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("writes");
        files.push(p);
    }
    let compiled = evm::compile(&files);
    let url = node.url.as_str();
    let anchor = ChainAnchor::deploy(
        url,
        evm::OTHER_KEY,
        address_of_key(evm::SELLER_KEY).expect("a key"),
        address_of_key(evm::BUYER_KEY).expect("a key"),
        &compiled.bytecode["InvoiceVerifier"],
        &compiled.bytecode["InvoiceAnchor"],
    )
    .expect("deploys");
    let seller = ChainAnchor::connect(url, anchor.address(), evm::SELLER_KEY).expect("connects");
    let buyer = ChainAnchor::connect(url, anchor.address(), evm::BUYER_KEY).expect("connects");
    let october = &w.october.zk_proof.public_inputs;
    let november = &w.november.zk_proof.public_inputs;
    let (oct_id, oct_period) = period(&w.october, &w.msa);
    let (nov_id, nov_period) = period(&w.november, &w.msa);
    for p in [&seller, &buyer] {
        p.register_msa(
            &october.msa_commitment,
            &october.state_before,
            w.vk.hash(),
            zkinvoice_evm::abi::single_party_setup(),
        )
        .expect("registers");
    }
    for p in [&seller, &buyer] {
        p.register_usage(oct_id, &october.usage_commitment)
            .expect("registers");
        p.register_usage(nov_id, &november.usage_commitment)
            .expect("registers");
    }
    seller
        .submit_invoice(
            oct_id,
            w.october.zk_proof.proof.single().expect("one proof"),
            october,
        )
        .expect("accepted");
    let target = ChainTarget {
        url: url.to_string(),
        contract: anchor.address(),
        key: w.vk.prepare().into(),
        confirmations: 0,
    };

    let mut group = c.benchmark_group("chain");
    group.sample_size(30);
    group.bench_function("read_facts/submitted", |b| {
        b.iter(|| {
            let facts =
                ChainFacts::read(&target, Some(&oct_period), &october.invoice_commitment).expect("reads");
            assert!(facts.is_submitted());
        })
    });
    group.bench_function("read_facts/not_submitted", |b| {
        b.iter(|| {
            let facts =
                ChainFacts::read(&target, Some(&nov_period), &november.invoice_commitment).expect("reads");
            assert!(!facts.is_submitted());
        })
    });
    group.bench_function("check_bill", |b| {
        b.iter(|| {
            let facts =
                ChainFacts::read(&target, Some(&oct_period), &october.invoice_commitment).expect("reads");
            check_anchored(&facts, &Received::of_bill(&w.october, &w.msa)).expect("verifies")
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
