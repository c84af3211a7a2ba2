//! `zkinvoice net --prove` of two partitioned invoices (`zkinvoice/netting/v2`): December's
//! invoice of the example bilateral committed at partition shape PS against the reverse
//! bilateral's at PM, under the one key `setup --statement netting` makes at a partition shape
//! (`netting-v2-heads`); the envelope names the invoices' parts and verifies; a v1 invoice and a
//! partitioned one are not netted together (exit 65, naming the file and the field). On anchor
//! contracts: `chain/netting_v2.rs` of the `chain` tests.

mod common;

use common::*;
use tempfile::TempDir;
use zkinvoice_prover::netting::{NettingEnvelope, NettingHeadsKeys};

#[test]
fn two_partitioned_invoices_of_different_partition_shapes_are_netted_under_one_key() {
    let dir = TempDir::new().expect("dir");
    let d = dir.path();
    let forward = rated_at(d, ("msa.json", "PS"), "usage-2026-12.json", "INV-12");
    let reverse = rated_at(
        d,
        ("msa-reverse.json", "PM"),
        "usage-reverse-2026-12.json",
        "GX-12",
    );
    let params = d.join("params");
    let out = run_ok(
        zk().arg("setup")
            .opt("--statement", "netting")
            .opt("--shape", "PM")
            .opt("--params", &params),
    );
    assert!(
        out.contains("zkinvoice/netting/v2 at shape heads: 3017 constraints"),
        "{out}"
    );
    assert!(params.join("netting-v2-heads.pk").exists());

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
    assert!(!states_amount(&text, 2_411_796), "no amount: {text}");
    let said = std::fs::read_to_string(&opening).expect("opening");
    assert!(
        states_amount(&said, 2_411_796),
        "the opening states the net: {said}"
    );
    let e: NettingEnvelope = serde_json::from_str(&text).expect("a netting envelope");
    assert_eq!(
        (e.statement.as_str(), e.shape.as_str()),
        ("zkinvoice/netting/v2", "heads")
    );
    let keys = NettingHeadsKeys::load_heads(&params).expect("keys");
    e.verify_heads(&keys.verifying_key().prepare()).expect("verifies");
    assert_eq!(read_json(&opening)["net"], "24117.96");

    // A v1 invoice against a partitioned one: refused before anything is written.
    let v1 = rated_at(
        d,
        ("msa-reverse.json", "S"),
        "usage-reverse-2026-12.json",
        "GX-12-S",
    );
    let mixed = d.join("mixed.json");
    run_fail(
        zk().arg("net")
            .opt("--first", &forward)
            .opt("--second", &v1)
            .opt("--prove", &mixed)
            .opt("--params", &params),
        65,
        &["GX-12-S.json", "invoice.commitment.shape", "not netted together"],
        &[&mixed],
    );
}
