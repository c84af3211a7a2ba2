//! `zkinvoice export snarkjs`, `export solidity` and `export circom`: outputs, refusals, and
//! snarkjs's own verifier and reader (npm `snarkjs`, pinned in tools/node) on the export.

mod common;

use std::{
    fs,
    path::{Path, PathBuf},
};

use common::{
    partitioned_october, read_json, run_fail, run_ok, world, zk, Opt, EXIT_CANT_CREATE, EXIT_DATA,
    EXIT_NO_INPUT,
};
use tempfile::TempDir;

const EXIT_KEY_MISMATCH: i32 = 3;

fn vk() -> PathBuf {
    world().p("params/invoice-S.vk")
}

fn envelope() -> PathBuf {
    world().p("env-10.json")
}

/// Runs `snarkjs groth16 verify` on the files in `dir`: whether it says OK (exit 0).
fn snarkjs_verify(dir: &Path) -> (bool, String) {
    let (ok, text) = zkinvoice_testkit::node::snarkjs(
        dir,
        &[
            "groth16",
            "verify",
            "verification_key.json",
            "public.json",
            "proof.json",
        ],
    );
    (ok && text.contains("OK"), text)
}

#[test]
fn snarkjs_export_verifies_in_snarkjs_and_a_tampered_input_does_not() {
    let dir = TempDir::new().unwrap();
    let out = dir.path().join("snarkjs");
    let said = run_ok(
        zk().args(["export", "snarkjs"])
            .opt("--vk", vk())
            .opt("--envelope", envelope())
            .opt("--out", &out),
    );
    assert!(
        said.contains("verification_key.json, proof.json, public.json"),
        "{said}"
    );
    let key = read_json(&out.join("verification_key.json"));
    assert_eq!(key["protocol"], "groth16");
    assert_eq!(key["curve"], "bls12381");
    assert_eq!(key["nPublic"], 5);
    assert_eq!(key["IC"].as_array().map(Vec::len), Some(6));
    let proof = read_json(&out.join("proof.json"));
    assert_eq!(proof["pi_a"].as_array().map(Vec::len), Some(3));
    let public = read_json(&out.join("public.json"));
    assert_eq!(public.as_array().map(Vec::len), Some(5));

    let (ok, text) = snarkjs_verify(&out);
    assert!(ok, "snarkjs refuses the export: {text}");

    // One public input changed (the state after, plus one): snarkjs refuses it.
    let mut signals: Vec<String> = serde_json::from_value(public).unwrap();
    let last = signals[3].pop().unwrap();
    let bumped = if last == '9' {
        '8'
    } else {
        char::from(last as u8 + 1)
    };
    signals[3].push(bumped);
    fs::write(out.join("public.json"), serde_json::to_string(&signals).unwrap()).unwrap();
    let (ok, text) = snarkjs_verify(&out);
    assert!(!ok, "snarkjs accepts a tampered public input: {text}");
    assert!(text.contains("Invalid proof"), "snarkjs failed otherwise: {text}");
}

/// A partitioned invoice (partition shape PS): every partition exported in its own directory with
/// its statement's key, its proof and the public inputs the verifier assembles; snarkjs verifies
/// each, and refuses a partition whose inputs are another's.
#[test]
fn snarkjs_export_of_a_partitioned_invoice_verifies_partition_by_partition() {
    let dir = TempDir::new().unwrap();
    let p = |n: &str| dir.path().join(n);
    let manifest = partitioned_october(dir.path());
    let out = p("snarkjs");
    let said = run_ok(
        zk().args(["export", "snarkjs"])
            .opt("--vk", &manifest)
            .opt("--envelope", p("env.json"))
            .opt("--out", &out),
    );
    assert!(
        said.contains("of 1 blocks (block-J/), 2 chunks (chunk-C/) and the link"),
        "{said}"
    );
    for (part, inputs) in [("block-0", 10), ("chunk-0", 6), ("chunk-1", 6), ("link", 6)] {
        let d = out.join(part);
        assert_eq!(read_json(&d.join("verification_key.json"))["nPublic"], inputs);
        let (ok, text) = snarkjs_verify(&d);
        assert!(ok, "snarkjs refuses {part}: {text}");
    }
    // Chunk 1's inputs under chunk 0's proof: refused.
    fs::copy(out.join("chunk-1/public.json"), out.join("chunk-0/public.json")).unwrap();
    let (ok, text) = snarkjs_verify(&out.join("chunk-0"));
    assert!(!ok && text.contains("Invalid proof"), "{text}");
    // The key set alone: each statement's key.
    let keys = p("keys");
    run_ok(
        zk().args(["export", "snarkjs"])
            .opt("--vk", &manifest)
            .opt("--out", &keys),
    );
    for s in ["block", "chunk", "link"] {
        assert!(keys.join(s).join("verification_key.json").is_file());
    }
    // Under the v1 key, the partitioned envelope is another key's.
    run_fail(
        zk().args(["export", "snarkjs"])
            .opt("--vk", vk())
            .opt("--envelope", p("env.json"))
            .opt("--out", p("other")),
        EXIT_KEY_MISMATCH,
        &["verifying key"],
        &[],
    );
}

#[test]
fn snarkjs_export_of_the_key_alone() {
    let dir = TempDir::new().unwrap();
    run_ok(
        zk().args(["export", "snarkjs"])
            .opt("--vk", vk())
            .opt("--out", dir.path()),
    );
    assert!(dir.path().join("verification_key.json").is_file());
    assert!(!dir.path().join("proof.json").exists());
    assert!(!dir.path().join("public.json").exists());
}

