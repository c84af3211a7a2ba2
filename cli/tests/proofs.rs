//! `setup`, `prove` and `verify` through the binary: the flow, exit codes and refusals.

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

const EXIT_INVALID: i32 = 1;
const EXIT_KEY_MISMATCH: i32 = 3;

fn prove(w: &World, usage: &str, commit: &str, state: &str, number: &str) -> assert_cmd::Command {
    prove_with(w, &w.p("params"), usage, commit, state, number)
}

fn prove_with(
    w: &World,
    params: &Path,
    usage: &str,
    commit: &str,
    state: &str,
    number: &str,
) -> assert_cmd::Command {
    let mut c = zk();
    c.args(["prove", "--aggregate-days", "7"])
        .opt("--params", params)
        .opt("--msa", example("msa.json"))
        .opt("--msa-commit", w.p("msa.commit.json"))
        .opt("--usage", example(usage))
        .opt("--period", if usage.contains("-10") { OCTOBER } else { NOVEMBER })
        .opt("--usage-commit", w.p(commit))
        .opt("--state", w.p(state))
        .opt("--invoice-number", number);
    c
}

fn verify(w: &World, envelope: &Path) -> assert_cmd::Command {
    verify_with(w, envelope, "usage-10.commit.json", "state-0.json")
}

fn verify_with(w: &World, envelope: &Path, usage_commit: &str, state: &str) -> assert_cmd::Command {
    let mut c = zk_verify();
    c.opt("--vk", w.p("params/invoice-S.vk"))
        .opt("--envelope", envelope)
        .opt("--msa-commit", w.p("msa.commit.json"))
        .opt("--usage-commit", w.p(usage_commit))
        .opt("--state", w.p(state));
    c
}

fn edited_envelope(w: &World, name: &str, f: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v: Value = serde_json::from_str(&fs::read_to_string(w.p("env-10.json")).unwrap()).unwrap();
    f(&mut v);
    let p = w.p(name);
    fs::write(&p, serde_json::to_string(&v).unwrap()).unwrap();
    p
}

/// Swaps the A and C points of an envelope's proof: a well-formed proof, of nothing.
fn swap_proof_points(v: &mut Value) {
    let proof = zkinvoice_verifier::InvoiceProof::from_base64(v["proof"].as_str().unwrap()).unwrap();
    let mut bytes = proof.to_bytes();
    let (a, rest) = bytes.split_at_mut(48);
    a.swap_with_slice(&mut rest[96..144]);
    let swapped = zkinvoice_verifier::InvoiceProof::from_bytes(&bytes).unwrap();
    v["proof"] = swapped.to_base64().into();
}

#[test]
fn a_proved_invoice_verifies_against_the_agreed_commitments() {
    let w = world();
    let out = run_ok(&mut verify(w, &w.p("env-10.json")));
    assert!(
        out.starts_with("valid: invoice INV-10") && out.contains("30776.46 USD"),
        "{out}"
    );
    let env: Value = serde_json::from_str(&fs::read_to_string(w.p("env-10.json")).unwrap()).unwrap();
    assert_eq!(env["scheme"], "groth16-bls12-381");
    assert_eq!(env["shape"], "S");
    assert_eq!(env["proof"].as_str().unwrap().len(), 256, "192 bytes in base64");
    let manifest: Value =
        serde_json::from_str(&fs::read_to_string(w.p("params/invoice-S.json")).unwrap()).unwrap();
    assert_eq!(env["vkHash"], manifest["verifyingKey"]["sha256"]);
}

