//! The human-readable invoice as a reader sees it: `zkinvoice render`'s HTML opened in headless
//! Chromium and printed to PDF (`chromium.rs`), the PDF's words read by place (`pdf.rs`) against
//! the proven invoice and the MSA as the test computes them (`page.rs`): every figure and name on
//! the page, and nothing else. The page makes no request but for itself (and the check that says
//! so fails on a page that fetches an asset); an invoice of 50 lines prints legibly.
//!
//! Needs Debian's `chromium` and `poppler-utils` (`pdftotext`); without them the tests fail
//! saying what to install (`.ci/run` installs them).

#[path = "../common/mod.rs"]
mod common;

mod chromium;
mod page;
mod pdf;

use std::{
    path::{Path, PathBuf},
    sync::OnceLock,
};

use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

/// The program `name` on the `PATH`; fails saying what to install if it is not there.
pub fn tool(name: &str) -> PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "`{name}` is not on the PATH: these tests print the invoice with Debian's Chromium and \
                 read the PDF with poppler-utils; install them with \
                 `apt-get install -y --no-install-recommends chromium poppler-utils`"
            )
        })
}

/// The page's status line when the proof was verified, and when no key was given.
const VERIFIED: &str = "verified (against the verifying key given; the agreed commitments were not checked)";
const NOT_VERIFIED: &str = "not verified (no verifying key given)";

/// Refuses any request of the page `url` but the page itself.
fn fetches_only_itself(url: &str, requests: &[String]) -> Result<(), String> {
    let others: Vec<&String> = requests.iter().filter(|r| *r != url).collect();
    match (requests.first(), others.is_empty()) {
        (Some(first), true) if first == url => Ok(()),
        _ => Err(format!("{url} requested {others:?} (all requests: {requests:?})")),
    }
}

/// `file` printed: the requests checked, the PDF written beside it and read.
fn print(file: &Path) -> (pdf::Pdf, Vec<String>) {
    let url = format!("file://{}", file.display());
    let t = std::time::Instant::now();
    let printed = chromium::print(&url);
    let pdf_file = file.with_extension("pdf");
    std::fs::write(&pdf_file, &printed.pdf).expect("writes the PDF");
    let pdf = pdf::Pdf::read(&pdf_file);
    eprintln!(
        "{}: printed in {:.1} s, {} pages, {} words",
        file.display(),
        t.elapsed().as_secs_f64(),
        pdf.pages.len(),
        pdf.words.len()
    );
    (pdf, printed.requests)
}

/// October of the CLI test world, proved at shape S, rendered with its key and printed: the page
/// read against the envelope and the MSA.
struct October {
    dir: TempDir,
    reading: page::Reading,
    pages: usize,
}

fn october() -> &'static October {
    static O: OnceLock<October> = OnceLock::new();
    O.get_or_init(|| {
        let w = world();
        let dir = TempDir::new().expect("a temporary directory");
        let html = dir.path().join("invoice-10.html");
        run_ok(
            zk().arg("render")
                .opt("--envelope", w.p("env-10.json"))
                .opt("--msa", example("msa.json"))
                .opt("--vk", w.p("params/invoice-S.vk"))
                .opt("--out", &html),
        );
        let (mut pdf, requests) = print(&html);
        let url = format!("file://{}", html.display());
        fetches_only_itself(&url, &requests).unwrap_or_else(|e| panic!("{e}"));
        let e = page::expected(
            &read_json(&w.p("env-10.json")),
            &read_json(&example("msa.json")),
            VERIFIED,
        );
        let reading = page::read(&mut pdf, &e);
        let pages = pdf.pages.len();
        October { dir, reading, pages }
    })
}

#[test]
fn the_printed_invoice_shows_the_proven_invoice_and_the_msa_and_fetches_nothing() {
    let o = october();
    assert_eq!(o.reading.rows_per_page.iter().sum::<usize>(), 5);
    eprintln!(
        "October (5 lines): {} pages, rows per page {:?}",
        o.pages, o.reading.rows_per_page
    );
}