#[test]
fn solidity_export_writes_both_contracts_deterministically() {
    let dir = TempDir::new().unwrap();
    let said = run_ok(
        zk().args(["export", "solidity"])
            .opt("--vk", vk())
            .opt("--out", dir.path()),
    );
    assert!(said.contains("InvoiceVerifier.sol, InvoiceAnchor.sol"), "{said}");
    let verifier = fs::read_to_string(dir.path().join("InvoiceVerifier.sol")).unwrap();
    let anchor = fs::read_to_string(dir.path().join("InvoiceAnchor.sol")).unwrap();
    let hash = read_json(&envelope())["vkHash"].as_str().unwrap().to_string();
    assert!(verifier.contains(&format!("bytes32 public constant VK_HASH = 0x{hash};")));
    assert!(verifier.contains("contract InvoiceVerifier"));
    assert!(anchor.contains("contract InvoiceAnchor"));
    assert!(!verifier.contains("{{") && !anchor.contains("{{"));
    // Again with --force: the same bytes.
    run_ok(
        zk().args(["export", "solidity", "--force"])
            .opt("--vk", vk())
            .opt("--out", dir.path()),
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("InvoiceVerifier.sol")).unwrap(),
        verifier
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("InvoiceAnchor.sol")).unwrap(),
        anchor
    );
}

#[test]
fn a_bad_key_is_refused_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    let bad = dir.path().join("bad.vk");
    let mut bytes = fs::read(vk()).unwrap();
    bytes.truncate(bytes.len() - 1);
    fs::write(&bad, bytes).unwrap();
    let out = dir.path().join("out");
    run_fail(
        zk().args(["export", "solidity"])
            .opt("--vk", &bad)
            .opt("--out", &out),
        EXIT_DATA,
        &["bad.vk", "verifying key"],
        &[&out],
    );
    run_fail(
        zk().args(["export", "snarkjs"])
            .opt("--vk", &bad)
            .opt("--envelope", envelope())
            .opt("--out", &out),
        EXIT_DATA,
        &["bad.vk"],
        &[&out],
    );
    run_fail(
        zk().args(["export", "snarkjs"])
            .opt("--vk", dir.path().join("missing.vk"))
            .opt("--out", &out),
        EXIT_NO_INPUT,
        &["missing.vk"],
        &[&out],
    );
}

#[test]
fn an_envelope_of_another_key_is_refused() {
    let dir = TempDir::new().unwrap();
    let mut env = read_json(&envelope());
    env["vkHash"] = serde_json::Value::String("ab".repeat(32));
    let other = dir.path().join("other.json");
    fs::write(&other, serde_json::to_string(&env).unwrap()).unwrap();
    let out = dir.path().join("out");
    run_fail(
        zk().args(["export", "snarkjs"])
            .opt("--vk", vk())
            .opt("--envelope", &other)
            .opt("--out", &out),
        EXIT_KEY_MISMATCH,
        &["other.json", "verifying key"],
        &[&out],
    );
}

#[test]
fn existing_outputs_are_kept_without_force() {
    let dir = TempDir::new().unwrap();
    let anchor = dir.path().join("InvoiceAnchor.sol");
    fs::write(&anchor, "mine").unwrap();
    run_fail(
        zk().args(["export", "solidity"])
            .opt("--vk", vk())
            .opt("--out", dir.path()),
        EXIT_CANT_CREATE,
        &["InvoiceAnchor.sol", "--force"],
        &[&dir.path().join("InvoiceVerifier.sol")],
    );
    assert_eq!(fs::read_to_string(&anchor).unwrap(), "mine");
    let key = dir.path().join("verification_key.json");
    fs::write(&key, "mine").unwrap();
    run_fail(
        zk().args(["export", "snarkjs"])
            .opt("--vk", vk())
            .opt("--envelope", envelope())
            .opt("--out", dir.path()),
        EXIT_CANT_CREATE,
        &["verification_key.json", "--force"],
        &[&dir.path().join("proof.json"), &dir.path().join("public.json")],
    );
    assert_eq!(fs::read_to_string(&key).unwrap(), "mine");
    run_ok(
        zk().args(["export", "snarkjs", "--force"])
            .opt("--vk", vk())
            .opt("--envelope", envelope())
            .opt("--out", dir.path()),
    );
    assert_eq!(read_json(&key)["curve"], "bls12381");
}

#[test]
fn circom_export_writes_each_statement_as_snarkjs_reads_it() {
    let dir = TempDir::new().unwrap();
    let said = run_ok(
        zk().args(["export", "circom", "--shape", "PS"])
            .opt("--out", dir.path()),
    );
    for (name, constraints) in [("block", 8_635), ("chunk", 2_310), ("link", 3_926)] {
        let file = format!("partition-PS-{name}.r1cs");
        assert!(
            said.contains(&file) && said.contains(&format!("{constraints} constraints")),
            "{said}"
        );
        let (ok, text) = zkinvoice_testkit::node::snarkjs(dir.path(), &["r1cs", "info", &file]);
        assert!(ok, "{text}");
        assert!(text.contains("Curve: bls12-381"), "{text}");
        assert!(
            text.contains(&format!("# of Constraints: {constraints}")),
            "{text}"
        );
        assert!(text.contains("# of Public Inputs: "), "{text}");
    }
    // The v1 statement, and an existing file kept without --force.
    let s = dir.path().join("invoice-S.r1cs");
    fs::write(&s, "mine").unwrap();
    run_fail(
        zk().args(["export", "circom", "--shape", "S"])
            .opt("--out", dir.path()),
        EXIT_CANT_CREATE,
        &["invoice-S.r1cs", "--force"],
        &[],
    );
    assert_eq!(fs::read_to_string(&s).unwrap(), "mine");
    run_ok(
        zk().args(["export", "circom", "--shape", "S", "--force"])
            .opt("--out", dir.path()),
    );
    assert_eq!(&fs::read(&s).unwrap()[..4], b"r1cs");
}