#[test]
fn a_changed_invoice_or_another_anchor_is_invalid() {
    let w = world();
    // An amount raised with subtotal and total re-balanced: the proof no longer covers it.
    let raised = edited_envelope(w, "raised.json", |v| {
        v["invoice"]["lines"][0]["amount"] = "2355.36".into();
        v["invoice"]["subtotal"] = "28268.70".into();
        v["invoice"]["total"] = "30777.46".into();
    });
    run_fail(
        &mut verify(w, &raised),
        EXIT_INVALID,
        &["does not open the proven invoice commitment"],
        &[],
    );
    // An amount that makes the invoice inconsistent.
    let broken = edited_envelope(w, "broken.json", |v| v["invoice"]["total"] = "1.00".into());
    run_fail(
        &mut verify(w, &broken),
        EXIT_INVALID,
        &["not subtotal plus tax"],
        &[],
    );
    // Another proof than the invoice's (a well-formed one: its A and C points swapped).
    let swapped = edited_envelope(w, "swapped.json", swap_proof_points);
    run_fail(&mut verify(w, &swapped), EXIT_INVALID, &["does not verify"], &[]);
    // The right envelope against another agreed state or usage.
    run_fail(
        &mut verify_with(w, &w.p("env-10.json"), "usage-10.commit.json", "state-1.json"),
        EXIT_INVALID,
        &["state before"],
        &[],
    );
    run_fail(
        &mut verify_with(w, &w.p("env-10.json"), "usage-11.commit.json", "state-0.json"),
        EXIT_INVALID,
        &["usage commitment"],
        &[],
    );
}

#[test]
fn another_key_malformed_or_missing_files_have_their_own_exit_codes() {
    let w = world();
    let other = TempDir::new().unwrap();
    run_ok(zk().args(["setup", "--shape", "S"]).opt("--params", other.path()));
    run_fail(
        zk_verify()
            .opt("--vk", other.path().join("invoice-S.vk"))
            .opt("--envelope", w.p("env-10.json")),
        EXIT_KEY_MISMATCH,
        &["key mismatch"],
        &[],
    );
    let garbage = w.p("garbage.json");
    fs::write(&garbage, "{ not json").unwrap();
    run_fail(
        &mut verify(w, &garbage),
        EXIT_DATA,
        &["garbage.json", "malformed JSON"],
        &[],
    );
    let bad_proof = edited_envelope(w, "bad-proof.json", |v| v["proof"] = "AAAA".into());
    run_fail(
        &mut verify(w, &bad_proof),
        EXIT_DATA,
        &["bad-proof.json", "proof"],
        &[],
    );
    run_fail(
        zk_verify()
            .opt("--vk", w.p("params/nothing.vk"))
            .opt("--envelope", w.p("env-10.json")),
        EXIT_NO_INPUT,
        &["nothing.vk"],
        &[],
    );
    // Setup refuses to replace keys without --force.
    run_fail(
        zk().args(["setup", "--shape", "S"])
            .opt("--params", w.p("params")),
        EXIT_CANT_CREATE,
        &["invoice-S", "--force"],
        &[],
    );
}

