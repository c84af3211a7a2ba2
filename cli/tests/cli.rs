//! Integration tests of the `zkinvoice` binary: the documented flow on the example data, and how
//! it refuses bad input end to end (exit code, a message naming the file, the field or record and
//! the reason, nothing written, no panic). The model's validation rules themselves are tested in
//! the circuits crate (`circuits/tests/model_{msa,usage}.rs`).

mod common;

use std::{
    cell::OnceCell,
    fs,
    path::{Path, PathBuf},
};

use assert_cmd::Command;
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;
use zkinvoice_testkit::examples::{rec, row, usage_csv, usage_json};

/// `zkinvoice msa commit --msa MSA`.
fn msa_commit(msa: &Path) -> Command {
    let mut c = zk();
    c.args(["msa", "commit"]).opt("--msa", msa);
    c
}

/// `zkinvoice usage commit --msa MSA --msa-commit COMMIT --usage USAGE`.
fn usage_commit(msa: &Path, commit: &Path, usage: &Path) -> Command {
    let mut c = zk();
    c.args(["usage", "commit"])
        .opt("--msa", msa)
        .opt("--msa-commit", commit)
        .opt("--usage", usage);
    c
}

/// `zkinvoice rate --msa MSA --usage USAGE --state STATE --invoice-number NUMBER`.
fn rate(msa: &Path, usage: &Path, state: &Path, number: &str) -> Command {
    let mut c = zk();
    c.arg("rate")
        .opt("--msa", msa)
        .opt("--usage", usage)
        .opt("--state", state)
        .opt("--invoice-number", number);
    c
}

/// The file name of `p`, as error messages must name it.
fn name(p: &Path) -> String {
    p.file_name().expect("a file").to_string_lossy().into_owned()
}

/// One test's temporary directory.
struct Env {
    dir: TempDir,
    /// The example MSA committed (shape M): the commitment file and the `state_0` file.
    committed: OnceCell<(PathBuf, PathBuf)>,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: TempDir::new().expect("a temporary directory"),
            committed: OnceCell::new(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        fs::write(&p, contents).expect("writable");
        p
    }

    fn write_json(&self, name: &str, v: &Value) -> PathBuf {
        self.write(name, serde_json::to_string_pretty(v).expect("serialises"))
    }

    /// The example MSA changed by `f`, written as `msa-edited.json`.
    fn msa_with(&self, f: impl FnOnce(&mut Value)) -> PathBuf {
        let mut v = read_json(&example("msa.json"));
        f(&mut v);
        self.write_json("msa-edited.json", &v)
    }

    /// `msa commit` of `msa` (shape M): the commitment file and the `state_0` file.
    fn commit_msa(&self, msa: &Path, prefix: &str) -> (PathBuf, PathBuf) {
        let commit = self.path(&format!("{prefix}msa.commit.json"));
        let state = self.path(&format!("{prefix}state-0.json"));
        run_ok(
            msa_commit(msa)
                .opt("--records", "1024")
                .opt("--out", &commit)
                .opt("--state-out", &state),
        );
        (commit, state)
    }

    /// The example MSA's commitment file and `state_0` file (shape M), made once.
    fn example_committed(&self) -> &(PathBuf, PathBuf) {
        self.committed
            .get_or_init(|| self.commit_msa(&example("msa.json"), "example-"))
    }

    /// Checks that `msa commit` refuses `msa` with `needles` (and the file name) and writes
    /// nothing.
    fn msa_refused(&self, msa: &Path, needles: &[&str]) {
        let (out, state) = (self.path("out.commit.json"), self.path("out-state-0.json"));
        let file = name(msa);
        let needles = [needles, &[file.as_str()]].concat();
        let mut cmd = msa_commit(msa);
        cmd.opt("--out", &out).opt("--state-out", &state);
        run_fail(&mut cmd, EXIT_DATA, &needles, &[&out, &state]);
    }

    /// Checks that both `usage commit` and `rate` refuse `usage` against the example MSA with
    /// `needles` (and the file name) and write nothing.
    fn usage_refused(&self, usage: &Path, period: Option<&str>, needles: &[&str]) {
        let (commit, state) = self.example_committed();
        let msa = example("msa.json");
        let file = name(usage);
        let needles = [needles, &[file.as_str()]].concat();
        let period: Vec<&str> = period.map(|p| vec!["--period", p]).unwrap_or_default();

        let out = self.path("out.usage.commit.json");
        let mut cmd = usage_commit(&msa, commit, usage);
        cmd.args(&period).opt("--out", &out);
        run_fail(&mut cmd, EXIT_DATA, &needles, &[&out]);

        let (invoice, after) = (self.path("out.invoice.json"), self.path("out.state-1.json"));
        let mut cmd = rate(&msa, usage, state, "INV-1");
        cmd.args(&period)
            .opt("--out", &invoice)
            .opt("--state-out", &after);
        run_fail(&mut cmd, EXIT_DATA, &needles, &[&invoice, &after]);
    }

