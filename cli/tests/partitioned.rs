//! The partitioned flow (protocol v2) through the `zkinvoice` binary at partition shape PS: keys,
//! commitments, proving every partition in parallel into one envelope, and the Buyer's check of
//! it against the keys' manifest and the agreed commitments; a changed envelope is refused.

mod common;

use std::fs;

use common::*;
use serde_json::Value;
use tempfile::TempDir;
use zkinvoice_verifier::{partition::PartitionedProof, InvoiceProofs};

const EXIT_INVALID: i32 = 1;

/// The partitions of an envelope's JSON (its `proof`, base64 of the partitioned encoding).
fn partitions(env: &Value) -> PartitionedProof {
    let proofs: InvoiceProofs = env["proof"].as_str().unwrap().parse().unwrap();
    proofs.partitioned().expect("partitioned").clone()
}

/// `env` with its partitions changed by `f`.
fn with_partitions(env: &mut Value, f: &dyn Fn(&mut PartitionedProof)) {
    let mut p = partitions(env);
    f(&mut p);
    env["proof"] = Value::String(InvoiceProofs::from(p).to_base64());
}

#[test]
fn a_partitioned_invoice_goes_from_commitments_to_the_buyer_s_verdict() {
    let dir = TempDir::new().unwrap();
    let p = |n: &str| dir.path().join(n);
    let params = p("params");
    let out = run_ok(zk().arg("setup").opt("--shape", "PS").opt("--params", &params));
    assert!(
        out.contains("zkinvoice/block/v2") && out.contains("zkinvoice/link/v2"),
        "{out}"
    );
    let manifest = params.join("partition-PS.json");
    assert!(manifest.exists());

    let msa = example("msa.json");
    run_ok(
        zk().args(["msa", "commit"])
            .opt("--msa", &msa)
            .opt("--shape", "PS")
            .opt("--out", p("msa.commit.json"))
            .opt("--state-out", p("state-0.json")),
    );
    assert_eq!(read_json(&p("msa.commit.json"))["shape"], "PS");
    // October, aggregated per three days: one block (four products) and three chunks of twelve.
    let usage = example("usage-2026-10.json");
    run_ok(
        zk().args(["usage", "commit"])
            .opt("--msa", &msa)
            .opt("--msa-commit", p("msa.commit.json"))
            .opt("--usage", &usage)
            .opt("--aggregate-days", "3")
            .opt("--out", p("usage.commit.json")),
    );
    let out = run_ok(
        zk().arg("prove")
            .opt("--params", &params)
            .opt("--msa", &msa)
            .opt("--msa-commit", p("msa.commit.json"))
            .opt("--usage", &usage)
            .opt("--aggregate-days", "3")
            .opt("--usage-commit", p("usage.commit.json"))
            .opt("--state", p("state-0.json"))
            .opt("--invoice-number", "INV-2026-10")
            .opt("--out", p("env.json"))
            .opt("--state-out", p("state-1.json")),
    );
    assert!(out.contains("1 blocks, 3 chunks and the link proven"), "{out}");
    let env = read_json(&p("env.json"));
    assert_eq!(env["statement"], "zkinvoice/partitioned/v2");
    assert_eq!(partitions(&env).proofs.chunks.len(), 3);

    let verify = |envelope: &std::path::Path| {
        let mut c = zk_verify();
        c.opt("--envelope", envelope)
            .opt("--vk", &manifest)
            .opt("--msa-commit", p("msa.commit.json"))
            .opt("--usage-commit", p("usage.commit.json"))
            .opt("--state", p("state-0.json"));
        c
    };
    let out = run_ok(&mut verify(&p("env.json")));
    assert!(
        out.contains("valid") && out.contains("1 blocks, 3 chunks and the link verified"),
        "{out}"
    );

    // Changed envelopes are refused, naming what does not hold.
    let changed = |name: &str, f: &dyn Fn(&mut Value)| {
        let mut v = env.clone();
        f(&mut v);
        let path = p(name);
        fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
        path
    };
    let swapped = changed("swapped.json", &|v| {
        with_partitions(v, &|p| p.proofs.chunks.swap(0, 2));
    });
    run_fail(
        &mut verify(&swapped),
        EXIT_INVALID,
        &["chunk 0, chunk 2", "do not verify"],
        &[],
    );
    let share = changed("share.json", &|v| {
        with_partitions(v, &|p| p.public.y[1] = p.public.y[2]);
    });
    run_fail(&mut verify(&share), EXIT_INVALID, &["aggregation"], &[]);
    let sizes = changed("sizes.json", &|v| {
        with_partitions(v, &|p| p.public.sizes.chunk_records = 1023);
    });
    run_fail(
        &mut verify(&sizes),
        EXIT_INVALID,
        &["proof", "not partition shape PS"],
        &[],
    );
    // Several envelopes: each checked, the partitioned ones each verified as one batch.
    let mut all = zk_verify();
    all.opt("--vk", &manifest)
        .opt("--msa-commit", p("msa.commit.json"));
    all.arg("--envelope")
        .args([p("env.json"), swapped.clone(), p("env.json"), share.clone()]);
    let out = all.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(EXIT_INVALID), "{stdout}");
    assert!(stdout.contains("2 valid, 2 invalid, of 4 envelopes"), "{stdout}");
    assert!(
        stdout.contains("swapped.json: the proof does not verify"),
        "{stdout}"
    );
    let number = changed("number.json", &|v| {
        v["invoice"]["number"] = Value::String("INV-2026-99".into());
    });
    run_fail(
        &mut verify(&number),
        EXIT_INVALID,
        &["does not open the proven invoice commitment"],
        &[],
    );
    // A work directory: one partition proven alone (as another machine would), then the run that
    // proves the rest and combines; a second run proves nothing and makes the same invoice.
    let work = p("work");
    let prove_in = |out: &str, number: &str| {
        let mut c = zk();
        c.arg("prove")
            .opt("--params", &params)
            .opt("--msa", &msa)
            .opt("--msa-commit", p("msa.commit.json"))
            .opt("--usage", &usage)
            .opt("--aggregate-days", "3")
            .opt("--usage-commit", p("usage.commit.json"))
            .opt("--state", p("state-0.json"))
            .opt("--invoice-number", number)
            .opt("--out", p(out))
            .opt("--work", &work);
        c
    };
    let n = "INV-2026-10";
    let out = run_ok(prove_in("unused.json", n).opt("--partition", "chunk 1"));
    assert!(out.contains("chunk 1 proven into"), "{out}");
    assert!(!p("unused.json").exists(), "no envelope from a single partition");
    assert!(work.join("job.json").exists() && work.join("chunk-1.proof").exists());
    run_ok(&mut prove_in("env-w.json", n));
    run_ok(&mut prove_in("env-w2.json", n));
    let (a, b) = (read_json(&p("env-w.json")), read_json(&p("env-w2.json")));
    assert_eq!(
        a["publicInputs"], b["publicInputs"],
        "the resumed run makes the same invoice"
    );
    assert_eq!(partitions(&a).proofs.chunks[1], partitions(&b).proofs.chunks[1]);
    run_ok(&mut verify(&p("env-w.json")));
    // The work directory is not reused for another invoice number.
    run_fail(
        &mut prove_in("env-x.json", "INV-2026-11"),
        EXIT_DATA,
        &["belongs to other inputs"],
        &[&p("env-x.json")],
    );
    run_fail(
        prove_in("env-y.json", n).opt("--partition", "chunk 7"),
        EXIT_DATA,
        &["no chunk 7"],
        &[],
    );

    // Against the next state: not the agreed state before.
    let mut c = zk_verify();
    c.opt("--envelope", p("env.json"))
        .opt("--vk", &manifest)
        .opt("--state", p("state-1.json"));
    run_fail(&mut c, EXIT_INVALID, &["state before"], &[]);
}

