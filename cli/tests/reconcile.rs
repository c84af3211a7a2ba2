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

/// The whole reconciliation from the command line (shape S, single-party keys): the
/// reconciliation key agreed for the MSA; October measured by both (the Buyer 1% less voice;
/// each proves the invoice it rates from its measurement with `prove`),
/// proved within and reconciled, then its usage agreed; December measured by both (the Buyer
/// half the IP transit), proved over and disputed by the Buyer, its usage refused until both
/// resolve the dispute on the Seller's usage; meanwhile invoiced in part (its usage without IP
/// transit agreed and invoiced, `--partial`), then finally from the same state, each billed
/// (`interim`, then `final` less the partial invoice) and verified. A measurement whose envelope names another invoice
/// than its proof is refused, and so is a reconciliation key without a multi-party ceremony
/// unless both accept a single-party setup.
#[test]
fn a_reconciliation_and_a_dispute_are_proved_and_anchored_from_the_command_line() {
    let dir = TempDir::new().expect("a temporary directory");
    let d = |n: &str| dir.path().join(n);
    let (msa, params) = (example("msa.json"), d("params"));
    run_ok(zk().args(["setup", "--shape", "S"]).opt("--params", &params));
    let out = run_ok(
        zk().args(["setup", "--shape", "S", "--statement", "reconcile"])
            .opt("--params", &params),
    );
    assert!(
        out.contains("zkinvoice/reconcile/v1 at shape S: 21600 constraints"),
        "{out}"
    );
    // Its verifier for an anchor contract (registerReconcileVerifier).
    let said = run_ok(
        zk().args(["export", "solidity", "--statement", "reconcile"])
            .opt("--vk", params.join("reconcile-S.vk"))
            .opt("--out", d("sol")),
    );
    assert!(said.contains("ReconcileVerifier.sol written"), "{said}");
    let sol = std::fs::read_to_string(d("sol").join("ReconcileVerifier.sol")).expect("written");
    assert!(sol.contains("contract ReconcileVerifier") && sol.contains("zkinvoice/reconcile/v1"));
    run_ok(
        zk().args(["msa", "commit", "--shape", "S"])
            .opt("--msa", &msa)
            .opt("--out", d("msa.commit.json"))
            .opt("--state-out", d("state-0.json")),
    );
    for party in ["seller", "buyer"] {
        run_ok(zk().args(["keygen", "--party", party]).opt("--dir", dir.path()));
    }
    run_ok(&mut anchors(&[
        &"init",
        &"--anchors",
        &d("log.db"),
        &"--seller",
        &d("seller.pub"),
        &"--buyer",
        &d("buyer.pub"),
    ]));
    // Proposes with `args`, signed by `signers`, and appends it: the append's exit code.
    let propose = |name: &str, args: &[&dyn AsRef<std::ffi::OsStr>], signers: &[&str]| -> PathBuf {
        let mut c = zk();
        c.args(["anchors", "propose"]).opt("--out", d(name));
        for a in args {
            c.arg(a);
        }
        run_ok(&mut c);
        for role in signers {
            run_ok(&mut anchors(&[
                &"sign",
                &"--proposal",
                &d(name),
                &"--key",
                &d(&format!("{role}.key")),
                &"--role",
                role,
            ]));
        }
        d(name)
    };
    let append =
        |proposal: &Path| anchors(&[&"append", &"--anchors", &d("log.db"), &"--proposal", &proposal]);
    let both = ["seller", "buyer"];
    let agreed = propose(
        "msa.json",
        &[
            &"--msa-commit",
            &d("msa.commit.json"),
            &"--vk",
            &params.join("invoice-S.vk"),
            &"--single-party-setup",
        ],
        &both,
    );
    run_ok(&mut append(&agreed));
    run_fail(
        zk().args(["anchors", "propose"])
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--reconcile-key", params.join("reconcile-S.vk"))
            .opt("--out", d("refused.json")),
        EXIT_USAGE,
        &[
            "reconcile-S.vk",
            "no multi-party ceremony",
            "--single-party-setup",
        ],
        &[&d("refused.json")],
    );
    let key = propose(
        "key.json",
        &[
            &"--msa-commit",
            &d("msa.commit.json"),
            &"--reconcile-key",
            &params.join("reconcile-S.vk"),
            &"--single-party-setup",
        ],
        &both,
    );
    run_ok(&mut append(&key));

    // Each party commits and rates its measurement of `period` (`usage`), and proposes it.
    let measure = |role: &str, usage: &Path, period: &str, tag: &str| {
        let (uc, rated) = (
            d(&format!("{role}-{tag}.usage.json")),
            d(&format!("{role}-{tag}.envelope.json")),
        );
        run_ok(
            zk().args(["usage", "commit", "--aggregate-days", "7"])
                .opt("--msa", &msa)
                .opt("--msa-commit", d("msa.commit.json"))
                .opt("--usage", usage)
                .opt("--period", period)
                .opt("--out", &uc),
        );
        run_ok(
            zk().args(["prove", "--aggregate-days", "7"])
                .opt("--params", &params)
                .opt("--msa", &msa)
                .opt("--msa-commit", d("msa.commit.json"))
                .opt("--usage", usage)
                .opt("--period", period)
                .opt("--usage-commit", &uc)
                .opt("--state", d("state-0.json"))
                .opt("--invoice-number", format!("{role}-{tag}"))
                .opt("--out", &rated),
        );
        let p = propose(
            &format!("{role}-{tag}.measured.json"),
            &[
                &"--measured",
                &rated,
                &"--role",
                &role,
                &"--key",
                &d(&format!("{role}.key")),
            ],
            &[],
        );
        run_ok(&mut append(&p));
        (uc, rated)
    };
    let prove = |seller: &Path, buyer: &Path, out: &Path| {
        let mut c = zk();
        c.arg("reconcile")
            .opt("--msa", &msa)
            .opt("--seller", seller)
            .opt("--buyer", buyer)
            .opt("--format", "json")
            .opt("--prove", out)
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--params", &params);
        c
    };

    // October: within; reconciled by the Seller; its usage agreed.
    scaled(
        "usage-2026-10.json",
        "voice-termination",
        99,
        100,
        &d("buyer-10.json"),
    );
    let (s_uc, s_rated) = measure("seller", &example("usage-2026-10.json"), OCTOBER, "10");
    let (_, b_rated) = measure("buyer", &d("buyer-10.json"), OCTOBER, "10");
    run_ok(&mut prove(&s_rated, &b_rated, &d("rec-10.json")));
    let env = read_json(&d("rec-10.json"));
    assert_eq!(env["statement"], "zkinvoice/reconcile/v1");
    assert_eq!(env["publicInputs"]["over"], format!("0x{}", "0".repeat(64)));
    let agree_10 = propose("agree-10.json", &[&"--usage-commit", &s_uc], &both);
    run_fail(&mut append(&agree_10), EXIT_DATA, &["not reconciled"], &[]);
    let reconciled = propose(
        "reconciled-10.json",
        &[
            &"--reconciliation",
            &d("rec-10.json"),
            &"--role",
            &"seller",
            &"--key",
            &d("seller.key"),
        ],
        &[],
    );
    assert_eq!(read_json(&reconciled)["body"]["kind"], "usage-reconciled");
    run_ok(&mut append(&reconciled));
    run_ok(&mut append(&agree_10));

    // December: half the IP transit is over; the Buyer opens a dispute; the usage waits for
    // both to resolve it.
    scaled("usage-2026-12.json", "ip-transit", 1, 2, &d("buyer-12.json"));
    let december = "2026-12-01..2027-01-01";
    let (s_uc, s_rated) = measure("seller", &example("usage-2026-12.json"), december, "12");
    // A measurement whose envelope names another invoice than its proof proves: refused as the
    // log admits it, nothing written.
    let mut env = read_json(&s_rated);
    env["publicInputs"]["invoiceCommitment"] = env["publicInputs"]["usageCommitment"].clone();
    std::fs::write(d("edited.envelope.json"), env.to_string()).expect("writes");
    let edited = propose(
        "edited.measured.json",
        &[
            &"--measured",
            &d("edited.envelope.json"),
            &"--role",
            &"buyer",
            &"--key",
            &d("buyer.key"),
        ],
        &[],
    );
    run_fail(
        &mut append(&edited),
        EXIT_DATA,
        &["usage-measured", "does not verify"],
        &[],
    );
    let (b_uc, b_rated) = measure("buyer", &d("buyer-12.json"), december, "12");
    let o = prove(&s_rated, &b_rated, &d("rec-12.json"))
        .output()
        .expect("runs");
    assert_eq!(
        o.status.code(),
        Some(1),
        "over: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let dispute = propose(
        "dispute-12.json",
        &[
            &"--reconciliation",
            &d("rec-12.json"),
            &"--role",
            &"buyer",
            &"--key",
            &d("buyer.key"),
        ],
        &[],
    );
    assert_eq!(read_json(&dispute)["body"]["kind"], "dispute-opened");
    run_ok(&mut append(&dispute));
    let agree_12 = propose("agree-12.json", &[&"--usage-commit", &s_uc], &both);
    run_fail(&mut append(&agree_12), EXIT_DATA, &["is disputed"], &[]);

    // While the dispute is open, December is invoiced in part: both agree the Seller's usage
    // without IP transit, and the Seller proves its invoice from the latest state.
    let mut part = read_json(&example("usage-2026-12.json"));
    part["records"]
        .as_array_mut()
        .expect("records")
        .retain(|r| r["product"] != "ip-transit");
    std::fs::write(d("part-12.json"), part.to_string()).expect("writes");
    run_fail(
        zk().args(["anchors", "propose", "--partial"])
            .opt("--accept", &s_rated)
            .opt("--out", d("refused.json")),
        EXIT_USAGE,
        &["--partial goes with --usage-commit"],
        &[&d("refused.json")],
    );
    let (p_uc, p_rated) = (d("part-12.usage.json"), d("part-12.envelope.json"));
    run_ok(
        zk().args(["usage", "commit", "--aggregate-days", "7"])
            .opt("--msa", &msa)
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--usage", d("part-12.json"))
            .opt("--period", december)
            .opt("--out", &p_uc),
    );
    let partial_usage = propose(
        "partial-usage-12.json",
        &[&"--usage-commit", &p_uc, &"--partial"],
        &both,
    );
    assert_eq!(read_json(&partial_usage)["body"]["kind"], "usage-partial");
    run_ok(&mut append(&partial_usage));
    run_fail(
        &mut append(&partial_usage),
        EXIT_DATA,
        &["already has a partial usage"],
        &[],
    );
    run_ok(
        zk().args(["prove", "--aggregate-days", "7"])
            .opt("--params", &params)
            .opt("--msa", &msa)
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--usage", d("part-12.json"))
            .opt("--period", december)
            .opt("--usage-commit", &p_uc)
            .opt("--state", d("state-0.json"))
            .opt("--invoice-number", "INV-2026-12-P")
            .opt("--out", &p_rated),
    );
    // As a whole invoice it is refused (the period's usage is not agreed); as a part, admitted.
    let whole = propose("whole-12.json", &[&"--envelope", &p_rated], &["seller"]);
    run_fail(&mut append(&whole), EXIT_DATA, &["no usage is agreed"], &[]);
    let partial = propose(
        "partial-12.json",
        &[&"--envelope", &p_rated, &"--partial"],
        &["seller"],
    );
    assert_eq!(read_json(&partial)["body"]["kind"], "invoice-partial");
    run_ok(&mut append(&partial));
    let resolved = propose(
        "resolved-12.json",
        &[
            &"--resolve",
            &s_uc,
            &"--resolution",
            &"the Buyer's probe missed half the transit links",
        ],
        &both,
    );
    run_ok(&mut append(&resolved));
    run_ok(&mut append(&agree_12));
    // The final invoice: the resolved usage, from the state the partial invoice left as it was.
    let final_ = propose("final-12.json", &[&"--envelope", &s_rated], &["seller"]);
    run_ok(&mut append(&final_));
    // The bills: the partial invoice's interim, the final one's its total less the partial
    // invoice's; each verifies against the log.
    let bill = |env: &Path, out: &str| {
        let mut c = zk();
        c.arg("invoice")
            .opt("--envelope", env)
            .opt("--msa", &msa)
            .opt("--anchors", d("log.db"))
            .opt("--out", d(out));
        c
    };
    run_ok(&mut bill(&p_rated, "interim-12.json"));
    let interim = read_json(&d("interim-12.json"));
    assert_eq!(
        (&interim["category"], &interim["zkPart"]),
        (&"normal".into(), &"interim".into())
    );
    run_fail(
        &mut bill(&s_rated, "final-12.bill.json"),
        EXIT_USAGE,
        &["invoiced in part", "--partial-invoice"],
        &[&d("final-12.bill.json")],
    );
    run_fail(
        bill(&s_rated, "final-12.bill.json").opt("--partial-invoice", &s_rated),
        EXIT_DATA,
        &["not the partial invoice"],
        &[&d("final-12.bill.json")],
    );
    run_ok(bill(&s_rated, "final-12.bill.json").opt("--partial-invoice", &p_rated));
    let f = read_json(&d("final-12.bill.json"));
    assert_eq!(
        (&f["category"], &f["zkPart"]),
        (&"normal".into(), &"final".into())
    );
    assert_eq!(f["zkPartial"]["number"], "INV-2026-12-P");
    assert!(
        f["amountDue"]["value"].as_f64() < f["taxIncludedAmount"]["value"].as_f64(),
        "{f}"
    );
    for b in ["interim-12.json", "final-12.bill.json"] {
        run_ok(
            zk().arg("verify")
                .opt("--payload", d(b))
                .opt("--msa", &msa)
                .opt("--anchors", d("log.db")),
        );
    }
    let out = run_ok(&mut anchors(&[&"verify", &"--anchors", &d("log.db")]));
    assert!(out.contains("14 entries"), "{out}");
    // Rendered against the log: the final bill's page verified (a key alone cannot check a final
    // bill), what it makes due its total less the partial invoice's; its partial invoice's amount
    // changed, not verified; a key and the log together, a usage error.
    let render = |bill: &str, extra: &[&str]| {
        let mut c = zk();
        c.arg("render")
            .opt("--bill", d(bill))
            .opt("--msa", &msa)
            .opt("--anchors", d("log.db"))
            .opt("--out", d("final-12.html"))
            .arg("--force")
            .args(extra);
        c
    };
    let out = run_ok(&mut render("final-12.bill.json", &[]));
    assert!(out.contains("proof verified against the anchor log"), "{out}");
    let html = std::fs::read_to_string(d("final-12.html")).expect("the page");
    assert!(
        html.contains(">verified</span> against the anchor log")
            && html.contains("less its partial invoice INV-2026-12-P"),
        "{html}"
    );
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", &s_rated)
            .opt("--msa", &msa)
            .opt("--out", d("normal-12.json")),
    );
    let normal: zkinvoice_mef141::CustomerBill =
        serde_json::from_str(&std::fs::read_to_string(d("normal-12.json")).expect("the bill"))
            .expect("a bill");
    let mut partial: zkinvoice_circuits::model::invoice::InvoiceDoc =
        serde_json::from_value(f["zkPartial"].clone()).expect("the partial invoice");
    partial.total = "1.00".into();
    let edited = normal.finalised(partial).expect("final");
    std::fs::write(d("edited-12.json"), serde_json::to_string(&edited).unwrap()).expect("writes");
    let out = run_ok(&mut render("edited-12.json", &[]));
    assert!(out.contains("proof NOT VERIFIED"), "{out}");
    run_fail(
        &mut render("final-12.bill.json", &["--vk", "invoice-S.vk"]),
        EXIT_USAGE,
        &["--anchors", "--vk"],
        &[],
    );

    // The final invoice credited: December's SLA performance (IP transit below its 99.9 band)
    // and the credit key agreed, the Seller's credit note of the final invoice proved and
    // anchored (a partial invoice's is refused), its bill due the total less the partial
    // invoice's and the note's, verified against the log.
    run_ok(
        zk().args(["setup", "--shape", "S", "--statement", "credit"])
            .opt("--params", &params),
    );
    let credit_key = propose(
        "credit-key.json",
        &[
            &"--msa-commit",
            &d("msa.commit.json"),
            &"--credit-key",
            &params.join("credit-S.vk"),
            &"--single-party-setup",
        ],
        &both,
    );
    run_ok(&mut append(&credit_key));
    std::fs::write(
        d("sla-12.json"),
        r#"{ "period": { "start": "2026-12-01", "end": "2027-01-01" }, "records": [
            { "product": "ip-transit", "availabilityPercent": "99.8" },
            { "product": "eline-ovc-1g", "availabilityPercent": "99.99" } ] }"#,
    )
    .expect("writes");
    run_ok(
        zk().args(["sla", "commit"])
            .opt("--msa", &msa)
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--sla", d("sla-12.json"))
            .opt("--out", d("sla-12.commit.json")),
    );
    let sla = propose(
        "sla-12.proposal.json",
        &[&"--sla-commit", &d("sla-12.commit.json")],
        &both,
    );
    run_ok(&mut append(&sla));
    let note = |invoice: &Path, tag: &str| {
        run_ok(
            zk().arg("credit")
                .opt("--msa", &msa)
                .opt("--invoice", invoice)
                .opt("--sla", d("sla-12.json"))
                .opt("--prove", d(&format!("credit-{tag}.json")))
                .opt("--msa-commit", d("msa.commit.json"))
                .opt("--sla-commit", d("sla-12.commit.json"))
                .opt("--opening", d(&format!("credit-{tag}.opening.json")))
                .opt("--params", &params),
        );
        propose(
            &format!("credit-{tag}.proposal.json"),
            &[&"--credit-note", &d(&format!("credit-{tag}.json"))],
            &["seller"],
        )
    };
    let of_partial = note(&p_rated, "partial");
    run_fail(
        &mut append(&of_partial),
        EXIT_DATA,
        &["a partial invoice", "credit notes whole or final ones"],
        &[],
    );
    run_ok(&mut append(&note(&s_rated, "final")));
    let out = run_ok(
        bill(&s_rated, "credited-12.json")
            .opt("--partial-invoice", &p_rated)
            .opt("--credit", d("credit-final.opening.json")),
    );
    assert!(out.contains("written to"), "{out}");
    let c = read_json(&d("credited-12.json"));
    let cents = |v: &serde_json::Value| (v.as_f64().expect("an amount") * 100.0).round() as i64;
    let opening = read_json(&d("credit-final.opening.json"));
    let credit: f64 = opening["total"]
        .as_str()
        .expect("a total")
        .parse()
        .expect("a number");
    assert!(credit > 0.0, "{opening}");
    assert_eq!(
        (c["zkPart"].as_str(), cents(&c["amountDue"]["value"])),
        (
            Some("final"),
            cents(&f["amountDue"]["value"]) - (credit * 100.0).round() as i64
        )
    );
    run_ok(
        zk().arg("verify")
            .opt("--payload", d("credited-12.json"))
            .opt("--msa", &msa)
            .opt("--anchors", d("log.db")),
    );

    let _ = b_uc;
}