    /// JSON usage of October with `records`, checked to be refused with `needles`.
    fn json_records_refused(&self, records: Vec<Value>, needles: &[&str]) {
        let usage = self.write_json("usage.json", &usage_json(records));
        self.usage_refused(&usage, None, needles);
    }

    /// CSV usage with `rows`, checked to be refused (with `--period` October) with `needles`.
    fn csv_rows_refused(&self, rows: &[String], needles: &[&str]) {
        let usage = self.write("usage.csv", usage_csv(rows));
        self.usage_refused(&usage, Some(OCTOBER), needles);
    }
}

/// A decimal money string of USD (2 decimals) in cents.
fn cents(v: &Value) -> u64 {
    let s = v.as_str().unwrap_or_else(|| panic!("money is a string: {v}"));
    let (int, frac) = s.split_once('.').expect("USD has 2 decimals");
    assert_eq!(frac.len(), 2, "{s}");
    int.parse::<u64>().unwrap() * 100 + frac.parse::<u64>().unwrap()
}

/// A non-empty string.
fn assert_text(v: &Value) {
    assert!(
        v.as_str().is_some_and(|s| !s.is_empty()),
        "not a non-empty string: {v}"
    );
}

/// Checks a state file of the example MSA.
fn assert_state(v: &Value, index: u64, msa_commitment: &Value) {
    assert_eq!(v["shape"], "M", "{v}");
    assert_eq!(v["msaId"], "MSA-2026-0042", "{v}");
    assert_eq!(&v["msaCommitment"], msa_commitment, "{v}");
    assert_eq!(v["index"], index, "{v}");
    let volumes = v["volumes"].as_object().expect("volumes by product");
    let products: Vec<&str> = volumes.keys().map(String::as_str).collect();
    let want = ["compute-vcpu", "eline-ovc-1g", "ip-transit", "voice-termination"];
    assert_eq!(products, want);
    for q in volumes.values() {
        q.as_str()
            .expect("a decimal string")
            .parse::<u64>()
            .expect("a volume");
    }
    assert_text(&v["salt"]);
    assert_text(&v["commitment"]);
}

fn volume(state: &Value, product: &str) -> u64 {
    state["volumes"][product].as_str().unwrap().parse().unwrap()
}

/// Checks an invoice of the example MSA: fields, dates, and that the sums add up.
fn assert_invoice(inv: &Value, number: &str, period: [&str; 2], due: &str) {
    assert_eq!(inv["number"], number, "{inv}");
    assert_eq!(inv["msaId"], "MSA-2026-0042");
    assert_eq!(inv["seller"], "northwind-carrier");
    assert_eq!(inv["buyer"], "globex-cloud");
    assert_eq!(inv["period"], json!({ "start": period[0], "end": period[1] }));
    assert_eq!(inv["issueDate"], period[1]);
    assert_eq!(inv["dueDate"], due);
    assert_eq!(inv["currency"], "USD");
    assert!(
        inv["taxRatePercent"].as_str().unwrap().starts_with("8.875"),
        "{inv}"
    );
    let lines = inv["lines"].as_array().expect("lines");
    for l in lines {
        assert_text(&l["product"]);
        assert!(l["kind"] == "usage" || l["kind"] == "recurring", "{l}");
        assert_text(&l["quantity"]);
    }
    // The recurring lines of the example: 3 OVCs at 1450.00 and 2 vCPU reservations at 250.00.
    let line = |p: &str, kind: &str| lines.iter().find(|l| l["product"] == p && l["kind"] == kind);
    let ovc = line("eline-ovc-1g", "recurring").expect("the OVC line");
    assert_eq!(
        (&ovc["quantity"], &ovc["amount"]),
        (&json!("3"), &json!("4350.00"))
    );
    let cpu = line("compute-vcpu", "recurring").expect("the vCPU reservation line");
    assert_eq!(
        (&cpu["quantity"], &cpu["amount"]),
        (&json!("2"), &json!("500.00"))
    );
    for p in ["ip-transit", "voice-termination", "compute-vcpu"] {
        assert!(line(p, "usage").is_some(), "no usage line for {p}: {inv}");
    }
    let sum: u64 = lines.iter().map(|l| cents(&l["amount"])).sum();
    assert_eq!(cents(&inv["subtotal"]), sum, "{inv}");
    // 8.875 % tax, rounded half up.
    assert_eq!(cents(&inv["tax"]), (sum * 88_750 + 500_000) / 1_000_000, "{inv}");
    assert_eq!(cents(&inv["total"]), sum + cents(&inv["tax"]), "{inv}");
    let c = &inv["commitment"];
    assert_eq!(c["shape"], "M", "{inv}");
    assert_text(&c["salt"]);
    assert_text(&c["value"]);
}

// ---------------------------------------------------------------------------------------------
// The documented flow.