/// A partitioned invoice through the anchor log with the CLI: the MSA anchored with the partition
/// key set (`--vk partition-PS.json`), the usage, the invoice proved (the rules verify every
/// partition); the Buyer's copy checks the envelope and the MEF 141 bill against itself; the audit
/// checks every partition's proof; a changed bill and an envelope of another key are refused.
#[test]
fn a_partitioned_invoice_is_anchored_checked_against_the_log_and_audited() {
    let dir = TempDir::new().unwrap();
    let p = |n: &str| dir.path().join(n);
    let manifest = partitioned_october(dir.path());
    let msa = example("msa.json");
    for party in ["seller", "buyer"] {
        run_ok(zk().args(["keygen", "--party", party]).opt("--dir", dir.path()));
    }
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
    let sign_append = |proposal: &std::path::Path, roles: &[&str]| {
        for role in roles {
            run_ok(&mut anchors(&[
                &"sign",
                &"--proposal",
                &proposal,
                &"--key",
                &p(&format!("{role}.key")),
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
        ]))
    };
    // Keys of `setup` (one party's) are anchored only when both accept a single-party setup.
    let msa_args: [&dyn AsRef<std::ffi::OsStr>; 7] = [
        &"propose",
        &"--msa-commit",
        &p("msa.commit.json"),
        &"--vk",
        &manifest,
        &"--out",
        &p("msa.proposal.json"),
    ];
    run_fail(
        &mut anchors(&msa_args),
        2,
        &["record no multi-party ceremony", "--single-party-setup"],
        &[&p("msa.proposal.json")],
    );
    run_ok(anchors(&msa_args).arg("--single-party-setup"));
    let proposal = read_json(&p("msa.proposal.json"));
    assert!(
        proposal["body"]["vk"]
            .as_str()
            .unwrap()
            .starts_with("emtpbnZvaWNlL3BhcnRpdGlvbi1rZXlzL3Yy"),
        "the key set is anchored: {proposal}"
    );
    assert_eq!(
        proposal["body"]["keySetup"],
        serde_json::json!({"kind": "single-party"}),
        "{proposal}"
    );
    sign_append(&p("msa.proposal.json"), &["seller", "buyer"]);
    run_ok(&mut anchors(&[
        &"propose",
        &"--usage-commit",
        &p("usage.commit.json"),
        &"--out",
        &p("usage.proposal.json"),
    ]));
    sign_append(&p("usage.proposal.json"), &["seller", "buyer"]);
    run_ok(&mut anchors(&[
        &"propose",
        &"--envelope",
        &p("env.json"),
        &"--out",
        &p("inv.proposal.json"),
    ]));
    sign_append(&p("inv.proposal.json"), &["seller"]);
    run_ok(&mut anchors(&[
        &"export",
        &"--anchors",
        &p("seller.db"),
        &"--out",
        &p("seller.jsonl"),
    ]));
    run_ok(&mut anchors(&[
        &"import",
        &"--anchors",
        &p("buyer.db"),
        &"--from",
        &p("seller.jsonl"),
    ]));
    let valid = run_ok(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--envelope", p("env.json")),
    );
    assert!(
        valid.starts_with("valid: invoice INV-2026-10") && valid.contains("1 blocks, 2 chunks and the link"),
        "{valid}"
    );
    // The MEF 141 bill, against the Buyer's copy; its proof is the partitions' too.
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", p("env.json"))
            .opt("--msa", &msa)
            .opt("--out", p("bill.json")),
    );
    let bill = read_json(&p("bill.json"));
    assert_eq!(bill["zkProof"]["proof"], read_json(&p("env.json"))["proof"]);
    let valid = run_ok(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--payload", p("bill.json")),
    );
    assert!(valid.starts_with("valid: bill INV-2026-10"), "{valid}");
    // Two chunks' proofs swapped in the bill's text (its numbers kept as written).
    let swapped = {
        let mut parts = partitions(&bill["zkProof"]);
        parts.proofs.chunks.swap(0, 1);
        InvoiceProofs::from(parts).to_base64()
    };
    let text = fs::read_to_string(p("bill.json")).unwrap();
    let original = bill["zkProof"]["proof"].as_str().unwrap();
    fs::write(p("edited.json"), text.replace(original, &swapped)).unwrap();
    run_fail(
        zk_verify()
            .opt("--anchors", p("buyer.db"))
            .opt("--payload", p("edited.json")),
        EXIT_INVALID,
        &["chunk 0, chunk 1", "do not verify"],
        &[],
    );
    let audit = run_ok(zk().arg("audit").opt("--anchors", p("buyer.db")));
    assert!(audit.contains(" 4 proofs"), "{audit}");
    assert!(audit.contains("clean"), "{audit}");
}
