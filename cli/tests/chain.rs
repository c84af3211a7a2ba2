//! The anchors on a chain from the CLI: `keygen --chain`, `anchors init|append`, `verify` and
//! `audit` with `--anchors URL --contract ADDRESS`, and the Buyer's service reading the contract,
//! over JSON-RPC (a Hardhat node on loopback, started by each test; the pinned Node tools are
//! installed on first use).

mod common;

#[path = "chain/support.rs"]
mod support;

#[path = "chain/netting.rs"]
mod netting;

#[path = "chain/netting_v2.rs"]
mod netting_v2;

#[path = "chain/credit.rs"]
mod credit;

#[path = "chain/carried.rs"]
mod carried;

#[path = "chain/reconcile.rs"]
mod reconcile;

/// The proved world, the contracts and the Hardhat node the EVM tests use too.
mod evm {
    pub use zkinvoice_testkit::{
        node::{compile, start_node, BUYER_KEY, OTHER_KEY, SELLER_KEY},
        proofs::{compiled, world},
    };
}

use common::*;
use evm::{BUYER_KEY, OTHER_KEY as DEPLOYER_KEY, SELLER_KEY};
use tempfile::TempDir;
use zkinvoice_evm::{
    abi::{self, period_id},
    chain::{address_of_key, ChainAnchor},
};