#[test]
fn flow_on_the_examples_commits_rates_and_chains_periods() {
    let env = Env::new();
    let msa = example("msa.json");
    let (commit, state0) = env.commit_msa(&msa, "");

    let c = read_json(&commit);
    assert_eq!(c["shape"], "M", "{c}");
    assert_eq!(c["msaId"], "MSA-2026-0042");
    assert_text(&c["commitment"]);
    assert_text(&c["state0"]);
    assert_eq!(c["salt"].as_str().map(str::len), Some(62), "{c}");
    let s0 = read_json(&state0);
    assert_state(&s0, 0, &c["commitment"]);
    assert_eq!(s0["commitment"], c["state0"]);
    assert!(s0["volumes"].as_object().unwrap().values().all(|v| v == "0"));

    let october = example("usage-2026-10.json");
    let usage_out = env.path("usage-2026-10.commit.json");
    run_ok(usage_commit(&msa, &commit, &october).opt("--out", &usage_out));
    let u = read_json(&usage_out);
    assert_eq!(u["shape"], "M", "{u}");
    assert_eq!(u["msaCommitment"], c["commitment"]);
    assert_eq!(u["period"], json!({ "start": "2026-10-01", "end": "2026-11-01" }));
    assert_eq!(u["records"], 992);
    assert_text(&u["commitment"]);
    let root = u["detailRoot"].as_str().expect("hex");
    assert!(
        root.len() == 64 && root.bytes().all(|b| b.is_ascii_hexdigit()),
        "{root}"
    );
    assert_eq!(u["salt"].as_str().map(str::len), Some(62), "{u}");

    // CSV usage of November with --period, on standard output.
    let november = example("usage-2026-11.csv");
    let stdout = run_ok(usage_commit(&msa, &commit, &november).opt("--period", NOVEMBER));
    let n: Value = serde_json::from_str(&stdout).expect("JSON on standard output");
    assert_eq!(n["period"], json!({ "start": "2026-11-01", "end": "2026-12-01" }));
    assert_eq!(n["records"], 960);
    assert_eq!(n["msaCommitment"], c["commitment"]);

    let (invoice, state1) = (env.path("invoice-2026-10.json"), env.path("state-1.json"));
    let stdout = run_ok(
        rate(&msa, &october, &state0, "INV-2026-10")
            .opt("--out", &invoice)
            .opt("--state-out", &state1),
    );
    assert!(stdout.trim().is_empty(), "{stdout}");
    let r = read_json(&invoice);
    assert_invoice(
        &r["invoice"],
        "INV-2026-10",
        ["2026-10-01", "2026-11-01"],
        "2026-12-01",
    );
    let s1 = read_json(&state1);
    assert_eq!(r["stateAfter"], s1);
    assert_state(&s1, 1, &c["commitment"]);
    assert_eq!(volume(&s1, "eline-ovc-1g"), 0);

    // November starts from state 1; JSON on standard output (not a terminal).
    let state2 = env.path("state-2.json");
    let stdout = run_ok(
        rate(&msa, &november, &state1, "INV-2026-11")
            .opt("--period", NOVEMBER)
            .opt("--state-out", &state2),
    );
    let r2: Value = serde_json::from_str(&stdout).expect("JSON on standard output");
    assert_invoice(
        &r2["invoice"],
        "INV-2026-11",
        ["2026-11-01", "2026-12-01"],
        "2026-12-31",
    );
    assert_ne!(
        r2["invoice"]["commitment"]["value"],
        r["invoice"]["commitment"]["value"]
    );
    let s2 = read_json(&state2);
    assert_eq!(r2["stateAfter"], s2);
    assert_state(&s2, 2, &c["commitment"]);
    for p in ["ip-transit", "voice-termination", "compute-vcpu"] {
        assert!(volume(&s1, p) > 0, "{p}");
        assert!(
            volume(&s2, p) > volume(&s1, p),
            "{p}: the cumulative volume grows"
        );
    }
}

#[test]
fn rate_format_table_prints_a_table() {
    let env = Env::new();
    let (_, state0) = env.example_committed();
    let after = env.path("state-1.json");
    let out = run_ok(
        rate(
            &example("msa.json"),
            &example("usage-2026-10.json"),
            state0,
            "INV-2026-10",
        )
        .opt("--format", "table")
        .opt("--state-out", &after),
    );
    assert!(out.contains("subtotal"), "{out}");
    assert!(out.contains("eline-ovc-1g"), "{out}");
    assert_eq!(read_json(&after)["index"], 1);
}

#[test]
fn force_replaces_an_existing_output() {
    let env = Env::new();
    let out = env.write("msa.commit.json", "old\n");
    let state = env.write("state-0.json", "old\n");
    let msa = example("msa.json");
    run_ok(
        msa_commit(&msa)
            .arg("--force")
            .opt("--out", &out)
            .opt("--state-out", &state),
    );
    assert_eq!(read_json(&out)["msaId"], "MSA-2026-0042");
    assert_eq!(read_json(&state)["index"], 0);
    // Again: a fresh salt, so a different file.
    let first = fs::read_to_string(&out).unwrap();
    run_ok(msa_commit(&msa).arg("--force").opt("--out", &out));
    let second = fs::read_to_string(&out).unwrap();
    assert_ne!(first, second);
    assert_eq!(read_json(&out)["msaId"], "MSA-2026-0042");
}

