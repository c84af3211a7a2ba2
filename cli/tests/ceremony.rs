//! `zkinvoice ceremony` end to end at partition shape PS: two parties through both phases, keys
//! that prove, verify and export to snarkjs; phase 1 exported as a `.ptau` file that snarkjs's
//! `powersoftau verify` accepts; a tampered transcript refused naming the
//! contribution; steps out of order refused. (The library's tests, `ceremony/tests/`, cover
//! every field of every record, replays, reorderings and transplants.)

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
    sync::OnceLock,
};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

const EXIT_INVALID: i32 = 1;

fn ceremony(args: &[&str], dir: &Path) -> assert_cmd::Command {
    let mut c = zk();
    c.arg("ceremony").args(args).opt("--dir", dir);
    c
}

/// A two-party ceremony at PS, made once per test binary: the transcript `cer/` and the keys in
/// `params/`, with what `verify` printed.
struct Made {
    dir: TempDir,
    verified: String,
}

fn made() -> &'static Made {
    static M: OnceLock<Made> = OnceLock::new();
    M.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        let cer = dir.path().join("cer");
        let out = run_ok(
            zk().args(["ceremony", "start", "--shape", "PS"])
                .opt("--dir", &cer),
        );
        assert!(
            out.contains("phase 1 of 2^14") && out.contains("partition-PS-chunk"),
            "{out}"
        );
        for name in ["buyer", "seller"] {
            let out = run_ok(&mut ceremony(&["contribute", "--name", name], &cer));
            assert!(out.contains("phase 1: contribution"), "{out}");
        }
        run_ok(&mut ceremony(&["prepare"], &cer));
        for name in ["buyer", "seller"] {
            let out = run_ok(&mut ceremony(&["contribute", "--name", name], &cer));
            for statement in ["partition-PS-link", "netting-v2-heads"] {
                assert!(
                    out.contains(&format!("phase 2, {statement}: contribution")),
                    "{out}"
                );
            }
        }
        let verified = run_ok(&mut ceremony(&["verify"], &cer));
        run_ok(ceremony(&["finish"], &cer).opt("--params", dir.path().join("params")));
        Made { dir, verified }
    })
}

/// The transcript hash `verify` printed.
fn printed_hash(out: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains("transcript hash"))
        .expect("a hash line");
    line.split_whitespace().last().unwrap().to_string()
}

#[test]
fn a_two_party_ceremony_makes_keys_that_prove_verify_and_export() {
    let m = made();
    assert!(m.verified.contains("multi-party: yes"), "{}", m.verified);
    assert!(
        m.verified.contains("phase 2, partition-PS-block: buyer, seller"),
        "{}",
        m.verified
    );
    let manifest = read_json(&m.dir.path().join("params/partition-PS.json"));
    assert_eq!(
        manifest["ceremony"]["transcriptHash"],
        printed_hash(&m.verified).as_str()
    );
    assert_eq!(
        manifest["ceremony"]["contributors"],
        serde_json::json!(["buyer", "seller"])
    );
    assert_eq!(manifest["ceremony"]["multiParty"], true);
    // The netting key of partitioned invoices, from the same ceremony.
    let netting = read_json(&m.dir.path().join("params/netting-v2-heads.json"));
    assert_eq!(netting["statement"], "zkinvoice/netting/v2");
    assert_eq!(netting["ceremony"], manifest["ceremony"]);

    // October proven with the ceremony's keys, verified by the Buyer's check.
    let work = TempDir::new().unwrap();
    copy_dir(&m.dir.path().join("params"), &work.path().join("params"));
    let keys = prove_partitioned_october(work.path());
    let out = run_ok(
        zk_verify()
            .opt("--envelope", work.path().join("env.json"))
            .opt("--vk", &keys)
            .opt("--msa-commit", work.path().join("msa.commit.json"))
            .opt("--usage-commit", work.path().join("usage.commit.json"))
            .opt("--state", work.path().join("state-0.json")),
    );
    assert!(out.contains("valid"), "{out}");
    // snarkjs verifies each partition's proof under the ceremony's keys.
    let snark = work.path().join("snarkjs");
    run_ok(
        zk().args(["export", "snarkjs"])
            .opt("--vk", &keys)
            .opt("--envelope", work.path().join("env.json"))
            .opt("--out", &snark),
    );
    for part in ["block-0", "chunk-0", "link"] {
        let (ok, text) = zkinvoice_testkit::node::snarkjs(
            &snark.join(part),
            &[
                "groth16",
                "verify",
                "verification_key.json",
                "public.json",
                "proof.json",
            ],
        );
        assert!(ok && text.contains("OK"), "snarkjs refuses {part}: {text}");
    }
    anchored_with_the_transcript(work.path(), &keys, &printed_hash(&m.verified));
}

#[test]
fn phase_1_exported_as_ptau_passes_snarkjs_verify() {
    let m = made();
    let work = TempDir::new().unwrap();
    let ptau = work.path().join("phase1.ptau");
    let export = |force: bool| {
        let mut c = ceremony(&["export-ptau"], &m.dir.path().join("cer"));
        c.opt("--out", &ptau);
        if force {
            c.arg("--force");
        }
        c
    };
    let out = run_ok(&mut export(false));
    assert!(out.contains("phase 1 of 2^14 (buyer, seller)"), "{out}");
    let (ok, text) = zkinvoice_testkit::node::snarkjs(work.path(), &["powersoftau", "verify", "phase1.ptau"]);
    assert!(
        ok && text.contains("Powers of Tau Ok!"),
        "snarkjs refuses the export: {text}"
    );
    // Not over a file already there, unless asked.
    let before = fs::read(&ptau).unwrap();
    run_fail(
        &mut export(false),
        EXIT_CANT_CREATE,
        &["phase1.ptau", "--force"],
        &[],
    );
    assert_eq!(fs::read(&ptau).unwrap(), before);
    run_ok(&mut export(true));
}