#[test]
fn audit_reads_an_anchor_contract_over_json_rpc() {
    let c = evm::compiled();
    let node = evm::start_node();
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
        p.register_msa(&w.msa, &w.state0, w.vk.hash(), abi::single_party_setup())
            .expect("registers");
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

/// Writes a secp256k1 key file.
fn key_file(dir: &std::path::Path, name: &str, key: &str) -> std::path::PathBuf {
    let p = dir.join(format!("{name}.eth.key"));
    std::fs::write(&p, format!("0x{key}\n")).expect("writes");
    p
}

#[test]
fn keygen_chain_writes_an_owner_only_key_and_its_address() {
    let dir = TempDir::new().expect("temp dir");
    let out = run_ok(
        zk().args(["keygen", "--chain", "--party", "seller"])
            .opt("--dir", dir.path()),
    );
    assert!(out.contains("seller.eth.key"), "{out}");
    let key = std::fs::read_to_string(dir.path().join("seller.eth.key")).expect("a key file");
    let address = std::fs::read_to_string(dir.path().join("seller.eth.addr")).expect("an address file");
    assert_eq!(
        address.trim(),
        address_of_key(&key).expect("a secp256k1 key").to_string()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("seller.eth.key"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // A key file is never replaced, even with --force; the address file is kept.
    run_fail(
        zk().args(["keygen", "--chain", "--party", "seller", "--force"])
            .opt("--dir", dir.path()),
        EXIT_CANT_CREATE,
        &["seller.eth.key", "never replaced"],
        &[],
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("seller.eth.key")).expect("kept"),
        key
    );
    run_fail(
        zk().args(["keygen", "--chain", "--party", "seller"])
            .opt("--dir", dir.path()),
        EXIT_CANT_CREATE,
        &["seller.eth.addr", "--force"],
        &[],
    );
}

/// The number of transactions `address` has sent (its nonce), as the node at `url` counts them.
fn transactions_sent(url: &str, address: zkinvoice_evm::Address) -> u64 {
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let body = serde_json::json!({
        "jsonrpc": "2.0", "id": 1, "method": "eth_getTransactionCount",
        "params": [address.to_string(), "latest"],
    });
    let answer: serde_json::Value = rt.block_on(async {
        let r = reqwest::Client::new()
            .post(url)
            .json(&body)
            .send()
            .await
            .expect("the node answers");
        r.json().await.expect("JSON")
    });
    let count = answer["result"].as_str().expect("a quantity");
    u64::from_str_radix(count.trim_start_matches("0x"), 16).expect("hex")
}

/// Runs `cmd`, which must succeed, and shows its output (with `--nocapture`).
fn shown(cmd: &mut assert_cmd::Command) -> String {
    let out = run_ok(cmd);
    eprint!("{out}");
    out
}

/// The whole bilateral on a chain with the CLI alone: deploy (`anchors init`), register the MSA
/// and usage as both parties and submit invoices (`anchors append`), verify envelopes and
/// payloads against the contract (`verify`), audit; and what each refuses.
#[test]
fn the_cli_anchors_on_a_chain() {
    let w = world();
    let dir = TempDir::new().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let vk = w.p("params/invoice-S.vk");

    // The contracts for the world's key, compiled with solc-js; creation code as `solc --bin`
    // writes it.
    run_ok(
        zk().args(["export", "solidity"])
            .opt("--vk", &vk)
            .opt("--out", d("contracts")),
    );
    let c = evm::compile(&[
        d("contracts/InvoiceVerifier.sol"),
        d("contracts/InvoiceAnchor.sol"),
    ]);
    for name in ["InvoiceVerifier", "InvoiceAnchor"] {
        std::fs::write(d(&format!("{name}.bin")), hex::encode(&c.bytecode[name])).expect("writes");
    }
    let node = evm::start_node();
    let url = node.url.as_str();
    let seller_key = key_file(dir.path(), "seller", SELLER_KEY);
    let buyer_key = key_file(dir.path(), "buyer", BUYER_KEY);
    let other_key = key_file(dir.path(), "other", DEPLOYER_KEY);
    let buyer_address = d("buyer.eth.addr");
    std::fs::write(
        &buyer_address,
        format!("{}\n", address_of_key(BUYER_KEY).expect("a key")),
    )
    .expect("writes");

    // Deploy: the Seller by its address, the Buyer by its address file.
    let init = |out: &std::path::Path| {
        let mut cmd = zk();
        cmd.args(["anchors", "init"])
            .opt("--anchors", url)
            .opt("--seller", address_of_key(SELLER_KEY).expect("a key").to_string())
            .opt("--buyer", &buyer_address)
            .opt("--verifier-bin", d("InvoiceVerifier.bin"))
            .opt("--anchor-bin", d("InvoiceAnchor.bin"))
            .opt("--key", &other_key)
            .opt("--out", out);
        cmd
    };
    let out = shown(&mut init(&d("anchor.addr")));
    let vk_hash = zkinvoice_verifier::InvoiceVerifyingKey::from_bytes(&std::fs::read(&vk).expect("vk"))
        .expect("a key")
        .hash_hex();
    assert!(out.contains(&vk_hash), "{out}");
    let contract = std::fs::read_to_string(d("anchor.addr"))
        .expect("the address")
        .trim()
        .to_string();
    assert!(out.contains(&contract), "{out}");
    // An existing --out is refused before anything is deployed.
    run_fail(&mut init(&d("anchor.addr")), EXIT_CANT_CREATE, &["--force"], &[]);

    let append = |proposal: &std::path::Path, key: &std::path::Path| {
        let mut cmd = zk();
        cmd.args(["anchors", "append"])
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--proposal", proposal)
            .opt("--key", key);
        cmd
    };
    let propose = |what: &[(&str, std::path::PathBuf)], out: &str| {
        let mut cmd = zk();
        cmd.args(["anchors", "propose"]).opt("--out", d(out));
        for (flag, value) in what {
            cmd.opt(flag, value);
        }
        run_ok(&mut cmd);
        d(out)
    };
    let verify = |what: &str, file: &std::path::Path, vk: &std::path::Path| {
        let mut cmd = zk_verify();
        cmd.opt(what, file)
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--vk", vk);
        cmd
    };

    // The MSA, proposed by both (unsigned proposals: the transactions are signed).
    // Keys of `setup`: a single-party setup, which both parties accept by proposing it.
    let msa = d("msa.proposal.json");
    run_ok(
        zk().args(["anchors", "propose", "--single-party-setup"])
            .opt("--msa-commit", w.p("msa.commit.json"))
            .opt("--vk", &vk)
            .opt("--out", &msa),
    );
    let out = shown(&mut append(&msa, &seller_key));
    assert!(out.contains("registerMsa sent by"), "{out}");
    assert!(out.contains("waiting for the other party"), "{out}");
    let out = shown(&mut append(&msa, &buyer_key));
    assert!(out.contains("the MSA is registered"), "{out}");
    let out = shown(&mut append(&msa, &buyer_key));
    assert!(out.contains("already registered"), "{out}");
    // A third address may not write.
    let usage10 = propose(
        &[("--usage-commit", w.p("usage-10.commit.json"))],
        "usage-10.proposal.json",
    );
    run_fail(&mut append(&usage10, &other_key), EXIT_DATA, &["NotAParty"], &[]);
    for key in [&seller_key, &buyer_key] {
        run_ok(&mut append(&usage10, key));
    }

    // October: verified against the contract before and after it is submitted.
    let env10 = w.p("env-10.json");
    let out = shown(&mut verify("--envelope", &env10, &vk));
    assert!(out.contains("valid: invoice INV-10"), "{out}");
    assert!(out.contains("this invoice not submitted yet"), "{out}");
    let invoice10 = propose(&[("--envelope", env10.clone())], "invoice-10.proposal.json");
    let out = shown(&mut append(&invoice10, &seller_key));
    assert!(out.contains("submitInvoice sent by"), "{out}");
    assert!(out.contains("accepted"), "{out}");
    let out = shown(&mut append(&invoice10, &seller_key));
    assert!(out.contains("already accepted"), "{out}");
    let out = shown(&mut verify("--envelope", &env10, &vk));
    assert!(out.contains("valid: invoice INV-10"), "{out}");
    assert!(out.contains("this invoice accepted in tx"), "{out}");
    // Its block is the latest: not one block deep yet; more confirmations than blocks.
    run_fail(
        verify("--envelope", &env10, &vk).opt("--confirmations", "1"),
        1,
        &["has not accepted this invoice 1 blocks deep"],
        &[],
    );
    run_fail(
        verify("--envelope", &env10, &vk).opt("--confirmations", "100000"),
        EXIT_DATA,
        &["fewer than the 100000 confirmations"],
        &[],
    );

    // The bill as an MEF 141 payload, and the same bill with its total edited.
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", &env10)
            .opt("--msa", example("msa.json"))
            .opt("--out", d("bill-10.json")),
    );
    let out = shown(&mut verify("--payload", &d("bill-10.json"), &vk));
    assert!(out.contains("valid: bill INV-10"), "{out}");
    let mut bill = read_json(&d("bill-10.json"));
    bill["amountDue"]["value"] = serde_json::Value::from("PLACEHOLDER");
    let edited = bill.to_string().replace("\"PLACEHOLDER\"", "1.00");
    std::fs::write(d("edited.json"), edited).expect("writes");
    run_fail(
        &mut verify("--payload", &d("edited.json"), &vk),
        1,
        &["edited.json", "amountDue.value"],
        &[],
    );

    // October paid on the contract: the Buyer records its payment, the Seller its receipt under
    // the same reference; each by its party only, once (again: reported, not sent), the receipt
    // not before the payment nor under another reference.
    let settle = |flag: &str, reference: &str, on: &str, out: &str| {
        propose(
            &[
                (flag, env10.clone()),
                ("--reference", reference.into()),
                ("--on", on.into()),
            ],
            out,
        )
    };
    let sepa = "SEPA 2026-12-01 globex-cloud/INV-10";
    let paid10 = settle("--paid", sepa, "2026-12-01", "paid-10.proposal.json");
    // October's bill as the Seller publishes it settled, and as settled by another payment.
    let bill: zkinvoice_mef141::CustomerBill =
        serde_json::from_str(&std::fs::read_to_string(d("bill-10.json")).expect("the bill")).expect("a bill");
    for (name, reference) in [("settled-10.json", sepa), ("settled-other.json", "SEPA other")] {
        std::fs::write(d(name), serde_json::to_string(&bill.settled(reference)).unwrap()).expect("writes");
    }
    let refused = |proposal: &std::path::Path, key: &std::path::Path, error: &str| {
        run_fail(&mut append(proposal, key), EXIT_DATA, &[error], &[]);
    };
    let received10 = settle("--received", sepa, "2026-12-02", "received-10.proposal.json");
    refused(&received10, &seller_key, "NotPaid");
    refused(&paid10, &seller_key, "NotTheBuyer");
    let out = shown(&mut append(&paid10, &buyer_key));
    assert!(
        out.contains("recordPayment sent by") && out.contains("recorded paid on 2026-12-01"),
        "{out}"
    );
    let out = shown(&mut append(&paid10, &buyer_key));
    assert!(out.contains("already recorded paid on 2026-12-01"), "{out}");
    refused(&received10, &buyer_key, "NotTheSeller");
    // The Seller's bill from the contract (`invoice --anchors URL`): not settled while the payment
    // is not received; a credit note's opening is refused there (the contract records none).
    let bill_from_chain = |out: &str| {
        let mut cmd = zk();
        cmd.arg("invoice")
            .opt("--envelope", &env10)
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--out", d(out));
        cmd
    };
    let out = run_ok(&mut bill_from_chain("unsettled.json"));
    assert!(!out.contains("settled by"), "{out}");
    run_fail(
        bill_from_chain("credited.json").opt("--credit", d("none.json")),
        65,
        &[
            "none.json",
            "the anchor contract records no credit note of this invoice",
        ],
        &[&d("credited.json")],
    );
    run_fail(
        bill_from_chain("final.json").opt("--partial-invoice", d("none.json")),
        65,
        &[
            "none.json",
            "the anchor contract records no partial invoice that this invoice is the final one of",
        ],
        &[&d("final.json")],
    );
    // Paid, not received: the settled bill is refused.
    run_fail(
        &mut verify("--payload", &d("settled-10.json"), &vk),
        1,
        &["appliedPayment", "its receipt is not anchored"],
        &[],
    );
    let other = settle("--received", "SEPA other", "2026-12-02", "other.proposal.json");
    refused(&other, &seller_key, "OtherReference");
    let early = settle("--received", sepa, "2026-11-30", "early.proposal.json");
    refused(&early, &seller_key, "ReceivedBeforePaid");
    let out = shown(&mut append(&received10, &seller_key));
    assert!(
        out.contains("recordReceipt sent by") && out.contains("recorded received on 2026-12-02"),
        "{out}"
    );
    let out = run_ok(&mut bill_from_chain("settled-cli.json"));
    assert!(out.contains(&format!("settled by payment {sepa:?}")), "{out}");
    assert_eq!(
        read_json(&d("settled-cli.json")),
        read_json(&d("settled-10.json"))
    );
    // Received: the settled bill verifies against the contract; settled by another payment, not.
    let out = shown(&mut verify("--payload", &d("settled-10.json"), &vk));
    assert!(out.contains("valid: bill INV-10"), "{out}");
    run_fail(
        &mut verify("--payload", &d("settled-other.json"), &vk),
        1,
        &["appliedPayment", "is not the payment anchored as received"],
        &[],
    );
    let again = settle("--received", sepa, "2026-12-03", "again.proposal.json");
    refused(&again, &seller_key, "AlreadyReceived");

    // November: refused until its usage is registered, then proved from October's state after.
    run_ok(
        zk().args(["prove", "--aggregate-days", "7"])
            .opt("--params", w.p("params"))
            .opt("--msa", example("msa.json"))
            .opt("--msa-commit", w.p("msa.commit.json"))
            .opt("--usage", example("usage-2026-11.csv"))
            .opt("--period", NOVEMBER)
            .opt("--usage-commit", w.p("usage-11.commit.json"))
            .opt("--state", w.p("state-1.json"))
            .opt("--invoice-number", "INV-11")
            .opt("--out", d("env-11.json")),
    );
    let invoice11 = propose(&[("--envelope", d("env-11.json"))], "invoice-11.proposal.json");
    run_fail(
        &mut verify("--envelope", &d("env-11.json"), &vk),
        1,
        &["no usage is anchored", "2026-11-01..2026-12-01"],
        &[],
    );
    run_fail(
        &mut append(&invoice11, &seller_key),
        EXIT_DATA,
        &["UsageNotRegistered"],
        &[],
    );
    let usage11 = propose(
        &[("--usage-commit", w.p("usage-11.commit.json"))],
        "usage-11.proposal.json",
    );
    for key in [&buyer_key, &seller_key] {
        run_ok(&mut append(&usage11, key));
    }
    // Two blocks later October is two blocks deep.
    let out = shown(verify("--envelope", &env10, &vk).opt("--confirmations", "2"));
    assert!(out.contains("this invoice accepted in tx"), "{out}");
    // Only the Seller submits (the Buyer made the key, and could forge proofs under it): the
    // Buyer's submission is refused in the gas estimate, nothing is sent; then the Seller's.
    let buyer = address_of_key(BUYER_KEY).expect("a key");
    let nonce = transactions_sent(url, buyer);
    run_fail(
        &mut append(&invoice11, &buyer_key),
        EXIT_DATA,
        &["the anchor contract refuses", &format!("NotTheSeller({buyer})")],
        &[],
    );
    assert_eq!(
        transactions_sent(url, buyer),
        nonce,
        "the Buyer's refused call was sent"
    );
    let out = shown(&mut verify("--envelope", &d("env-11.json"), &vk));
    assert!(out.contains("this invoice not submitted yet"), "{out}");
    let out = shown(&mut append(&invoice11, &seller_key));
    assert!(out.contains("submitInvoice sent by"), "{out}");
    for env in [&env10, &d("env-11.json")] {
        run_ok(&mut verify("--envelope", env, &vk));
    }
    // October's envelope cannot be submitted again (a new period needs the current state).
    let out = shown(&mut append(&invoice10, &seller_key));
    assert!(out.contains("already accepted"), "{out}");

    // The Buyer's decisions have no counterpart on the contract.
    let accept = propose(&[("--accept", env10.clone())], "accept.proposal.json");
    run_fail(
        &mut append(&accept, &buyer_key),
        EXIT_DATA,
        &["no invoice-accepted"],
        &[],
    );

    // Another key: the contract's verifier is not for it.
    let other = zkinvoice_prover::InvoiceKeys::setup(
        zkinvoice_circuits::Shape::S,
        &mut <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(11),
    )
    .expect("setup");
    std::fs::write(d("other.vk"), other.verifying.to_bytes()).expect("writes");
    run_fail(
        &mut verify("--envelope", &env10, &d("other.vk")),
        3,
        &["verifier is for key"],
        &[],
    );

    let out = shown(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--vk", &vk),
    );
    assert!(out.contains("2 invoices"), "{out}");
    assert!(out.contains("1 paid, 1 received"), "{out}");
    assert!(out.contains("clean"), "{out}");

    // The Buyer's receiving service on the chain.
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", d("env-11.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", d("bill-11.json")),
    );
    buyer_service_on_the_chain(
        url,
        &contract,
        &vk,
        &[d("bill-10.json"), d("bill-11.json")],
        (&d("settled-10.json"), sepa),
        &d("edited.json"),
        dir.path(),
    );
    run_fail(
        zk().args(["serve", "--role", "buyer", "--db"])
            .arg(d("b.db"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--vk", &vk)
            .opt("--seller-url", "http://127.0.0.1:9"),
        EXIT_USAGE,
        &["--contract"],
        &[],
    );
    run_fail(
        zk().args(["serve", "--role", "buyer", "--db"])
            .arg(d("b.db"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--vk", &vk)
            .opt("--key", &seller_key)
            .opt("--seller-url", "http://127.0.0.1:9"),
        EXIT_USAGE,
        &["--key", "records none"],
        &[],
    );
    run_fail(
        zk().args(["serve", "--role", "buyer", "--db"])
            .arg(d("b.db"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--vk", d("other.vk"))
            .opt("--listen", "127.0.0.1:0")
            .opt("--seller-url", "http://127.0.0.1:9"),
        3,
        &["verifier is for key"],
        &[],
    );

    // Refusals of the arguments.
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", url)
            .opt("--proposal", &usage10)
            .opt("--key", &seller_key),
        EXIT_USAGE,
        &["--contract"],
        &[],
    );
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--proposal", &usage10),
        EXIT_USAGE,
        &["--key"],
        &[],
    );
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--proposal", &usage10)
            .opt("--key", d("anchor.addr")),
        EXIT_DATA,
        &["anchor.addr", "secp256k1 key"],
        &[],
    );
    run_fail(
        zk().args(["anchors", "verify"]).opt("--anchors", url),
        EXIT_USAGE,
        &["zkinvoice audit --anchors URL"],
        &[],
    );
    run_fail(
        zk_verify()
            .opt("--envelope", &env10)
            .opt("--anchors", url)
            .opt("--contract", &contract),
        EXIT_USAGE,
        &["--vk"],
        &[],
    );
    run_fail(
        zk_verify()
            .opt("--envelope", &env10)
            .opt("--anchors", d("log.db"))
            .opt("--contract", &contract),
        EXIT_USAGE,
        &["--contract"],
        &[],
    );
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", d("log.db"))
            .opt("--proposal", &usage10)
            .opt("--key", &seller_key),
        EXIT_USAGE,
        &["--key"],
        &[],
    );
    run_fail(
        zk().arg("invoice")
            .opt("--envelope", &env10)
            .opt("--msa", example("msa.json"))
            .opt("--anchors", d("log.db"))
            .opt("--contract", &contract)
            .opt("--out", d("bill-log.json")),
        EXIT_USAGE,
        &["--contract"],
        &[&d("bill-log.json")],
    );
    // Not a contract's creation code.
    run_fail(
        zk().args(["anchors", "init"])
            .opt("--anchors", url)
            .opt("--seller", d("anchor.addr"))
            .opt("--buyer", &buyer_address)
            .opt("--verifier-bin", &vk)
            .opt("--anchor-bin", d("InvoiceAnchor.bin"))
            .opt("--key", &other_key),
        EXIT_DATA,
        &["invoice-S.vk", "creation code"],
        &[],
    );
}

/// A Seller service (its store only) and a Buyer service reading the anchor contract: each bill
/// published is delivered, checked against the contract and accepted (the contract records no
/// decision); the first published again `settled` (its payment received on the contract under
/// `reference`) is recorded settled; `POST /verify` refuses `edited`; a Buyer with another key
/// does not start.
fn buyer_service_on_the_chain(
    url: &str,
    contract: &str,
    vk: &std::path::Path,
    bills: &[std::path::PathBuf],
    (settled, reference): (&std::path::Path, &str),
    edited: &std::path::Path,
    dir: &std::path::Path,
) {
    use std::time::{Duration, Instant};
    use zkinvoice_check::chain::{ChainError, ChainTarget};
    use zkinvoice_service::{
        buyer::{Buyer, BuyerAnchors, BuyerConfig},
        seller::{Seller, SellerConfig},
        RetryPolicy, ServiceError,
    };
    let key =
        zkinvoice_verifier::InvoiceVerifyingKey::from_bytes(&std::fs::read(vk).expect("vk")).expect("a key");
    let target = ChainTarget {
        url: url.to_string(),
        contract: contract.parse().expect("an address"),
        key: key.prepare().into(),
        confirmations: 0,
    };
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let bind = || async { tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds") };
        let seller = Seller::start(
            bind().await,
            &dir.join("seller.db"),
            SellerConfig {
                retry: RetryPolicy {
                    first: Duration::from_millis(50),
                    max: Duration::from_millis(200),
                    timeout: Duration::from_secs(10),
                },
                ..SellerConfig::default()
            },
        )
        .expect("the seller starts");
        let config = |target: ChainTarget| BuyerConfig {
            anchors: BuyerAnchors::Chain(Box::new(target)),
            seller_url: format!("http://{}", seller.addr()),
            seller_token: None,
            token: None,
            key: None,
            msa: zkinvoice_circuits::Msa::from_json(zkinvoice_testkit::examples::MSA)
                .expect("the example MSA"),
            timeout: Duration::from_secs(10),
        };
        let buyer = Buyer::start(bind().await, &dir.join("buyer.db"), config(target.clone()))
            .expect("the buyer starts");
        let client = reqwest::Client::new();
        support::subscribe(
            &client,
            &seller,
            &buyer,
            "customerBillCreateEvent,customerBillStateChangeEvent",
        )
        .await;
        for path in bills {
            let record = support::published_and_decided(&seller, &buyer, path).await;
            assert!(record.is_accepted(), "{record:?}");
            assert_eq!(record.anchor_entry, None);
            assert!(
                record
                    .not_anchored
                    .as_deref()
                    .is_some_and(|n| n.contains("accepted by the contract")),
                "{record:?}"
            );
        }
        // The first bill settled: the state change is checked against the contract's receipt.
        let bill: zkinvoice_mef141::CustomerBill =
            serde_json::from_str(&std::fs::read_to_string(settled).expect("a bill")).expect("a bill");
        seller.publish(&bill).expect("published settled");
        let start = Instant::now();
        loop {
            let (record, _) = buyer.store().get(&bill.id).expect("the store").expect("a record");
            assert_eq!(record.change_refused, None, "{record:?}");
            if record.settled.is_some() {
                assert_eq!(record.settled.as_deref(), Some(reference), "{record:?}");
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "bill {} not settled",
                bill.id
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let verify = format!("http://{}/verify", buyer.addr());
        for (path, status) in [(&bills[0], 200), (&edited.to_path_buf(), 422)] {
            let r = client
                .post(&verify)
                .body(std::fs::read(path).expect("a bill"))
                .header("content-type", "application/json")
                .send()
                .await
                .expect("POST /verify");
            assert_eq!(r.status().as_u16(), status, "{}", path.display());
        }
        // A Buyer that waits for one confirmation: November (the latest block) does not count
        // yet, October does.
        let waiting = Buyer::start(
            bind().await,
            &dir.join("buyer-1.db"),
            config(ChainTarget {
                confirmations: 1,
                ..target.clone()
            }),
        )
        .expect("the buyer starts");
        let verify = format!("http://{}/verify", waiting.addr());
        for (path, status) in [(&bills[1], 422), (&bills[0], 200)] {
            let r = client
                .post(&verify)
                .body(std::fs::read(path).expect("a bill"))
                .header("content-type", "application/json")
                .send()
                .await
                .expect("POST /verify");
            assert_eq!(r.status().as_u16(), status, "{}", path.display());
            let body = r.text().await.expect("a body");
            if status == 422 {
                assert!(body.contains("1 blocks deep"), "{body}");
            }
        }
        waiting.stop();

        // The anchor log endpoint: a Buyer on a chain has none.
        let r = client
            .get(format!("http://{}/anchors", buyer.addr()))
            .send()
            .await
            .expect("GET /anchors");
        assert_eq!(r.status().as_u16(), 404);

        // Another key: the contract's verifier is not for it.
        let other = zkinvoice_prover::InvoiceKeys::setup(
            zkinvoice_circuits::Shape::S,
            &mut <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(12),
        )
        .expect("setup");
        let wrong = ChainTarget {
            key: other.verifying.prepare().into(),
            ..target.clone()
        };
        match Buyer::start(bind().await, &dir.join("buyer-2.db"), config(wrong)) {
            Err(ServiceError::Chain(e @ ChainError::KeyMismatch { .. })) => {
                let m = e.to_string();
                assert!(m.contains("verifier is for key"), "{m}")
            }
            other => panic!("a Buyer with another key started: {:?}", other.map(|b| b.addr())),
        }
        buyer.stop();
        seller.stop();
    });
}

/// A node that cannot be reached: each command says so, names the node, and exits 69 (try again
/// later), distinct from refused data (65); nothing is written.
#[test]
fn an_unreachable_node_is_exit_code_69() {
    let w = world();
    let dir = TempDir::new().expect("temp dir");
    // A loopback port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let contract = "0x000000000000000000000000000000000000dEaD";
    let vk = w.p("params/invoice-S.vk");
    let key = key_file(dir.path(), "seller", SELLER_KEY);
    let proposal = dir.path().join("usage.proposal.json");
    run_ok(
        zk().args(["anchors", "propose"])
            .opt("--usage-commit", w.p("usage-10.commit.json"))
            .opt("--out", &proposal),
    );
    let needles = ["cannot reach the JSON-RPC endpoint", url.as_str()];
    run_fail(
        zk_verify()
            .opt("--envelope", w.p("env-10.json"))
            .opt("--anchors", &url)
            .opt("--contract", contract)
            .opt("--vk", &vk),
        69,
        &needles,
        &[],
    );
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", &url)
            .opt("--contract", contract)
            .opt("--key", &key)
            .opt("--proposal", &proposal),
        69,
        &needles,
        &[],
    );
    run_fail(
        zk().arg("audit")
            .opt("--anchors", &url)
            .opt("--contract", contract)
            .opt("--vk", &vk),
        69,
        &needles,
        &[],
    );
    let bins = dir.path().join("code.bin");
    std::fs::write(&bins, "6080").expect("writes");
    let out = dir.path().join("anchor.addr");
    run_fail(
        zk().args(["anchors", "init"])
            .opt("--anchors", &url)
            .opt("--seller", address_of_key(SELLER_KEY).expect("a key").to_string())
            .opt("--buyer", address_of_key(BUYER_KEY).expect("a key").to_string())
            .opt("--verifier-bin", &bins)
            .opt("--anchor-bin", &bins)
            .opt("--key", &key)
            .opt("--out", &out),
        69,
        &needles,
        &[&out],
    );
    run_fail(
        zk().args(["serve", "--role", "buyer", "--listen", "127.0.0.1:0", "--db"])
            .arg(dir.path().join("buyer.db"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", &url)
            .opt("--contract", contract)
            .opt("--vk", &vk)
            .opt("--seller-url", "http://127.0.0.1:9"),
        69,
        &needles,
        &[],
    );
}

/// A partitioned invoice (partition shape PS) on a chain with the CLI alone: `export solidity`
/// of the partition key set (a `PartitionVerifier` and the anchor), deployed, the MSA and usage
/// registered by both parties, the invoice submitted (every partition verified on chain in one
/// batch), then the Buyer's `verify` of the envelope against the contract, and the contract's
/// audit.
#[test]
fn a_partitioned_invoice_is_anchored_on_a_chain() {
    let dir = TempDir::new().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let manifest = partitioned_october(dir.path());
    let said = run_ok(
        zk().args(["export", "solidity"])
            .opt("--vk", &manifest)
            .opt("--out", d("contracts")),
    );
    assert!(
        said.contains("PartitionVerifier.sol, InvoiceAnchor.sol"),
        "{said}"
    );
    let c = evm::compile(&[
        d("contracts/PartitionVerifier.sol"),
        d("contracts/InvoiceAnchor.sol"),
    ]);
    for name in ["PartitionVerifier", "InvoiceAnchor"] {
        std::fs::write(d(&format!("{name}.bin")), hex::encode(&c.bytecode[name])).expect("writes");
    }
    let node = evm::start_node();
    let url = node.url.as_str();
    let seller_key = key_file(dir.path(), "seller", SELLER_KEY);
    let buyer_key = key_file(dir.path(), "buyer", BUYER_KEY);
    let other_key = key_file(dir.path(), "other", DEPLOYER_KEY);
    shown(
        zk().args(["anchors", "init"])
            .opt("--anchors", url)
            .opt("--seller", address_of_key(SELLER_KEY).expect("a key").to_string())
            .opt("--buyer", address_of_key(BUYER_KEY).expect("a key").to_string())
            .opt("--verifier-bin", d("PartitionVerifier.bin"))
            .opt("--anchor-bin", d("InvoiceAnchor.bin"))
            .opt("--key", &other_key)
            .opt("--out", d("anchor.addr")),
    );
    let contract = std::fs::read_to_string(d("anchor.addr"))
        .expect("the address")
        .trim()
        .to_string();
    let propose = |flag: &str, value: std::path::PathBuf, extra: &[(&str, &std::path::Path)], out: &str| {
        let mut cmd = zk();
        cmd.args(["anchors", "propose"])
            .opt(flag, value)
            .opt("--out", d(out));
        for (f, v) in extra {
            cmd.opt(f, v);
        }
        run_ok(&mut cmd);
        d(out)
    };
    let append = |proposal: &std::path::Path, key: &std::path::Path| {
        shown(
            zk().args(["anchors", "append"])
                .opt("--anchors", url)
                .opt("--contract", &contract)
                .opt("--proposal", proposal)
                .opt("--key", key),
        )
    };
    let msa = d("msa.json");
    run_ok(
        zk().args(["anchors", "propose", "--single-party-setup"])
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--vk", &manifest)
            .opt("--out", &msa),
    );
    append(&msa, &seller_key);
    append(&msa, &buyer_key);
    let usage = propose("--usage-commit", d("usage.commit.json"), &[], "usage.json");
    append(&usage, &seller_key);
    append(&usage, &buyer_key);
    let invoice = propose("--envelope", d("env.json"), &[], "invoice.json");
    let out = append(&invoice, &seller_key);
    assert!(out.contains("accepted: the proof verified on chain"), "{out}");
    let out = shown(
        zk_verify()
            .opt("--envelope", d("env.json"))
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--vk", &manifest),
    );
    assert!(
        out.starts_with("valid: invoice INV-2026-10") && out.contains("1 blocks, 2 chunks and the link"),
        "{out}"
    );
    // The contract audited: the key set, the state chain, every partition's proof recovered from
    // its transaction and verified.
    let out = shown(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", &contract)
            .opt("--vk", &manifest),
    );
    assert!(out.contains("1 invoices") && out.contains("clean"), "{out}");
}