#[test]
fn existing_output_without_force_is_refused_and_kept() {
    let env = Env::new();
    let msa = example("msa.json");
    let out = env.write("msa.commit.json", "keep me\n");
    let state = env.path("state-0.json");
    run_fail(
        msa_commit(&msa).opt("--state-out", &state).opt("--out", &out),
        EXIT_CANT_CREATE,
        &["msa.commit.json", "exists", "--force"],
        &[&state],
    );
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep me\n");

    // rate's --state-out exists and --out does not: neither is written.
    let (_, state0) = env.example_committed();
    let invoice = env.path("invoice.json");
    let after = env.write("state-1.json", "keep me too\n");
    run_fail(
        rate(&msa, &example("usage-2026-10.json"), state0, "INV-1")
            .opt("--out", &invoice)
            .opt("--state-out", &after),
        EXIT_CANT_CREATE,
        &["state-1.json", "exists", "--force"],
        &[&invoice],
    );
    assert_eq!(fs::read_to_string(&after).unwrap(), "keep me too\n");

    // No temporary files are left behind.
    let mut left: Vec<String> = fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let want = [
        "example-msa.commit.json",
        "example-state-0.json",
        "msa.commit.json",
        "state-1.json",
    ];
    assert_eq!(left, want);
}

#[test]
fn schema_prints_json_schemas() {
    for what in ["msa", "usage", "invoice"] {
        let out = run_ok(zk().args(["schema", what]));
        let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("schema {what}: {e}"));
        assert!(v["properties"].is_object(), "schema {what}: {v}");
    }
}

#[test]
fn demo_runs_the_whole_flow() {
    let out = run_ok(zk().args(["demo", "--single-party-setup"]));
    // Each month's bill, and December's interim bill, goes over HTTP (MEF 141 event, fetch,
    // verification) and is accepted.
    assert_eq!(
        out.matches("its own log: ACCEPTED -> invoice-accepted").count(),
        4,
        "{out}"
    );
    // Each decision is delivered to the Seller's copy by the Buyer's service.
    assert_eq!(out.matches("delivered to the seller's copy").count(), 4, "{out}");
    assert_eq!(out.matches(": REJECTED").count(), 5, "{out}");
    assert!(
        out.contains("payment redirected to another account (new bill number, same proof): REJECTED")
            && out.contains("financialAccount.id"),
        "{out}"
    );
    assert!(
        out.contains("REJECTED by the buyer's service (invalidBill"),
        "{out}"
    );
    assert_eq!(out.matches(": REFUSED").count(), 1, "{out}");
    // October is measured by both and reconciled within the thresholds; December is disputed
    // over ip-transit, invoiced in part while the dispute is open, and resolved; November is not
    // measured by the Buyer.
    assert!(out.contains("Both sign statement-key-agreed (entry 2)"), "{out}");
    assert_eq!(out.matches("and signs usage-measured").count(), 2, "{out}");
    assert!(
        out.contains("Within every threshold: the seller proves it in")
            && out.contains("anchors usage-reconciled (entry 5)"),
        "{out}"
    );
    assert!(
        out.contains("Over the threshold of ip-transit: the buyer proves it in")
            && out.contains("anchors dispute-opened (entry 14")
            && out.contains("lists it at GET /disputes (over: ip-transit)")
            && out.contains("Both sign dispute-resolved (entry 18)"),
        "{out}"
    );
    assert!(
        out.contains("both sign the period's usage without ip-transit (usage-partial, entry 15)")
            && out.contains("anchors invoice-partial (entry 16; the state does not move)")
            && out.contains("Invoice INV-202612-0003-P ")
            && out.contains("proof in zkProof), zkPart interim;")
            && out.contains("ACCEPTED -> invoice-accepted (entry 17)")
            && out.contains("zkPart final, less INV-202612-0003-P (zkPartial), amountDue 4270.49 USD")
            && out.contains("ACCEPTED -> invoice-accepted (entry 21)"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("ip-transit") && l.ends_with("OVER")),
        "{out}"
    );
    assert!(
        out.contains("Both logs hold 34 entries with the same head"),
        "{out}"
    );
    assert!(out.contains("audits clean (12 proofs"), "{out}");
    // November is credited under its SLA performance: the note proved and anchored, opened by the
    // Buyer against its log.
    assert!(
        out.contains("(sla-agreed, entry 23)")
            && out.contains("anchors credit-note (entry 24)")
            && out.contains(
                "eline-ovc-1g         availability 99.8700 %, credit 10.0000 % of 4350.00 = 435.00"
            )
            && out.contains("subtotal 435.00, tax 38.61, total 473.61 USD")
            && out.contains("473.61 USD off INV-202611-0002"),
        "{out}"
    );
    // October is netted against the reverse bilateral's invoice, in both bilaterals' logs.
    assert!(
        out.contains("globex-cloud pays northwind-carrier 25206.46 USD net")
            && out.contains("Both sign invoices-netted in both bilaterals (entry 26 here, entry 6"),
        "{out}"
    );
    // Its net is paid by Globex and received by Northwind, in both bilaterals' logs; October is
    // not paid on its own.
    assert!(
        out.contains("INV-202610-0001: netted (entry 26): globex-cloud pays the net, 25206.46 USD")
            && out.contains("signs net-payment in both\n   bilaterals (entries 27 and 7)")
            && out.contains("signs net-payment-received (entries 28 and 8)")
            && out.contains("publishes the bill settled under the net's payment"),
        "{out}"
    );
    // The other invoices are paid by the Buyer (November less its credit note, December's
    // partial invoice in full, its final invoice less the partial) and received by the Seller.
    assert_eq!(out.matches("and signs payment (entry").count(), 3, "{out}");
    assert_eq!(
        out.matches("checks it against its log: SETTLED").count(),
        4,
        "{out}"
    );
    assert!(out.contains("signs payment-received (entry 30)"), "{out}");
    assert!(
        out.contains("INV-202611-0002: the buyer pays it less CN-INV-202611-0002 (473.61 USD), 26358.20 USD")
            && out.contains("INV-202612-0003-P: the buyer pays it in full")
            && out.contains(
                "INV-202612-0003: the buyer pays it less INV-202612-0003-P (22729.07 USD), 4270.49 USD"
            ),
        "{out}"
    );
    assert!(
        out.contains(
            "3 of 4 accepted invoices paid and received, 1 credited, 1 netted; 1 of 1 nets paid and received"
        ),
        "{out}"
    );
    assert!(!out.contains("a defect"), "{out}");
    assert!(
        out.contains("rating the CDRs one by one gives the same invoice"),
        "{out}"
    );
}

