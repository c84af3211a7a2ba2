//! `zkinvoice net` and the netting's entry from the command line (issue 16): December's invoice
//! of the example bilateral against the reverse bilateral's (`examples/msa-reverse.json`) nets to
//! what the Buyer pays the Seller; one direction twice is refused (exit 65, naming the file);
//! `anchors propose --netting` drafts `invoices-netted` in each of the two logs from the same
//! envelope, both parties sign it (one signature alone is refused), and both logs admit and
//! audit it; `--net-paid` and `--net-received` record the net's
//! payment by its payer and its receipt.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;
use zkinvoice_anchors::Proposal;
use zkinvoice_prover::{credit::CreditOpening, netting::NettingEnvelope};
use zkinvoice_testkit::{bilateral::bilateral, credited::credited, netted::netted};

/// `rate`'s output of `msa` for `usage` at shape S.
fn rated(dir: &Path, msa: &str, usage: &str, number: &str) -> PathBuf {
    rated_at(dir, (msa, "S"), usage, number)
}

#[test]
fn net_gives_the_net_and_who_pays_it_and_proves_it() {
    let dir = TempDir::new().expect("dir");
    let d = dir.path();
    let forward = rated(d, "msa.json", "usage-2026-12.json", "INV-12");
    let reverse = rated(d, "msa-reverse.json", "usage-reverse-2026-12.json", "GX-12");
    let out = run_ok(zk().arg("net").opt("--first", &forward).opt("--second", &reverse));
    assert!(
        out.contains("INV-12 29875.16 (northwind-carrier) against GX-12 5757.20 (globex-cloud): globex-cloud pays northwind-carrier 24117.96 USD"),
        "{out}"
    );
    // In the other order, the same verdict.
    let out = run_ok(zk().arg("net").opt("--first", &reverse).opt("--second", &forward));
    assert!(
        out.contains("globex-cloud pays northwind-carrier 24117.96 USD"),
        "{out}"
    );
    run_fail(
        zk().arg("net").opt("--first", &forward).opt("--second", &forward),
        65,
        &["INV-12.json", "not the other way of the first"],
        &[],
    );

    // Proved with the keys of shape S: the envelope verifies and names no amount; the opening
    // holds the net.
    let params = d.join("params");
    zkinvoice_testkit::keycache::copy_files(&netted().key_files, &params);
    let (env, opening) = (d.join("netting.json"), d.join("net.json"));
    run_ok(
        zk().arg("net")
            .opt("--first", &forward)
            .opt("--second", &reverse)
            .opt("--prove", &env)
            .opt("--opening", &opening)
            .opt("--params", &params),
    );
    let text = std::fs::read_to_string(&env).expect("envelope");
    assert!(!states_amount(&text, 2_411_796), "{text}");
    let said = std::fs::read_to_string(&opening).expect("opening");
    assert!(
        states_amount(&said, 2_411_796),
        "the opening states the net: {said}"
    );
    let e: NettingEnvelope = serde_json::from_str(&text).expect("a netting envelope");
    e.verify(&netted().keys.verifying_key().prepare())
        .expect("verifies");
    let o: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&opening).unwrap()).unwrap();
    assert_eq!(
        (o["net"].as_str(), o["currency"].as_str()),
        (Some("24117.96"), Some("USD"))
    );
}

/// An edit of a bill's JSON.
type Edit = fn(&mut serde_json::Value);