#[test]
fn proving_refuses_inputs_that_do_not_belong_together() {
    let w = world();
    let out = w.p("refused.json");
    // November's usage with October's agreed commitment.
    run_fail(
        prove(
            w,
            "usage-2026-11.csv",
            "usage-10.commit.json",
            "state-1.json",
            "X",
        )
        .opt("--out", &out),
        EXIT_DATA,
        &["agreed usage commitment"],
        &[&out],
    );
    // The raw CDRs do not fit shape S.
    let mut raw = zk();
    raw.arg("prove")
        .opt("--params", w.p("params"))
        .opt("--msa", example("msa.json"))
        .opt("--msa-commit", w.p("msa.commit.json"))
        .opt("--usage", example("usage-2026-10.json"))
        .opt("--usage-commit", w.p("usage-10.commit.json"))
        .opt("--state", w.p("state-0.json"))
        .opt("--invoice-number", "X")
        .opt("--out", &out);
    run_fail(
        &mut raw,
        EXIT_DATA,
        &["992 usage records (at most 64)", "shape M"],
        &[&out],
    );
    // Keys that are not there say how to make them; a truncated key is refused.
    let empty = TempDir::new().unwrap();
    run_fail(
        prove_with(
            w,
            empty.path(),
            "usage-2026-10.json",
            "usage-10.commit.json",
            "state-0.json",
            "X",
        )
        .opt("--out", &out),
        EXIT_DATA,
        &["invoice-S.json", "zkinvoice setup --shape S"],
        &[&out],
    );
    let damaged = TempDir::new().unwrap();
    for f in ["invoice-S.json", "invoice-S.vk", "invoice-S.pk", "invoice-S.r1cs"] {
        fs::copy(w.p(&format!("params/{f}")), damaged.path().join(f)).unwrap();
    }
    let pk = damaged.path().join("invoice-S.pk");
    let bytes = fs::read(&pk).unwrap();
    fs::write(&pk, &bytes[..bytes.len() - 1]).unwrap();
    run_fail(
        prove_with(
            w,
            damaged.path(),
            "usage-2026-10.json",
            "usage-10.commit.json",
            "state-0.json",
            "X",
        )
        .opt("--out", &out),
        EXIT_DATA,
        &["invoice-S.pk", "truncated"],
        &[&out],
    );
    // The matrices are read from their file beside the key, and checked: a changed byte is
    // refused; without the file they are synthesised and the proof is the same statement's.
    fs::write(&pk, &bytes).unwrap();
    let matrices = damaged.path().join("invoice-S.r1cs");
    let mut r1cs = fs::read(&matrices).unwrap();
    let middle = r1cs.len() / 2;
    r1cs[middle] ^= 1;
    fs::write(&matrices, &r1cs).unwrap();
    let prove_damaged = || {
        let mut c = prove_with(
            w,
            damaged.path(),
            "usage-2026-10.json",
            "usage-10.commit.json",
            "state-0.json",
            "X",
        );
        c.opt("--out", &out);
        c
    };
    run_fail(&mut prove_damaged(), EXIT_DATA, &["invoice-S.r1cs"], &[&out]);
    fs::remove_file(&matrices).unwrap();
    prove_damaged().assert().success();
    verify(w, &out).assert().success();
}

#[test]
fn a_batch_directory_is_proved_in_parallel() {
    let w = world();
    let batch = TempDir::new().unwrap();
    for (name, usage, commit, period, number) in [
        (
            "october",
            "usage-2026-10.json",
            "usage-10.commit.json",
            OCTOBER,
            "B-10",
        ),
        (
            "november",
            "usage-2026-11.csv",
            "usage-11.commit.json",
            NOVEMBER,
            "B-11",
        ),
    ] {
        let job = serde_json::json!({
            "msa": example("msa.json"),
            "msaCommit": w.p("msa.commit.json"),
            "usage": example(usage),
            "usageCommit": w.p(commit),
            "period": period,
            "aggregateDays": 7,
            "state": w.p("state-0.json"),
            "invoiceNumber": number,
        });
        fs::write(batch.path().join(format!("{name}.job.json")), job.to_string()).unwrap();
    }
    let out = run_ok(
        zk().args(["prove"])
            .opt("--params", w.p("params"))
            .opt("--batch", batch.path()),
    );
    assert!(out.contains("2 proved, 0 failed"), "{out}");
    for name in ["october", "november"] {
        let env = batch.path().join(format!("{name}.envelope.json"));
        run_ok(
            zk_verify()
                .opt("--vk", w.p("params/invoice-S.vk"))
                .opt("--envelope", &env),
        );
        assert!(batch.path().join(format!("{name}.state-after.json")).exists());
    }
    // A bad job is reported and the others still proved; the exit code says some failed.
    fs::write(batch.path().join("broken.job.json"), "{}").unwrap();
    let cmd = zk()
        .args(["prove", "--force"])
        .opt("--params", w.p("params"))
        .opt("--batch", batch.path())
        .output()
        .unwrap();
    assert_eq!(cmd.status.code(), Some(EXIT_DATA));
    let stderr = String::from_utf8_lossy(&cmd.stderr);
    assert!(stderr.contains("broken.job.json"), "{stderr}");
    assert!(String::from_utf8_lossy(&cmd.stdout).contains("2 proved, 1 failed"));
}