/// The same flow with every invoice proven as partitions (protocol v2, partition shape PS):
/// commitments, proofs, both anchor logs, MEF 141 over HTTP, the Buyer's verdicts, the netting of
/// October's partitioned invoice and its settlement (the Buyer's service checks the netted bill),
/// tampering and the audit.
#[test]
fn demo_runs_the_whole_flow_with_partitioned_invoices() {
    let out = run_ok(zk().args(["demo", "--shape", "PS", "--single-party-setup"]));
    assert!(out.contains("keys of partition shape PS"), "{out}");
    assert_eq!(out.matches("1 blocks, 2 chunks and the link").count(), 3, "{out}");
    assert_eq!(
        out.matches("its own log: ACCEPTED -> invoice-accepted").count(),
        3,
        "{out}"
    );
    assert_eq!(out.matches(": REJECTED").count(), 5, "{out}");
    assert!(
        out.contains("payment redirected to another account (new bill number, same proof): REJECTED")
            && out.contains("financialAccount.id"),
        "{out}"
    );
    assert!(
        out.contains("the parts do not open the anchored usage commitment"),
        "{out}"
    );
    assert_eq!(out.matches(": REFUSED").count(), 1, "{out}");
    // October is netted against the reverse bilateral's partitioned invoice over their heads,
    // in both bilaterals' logs, and its net paid and received.
    assert!(
        out.contains("globex-cloud pays northwind-carrier 25206.46 USD net")
            && out.contains("over the two invoices' heads, each invoice commitment the top of its parts")
            && out.contains("Both sign invoices-netted in both bilaterals (entry 12 here, entry 6"),
        "{out}"
    );
    assert!(
        out.contains("INV-202610-0001: netted (entry 12): globex-cloud pays the net, 25206.46 USD")
            && out.contains("signs net-payment-received (entries 14 and 8)"),
        "{out}"
    );
    assert!(
        out.contains("Both logs hold 18 entries with the same head"),
        "{out}"
    );
    // Three invoices of a block, two chunks and the link each, and the netting.
    assert!(out.contains("audits clean (13 proofs"), "{out}");
    assert!(
        out.contains("2 of 3 accepted invoices paid and received, 1 netted; 1 of 1 nets paid and received"),
        "{out}"
    );
    assert!(!out.contains("a defect"), "{out}");
    run_fail(
        zk().args(["demo", "--shape", "M"]),
        EXIT_USAGE,
        &["--shape M", "shape S (one proof) or partition shape PS"],
        &[],
    );
}