/// Each party holds its own invoice's envelope and the other's bill: `net` reads the bill against
/// its bilateral's MSA and nets as from the envelope; a bill without its MSA, against another
/// MSA, edited, or not of a whole invoice is refused (exit 65, naming the file and the field).
#[test]
fn net_reads_the_bill_received() {
    let (w, n) = (bilateral(), netted());
    let dir = TempDir::new().expect("dir");
    let d = |x: &str| dir.path().join(x);
    for (name, env) in [
        ("forward.json", &w.october_envelope),
        ("reverse.json", &n.envelope),
    ] {
        std::fs::write(d(name), serde_json::to_string(env).unwrap()).unwrap();
    }
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", d("reverse.json"))
            .opt("--msa", example("msa-reverse.json"))
            .opt("--out", d("reverse.bill.json")),
    );
    let net = |second: &str, msa: Option<PathBuf>| {
        let mut c = zk();
        c.arg("net")
            .opt("--first", d("forward.json"))
            .opt("--second", d(second));
        if let Some(m) = msa {
            c.opt("--second-msa", m);
        }
        c
    };
    let from_envelope = run_ok(&mut net("reverse.json", None));
    let from_bill = run_ok(&mut net("reverse.bill.json", Some(example("msa-reverse.json"))));
    assert_eq!(from_bill, from_envelope);
    assert!(
        from_bill.contains("globex-cloud pays northwind-carrier"),
        "{from_bill}"
    );

    // Proved from the bill: over the same two invoice commitments.
    let params = d("params");
    zkinvoice_testkit::keycache::copy_files(&n.key_files, &params);
    run_ok(
        net("reverse.bill.json", Some(example("msa-reverse.json")))
            .opt("--prove", d("netting.json"))
            .opt("--params", &params),
    );
    let e: NettingEnvelope =
        serde_json::from_str(&std::fs::read_to_string(d("netting.json")).unwrap()).unwrap();
    e.verify(&n.keys.verifying_key().prepare()).expect("verifies");
    let p = &e.public_inputs;
    let mut got = [p.first_invoice, p.second_invoice];
    let mut want = [w.october_envelope.public_inputs.invoice_commitment, n.invoice()];
    got.sort();
    want.sort();
    assert_eq!(got, want);

    // Refused: without its MSA, against the other bilateral's MSA, an MSA for an envelope.
    let bill: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d("reverse.bill.json")).unwrap()).unwrap();
    run_fail(
        &mut net("reverse.bill.json", None),
        65,
        &["reverse.bill.json", "zkProof", "--second-msa"],
        &[],
    );
    run_fail(
        &mut net("reverse.bill.json", Some(example("msa.json"))),
        65,
        &["reverse.bill.json"],
        &[],
    );
    run_fail(
        &mut net("reverse.json", Some(example("msa-reverse.json"))),
        65,
        &["reverse.json", "zkProof", "is for an MEF 141 bill"],
        &[],
    );
    // An edited bill: a line's quantity changed; a bill of another part; a credited bill.
    let edits: [(&str, Edit, &str); 3] = [
        (
            "edited.json",
            |b| b["customerBillItem"][0]["unitQuantity"] = serde_json::json!(7),
            "zkProof.publicInputs.invoiceCommitment",
        ),
        ("interim.json", |b| b["zkPart"] = "interim".into(), "zkPart"),
        (
            "credited.json",
            |b| b["zkCredit"] = serde_json::to_value(CreditOpening::of(&credited().proved)).unwrap(),
            "zkCredit",
        ),
    ];
    for (name, edit, field) in edits {
        let mut b = bill.clone();
        edit(&mut b);
        std::fs::write(d(name), b.to_string()).unwrap();
        run_fail(
            &mut net(name, Some(example("msa-reverse.json"))),
            65,
            &[name, field],
            &[],
        );
    }
}

#[test]
fn a_netting_is_anchored_in_both_logs_from_the_command_line() {
    let (w, n) = (bilateral(), netted());
    let dir = TempDir::new().expect("dir");
    let d = |x: &str| dir.path().join(x);
    // The forward log: October proved and accepted, the netting key agreed.
    let fwd = w.log(&d("forward.db"));
    fwd.append(w.october_proved.clone()).expect("october");
    let oct = w.october_envelope.public_inputs.invoice_commitment;
    let accepted = zkinvoice_anchors::Body::InvoiceAccepted {
        msa_commitment: w.msa_commitment.0,
        invoice_commitment: oct,
    };
    fwd.append(Proposal::new(accepted).signed(zkinvoice_anchors::Role::Buyer, &w.buyer))
        .expect("accepted");
    fwd.append(n.key_agreed(w.msa_commitment.0, true))
        .expect("netting key");
    let rev = n.log(&d("reverse.db"));
    drop((fwd, rev));
    w.seller.write_file(&d("northwind.key")).expect("key");
    w.buyer.write_file(&d("globex.key")).expect("key");
    std::fs::write(d("netting.json"), serde_json::to_string(&n.netting).unwrap()).unwrap();

    // Globex proposes it in both logs (the forward log's Buyer, the reverse log's Seller) and
    // Northwind signs too; signed by Globex alone it is refused.
    for (log, other, role, other_role, proposal) in [
        ("forward.db", "reverse.db", "buyer", "seller", "fwd.proposal.json"),
        ("reverse.db", "forward.db", "seller", "buyer", "rev.proposal.json"),
    ] {
        run_ok(
            zk().args(["anchors", "propose"])
                .opt("--netting", d("netting.json"))
                .opt("--anchors", d(log))
                .opt("--other-anchors", d(other))
                .opt("--role", role)
                .opt("--key", d("globex.key"))
                .opt("--out", d(proposal)),
        );
        run_fail(
            zk().args(["anchors", "append"])
                .opt("--anchors", d(log))
                .opt("--proposal", d(proposal)),
            65,
            &["invoices-netted"],
            &[],
        );
        run_ok(
            zk().args(["anchors", "sign"])
                .opt("--proposal", d(proposal))
                .opt("--key", d("northwind.key"))
                .opt("--role", other_role),
        );
        run_ok(
            zk().args(["anchors", "append"])
                .opt("--anchors", d(log))
                .opt("--proposal", d(proposal)),
        );
        let audit = run_ok(zk().arg("audit").opt("--anchors", d(log)));
        assert!(audit.contains("netted 1, paid 0"), "{audit}");
    }
    // The net paid by Globex (the forward log's Buyer) and received by Northwind.
    for (flag, role, key, name) in [
        ("--net-paid", "buyer", "globex.key", "paid.json"),
        ("--net-received", "seller", "northwind.key", "received.json"),
    ] {
        run_ok(
            zk().args(["anchors", "propose"])
                .opt(flag, d("netting.json"))
                .opt("--anchors", d("forward.db"))
                .opt("--role", role)
                .opt("--key", d(key))
                .opt("--reference", "SWIFT 2026-12-01 NET")
                .opt("--on", "2026-12-01")
                .opt("--out", d(name)),
        );
        run_ok(
            zk().args(["anchors", "append"])
                .opt("--anchors", d("forward.db"))
                .opt("--proposal", d(name)),
        );
    }
    let audit = run_ok(zk().arg("audit").opt("--anchors", d("forward.db")));
    assert!(
        audit.contains("netted 1, paid 0, received 0; nets 1, paid 1, received 1"),
        "{audit}"
    );
    // The reverse log has no such payment: its Seller is the payer there, and the Buyer's key
    // does not sign for it.
    run_ok(
        zk().args(["anchors", "propose"])
            .opt("--net-paid", d("netting.json"))
            .opt("--anchors", d("reverse.db"))
            .opt("--role", "buyer")
            .opt("--key", d("northwind.key"))
            .opt("--reference", "R")
            .opt("--on", "2026-12-01")
            .opt("--out", d("wrong.json")),
    );
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", d("reverse.db"))
            .opt("--proposal", d("wrong.json")),
        65,
        &["the Seller pays this net"],
        &[],
    );

    // A log holding neither invoice, and an other log that has not accepted the other.
    let lone = w.log(&d("lone.db"));
    drop(lone);
    run_fail(
        zk().args(["anchors", "propose"])
            .opt("--netting", d("netting.json"))
            .opt("--anchors", d("lone.db"))
            .opt("--other-anchors", d("reverse.db"))
            .opt("--role", "buyer")
            .opt("--key", d("globex.key"))
            .opt("--out", d("x.json")),
        65,
        &["lone.db", "neither invoice"],
        &[&d("x.json")],
    );
    run_fail(
        zk().args(["anchors", "propose"])
            .opt("--netting", d("netting.json"))
            .opt("--anchors", d("forward.db"))
            .opt("--other-anchors", d("lone.db"))
            .opt("--role", "buyer")
            .opt("--key", d("globex.key"))
            .opt("--out", d("x.json")),
        65,
        &["lone.db", "is not accepted in this log"],
        &[&d("x.json")],
    );
}

