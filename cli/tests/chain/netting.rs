//! Netting on the anchor contracts from the command line: two anchors of the same two parties in
//! opposite directions (the example bilateral and the reverse one, `zkinvoice_testkit::netted`),
//! their October invoices anchored through the library; then with the CLI alone the netting
//! verifier deployed (`anchors init --statement-verifier-bin`), the netting key's entry sent as
//! `registerNetting` by both parties in both anchors (`anchors append --counterpart
//! --statement-verifier`), `invoices-netted` as `recordNetting`, the net's payment and receipt,
//! and the audit's count; and what each refuses.

use std::path::Path;

use tempfile::TempDir;
use zkinvoice_anchors::{Body, Proposal, Role};
use zkinvoice_evm::{chain::ChainAnchor, Address};
use zkinvoice_testkit::{bilateral::bilateral, netted::netted};

use super::common::*;
use super::evm::{self, BUYER_KEY, SELLER_KEY};
use super::shown;
use super::support::{
    anchored, append_to, contracts, deploy_statement_verifier, key_files, october, proposal,
};

#[test]
fn a_netting_on_two_anchor_contracts_from_the_cli() {
    let dir = TempDir::new().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let (w, n) = (bilateral(), netted());

    // The contracts: the invoice key's verifier and anchor, and the netting verifier exported
    // from the command line, compiled with solc-js; both anchors through the library.
    std::fs::write(d("invoice-S.vk"), w.vk.to_bytes()).expect("writes");
    let c = contracts(
        dir.path(),
        "netting",
        &n.key_files.join("netting-S.vk"),
        "NettingVerifier",
    );
    let node = evm::start_node();
    let url = node.url.as_str();
    // Each anchor's Seller first: the reverse anchor's Seller is the Buyer's key.
    let (forward, _) = anchored(url, &c, [SELLER_KEY, BUYER_KEY], &w.october_envelope);
    let (reverse, _) = anchored(url, &c, [BUYER_KEY, SELLER_KEY], &n.envelope);
    let [seller_key, buyer_key, other_key] = key_files(dir.path());

    // The netting verifier, deployed from the command line.
    let hash = n.keys.verifying_key().hash_hex();
    deploy_statement_verifier(url, dir.path(), "NettingVerifier", &other_key, "nv.addr", &hash);
    run_fail(
        zk().args(["anchors", "init"])
            .opt("--anchors", url)
            .opt("--statement-verifier-bin", d("NettingVerifier.bin"))
            .opt("--seller", &seller_key)
            .opt("--key", &other_key),
        2,
        &["--statement-verifier-bin", "--seller"],
        &[],
    );

    // The netting key's entries of both logs, sent as registerNetting by both parties of each
    // anchor with the other anchor as the counterpart.
    let forward_key = proposal(&d("fk.json"), &n.key_agreed(w.msa_commitment.0, true));
    let reverse_key = proposal(&d("rk.json"), &n.key_agreed(n.msa_commitment.0, false));
    let append = |anchor: Address, key: &Path, file: &Path| append_to(url, anchor, key, file);
    run_fail(
        &mut append(forward, &seller_key, &forward_key),
        2,
        &["fk.json", "--counterpart", "--statement-verifier"],
        &[],
    );
    // A verifier of another key (the invoice verifier the anchor uses) is not the netting key's.
    let invoice_verifier = ChainAnchor::connect(url, forward, SELLER_KEY)
        .expect("connects")
        .state()
        .expect("reads")
        .verifier;
    run_fail(
        append(forward, &seller_key, &forward_key)
            .opt("--counterpart", reverse.to_string())
            .opt("--statement-verifier", invoice_verifier.to_string()),
        3,
        &["fk.json", "embeds key", "agrees key"],
        &[],
    );
    // The reverse log's entry sent to the forward anchor: another MSA.
    run_fail(
        append(forward, &seller_key, &reverse_key)
            .opt("--counterpart", reverse.to_string())
            .opt("--statement-verifier", d("nv.addr")),
        65,
        &["rk.json", "netting key is for MSA"],
        &[],
    );
    // The terms go to a contract only.
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", d("seller-anchors.db"))
            .opt("--proposal", &forward_key)
            .opt("--counterpart", reverse.to_string())
            .opt("--statement-verifier", d("nv.addr")),
        2,
        &["--counterpart", "JSON-RPC --anchors"],
        &[&d("seller-anchors.db")],
    );
    // The anchor's own address as the counterpart: the contract refuses it.
    run_fail(
        append(forward, &seller_key, &forward_key)
            .opt("--counterpart", forward.to_string())
            .opt("--statement-verifier", d("nv.addr")),
        65,
        &["WrongCounterpart"],
        &[],
    );
    let envelope = d("netting.json");
    std::fs::write(&envelope, serde_json::to_string(&n.netting).expect("JSON")).expect("writes");
    let propose = |flag: &str, anchor: Address, out: &str| {
        let mut cmd = zk();
        cmd.args(["anchors", "propose"])
            .opt(flag, &envelope)
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--out", d(out));
        cmd
    };
    // invoices-netted cannot be drafted from a contract before the netting terms are registered.
    run_fail(
        &mut propose("--netting", forward, "early.json"),
        65,
        &["no netting terms are registered"],
        &[&d("early.json")],
    );
    for (anchor, counterpart, file) in [(forward, reverse, &forward_key), (reverse, forward, &reverse_key)] {
        let send = |key: &Path| {
            shown(
                append(anchor, key, file)
                    .opt("--counterpart", counterpart.to_string())
                    .opt("--statement-verifier", d("nv.addr")),
            )
        };
        let first = send(&seller_key);
        assert!(first.contains("waiting for the other party"), "{first}");
        let second = send(&buyer_key);
        assert!(second.contains("the netting terms are registered"), "{second}");
        let again = send(&buyer_key);
        assert!(again.contains("already registered"), "{again}");
    }

    // invoices-netted drafted from each anchor contract: its invoice of the period, the
    // counterpart's MSA, no otherAccepted (it plays no part on a chain).
    let body_of = |file: &Path| {
        let text = std::fs::read_to_string(file).expect("written");
        serde_json::from_str::<Proposal>(&text).expect("a proposal").body
    };
    run_ok(&mut propose("--netting", forward, "fn.json"));
    run_ok(&mut propose("--netting", reverse, "rn.json"));
    let (forward_net, reverse_net) = (d("fn.json"), d("rn.json"));
    let forward_invoice = w.october_envelope.public_inputs.invoice_commitment;
    let fb = body_of(&forward_net);
    let expected = |msa, invoice, other_msa| {
        Body::invoices_netted(
            msa,
            invoice,
            (other_msa, String::new()),
            &n.proved.public,
            ("2026-10-01".to_string(), "2026-11-01".to_string()),
            &n.proved.proof,
        )
        .expect("one of the two invoices")
    };
    assert_eq!(
        fb,
        expected(w.msa_commitment.0, forward_invoice, n.msa_commitment.0)
    );
    assert_eq!(
        body_of(&reverse_net),
        expected(n.msa_commitment.0, n.invoice(), w.msa_commitment.0)
    );
    for (anchor, file) in [(forward, &forward_net), (reverse, &reverse_net)] {
        let first = shown(&mut append(anchor, &seller_key, file));
        assert!(first.contains("proposed: waiting for the other party"), "{first}");
        let second = shown(&mut append(anchor, &buyer_key, file));
        assert!(second.contains("recorded: both parties proposed it"), "{second}");
        let again = shown(&mut append(anchor, &buyer_key, file));
        assert!(again.contains("already recorded"), "{again}");
    }

    // The net's payment and receipt in each anchor, by the payer and the payee the entry names
    // by that log's roles.
    let Body::InvoicesNetted { payer, .. } = fb else {
        unreachable!("an invoices-netted body")
    };
    let reference = "SEPA 2026-11-20 net/2026-10";
    // The forward invoice's own payment, once it is netted: refused before sending.
    let own = Body::Payment {
        msa_commitment: w.msa_commitment.0,
        invoice_commitment: forward_invoice,
        paid_on: "2026-11-20".into(),
        reference: reference.into(),
    };
    let own = proposal(&d("own.json"), &Proposal::new(own));
    run_fail(
        &mut append(forward, &buyer_key, &own),
        65,
        &["own.json", "is netted on the anchor", "net-payment"],
        &[],
    );
    // The forward anchor's Seller is the Seller's key, the reverse anchor's the Buyer's.
    let key_of = |anchor: Address, role: Role| {
        if (role == Role::Seller) == (anchor == forward) {
            &seller_key
        } else {
            &buyer_key
        }
    };
    for party in ["seller", "buyer"] {
        run_ok(zk().args(["keygen", "--party", party]).opt("--dir", dir.path()));
    }
    let name = |r: Role| if r == Role::Seller { "seller" } else { "buyer" };
    let net = |flag: &str, anchor: Address, role: Role, on: &str, out: &str| {
        let mut cmd = propose(flag, anchor, out);
        cmd.arg("--force")
            .opt("--role", name(role))
            .opt("--key", d(&format!("{}.key", name(role))))
            .opt("--reference", reference)
            .opt("--on", on);
        run_ok(&mut cmd);
        d(out)
    };
    for (anchor, payer) in [(forward, payer), (reverse, payer.other())] {
        let wrong = net("--net-paid", anchor, payer.other(), "2026-11-20", "wrong.json");
        run_fail(
            &mut append(anchor, key_of(anchor, payer.other()), &wrong),
            65,
            &["wrong.json", "pays the net"],
            &[],
        );
        let file = net("--net-paid", anchor, payer, "2026-11-20", "np.json");
        let out = shown(&mut append(anchor, key_of(anchor, payer), &file));
        assert!(
            out.contains("recordPayment sent") && out.contains("recorded paid on 2026-11-20"),
            "{out}"
        );
        let file = net("--net-received", anchor, payer.other(), "2026-11-21", "nr.json");
        let out = shown(&mut append(anchor, key_of(anchor, payer.other()), &file));
        assert!(out.contains("recorded received on 2026-11-21"), "{out}");
        let again = shown(&mut append(anchor, key_of(anchor, payer.other()), &file));
        assert!(again.contains("already recorded received"), "{again}");
    }

    // The Seller's bill of the forward invoice is written settled from the contract, under the
    // net's reference, and the Buyer's check against the contract accepts it, as against a log
    // (a netted invoice's receipt is its net's).
    let env = d("oct.envelope.json");
    std::fs::write(&env, serde_json::to_string(&w.october_envelope).expect("JSON")).expect("writes");
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", &env)
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", forward.to_string())
            .opt("--out", d("bill.json")),
    );
    let bill = std::fs::read_to_string(d("bill.json")).expect("written");
    assert!(bill.contains(reference), "{bill}");
    let out = shown(
        zk().arg("verify")
            .opt("--payload", d("bill.json"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", forward.to_string())
            .opt("--vk", d("invoice-S.vk")),
    );
    assert!(out.contains("valid"), "{out}");

    // The audit counts the netting, and its payment as the net's; with the netting key it
    // verifies again the netting's proof, recovered from the transaction that recorded it.
    let audit = |anchor: Address| {
        let mut c = zk();
        c.arg("audit")
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--vk", d("invoice-S.vk"));
        c
    };
    let out = shown(&mut audit(forward));
    assert!(
        out.contains("1 invoices")
            && out.contains("1 paid, 1 received; 1 netted")
            && out.contains("1 nettings: proofs recovered from their transactions, not verified again (give --netting-vk)")
            && out.contains("(1 proofs of other statements verified on chain only)"),
        "{out}"
    );
    for anchor in [forward, reverse] {
        let out = shown(audit(anchor).opt("--netting-vk", n.key_files.join("netting-S.vk")));
        assert!(
            out.contains("1 nettings: every proof recovered from its transaction verifies")
                && out.contains(
                    "clean: the verifier is the key's, the state chain is whole, every proof verifies"
                ),
            "{out}"
        );
    }
    // Another netting key: the verifier the anchor registered embeds another, and the proof
    // does not verify (exit 1); a key of another statement is refused (exit 65).
    let other = zkinvoice_prover::netting::NettingKeys::generate(
        zkinvoice_circuits::Shape::S,
        &mut <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(11),
    )
    .expect("setup");
    std::fs::write(d("other-netting.vk"), other.verifying_key().to_bytes()).expect("writes");
    let out = audit(forward)
        .opt("--netting-vk", d("other-netting.vk"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "FAILED: the anchor's netting verifier embeds key".to_string(),
        format!(
            "FAILED: the netting of period {}: the proof does not verify",
            october()
        ),
    ] {
        assert!(stdout.contains(&needle), "{stdout}");
    }
    run_fail(
        audit(forward).opt("--netting-vk", d("invoice-S.vk")),
        EXIT_DATA,
        &["invoice-S.vk", "not a key of zkinvoice/netting/v1"],
        &[],
    );
    // A log holds its statements' keys in its entries.
    run_fail(
        zk().arg("audit")
            .opt("--anchors", d("log.db"))
            .opt("--netting-vk", n.key_files.join("netting-S.vk")),
        EXIT_USAGE,
        &["--netting-vk, --credit-vk and --reconcile-vk are for anchor contracts"],
        &[],
    );
}