#[test]
fn demo_out_keeps_the_files() {
    let env = Env::new();
    let dir = env.path("demo");
    run_ok(zk().args(["demo", "--single-party-setup"]).opt("--out", &dir));
    for f in [
        "msa.commit.json",
        "state-0.json",
        "state-1.json",
        "state-2.json",
        "INV-202610-0001.envelope.json",
        "INV-202612-0003.bill.json",
        "INV-202612-0003-P.bill.json",
        "INV-202612-0003-P.envelope.json",
        "usage-2026-12.partial.commit.json",
        "params/invoice-S.json",
        "params/reconcile-S.json",
        "params/netting-S.json",
        "params/credit-S.json",
        "2026-10.netting.json",
        "sla-2026-11.commit.json",
        "CN-INV-202611-0002.envelope.json",
        "CN-INV-202611-0002.opening.json",
        "state-3.json",
    ] {
        read_json(&dir.join(f));
    }
    assert_eq!(
        read_json(&dir.join("params/reconcile-S.json"))["statement"],
        "zkinvoice/reconcile/v1"
    );
    // Not into a directory that has files.
    let needles = ["demo", "not an empty directory"];
    run_fail(
        zk().arg("demo").opt("--out", &dir),
        EXIT_CANT_CREATE,
        &needles,
        &[],
    );
}

#[test]
fn command_line_misuse_is_exit_code_2() {
    let env = Env::new();
    let out = env.path("out.json");
    run_fail(
        zk().args(["msa", "commit"]).opt("--out", &out),
        EXIT_USAGE,
        &["--msa"],
        &[&out],
    );
    let mut cmd = msa_commit(&example("msa.json"));
    cmd.opt("--salt", "xyz").opt("--out", &out);
    run_fail(&mut cmd, EXIT_USAGE, &["--salt"], &[&out]);
    let (m, u, s) = (Path::new("m.json"), Path::new("u.csv"), Path::new("s.json"));
    let mut cmd = rate(m, u, s, "I");
    cmd.opt("--period", "2026-11-01..2026-10-01");
    run_fail(&mut cmd, EXIT_USAGE, &["--period", "not after"], &[]);
}

// ---------------------------------------------------------------------------------------------
// Unreadable inputs.

#[test]
fn missing_input_files_are_exit_code_66() {
    let env = Env::new();
    let msa = example("msa.json");
    let (out, state) = (env.path("out.json"), env.path("state.json"));
    let missing = env.path("no-such-msa.json");
    run_fail(
        msa_commit(&missing).opt("--out", &out).opt("--state-out", &state),
        EXIT_NO_INPUT,
        &["no-such-msa.json", "cannot read"],
        &[&out, &state],
    );

    let (commit, state0) = env.example_committed();
    let usage = env.path("no-such-usage.json");
    run_fail(
        usage_commit(&msa, commit, &usage).opt("--out", &out),
        EXIT_NO_INPUT,
        &["no-such-usage.json", "cannot read"],
        &[&out],
    );
    let no_commit = env.path("no-such.commit.json");
    run_fail(
        usage_commit(&msa, &no_commit, &example("usage-2026-10.json")).opt("--out", &out),
        EXIT_NO_INPUT,
        &["no-such.commit.json", "cannot read"],
        &[&out],
    );
    let no_state = env.path("no-such-state.json");
    run_fail(
        rate(&msa, &example("usage-2026-10.json"), &no_state, "INV-1")
            .opt("--out", &out)
            .opt("--state-out", &state),
        EXIT_NO_INPUT,
        &["no-such-state.json", "cannot read"],
        &[&out, &state],
    );
    let usage = env.path("no-such-usage.csv");
    run_fail(
        rate(&msa, &usage, state0, "INV-1")
            .opt("--period", OCTOBER)
            .opt("--out", &out)
            .opt("--state-out", &state),
        EXIT_NO_INPUT,
        &["no-such-usage.csv", "cannot read"],
        &[&out, &state],
    );
}

// ---------------------------------------------------------------------------------------------
// Refused MSAs.

#[test]
fn malformed_msa_json_is_refused() {
    let env = Env::new();
    let text = fs::read_to_string(example("msa.json")).unwrap();
    let msa = env.write("msa.json", &text[..text.len() / 2]);
    env.msa_refused(&msa, &["malformed JSON", "line"]);
    // A missing comma after line 13 is found at line 14.
    let msa = env.write("msa.json", text.replacen("\"USD\",", "\"USD\"", 1));
    env.msa_refused(&msa, &["malformed JSON at line 14, column 3", "expected"]);
    // Well-formed JSON of the wrong structure.
    let msa = env.msa_with(|m| m["paymentTerms"]["netDays"] = json!("30"));
    env.msa_refused(&msa, &["malformed JSON", "line"]);
}

#[test]
fn msa_exceeding_shape_s_is_refused() {
    let env = Env::new();
    let msa = env.msa_with(|m| {
        let products = m["products"].as_array_mut().unwrap();
        for i in 0..5 {
            let mut p = products[1].clone();
            p["id"] = json!(format!("extra-{i}"));
            products.push(p);
        }
    });
    let (out, state) = (env.path("out.commit.json"), env.path("state-0.json"));
    run_fail(
        msa_commit(&msa)
            .opt("--shape", "S")
            .opt("--out", &out)
            .opt("--state-out", &state),
        EXIT_DATA,
        &["msa-edited.json", "9 products (at most 8)", "shape M"],
        &[&out, &state],
    );
    // Without --shape the smallest shape that fits is chosen.
    run_ok(msa_commit(&msa).opt("--out", &out));
    assert_eq!(read_json(&out)["shape"], "M");
}