/// `export solidity --statement netting|credit`: the netting key's verifier
/// (`NettingVerifier.sol`, the contract an anchor registers with `registerNetting`) and the
/// credit-note key's (`CreditVerifier.sol`, `registerCreditVerifier`), the same bytes as the
/// library's; a key of another statement is refused (exit 65, naming the file), and a statement
/// no contract verifies is a usage error.
#[test]
fn the_netting_verifier_is_exported_for_the_chain() {
    let dir = TempDir::new().expect("dir");
    let d = dir.path();
    let vk = netted().key_files.join("netting-S.vk");
    let out = d.join("sol");
    let said = run_ok(
        zk().args(["export", "solidity", "--statement", "netting"])
            .opt("--vk", &vk)
            .opt("--out", &out),
    );
    assert!(said.contains("NettingVerifier.sol written"), "{said}");
    let text = std::fs::read_to_string(out.join("NettingVerifier.sol")).expect("written");
    assert_eq!(
        text,
        zkinvoice_evm::solidity::netting_verifier_source(netted().keys.verifying_key())
    );
    assert!(text.contains("uint256 public constant PUBLIC_INPUTS = 6;"));
    assert!(!out.join("InvoiceAnchor.sol").exists());
    let invoice_vk = d.join("invoice-S.vk");
    std::fs::write(&invoice_vk, bilateral().vk.to_bytes()).expect("writes");
    run_fail(
        zk().args(["export", "solidity", "--statement", "netting", "--force"])
            .opt("--vk", &invoice_vk)
            .opt("--out", &out),
        65,
        &["invoice-S.vk", "not a key of zkinvoice/netting/v1"],
        &[],
    );
    // The credit-note key's verifier, the same way.
    let said = run_ok(
        zk().args(["export", "solidity", "--statement", "credit"])
            .opt("--vk", credited().key_files.join("credit-S.vk"))
            .opt("--out", &out),
    );
    assert!(said.contains("CreditVerifier.sol written"), "{said}");
    assert_eq!(
        std::fs::read_to_string(out.join("CreditVerifier.sol")).expect("written"),
        zkinvoice_evm::solidity::credit_verifier_source(credited().keys.verifying_key())
    );
    run_fail(
        zk().args(["export", "solidity", "--statement", "credit", "--force"])
            .opt("--vk", &vk)
            .opt("--out", &out),
        65,
        &["netting-S.vk", "not a key of zkinvoice/credit/v1"],
        &[],
    );
    run_fail(
        zk().args(["export", "solidity", "--statement", "reconcile"])
            .opt("--vk", &vk)
            .opt("--out", d.join("other")),
        65,
        &["netting-S.vk", "not a key of zkinvoice/reconcile/v1"],
        &[&d.join("other")],
    );
}