#[test]
fn several_envelopes_are_verified_in_one_batch_naming_the_invalid() {
    let w = world();
    let swapped = edited_envelope(w, "batch-swapped.json", swap_proof_points);
    let raised = edited_envelope(w, "batch-raised.json", |v| {
        v["invoice"]["lines"][0]["amount"] = "2355.36".into();
        v["invoice"]["subtotal"] = "28268.70".into();
        v["invoice"]["total"] = "30777.46".into();
    });
    let env = w.p("env-10.json");
    let mut all = zk_verify();
    all.opt("--vk", w.p("params/invoice-S.vk"))
        .opt("--msa-commit", w.p("msa.commit.json"));
    all.arg("--envelope").args([&env, &swapped, &env, &raised]);
    let out = all.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(EXIT_INVALID), "{stdout}");
    assert!(stdout.contains("2 valid, 2 invalid, of 4 envelopes"), "{stdout}");
    assert!(
        stdout.contains("batch-swapped.json: the proof does not verify"),
        "{stdout}"
    );
    assert!(
        stdout.contains("batch-raised.json: invalid: the invoice does not open"),
        "{stdout}"
    );
    let ok = run_ok(
        zk_verify()
            .opt("--vk", w.p("params/invoice-S.vk"))
            .arg("--envelope")
            .args([&env, &env]),
    );
    assert!(ok.contains("2 valid, 0 invalid"), "{ok}");
    // Per-envelope anchors do not apply to several envelopes.
    run_fail(
        zk_verify()
            .opt("--vk", w.p("params/invoice-S.vk"))
            .opt("--state", w.p("state-0.json"))
            .arg("--envelope")
            .args([&env, &env]),
        EXIT_USAGE,
        &["--state"],
        &[],
    );
}

