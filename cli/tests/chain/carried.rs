//! A credit note carried forward on the anchor contract from the command line: the example
//! bilateral's October invoice anchored and paid through the library, its SLA credit note
//! (`zkinvoice_testkit::credited`) recorded after the payment with the CLI, November's invoice
//! anchored, the note carried to it by both parties (`anchors propose --carry`, `anchors append`
//! as `carryCredit`); October's bill written without the note, November's with it
//! (`--carried`), checked against the contract; the audit's count.

use std::path::Path;

use tempfile::TempDir;
use zkinvoice_anchors::Proposal;
use zkinvoice_prover::credit::CreditOpening;
use zkinvoice_testkit::{bilateral::bilateral, credited::credited};

use super::common::*;
use super::evm::{self, BUYER_KEY, SELLER_KEY};
use super::shown;
use super::support::{
    anchored, append_to, credit_contracts, deploy_statement_verifier, key_files, october, proposal,
};

fn november() -> u64 {
    zkinvoice_evm::abi::period_id(20758, 20788)
}

/// Writes `value` as JSON to `path`, returned.
fn json(path: &Path, value: &impl serde::Serialize) -> std::path::PathBuf {
    std::fs::write(path, serde_json::to_string(value).expect("JSON")).expect("writes");
    path.to_path_buf()
}

#[test]
fn a_credit_note_after_the_payment_is_carried_on_the_anchor_contract_from_the_cli() {
    let dir = TempDir::new().expect("temp dir");
    let d = |name: &str| dir.path().join(name);
    let (w, c) = (bilateral(), credited());
    let compiled = credit_contracts(dir.path());
    let node = evm::start_node();
    let url = node.url.as_str();
    let (anchor, parties) = anchored(url, &compiled, [SELLER_KEY, BUYER_KEY], &w.october_envelope);
    let [seller_key, buyer_key, other_key] = key_files(dir.path());
    let hash = c.keys.verifying_key().hash_hex();
    deploy_statement_verifier(url, dir.path(), "CreditVerifier", &other_key, "cv.addr", &hash);
    let append = |key: &Path, file: &Path| append_to(url, anchor, key, file);
    let key_agreed = proposal(&d("ck.json"), &c.key_agreed());
    let sla = proposal(&d("sla.json"), &c.sla_agreed());
    for key in [&seller_key, &buyer_key] {
        shown(append(key, &key_agreed).opt("--statement-verifier", d("cv.addr")));
        shown(&mut append(key, &sla));
    }

    // October paid in full, then its credit note: recorded after the payment.
    let reference = "SEPA 2026-11-25 globex/2026-10";
    parties[1]
        .record_payment(october(), 20782, reference)
        .expect("paid");
    let note = proposal(&d("cn.json"), &Proposal::new(c.note_body()));
    let out = shown(&mut append(&seller_key, &note));
    assert!(
        out.contains("after the invoice's payment: not applied to it, carried forward"),
        "{out}"
    );

    // November anchored; the note carried to it by both parties.
    let nov = &w.november_envelope;
    for p in &parties {
        p.register_usage(november(), &nov.public_inputs.usage_commitment)
            .expect("registers");
    }
    parties[0]
        .submit_invoice(november(), nov.proof.single().expect("one"), &nov.public_inputs)
        .expect("accepted");
    let (note_env, nov_env) = (
        json(&d("cn.envelope.json"), &c.envelope),
        json(&d("nov.json"), nov),
    );
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
    shown(&mut bill(&nov_env, "nov-early.json"));
    let carry = d("carry.json");
    run_ok(
        zk().args(["anchors", "propose"])
            .opt("--carry", &note_env)
            .opt("--to", &nov_env)
            .opt("--out", &carry),
    );
    let first = shown(&mut append(&seller_key, &carry));
    assert!(
        first.contains("carryCredit sent") && first.contains("waiting for the other party"),
        "{first}"
    );
    let second = shown(&mut append(&buyer_key, &carry));
    assert!(second.contains("carried (both parties proposed it)"), "{second}");
    assert!(shown(&mut append(&buyer_key, &carry)).contains("already carried"));

    // October's bill without the note (refused with it), November's with it (refused without).
    let opening = json(&d("cn.opening.json"), &CreditOpening::of(&c.proved));
    let oct_env = json(&d("oct.json"), &w.october_envelope);
    run_fail(
        bill(&oct_env, "oct-credited.json").opt("--credit", &opening),
        65,
        &["the anchor contract records no credit note of this invoice"],
        &[&d("oct-credited.json")],
    );
    shown(&mut bill(&oct_env, "oct.bill.json"));
    run_fail(
        &mut bill(&nov_env, "nov-plain.json"),
        EXIT_USAGE,
        &["the anchor contract carries credit note", "--carried"],
        &[&d("nov-plain.json")],
    );
    shown(bill(&nov_env, "nov.bill.json").opt("--carried", &opening));
    let text = std::fs::read_to_string(d("nov.bill.json")).expect("written");
    assert!(text.contains("zkCarried"), "{text}");
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
    for file in ["oct.bill.json", "nov.bill.json"] {
        let out = shown(&mut verify(&d(file)));
        assert!(out.contains("valid"), "{file}: {out}");
    }
    // November's bill written before the carry (without the note): refused once it is carried.
    run_fail(&mut verify(&d("nov-early.json")), 1, &["zkCarried"], &[]);
    let out = shown(
        zk().arg("audit")
            .opt("--anchors", url)
            .opt("--contract", anchor.to_string())
            .opt("--vk", d("invoice-S.vk")),
    );
    assert!(
        out.contains("credit notes carried forward: 1") && out.contains("1 credited"),
        "{out}"
    );
}
