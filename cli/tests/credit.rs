//! SLA credits from the command line (issue 16 step 4): `sla commit` commits a period's SLA
//! performance against the MSA; `credit` prints the credit note of an invoice (per product the
//! band its availability falls in and the credit) and with `--prove` proves it, the envelope
//! naming no amount and the opening holding the note; `anchors propose` drafts `sla-agreed` and
//! `credit-note` from their files. Records that are not the MSA's, of another period or
//! malformed are refused naming the file and the field (exit 65).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;
use zkinvoice_prover::credit::CreditEnvelope;
use zkinvoice_testkit::credited::credited;

/// December's SLA performance of the example's two products with service levels.
fn sla(dir: &Path, name: &str, eline: &str, start: &str) -> PathBuf {
    let path = dir.join(name);
    let text = format!(
        r#"{{ "period": {{ "start": "{start}", "end": "2027-01-01" }}, "records": [
            {{ "product": "ip-transit", "availabilityPercent": "99.95" }},
            {{ "product": "eline-ovc-1g", "availabilityPercent": "{eline}" }} ] }}"#
    );
    std::fs::write(&path, text).expect("written");
    path
}

/// The MSA committed at shape S and December's invoice rated from its `state_0`, in `dir`.
fn rated(dir: &Path) -> (PathBuf, PathBuf) {
    let (msa, state, out) = (
        dir.join("msa.commit.json"),
        dir.join("s0.json"),
        dir.join("INV-12.json"),
    );
    run_ok(
        zk().args(["msa", "commit"])
            .opt("--msa", example("msa.json"))
            .opt("--shape", "S")
            .opt("--out", &msa)
            .opt("--state-out", &state),
    );
    run_ok(
        zk().arg("rate")
            .opt("--msa", example("msa.json"))
            .opt("--usage", example("usage-2026-12.json"))
            .opt("--aggregate-days", "7")
            .opt("--state", &state)
            .opt("--invoice-number", "INV-12")
            .opt("--out", &out),
    );
    (msa, out)
}

#[test]
fn credit_prints_the_note_proves_it_and_drafts_its_entries() {
    let dir = TempDir::new().expect("dir");
    let d = dir.path();
    let (msa_commit, invoice) = rated(d);
    let records = sla(d, "sla-12.json", "99.42", "2026-12-01");
    let sla_commit = d.join("sla.commit.json");
    run_ok(
        zk().args(["sla", "commit"])
            .opt("--msa", example("msa.json"))
            .opt("--msa-commit", &msa_commit)
            .opt("--sla", &records)
            .opt("--out", &sla_commit),
    );
    let doc = read_json(&sla_commit);
    assert_eq!(
        (doc["shape"].as_str(), doc["period"]["start"].as_str()),
        (Some("S"), Some("2026-12-01"))
    );

    let credit = || {
        let mut c = zk();
        c.arg("credit")
            .opt("--msa", example("msa.json"))
            .opt("--invoice", &invoice)
            .opt("--sla", &records);
        c
    };
    let out = run_ok(&mut credit());
    assert!(
        out.contains("CN-INV-12 credits INV-12 (2026-12-01..2027-01-01), northwind-carrier to globex-cloud")
            && out.contains(
                "eline-ovc-1g         availability 99.4200 %, credit 25.0000 % of 4350.00 = 1087.50"
            )
            && out.contains("ip-transit           availability 99.9500 %, no credit")
            && out.contains("subtotal 1087.50, tax 96.52, total 1184.02 USD"),
        "{out}"
    );

    // Proved with the keys of shape S: the envelope verifies and names no amount; the opening
    // holds the note.
    let params = d.join("params");
    zkinvoice_testkit::keycache::copy_files(&credited().key_files, &params);
    let (env, opening) = (d.join("credit.json"), d.join("credit.opening.json"));
    run_ok(
        credit()
            .opt("--number", "CN-7")
            .opt("--issued", "2027-01-05")
            .opt("--prove", &env)
            .opt("--msa-commit", &msa_commit)
            .opt("--sla-commit", &sla_commit)
            .opt("--opening", &opening)
            .opt("--params", &params),
    );
    let text = std::fs::read_to_string(&env).expect("envelope");
    assert!(
        [118_402, 108_750, 9_652]
            .iter()
            .all(|a| !states_amount(&text, *a)),
        "{text}"
    );
    let e: CreditEnvelope = serde_json::from_str(&text).expect("a credit envelope");
    e.verify(&credited().keys.verifying_key().prepare())
        .expect("verifies");
    assert_eq!(
        e.public_inputs.sla_commitment,
        doc["commitment"]
            .as_str()
            .map(|c| zkinvoice_verifier::fr_from_hex(c).unwrap())
            .unwrap()
    );
    let o = read_json(&opening);
    assert_eq!(
        (o["number"].as_str(), o["issueDate"].as_str(), o["total"].as_str()),
        (Some("CN-7"), Some("2027-01-05"), Some("1184.02"))
    );

    // The entries: sla-agreed and credit-note.
    for (flag, file, kind) in [
        ("--sla-commit", &sla_commit, "sla-agreed proposal"),
        ("--credit-note", &env, "credit-note proposal"),
    ] {
        let out = run_ok(
            zk().args(["anchors", "propose"])
                .opt(flag, file)
                .opt("--out", d.join("p.json"))
                .arg("--force"),
        );
        assert!(out.contains(kind), "{out}");
    }
    let schema = run_ok(zk().args(["schema", "sla"]));
    assert!(schema.contains("availabilityPercent"), "{schema}");
}

