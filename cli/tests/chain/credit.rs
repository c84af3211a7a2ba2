//! SLA credits on the anchor contract from the command line: the example bilateral's October
//! invoice anchored through the library (`zkinvoice_testkit::credited` credits it); then with the
//! CLI alone the credit-note key's verifier deployed and registered by both parties, October's SLA
//! performance registered by both, the Seller's credit note recorded (the proof verified on chain),
//! the credited bill written from the contract and checked against it, paid and received; and
//! what each refuses.

use std::path::Path;

use tempfile::TempDir;
use zkinvoice_anchors::Proposal;
use zkinvoice_evm::Address;
use zkinvoice_prover::credit::CreditOpening;
use zkinvoice_testkit::{bilateral::bilateral, credited::credited};

use super::common::*;
use super::evm::{self, BUYER_KEY, SELLER_KEY};
use super::shown;
use super::support::{
    anchored, append_to, credit_contracts, deploy_statement_verifier, key_files, october, proposal,
};

#[test]
fn a_credit_note_on_the_anchor_contract_from_the_cli() {
    let dir = TempDir::new().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let (w, c) = (bilateral(), credited());

    // The contracts, the credit-note key's verifier exported from the command line; October
    // anchored through the library (in a second anchor too, which records no note).
    let compiled = credit_contracts(dir.path());
    let node = evm::start_node();
    let url = node.url.as_str();
    let env = &w.october_envelope;
    let (anchor, parties) = anchored(url, &compiled, [SELLER_KEY, BUYER_KEY], env);
    let (uncredited_anchor, _) = anchored(url, &compiled, [SELLER_KEY, BUYER_KEY], env);

    let [seller_key, buyer_key, other_key] = key_files(dir.path());
    let hash = c.keys.verifying_key().hash_hex();
    deploy_statement_verifier(url, dir.path(), "CreditVerifier", &other_key, "cv.addr", &hash);
    let append = |key: &Path, file: &Path| append_to(url, anchor, key, file);

    // The credit-note key's verifier: refused without --statement-verifier, with --counterpart,
    // and with the invoice verifier; registered by both.
    let key_agreed = proposal(&d("ck.json"), &c.key_agreed());
    run_fail(
        &mut append(&seller_key, &key_agreed),
        2,
        &["ck.json", "--statement-verifier"],
        &[],
    );
    run_fail(
        append(&seller_key, &key_agreed)
            .opt("--statement-verifier", d("cv.addr"))
            .opt("--counterpart", anchor.to_string()),
        2,
        &["ck.json", "--counterpart is for the netting key"],
        &[],
    );
    let invoice_verifier: Address = parties[0].state().expect("reads").verifier;
    run_fail(
        append(&seller_key, &key_agreed).opt("--statement-verifier", invoice_verifier.to_string()),
        3,
        &["ck.json", "embeds key", "agrees key"],
        &[],
    );
    // The credit note before anything is registered: the contract refuses it.
    let note = proposal(&d("cn.json"), &Proposal::new(c.note_body()));
    run_fail(
        &mut append(&seller_key, &note),
        65,
        &[
            "cn.json",
            "no SLA performance registered for 2026-10-01..2026-11-01",
        ],
        &[],
    );
    let first = shown(append(&seller_key, &key_agreed).opt("--statement-verifier", d("cv.addr")));
    assert!(first.contains("waiting for the other party"), "{first}");
    let second = shown(append(&buyer_key, &key_agreed).opt("--statement-verifier", d("cv.addr")));
    assert!(
        second.contains("is registered (both parties proposed it)"),
        "{second}"
    );
    let again = shown(append(&buyer_key, &key_agreed).opt("--statement-verifier", d("cv.addr")));
    assert!(again.contains("already registered"), "{again}");

    // October's SLA performance, by both.
    let sla = proposal(&d("sla.json"), &c.sla_agreed());
    let first = shown(&mut append(&seller_key, &sla));
    assert!(
        first.contains("waiting for the other party's proposal"),
        "{first}"
    );
    let second = shown(&mut append(&buyer_key, &sla));
    assert!(
        second.contains("registered (both parties proposed it)"),
        "{second}"
    );
    assert!(shown(&mut append(&buyer_key, &sla)).contains("already registered"));

    // The credit note: the Buyer's key refused, the Seller's recorded, not resent.
    run_fail(&mut append(&buyer_key, &note), 65, &["NotTheSeller"], &[]);
    let out = shown(&mut append(&seller_key, &note));
    assert!(
        out.contains("recordCreditNote sent") && out.contains("proof verified on chain"),
        "{out}"
    );
    assert!(shown(&mut append(&seller_key, &note)).contains("already recorded"));

    // The credited bill, from the contract: refused without the note's opening, written with
    // it, checked against the contract; a bill without the note refused.
    let env_file = d("oct.envelope.json");
    std::fs::write(&env_file, serde_json::to_string(env).expect("JSON")).expect("writes");
    let opening = d("cn.opening.json");
    std::fs::write(
        &opening,
        serde_json::to_string(&CreditOpening::of(&c.proved)).expect("JSON"),
    )
    .expect("writes");
    let bill = |out: &str| {
        let mut cmd = zk();
        cmd.arg("invoice")
            .opt("--envelope", &env_file)
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--out", d(out));
        cmd
    };
    run_fail(
        &mut bill("plain.json"),
        EXIT_USAGE,
        &[
            "the anchor contract records a credit note of this invoice",
            "--credit",
        ],
        &[&d("plain.json")],
    );
    shown(bill("credited.json").opt("--credit", &opening));
    let text = std::fs::read_to_string(d("credited.json")).expect("written");
    assert!(text.contains("zkCredit"), "{text}");
    let verify = |file: &Path, contract: Address| {
        let mut cmd = zk();
        cmd.arg("verify")
            .opt("--payload", file)
            .opt("--msa", example("msa.json"))
            .opt("--anchors", url)
            .opt("--contract", contract.to_string())
            .opt("--vk", d("invoice-S.vk"));
        cmd
    };
    let out = shown(&mut verify(&d("credited.json"), anchor));
    assert!(out.contains("valid"), "{out}");
    // Paid (the total less the note) and received: the credited bill is written settled, and
    // verifies.
    let reference = "SEPA 2026-11-25 credited/2026-10";
    parties[1]
        .record_payment(october(), 20782, reference)
        .expect("paid");
    parties[0]
        .record_receipt(october(), 20783, reference)
        .expect("received");
    let said = shown(bill("settled.json").opt("--credit", &opening));
    assert!(said.contains("settled by payment"), "{said}");
    let out = shown(&mut verify(&d("settled.json"), anchor));
    assert!(out.contains("valid"), "{out}");
    let out = shown(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--vk", d("invoice-S.vk")),
    );
    assert!(
        out.contains("1 paid, 1 received; 1 credited")
            && out.contains("1 credit notes: proofs recovered from their transactions, not verified again (give --credit-vk)"),
        "{out}"
    );
    // With the credit-note key, the note's proof recovered from its transaction verifies again.
    let out = shown(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--vk", d("invoice-S.vk"))
            .opt("--credit-vk", c.key_files.join("credit-S.vk")),
    );
    assert!(
        out.contains("1 credit notes: every proof recovered from its transaction verifies")
            && out.contains("every proof verifies"),
        "{out}"
    );
    // The invoice key as the credit-note key: refused, naming the file.
    run_fail(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--vk", d("invoice-S.vk"))
            .opt("--credit-vk", d("invoice-S.vk")),
        EXIT_DATA,
        &["not a key of zkinvoice/credit/v1"],
        &[],
    );
    // The same credited bill against an anchor that accepted the invoice but records no credit
    // note: refused.
    run_fail(
        &mut verify(&d("credited.json"), uncredited_anchor),
        1,
        &["zkCredit"],
        &[],
    );
}