/// The ceremony's keys are anchored with their transcript: `msa-agreed` names it (and refuses to
/// call them a single-party setup), the log admits it signed by both, and the generated anchor
/// contract carries the hash, so that the Buyer may submit invoices too.
fn anchored_with_the_transcript(work: &Path, keys: &Path, hash: &str) {
    let p = |name: &str| work.join(name);
    let propose = |extra: &[&str]| {
        let mut c = zk();
        c.args(["anchors", "propose"])
            .opt("--msa-commit", p("msa.commit.json"))
            .opt("--vk", keys)
            .opt("--out", p("msa.proposal.json"))
            .args(extra);
        c
    };
    run_fail(
        &mut propose(&["--single-party-setup"]),
        2,
        &["multi-party ceremony", hash],
        &[&p("msa.proposal.json")],
    );
    run_ok(&mut propose(&[]));
    let proposal = read_json(&p("msa.proposal.json"));
    assert_eq!(
        proposal["body"]["keySetup"],
        serde_json::json!({"kind": "ceremony", "transcriptHash": hash, "contributors": ["buyer", "seller"]}),
        "{proposal}"
    );
    for party in ["seller", "buyer"] {
        run_ok(zk().args(["keygen", "--party", party]).opt("--dir", work));
    }
    run_ok(
        zk().args(["anchors", "init"])
            .opt("--anchors", p("log.db"))
            .opt("--seller", p("seller.pub"))
            .opt("--buyer", p("buyer.pub")),
    );
    for role in ["seller", "buyer"] {
        run_ok(
            zk().args(["anchors", "sign"])
                .opt("--proposal", p("msa.proposal.json"))
                .opt("--key", p(&format!("{role}.key")))
                .opt("--role", role),
        );
    }
    run_ok(
        zk().args(["anchors", "append"])
            .opt("--anchors", p("log.db"))
            .opt("--proposal", p("msa.proposal.json")),
    );
    run_ok(
        zk().args(["export", "solidity"])
            .opt("--vk", keys)
            .opt("--out", p("sol")),
    );
    let anchor = fs::read_to_string(p("sol/InvoiceAnchor.sol")).unwrap();
    assert!(
        anchor.contains(&format!("CEREMONY_TRANSCRIPT = 0x{hash};")),
        "{anchor}"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_tampered_transcript_is_refused_naming_the_contribution() {
    let m = made();
    let work = TempDir::new().unwrap();
    let cer = work.path().join("cer");
    copy_dir(&m.dir.path().join("cer"), &cer);
    // The first statement's record: the verification stops at it, before any statement's key is
    // checked against the matrices (which costs most of a `verify`).
    let record = cer.join("phase2/partition-PS-block/0001-buyer.json");
    let mut v: Value = read_json(&record);
    v["name"] = Value::String("auditor".into());
    fs::write(&record, serde_json::to_vec(&v).unwrap()).unwrap();
    for step in ["verify", "finish"] {
        let mut c = ceremony(&[step], &cer);
        if step == "finish" {
            c.opt("--params", work.path().join("params"));
        }
        run_fail(
            &mut c,
            EXIT_INVALID,
            &[
                "0001-buyer.json",
                "contribution 1 by \"auditor\"",
                "proof of knowledge",
            ],
            &[&work.path().join("params")],
        );
    }
    // The accumulator replaced by another of the same size: refused, naming phase 1's last.
    let acc = cer.join("phase1/0002.acc");
    let mut bytes = fs::read(&acc).unwrap();
    let i = bytes.len() - 7;
    bytes[i] ^= 0x10;
    fs::write(&acc, bytes).unwrap();
    run_fail(
        &mut ceremony(&["verify"], &cer),
        EXIT_INVALID,
        &["0002-seller.json", "SHA-256"],
        &[],
    );
}

#[test]
fn steps_out_of_order_and_bad_names_are_refused() {
    let dir = TempDir::new().unwrap();
    let cer: PathBuf = dir.path().join("cer");
    run_ok(
        zk().args(["ceremony", "start", "--shape", "PS"])
            .opt("--dir", &cer),
    );
    run_fail(
        zk().args(["ceremony", "start", "--shape", "PS"])
            .opt("--dir", &cer),
        EXIT_DATA,
        &["ceremony.json", "already here"],
        &[],
    );
    run_fail(
        &mut ceremony(&["prepare"], &cer),
        EXIT_USAGE,
        &["no contribution yet"],
        &[],
    );
    run_fail(
        ceremony(&["finish"], &cer).opt("--params", dir.path().join("params")),
        EXIT_USAGE,
        &["phase 2 has not begun"],
        &[&dir.path().join("params")],
    );
    run_fail(
        &mut ceremony(&["contribute", "--name", "the buyer"], &cer),
        EXIT_USAGE,
        &["\"the buyer\"", "letters, digits"],
        &[],
    );
    run_fail(
        &mut ceremony(&["verify"], &dir.path().join("nowhere")),
        EXIT_DATA,
        &["ceremony.json", "cannot read"],
        &[],
    );
    // A transcript made for another shape's circuits.
    let header = cer.join("ceremony.json");
    let mut v = read_json(&header);
    v["statements"][0]["circuitDigest"] = Value::String("00".repeat(32));
    fs::write(&header, serde_json::to_vec(&v).unwrap()).unwrap();
    run_fail(
        &mut ceremony(&["verify"], &cer),
        EXIT_DATA,
        &["other circuits than this build's"],
        &[],
    );
}
