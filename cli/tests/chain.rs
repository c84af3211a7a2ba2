//! `zkinvoice audit` of an anchor contract on a chain, over JSON-RPC (a Hardhat node on loopback,
//! started by the test; skipped outside CI when the node tools are not installed).

mod common;
#[path = "../../evm/tests/common/mod.rs"]
mod evm;

use common::*;
use tempfile::TempDir;
use zkinvoice_evm::{
    abi::period_id,
    chain::{address_of_key, ChainAnchor},
};

/// Hardhat's first three development accounts (they hold nothing but on a development chain).
const SELLER_KEY: &str = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const BUYER_KEY: &str = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const DEPLOYER_KEY: &str = "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

#[test]
fn audit_reads_an_anchor_contract_over_json_rpc() {
    let Some(c) = evm::compiled() else { return };
    let Some(node) = evm::start_node() else { return };
    let w = evm::world();
    let url = &node.url;
    let deployer = ChainAnchor::deploy(
        url,
        DEPLOYER_KEY,
        address_of_key(SELLER_KEY).expect("a key"),
        address_of_key(BUYER_KEY).expect("a key"),
        &c.bytecode["InvoiceVerifier"],
        &c.bytecode["InvoiceAnchor"],
    )
    .expect("deploys");
    let address = deployer.address();
    let seller = ChainAnchor::connect(url, address, SELLER_KEY).expect("connects");
    let buyer = ChainAnchor::connect(url, address, BUYER_KEY).expect("connects");
    let (october, november) = (period_id(20727, 20758), period_id(20758, 20788));
    for p in [&seller, &buyer] {
        p.register_msa(&w.msa, &w.state0, w.vk.hash()).expect("registers");
    }
    for p in [&seller, &buyer] {
        p.register_usage(october, &w.october_usage).expect("registers");
        p.register_usage(november, &w.november_usage).expect("registers");
    }
    seller
        .submit_invoice(october, &w.october.proof, &w.october.inputs)
        .expect("accepted");
    seller
        .submit_invoice(november, &w.november.proof, &w.november.inputs)
        .expect("accepted");

    let dir = TempDir::new().expect("temp dir");
    let vk = dir.path().join("invoice-S.vk");
    std::fs::write(&vk, w.vk.to_bytes()).expect("writes");
    let contract = address.to_string();
    let audit = |vk: &std::path::Path| {
        let mut cmd = zk();
        cmd.arg("audit")
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--vk", vk);
        cmd
    };
    let out = run_ok(&mut audit(&vk));
    assert!(out.contains("2 invoices"), "{out}");
    assert!(out.contains("clean"), "{out}");

    // Another key: the verifier's key and both proofs fail; exit 1.
    let other = zkinvoice_prover::InvoiceKeys::setup(
        zkinvoice_circuits::Shape::S,
        &mut <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(7),
    )
    .expect("setup");
    let other_vk = dir.path().join("other.vk");
    std::fs::write(&other_vk, other.verifying.to_bytes()).expect("writes");
    let out = audit(&other_vk).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("FAILED: the anchor's verifier is for key"),
        "{stdout}"
    );
    assert!(
        stdout.contains("invoice 1: the proof does not verify"),
        "{stdout}"
    );

    // Refusals: what is missing or wrong is named.
    run_fail(
        zk().arg("audit").opt("--anchors", url).opt("--vk", &vk),
        EXIT_USAGE,
        &["--contract"],
        &[],
    );
    run_fail(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", "0x12")
            .opt("--vk", &vk),
        EXIT_USAGE,
        &["--contract"],
        &[],
    );
    run_fail(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", "0x000000000000000000000000000000000000dead")
            .opt("--vk", &vk),
        EXIT_DATA,
        &["no contract"],
        &[],
    );
    run_fail(
        zk().arg("audit")
            .opt("--anchors", dir.path().join("x.db"))
            .opt("--contract", &contract),
        EXIT_USAGE,
        &["--contract"],
        &[],
    );
}