/// The request check is not vacuous: the same page with a stylesheet, a relative image and a
/// remote image fails it, each request named (none of them leaves the machine: host names do not
/// resolve in the test's Chromium).
#[test]
fn a_page_that_fetches_an_asset_fails_the_request_check() {
    let o = october();
    let html = std::fs::read_to_string(o.dir.path().join("invoice-10.html")).expect("the page");
    let assets = [
        "https://fonts.example.com/invoice.css",
        "logo.png",
        "http://cdn.example.org/stamp.png",
    ];
    let fetching = html
        .replacen(
            "<title>",
            &format!("<link rel=\"stylesheet\" href=\"{}\"><title>", assets[0]),
            1,
        )
        .replacen(
            "<h1>",
            &format!(
                "<img src=\"{}\" alt=\"\"><img src=\"{}\" alt=\"\"><h1>",
                assets[1], assets[2]
            ),
            1,
        );
    let file = o.dir.path().join("fetching.html");
    std::fs::write(&file, fetching).expect("writes");
    let url = format!("file://{}", file.display());
    let (_, requests) = print(&file);
    let error = fetches_only_itself(&url, &requests).expect_err("the check fails");
    let logo = format!("file://{}", o.dir.path().join("logo.png").display());
    for asset in [assets[0], &logo, assets[2]] {
        assert!(
            requests.iter().any(|r| r == asset),
            "{asset} not recorded: {requests:?}"
        );
        assert!(error.contains(asset), "{error}");
    }
}

/// The reading is not vacuous either: a page that misprints a figure, a name or adds a word of its
/// own fails it, naming what differs.
#[test]
fn a_page_that_misstates_the_invoice_fails_the_reading() {
    let o = october();
    let w = world();
    let html = std::fs::read_to_string(o.dir.path().join("invoice-10.html")).expect("the page");
    let env = read_json(&w.p("env-10.json"));
    let total = env["invoice"]["total"].as_str().expect("the total");
    let e = page::expected(&env, &read_json(&example("msa.json")), VERIFIED);
    let cases = [
        ("total", format!(">{total}<"), ">1.00<".to_string(), "Total (USD)"),
        ("city", "San Francisco".into(), "Oakland".into(), "the Buyer"),
        ("row", ">Edge compute".into(), ">Cloud compute".into(), "page 1"),
        (
            "word",
            "<h2>Proof</h2>".into(),
            "<p>Discount applied</p><h2>Proof</h2>".into(),
            "Discount",
        ),
    ];
    for (name, from, to, needle) in cases {
        assert!(html.contains(&from), "{name}: {from} is not on the page");
        let file = o.dir.path().join(format!("misstated-{name}.html"));
        std::fs::write(&file, html.replacen(&from, &to, 1)).expect("writes");
        let (mut pdf, _) = print(&file);
        let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page::read(&mut pdf, &e)));
        let message = failed.err().and_then(|e| e.downcast_ref::<String>().cloned());
        assert!(
            message.as_deref().is_some_and(|m| m.contains(needle)),
            "{name}: the reading did not fail naming {needle:?}: {message:?}"
        );
    }
}

/// An MSA of 25 products, each with usage pricing (graduated and volume alternately, three tiers)
/// and a recurring fee: 50 lines.
fn msa_of_25_products() -> Value {
    let mut msa = read_json(&example("msa.json"));
    let kinds = [
        ("IP transit, per GB delivered", "GB"),
        ("Voice termination, EU mobile, per minute", "minute"),
        ("Edge compute, per vCPU-hour", "vCPU-hour"),
        ("Access port, 10 Gbit/s, per port-day", "port-day"),
        ("Wavelength 10G, London-Frankfurt, per Mbit/s", "Mbit/s"),
    ];
    let products: Vec<Value> = (1..=25)
        .map(|i| {
            let (name, unit) = kinds[(i - 1) % kinds.len()];
            json!({
                "id": format!("svc-{i:02}"),
                "name": format!("{name} ({i})"),
                "unit": unit,
                "pricing": {
                    "model": if i % 2 == 1 { "graduated" } else { "volume" },
                    "tiers": [
                        {"from": 0, "price": "0.0200"},
                        {"from": 1000 * i, "price": "0.0150"},
                        {"from": 5000 * i, "price": "0.0100"},
                    ],
                },
                "recurring": {"fee": format!("{}.50", 100 + 10 * i), "orderedQuantity": 1 + i % 3},
                "orderReference": format!("PO-2026-0200/{i}"),
            })
        })
        .collect();
    msa["products"] = Value::from(products);
    // The example's per-product dispute thresholds and service levels name its own products.
    msa["disputeThresholds"]["products"] = json!([]);
    msa.as_object_mut().expect("an object").remove("serviceLevels");
    msa
}