#[test]
fn records_not_of_the_msa_or_the_period_are_refused_naming_the_file() {
    let dir = TempDir::new().expect("dir");
    let d = dir.path();
    let (msa_commit, invoice) = rated(d);
    // A product measured that has no service level.
    let bad = d.join("bad.json");
    std::fs::write(
        &bad,
        r#"{ "period": { "start": "2026-12-01", "end": "2027-01-01" }, "records": [
            { "product": "ip-transit", "availabilityPercent": "99.95" },
            { "product": "eline-ovc-1g", "availabilityPercent": "99" },
            { "product": "voice-termination", "availabilityPercent": "99" } ] }"#,
    )
    .unwrap();
    let out = d.join("sla.commit.json");
    run_fail(
        zk().args(["sla", "commit"])
            .opt("--msa", example("msa.json"))
            .opt("--msa-commit", &msa_commit)
            .opt("--sla", &bad)
            .opt("--out", &out),
        65,
        &["bad.json", "records[2].product", "has no service level"],
        &[&out],
    );
    // An availability above 100 percent.
    let over = sla(d, "over.json", "100.01", "2026-12-01");
    run_fail(
        zk().arg("credit")
            .opt("--msa", example("msa.json"))
            .opt("--invoice", &invoice)
            .opt("--sla", &over),
        65,
        &["over.json", "records[1].availabilityPercent"],
        &[],
    );
    // Records of another period than the invoice's.
    let other = sla(d, "other.json", "99", "2026-12-02");
    run_fail(
        zk().arg("credit")
            .opt("--msa", example("msa.json"))
            .opt("--invoice", &invoice)
            .opt("--sla", &other),
        65,
        &["other.json", "sla.period"],
        &[],
    );
    // --prove without the SLA commitment's salt.
    let ok = sla(d, "ok.json", "99", "2026-12-01");
    let env = d.join("env.json");
    let stderr = zk()
        .arg("credit")
        .opt("--msa", example("msa.json"))
        .opt("--invoice", &invoice)
        .opt("--sla", &ok)
        .opt("--prove", &env)
        .output()
        .expect("runs");
    assert_eq!(stderr.status.code(), Some(2), "{stderr:?}");
    assert!(!env.exists());
}

