//! `zkinvoice serve` and `zkinvoice publish` as processes: a Seller serving a published bill, and
//! refusals of bad arguments and inputs.

mod common;

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Stdio},
    time::{Duration, Instant},
};

use common::*;
use tempfile::TempDir;

/// A free loopback port.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// `GET path` on loopback `port`: the status line and the body.
fn get(port: u16, path: &str) -> Option<(String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    Some((head.lines().next()?.to_string(), body.to_string()))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_seller_serves_what_publish_puts_in_its_store() {
    let w = world();
    let dir = TempDir::new().expect("temp dir");
    let bill = dir.path().join("bill.json");
    run_ok(
        zk().arg("invoice")
            .opt("--envelope", w.p("env-10.json"))
            .opt("--msa", example("msa.json"))
            .opt("--out", &bill),
    );
    let db = dir.path().join("seller.db");
    let port = free_port();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("zkinvoice"))
        .args(["serve", "--role", "seller"])
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--db")
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let _server = Server(child);
    let list = "/mefApi/sonata/customerBillManagement/v2/customerBill";
    let start = Instant::now();
    let (status, body) = loop {
        if let Some(r) = get(port, list) {
            break r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the service did not come up"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("[]"), "{body}");
    let out = run_ok(zk().arg("publish").opt("--db", &db).opt("--bill", &bill));
    assert!(out.contains("published bill INV-10: 0 events queued"), "{out}");
    let out = run_ok(zk().arg("publish").opt("--db", &db).opt("--bill", &bill));
    assert!(out.contains("already published"), "{out}");
    let (status, body) = get(port, &format!("{list}/INV-10")).expect("answers");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("\"billNo\":\"INV-10\""), "{body}");
    let (status, body) = get(port, &format!("{list}/INV-11")).expect("answers");
    assert!(status.contains("404"), "{status}");
    assert!(body.contains("\"code\":\"notFound\""), "{body}");
    // Another bill under the same id is refused, and the store keeps the first.
    let mut other = read_json(&bill);
    other["billDate"] = serde_json::json!("2026-12-31T00:00:00Z");
    let other_path = dir.path().join("other.json");
    std::fs::write(&other_path, other.to_string()).expect("writes");
    run_fail(
        zk().arg("publish").opt("--db", &db).opt("--bill", &other_path),
        EXIT_DATA,
        &["other.json", "INV-10", "already published"],
        &[],
    );
    // Two services cannot listen on one address.
    run_fail(
        zk().args(["serve", "--role", "seller"])
            .opt("--listen", format!("127.0.0.1:{port}"))
            .opt("--db", dir.path().join("second.db")),
        EXIT_CANT_CREATE,
        &["cannot listen"],
        &[],
    );
}

#[test]
fn serve_and_publish_refuse_bad_arguments_and_inputs() {
    let dir = TempDir::new().expect("temp dir");
    let db = dir.path().join("s.db");
    run_fail(
        zk().args(["serve", "--role", "buyer"])
            .opt("--db", &db)
            .opt("--seller-url", "http://127.0.0.1:1"),
        EXIT_USAGE,
        &["--anchors"],
        &[&db],
    );
    run_fail(
        zk().args(["serve", "--role", "seller"])
            .opt("--db", &db)
            .opt("--key", "k.key"),
        EXIT_USAGE,
        &["--key", "--role seller"],
        &[&db],
    );
    let empty = dir.path().join("empty.token");
    std::fs::write(&empty, "\n").expect("writes");
    run_fail(
        zk().args(["serve", "--role", "seller"])
            .opt("--db", &db)
            .opt("--token-file", &empty),
        EXIT_DATA,
        &["empty.token", "bearer token"],
        &[&db],
    );
    run_fail(
        zk().args(["serve", "--role", "seller"])
            .opt("--db", &db)
            .opt("--token-file", dir.path().join("missing.token")),
        EXIT_NO_INPUT,
        &["missing.token"],
        &[&db],
    );
    let bill = dir.path().join("bill.json");
    std::fs::write(&bill, "{\"id\": 1}").expect("writes");
    run_fail(
        zk().arg("publish").opt("--db", &db).opt("--bill", &bill),
        EXIT_DATA,
        &["bill.json"],
        &[&db],
    );
    run_fail(
        zk().arg("publish")
            .opt("--db", &db)
            .opt("--bill", example("msa.json")),
        EXIT_DATA,
        &["msa.json"],
        &[&db],
    );
}