/// An envelope of 50 lines at shape M: the invoice rated by `zkinvoice rate` with its real
/// commitment and states, the public inputs those of the committed MSA, usage and states; the proof
/// and key hash are October's at shape S (a dummy: `render` without `--vk` does not verify it, and
/// the page says "not verified").
fn fifty_lines(dir: &Path) -> (PathBuf, PathBuf) {
    let d = |name: &str| dir.join(name);
    std::fs::write(d("msa.json"), msa_of_25_products().to_string()).expect("writes");
    let records = (1..=25)
        .map(|i| {
            let q = 700 * i + 13 * i * i;
            zkinvoice_testkit::examples::rec(&format!("r{i}"), &format!("svc-{i:02}"), json!(q.to_string()))
        })
        .collect();
    std::fs::write(
        d("usage.json"),
        zkinvoice_testkit::examples::usage_json(records).to_string(),
    )
    .expect("writes");
    run_ok(
        zk().args(["msa", "commit", "--shape", "M"])
            .opt("--msa", d("msa.json"))
            .opt("--out", d("msa.commit.json"))
            .opt("--state-out", d("state-0.json")),
    );
    run_ok(
        zk().args(["usage", "commit"])
            .opt("--msa", d("msa.json"))
            .opt("--msa-commit", d("msa.commit.json"))
            .opt("--usage", d("usage.json"))
            .opt("--out", d("usage.commit.json")),
    );
    run_ok(
        zk().arg("rate")
            .opt("--msa", d("msa.json"))
            .opt("--usage", d("usage.json"))
            .opt("--state", d("state-0.json"))
            .opt("--invoice-number", "INV-2026-10-50")
            .opt("--out", d("rated.json")),
    );
    let rated = read_json(&d("rated.json"));
    let invoice = &rated["invoice"];
    assert_eq!(invoice["lines"].as_array().map(Vec::len), Some(50));
    let mut env = read_json(&world().p("env-10.json"));
    env["shape"] = json!("M");
    env["publicInputs"] = json!({
        "msaCommitment": read_json(&d("msa.commit.json"))["commitment"],
        "usageCommitment": read_json(&d("usage.commit.json"))["commitment"],
        "stateBefore": read_json(&d("state-0.json"))["commitment"],
        "stateAfter": rated["stateAfter"]["commitment"],
        "invoiceCommitment": invoice["commitment"]["value"],
    });
    env["invoice"] = invoice.clone();
    env["stateAfter"] = rated["stateAfter"].clone();
    std::fs::write(d("env-50.json"), env.to_string()).expect("writes");
    (d("env-50.json"), d("msa.json"))
}

/// 50 lines print legibly: every line's every cell read in place, each page of the table with its
/// header, nothing outside the printable area, and the text at the size of a 5-line invoice's (the
/// page is not shrunk to fit). Reports the page count.
#[test]
fn an_invoice_of_50_lines_prints_legibly() {
    let dir = TempDir::new().expect("a temporary directory");
    let (env, msa) = fifty_lines(dir.path());
    let html = dir.path().join("invoice-50.html");
    let out = run_ok(
        zk().arg("render")
            .opt("--envelope", &env)
            .opt("--msa", &msa)
            .opt("--out", &html),
    );
    assert!(out.contains("50 lines"), "{out}");
    let (mut pdf, requests) = print(&html);
    fetches_only_itself(&format!("file://{}", html.display()), &requests).unwrap_or_else(|e| panic!("{e}"));
    let e = page::expected(&read_json(&env), &read_json(&msa), NOT_VERIFIED);
    let reading = page::read(&mut pdf, &e);
    assert_eq!(reading.rows_per_page.iter().sum::<usize>(), 50);
    // The totals once, after the last line (not repeated at the foot of every page).
    assert_eq!(reading.footers, 1, "pages with the totals");

    // The text is as large as on October's 5-line page: each amount's word as tall as October's.
    let october = october();
    let reference = october.reading.amount_heights[0];
    for h in october
        .reading
        .amount_heights
        .iter()
        .chain(&reading.amount_heights)
    {
        assert!((h - reference).abs() < 0.01 * reference, "{h} vs {reference}");
    }
    // The smallest text (product ids, the header, the commitments: 0.85 em) is no smaller.
    assert!(
        reading.smallest >= 0.75 * reference && reading.smallest >= october.reading.smallest - 0.01,
        "the smallest word is {} high (the amounts {reference}; on October's page {})",
        reading.smallest,
        october.reading.smallest
    );
    eprintln!(
        "50 lines: {} pages (rows per page {:?}, the totals at the foot of {} of them); the amounts' \
         words {reference:.2} pt tall, as on October's page",
        pdf.pages.len(),
        reading.rows_per_page,
        reading.footers
    );
}