/// `invoice --anchors` of a credited invoice applies its credit note (`--credit`, the opening),
/// which the log must record and the opening open; without the opening, or with one that does
/// not open the anchored note, it writes nothing.
#[test]
fn invoice_applies_the_anchored_credit_note() {
    use zkinvoice_anchors::{Body, Proposal, Role};
    use zkinvoice_prover::credit::CreditOpening;
    let (w, c) = (zkinvoice_testkit::bilateral::bilateral(), credited());
    let dir = TempDir::new().expect("dir");
    let d = |x: &str| dir.path().join(x);
    let log = w.log(&d("seller.db"));
    log.append(w.october_proved.clone()).expect("october");
    let p = &w.october_envelope.public_inputs;
    log.append(
        Proposal::new(Body::InvoiceAccepted {
            msa_commitment: p.msa_commitment,
            invoice_commitment: p.invoice_commitment,
        })
        .signed(Role::Buyer, &w.buyer),
    )
    .expect("accepted");
    for e in [c.key_agreed(), c.sla_agreed()] {
        log.append(e).expect("appended");
    }
    log.append(Proposal::new(c.note_body()).signed(Role::Seller, &w.seller))
        .expect("credited");
    drop(log);
    std::fs::write(d("env.json"), serde_json::to_string(&w.october_envelope).unwrap()).unwrap();
    let opening = CreditOpening::of(&c.proved);
    std::fs::write(d("note.json"), serde_json::to_string(&opening).unwrap()).unwrap();
    let mut forged = opening.clone();
    forged.total = "1.00".into();
    std::fs::write(d("forged.json"), serde_json::to_string(&forged).unwrap()).unwrap();
    let invoice = |out: &Path| {
        let mut cmd = zk();
        cmd.arg("invoice")
            .opt("--envelope", d("env.json"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", d("seller.db"))
            .opt("--out", out);
        cmd
    };
    let out = d("bill.json");
    run_ok(invoice(&out).opt("--credit", d("note.json")));
    let bill = read_json(&out);
    assert_eq!(bill["zkCredit"]["total"].as_str(), Some(opening.total.as_str()));
    assert_eq!(bill["credits"]["value"].to_string(), opening.total);
    let none = d("none.json");
    run_fail(&mut invoice(&none), 2, &["--credit"], &[&none]);
    run_fail(
        invoice(&none).opt("--credit", d("forged.json")),
        65,
        &["forged.json", "do not open the credit commitment"],
        &[&none],
    );
}

/// A credit note recorded after its invoice was paid is carried to the next invoice: `anchors
/// propose --carry NOTE --to INVOICE` drafts `credit-carried`, signed by both; `invoice
/// --anchors` writes October's bill settled in full (no `--credit`: the note is carried) and
/// November's with the note (`--carried`, required once the log carries it), which `verify
/// --anchors` accepts; the audit counts the note carried.
#[test]
fn a_note_after_the_payment_is_carried_to_the_next_invoice() {
    use zkinvoice_anchors::{Body, Proposal, Role};
    use zkinvoice_prover::credit::CreditOpening;
    let (w, c) = (zkinvoice_testkit::bilateral::bilateral(), credited());
    let dir = TempDir::new().expect("dir");
    let d = |x: &str| dir.path().join(x);
    let log = w.log(&d("seller.db"));
    let msa_commitment = w.msa_commitment.0;
    let oct = w.october_envelope.public_inputs.invoice_commitment;
    let reference = "SEPA 2026-12-01 INV-10";
    let entries = [
        w.october_proved.clone(),
        Proposal::new(Body::InvoiceAccepted {
            msa_commitment,
            invoice_commitment: oct,
        })
        .signed(Role::Buyer, &w.buyer),
        Proposal::new(Body::Payment {
            msa_commitment,
            invoice_commitment: oct,
            paid_on: "2026-12-01".into(),
            reference: reference.into(),
        })
        .signed(Role::Buyer, &w.buyer),
        Proposal::new(Body::PaymentReceived {
            msa_commitment,
            invoice_commitment: oct,
            received_on: "2026-12-01".into(),
            reference: reference.into(),
        })
        .signed(Role::Seller, &w.seller),
        c.key_agreed(),
        c.sla_agreed(),
        Proposal::new(c.note_body()).signed(Role::Seller, &w.seller),
        w.november_proved.clone(),
    ];
    for e in entries {
        log.append(e).expect("appended");
    }
    drop(log);
    w.seller.write_file(&d("seller.key")).expect("key");
    w.buyer.write_file(&d("buyer.key")).expect("key");
    let write = |name: &str, v: String| std::fs::write(d(name), v).expect("written");
    write("oct.json", serde_json::to_string(&w.october_envelope).unwrap());
    write("nov.json", serde_json::to_string(&w.november_envelope).unwrap());
    write("credit.json", serde_json::to_string(&c.envelope).unwrap());
    let opening = CreditOpening::of(&c.proved);
    write("note.json", serde_json::to_string(&opening).unwrap());
    let invoice = |env: &str, out: &Path| {
        let mut cmd = zk();
        cmd.arg("invoice")
            .opt("--envelope", d(env))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", d("seller.db"))
            .opt("--out", out);
        cmd
    };
    // October: settled in full, the note not applied (it is carried).
    run_ok(&mut invoice("oct.json", &d("oct.bill.json")));
    let bill = read_json(&d("oct.bill.json"));
    assert_eq!(bill["state"].as_str(), Some("settled"));
    assert!(bill.get("zkCredit").is_none(), "{bill}");
    // Not carried yet: --carried is refused.
    let none = d("none.json");
    run_fail(
        invoice("nov.json", &none).opt("--carried", d("note.json")),
        65,
        &["note.json", "carries no such credit note"],
        &[&none],
    );

    // Proposed by the Buyer, signed by the Seller too, appended.
    run_ok(
        zk().args(["anchors", "propose"])
            .opt("--carry", d("credit.json"))
            .opt("--to", d("nov.json"))
            .opt("--role", "buyer")
            .opt("--key", d("buyer.key"))
            .opt("--out", d("carry.json")),
    );
    run_fail(
        zk().args(["anchors", "append"])
            .opt("--anchors", d("seller.db"))
            .opt("--proposal", d("carry.json")),
        65,
        &["credit-carried"],
        &[],
    );
    run_ok(
        zk().args(["anchors", "sign"])
            .opt("--proposal", d("carry.json"))
            .opt("--key", d("seller.key"))
            .opt("--role", "seller"),
    );
    run_ok(
        zk().args(["anchors", "append"])
            .opt("--anchors", d("seller.db"))
            .opt("--proposal", d("carry.json")),
    );
    let audit = run_ok(zk().arg("audit").opt("--anchors", d("seller.db")));
    assert!(audit.contains("credit notes carried forward: 1"), "{audit}");

    // November: the note's opening is required, then applied.
    run_fail(&mut invoice("nov.json", &none), 2, &["--carried"], &[&none]);
    run_ok(invoice("nov.json", &d("nov.bill.json")).opt("--carried", d("note.json")));
    let bill = read_json(&d("nov.bill.json"));
    assert_eq!(
        bill["zkCarried"][0]["total"].as_str(),
        Some(opening.total.as_str())
    );
    assert_eq!(bill["credits"]["value"].to_string(), opening.total);
    let verified = run_ok(
        zk().arg("verify")
            .opt("--payload", d("nov.bill.json"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", d("seller.db")),
    );
    assert!(verified.contains("valid"), "{verified}");
}
