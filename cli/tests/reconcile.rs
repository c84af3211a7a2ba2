//! `zkinvoice reconcile`: the Seller's invoice against the one rated from the Buyer's own
//! measurement, under the example MSA's dispute thresholds (issue 16): within (exit 0), over
//! (exit 1, the products named), and inputs that cannot be compared (exit 65, naming the file).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

/// `rate`'s output for `usage` from `state`, written to `out`.
fn rated(msa: &Path, usage: &Path, state: &Path, out: PathBuf) -> PathBuf {
    run_ok(
        zk().arg("rate")
            .opt("--msa", msa)
            .opt("--usage", usage)
            .opt("--state", state)
            .opt("--invoice-number", "INV-2026-10")
            .opt("--out", &out),
    );
    out
}

fn reconcile(seller: &Path, buyer: &Path) -> assert_cmd::Command {
    reconcile_as(seller, buyer, "json")
}

fn reconcile_as(seller: &Path, buyer: &Path, format: &str) -> assert_cmd::Command {
    let mut c = zk();
    c.arg("reconcile")
        .opt("--msa", example("msa.json"))
        .opt("--seller", seller)
        .opt("--buyer", buyer)
        .opt("--format", format);
    c
}

#[test]
fn reconcile_names_the_products_over_their_thresholds() {
    let dir = TempDir::new().expect("a temporary directory");
    let d = |n: &str| dir.path().join(n);
    let state0 = d("state-0.json");
    run_ok(
        zk().args(["msa", "commit"])
            .opt("--msa", example("msa.json"))
            .opt("--records", "1024")
            .opt("--out", d("msa.commit.json"))
            .opt("--state-out", &state0),
    );
    let msa = example("msa.json");
    let seller = rated(&msa, &example("usage-2026-10.json"), &state0, d("seller.json"));

    // The Buyer measured the same: within, exit 0.
    let same = rated(&msa, &example("usage-2026-10.json"), &state0, d("same.json"));
    let out: Value = serde_json::from_str(&run_ok(&mut reconcile(&seller, &same))).expect("JSON");
    assert_eq!(out["within"], true, "{out}");
    assert_eq!(out["productsOver"], serde_json::json!([]));

    // The Buyer measured half the IP transit: over, exit 1, the product named on both outputs.
    let mut usage = read_json(&example("usage-2026-10.json"));
    for r in usage["records"].as_array_mut().expect("records") {
        if r["product"] == "ip-transit" {
            r["quantity"] = (r["quantity"].as_u64().expect("a quantity") / 2).into();
        }
    }
    std::fs::write(d("buyer-usage.json"), usage.to_string()).expect("writes");
    let buyer = rated(&msa, &d("buyer-usage.json"), &state0, d("buyer.json"));
    let o = reconcile(&seller, &buyer).output().expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let out: Value = serde_json::from_slice(&o.stdout).expect("the report on standard output");
    assert_eq!(out["productsOver"], serde_json::json!(["ip-transit"]), "{out}");
    assert_eq!(out["within"], false);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.starts_with("error: over the MSA's dispute thresholds: ip-transit"),
        "{stderr}"
    );
    let row = out["products"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["product"] == "ip-transit")
        .expect("ip-transit's row");
    assert_eq!(row["over"], true);
    // The table says the same.
    let o = reconcile_as(&seller, &buyer, "table").output().expect("runs");
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("ip-transit") && l.ends_with("OVER")),
        "{table}"
    );

    // Inputs that cannot be compared: exit 65, naming the file and the reason.
    let november = rated(&msa, &example("usage-2026-12.json"), &state0, d("december.json"));
    run_fail(
        &mut reconcile(&seller, &november),
        EXIT_DATA,
        &["december.json", "period"],
        &[],
    );
    std::fs::write(d("no-invoice.json"), "{}").expect("writes");
    run_fail(
        &mut reconcile(&seller, &d("no-invoice.json")),
        EXIT_DATA,
        &["no-invoice.json", "invoice", "missing"],
        &[],
    );
    let mut bare = read_json(&msa);
    bare.as_object_mut()
        .expect("an object")
        .remove("disputeThresholds");
    std::fs::write(d("bare.json"), bare.to_string()).expect("writes");
    run_fail(
        zk().arg("reconcile")
            .opt("--msa", d("bare.json"))
            .opt("--seller", &seller)
            .opt("--buyer", &buyer),
        EXIT_DATA,
        &["bare.json", "disputeThresholds"],
        &[],
    );
}
