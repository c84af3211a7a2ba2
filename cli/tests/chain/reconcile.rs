//! Reconciliation on the anchor contract from the command line: the example bilateral's MSA
//! registered through the library; then with the CLI alone the reconciliation key's verifier
//! exported, deployed and registered by both parties, December measured by both and reconciled,
//! its usage registered; January measured by both, the Buyer's dispute recorded, its usage
//! refused until both resolve the dispute on the Seller's usage, January invoiced in part while
//! its dispute is open (the partial usage, the partial invoice, its payment and receipt); and
//! what each refuses. The
//! entries are `zkinvoice_testkit::reconciled`'s, as the parties sign them for their logs.

use std::path::Path;

use tempfile::TempDir;
use zkinvoice_anchors::{Body, Proposal};
use zkinvoice_evm::Address;
use zkinvoice_testkit::{bilateral::bilateral, partial::partial, reconciled::reconciled};

use super::common::*;
use super::evm::{self, BUYER_KEY, SELLER_KEY};
use super::shown;
use super::support::{
    append_to, contracts, deploy_statement_verifier, key_files, proposal, published_and_decided, registered,
    subscribe,
};

#[test]
fn a_reconciliation_and_a_dispute_on_the_anchor_contract_from_the_cli() {
    let dir = TempDir::new().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let (w, r) = (bilateral(), reconciled());
    let compiled = contracts(
        dir.path(),
        "reconcile",
        &r.key_files.join("reconcile-S.vk"),
        "ReconcileVerifier",
    );
    let node = evm::start_node();
    let url = node.url.as_str();
    let (anchor, parties) = registered(url, &compiled, [SELLER_KEY, BUYER_KEY], &w.october_envelope);

    let [seller_key, buyer_key, other_key] = key_files(dir.path());
    let hash = r.key.hash_hex();
    deploy_statement_verifier(url, dir.path(), "ReconcileVerifier", &other_key, "rv.addr", &hash);
    let append = |key: &Path, file: &Path| append_to(url, anchor, key, file);
    // The proposals in order: the key, December (measured twice, reconciled, agreed), January
    // (measured twice, disputed, resolved, agreed).
    let names = [
        "key",
        "dec-s",
        "dec-b",
        "dec-rec",
        "dec-usage",
        "jan-s",
        "jan-b",
        "jan-dispute",
        "jan-resolved",
        "jan-usage",
    ];
    assert_eq!(r.proposals.len(), names.len());
    let files: Vec<_> = names
        .iter()
        .zip(&r.proposals)
        .map(|(n, p)| proposal(&d(&format!("{n}.json")), p))
        .collect();
    let f = |n: &str| &files[names.iter().position(|x| *x == n).expect("a name")];

    // A measurement before the verifier is registered: the contract refuses it.
    run_fail(
        &mut append(&seller_key, f("dec-s")),
        65,
        &["ReconcileNotRegistered"],
        &[],
    );
    // The verifier: refused without --statement-verifier and with the invoice verifier;
    // registered by both.
    run_fail(
        &mut append(&seller_key, f("key")),
        2,
        &["key.json", "--statement-verifier"],
        &[],
    );
    let invoice_verifier: Address = parties[0].state().expect("reads").verifier;
    run_fail(
        append(&seller_key, f("key")).opt("--statement-verifier", invoice_verifier.to_string()),
        3,
        &["key.json", "embeds key", "agrees key"],
        &[],
    );
    let first = shown(append(&seller_key, f("key")).opt("--statement-verifier", d("rv.addr")));
    assert!(first.contains("waiting for the other party"), "{first}");
    let second = shown(append(&buyer_key, f("key")).opt("--statement-verifier", d("rv.addr")));
    assert!(
        second.contains("the reconciliation verifier")
            && second.contains("is registered (both parties proposed it)"),
        "{second}"
    );

    // December: each party sends its own measurement (the other's key refused); the
    // reconciliation needs both; then reconciled, and not sent again.
    run_fail(
        &mut append(&buyer_key, f("dec-s")),
        2,
        &["dec-s.json", "the Seller's measurement is sent by the Seller"],
        &[],
    );
    let out = shown(&mut append(&seller_key, f("dec-s")));
    assert!(
        out.contains("recordMeasurement sent") && out.contains("proof verified on chain"),
        "{out}"
    );
    assert!(shown(&mut append(&seller_key, f("dec-s"))).contains("already recorded"));
    run_fail(
        &mut append(&seller_key, f("dec-rec")),
        65,
        &[
            "dec-rec.json",
            "no measurement of 2026-12-01..2027-01-01 by the Buyer",
        ],
        &[],
    );
    shown(&mut append(&buyer_key, f("dec-b")));
    // The usage waits for the reconciliation.
    run_fail(
        &mut append(&seller_key, f("dec-usage")),
        65,
        &["NotReconciled"],
        &[],
    );
    let out = shown(&mut append(&seller_key, f("dec-rec")));
    assert!(
        out.contains("recordReconciliation sent") && out.contains("reconciled (within every threshold)"),
        "{out}"
    );
    assert!(shown(&mut append(&buyer_key, f("dec-rec"))).contains("already reconciled"));
    for key in [&seller_key, &buyer_key] {
        shown(&mut append(key, f("dec-usage")));
    }
    assert!(parties[0]
        .period(reconciled_period(20788, 20819))
        .expect("reads")
        .0
        .is_some());

    // January: over the thresholds; the dispute holds the usage until both resolve it.
    shown(&mut append(&seller_key, f("jan-s")));
    shown(&mut append(&buyer_key, f("jan-b")));
    let out = shown(&mut append(&buyer_key, f("jan-dispute")));
    assert!(out.contains("disputed: the proof verified on chain"), "{out}");
    run_fail(&mut append(&seller_key, f("jan-usage")), 65, &["Disputed"], &[]);

    // While it is open, January is invoiced in part: the partial usage registered by both, the
    // Seller's partial invoice accepted (not the Buyer's), paid and received.
    let pt = partial();
    let pu = proposal(&d("jan-partial-usage.json"), &pt.usage_proposal());
    let first = shown(&mut append(&seller_key, &pu));
    assert!(
        first.contains("waiting for the other party's proposal"),
        "{first}"
    );
    let second = shown(&mut append(&buyer_key, &pu));
    assert!(
        second.contains("registered (both parties proposed it)"),
        "{second}"
    );
    assert!(shown(&mut append(&buyer_key, &pu)).contains("already registered"));
    let pi = proposal(&d("jan-partial.json"), &pt.proposal(&pt.invoice));
    run_fail(&mut append(&buyer_key, &pi), 65, &["NotTheSeller"], &[]);
    let out = shown(&mut append(&seller_key, &pi));
    assert!(
        out.contains("submitPartialInvoice sent") && out.contains("the state does not move"),
        "{out}"
    );
    assert!(shown(&mut append(&seller_key, &pi)).contains("already accepted"));
    let msa = w.msa_commitment.0;
    let invoice = pt.invoice.public_inputs.invoice_commitment;
    let reference = "SEPA 2027-02-20 partial/2027-01";
    let paid = proposal(
        &d("jan-partial-paid.json"),
        &Proposal::new(Body::Payment {
            msa_commitment: msa,
            invoice_commitment: invoice,
            paid_on: "2027-02-20".into(),
            reference: reference.into(),
        }),
    );
    let received = proposal(
        &d("jan-partial-received.json"),
        &Proposal::new(Body::PaymentReceived {
            msa_commitment: msa,
            invoice_commitment: invoice,
            received_on: "2027-02-21".into(),
            reference: reference.into(),
        }),
    );
    run_fail(&mut append(&seller_key, &paid), 65, &["NotTheBuyer"], &[]);
    let out = shown(&mut append(&buyer_key, &paid));
    assert!(
        out.contains("recordPartialPayment sent") && out.contains("partial invoice"),
        "{out}"
    );
    let out = shown(&mut append(&seller_key, &received));
    assert!(out.contains("recordPartialReceipt sent"), "{out}");
    assert!(shown(&mut append(&seller_key, &received)).contains("already recorded received"));
    let first = shown(&mut append(&seller_key, f("jan-resolved")));
    assert!(
        first.contains("waiting for the other party's proposal"),
        "{first}"
    );
    let second = shown(&mut append(&buyer_key, f("jan-resolved")));
    assert!(second.contains("resolved on usage"), "{second}");
    assert!(shown(&mut append(&buyer_key, f("jan-resolved"))).contains("already resolved"));
    for key in [&seller_key, &buyer_key] {
        shown(&mut append(key, f("jan-usage")));
    }
    // The final invoice (the Seller's January measurement, from the same state), and the two
    // bills written from the contract: interim (settled), and final less the partial invoice.
    let fin = proposal(&d("jan-final.json"), &pt.final_proposal());
    shown(&mut append(&seller_key, &fin));
    let envelope = |name: &str, e: &zkinvoice_prover::ProofEnvelope| {
        let file = d(name);
        std::fs::write(&file, serde_json::to_string(e).expect("JSON")).expect("writes");
        file
    };
    let partial_env = envelope("jan-partial.envelope.json", &pt.invoice);
    let final_env = envelope("jan-final.envelope.json", &r.january.seller);
    std::fs::write(d("invoice-S.vk"), w.vk.to_bytes()).expect("writes");
    let bill = |env: &Path, out: &str| {
        let mut cmd = zk();
        cmd.arg("invoice")
            .opt("--envelope", env)
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--out", d(out));
        cmd
    };
    let verify = |file: &Path| {
        let mut cmd = zk();
        cmd.arg("verify")
            .opt("--payload", file)
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--vk", d("invoice-S.vk"));
        cmd
    };
    let said = shown(&mut bill(&partial_env, "interim.json"));
    assert!(said.contains("settled by payment"), "{said}");
    let text = std::fs::read_to_string(d("interim.json")).expect("written");
    assert!(text.contains("\"zkPart\": \"interim\""), "{text}");
    assert!(shown(&mut verify(&d("interim.json"))).contains("valid"));
    run_fail(
        &mut bill(&final_env, "final.json"),
        EXIT_USAGE,
        &["invoiced in part", "--partial-invoice"],
        &[&d("final.json")],
    );
    run_fail(
        bill(&final_env, "final.json").opt("--partial-invoice", &final_env),
        EXIT_DATA,
        &["not the partial invoice the anchor contract records"],
        &[&d("final.json")],
    );
    shown(bill(&final_env, "final.json").opt("--partial-invoice", &partial_env));
    let text = std::fs::read_to_string(d("final.json")).expect("written");
    assert!(
        text.contains("\"zkPart\": \"final\"") && text.contains("zkPartial"),
        "{text}"
    );
    assert!(shown(&mut verify(&d("final.json"))).contains("valid"));
    // The interim bill without its part (a normal bill): refused against the contract.
    let interim = std::fs::read_to_string(d("interim.json")).expect("reads");
    let part = ",\n  \"zkPart\": \"interim\"";
    assert!(interim.contains(part), "{interim}");
    std::fs::write(d("normal.json"), interim.replace(part, "")).expect("writes");
    run_fail(&mut verify(&d("normal.json")), 1, &["zkPart"], &[]);
    // The Buyer's receiving service on the chain takes both bills, and refuses the normal one.
    let bills = [d("interim.json"), d("final.json")];
    buyer_service_takes(
        url,
        &anchor.to_string(),
        &d("invoice-S.vk"),
        &bills,
        &d("normal.json"),
        dir.path(),
    );

    let jan = parties[0]
        .period(reconciled_period(20819, 20850))
        .expect("reads")
        .0;
    assert_eq!(
        jan,
        Some(r.january.seller_usage.0),
        "the resolved usage is registered"
    );

    // The audit: the measurements' proofs verified again under the invoice key; the
    // reconciliation's and the dispute's counted, and with the reconciliation key verified again.
    let audit = || {
        let mut cmd = zk();
        cmd.arg("audit")
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--vk", d("invoice-S.vk"));
        cmd
    };
    let out = shown(&mut audit());
    assert!(
        out.contains("1 partial invoices (every proof verifies again under the invoice key): 1 paid, 1 received")
            && out.contains("reconciliation: 4 measurements (every proof verifies again under the invoice key); 1 reconciled, 1 disputed (1 resolved): proofs recovered from their transactions, not verified again (give --reconcile-vk)")
            && out.contains("(2 proofs of other statements verified on chain only)"),
        "{out}"
    );
    let out = shown(audit().opt("--reconcile-vk", r.key_files.join("reconcile-S.vk")));
    assert!(
        out.contains("1 disputed (1 resolved): every proof recovered from its transaction verifies")
            && out
                .contains("clean: the verifier is the key's, the state chain is whole, every proof verifies"),
        "{out}"
    );
    // A key of another statement: refused, naming the file.
    run_fail(
        audit().opt("--reconcile-vk", d("invoice-S.vk")),
        EXIT_DATA,
        &["invoice-S.vk", "not a key of zkinvoice/reconcile/v1"],
        &[],
    );
}

