//! `invoice` (an envelope as an MEF 141 CustomerBill with `zkProof`) and `verify --payload`.

mod common;

use std::{fs, path::PathBuf};

use common::*;
use serde_json::Value;

const EXIT_INVALID: i32 = 1;

fn verify(w: &World, payload: &PathBuf) -> assert_cmd::Command {
    let mut c = zk_verify();
    c.opt("--vk", w.p("params/invoice-S.vk"))
        .opt("--payload", payload)
        .opt("--msa-commit", w.p("msa.commit.json"))
        .opt("--usage-commit", w.p("usage-10.commit.json"))
        .opt("--state", w.p("state-0.json"));
    c
}

/// Writes `bill.json` with the number at `pointer` replaced by `new` (verbatim JSON text).
fn edited(w: &World, name: &str, pointer: &str, new: &str) -> PathBuf {
    let mut v = read_json(&w.p("bill.json"));
    *v.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = Value::from("PLACEHOLDER");
    let p = w.p(name);
    fs::write(&p, v.to_string().replace("\"PLACEHOLDER\"", new)).unwrap();
    p
}

#[test]
fn payload_render_verify_and_tampering() {
    let w = world();
    let out = run_ok(
        zk().arg("invoice")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", w.p("bill.json")),
    );
    assert!(out.contains("invoice INV-10"), "{out}");
    let bill = read_json(&w.p("bill.json"));
    assert!(bill["zkProof"]["proof"].is_string());
    assert_eq!(bill["id"], "INV-10");
    // The output is not replaced without --force.
    run_fail(
        zk().arg("invoice")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", w.p("bill.json")),
        EXIT_CANT_CREATE,
        &["--force"],
        &[],
    );

    let out = run_ok(&mut verify(w, &w.p("bill.json")));
    assert!(out.starts_with("valid: bill INV-10"), "{out}");
    // With the MSA, the descriptive fields are checked too.
    let out = run_ok(&mut verify(w, &w.p("bill.json")));
    assert!(out.starts_with("valid: "), "{out}");

    // Amounts edited after proving: the proof is valid, the bill is not.
    let amount = bill["customerBillItem"][0]["taxExcludedAmount"]["value"].to_string();
    let more = bump(&amount);
    let p = edited(
        w,
        "edit-amount.json",
        "/customerBillItem/0/taxExcludedAmount/value",
        &more,
    );
    run_fail(&mut verify(w, &p), EXIT_INVALID, &["changed after proving"], &[]);
    let total = bump(&bill["taxExcludedAmount"]["value"].to_string());
    let p = edited(w, "edit-subtotal.json", "/taxExcludedAmount/value", &total);
    run_fail(&mut verify(w, &p), EXIT_INVALID, &["changed after proving"], &[]);
    let q = bill["customerBillItem"][1]["unitQuantity"].as_u64().unwrap() + 1;
    let p = edited(
        w,
        "edit-quantity.json",
        "/customerBillItem/1/unitQuantity",
        &q.to_string(),
    );
    run_fail(&mut verify(w, &p), EXIT_INVALID, &["changed after proving"], &[]);
    // A duplicated amount that disagrees is refused as invalid too.
    let p = edited(w, "edit-due.json", "/amountDue/value", "1.00");
    run_fail(&mut verify(w, &p), EXIT_INVALID, &["amountDue.value"], &[]);

    // Malformed JSON.
    let p = w.p("malformed.json");
    fs::write(&p, "{\"id\": \"INV-10\",").unwrap();
    run_fail(&mut verify(w, &p), EXIT_DATA, &["malformed.json"], &[]);
}

