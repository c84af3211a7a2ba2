//! What the netting, credit and reconciliation tests on a chain share: proposal files, the contracts of the
//! example bilateral's key with a statement's verifier exported from the command line, and an
//! anchor with October's invoice anchored through the library.

use std::path::{Path, PathBuf};

use zkinvoice_anchors::Proposal;
use zkinvoice_evm::{
    abi::{self, period_id},
    chain::{address_of_key, ChainAnchor},
    solidity, Address,
};
use zkinvoice_prover::ProofEnvelope;
use zkinvoice_testkit::{bilateral::bilateral, node::Compiled};

use super::common::*;
use super::evm;
use super::DEPLOYER_KEY;

/// October 2026's period id.
pub fn october() -> u64 {
    period_id(20727, 20758)
}

/// Writes `p` as a proposal file.
pub fn proposal(path: &Path, p: &Proposal) -> PathBuf {
    std::fs::write(path, serde_json::to_string_pretty(p).expect("JSON")).expect("writes");
    path.to_path_buf()
}

/// The example bilateral's invoice verifier and anchor, and the verifier of `statement`
/// (`netting`, `credit` or `reconcile`) exported from the command line for the key `vk` into `dir`, compiled
/// with solc-js; the statement verifier's creation code is also written to `dir/NAME.bin` (as
/// `solc --bin` writes it), `NAME` its contract.
pub fn contracts(dir: &Path, statement: &str, vk: &Path, name: &str) -> Compiled {
    let out = dir.join("contracts");
    std::fs::create_dir_all(&out).expect("dir");
    for (file, text) in solidity::sources(&bilateral().vk, None) {
        std::fs::write(out.join(file), text).expect("writes");
    }
    run_ok(
        zk().args(["export", "solidity", "--statement", statement])
            .opt("--vk", vk)
            .opt("--out", &out),
    );
    let compiled = evm::compile(&[
        out.join("InvoiceVerifier.sol"),
        out.join("InvoiceAnchor.sol"),
        out.join(format!("{name}.sol")),
    ]);
    std::fs::write(
        dir.join(format!("{name}.bin")),
        hex::encode(&compiled.bytecode[name]),
    )
    .expect("writes");
    compiled
}

/// The contracts of [`contracts`] with the verifier of the credit-note key of
/// `zkinvoice_testkit::credited`; the example bilateral's key is written to `dir/invoice-S.vk`.
pub fn credit_contracts(dir: &Path) -> Compiled {
    std::fs::write(dir.join("invoice-S.vk"), bilateral().vk.to_bytes()).expect("writes");
    let vk = zkinvoice_testkit::credited::credited()
        .key_files
        .join("credit-S.vk");
    contracts(dir, "credit", &vk, "CreditVerifier")
}

/// An anchor deployed through the library for the parties of `keys` (its Seller's, its
/// Buyer's), the MSA of `env` registered by both; returns it and its two parties' clients.
pub fn registered(
    url: &str,
    c: &Compiled,
    keys: [&str; 2],
    env: &ProofEnvelope,
) -> (Address, [ChainAnchor; 2]) {
    let anchor = ChainAnchor::deploy(
        url,
        DEPLOYER_KEY,
        address_of_key(keys[0]).expect("a key"),
        address_of_key(keys[1]).expect("a key"),
        &c.bytecode["InvoiceVerifier"],
        &c.bytecode["InvoiceAnchor"],
    )
    .expect("deploys")
    .address();
    let parties = keys.map(|k| ChainAnchor::connect(url, anchor, k).expect("connects"));
    let i = &env.public_inputs;
    for p in &parties {
        p.register_msa(
            &i.msa_commitment,
            &i.state_before,
            bilateral().vk.hash(),
            abi::single_party_setup(),
        )
        .expect("registers");
    }
    (anchor, parties)
}

/// An anchor as [`registered`], October's usage registered by both, and `env`'s invoice
/// submitted by the Seller; returns it and its two parties' clients.
pub fn anchored(
    url: &str,
    c: &Compiled,
    keys: [&str; 2],
    env: &ProofEnvelope,
) -> (Address, [ChainAnchor; 2]) {
    let (anchor, parties) = registered(url, c, keys, env);
    let i = &env.public_inputs;
    for p in &parties {
        p.register_usage(october(), &i.usage_commitment)
            .expect("registers");
    }
    parties[0]
        .submit_invoice(october(), env.proof.single().expect("one"), i)
        .expect("accepted");
    (anchor, parties)
}

/// The Buyer's service subscribed to the Seller's hub for `events` (`eventType=...`).
pub async fn subscribe(
    client: &reqwest::Client,
    seller: &zkinvoice_service::seller::Seller,
    buyer: &zkinvoice_service::buyer::Buyer,
    events: &str,
) {
    let r = client
        .post(format!(
            "http://{}/mefApi/sonata/customerBillManagement/v2/hub",
            seller.addr()
        ))
        .json(&serde_json::json!({
            "callback": format!("http://{}", buyer.addr()),
            "query": format!("eventType={events}")}))
        .send()
        .await
        .expect("POST /hub");
    assert_eq!(r.status().as_u16(), 201);
}

/// Publishes the bill at `path` from the Seller's service and waits (30 s at most) for the
/// Buyer's service's record of it.
pub async fn published_and_decided(
    seller: &zkinvoice_service::seller::Seller,
    buyer: &zkinvoice_service::buyer::Buyer,
    path: &Path,
) -> zkinvoice_service::buyer::Received {
    use std::time::{Duration, Instant};
    let bill: zkinvoice_mef141::CustomerBill =
        serde_json::from_str(&std::fs::read_to_string(path).expect("a bill")).expect("a bill");
    seller.publish(&bill).expect("published");
    let start = Instant::now();
    loop {
        if let Some((r, _)) = buyer.store().get(&bill.id).expect("the store") {
            return r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "bill {} not decided",
            bill.id
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The key files of the Seller, the Buyer and a third account (which deploys) in `dir`.
pub fn key_files(dir: &Path) -> [PathBuf; 3] {
    [
        super::key_file(dir, "seller", super::SELLER_KEY),
        super::key_file(dir, "buyer", super::BUYER_KEY),
        super::key_file(dir, "other", DEPLOYER_KEY),
    ]
}

/// The verifier `dir/NAME.bin` (a statement's, as [`contracts`] writes it) deployed from the
/// command line (`anchors init --statement-verifier-bin`) by the account of `key`, its address
/// written to `dir/out`; the command must name the key hash `key_hash` it embeds.
pub fn deploy_statement_verifier(
    url: &str,
    dir: &Path,
    name: &str,
    key: &Path,
    out: &str,
    key_hash: &str,
) -> PathBuf {
    let said = super::shown(
        zk().args(["anchors", "init"])
            .opt("--anchors", url)
            .opt("--statement-verifier-bin", dir.join(format!("{name}.bin")))
            .opt("--key", key)
            .opt("--out", dir.join(out)),
    );
    assert!(said.contains(&format!("for key {key_hash}")), "{said}");
    dir.join(out)
}

/// `anchors append` of the proposal `file` to the anchor contract `anchor`, sent with `key`.
pub fn append_to(url: &str, anchor: Address, key: &Path, file: &Path) -> assert_cmd::Command {
    let mut cmd = zk();
    cmd.args(["anchors", "append"])
        .opt("--anchors", url)
        .opt("--contract", anchor.to_string())
        .opt("--key", key)
        .opt("--proposal", file);
    cmd
}