#[test]
fn two_copies_of_the_anchor_log_agree_and_refuse_what_breaks_the_rules() {
    let w = world();
    let d = TempDir::new().unwrap();
    let p = |n: &str| d.path().join(n);
    for party in ["seller", "buyer", "mallory"] {
        run_ok(zk().args(["keygen", "--party", party]).opt("--dir", d.path()));
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(p("seller.key")).unwrap().permissions().mode() & 0o777,
        0o600
    );
    run_fail(
        zk().args(["keygen", "--party", "seller"]).opt("--dir", d.path()),
        EXIT_CANT_CREATE,
        &["seller"],
        &[],
    );
    for db in ["seller.db", "buyer.db"] {
        run_ok(&mut anchors(&[
            &"init",
            &"--anchors",
            &p(db),
            &"--seller",
            &p("seller.pub"),
            &"--buyer",
            &p("buyer.pub"),
        ]));
    }
    let sign_append = |proposal: &Path, signers: &[(&str, &str)]| {
        for (key, role) in signers {
            run_ok(&mut anchors(&[
                &"sign",
                &"--proposal",
                &proposal,
                &"--key",
                &p(&format!("{key}.key")),
                &"--role",
                role,
            ]));
        }
        run_ok(&mut anchors(&[
            &"append",
            &"--anchors",
            &p("seller.db"),
            &"--proposal",
            &proposal,
        ]));
    };
    let both = [("seller", "seller"), ("buyer", "buyer")];
    run_ok(&mut anchors(&[
        &"propose",
        &"--msa-commit",
        &w.p("msa.commit.json"),
        &"--vk",
        &w.p("params/invoice-S.vk"),
        &"--single-party-setup",
        &"--out",
        &p("msa.json"),
    ]));
    sign_append(&p("msa.json"), &both);
    run_ok(&mut anchors(&[
        &"propose",
        &"--usage-commit",
        &w.p("usage-10.commit.json"),
        &"--out",
        &p("u10.json"),
    ]));
    sign_append(&p("u10.json"), &both);
    // The buyer cannot check the invoice before the usage is anchored in its copy.
    run_fail(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--envelope", w.p("env-10.json")),
        EXIT_INVALID,
        &["not anchored"],
        &[],
    );
    run_ok(&mut anchors(&[
        &"propose",
        &"--envelope",
        &w.p("env-10.json"),
        &"--out",
        &p("inv.json"),
    ]));
    // A buyer's signature as the seller is refused, and nothing is written.
    let forged = p("forged.json");
    fs::copy(p("inv.json"), &forged).unwrap();
    run_ok(&mut anchors(&[
        &"sign",
        &"--proposal",
        &forged,
        &"--key",
        &p("mallory.key"),
        &"--role",
        &"seller",
    ]));
    run_fail(
        &mut anchors(&[&"append", &"--anchors", &p("seller.db"), &"--proposal", &forged]),
        EXIT_DATA,
        &["signatures"],
        &[],
    );
    sign_append(&p("inv.json"), &[("seller", "seller")]);
    // Replaying the invoice is refused.
    run_fail(
        &mut anchors(&[
            &"append",
            &"--anchors",
            &p("seller.db"),
            &"--proposal",
            &p("inv.json"),
        ]),
        EXIT_DATA,
        &["already anchored"],
        &[],
    );
    // Exchange: the buyer imports, verifies against its own copy, accepts; the seller imports back.
    run_ok(&mut anchors(&[
        &"export",
        &"--anchors",
        &p("seller.db"),
        &"--out",
        &p("seller.jsonl"),
    ]));
    let imported = run_ok(&mut anchors(&[
        &"import",
        &"--anchors",
        &p("buyer.db"),
        &"--from",
        &p("seller.jsonl"),
    ]));
    assert!(imported.contains("3 entries appended"), "{imported}");
    let valid = run_ok(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--envelope", w.p("env-10.json")),
    );
    assert!(valid.starts_with("valid: invoice INV-10"), "{valid}");
    // The same invoice as an MEF 141 bill, checked against the buyer's copy; edited, it is invalid.
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", p("bill.json")),
    );
    let valid = run_ok(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--payload", p("bill.json")),
    );
    assert!(valid.starts_with("valid: bill INV-10"), "{valid}");
    let mut edited = read_json(&p("bill.json"));
    edited["customerBillItem"][0]["unitQuantity"] = serde_json::json!(1);
    fs::write(p("edited.json"), edited.to_string()).unwrap();
    run_fail(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--payload", p("edited.json")),
        EXIT_INVALID,
        &["edited.json", "invalid"],
        &[],
    );
    run_ok(&mut anchors(&[
        &"propose",
        &"--accept",
        &w.p("env-10.json"),
        &"--key",
        &p("buyer.key"),
        &"--role",
        &"buyer",
        &"--out",
        &p("acc.json"),
    ]));
    run_ok(&mut anchors(&[
        &"append",
        &"--anchors",
        &p("buyer.db"),
        &"--proposal",
        &p("acc.json"),
    ]));
    run_ok(&mut anchors(&[
        &"export",
        &"--anchors",
        &p("buyer.db"),
        &"--out",
        &p("buyer.jsonl"),
    ]));
    run_ok(&mut anchors(&[
        &"import",
        &"--anchors",
        &p("seller.db"),
        &"--from",
        &p("buyer.jsonl"),
    ]));
    // The Buyer pays October (from its bill), the Seller receives the payment (from its
    // envelope); a receipt under another reference is refused, and nothing is written.
    let settle = |flag: &str, file: PathBuf, reference: &str, on: &str, party: &str, out: &str| {
        run_ok(&mut anchors(&[
            &"propose",
            &flag,
            &file,
            &"--reference",
            &reference,
            &"--on",
            &on,
            &"--key",
            &p(&format!("{party}.key")),
            &"--role",
            &party,
            &"--out",
            &p(out),
        ]))
    };
    let append =
        |db: &str, proposal: &str| anchors(&[&"append", &"--anchors", &p(db), &"--proposal", &p(proposal)]);
    // One copy's entries into the other (`anchors export`, `anchors import`).
    let copy = |from: &str, to: &str| {
        let export = p(&format!("{from}.jsonl"));
        run_ok(&mut anchors(&[
            &"export",
            &"--anchors",
            &p(from),
            &"--out",
            &export,
        ]));
        run_ok(&mut anchors(&[
            &"import",
            &"--anchors",
            &p(to),
            &"--from",
            &export,
        ]));
    };
    settle(
        "--paid",
        p("bill.json"),
        "SEPA 42",
        "2026-12-01",
        "buyer",
        "paid.json",
    );
    run_ok(&mut append("buyer.db", "paid.json"));
    copy("buyer.db", "seller.db");
    settle(
        "--received",
        w.p("env-10.json"),
        "SEPA 43",
        "2026-12-03",
        "seller",
        "other.json",
    );
    run_fail(
        &mut append("seller.db", "other.json"),
        EXIT_DATA,
        &["reference \"SEPA 43\" is not the payment's (\"SEPA 42\""],
        &[],
    );
    settle(
        "--received",
        w.p("env-10.json"),
        "SEPA 42",
        "2026-12-03",
        "seller",
        "rec.json",
    );
    run_ok(&mut append("seller.db", "rec.json"));
    copy("seller.db", "buyer.db");
    for db in ["seller.db", "buyer.db"] {
        let ok = run_ok(&mut anchors(&[&"verify", &"--anchors", &p(db)]));
        assert!(ok.contains("6 entries, 1 MSAs, 1 proofs"), "{ok}");
        let audit = run_ok(zk().arg("audit").opt("--anchors", p(db)));
        assert!(audit.contains("clean"), "{audit}");
        assert!(
            audit.contains(
                "settlement: accepted invoices 1, credited 0, netted 0, paid 1, received 1; nets 0, paid 0, received 0"
            ),
            "{audit}"
        );
    }
    // The Seller writes the bill settled from its log; the Buyer's check takes it against its
    // log, and refuses it without one (nothing else says it was paid).
    let out = run_ok(
        zk().arg("invoice")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--anchors", p("seller.db"))
            .opt("--out", p("settled.json")),
    );
    assert!(out.contains("settled by payment \"SEPA 42\""), "{out}");
    let valid = run_ok(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--payload", p("settled.json")),
    );
    assert!(valid.starts_with("valid: bill INV-10"), "{valid}");
    run_fail(
        zk_verify()
            .opt("--vk", w.p("params/invoice-S.vk"))
            .opt("--payload", p("settled.json")),
        EXIT_INVALID,
        &["appliedPayment", "only the anchor log can say so"],
        &[],
    );
    // A copy of another bilateral history diverges at entry 1: the import is refused whole.
    run_ok(&mut anchors(&[
        &"init",
        &"--anchors",
        &p("other.db"),
        &"--seller",
        &p("seller.pub"),
        &"--buyer",
        &p("buyer.pub"),
    ]));
    run_ok(&mut anchors(&[
        &"propose",
        &"--usage-commit",
        &w.p("usage-11.commit.json"),
        &"--out",
        &p("u11.json"),
    ]));
    let mut other = anchors(&[
        &"propose",
        &"--msa-commit",
        &w.p("msa.commit.json"),
        &"--vk",
        &w.p("params/invoice-S.vk"),
        &"--single-party-setup",
        &"--out",
        &p("msa2.json"),
    ]);
    run_ok(&mut other);
    for (key, role) in both {
        run_ok(&mut anchors(&[
            &"sign",
            &"--proposal",
            &p("msa2.json"),
            &"--key",
            &p(&format!("{key}.key")),
            &"--role",
            &role,
        ]));
        run_ok(&mut anchors(&[
            &"sign",
            &"--proposal",
            &p("u11.json"),
            &"--key",
            &p(&format!("{key}.key")),
            &"--role",
            &role,
        ]));
    }
    run_ok(&mut anchors(&[
        &"append",
        &"--anchors",
        &p("other.db"),
        &"--proposal",
        &p("msa2.json"),
    ]));
    run_ok(&mut anchors(&[
        &"append",
        &"--anchors",
        &p("other.db"),
        &"--proposal",
        &p("u11.json"),
    ]));
    run_ok(&mut anchors(&[
        &"export",
        &"--anchors",
        &p("other.db"),
        &"--out",
        &p("other.jsonl"),
    ]));
    run_fail(
        &mut anchors(&[
            &"import",
            &"--anchors",
            &p("buyer.db"),
            &"--from",
            &p("other.jsonl"),
        ]),
        EXIT_DATA,
        &["diverge at entry 2"],
        &[],
    );
    let still = run_ok(&mut anchors(&[&"verify", &"--anchors", &p("buyer.db")]));
    assert!(still.contains("6 entries"), "{still}");
}