fn reconciled_period(start: u32, end: u32) -> u64 {
    zkinvoice_evm::abi::period_id(start, end)
}

/// The Buyer's service checking against the anchor contract (`url`, `contract`, key file `vk`)
/// accepts each of `bills`, published by the Seller's service, and answers `POST /verify` of
/// `refused` with 422.
fn buyer_service_takes(
    url: &str,
    contract: &str,
    vk: &Path,
    bills: &[std::path::PathBuf],
    refused: &Path,
    dir: &Path,
) {
    use std::time::Duration;
    use zkinvoice_check::chain::ChainTarget;
    use zkinvoice_service::{
        buyer::{Buyer, BuyerAnchors, BuyerConfig},
        seller::{Seller, SellerConfig},
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
        let seller = Seller::start(bind().await, &dir.join("seller-svc.db"), SellerConfig::default())
            .expect("the seller starts");
        let config = BuyerConfig {
            anchors: BuyerAnchors::Chain(Box::new(target)),
            seller_url: format!("http://{}", seller.addr()),
            seller_token: None,
            token: None,
            key: None,
            msa: zkinvoice_circuits::Msa::from_json(zkinvoice_testkit::examples::MSA)
                .expect("the example MSA"),
            timeout: Duration::from_secs(10),
        };
        let buyer = Buyer::start(bind().await, &dir.join("buyer-svc.db"), config).expect("the buyer starts");
        let client = reqwest::Client::new();
        subscribe(&client, &seller, &buyer, "customerBillCreateEvent").await;
        for path in bills {
            let record = published_and_decided(&seller, &buyer, path).await;
            assert!(record.is_accepted(), "{}: {record:?}", path.display());
        }
        let r = client
            .post(format!("http://{}/verify", buyer.addr()))
            .body(std::fs::read(refused).expect("a bill"))
            .header("content-type", "application/json")
            .send()
            .await
            .expect("POST /verify");
        assert_eq!(r.status().as_u16(), 422, "{}", refused.display());
        buyer.stop();
        seller.stop();
    });
}