// ---------------------------------------------------------------------------------------------
// Inputs that do not belong together.

#[test]
fn state_of_another_msa_is_refused() {
    let env = Env::new();
    let other = env.msa_with(|m| m["id"] = json!("MSA-2026-0043"));
    let (_, other_state) = env.commit_msa(&other, "other-");
    let usage = env.write_json(
        "usage.json",
        &usage_json(vec![rec("r1", "ip-transit", json!(10))]),
    );
    let (out, after) = (env.path("invoice.json"), env.path("state-1.json"));
    run_fail(
        rate(&example("msa.json"), &usage, &other_state, "INV-1")
            .opt("--out", &out)
            .opt("--state-out", &after),
        EXIT_DATA,
        &["other-state-0.json", "msaId", "belongs to MSA", "MSA-2026-0043"],
        &[&out, &after],
    );
}

#[test]
fn msa_commit_file_of_an_edited_msa_does_not_open() {
    let env = Env::new();
    let (commit, _) = env.example_committed();
    let edited = env.msa_with(|m| m["taxRatePercent"] = json!("10"));
    let out = env.path("usage.commit.json");
    run_fail(
        usage_commit(&edited, commit, &example("usage-2026-10.json")).opt("--out", &out),
        EXIT_DATA,
        &["example-msa.commit.json", "does not open"],
        &[&out],
    );
}

#[test]
fn edited_state_file_does_not_open() {
    let env = Env::new();
    let (_, state0) = env.example_committed();
    let mut s = read_json(state0);
    s["volumes"]["ip-transit"] = json!("1000000");
    let edited = env.write_json("state-edited.json", &s);
    let usage = env.write_json(
        "usage.json",
        &usage_json(vec![rec("r1", "ip-transit", json!(10))]),
    );
    let (out, after) = (env.path("invoice.json"), env.path("state-1.json"));
    run_fail(
        rate(&example("msa.json"), &usage, &edited, "INV-1")
            .opt("--out", &out)
            .opt("--state-out", &after),
        EXIT_DATA,
        &["state-edited.json", "commitment", "does not open"],
        &[&out, &after],
    );
}

#[test]
fn more_records_than_the_state_shape_holds_are_refused() {
    let env = Env::new();
    let (msa, october) = (example("msa.json"), example("usage-2026-10.json"));
    // Without --records, the example MSA gets shape S (64 records).
    let (commit, state0) = (env.path("msa.commit.json"), env.path("state-0.json"));
    run_ok(msa_commit(&msa).opt("--out", &commit).opt("--state-out", &state0));
    assert_eq!(read_json(&state0)["shape"], "S");
    let (out, after) = (env.path("invoice.json"), env.path("state-1.json"));
    run_fail(
        rate(&msa, &october, &state0, "INV-2026-10")
            .opt("--out", &out)
            .opt("--state-out", &after),
        EXIT_DATA,
        &["usage-2026-10.json", "992 usage records (at most 64)", "shape M"],
        &[&out, &after],
    );
    let usage_out = env.path("usage.commit.json");
    run_fail(
        usage_commit(&msa, &commit, &october).opt("--out", &usage_out),
        EXIT_DATA,
        &["usage-2026-10.json", "992 usage records (at most 64)", "shape M"],
        &[&usage_out],
    );
}

// ---------------------------------------------------------------------------------------------
// Refused usage.

#[test]
fn usage_of_an_unknown_product_is_refused() {
    let env = Env::new();
    env.json_records_refused(
        vec![
            rec("r0", "ip-transit", json!(5)),
            rec("r1", "dark-fibre", json!(10)),
        ],
        &["records[1] (id \"r1\").product", "unknown product", "dark-fibre"],
    );
    env.csv_rows_refused(
        &[row("r1", "dark-fibre", "10")],
        &["line 2 (id \"r1\").product", "unknown product", "dark-fibre"],
    );
}

/// A record's quantity is below `2^47` and a cumulative volume below `2^63` (the circuits pack four
/// of either into one element); the rater's own check of a volume that reaches `2^63` in a period
/// is tested in `circuits/tests/rater.rs`.
#[test]
fn a_quantity_beyond_2_pow_47_minus_1_or_a_volume_reaching_2_pow_63_is_refused() {
    let env = Env::new();
    let (_, state0) = env.example_committed();
    let (out, after) = (env.path("invoice.json"), env.path("state-1.json"));
    let usage = env.write_json(
        "records.json",
        &usage_json(vec![rec("r1", "ip-transit", json!(u64::MAX))]),
    );
    run_fail(
        rate(&example("msa.json"), &usage, state0, "INV-1")
            .opt("--out", &out)
            .opt("--state-out", &after),
        EXIT_DATA,
        &["records.json", "quantity", "2^47-1", "split it"],
        &[&out, &after],
    );
    let mut state = read_json(state0);
    state["volumes"]["ip-transit"] = json!("9223372036854775808");
    let state = env.write_json("state-big.json", &state);
    let usage = env.write_json(
        "records.json",
        &usage_json(vec![rec("r1", "ip-transit", json!(1))]),
    );
    run_fail(
        rate(&example("msa.json"), &usage, &state, "INV-1")
            .opt("--out", &out)
            .opt("--state-out", &after),
        EXIT_DATA,
        &["state-big.json", "volumes.ip-transit", "not below 2^63"],
        &[&out, &after],
    );
}