/// One more minor unit of a two-decimal amount, written exactly.
fn bump(text: &str) -> String {
    let (int, frac) = text.split_once('.').expect("two decimals");
    let cents: u64 = format!("{int}{frac}").parse::<u64>().unwrap() + 1;
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[test]
fn render_html_invoice() {
    let w = world();
    let out = run_ok(
        zk().arg("render")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--vk", w.p("params/invoice-S.vk"))
            .opt("--out", w.p("invoice.html")),
    );
    assert!(out.contains("invoice INV-10"), "{out}");
    let html = fs::read_to_string(w.p("invoice.html")).unwrap();
    let env = read_json(&w.p("env-10.json"));
    let total = env["invoice"]["total"].as_str().unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Invoice INV-10"), "{html}");
    assert!(html.contains(total), "{total} in {html}");
    assert!(html.contains(">verified</span>"), "{html}");
    assert!(html.contains("@media print"));
    assert!(!html.contains("<script"));
    // Not replaced without --force; without a key, not verified.
    run_fail(
        zk().arg("render")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", w.p("invoice.html")),
        EXIT_CANT_CREATE,
        &["--force"],
        &[],
    );
    run_ok(
        zk().args(["render", "--force"])
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", w.p("invoice.html")),
    );
    let html = fs::read_to_string(w.p("invoice.html")).unwrap();
    assert!(
        html.contains("not verified</span> (no verifying key given)"),
        "{html}"
    );

    // Text from the files is escaped: a product name is not a script (the name is not committed).
    let mut msa = read_json(&example("msa.json"));
    msa["products"][0]["name"] = Value::from("<script>alert('x')</script> & co");
    let edited = w.p("msa-edited.json");
    fs::write(&edited, msa.to_string()).unwrap();
    run_ok(
        zk().arg("render")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", &edited)
            .opt("--out", w.p("escaped.html")),
    );
    let html = fs::read_to_string(w.p("escaped.html")).unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"),
        "{html}"
    );
}

/// A bill rendered: the invoice, and what the bill makes due (its category, a partial invoice
/// deducted, its payment); its proof checked with the key.
#[test]
fn render_html_bill() {
    let w = world();
    let dir = tempfile::TempDir::new().expect("dir");
    let d = |x: &str| dir.path().join(x);
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", d("bill.json")),
    );
    let bill: zkinvoice_mef141::CustomerBill =
        serde_json::from_str(&fs::read_to_string(d("bill.json")).unwrap()).unwrap();
    let render = |name: &str| {
        let out = run_ok(
            zk().arg("render")
                .opt("--bill", d(name))
                .opt("--msa", example("msa.json"))
                .opt("--vk", w.p("params/invoice-S.vk"))
                .opt("--out", d("bill.html"))
                .arg("--force"),
        );
        (out, fs::read_to_string(d("bill.html")).unwrap())
    };
    let total = bill.tax_included_amount.value.text().to_string();
    let (out, html) = render("bill.json");
    assert!(out.contains(&format!("{total} USD due, proof verified")), "{out}");
    assert!(
        html.contains("Invoice INV-10") && html.contains(">verified</span>"),
        "{html}"
    );
    assert!(
        html.contains(&format!("<dt>Amount due</dt><dd><strong>{total} USD</strong>")),
        "{html}"
    );
    assert!(
        html.contains(&format!("generated: {total} USD remaining")),
        "{html}"
    );

    // Settled, and final less a partial invoice of 100.00.
    let settled = bill.settled("SEPA 2026-12-01 globex-cloud/INV-10");
    fs::write(d("settled.json"), serde_json::to_string(&settled).unwrap()).unwrap();
    let (_, html) = render("settled.json");
    assert!(
        html.contains(&format!(
            "settled: {total} USD paid by payment <code>SEPA 2026-12-01 globex-cloud/INV-10</code>"
        )),
        "{html}"
    );
    let env = read_json(&w.p("env-10.json"));
    let mut partial: zkinvoice_circuits::model::invoice::InvoiceDoc =
        serde_json::from_value(env["invoice"].clone()).unwrap();
    partial.number = "INV-10-P".into();
    partial.total = "100.00".into();
    fs::write(
        d("final.json"),
        serde_json::to_string(&bill.finalised(partial).unwrap()).unwrap(),
    )
    .unwrap();
    let (out, html) = render("final.json");
    assert!(
        html.contains("final: the rest of a disputed period, less its partial invoice INV-10-P (100.00 USD)"),
        "{html}"
    );
    // Its proof is checked as `verify` without anchors checks it: a final bill needs the log.
    assert!(out.contains("proof NOT VERIFIED"), "{out}");
    assert!(html.contains("only the anchor log can say"), "{html}");
    // Neither an envelope nor a bill: a usage error.
    run_fail(
        zk().arg("render")
            .opt("--msa", example("msa.json"))
            .opt("--out", d("none.html")),
        2,
        &["--envelope", "--bill"],
        &[&d("none.html")],
    );
}