#[test]
fn amount_beyond_2_pow_64_minus_1_is_refused() {
    let env = Env::new();
    let msa = env.msa_with(|m| {
        m["products"][1]["pricing"]["tiers"] = json!([{ "from": 0, "price": "18446744073.709551615" }]);
    });
    let (_, state0) = env.commit_msa(&msa, "");
    let usage = env.write_json(
        "usage.json",
        &usage_json(vec![rec("r1", "ip-transit", json!(1_000_000_000))]),
    );
    let (out, after) = (env.path("invoice.json"), env.path("state-1.json"));
    run_fail(
        rate(&msa, &usage, &state0, "INV-1")
            .opt("--out", &out)
            .opt("--state-out", &after),
        EXIT_DATA,
        &["usage.json", "amount", "ip-transit", "exceeds 2^64-1"],
        &[&out, &after],
    );
}

#[test]
fn a_period_without_usage_bills_the_recurring_charges() {
    let env = Env::new();
    let (_, state0) = env.example_committed();
    let usage = env.write_json("usage.json", &usage_json(vec![]));
    let stdout = run_ok(&mut rate(&example("msa.json"), &usage, state0, "INV-1"));
    let r: Value = serde_json::from_str(&stdout).expect("JSON on standard output");
    assert_eq!(r["invoice"]["subtotal"], "4850.00", "{r}");
    assert_eq!(r["invoice"]["total"], "5280.44", "{r}");
    assert_eq!(r["stateAfter"]["index"], 1);
}

#[test]
fn malformed_state_and_commit_files_are_refused() {
    let env = Env::new();
    let msa = example("msa.json");
    let october = example("usage-2026-10.json");
    let garbage = env.write("garbage.json", "not JSON\n");
    let (out, after) = (env.path("invoice.json"), env.path("state-1.json"));
    run_fail(
        rate(&msa, &october, &garbage, "INV-1")
            .opt("--out", &out)
            .opt("--state-out", &after),
        EXIT_DATA,
        &["garbage.json", "malformed JSON", "line 1"],
        &[&out, &after],
    );
    run_fail(
        usage_commit(&msa, &garbage, &october).opt("--out", &out),
        EXIT_DATA,
        &["garbage.json", "malformed JSON", "line 1"],
        &[&out],
    );
    let binary = env.write("binary.json", b"\xff\xfe{}");
    run_fail(
        msa_commit(&binary).opt("--out", &out),
        EXIT_DATA,
        &["binary.json", "not UTF-8"],
        &[&out],
    );
}

#[test]
fn output_into_a_missing_directory_is_exit_code_73() {
    let env = Env::new();
    let (_, state0) = env.example_committed();
    let (out, after) = (env.path("no-such-dir/invoice.json"), env.path("state-1.json"));
    run_fail(
        rate(
            &example("msa.json"),
            &example("usage-2026-10.json"),
            state0,
            "INV-1",
        )
        .opt("--state-out", &after)
        .opt("--out", &out),
        EXIT_CANT_CREATE,
        &["invoice.json", "cannot write"],
        &[&out, &after],
    );
}

#[test]
fn force_onto_a_directory_writes_nothing() {
    let env = Env::new();
    let (_, state0) = env.example_committed();
    let dir = env.path("a-directory");
    fs::create_dir(&dir).unwrap();
    let after = env.path("state-1.json");
    run_fail(
        rate(
            &example("msa.json"),
            &example("usage-2026-10.json"),
            state0,
            "INV-1",
        )
        .arg("--force")
        .opt("--state-out", &after)
        .opt("--out", &dir),
        EXIT_CANT_CREATE,
        &["a-directory", "cannot write"],
        &[&after],
    );
}

#[test]
fn invalid_invoice_number_is_a_command_line_error() {
    let env = Env::new();
    let (_, state0) = env.example_committed();
    for number in ["", " INV-1"] {
        let (out, after) = (env.path("invoice.json"), env.path("state-1.json"));
        let stderr = run_fail(
            rate(
                &example("msa.json"),
                &example("usage-2026-10.json"),
                state0,
                number,
            )
            .opt("--out", &out)
            .opt("--state-out", &after),
            EXIT_USAGE,
            &["--invoice-number"],
            &[&out, &after],
        );
        assert!(!stderr.contains("usage-2026-10.json"), "{stderr}");
    }
}
